"""Case writes: create and edit cases, keep every change of loss, type, unit or status as a revision."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session

from db.models import CaseRevision, FraudCase, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.access.text import NOT_FOUND_OR_OUT_OF_SCOPE, UNIT_REQUIRED
from services.accountability import triggers
from services.audit.text import CLI_USERNAME
from services.cases.text import (
    CASE_AMOUNT_NEGATIVE,
    CASE_AMOUNT_TOO_LARGE,
    CASE_CHANGED_MEANWHILE,
    CASE_FIELD_LABELS,
    CASE_NO_REQUIRED,
    CASE_NO_TAKEN,
    CASE_NO_TOO_LONG,
    CASE_OCCURRED_AFTER_REPORT,
    CASE_REASON_REQUIRED,
    CASE_RECOVERED_OVER_LOSS,
    CASE_REPORTED_IN_FUTURE,
)
from services.desk.amounts import parse_amount_fen
from services.desk.text import AMOUNT_INVALID
from services.shared.errors import InvalidInput
from services.shared.timeutil import SHANGHAI, now_utc
from vocabulary import AuditAction, CaseSource, CaseStatus, FraudType

MIN_REASON_LENGTH = 4
MAX_LOSS_FEN = 100_000_000_000  # 10亿元: a larger single-case loss is a typing error, not a case
# Fields whose every change is kept as a revision, in the order the history lists them.
REVISED_FIELDS = ("loss_fen", "fraud_type", "unit_id", "status", "recovered_fen", "frozen_fen")


@dataclass(frozen=True)
class CaseChanges:
    """What an edit form submits: the new values and, when needed, why."""

    fraud_type: FraudType
    status: CaseStatus
    unit_id: int
    loss_fen: int
    recovered_fen: int
    frozen_fen: int
    reason: str = ""
    # The case's updated_at when the form was opened: a save over someone else's change is refused.
    seen_updated_at: datetime | None = None


@dataclass(frozen=True)
class SaveResult:
    """What a save changed: the field names (empty when nothing differed)."""

    case_id: int
    changed: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaseForm:
    """An edit form as typed: amounts are text in 元 (“12.5万” and “125,000” both work)."""

    fraud_type: FraudType
    status: CaseStatus
    unit_id: int
    loss: str
    recovered: str
    frozen: str
    reason: str = ""
    seen_updated_at: datetime | None = None


def _amount(raw: str, name: str, errors: dict[str, str]) -> int:
    text = raw.strip()
    if not text:
        return 0
    fen = None if text.startswith("-") else parse_amount_fen(text)
    if fen is None or fen < 0:
        errors[name] = CASE_AMOUNT_NEGATIVE if text.startswith("-") else AMOUNT_INVALID
        return 0
    return fen


def changes_from_form(form: CaseForm) -> CaseChanges:
    """The typed changes of an edit form; amount fields that do not parse are refused by field."""
    errors: dict[str, str] = {}
    amounts = {name: _amount(getattr(form, name), f"{name}_fen", errors) for name in ("loss", "recovered", "frozen")}
    if errors:
        raise InvalidInput(errors)
    return CaseChanges(form.fraud_type, form.status, form.unit_id, amounts["loss"], amounts["recovered"],
                       amounts["frozen"], form.reason, form.seen_updated_at)


def reason_needed(old: FraudCase, changes: CaseChanges) -> bool:
    """Lowering a loss or changing the fraud type must be explained."""
    return changes.loss_fen < old.loss_fen or changes.fraud_type.value != old.fraud_type


def _validate_amounts(values: dict[str, int], errors: dict[str, str]) -> None:
    for name, amount in values.items():
        if amount < 0:
            errors[name] = CASE_AMOUNT_NEGATIVE
        elif amount > MAX_LOSS_FEN:
            errors[name] = CASE_AMOUNT_TOO_LARGE
    if not errors and values.get("recovered_fen", 0) > values.get("loss_fen", 0):
        errors["recovered_fen"] = CASE_RECOVERED_OVER_LOSS


def _validate_changes(case: FraudCase, changes: CaseChanges) -> dict[str, str]:
    errors: dict[str, str] = {}
    _validate_amounts({"loss_fen": changes.loss_fen, "recovered_fen": changes.recovered_fen,
                       "frozen_fen": changes.frozen_fen}, errors)
    if reason_needed(case, changes) and len(changes.reason.strip()) < MIN_REASON_LENGTH:
        errors["reason"] = CASE_REASON_REQUIRED
    return errors


def _revision_value(name: str, value: object) -> str:
    return str(value)


def _record_revisions(session: Session, case: FraudCase, before: dict, actor: Actor | None, reason: str | None,
                      source: CaseSource, now: datetime) -> tuple[str, ...]:
    changed = tuple(name for name in REVISED_FIELDS if before[name] != getattr(case, name))
    key = uuid.uuid4().hex
    for name in changed:
        session.add(CaseRevision(
            case_id=case.id, change_key=key, at=now, user_id=actor.user_id if actor else None,
            username=actor.username if actor else CLI_USERNAME, field=name,
            old_value=_revision_value(name, before[name]), new_value=_revision_value(name, getattr(case, name)),
            reason=reason or None, source=source.value,
        ))
    return changed


def _scoped_case_for_update(session: Session, actor: Actor, case_id: int) -> FraudCase:
    case = session.get(FraudCase, case_id)
    unit = session.get(Unit, case.unit_id) if case else None
    if case is None or unit is None or not unit.path.startswith(actor.unit_path):
        raise AccessDenied(NOT_FOUND_OR_OUT_OF_SCOPE)
    return case


def apply_changes(session: Session, case: FraudCase, values: dict, *, actor: Actor | None, reason: str | None,
                  source: CaseSource, now: datetime) -> tuple[str, ...]:
    """Set new values on a case, keep revisions of the tracked fields and raise or flag accountability."""
    before = {name: getattr(case, name) for name in REVISED_FIELDS}
    for name, value in values.items():
        setattr(case, name, value)
    if not any(before[name] != getattr(case, name) for name in REVISED_FIELDS) and not session.is_modified(case):
        return ()
    case.updated_at = now
    session.flush()
    changed = _record_revisions(session, case, before, actor, reason, source, now)
    if changed:
        triggers.on_case_saved(session, case, before["loss_fen"], actor, now)
    return changed


def update_case(session: Session, actor: Actor, case_id: int, changes: CaseChanges) -> SaveResult:
    """Edit a case in the actor's scope: validated, revisions kept, audited, in the caller's transaction."""
    require(actor, Permission.EDIT_CASES)
    case = _scoped_case_for_update(session, actor, case_id)
    if changes.seen_updated_at is not None and case.updated_at != changes.seen_updated_at:
        raise InvalidInput({"form": CASE_CHANGED_MEANWHILE})
    errors = _validate_changes(case, changes)
    if errors:
        raise InvalidInput(errors)
    if changes.unit_id != case.unit_id:
        scoped_unit(session, actor, changes.unit_id)
    values = {"fraud_type": changes.fraud_type.value, "status": changes.status.value, "unit_id": changes.unit_id,
              "loss_fen": changes.loss_fen, "recovered_fen": changes.recovered_fen, "frozen_fen": changes.frozen_fen}
    now = now_utc()
    changed = apply_changes(session, case, values, actor=actor, reason=changes.reason.strip(),
                            source=CaseSource.MANUAL, now=now)
    if changed:
        audit.record(session, AuditAction.UPDATE, actor, object_type="fraud_case", object_id=case.id,
                     detail="，".join(CASE_FIELD_LABELS[name] for name in changed))
    return SaveResult(case.id, changed)


@dataclass(frozen=True)
class NewCase:
    """A case typed in by hand."""

    case_no: str
    unit_id: int
    reported_at: datetime
    fraud_type: FraudType
    loss_fen: int
    recovered_fen: int = 0
    frozen_fen: int = 0
    status: CaseStatus = CaseStatus.REGISTERED
    occurred_at: datetime | None = None
    address: str | None = None
    summary: str | None = None


def normalise_case_no(raw: str) -> str:
    """Case numbers are compared trimmed and upper-case."""
    return raw.strip().upper()


def _validate_new(session: Session, new: NewCase, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    case_no = normalise_case_no(new.case_no)
    if not case_no:
        errors["case_no"] = CASE_NO_REQUIRED
    elif len(case_no) > 40:
        errors["case_no"] = CASE_NO_TOO_LONG
    elif session.execute(select(FraudCase.id).where(FraudCase.case_no == case_no)).first():
        errors["case_no"] = CASE_NO_TAKEN.format(case_no=case_no)
    if new.reported_at > now:
        errors["reported_at"] = CASE_REPORTED_IN_FUTURE
    if new.occurred_at is not None and new.occurred_at > new.reported_at:
        errors["occurred_at"] = CASE_OCCURRED_AFTER_REPORT
    _validate_amounts({"loss_fen": new.loss_fen, "recovered_fen": new.recovered_fen, "frozen_fen": new.frozen_fen},
                      errors)
    return errors


def insert_case(session: Session, values: dict, actor: Actor | None, now: datetime) -> FraudCase:
    """Insert one case row and raise its accountability item when its loss reaches a threshold."""
    case = FraudCase(**values, created_at=now, updated_at=now)
    session.add(case)
    session.flush()
    triggers.on_case_saved(session, case, None, actor, now)
    return case


def create_case(session: Session, actor: Actor, new: NewCase) -> SaveResult:
    """Register a case by hand in the actor's scope; audited, accountability raised, in the caller's transaction."""
    require(actor, Permission.EDIT_CASES)
    scoped_unit(session, actor, new.unit_id)
    now = now_utc()
    errors = _validate_new(session, new, now)
    if errors:
        raise InvalidInput(errors)
    case = insert_case(session, {
        "case_no": normalise_case_no(new.case_no), "unit_id": new.unit_id, "reported_at": new.reported_at,
        "occurred_at": new.occurred_at, "fraud_type": new.fraud_type.value, "status": new.status.value,
        "loss_fen": new.loss_fen, "recovered_fen": new.recovered_fen, "frozen_fen": new.frozen_fen,
        "address": (new.address or "").strip() or None, "summary": (new.summary or "").strip() or None,
        "source": CaseSource.MANUAL.value,
    }, actor, now)
    audit.record(session, AuditAction.CREATE, actor, object_type="fraud_case", object_id=case.id, detail=case.case_no)
    return SaveResult(case.id, ("created",))


def new_case_from_input(*, case_no: str, unit_id: int | None, reported_local: datetime, fraud_type: FraudType,
                        loss: str, address: str = "", summary: str = "") -> NewCase:
    """A new case from what a form typed: Beijing wall time, amount text in 元; bad fields refused by name."""
    errors: dict[str, str] = {}
    loss_fen = _amount(loss, "loss_fen", errors)
    if unit_id is None:
        errors["unit_id"] = UNIT_REQUIRED
    if not case_no.strip():
        errors["case_no"] = CASE_NO_REQUIRED
    if errors:
        raise InvalidInput(errors)
    reported_at = reported_local.replace(tzinfo=SHANGHAI).astimezone(UTC)
    return NewCase(case_no=case_no, unit_id=unit_id, reported_at=reported_at, fraud_type=fraud_type,
                   loss_fen=loss_fen, address=address, summary=summary)
