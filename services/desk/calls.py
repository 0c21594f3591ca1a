"""The 110 expert desk: validate and save a call exactly once, convert it to a case, count the shift."""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.engine import read_session, write_session
from db.models import AppUser, DeskCall, FraudCase, Interception, Unit
from services import audit
from services.access.actor import Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.accountability import triggers
from services.desk.amounts import parse_amount_fen
from services.desk.identifier_store import link_identifiers
from services.desk.identifiers import bank_card_luhn_ok, normalise, phone_problem
from services.desk.text import (
    DESK_NO_JURISDICTION,
    V_ACCOUNT,
    V_ACCOUNT_LUHN,
    V_AGE,
    V_AMOUNT_FORMAT,
    V_AMOUNT_HUGE,
    V_AMOUNT_NEGATIVE,
    V_CALL_TYPE_REQUIRED,
    V_FUTURE_TIME,
    V_PHONE,
    V_QQ,
    V_STORY_OR_OUTCOME,
    V_TO_CASE_NEEDS_JURISDICTION,
    V_TOO_LONG,
    V_TOO_OLD,
    V_URL,
    V_WECHAT,
)
from services.shared.errors import InvalidInput
from services.shared.timeutil import SHANGHAI, now_utc, today_period
from vocabulary import AuditAction, CallOutcome, CallType, CaseSource, FraudType, IdentifierKind

MAX_NARRATIVE = 4000
MAX_LINE = 200
HUGE_AMOUNT_FEN = 100_000_000 * 100  # 1亿元
MAX_BACKDATE = timedelta(days=7)
FUTURE_TOLERANCE = timedelta(minutes=2)


@dataclass
class CallDraft:
    """What the officer entered, as typed (validated by `validate`)."""

    idempotency_key: str
    received_at: datetime
    call_type: CallType | None
    outcome: CallOutcome | None
    caller_phone: str = ""
    caller_gender: str | None = None
    caller_age: int | None = None
    caller_occupation: str | None = None
    caller_education: str | None = None
    caller_reached: bool | None = None
    jurisdiction_unit_id: int | None = None
    fraud_type: FraudType | None = None
    narrative: str = ""
    lost: str = ""
    pending: str = ""
    phones: str = ""
    accounts: str = ""
    urls: str = ""
    apps: str = ""
    qq: str = ""
    wechat: str = ""
    follow_up: bool = False
    confirm_large: bool = False


