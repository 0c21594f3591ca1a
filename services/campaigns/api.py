"""专项行动 as pages use it: each call is one transaction of its own and returns plain read models."""

from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from db.models import Activity, CampaignBase, CampaignSurvey, CampaignTaskDone
from services.access.actor import Actor
from services.campaigns import consequences as consequence_model
from services.campaigns import entries, ranking, read, reports, setup
from services.campaigns import inspections as inspection_model
from services.campaigns import progress as progress_model
from services.campaigns.consequences import CheckResult
from services.campaigns.entries import ActivityDraft
from services.campaigns.inspections import InspectionDraft, InspectionList, Saved
from services.campaigns.photos import Upload
from services.campaigns.progress import MatrixView, Progress, Series
from services.campaigns.ranking import Ranking
from services.campaigns.read import ActivityRow, LogContext
from services.campaigns.reports import ReportBoard, RollupFiles, RollupOptions
from services.campaigns.setup import CampaignDraft
from services.campaigns.text import ERR_FORM_KEY_REQUIRED
from services.shared.errors import InvalidInput
from services.shared.unit_of_work import reading, writing
from vocabulary import InspectionState


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


def export_matrix(engine: Engine, actor: Actor, campaign_id: int, today: date, view: MatrixView, fmt: str,
                  now: datetime) -> bytes:
    """The progress matrix of the filters (every unit, not just the page) as CSV or XLSX; audited."""
    return writing(engine, progress_model.export_matrix, actor, campaign_id, today, view, fmt, now)


def recent_activities(engine: Engine, actor: Actor, campaign_id: int, limit: int = 10) -> list[ActivityRow]:
    """The latest activities in scope with photo thumbnails."""
    return reading(engine, read.recent_activities, actor, campaign_id, limit)


def create_campaign(engine: Engine, actor: Actor, draft: CampaignDraft) -> int:
    """A leader creates a campaign with its units and targets (refusals by field as InvalidInput)."""
    return writing(engine, setup.create_campaign, actor, draft)


def log_context(engine: Engine, actor: Actor, campaign_id: int, today: date) -> LogContext:
    """Who may log for a campaign within scope (police units; partners for activities only), its entry targets and
    dates; refused without the permission to log (no progress figures are computed)."""
    return reading(engine, read.log_context, actor, campaign_id, today)


def _once(engine: Engine, actor: Actor, model: type[entries.Entry], key: str, operation, *args, **kwargs) -> int:
    """`operation` in one write transaction, once per form key; a request that lost the race answers the winner's id."""
    if not key:
        raise InvalidInput({"form": ERR_FORM_KEY_REQUIRED})
    try:
        return writing(engine, operation, actor, *args, **kwargs)
    except IntegrityError:
        # Both requests of a double click found no row under the key; the unique key let one insert.
        existing = reading(engine, entries.saved_id, actor, model, key)
        if existing is None:
            raise
        return existing


def log_activity(engine: Engine, actor: Actor, draft: ActivityDraft, photos: list[Upload]) -> int:
    """Log an activity with its photos, once per form key (draft.idempotency_key): all of it is saved, or none."""
    return _once(engine, actor, Activity, draft.idempotency_key or "", entries.log_activity, draft, photos)


def declare_base(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, base_value: int, *,
                 idempotency_key: str) -> int:
    """Declare the base of a coverage target for a unit, once per form key."""
    return _once(engine, actor, CampaignBase, idempotency_key, entries.declare_base, campaign_id, target_id, unit_id,
                 base_value, idempotency_key=idempotency_key)


def enter_survey(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, survey_date: date,
                 sample_size: int, yes_count: int, *, idempotency_key: str) -> int:
    """Enter a survey for a survey target, once per form key."""
    return _once(engine, actor, CampaignSurvey, idempotency_key, entries.enter_survey, campaign_id, target_id,
                 unit_id, survey_date, sample_size, yes_count, idempotency_key=idempotency_key)


def complete_task(engine: Engine, actor: Actor, campaign_id: int, target_id: int, unit_id: int, done_on: date,
                  evidence_note: str, *, idempotency_key: str) -> int:
    """Report a deadline task done with its evidence note, once per form key."""
    return _once(engine, actor, CampaignTaskDone, idempotency_key, entries.complete_task, campaign_id, target_id,
                 unit_id, done_on, evidence_note, idempotency_key=idempotency_key)


def saved_activity(engine: Engine, actor: Actor, idempotency_key: str) -> int | None:
    """The activity this actor already saved under a form's key, if any (a form resumed from the address bar)."""
    return reading(engine, entries.saved_id, actor, Activity, idempotency_key)


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


# --- 行动管理 (campaign_admin): create and maintain campaigns -------------------------------------------------------

def admin_choices(engine: Engine, actor: Actor) -> setup.AdminChoices:
    """Police units (stations marked) and partner units within the leader's scope."""
    return reading(engine, setup.admin_choices, actor)


def owned_campaigns(engine: Engine, actor: Actor, today: date) -> list[setup.CampaignSummary]:
    """The campaigns the leader's unit owns, with status 未开始/进行中/已结束."""
    return reading(engine, setup.owned_campaigns, actor, today)


def campaign_setup(engine: Engine, actor: Actor, campaign_id: int) -> setup.CampaignSetup:
    """A campaign of the leader's unit as its admin form shows it (owner's leaders only)."""
    return reading(engine, setup.campaign_setup, actor, campaign_id)


