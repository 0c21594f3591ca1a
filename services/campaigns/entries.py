"""Campaign writes by units: log an activity with photos; declare a base; enter a survey; complete a deadline task.
 Each is checked whole (refusals by field) before anything is added, and saved once per form key (idempotency_key)."""

from dataclasses import dataclass
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
from services.campaigns import tallies
from services.campaigns import text as t
from services.campaigns.photos import Upload, check_photos
from services.campaigns.validate import KEY_LIMIT, TEXT_LIMIT, count, date_in, enum_value, text_value
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import (
    ActivityChannel,
    Audience,
    AuditAction,
    Outreach,
    TargetKind,
)

MIN_EVIDENCE = 4
Entry = Activity | CampaignBase | CampaignSurvey | CampaignTaskDone


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


def _applies(target: CampaignTarget, link: CampaignUnit) -> bool:
    return not link.partner and target.applies_to_unit_id in (None, link.unit_id)


# ---------------------------------------------------------------- exactly once per form

def _made_by(row: Entry, actor: Actor) -> bool:
    if isinstance(row, Activity):
        return row.created_by == (actor.user_id or None)
    author = row.declared_by if isinstance(row, CampaignBase) else row.entered_by
    return author == actor.username


def saved_id(session: Session, actor: Actor, model: type[Entry], idempotency_key: str | None) -> int | None:
    """The id of the row this actor already saved under a form's key (None: not saved yet, or no key).

    A key is the form's own: one saved by someone else is refused rather than answered with their row.
    """
    if not idempotency_key:
        return None
    if len(idempotency_key) > KEY_LIMIT:
        raise InvalidInput({"form": t.ERR_FORM_KEY})
    row = session.execute(select(model).where(model.idempotency_key == idempotency_key)).scalar_one_or_none()
    if row is None:
        return None
    if not _made_by(row, actor):
        raise InvalidInput({"form": t.ERR_FORM_KEY})
    return row.id


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
    receipts: int = 0  # 公开信回执 returned (channel 公开信 only)
    idempotency_key: str | None = None  # the form's key: the same key saves once


def log_activity(session: Session, actor: Actor, draft: ActivityDraft, photos: list[Upload] | None = None,
                 now: datetime | None = None) -> int:
    """Any participating unit in scope (partners too) logs an activity with its photos; nothing is half-saved.

    A repeat of a form's key answers the activity saved under it: no second row, photo or audit record.
    """
    require(actor, Permission.LOG_ACTIVITIES)
    if (existing := saved_id(session, actor, Activity, draft.idempotency_key)) is not None:
        return existing
    now = now or now_utc()
    campaign = load_campaign(session, actor, draft.campaign_id)
    participant(session, actor, campaign.id, draft.unit_id)
    errors: dict[str, str] = {}
    date_in(campaign, draft.activity_date, shanghai_today(now), "activity_date", errors)
    outreach = enum_value(Outreach, draft.outreach, "outreach", errors)
    channel = enum_value(ActivityChannel, draft.channel, "channel", errors)
    audience = enum_value(Audience, draft.audience, "audience", errors)
    place = (draft.place or "").strip()
    if not place:
        errors["place"] = t.ERR_PLACE_REQUIRED
    elif len(place) > 100:
        errors["place"] = t.ERR_TEXT_TOO_LONG.format(limit=100)
    counts = {name: count(getattr(draft, name), name, errors)
              for name in ("officers", "people_reached", "households", "pieces", "receipts")}
    if counts["receipts"] and channel is not None and channel is not ActivityChannel.OPEN_LETTER:
        errors["receipts"] = t.ERR_RECEIPTS_CHANNEL.format(channel=ActivityChannel.OPEN_LETTER.label)
    description = text_value(draft.description, "description", errors, TEXT_LIMIT)
    checked = check_photos(photos or [], errors)
    if errors:
        raise InvalidInput(errors)
    activity = Activity(campaign_id=campaign.id, unit_id=draft.unit_id, activity_date=draft.activity_date,
                        outreach=outreach.value, channel=channel.value, audience=audience.value, place=place,
                        description=description, created_by=actor.user_id or None, created_at=now,
                        idempotency_key=draft.idempotency_key or None, **counts)
    session.add(activity)
    session.flush()
    tallies.record(session, activity)
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
                 now: datetime | None = None, idempotency_key: str | None = None) -> int:
    """A unit declares the base of a coverage target (e.g. households in its area); the latest declaration counts."""
    require(actor, Permission.LOG_ACTIVITIES)
    if (existing := saved_id(session, actor, CampaignBase, idempotency_key)) is not None:
        return existing
    now = now or now_utc()
    _, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.COVERAGE)
    errors: dict[str, str] = {}
    value = count(base_value, "base_value", errors, positive=True)
    if errors:
        raise InvalidInput(errors)
    row = CampaignBase(target_id=target.id, unit_id=unit_id, base_value=value, declared_at=now,
                       declared_by=actor.username, idempotency_key=idempotency_key or None)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_base", object_id=row.id,
                 detail=t.AUDIT_BASE.format(value=value))
    return row.id


