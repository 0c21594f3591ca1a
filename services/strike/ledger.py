"""The 止付/冻结/返还 ledger: requests from a desk call or a case, then stop, freeze and return, each exactly once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import DeskCall, FraudCase, Identifier, IdentifierLink, RecoveryEvent, RecoveryRequest, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_bank_account
from services.access.permissions import Permission
from services.access.scope import require
from services.desk.amounts import parse_amount_fen
from services.desk.identifier_store import link_identifiers
from services.desk.identifiers import normalise
from services.shared.errors import InvalidInput
from services.shared.money import format_yuan
from services.shared.timeutil import now_utc, shanghai_today
from services.strike.text import (
    LEDGER_ACCOUNT_INVALID,
    LEDGER_ALREADY_REQUESTED,
    LEDGER_AMOUNT_OVER_REQUESTED,
    LEDGER_AMOUNT_REQUIRED,
    LEDGER_AMOUNT_REQUIRED_STEP,
    LEDGER_CALL_NOT_FOUND,
    LEDGER_NO_ACCOUNT,
    LEDGER_NO_LOSS,
    LEDGER_NOT_FOUND,
    LEDGER_RETURN_BEFORE_FREEZE,
    LEDGER_RETURN_OVER_FROZEN,
    LEDGER_STEP_CLOSED,
    LEDGER_TIME_BEFORE_REPORT,
    LEDGER_TIME_FUTURE,
    SOLVED_CASE_NOT_FOUND,
)
from vocabulary import AuditAction, IdentifierKind, RecoveryStatus

FUTURE_TOLERANCE = timedelta(minutes=2)
# Which steps may follow which status (a step may be recorded again to correct its time or amount).
ALLOWED_FROM = {
    RecoveryStatus.STOPPED: {RecoveryStatus.REQUESTED, RecoveryStatus.STOPPED},
    RecoveryStatus.FROZEN: {RecoveryStatus.REQUESTED, RecoveryStatus.STOPPED, RecoveryStatus.FROZEN},
    RecoveryStatus.RETURNED: {RecoveryStatus.FROZEN, RecoveryStatus.RETURNED},
    RecoveryStatus.FAILED: {RecoveryStatus.REQUESTED},
}


@dataclass(frozen=True)
class LedgerSaved:
    """The ledger row a form wrote (or had already written: duplicate)."""

    request_id: int
    duplicate: bool = False


def existing_request(session: Session, key: str) -> LedgerSaved | None:
    """The request already saved under a form's key, if any."""
    found = session.execute(select(RecoveryRequest.id).where(RecoveryRequest.idempotency_key == key)).scalar()
    return LedgerSaved(found, True) if found is not None else None


def existing_event(session: Session, key: str) -> LedgerSaved | None:
    """The step already recorded under a form's key, if any."""
    found = session.execute(select(RecoveryEvent.request_id).where(RecoveryEvent.idempotency_key == key)).scalar()
    return LedgerSaved(found, True) if found is not None else None


def unit_in_scope(session: Session, actor: Actor, unit_id: int | None) -> bool:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit is not None and unit.path.startswith(actor.unit_path)


def call_accounts(session: Session, call_id: int) -> list[tuple[int, str, str | None]]:
    """The bank accounts a call named: (identifier id, digits, bank)."""
    rows = session.execute(
        select(Identifier.id, Identifier.value_norm, Identifier.bank_name)
        .join(IdentifierLink, IdentifierLink.identifier_id == Identifier.id)
        .where(IdentifierLink.call_id == call_id, Identifier.kind == IdentifierKind.BANK_ACCOUNT.value)
        .order_by(IdentifierLink.id)
    ).all()
    return list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))


def _requested_accounts(session: Session, call_id: int) -> dict[int, int]:
    rows = session.execute(select(RecoveryRequest.identifier_id, RecoveryRequest.id)
                           .where(RecoveryRequest.desk_call_id == call_id)).all()
    return {identifier_id: request_id for identifier_id, request_id in rows}


def request_from_call(session: Session, actor: Actor, call_id: int, key: str,
                      identifier_id: int | None = None) -> LedgerSaved:
    """立即止付: a request on an account a saved call named, for the call's loss; refused without account or loss."""
    require(actor, Permission.LOG_CALLS)
    call = session.get(DeskCall, call_id)
    if call is None or not (unit_in_scope(session, actor, call.desk_unit_id)
                            or unit_in_scope(session, actor, call.jurisdiction_unit_id)):
        raise AccessDenied(LEDGER_CALL_NOT_FOUND)
    accounts = call_accounts(session, call_id)
    if not accounts:
        raise InvalidInput({"account": LEDGER_NO_ACCOUNT})
    if call.lost_fen <= 0:
        raise InvalidInput({"account": LEDGER_NO_LOSS})
    requested = _requested_accounts(session, call_id)
    chosen = next((a for a in accounts if a[0] == identifier_id), None) if identifier_id is not None else \
        next((a for a in accounts if a[0] not in requested), accounts[0])
    if chosen is None:
        raise InvalidInput({"account": LEDGER_NO_ACCOUNT})
    if chosen[0] in requested:
        raise InvalidInput({"account": LEDGER_ALREADY_REQUESTED.format(account=mask_bank_account(chosen[1]),
                                                                       id=requested[chosen[0]])})
    now = now_utc()
    request = RecoveryRequest(
        idempotency_key=key, case_id=call.case_id, desk_call_id=call.id,
        unit_id=call.jurisdiction_unit_id or call.desk_unit_id, identifier_id=chosen[0], bank_name=chosen[2],
        fraud_type=call.fraud_type, reported_at=call.received_at, requested_at=now, requested_fen=call.lost_fen,
        status=RecoveryStatus.REQUESTED.value, officer_id=actor.user_id, created_at=now, updated_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="recovery_request", object_id=request.id,
                 detail=f"来电 {call.id} 立即止付 {mask_bank_account(chosen[1])}")
    return LedgerSaved(request.id)