def target_problem(draft: setup.TargetDraft, start: date, end: date, police: set[int]) -> str | None:
    """Why a drafted target cannot be set (checked again on create); a pure check, no database."""
    return setup.target_problem(draft, start, end, police)


def update_liaisons(engine: Engine, actor: Actor, campaign_id: int,
                    liaisons: dict[int, tuple[str | None, str | None]]) -> int:
    """Set the 联络员 of participating units (audited); returns how many changed."""
    return writing(engine, setup.update_liaisons, actor, campaign_id, liaisons)


def add_partner(engine: Engine, actor: Actor, campaign_id: int, entry: setup.UnitEntry) -> None:
    """Add a partner unit in scope with its 联络员 to a campaign (audited)."""
    return writing(engine, setup.add_partner, actor, campaign_id, entry)


def add_target(engine: Engine, actor: Actor, campaign_id: int, draft: setup.TargetDraft) -> int:
    """Add a target to a campaign (audited)."""
    return writing(engine, setup.add_target, actor, campaign_id, draft)


def update_consequences(engine: Engine, actor: Actor, campaign_id: int, value: setup.Consequences) -> None:
    """Change the campaign's consequence settings (audited)."""
    return writing(engine, setup.update_consequences, actor, campaign_id, value)


def change_period(engine: Engine, actor: Actor, campaign_id: int, start: date, end: date) -> None:
    """Move the period until the first report is submitted (audited)."""
    return writing(engine, setup.change_period, actor, campaign_id, start, end)


def create_partner_unit(engine: Engine, actor: Actor, parent_id: int, name: str, partner_kind: str) -> int:
    """A leader adds a partner unit under a station in scope (audited); returns its id."""
    return writing(engine, setup.create_partner_unit, actor, parent_id, name, partner_kind)


def rollup_options(engine: Engine, actor: Actor, campaign_id: int, now: datetime) -> RollupOptions:
    """Whether the actor may build the roll-up, and the periods due so far (latest first)."""
    return reading(engine, reports.rollup_options, actor, campaign_id, now)


def rollup_files(engine: Engine, actor: Actor, campaign_id: int, period_number: int, now: datetime) -> RollupFiles:
    """The roll-up of a period from the units' frozen reports, as DOCX and XLSX (audited)."""
    return writing(engine, reports.rollup_files, actor, campaign_id, period_number, now)


def ranking_months(engine: Engine, actor: Actor, campaign_id: int, today: date) -> list[date]:
    """The months of the campaign so far, latest first."""
    return reading(engine, ranking.month_choices, actor, campaign_id, today)


def monthly_ranking(engine: Engine, actor: Actor, campaign_id: int, month: date, now: datetime) -> Ranking:
    """Units ranked on the weighted indicators of one Beijing-time month."""
    return reading(engine, ranking.ranking, actor, campaign_id, month, now)


def may_set_ranking_weights(engine: Engine, actor: Actor, campaign_id: int) -> bool:
    """Whether the actor may change the campaign's ranking weights."""
    return reading(engine, lambda session: ranking.may_set_weights(
        session, actor, entries.load_campaign(session, actor, campaign_id)))


def set_ranking_weights(engine: Engine, actor: Actor, campaign_id: int, values: dict[str, int]) -> dict[str, int]:
    """Store the campaign's ranking weights (audited)."""
    return writing(engine, ranking.set_weights, actor, campaign_id, values)


def ranking_file(engine: Engine, actor: Actor, campaign_id: int, month: date, now: datetime) -> tuple[str, bytes]:
    """The monthly ranking 通报 as DOCX (audited)."""
    return writing(engine, ranking.ranking_file, actor, campaign_id, month, now)


# ---------------------------------------------------------------- 督导检查 and consequences (campaign follow-through)

def record_inspection(engine: Engine, actor: Actor, draft: InspectionDraft, photos: list[Upload]) -> Saved:
    """A leader records a 督导 visit with photos, exactly once per form key (a double click returns the first)."""
    try:
        return writing(engine, inspection_model.record_inspection, actor, draft, photos)
    except IntegrityError:
        # Another request with the same key won the race: answer with the saved one.
        saved = reading(engine, inspection_model.find_saved, actor, draft.idempotency_key)
        if saved is None:
            raise
        return saved


def inspection_saved(engine: Engine, actor: Actor, key: str) -> Saved | None:
    """The inspection already saved under a form key, if any."""
    return reading(engine, inspection_model.find_saved, actor, key)


def mark_inspection_fixed(engine: Engine, actor: Actor, inspection_id: int, fixed_on: date | None, note: str) -> int:
    """The leader, or the inspected unit's clerk, marks a finding fixed with a note."""
    return writing(engine, inspection_model.mark_fixed, actor, inspection_id, fixed_on, note)


def inspection_list(engine: Engine, actor: Actor, campaign_id: int, today: date, unit_id: int | None,
                    state: InspectionState | None) -> InspectionList:
    """The campaign's inspections in scope, filtered by unit and state, with counts and thumbnails."""
    return reading(engine, inspection_model.list_inspections, actor, campaign_id, today, unit_id, state)


def check_consequences(engine: Engine, now: datetime) -> CheckResult:
    """Raise the accountability items of campaigns units fell behind in: a cheap read when nothing is due, else one
    write transaction (pages call it on load; `fanzha campaigns check` from a timer)."""
    if not reading(engine, consequence_model.pending, now):
        return CheckResult(0, 0)
    return writing(engine, consequence_model.raise_due, now)
