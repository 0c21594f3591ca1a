"""督导检查: a leader records a visit to a campaign unit (findings, photos, fix-by date), exactly once per form; the
leader or the inspected unit's own clerk marks the finding fixed with a note; the list by unit and state."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from db.models import Campaign, CampaignInspection, CampaignUnit, InspectionPhoto, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import free_text_for
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import text as t
from services.campaigns.entries import load_campaign, participant
from services.campaigns.photos import Upload, check_photos
from services.campaigns.validate import TEXT_LIMIT, text_value
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import AuditAction, InspectionState

INSPECTOR_LIMIT = 64
MIN_FINDINGS, MIN_FIX_NOTE = 4, 4
KEY_LIMIT = 64


@dataclass(frozen=True)
class InspectionDraft:
    """A visit as the leader records it; the key is the form's, so a second click finds the first save."""

    campaign_id: int
    unit_id: int
    visited_on: date | None
    inspector: str
    findings: str
    fix_by: date | None
    idempotency_key: str


@dataclass(frozen=True)
class Saved:
    """The inspection a form saved, and whether it had been saved already (a double click, a resent form)."""

    inspection_id: int
    duplicate: bool
    photos: int


def _by_key(session: Session, key: str) -> Saved | None:
    row = session.execute(select(CampaignInspection.id).where(CampaignInspection.idempotency_key == key)).scalar()
    if row is None:
        return None
    photos = len(session.execute(select(InspectionPhoto.id).where(InspectionPhoto.inspection_id == row)).all())
    return Saved(row, True, photos)


def find_saved(session: Session, actor: Actor, key: str) -> Saved | None:
    """The inspection already saved under a form's key (keys are namespaced by user, so no one finds another's)."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    return _by_key(session, key)


def _check_visit(campaign: Campaign, draft: InspectionDraft, today: date, errors: dict[str, str]) -> tuple[str, str]:
    if draft.visited_on is None or not campaign.start_date <= draft.visited_on <= today:
        errors["visited_on"] = t.ERR_VISITED
    elif draft.fix_by is not None and draft.fix_by < draft.visited_on:
        errors["fix_by"] = t.ERR_FIX_BY
    inspector = (draft.inspector or "").strip()
    if not inspector:
        errors["inspector"] = t.ERR_INSPECTOR_REQUIRED
    elif len(inspector) > INSPECTOR_LIMIT:
        errors["inspector"] = t.ERR_TEXT_TOO_LONG.format(limit=INSPECTOR_LIMIT)
    findings = text_value(draft.findings, "findings", errors, TEXT_LIMIT, MIN_FINDINGS) or ""
    return inspector, findings


def record_inspection(session: Session, actor: Actor, draft: InspectionDraft, photos: list[Upload] | None = None,
                      now: datetime | None = None) -> Saved:
    """A leader records a visit to a unit of the campaign in scope, with photos: all of it once, or nothing."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    key = (draft.idempotency_key or "").strip()
    if not key or len(key) > KEY_LIMIT:
        raise InvalidInput({"form": t.ERR_INSPECTION_FORM})
    if (saved := _by_key(session, key)) is not None:
        return saved
    now = now or now_utc()
    campaign = load_campaign(session, actor, draft.campaign_id)
    _, unit = participant(session, actor, campaign.id, draft.unit_id)
    errors: dict[str, str] = {}
    inspector, findings = _check_visit(campaign, draft, shanghai_today(now), errors)
    checked = check_photos(photos or [], errors)
    if errors:
        raise InvalidInput(errors)
    row = CampaignInspection(campaign_id=campaign.id, unit_id=unit.id, visited_on=draft.visited_on,
                             inspector=inspector, findings=findings, fix_by=draft.fix_by, created_by=actor.username,
                             created_at=now, idempotency_key=key)
    session.add(row)
    session.flush()
    for photo in checked:
        session.add(InspectionPhoto(inspection_id=row.id, filename=photo.filename, content_type=photo.content_type,
                                    size=len(photo.content), content=photo.content, thumbnail=photo.thumbnail,
                                    uploaded_by=actor.username, at=now))
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_inspection", object_id=row.id,
                 detail=t.AUDIT_INSPECTION.format(date=draft.visited_on, unit=unit.name, photos=len(checked)))
    return Saved(row.id, False, len(checked))


def may_mark_fixed(actor: Actor, unit_id: int) -> bool:
    """A leader (who manages campaigns) in scope, or the inspected unit's own clerk."""
    return actor.can(Permission.MANAGE_CAMPAIGNS) or (actor.can(Permission.LOG_ACTIVITIES) and actor.unit_id == unit_id)


def _scoped(session: Session, actor: Actor, inspection_id: int, for_update: bool = False) -> CampaignInspection:
    statement = (select(CampaignInspection).join(Unit, Unit.id == CampaignInspection.unit_id)
                 .where(CampaignInspection.id == inspection_id, Unit.path.startswith(actor.unit_path)))
    row = session.execute(statement.with_for_update(of=CampaignInspection) if for_update else statement).scalar()
    if row is None:
        raise AccessDenied(t.ERR_INSPECTION)
    load_campaign(session, actor, row.campaign_id)
    return row


