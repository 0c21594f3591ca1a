"""记录阻截 from a desk call: prefilled from the call, only for a call that stopped a payment, once per call, linked."""

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import Interception, Unit
from services.access.actor import AccessDenied
from services.desk import api as desk_api
from services.desk.calls import CallDraft
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, to_shanghai
from services.strike import api
from services.strike.interceptions import InterceptionDraft
from vocabulary import CallOutcome, CallType, FraudType, InterceptionOutcome

CARD = "6222021234567890128"
OTHER = "6217001234567890"


def _call(engine, actor, unit_id, outcome=CallOutcome.DISSUADED, accounts=f"中国银行 {CARD}", pending="3.5万"):
    draft = CallDraft(idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=20),
                      call_type=CallType.CONSULT, outcome=outcome, jurisdiction_unit_id=unit_id, pending=pending,
                      accounts=accounts, fraud_type=FraudType.FAKE_AUTHORITY, narrative="对方自称公安，要求转账到安全账户")
    return desk_api.save(engine, actor, draft).call_id


def _draft(call, **changes) -> InterceptionDraft:
    """The desk form as prefilled from the call, with a branch typed."""
    values = dict(unit_id=call.unit_id, intercepted_at=to_shanghai(call.received_at).replace(tzinfo=None),
                  bank_name="中国银行", branch_name="武安支行", officer_name="柜员 王某",
                  amount=f"{call.pending_fen / 100:.2f}", fraud_type=call.fraud_type, payee_account="",
                  outcome=InterceptionOutcome.STOPPED, call_id=call.call_id,
                  payee_identifier_id=call.accounts[0][0] if call.accounts else None)
    return InterceptionDraft(**(values | changes))


def test_prefill_comes_from_the_call_with_accounts_masked(world):
    engine, actors, ids = world
    call_id = _call(engine, actors["desk"], ids["WA"])
    call = api.call_interception(engine, actors["desk"], call_id)
    assert call.stopped_payment and call.recorded == []
    assert (call.unit_id, call.fraud_type, call.pending_fen) == (ids["WA"], "fake_authority", 3_500_000)
    assert [(masked, bank) for _, masked, bank in call.accounts] == [("6222 **** **** 0128", "中国银行")]
    assert abs((call.received_at - (now_utc() - timedelta(minutes=20))).total_seconds()) < 60
    other = _call(engine, actors["desk"], ids["WA"], outcome=CallOutcome.LEAD_LOGGED)
    assert not api.call_interception(engine, actors["desk"], other).stopped_payment


def test_recorded_once_per_call_linked_and_seen_before_excludes_the_call_itself(world):
    engine, actors, ids = world
    _call(engine, actors["desk"], ids["YX"], outcome=CallOutcome.LEAD_LOGGED)  # the account reported once before
    call_id = _call(engine, actors["desk"], ids["WA"])
    call = api.call_interception(engine, actors["desk"], call_id)
    key = f"desk-intercept-{call_id}"
    first = api.add_interception(engine, actors["desk"], _draft(call), key)
    again = api.add_interception(engine, actors["desk"], _draft(call), key)  # a double click
    assert (again.interception_id, again.duplicate, first.duplicate) == (first.interception_id, True, False)
    assert (first.payee, first.payee_reports, first.payee_interceptions) == ("6222 **** **** 0128", 1, 0)
    with pytest.raises(InvalidInput) as refused:  # another form for the same call: already recorded
        api.add_interception(engine, actors["desk"], _draft(call), uuid.uuid4().hex)
    assert f"第 {first.interception_id} 号" in refused.value.errors["form"]
    with read_session(engine) as session:
        rows = session.execute(select(Interception)).scalars().all()
    assert [(r.call_id, r.amount_fen, r.unit_id, r.fraud_type, r.branch_name) for r in rows] == [
        (call_id, 3_500_000, ids["WA"], "fake_authority", "武安支行")]
    assert api.call_interception(engine, actors["desk"], call_id).recorded == [first.interception_id]
    today = desk_api.today(engine, actors["desk"])[2]
    assert {r.id: r.interceptions for r in today} == {r.id: (first.interception_id,) if r.id == call_id else ()
                                                      for r in today}


def test_a_typed_account_overrides_and_a_foreign_account_is_refused(world):
    engine, actors, ids = world
    call_id = _call(engine, actors["desk"], ids["WA"])
    other_call = _call(engine, actors["desk"], ids["WA"], accounts=f"建设银行 {OTHER}")
    call = api.call_interception(engine, actors["desk"], call_id)
    foreign = api.call_interception(engine, actors["desk"], other_call).accounts[0][0]
    with pytest.raises(InvalidInput) as refused:
        api.add_interception(engine, actors["desk"], _draft(call, payee_identifier_id=foreign), uuid.uuid4().hex)
    assert set(refused.value.errors) == {"payee_account"}
    saved = api.add_interception(engine, actors["desk"], _draft(call, payee_account=OTHER), uuid.uuid4().hex)
    assert saved.payee == "6217 **** **** 7890" and saved.payee_reports == 1  # reported by the other call


def test_refused_for_a_call_that_did_not_stop_a_payment_bad_input_or_out_of_scope(world):
    engine, actors, ids = world
    lead = _call(engine, actors["desk"], ids["WA"], outcome=CallOutcome.LEAD_LOGGED)
    call = api.call_interception(engine, actors["desk"], lead)
    with pytest.raises(InvalidInput) as refused:
        api.add_interception(engine, actors["desk"], _draft(call), uuid.uuid4().hex)
    assert set(refused.value.errors) == {"form"}
    stopped = api.call_interception(engine, actors["desk"], _call(engine, actors["desk"], ids["WA"]))
    with pytest.raises(InvalidInput) as refused:
        api.add_interception(engine, actors["desk"], _draft(stopped, amount="abc", branch_name=""), uuid.uuid4().hex)
    assert set(refused.value.errors) == {"amount", "branch_name"}
    far = _call(engine, actors["desk"], ids["XC"])
    with read_session(engine) as session:
        unit = session.get(Unit, ids["WA"])
        wuan_desk = replace(actors["desk"], unit_id=unit.id, unit_path=unit.path, unit_name=unit.name)
    with pytest.raises(AccessDenied):  # a desk officer of 武安 does not see a 西桥 call
        api.call_interception(engine, wuan_desk, far)
    with pytest.raises(AccessDenied):
        api.add_interception(engine, wuan_desk, _draft(stopped, call_id=far), uuid.uuid4().hex)
    with pytest.raises(AccessDenied):  # a clerk may not log desk calls
        api.add_interception(engine, actors["clerk"], _draft(stopped), uuid.uuid4().hex)
    with read_session(engine) as session:
        assert session.execute(select(Interception.id)).all() == []
