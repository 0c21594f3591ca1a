"""打击挽损 writes: 立即止付 from a call exactly once, freeze and return by another user, case solving, 劝阻."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, CaseRevision, FraudCase, RecoveryEvent, RecoveryRequest
from services.access.actor import AccessDenied
from services.desk import api as desk_api
from services.desk.calls import CallDraft
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today, to_shanghai
from services.strike import api
from services.strike.dissuasion import DissuasionDraft
from vocabulary import CallOutcome, CallType, DissuasionOutcome, RecoveryStatus, SolvedHow

CARD = "6222021234567890128"


def _call(engine, actor, ids, lost="5万", accounts=f"中国工商银行 {CARD}", outcome=CallOutcome.TO_CASE):
    draft = CallDraft(idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=10),
                      call_type=CallType.REPORT, outcome=outcome, jurisdiction_unit_id=ids["WA"], lost=lost,
                      accounts=accounts, narrative="刷单被骗")
    return desk_api.save(engine, actor, draft)


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_stop_from_call_is_saved_once_and_freeze_and_return_by_another_user(world):
    engine, actors, ids = world
    call = _call(engine, actors["desk"], ids)
    key = uuid.uuid4().hex
    first = api.stop_from_call(engine, actors["desk"], call.call_id, key)
    again = api.stop_from_call(engine, actors["desk"], call.call_id, key)
    assert again.request_id == first.request_id and again.duplicate and not first.duplicate
    assert _count(engine, RecoveryRequest) == 1
    with read_session(engine) as session:
        request = session.get(RecoveryRequest, first.request_id)
        assert (request.requested_fen, request.unit_id, request.bank_name) == (5_000_000, ids["WA"], "中国工商银行")
        assert request.case_id == call.case_id and request.status == "requested"
    # A second press with a new key names the account already requested.
    with pytest.raises(InvalidInput) as refused:
        api.stop_from_call(engine, actors["desk"], call.call_id, uuid.uuid4().hex)
    assert "已申请止付" in refused.value.errors["account"] and "6222 **** **** 0128" in refused.value.errors["account"]
    # The 长泰 leader records the freeze, then the return; the same form twice records once.
    at = now_utc().replace(tzinfo=None) + timedelta(hours=8)  # Beijing wall time, as a form gives it
    freeze_key = uuid.uuid4().hex
    api.record_step(engine, actors["changtai"], first.request_id, RecoveryStatus.FROZEN, at, "4万", freeze_key)
    assert api.record_step(engine, actors["changtai"], first.request_id, RecoveryStatus.FROZEN, at, "4万",
                           freeze_key).duplicate
    with pytest.raises(InvalidInput) as over:
        api.record_step(engine, actors["changtai"], first.request_id, RecoveryStatus.RETURNED, at, "4.1万",
                        uuid.uuid4().hex)
    assert "不能大于冻结金额" in over.value.errors["amount"]
    api.record_step(engine, actors["changtai"], first.request_id, RecoveryStatus.RETURNED, at, "3万", uuid.uuid4().hex)
    with read_session(engine) as session:
        request = session.get(RecoveryRequest, first.request_id)
        assert (request.frozen_fen, request.returned_fen, request.status) == (4_000_000, 3_000_000, "returned")
        assert request.stopped_at == request.frozen_at and request.returned_on == shanghai_today()
        assert request.updated_by == actors["changtai"].user_id
        events = session.execute(select(RecoveryEvent.step, RecoveryEvent.username)).all()
        assert events == [("frozen", "changtai"), ("returned", "changtai")]
        audits = session.execute(select(AuditLog.action).where(AuditLog.object_type == "recovery_request")).all()
        assert [a for (a,) in audits] == ["create", "update", "update"]


def test_no_request_without_an_account_or_a_loss_or_out_of_scope(world):
    engine, actors, ids = world
    no_account = _call(engine, actors["desk"], ids, accounts="")
    with pytest.raises(InvalidInput) as refused:
        api.stop_from_call(engine, actors["desk"], no_account.call_id, uuid.uuid4().hex)
    assert "未登记银行账户" in refused.value.errors["account"]
    no_loss = _call(engine, actors["desk"], ids, lost="", outcome=CallOutcome.LEAD_LOGGED)
    with pytest.raises(InvalidInput) as refused:
        api.stop_from_call(engine, actors["desk"], no_loss.call_id, uuid.uuid4().hex)
    assert "未登记损失金额" in refused.value.errors["account"]
    call = _call(engine, actors["desk"], ids)
    request = api.stop_from_call(engine, actors["desk"], call.call_id, uuid.uuid4().hex)
    with pytest.raises(AccessDenied):
        api.record_step(engine, actors["clerk_xc"], request.request_id, RecoveryStatus.FROZEN, now_utc(), "1万",
                        uuid.uuid4().hex)
    with pytest.raises(InvalidInput) as early:
        api.record_step(engine, actors["clerk"], request.request_id, RecoveryStatus.RETURNED, now_utc(), "1万",
                        uuid.uuid4().hex)
    assert "尚未冻结" in early.value.errors["amount"]
    with pytest.raises(InvalidInput) as before:
        api.record_step(engine, actors["clerk"], request.request_id, RecoveryStatus.STOPPED,
                        now_utc() - timedelta(days=1), "1万", uuid.uuid4().hex)
    assert "早于报案" in before.value.errors["at"]
    assert _count(engine, RecoveryEvent) == 0


def test_request_on_a_case_links_the_account(world):
    engine, actors, ids = world
    call = _call(engine, actors["desk"], ids)
    saved = api.request_on_case(engine, actors["clerk"], call.case_id, "建设银行 6217 0000 0000 0000 3", "2万",
                                uuid.uuid4().hex)
    with read_session(engine) as session:
        request = session.get(RecoveryRequest, saved.request_id)
        assert (request.desk_call_id, request.requested_fen, request.bank_name) == (None, 2_000_000, "建设银行")
    with pytest.raises(InvalidInput) as bad:
        api.request_on_case(engine, actors["clerk"], call.case_id, "abc", "-1", uuid.uuid4().hex)
    assert set(bad.value.errors) == {"account", "amount"}


def test_solving_a_case_is_kept_as_revisions(world):
    engine, actors, ids = world
    call = _call(engine, actors["desk"], ids)
    today = shanghai_today()
    assert api.solve(engine, actors["clerk"], call.case_id, today, SolvedHow.ASSISTED, "协查抓获") == (
        "solved_on", "solved_how", "status")
    assert api.solve(engine, actors["clerk"], call.case_id, today, SolvedHow.ASSISTED) == ()
    with read_session(engine) as session:
        case = session.get(FraudCase, call.case_id)
        assert (case.solved_on, case.solved_how, case.status) == (today, "assisted", "solved")
        revisions = session.execute(select(CaseRevision.field, CaseRevision.new_value, CaseRevision.reason)
                                    .where(CaseRevision.case_id == case.id)).all()
    assert set(revisions) == {("solved_on", today.isoformat(), "协查抓获"), ("solved_how", "assisted", "协查抓获"),
                              ("status", "solved", "协查抓获")}
    with pytest.raises(InvalidInput) as future:
        api.solve(engine, actors["clerk"], call.case_id, today + timedelta(days=1), SolvedHow.LOCAL)
    assert "solved_on" in future.value.errors
    with pytest.raises(InvalidInput):
        api.solve(engine, actors["clerk"], call.case_id, date(2000, 1, 1), SolvedHow.LOCAL)
    with pytest.raises(AccessDenied):
        api.solve(engine, actors["desk"], call.case_id, today, SolvedHow.LOCAL)  # the desk does not edit cases


def test_dissuasion_stages_in_order_and_once(world):
    engine, actors, ids = world
    warning = datetime.now(UTC) - timedelta(minutes=30)
    draft = DissuasionDraft(ids["WA"], warning, DissuasionOutcome.STOPPED, warning + timedelta(minutes=2),
                            warning + timedelta(minutes=9))
    key = uuid.uuid4().hex
    first, duplicate = api.add_dissuasion(engine, actors["desk"], draft, key)
    assert api.add_dissuasion(engine, actors["desk"], draft, key) == (first, True) and not duplicate
    with pytest.raises(InvalidInput) as refused:
        api.add_dissuasion(engine, actors["desk"], DissuasionDraft(
            ids["WA"], warning, DissuasionOutcome.STOPPED, warning - timedelta(minutes=1)), uuid.uuid4().hex)
    assert set(refused.value.errors) >= {"attempted_at", "reached_at"}
    with pytest.raises(InvalidInput):
        api.add_dissuasion(engine, actors["desk"], DissuasionDraft(
            ids["WA"], warning, DissuasionOutcome.UNREACHABLE, warning, warning + timedelta(minutes=1)),
            uuid.uuid4().hex)
    from services.shared.timeutil import reporting_span
    day = to_shanghai(warning).date()  # half an hour ago: yesterday in the first half hour after Beijing midnight
    rows = api.board(engine, actors["leader"], ids["WA"], reporting_span("today", day)).dissuasions
    assert [(r.outcome_label, r.minutes) for r in rows] == [  # no outcome time: its stage and the total stay empty
        ("已劝阻", {"to_attempt": Decimal("2.0"), "to_reach": Decimal("7.0"), "to_outcome": None, "total": None})]
    with pytest.raises(InvalidInput) as refused:  # the outcome cannot come before the victim was reached
        api.add_dissuasion(engine, actors["desk"], replace(draft, outcome_at=warning + timedelta(minutes=8)),
                           uuid.uuid4().hex)
    assert set(refused.value.errors) == {"outcome_at"}
    with pytest.raises(InvalidInput) as refused:
        api.add_dissuasion(engine, actors["desk"], replace(draft, outcome_at=datetime.now(UTC) + timedelta(hours=1)),
                           uuid.uuid4().hex)
    assert set(refused.value.errors) == {"outcome_at"}