def mark_fixed(session: Session, actor: Actor, inspection_id: int, fixed_on: date | None, note: str,
               now: datetime | None = None) -> int:
    """The finding is fixed: its date and what was done. A second mark is refused (the first one stands)."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    row = _scoped(session, actor, inspection_id, for_update=True)
    if not may_mark_fixed(actor, row.unit_id):
        raise AccessDenied(t.ERR_FIX_NOT_ALLOWED)
    if row.fixed_on is not None:
        raise InvalidInput({"form": t.ERR_ALREADY_FIXED})
    now = now or now_utc()
    errors: dict[str, str] = {}
    if fixed_on is None or not row.visited_on <= fixed_on <= shanghai_today(now):
        errors["fixed_on"] = t.ERR_FIXED_ON
    text = text_value(note, "fix_note", errors, TEXT_LIMIT, MIN_FIX_NOTE)
    if errors:
        raise InvalidInput(errors)
    row.fixed_on, row.fix_note = fixed_on, text
    session.flush()
    audit.record(session, AuditAction.UPDATE, actor, object_type="campaign_inspection", object_id=row.id,
                 detail=t.AUDIT_INSPECTION_FIXED.format(id=row.id, fixed_on=fixed_on))
    return row.id


def state_of(fix_by: date | None, fixed_on: date | None, today: date) -> InspectionState:
    """Fixed once a fix date is recorded; overdue from the day after the fix-by date (Beijing); otherwise open."""
    if fixed_on is not None:
        return InspectionState.FIXED
    if fix_by is not None and today > fix_by:
        return InspectionState.OVERDUE
    return InspectionState.OPEN


@dataclass(frozen=True)
class InspectionRow:
    """One inspection as the list shows it, with its photos' thumbnails and whether the reader may mark it fixed."""

    id: int
    unit_id: int
    unit_name: str
    visited_on: date
    inspector: str
    findings: str
    fix_by: date | None
    fixed_on: date | None
    fix_note: str | None
    state: InspectionState
    days_overdue: int
    thumbnails: list[bytes]
    may_mark: bool


@dataclass(frozen=True)
class InspectionList:
    """The campaign's inspections in scope (filtered) and the counts by state (of the unit filter only)."""

    rows: list[InspectionRow]
    counts: dict[InspectionState, int]
    units: list[tuple[int, str]]  # the campaign's units in scope, for the pickers
    start_date: date  # the campaign's period: visits are recorded from its first day
    end_date: date

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _units(session: Session, actor: Actor, campaign_id: int) -> list[tuple[int, str]]:
    return [(u, n) for u, n in session.execute(
        select(Unit.id, Unit.name).join(CampaignUnit, CampaignUnit.unit_id == Unit.id)
        .where(CampaignUnit.campaign_id == campaign_id, Unit.path.startswith(actor.unit_path))
        .order_by(CampaignUnit.partner, Unit.level, Unit.sort_order, Unit.id)).all()]


def list_inspections(session: Session, actor: Actor, campaign_id: int, today: date, unit_id: int | None = None,
                     state: InspectionState | None = None) -> InspectionList:
    """Inspections of the campaign's units in scope, newest visit first, overdue ones counted in days."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    units = _units(session, actor, campaign.id)
    if unit_id is not None and unit_id not in dict(units):
        raise InvalidInput({"unit": t.ERR_UNIT_NOT_PARTICIPATING})
    statement = (select(CampaignInspection, Unit.name).join(Unit, Unit.id == CampaignInspection.unit_id)
                 .where(CampaignInspection.campaign_id == campaign.id, Unit.path.startswith(actor.unit_path))
                 .order_by(CampaignInspection.visited_on.desc(), CampaignInspection.id.desc()))
    if unit_id is not None:
        statement = statement.where(CampaignInspection.unit_id == unit_id)
    found = session.execute(statement).all()
    thumbs: dict[int, list[bytes]] = {}
    for inspection_id, thumb in session.execute(
            select(InspectionPhoto.inspection_id, InspectionPhoto.thumbnail)
            .where(InspectionPhoto.inspection_id.in_([r.id for r, _ in found])).order_by(InspectionPhoto.id)):
        if thumb:
            thumbs.setdefault(inspection_id, []).append(thumb)
    counts = {s: 0 for s in InspectionState}
    rows = []
    unmask = actor.can(Permission.UNMASK)
    for row, name in found:
        current = state_of(row.fix_by, row.fixed_on, today)
        counts[current] += 1
        if state is not None and current is not state:
            continue
        late = (today - row.fix_by).days if current is InspectionState.OVERDUE else 0
        rows.append(InspectionRow(row.id, row.unit_id, name, row.visited_on, row.inspector,
                                  free_text_for(unmask, row.findings), row.fix_by, row.fixed_on,
                                  free_text_for(unmask, row.fix_note), current, late, thumbs.get(row.id, []),
                                  current is not InspectionState.FIXED and may_mark_fixed(actor, row.unit_id)))
    return InspectionList(rows, counts, units, campaign.start_date, campaign.end_date)
