"""Bank-counter 阻截 entered on 打击挽损 or from a desk call that stopped a payment: bank and branch, time, officer or
teller, amount protected, payee; once per form."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import DeskCall, Identifier, IdentifierLink, Interception
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_bank_account
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.desk.amounts import parse_amount_fen
from services.desk.identifier_store import _identifier_id  # the desk's own upsert: one identifier per account
from services.desk.identifiers import normalise
from services.shared.errors import InvalidInput
from services.shared.money import format_yuan
from services.shared.timeutil import now_utc
from services.strike.ledger import call_accounts, unit_in_scope
from services.strike.text import (
    INTERCEPTION_ACCOUNT_INVALID,
    INTERCEPTION_AMOUNT_REQUIRED,
    INTERCEPTION_BRANCH_REQUIRED,
    INTERCEPTION_CALL_ACCOUNT,
    INTERCEPTION_CALL_ALREADY,
    INTERCEPTION_CALL_NOT_STOPPED,
    INTERCEPTION_OUTCOME_REQUIRED,
    INTERCEPTION_TEXT_TOO_LONG,
    LEDGER_CALL_NOT_FOUND,
    LEDGER_TIME_FUTURE,
    STRIKE_UNIT_REQUIRED,
)
from vocabulary import AuditAction, CallOutcome, FraudType, IdentifierKind, InterceptionOutcome

FUTURE_TOLERANCE = timedelta(minutes=2)
LIMITS = {"bank_name": 64, "branch_name": 100, "officer_name": 64}


@dataclass(frozen=True)
class InterceptionDraft:
    """A 阻截 as entered (aware UTC time; amount as typed, in 元; payee account as typed, may be empty)."""

    unit_id: int | None
    intercepted_at: datetime
    bank_name: str
    branch_name: str
    officer_name: str
    amount: str
    fraud_type: FraudType | str | None
    payee_account: str
    outcome: InterceptionOutcome | str | None
    note: str = ""
    call_id: int | None = None  # entered from the desk: the call that stopped the payment
    payee_identifier_id: int | None = None  # from the desk: one of the call's accounts (payee_account left empty)


@dataclass(frozen=True)
class InterceptionSaved:
    """The row a form wrote (or had written: duplicate) and what was known of its payee account before."""

    interception_id: int
    duplicate: bool = False
    payee: str = ""  # masked
    payee_reports: int = 0  # reports of the account before this one (calls and cases; not the desk call itself)
    payee_interceptions: int = 0  # earlier interceptions to the same account


def existing(session: Session, key: str) -> InterceptionSaved | None:
    """The 阻截 already saved under a form's key, if any."""
    found = session.execute(select(Interception.id).where(Interception.idempotency_key == key)).scalar()
    return InterceptionSaved(found, True) if found is not None else None


def _checked(draft: InterceptionDraft, now: datetime) -> tuple[int, str | None]:
    """The amount in fen and the payee's digits; every refusal by field."""
    errors: dict[str, str] = {}
    if draft.unit_id is None:
        errors["unit_id"] = STRIKE_UNIT_REQUIRED
    if not draft.branch_name.strip():
        errors["branch_name"] = INTERCEPTION_BRANCH_REQUIRED
    for name, limit in LIMITS.items():
        if len(getattr(draft, name).strip()) > limit:
            errors[name] = INTERCEPTION_TEXT_TOO_LONG.format(limit=limit)
    if draft.intercepted_at > now + FUTURE_TOLERANCE:
        errors["intercepted_at"] = LEDGER_TIME_FUTURE
    fen = parse_amount_fen(draft.amount.strip()) if draft.amount.strip() else None
    if fen is None or fen <= 0:
        errors["amount"] = INTERCEPTION_AMOUNT_REQUIRED
    payee = None
    if draft.payee_account.strip():
        payee = normalise(IdentifierKind.BANK_ACCOUNT, draft.payee_account)
        if payee is None:
            errors["payee_account"] = INTERCEPTION_ACCOUNT_INVALID
    if draft.outcome is None or draft.outcome not in set(InterceptionOutcome):
        errors["outcome"] = INTERCEPTION_OUTCOME_REQUIRED
    if errors:
        raise InvalidInput(errors)
    return fen or 0, payee


def recorded_for_call(session: Session, call_id: int) -> list[int]:
    """The 阻截 already recorded from a desk call."""
    return list(session.execute(select(Interception.id).where(Interception.call_id == call_id)
                                .order_by(Interception.id)).scalars())


def _desk_call(session: Session, actor: Actor, call_id: int) -> DeskCall:
    """A saved call of the actor's desk or jurisdiction scope; any other is refused as not found."""
    call = session.get(DeskCall, call_id)
    if call is None or not (unit_in_scope(session, actor, call.desk_unit_id)
                            or unit_in_scope(session, actor, call.jurisdiction_unit_id)):
        raise AccessDenied(LEDGER_CALL_NOT_FOUND)
    return call


