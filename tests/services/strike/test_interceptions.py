"""阻截 entry: refused by field, saved exactly once, payee account kept as an identifier, counted in 挽损."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AuditLog, Identifier, Interception
from services.access.actor import AccessDenied
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, reporting_span, to_shanghai
from services.strike import api
from services.strike.interceptions import InterceptionDraft
from vocabulary import FraudType, IdentifierKind, InterceptionOutcome

ACCOUNT = "6217 0012 3456 7890"


def _draft(unit_id: int, **changes) -> InterceptionDraft:
    moment = to_shanghai(now_utc() - timedelta(minutes=30)).replace(tzinfo=None)  # Beijing wall time, as typed
    values = dict(unit_id=unit_id, intercepted_at=moment, bank_name="中国建设银行", branch_name="武安支行",
                  officer_name="柜员 林某", amount="5万", fraud_type=FraudType.FAKE_AUTHORITY, payee_account=ACCOUNT,
                  outcome=InterceptionOutcome.STOPPED)
    return InterceptionDraft(**(values | changes))


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_refusals_name_each_field_and_nothing_is_saved(world):
    engine, actors, ids = world
    bad = _draft(None, branch_name=" ", amount="0", payee_account="12ab", outcome=None,
                 intercepted_at=datetime.now() + timedelta(days=2))
    with pytest.raises(InvalidInput) as refused:
        api.add_interception(engine, actors["clerk"], bad, "k0")
    assert set(refused.value.errors) == {"unit_id", "branch_name", "amount", "payee_account", "outcome",
                                         "intercepted_at"}
    assert _count(engine, Interception) == 0


def test_saved_once_per_key_with_its_payee_and_counted_in_saved_money(world):
    engine, actors, ids = world
    with write_session(engine) as session:  # the account was reported before, from the desk
        session.add(Identifier(kind=IdentifierKind.BANK_ACCOUNT.value, value_norm="6217001234567890",
                               first_seen_at=now_utc(), last_seen_at=now_utc(), report_count=2))
    first = api.add_interception(engine, actors["clerk"], _draft(ids["WA"]), "k1")
    again = api.add_interception(engine, actors["clerk"], _draft(ids["WA"]), "k1")
    assert (again.interception_id, again.duplicate, first.duplicate) == (first.interception_id, True, False)
    assert (first.payee, first.payee_reports, first.payee_interceptions) == ("6217 **** **** 7890", 2, 0)
    second = api.add_interception(engine, actors["clerk"], _draft(ids["WA"], amount="1,000.50",
                                                                  outcome=InterceptionOutcome.FAILED), "k2")
    assert second.payee_interceptions == 1
    with read_session(engine) as session:
        row = session.get(Interception, first.interception_id)
        identifiers = session.execute(select(func.count()).select_from(Identifier)).scalar()
        audited = session.execute(select(func.count()).select_from(AuditLog)
                                  .where(AuditLog.object_type == "interception")).scalar()
    assert (row.amount_fen, row.bank_name, row.branch_name, row.officer_name, row.outcome, row.fraud_type) == (
        5_000_000, "中国建设银行", "武安支行", "柜员 林某", "stopped", "fake_authority")
    assert abs((row.intercepted_at - (now_utc() - timedelta(minutes=30))).total_seconds()) < 120  # Beijing → UTC
    assert identifiers == 1 and audited == 2
    day = to_shanghai(row.intercepted_at).date()  # half an hour ago: yesterday in the first half hour after midnight
    figures, saved = api.recovery(engine, actors["changtai"], None, reporting_span("today", day))
    assert (saved.total.protected_fen, saved.total.interceptions) == (5_000_000, 1)  # 未能阻截 is not counted
    assert [(s.name, s.protected_fen) for s in saved.by_branch] == [("武安支行", 5_000_000)]


def test_a_unit_outside_scope_is_refused(world):
    engine, actors, ids = world
    with pytest.raises(AccessDenied):
        api.add_interception(engine, actors["clerk"], _draft(ids["XC"]), "k3")
    assert _count(engine, Interception) == 0
