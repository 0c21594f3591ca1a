"""Sources and results on an identifier: 银行/运营商/平台报送 and 封停, saved once per form key, listed per identifier.

Identifiers cross units (README, 跨单位线索): every desk user sees who reported a number and whether it was closed; the
note of a record made by another unit's user is not shown (like other units' losses).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.models import Identifier, IdentifierAction, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_free_text
from services.access.permissions import Permission
from services.access.text import ACCESS_DENIED
from services.desk.text import (
    V_ACTION_DATE,
    V_ACTION_DATE_FUTURE,
    V_ACTION_DATE_OLD,
    V_ACTION_IDENTIFIER,
    V_ACTION_INSTITUTION,
    V_ACTION_INSTITUTION_LONG,
    V_ACTION_KIND,
    V_ACTION_NOTE_LONG,
)
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from services.shared.unit_of_work import reading, writing
from vocabulary import AuditAction, IdentifierActionKind

MAX_INSTITUTION = 64
MAX_NOTE = 500
MIN_DAY = date(2000, 1, 1)
WRITE_PERMISSIONS = (Permission.LOG_CALLS, Permission.EDIT_CASES)
READ_PERMISSIONS = (Permission.VIEW_CALLS, Permission.EDIT_CASES)


@dataclass(frozen=True)
class ActionDraft:
    """A 报送 or 封停 as typed on the form."""

    identifier_id: int | None
    kind: str | None
    institution: str
    on_date: date | None
    note: str = ""


@dataclass(frozen=True)
class ActionRow:
    """One recorded 报送 or 封停 of an identifier."""

    id: int
    kind: str
    institution: str
    on_date: date
    note: str | None  # None when another unit recorded it
    unit_name: str


@dataclass(frozen=True)
class ActionSummary:
    """An identifier's sources (kind, institution, day; earliest first) and its 封停, if any (the earliest)."""

    sources: tuple[tuple[str, str, date], ...] = ()
    suspended_on: date | None = None
    suspended_by: str | None = None


def _require_any(actor: Actor, permissions: Iterable[Permission]) -> None:
    if not any(actor.can(p) for p in permissions):
        raise AccessDenied(ACCESS_DENIED)


def validate(draft: ActionDraft, today: date) -> dict:
    """The draft's clean values, or InvalidInput with a Chinese message per field."""
    errors: dict[str, str] = {}
    kind = IdentifierActionKind(draft.kind) if draft.kind in set(IdentifierActionKind) else None
    if kind is None:
        errors["kind"] = V_ACTION_KIND
    institution = " ".join((draft.institution or "").split())
    if not institution:
        errors["institution"] = V_ACTION_INSTITUTION
    elif len(institution) > MAX_INSTITUTION:
        errors["institution"] = V_ACTION_INSTITUTION_LONG.format(limit=MAX_INSTITUTION)
    if not isinstance(draft.on_date, date):
        errors["on_date"] = V_ACTION_DATE
    elif draft.on_date > today:
        errors["on_date"] = V_ACTION_DATE_FUTURE
    elif draft.on_date < MIN_DAY:
        errors["on_date"] = V_ACTION_DATE_OLD
    note = (draft.note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = V_ACTION_NOTE_LONG.format(limit=MAX_NOTE)
    if errors:
        raise InvalidInput(errors)
    return {"kind": kind.value, "institution": institution, "on_date": draft.on_date, "note": note or None}


def existing(session: Session, key: str) -> int | None:
    """The record already saved under a form's key, if any."""
    return session.execute(select(IdentifierAction.id).where(IdentifierAction.idempotency_key == key)).scalar()


def record_action(session: Session, actor: Actor, draft: ActionDraft, key: str) -> int:
    """Save a 报送 or 封停 on an existing identifier (desk or case editors only); audited. Returns its id."""
    _require_any(actor, WRITE_PERMISSIONS)
    values = validate(draft, shanghai_today())
    identifier = session.get(Identifier, draft.identifier_id) if draft.identifier_id is not None else None
    if identifier is None:
        raise InvalidInput({"identifier_id": V_ACTION_IDENTIFIER})
    row = IdentifierAction(idempotency_key=key, identifier_id=identifier.id, unit_id=actor.unit_id,
                           created_by=actor.user_id, created_at=now_utc(), **values)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="identifier_action", object_id=row.id,
                 detail=f"{IdentifierActionKind(values['kind']).label} {values['institution']} {values['on_date']}")
    return row.id


def list_actions(session: Session, actor: Actor, identifier_id: int) -> list[ActionRow]:
    """The 报送 and 封停 of an identifier, oldest first; notes of other units' records withheld, masked if need be."""
    _require_any(actor, READ_PERMISSIONS)
    mine = set(session.execute(select(Unit.id).where(Unit.path.startswith(actor.unit_path))).scalars())
    rows = session.execute(
        select(IdentifierAction, Unit.name).outerjoin(Unit, Unit.id == IdentifierAction.unit_id)
        .where(IdentifierAction.identifier_id == identifier_id)
        .order_by(IdentifierAction.on_date, IdentifierAction.id)
    ).all()
    unmask = actor.can(Permission.UNMASK)
    return [ActionRow(a.id, a.kind, a.institution, a.on_date,
                      (a.note if unmask else mask_free_text(a.note)) if a.unit_id in mine else None, name or "")
            for a, name in rows]


def summaries(session: Session, identifier_ids: Iterable[int]) -> dict[int, ActionSummary]:
    """Sources and 封停 of each identifier (no notes, nothing of any unit: safe to show across units)."""
    ids = list(set(identifier_ids))
    if not ids:
        return {}
    found: dict[int, list[IdentifierAction]] = {}
    for action in session.execute(
            select(IdentifierAction).where(IdentifierAction.identifier_id.in_(ids))
            .order_by(IdentifierAction.on_date, IdentifierAction.id)).scalars():
        found.setdefault(action.identifier_id, []).append(action)
    result = {}
    for identifier_id, actions in found.items():
        closed = [a for a in actions if a.kind == IdentifierActionKind.SUSPENDED]
        result[identifier_id] = ActionSummary(
            tuple((a.kind, a.institution, a.on_date) for a in actions if a.kind != IdentifierActionKind.SUSPENDED),
            closed[0].on_date if closed else None, closed[0].institution if closed else None)
    return result


# ---------------------------------------------------------------------------------------------- as pages use it

def add_action(engine: Engine, actor: Actor, draft: ActionDraft, key: str) -> tuple[int, bool]:
    """Record a 报送/封停 exactly once per key: (row id, duplicate)."""
    if (found := reading(engine, existing, key)) is not None:
        return found, True
    try:
        return writing(engine, record_action, actor, draft, key), False
    except IntegrityError:
        found = reading(engine, existing, key)
        if found is None:
            raise
        return found, True


def actions_of(engine: Engine, actor: Actor, identifier_id: int) -> list[ActionRow]:
    """The 报送 and 封停 of one identifier."""
    return reading(engine, list_actions, actor, identifier_id)
