"""劝阻 records: warning received → contact attempted → victim reached → outcome (each with its time), saved once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import Dissuasion
from services import audit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from services.strike.text import (
    DISSUASION_ORDER,
    DISSUASION_OUTCOME_ORDER,
    DISSUASION_OUTCOME_REQUIRED,
    DISSUASION_REACHED_NEEDS_ATTEMPT,
    DISSUASION_STOPPED_NEEDS_REACHED,
    DISSUASION_TIME_FUTURE,
    DISSUASION_UNREACHABLE_REACHED,
    STRIKE_UNIT_REQUIRED,
)
from vocabulary import AuditAction, DissuasionOutcome

FUTURE_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True)
class DissuasionDraft:
    """A 劝阻 as entered (aware UTC times)."""

    unit_id: int | None
    warning_at: datetime
    outcome: DissuasionOutcome | None
    attempted_at: datetime | None = None
    reached_at: datetime | None = None
    call_id: int | None = None
    case_id: int | None = None
    note: str = ""
    outcome_at: datetime | None = None  # when the outcome was known (may be left empty: no minutes for that stage)


def validate(draft: DissuasionDraft, now: datetime) -> None:
    """Refuse out-of-order or impossible stages, by field."""
    errors: dict[str, str] = {}
    if draft.unit_id is None:
        errors["unit_id"] = STRIKE_UNIT_REQUIRED
    if draft.outcome is None:
        errors["outcome"] = DISSUASION_OUTCOME_REQUIRED
    for name in ("warning_at", "attempted_at", "reached_at", "outcome_at"):
        moment = getattr(draft, name)
        if moment is not None and moment > now + FUTURE_TOLERANCE:
            errors[name] = DISSUASION_TIME_FUTURE
    if draft.reached_at is not None and draft.attempted_at is None:
        errors["reached_at"] = DISSUASION_REACHED_NEEDS_ATTEMPT
    stages = [m for m in (draft.warning_at, draft.attempted_at, draft.reached_at) if m is not None]
    if stages != sorted(stages):
        errors.setdefault("attempted_at", DISSUASION_ORDER)
    if draft.outcome_at is not None and draft.outcome_at < max(stages):
        errors.setdefault("outcome_at", DISSUASION_OUTCOME_ORDER)
    if draft.outcome is DissuasionOutcome.STOPPED and draft.reached_at is None:
        errors.setdefault("reached_at", DISSUASION_STOPPED_NEEDS_REACHED)
    if draft.outcome is DissuasionOutcome.UNREACHABLE and draft.reached_at is not None:
        errors.setdefault("reached_at", DISSUASION_UNREACHABLE_REACHED)
    if errors:
        raise InvalidInput(errors)


def existing(session: Session, key: str) -> int | None:
    """The 劝阻 already saved under a form's key, if any."""
    return session.execute(select(Dissuasion.id).where(Dissuasion.idempotency_key == key)).scalar()


def record_dissuasion(session: Session, actor: Actor, draft: DissuasionDraft, key: str) -> int:
    """Save a 劝阻 of a unit in scope; audited. Returns its id."""
    if not actor.can(Permission.LOG_CALLS):
        require(actor, Permission.EDIT_CASES)
    now = now_utc()
    validate(draft, now)
    scoped_unit(session, actor, draft.unit_id)
    row = Dissuasion(idempotency_key=key, unit_id=draft.unit_id, officer_id=actor.user_id, call_id=draft.call_id,
                     case_id=draft.case_id, warning_at=draft.warning_at, attempted_at=draft.attempted_at,
                     reached_at=draft.reached_at, outcome=DissuasionOutcome(draft.outcome).value,
                     outcome_at=draft.outcome_at,
                     note=draft.note.strip() or None, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="dissuasion", object_id=row.id,
                 detail=DissuasionOutcome(draft.outcome).label)
    return row.id
