"""专项行动 as pages use it: each call is one transaction of its own and returns plain read models."""

from datetime import date, datetime

from sqlalchemy import Engine

from services.access.actor import Actor
from services.campaigns import entries, read, reports
from services.campaigns import progress as progress_model
from services.campaigns.entries import ActivityDraft, CampaignDraft
from services.campaigns.photos import Upload
from services.campaigns.progress import Progress, Series
from services.campaigns.read import ActivityRow
from services.campaigns.reports import ReportBoard
from services.shared.unit_of_work import reading, writing


def campaign_choices(engine: Engine, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the campaigns the actor may see, newest first."""
    return reading(engine, progress_model.campaign_choices, actor)


def progress(engine: Engine, actor: Actor, campaign_id: int, today: date) -> Progress:
    """The unit × target matrix with lights and pacing, 八进 coverage and weekly activity, within scope."""
    return reading(engine, progress_model.progress, actor, campaign_id, today)


def cumulative(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int | None,
               today: date) -> Series | None:
    """Cumulative progress of a target against the ideal line (None for targets without one)."""
    return reading(engine, progress_model.cumulative, actor, campaign_id, target_id, unit_id, today)


def recent_activities(engine: Engine, actor: Actor, campaign_id: int, limit: int = 10) -> list[ActivityRow]:
    """The latest activities in scope with photo thumbnails."""
    return reading(engine, read.recent_activities, actor, campaign_id, limit)


def create_campaign(engine: Engine, actor: Actor, draft: CampaignDraft) -> int:
    """A leader creates a campaign with its units and targets (refusals by field as InvalidInput)."""
    return writing(engine, entries.create_campaign, actor, draft)


def log_activity(engine: Engine, actor: Actor, draft: ActivityDraft, photos: list[Upload]) -> int:
    """Log an activity with its photos: all of it is saved, or none of it."""
    return writing(engine, entries.log_activity, actor, draft, photos)


def declare_base(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, base_value: int) -> int:
    """Declare the base of a coverage target for a unit."""
    return writing(engine, entries.declare_base, actor, campaign_id, target_id, unit_id, base_value)


def enter_survey(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, survey_date: date,
                 sample_size: int, yes_count: int) -> int:
    """Enter a survey for a survey target."""
    return writing(engine, entries.enter_survey, actor, campaign_id, target_id, unit_id, survey_date, sample_size,
                   yes_count)


def complete_task(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, done_on: date,
                  evidence_note: str) -> int:
    """Report a deadline task done with its evidence note."""
    return writing(engine, entries.complete_task, actor, campaign_id, target_id, unit_id, done_on, evidence_note)


def report_board(engine: Engine, actor: Actor, campaign_id: int, now: datetime) -> ReportBoard:
    """Who reported the latest due period and who is late (with the 联络员 to call), and what each unit owes."""
    return reading(engine, reports.board, actor, campaign_id, now)


def submit_report(engine: Engine, actor: Actor, campaign_id: int, unit_id: int, methods: str, channels: str,
                  process: str, scope: str, next_steps: str) -> int:
    """Submit the period the unit owes, frozen as a snapshot."""
    return writing(engine, reports.submit_report, actor, campaign_id, unit_id, methods, channels, process, scope,
                   next_steps)


def report_file(engine: Engine, actor: Actor, report_id: int, fmt: str) -> tuple[str, bytes]:
    """A frozen report as DOCX or XLSX (audited download)."""
    return writing(engine, reports.report_file, actor, report_id, fmt)
