"""Campaign writes: create a campaign with its targets; log an activity with photos; declare a base;
enter a survey; complete a deadline task. Each is checked whole (refusals by field) before anything is added."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlmodel import Session

from db.models import (
    Activity,
    ActivityPhoto,
    Campaign,
    CampaignBase,
    CampaignSurvey,
    CampaignTarget,
    CampaignTaskDone,
    CampaignUnit,
    Unit,
)
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import text as t
from services.campaigns.photos import Upload, check_photos
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import (
    ActivityChannel,
    Audience,
    AuditAction,
    CountMeasure,
    OutcomeMeasure,
    Outreach,
    TargetKind,
    TargetPeriod,
    UnitKind,
)

COUNT_LIMIT = 1_000_000
TEXT_LIMIT = 2000
MIN_EVIDENCE = 4
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
PERCENT_KINDS = {TargetKind.COVERAGE, TargetKind.SURVEY, TargetKind.OUTCOME}


# ---------------------------------------------------------------- loading within scope

def visible_campaigns(session: Session, actor: Actor) -> list[Campaign]:
    """Campaigns the actor's unit owns or takes part in through a unit in scope, newest first."""
    in_scope = select(Unit.id).where(Unit.path.startswith(actor.unit_path))
    statement = (select(Campaign).where(or_(
        Campaign.owner_unit_id.in_(in_scope),
        Campaign.id.in_(select(CampaignUnit.campaign_id).where(CampaignUnit.unit_id.in_(in_scope))),
    )).order_by(Campaign.start_date.desc(), Campaign.id.desc()))
    return list(session.execute(statement).scalars())


def load_campaign(session: Session, actor: Actor, campaign_id: int) -> Campaign:
    """A campaign the actor may see; anything else is refused as not found."""
    for campaign in visible_campaigns(session, actor):
        if campaign.id == campaign_id:
            return campaign
    raise AccessDenied(t.ERR_CAMPAIGN)


def participant(session: Session, actor: Actor, campaign_id: int, unit_id: int) -> tuple[CampaignUnit, Unit]:
    """A unit of the campaign within the actor's scope, or a refusal by field."""
    row = session.execute(
        select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id == campaign_id, CampaignUnit.unit_id == unit_id,
               Unit.path.startswith(actor.unit_path))).first()
    if row is None:
        raise InvalidInput({"unit": t.ERR_UNIT_NOT_PARTICIPATING})
    return row[0], row[1]


def _target(session: Session, campaign_id: int, target_id: int, kind: TargetKind) -> CampaignTarget:
    target = session.get(CampaignTarget, target_id)
    if target is None or target.campaign_id != campaign_id:
        raise InvalidInput({"target": t.ERR_TARGET})
    if target.kind != kind.value:
        raise InvalidInput({"target": t.ERR_TARGET_KIND.format(kind=kind.label)})
    return target


def _date_in(campaign: Campaign, day: date | None, today: date, name: str, errors: dict[str, str]) -> None:
    if day is None or not campaign.start_date <= day <= campaign.end_date:
        errors[name] = t.ERR_DATE_OUTSIDE.format(start=campaign.start_date, end=campaign.end_date)
    elif day > today:
        errors[name] = t.ERR_DATE_FUTURE


def _count(value: object, name: str, errors: dict[str, str], positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive else 0):
        errors[name] = t.ERR_POSITIVE if positive else t.ERR_COUNT
        return 0
    if value > COUNT_LIMIT:
        errors[name] = t.ERR_COUNT_LIMIT.format(limit=COUNT_LIMIT)
    return value


def _enum(enum, value: str | None, name: str, errors: dict[str, str], optional: bool = False):
    if value in (None, "") and optional:
        return None
    try:
        return enum(value)
    except ValueError:
        errors[name] = t.ERR_CHOICE
        return None