def _account(raw: str) -> tuple[str | None, str]:
    """'中国工商银行 6222 0212 3456 7890 123' → (bank, digits); refused when no account number is found."""
    text = raw.strip()
    cut = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text))
    value = normalise(IdentifierKind.BANK_ACCOUNT, text[cut:])
    if value is None:
        raise InvalidInput({"account": LEDGER_ACCOUNT_INVALID})
    return text[:cut].strip() or None, value


def request_from_case(session: Session, actor: Actor, case_id: int, account: str, amount: str,
                      key: str) -> LedgerSaved:
    """A request entered on a case: the account (linked to the case as an identifier) and the amount to stop."""
    require(actor, Permission.EDIT_CASES)
    case = session.get(FraudCase, case_id)
    if case is None or not unit_in_scope(session, actor, case.unit_id):
        raise AccessDenied(SOLVED_CASE_NOT_FOUND)
    errors: dict[str, str] = {}
    bank = value = None
    try:
        bank, value = _account(account)
    except InvalidInput as exc:
        errors |= exc.errors
    fen = parse_amount_fen(amount.strip()) if amount.strip() else None
    if fen is None or fen <= 0:
        errors["amount"] = LEDGER_AMOUNT_REQUIRED
    if errors:
        raise InvalidInput(errors)
    now = now_utc()
    [identifier_id] = link_identifiers(session, [(IdentifierKind.BANK_ACCOUNT.value, value, bank)], call_id=None,
                                       case_id=case.id, seen_at=now)
    request = RecoveryRequest(
        idempotency_key=key, case_id=case.id, unit_id=case.unit_id, identifier_id=identifier_id, bank_name=bank,
        fraud_type=case.fraud_type, reported_at=case.reported_at, requested_at=now, requested_fen=fen,
        status=RecoveryStatus.REQUESTED.value, officer_id=actor.user_id, created_at=now, updated_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="recovery_request", object_id=request.id,
                 detail=f"案件 {case.case_no} 申请止付 {mask_bank_account(value)}")
    return LedgerSaved(request.id)


def _may_record(actor: Actor) -> None:
    if not (actor.can(Permission.EDIT_CASES) or actor.can(Permission.LOG_CALLS)):
        require(actor, Permission.EDIT_CASES)


def _step_errors(request: RecoveryRequest, step: RecoveryStatus, at: datetime, fen: int | None,
                 now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if RecoveryStatus(request.status) not in ALLOWED_FROM[step]:
        if step is RecoveryStatus.RETURNED and request.status in (RecoveryStatus.REQUESTED, RecoveryStatus.STOPPED):
            return {"amount": LEDGER_RETURN_BEFORE_FREEZE}
        return {"form": LEDGER_STEP_CLOSED.format(status=RecoveryStatus(request.status).label)}
    if at > now + FUTURE_TOLERANCE:
        errors["at"] = LEDGER_TIME_FUTURE
    elif at < request.reported_at:
        errors["at"] = LEDGER_TIME_BEFORE_REPORT
    if step is RecoveryStatus.FAILED:
        return errors
    if fen is None or fen <= 0:
        errors["amount"] = LEDGER_AMOUNT_REQUIRED_STEP
    elif step is RecoveryStatus.RETURNED and fen > request.frozen_fen:
        errors["amount"] = LEDGER_RETURN_OVER_FROZEN.format(limit=format_yuan(request.frozen_fen))
    elif fen > request.requested_fen:
        errors["amount"] = LEDGER_AMOUNT_OVER_REQUESTED.format(limit=format_yuan(request.requested_fen))
    return errors


def _apply(request: RecoveryRequest, step: RecoveryStatus, at: datetime, fen: int) -> None:
    if step is RecoveryStatus.STOPPED:
        request.stopped_at, request.stopped_fen = at, fen
    elif step is RecoveryStatus.FROZEN:
        request.frozen_at, request.frozen_fen = at, fen
        if request.stopped_at is None:  # funds frozen straight away were stopped then too
            request.stopped_at, request.stopped_fen = at, fen
        request.returned_fen = min(request.returned_fen, fen)
    elif step is RecoveryStatus.RETURNED:
        request.returned_on, request.returned_fen = shanghai_today(at), fen
    request.status = step.value


def record_step(session: Session, actor: Actor, request_id: int, step: RecoveryStatus, at: datetime, amount: str,
                key: str) -> LedgerSaved:
    """Record 止付, 冻结, 返还 (amount to date) or 资金已转出 on a request in scope; kept as an event; audited."""
    _may_record(actor)
    request = session.get(RecoveryRequest, request_id)
    if request is None or not unit_in_scope(session, actor, request.unit_id):
        raise AccessDenied(LEDGER_NOT_FOUND)
    step = RecoveryStatus(step)
    fen = parse_amount_fen(amount.strip()) if amount.strip() else None
    now = now_utc()
    errors = _step_errors(request, step, at, fen, now)
    if errors:
        raise InvalidInput(errors)
    fen = fen or 0
    _apply(request, step, at, fen)
    request.updated_at, request.updated_by = now, actor.user_id
    session.add(RecoveryEvent(idempotency_key=key, request_id=request.id, step=step.value, at=at, amount_fen=fen,
                              user_id=actor.user_id, username=actor.username, created_at=now))
    session.flush()
    audit.record(session, AuditAction.UPDATE, actor, object_type="recovery_request", object_id=request.id,
                 detail=f"{step.label} {format_yuan(fen)} 元")
    return LedgerSaved(request.id)