@dataclass(frozen=True)
class CallInterception:
    """What the desk's 记录阻截 form is prefilled with, from a saved call."""

    call_id: int
    stopped_payment: bool  # the call's outcome is 劝阻成功: only then may a 阻截 be recorded from it
    unit_id: int | None  # the call's jurisdiction (else the desk's unit)
    received_at: datetime
    fraud_type: str | None
    pending_fen: int  # the amount the caller was about to transfer: what stopping it protected
    accounts: list[tuple[int, str, str]]  # (identifier id, masked account, bank) the call named
    recorded: list[int]  # 阻截 already recorded from the call


def call_interception(session: Session, actor: Actor, call_id: int) -> CallInterception:
    """A saved call as the desk's 记录阻截 form starts from (accounts masked)."""
    require(actor, Permission.VIEW_CALLS)
    call = _desk_call(session, actor, call_id)
    accounts = [(i, mask_bank_account(digits) or "", bank or "") for i, digits, bank in call_accounts(session, call_id)]
    return CallInterception(call.id, call.outcome == CallOutcome.DISSUADED.value,
                            call.jurisdiction_unit_id or call.desk_unit_id, call.received_at, call.fraud_type,
                            call.pending_fen, accounts, recorded_for_call(session, call.id))


def _from_call(session: Session, actor: Actor, draft: InterceptionDraft) -> InterceptionDraft:
    """A desk draft checked against its call (stopped a payment, nothing recorded yet), its picked account resolved."""
    require(actor, Permission.LOG_CALLS)
    call = _desk_call(session, actor, draft.call_id)
    if call.outcome != CallOutcome.DISSUADED.value:
        raise InvalidInput({"form": INTERCEPTION_CALL_NOT_STOPPED})
    if made := recorded_for_call(session, call.id):
        raise InvalidInput({"form": INTERCEPTION_CALL_ALREADY.format(id=made[0])})
    if draft.payee_identifier_id is None or draft.payee_account.strip():
        return draft
    accounts = {i: digits for i, digits, _ in call_accounts(session, call.id)}
    if draft.payee_identifier_id not in accounts:
        raise InvalidInput({"payee_account": INTERCEPTION_CALL_ACCOUNT})
    return replace(draft, payee_account=accounts[draft.payee_identifier_id])


def _reports_before(session: Session, payee_id: int, call_id: int | None) -> int:
    """Reports of an account before this 阻截: the desk call it came from is not one of them."""
    reports = int(session.get(Identifier, payee_id).report_count or 0)
    if call_id is None:
        return reports
    linked = session.execute(select(func.count()).select_from(IdentifierLink).where(
        IdentifierLink.identifier_id == payee_id, IdentifierLink.call_id == call_id)).scalar()
    return max(reports - (1 if linked else 0), 0)


def record_interception(session: Session, actor: Actor, draft: InterceptionDraft, key: str) -> InterceptionSaved:
    """Save a 阻截 of a unit in scope, its payee account kept as an identifier (seen-before applies); audited.

    With a call_id it is the desk's 记录阻截: the call must be in scope and have stopped a payment, once per call.
    """
    if draft.call_id is not None:
        draft = _from_call(session, actor, draft)
    elif not actor.can(Permission.LOG_CALLS):
        require(actor, Permission.EDIT_CASES)
    now = now_utc()
    fen, payee = _checked(draft, now)
    scoped_unit(session, actor, draft.unit_id)
    payee_id = reports = earlier = None
    bank = draft.bank_name.strip() or None
    if payee is not None:
        payee_id = _identifier_id(session, IdentifierKind.BANK_ACCOUNT.value, payee, bank, draft.intercepted_at)
        reports = _reports_before(session, payee_id, draft.call_id)
        earlier = session.execute(select(func.count()).select_from(Interception)
                                  .where(Interception.payee_identifier_id == payee_id)).scalar()
    row = Interception(
        unit_id=draft.unit_id, intercepted_at=draft.intercepted_at, branch_name=draft.branch_name.strip(),
        amount_fen=fen, fraud_type=FraudType(draft.fraud_type).value if draft.fraud_type else None,
        payee_identifier_id=payee_id, note=draft.note.strip() or None, created_at=now, bank_name=bank,
        officer_name=draft.officer_name.strip() or None, outcome=InterceptionOutcome(draft.outcome).value,
        call_id=draft.call_id, idempotency_key=key)
    session.add(row)
    session.flush()
    masked = mask_bank_account(payee) if payee else ""
    source = f" 来电 {draft.call_id}" if draft.call_id is not None else ""
    audit.record(session, AuditAction.CREATE, actor, object_type="interception", object_id=row.id,
                 detail=f"阻截 {format_yuan(fen)} 元 {draft.branch_name.strip()} {masked}{source}".strip())
    return InterceptionSaved(row.id, False, masked or "", int(reports or 0), int(earlier or 0))