def _text(value: str | None, name: str, errors: dict[str, str], limit: int, minimum: int = 0) -> str | None:
    text = (value or "").strip()
    if len(text) < minimum:
        errors[name] = t.ERR_TEXT_REQUIRED.format(length=minimum)
    elif len(text) > limit:
        errors[name] = t.ERR_TEXT_TOO_LONG.format(limit=limit)
    return text or None


def _applies(target: CampaignTarget, link: CampaignUnit) -> bool:
    return not link.partner and target.applies_to_unit_id in (None, link.unit_id)


# ---------------------------------------------------------------- creating a campaign

@dataclass(frozen=True)
class UnitEntry:
    """A participating unit: police (partner=False) or partner, with its 联络员."""

    unit_id: int
    partner: bool = False
    liaison_name: str | None = None
    liaison_phone: str | None = None


@dataclass(frozen=True)
class TargetDraft:
    """A target as a leader sets it."""

    description: str
    kind: str
    target_value: float
    unit_of_measure: str = ""
    period: str | None = None
    measure: str | None = None
    outreach: str | None = None
    channel: str | None = None
    applies_to_unit_id: int | None = None
    due_date: date | None = None
    min_sample: int | None = None


@dataclass(frozen=True)
class CampaignDraft:
    """A new campaign: name, theme, period, units and targets."""

    name: str
    theme: str | None
    start_date: date
    end_date: date
    units: list[UnitEntry] = field(default_factory=list)
    targets: list[TargetDraft] = field(default_factory=list)


def _target_problem(draft: TargetDraft, start: date, end: date, police: set[int]) -> str | None:
    try:
        kind = TargetKind(draft.kind)
    except ValueError:
        return t.ERR_CHOICE
    if not (draft.description or "").strip():
        return t.ERR_TEXT_REQUIRED.format(length=1)
    if kind is not TargetKind.TASK and not draft.target_value > 0:
        return t.ERR_TARGET_VALUE
    if kind in PERCENT_KINDS and draft.target_value > 100:
        return t.ERR_TARGET_PCT
    if kind is TargetKind.COUNT and draft.period not in {p.value for p in TargetPeriod}:
        return t.ERR_TARGET_PERIOD
    if kind in (TargetKind.COUNT, TargetKind.COVERAGE) and draft.measure not in {m.value for m in CountMeasure}:
        return t.ERR_TARGET_MEASURE
    if kind is TargetKind.OUTCOME and draft.measure not in {m.value for m in OutcomeMeasure}:
        return t.ERR_TARGET_MEASURE
    if kind is TargetKind.TASK and (draft.due_date is None or not start <= draft.due_date <= end):
        return t.ERR_TARGET_DUE
    if draft.outreach and draft.outreach not in {o.value for o in Outreach}:
        return t.ERR_CHOICE
    if draft.channel and draft.channel not in {c.value for c in ActivityChannel}:
        return t.ERR_CHOICE
    if draft.applies_to_unit_id is not None and draft.applies_to_unit_id not in police:
        return t.ERR_TARGET_APPLIES
    return None


DEFAULT_UOM = {TargetKind.COVERAGE: "%", TargetKind.SURVEY: "%", TargetKind.OUTCOME: "%", TargetKind.TASK: "项"}