@dataclass
class CleanCall:
    """A validated call: normalised values, amounts in fen, identifiers as (kind, value, bank)."""

    draft: CallDraft
    caller_phone: str | None
    lost_fen: int
    pending_fen: int
    identifiers: list[tuple[str, str, str | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _amount(raw: str, errors: dict, name: str) -> int:
    raw = raw.strip()
    if not raw:
        return 0
    if raw.lstrip().startswith("-"):
        errors[name] = V_AMOUNT_NEGATIVE
        return 0
    fen = parse_amount_fen(raw)  # a bare number counts as 元
    if fen is None:
        errors[name] = V_AMOUNT_FORMAT
        return 0
    if fen < 0:
        errors[name] = V_AMOUNT_NEGATIVE
    return fen


def _account(line: str) -> tuple[str | None, str | None]:
    """'中国工商银行 6222 0212 3456 7890 123' → (bank, digits)."""
    match = re.match(r"^\s*([^\d]*?)\s*([\d\s-]{8,})\s*$", line)
    if not match:
        return None, None
    return match.group(1).strip() or None, normalise(IdentifierKind.BANK_ACCOUNT, match.group(2))


def _identifiers(draft: CallDraft, errors: dict, warnings: list[str]) -> list[tuple[str, str, str | None]]:
    found: list[tuple[str, str, str | None]] = []
    for raw in _lines(draft.phones):
        value = normalise(IdentifierKind.PHONE, raw)
        if value is None:
            errors["phones"] = V_PHONE.format(reason=f"{raw}（{phone_problem(raw) or '格式不对'}）")
        else:
            found.append((IdentifierKind.PHONE.value, value, None))
    for raw in _lines(draft.accounts):
        bank, value = _account(raw)
        if value is None:
            errors["accounts"] = V_ACCOUNT.format(value=raw)
            continue
        if not bank_card_luhn_ok(value):
            warnings.append(V_ACCOUNT_LUHN.format(value=value))
        found.append((IdentifierKind.BANK_ACCOUNT.value, value, bank))
    simple = ((IdentifierKind.URL, draft.urls, "urls", V_URL), (IdentifierKind.APP, draft.apps, "apps", V_URL),
              (IdentifierKind.QQ, draft.qq, "qq", V_QQ), (IdentifierKind.WECHAT, draft.wechat, "wechat", V_WECHAT))
    for kind, text, name, message in simple:
        for raw in _lines(text):
            if len(raw) > MAX_LINE:
                errors[name] = V_TOO_LONG.format(limit=MAX_LINE)
                continue
            value = normalise(kind, raw)
            if value is None:
                errors[name] = message.format(value=raw)
            else:
                found.append((kind.value, value, None))
    return list(dict.fromkeys(found))


def entered_identifiers(draft: CallDraft) -> list[tuple[str, str]]:
    """The valid identifiers typed so far, ignoring the rest (for 已有记录 while still on the phone)."""
    return [(kind, value) for kind, value, _ in _identifiers(draft, {}, [])]


def validate(draft: CallDraft, now: datetime | None = None) -> CleanCall:
    """Check everything; raise InvalidInput (field → Chinese message) when anything is wrong."""
    now, errors, warnings = now or now_utc(), {}, []
    if draft.received_at > now + FUTURE_TOLERANCE:
        errors["received_at"] = V_FUTURE_TIME
    elif draft.received_at < now - MAX_BACKDATE:
        errors["received_at"] = V_TOO_OLD
    caller = None
    if draft.caller_phone.strip():
        caller = normalise(IdentifierKind.PHONE, draft.caller_phone)
        if caller is None:
            errors["caller_phone"] = V_PHONE.format(reason=phone_problem(draft.caller_phone) or "格式不对")
    if draft.caller_age is not None and not 0 <= draft.caller_age <= 120:
        errors["caller_age"] = V_AGE
    if len(draft.narrative) > MAX_NARRATIVE:
        errors["narrative"] = V_TOO_LONG.format(limit=MAX_NARRATIVE)
    lost, pending = _amount(draft.lost, errors, "lost"), _amount(draft.pending, errors, "pending")
    for name, fen in (("lost", lost), ("pending", pending)):
        if fen >= HUGE_AMOUNT_FEN and not draft.confirm_large and name not in errors:
            errors[name] = V_AMOUNT_HUGE
    # A caller's number alone is not a call log: its type, and what was said or what came of it.
    if draft.call_type is None:
        errors["call_type"] = V_CALL_TYPE_REQUIRED
    if draft.outcome is None and not draft.narrative.strip():
        errors["narrative"] = errors["outcome"] = V_STORY_OR_OUTCOME
    if draft.outcome is CallOutcome.TO_CASE and draft.jurisdiction_unit_id is None:
        errors["jurisdiction_unit_id"] = V_TO_CASE_NEEDS_JURISDICTION
    identifiers = _identifiers(draft, errors, warnings)
    if errors:
        raise InvalidInput(errors)
    if draft.outcome is None:  # a story without a chosen outcome is logged as a lead, as before
        draft = replace(draft, outcome=CallOutcome.LEAD_LOGGED)
    return CleanCall(draft, caller, lost, pending, identifiers, warnings)


@dataclass(frozen=True)
class SubmitResult:
    """The saved call (and case); duplicate when the same form had already been saved."""

    call_id: int
    case_id: int | None
    case_no: str | None
    duplicate: bool
    warnings: tuple[str, ...] = ()


def _existing(session: Session, key: str) -> SubmitResult | None:
    row = session.execute(
        select(DeskCall.id, DeskCall.case_id, FraudCase.case_no)
        .outerjoin(FraudCase, FraudCase.id == DeskCall.case_id).where(DeskCall.idempotency_key == key)
    ).first()
    return SubmitResult(row[0], row[1], row[2], duplicate=True) if row else None


def find_saved(engine: Engine, idempotency_key: str) -> SubmitResult | None:
    """The call already saved under a form's key, if any."""
    with read_session(engine) as session:
        return _existing(session, idempotency_key)


def _case_from_call(session: Session, call: DeskCall, clean: CleanCall) -> FraudCase:
    local = call.received_at.astimezone(SHANGHAI)
    new_case = FraudCase(
        case_no=f"ZX{local:%Y%m%d}{call.id:08d}", unit_id=call.jurisdiction_unit_id, reported_at=call.received_at,
        fraud_type=(clean.draft.fraud_type or FraudType.OTHER).value, loss_fen=clean.lost_fen,
        victim_gender=call.caller_gender, victim_age=call.caller_age, victim_occupation=call.caller_occupation,
        victim_education=call.caller_education, victim_reached_by_propaganda=call.caller_reached_by_propaganda,
        summary=call.narrative, source=CaseSource.CALL.value, created_at=call.created_at, updated_at=call.created_at,
    )
    session.add(new_case)
    session.flush()
    call.case_id = new_case.id
    return new_case


def _insert(session: Session, actor: Actor, clean: CleanCall) -> SubmitResult:
    draft, now = clean.draft, now_utc()
    if draft.jurisdiction_unit_id is not None:
        scoped_unit(session, actor, draft.jurisdiction_unit_id)
    call = DeskCall(
        idempotency_key=draft.idempotency_key, received_at=draft.received_at, officer_id=actor.user_id,
        desk_unit_id=actor.unit_id, jurisdiction_unit_id=draft.jurisdiction_unit_id, call_type=draft.call_type.value,
        caller_phone=clean.caller_phone, caller_gender=draft.caller_gender, caller_age=draft.caller_age,
        caller_occupation=draft.caller_occupation, caller_education=draft.caller_education,
        caller_reached_by_propaganda=draft.caller_reached, fraud_type=draft.fraud_type.value if draft.fraud_type else None,
        narrative=draft.narrative.strip() or None, lost_fen=clean.lost_fen, pending_fen=clean.pending_fen,
        outcome=draft.outcome.value, follow_up=draft.follow_up, created_at=now,
    )
    session.add(call)
    session.flush()
    case = _case_from_call(session, call, clean) if draft.outcome is CallOutcome.TO_CASE else None
    link_identifiers(session, clean.identifiers, call_id=call.id, case_id=case.id if case else None,
                     seen_at=draft.received_at)
    audit.record(session, AuditAction.CREATE, actor, object_type="desk_call", object_id=call.id,
                 detail=f"转立案 {case.case_no}" if case else None)
    if case is not None:
        triggers.on_case_saved(session, case, None, actor, now)
        audit.record(session, AuditAction.CREATE, actor, object_type="fraud_case", object_id=case.id,
                     detail=f"由来电 {call.id} 转立案")
    return SubmitResult(call.id, case.id if case else None, case.case_no if case else None, False,
                        tuple(clean.warnings))


def submit_call(engine: Engine, actor: Actor, clean: CleanCall) -> SubmitResult:
    """Save a validated call exactly once per idempotency key, in one write transaction."""
    require(actor, Permission.LOG_CALLS)
    with read_session(engine) as session:
        if (existing := _existing(session, clean.draft.idempotency_key)) is not None:
            return existing
    try:
        with write_session(engine) as session:
            return _insert(session, actor, clean)
    except IntegrityError:
        # Another request with the same key won the race: report the saved one.
        with read_session(engine) as session:
            existing = _existing(session, clean.draft.idempotency_key)
        if existing is None:
            raise
        return existing


@dataclass(frozen=True)
class Counters:
    """A shift's counts: calls, dissuasions, leads, cases."""

    calls: int = 0
    dissuaded: int = 0
    leads: int = 0
    cases: int = 0


def _counter_columns():
    def count_of(outcome: CallOutcome):
        return func.coalesce(func.sum(case((DeskCall.outcome == outcome.value, 1), else_=0)), 0)

    return (func.count(), count_of(CallOutcome.DISSUADED), count_of(CallOutcome.LEAD_LOGGED), count_of(CallOutcome.TO_CASE))


def today_counters(session: Session, actor: Actor, moment: datetime | None = None) -> tuple[Counters, list[tuple[str, Counters]]]:
    """Today's (Beijing) counters for the actor's desk and per officer."""
    require(actor, Permission.VIEW_CALLS)
    period = today_period(moment or now_utc())
    base = select(*_counter_columns()).where(
        DeskCall.received_at >= period.start, DeskCall.received_at < period.end,
        DeskCall.desk_unit_id.in_(select(Unit.id).where(Unit.path.startswith(actor.unit_path))),
    )
    total = Counters(*map(int, session.execute(base).one()))
    per_officer = session.execute(
        base.add_columns(func.coalesce(AppUser.display_name, "—")).outerjoin(AppUser, AppUser.id == DeskCall.officer_id)
        .group_by(AppUser.display_name).order_by(func.count().desc())
    ).all()
    return total, [(row[4], Counters(*map(int, row[:4]))) for row in per_officer]


@dataclass(frozen=True)
class CallRow:
    """A call in today's list, caller number masked."""

    id: int
    received_at: datetime
    call_type: str
    caller_phone: str | None
    jurisdiction: str
    fraud_type: str
    outcome: str
    lost_fen: int
    pending_fen: int
    case_id: int | None
    interceptions: tuple[int, ...] = ()  # 阻截 recorded from the call (记录阻截)


def _interceptions_of(session: Session, call_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """The 阻截 recorded from each of these calls, oldest first."""
    found: dict[int, tuple[int, ...]] = {}
    for call_id, interception_id in session.execute(
            select(Interception.call_id, Interception.id).where(Interception.call_id.in_(call_ids))
            .order_by(Interception.id)).all():
        found[call_id] = (*found.get(call_id, ()), interception_id)
    return found


def today_calls(session: Session, actor: Actor, moment: datetime | None = None, limit: int = 500) -> list[CallRow]:
    """Today's calls of the actor's scope, newest first, masked."""
    require(actor, Permission.VIEW_CALLS)
    period = today_period(moment or now_utc())
    scope = select(Unit.id).where(Unit.path.startswith(actor.unit_path))
    rows = session.execute(
        select(DeskCall, Unit.name).outerjoin(Unit, Unit.id == DeskCall.jurisdiction_unit_id)
        .where(DeskCall.received_at >= period.start, DeskCall.received_at < period.end,
               DeskCall.desk_unit_id.in_(scope) | DeskCall.jurisdiction_unit_id.in_(scope))
        .order_by(DeskCall.received_at.desc()).limit(limit)
    ).all()
    recorded = _interceptions_of(session, [c.id for c, _ in rows]) if rows else {}
    return [
        CallRow(c.id, c.received_at, CallType(CallType(c.call_type)).label, mask_phone(c.caller_phone),
                unit or DESK_NO_JURISDICTION, FraudType(FraudType(c.fraud_type)).label if c.fraud_type else "",
                CallOutcome(CallOutcome(c.outcome)).label, c.lost_fen, c.pending_fen, c.case_id,
                recorded.get(c.id, ()))
        for c, unit in rows
    ]