def enter_survey(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int,
                 survey_date: date | None, sample_size: int, yes_count: int, now: datetime | None = None,
                 idempotency_key: str | None = None) -> int:
    """A unit enters a survey for a survey target (sample size and how many knew)."""
    require(actor, Permission.LOG_ACTIVITIES)
    if (existing := saved_id(session, actor, CampaignSurvey, idempotency_key)) is not None:
        return existing
    now = now or now_utc()
    campaign, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.SURVEY)
    errors: dict[str, str] = {}
    date_in(campaign, survey_date, shanghai_today(now), "survey_date", errors)
    sample = count(sample_size, "sample_size", errors, positive=True)
    yes = count(yes_count, "yes_count", errors)
    if "sample_size" not in errors and "yes_count" not in errors and yes > sample:
        errors["yes_count"] = t.ERR_YES_OVER_SAMPLE
    if errors:
        raise InvalidInput(errors)
    row = CampaignSurvey(target_id=target.id, unit_id=unit_id, survey_date=survey_date, sample_size=sample,
                         yes_count=yes, entered_by=actor.username, created_at=now,
                         idempotency_key=idempotency_key or None)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_survey", object_id=row.id,
                 detail=t.AUDIT_SURVEY.format(yes=yes, sample=sample))
    return row.id


def complete_task(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int,
                  done_on: date | None, evidence_note: str, now: datetime | None = None,
                  idempotency_key: str | None = None) -> int:
    """A unit reports a deadline task done, with a note of its evidence (once)."""
    require(actor, Permission.LOG_ACTIVITIES)
    if (existing := saved_id(session, actor, CampaignTaskDone, idempotency_key)) is not None:
        return existing
    now = now or now_utc()
    campaign, target = _entry_target(session, actor, campaign_id, target_id, unit_id, TargetKind.TASK)
    errors: dict[str, str] = {}
    date_in(campaign, done_on, shanghai_today(now), "done_on", errors)
    note = text_value(evidence_note, "evidence_note", errors, TEXT_LIMIT, MIN_EVIDENCE)
    if session.execute(select(CampaignTaskDone.id).where(CampaignTaskDone.target_id == target.id,
                                                         CampaignTaskDone.unit_id == unit_id)).first():
        errors["target"] = t.ERR_TASK_DONE
    if errors:
        raise InvalidInput(errors)
    row = CampaignTaskDone(target_id=target.id, unit_id=unit_id, done_on=done_on, evidence_note=note,
                           entered_by=actor.username, created_at=now, idempotency_key=idempotency_key or None)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_task_done", object_id=row.id,
                 detail=t.AUDIT_TASK.format(done_on=done_on))
    return row.id