def create_campaign(session: Session, actor: Actor, draft: CampaignDraft, now: datetime | None = None) -> int:
    """A leader creates a campaign of their unit with units in scope and its targets (one transaction)."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    now = now or now_utc()
    errors: dict[str, str] = {}
    name = _text(draft.name, "name", errors, 100, 1)
    theme = _text(draft.theme, "theme", errors, 200)
    if draft.end_date < draft.start_date:
        errors["period"] = t.ERR_PERIOD
    units = {u.id: u for u in session.execute(
        select(Unit).where(Unit.id.in_([e.unit_id for e in draft.units]))).scalars()}
    if not draft.units:
        errors["units"] = t.ERR_UNITS_REQUIRED
    for entry in draft.units:
        unit = units.get(entry.unit_id)
        if unit is None or not unit.path.startswith(actor.unit_path):
            errors["units"] = t.ERR_UNIT_SCOPE
        elif entry.partner != (unit.kind == UnitKind.PARTNER.value):
            errors["units"] = t.ERR_PARTNER_KIND
        if entry.liaison_phone and not PHONE.match(entry.liaison_phone.strip()):
            errors["units"] = t.ERR_PHONE
    police = {e.unit_id for e in draft.units if not e.partner}
    if not draft.targets:
        errors["targets"] = t.ERR_TARGETS_REQUIRED
    for index, target in enumerate(draft.targets, start=1):
        if (problem := _target_problem(target, draft.start_date, draft.end_date, police)) is not None:
            errors["targets"] = t.ERR_TARGET_SPEC.format(index=index, problem=problem)
    if errors:
        raise InvalidInput(errors)
    campaign = Campaign(name=name, theme=theme, start_date=draft.start_date, end_date=draft.end_date,
                        owner_unit_id=actor.unit_id, created_at=now)
    session.add(campaign)
    session.flush()
    for entry in draft.units:
        session.add(CampaignUnit(campaign_id=campaign.id, unit_id=entry.unit_id, partner=entry.partner,
                                 liaison_name=(entry.liaison_name or "").strip() or None,
                                 liaison_phone=(entry.liaison_phone or "").strip() or None))
    for index, target in enumerate(draft.targets, start=1):
        kind = TargetKind(target.kind)
        session.add(CampaignTarget(
            campaign_id=campaign.id, metric=f"t{index}", description=target.description.strip(), kind=kind.value,
            target_value=float(target.target_value), unit_of_measure=target.unit_of_measure or DEFAULT_UOM.get(kind, "次"),
            period=target.period if kind is TargetKind.COUNT else None, measure=target.measure,
            outreach=target.outreach or None, channel=target.channel or None,
            applies_to_unit_id=target.applies_to_unit_id, due_date=target.due_date, min_sample=target.min_sample))
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_CAMPAIGN.format(name=name, units=len(draft.units), targets=len(draft.targets)))
    return campaign.id


# ---------------------------------------------------------------- logging an activity

@dataclass(frozen=True)
class ActivityDraft:
    """An activity as a unit reports it."""

    campaign_id: int
    unit_id: int
    activity_date: date | None
    outreach: str
    channel: str
    audience: str
    place: str
    officers: int = 0
    people_reached: int = 0
    households: int = 0
    pieces: int = 0
    description: str | None = None


def log_activity(session: Session, actor: Actor, draft: ActivityDraft, photos: list[Upload] | None = None,
                 now: datetime | None = None) -> int:
    """Any participating unit in scope (partners too) logs an activity with its photos; nothing is half-saved."""
    require(actor, Permission.LOG_ACTIVITIES)
    now = now or now_utc()
    campaign = load_campaign(session, actor, draft.campaign_id)
    participant(session, actor, campaign.id, draft.unit_id)
    errors: dict[str, str] = {}
    _date_in(campaign, draft.activity_date, shanghai_today(now), "activity_date", errors)
    outreach = _enum(Outreach, draft.outreach, "outreach", errors)
    channel = _enum(ActivityChannel, draft.channel, "channel", errors)
    audience = _enum(Audience, draft.audience, "audience", errors)
    place = (draft.place or "").strip()
    if not place:
        errors["place"] = t.ERR_PLACE_REQUIRED
    elif len(place) > 100:
        errors["place"] = t.ERR_TEXT_TOO_LONG.format(limit=100)
    counts = {name: _count(getattr(draft, name), name, errors)
              for name in ("officers", "people_reached", "households", "pieces")}
    description = _text(draft.description, "description", errors, TEXT_LIMIT)
    checked = check_photos(photos or [], errors)
    if errors:
        raise InvalidInput(errors)
    activity = Activity(campaign_id=campaign.id, unit_id=draft.unit_id, activity_date=draft.activity_date,
                        outreach=outreach.value, channel=channel.value, audience=audience.value, place=place,
                        description=description, created_by=actor.user_id or None, created_at=now, **counts)
    session.add(activity)
    session.flush()
    for photo in checked:
        session.add(ActivityPhoto(activity_id=activity.id, filename=photo.filename, content_type=photo.content_type,
                                  size=len(photo.content), content=photo.content, thumbnail=photo.thumbnail,
                                  uploaded_by=actor.username, at=now))
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="activity", object_id=activity.id,
                 detail=t.AUDIT_ACTIVITY.format(date=draft.activity_date, outreach=outreach.label, photos=len(checked)))
    return activity.id


# ---------------------------------------------------------------- bases, surveys, tasks

def _entry_target(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int,
                  kind: TargetKind) -> tuple[Campaign, CampaignTarget]:
    require(actor, Permission.LOG_ACTIVITIES)
    campaign = load_campaign(session, actor, campaign_id)
    link, _ = participant(session, actor, campaign_id, unit_id)
    target = _target(session, campaign_id, target_id, kind)
    if not _applies(target, link):
        raise InvalidInput({"target": t.ERR_TARGET_NOT_FOR_UNIT})
    return campaign, target


def declare_base(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int, base_value: int,
                 now: datetime | None = None) -> int:
    """A unit declares the base of a coverage target (e.g. households in its area); the latest declaration counts."""
    now = now or now_utc()
    _, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.COVERAGE)
    errors: dict[str, str] = {}
    value = _count(base_value, "base_value", errors, positive=True)
    if errors:
        raise InvalidInput(errors)
    row = CampaignBase(target_id=target.id, unit_id=unit_id, base_value=value, declared_at=now,
                       declared_by=actor.username)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_base", object_id=row.id,
                 detail=t.AUDIT_BASE.format(value=value))
    return row.id


def enter_survey(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int,
                 survey_date: date | None, sample_size: int, yes_count: int, now: datetime | None = None) -> int:
    """A unit enters a survey for a survey target (sample size and how many knew)."""
    now = now or now_utc()
    campaign, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.SURVEY)
    errors: dict[str, str] = {}
    _date_in(campaign, survey_date, shanghai_today(now), "survey_date", errors)
    sample = _count(sample_size, "sample_size", errors, positive=True)
    yes = _count(yes_count, "yes_count", errors)
    if "sample_size" not in errors and "yes_count" not in errors and yes > sample:
        errors["yes_count"] = t.ERR_YES_OVER_SAMPLE
    if errors:
        raise InvalidInput(errors)
    row = CampaignSurvey(target_id=target.id, unit_id=unit_id, survey_date=survey_date, sample_size=sample,
                         yes_count=yes, entered_by=actor.username, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_survey", object_id=row.id,
                 detail=t.AUDIT_SURVEY.format(yes=yes, sample=sample))
    return row.id


def complete_task(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int,
                  done_on: date | None, evidence_note: str, now: datetime | None = None) -> int:
    """A unit reports a deadline task done, with a note of its evidence (once)."""
    now = now or now_utc()
    campaign, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.TASK)
    errors: dict[str, str] = {}
    _date_in(campaign, done_on, shanghai_today(now), "done_on", errors)
    note = _text(evidence_note, "evidence_note", errors, TEXT_LIMIT, MIN_EVIDENCE)
    if session.execute(select(CampaignTaskDone.id).where(CampaignTaskDone.target_id == target.id,
                                                         CampaignTaskDone.unit_id == unit_id)).first():
        errors["target"] = t.ERR_TASK_DONE
    if errors:
        raise InvalidInput(errors)
    row = CampaignTaskDone(target_id=target.id, unit_id=unit_id, done_on=done_on, evidence_note=note,
                           entered_by=actor.username, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_task_done", object_id=row.id,
                 detail=t.AUDIT_TASK.format(done_on=done_on))
    return row.id
