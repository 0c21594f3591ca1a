"""Raising accountability items as cases are saved: thresholds, escalation, downward flags, atomicity."""

from datetime import timedelta
from decimal import Decimal

import pytest
from accountability_world import NOW, build_world
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AccountabilityRule, FraudCase
from services.access.actor import AccessDenied
from services.accountability import triggers
from services.accountability.rules import effective_rules, highest_reached
from services.accountability.workflow import resolve_flag, submit_explanation
from services.audit.text import CLI_USERNAME
from services.cases.write import CaseChanges, create_case, new_case_from_input
from services.shared.errors import InvalidInput
from services.shared.money import yuan_to_fen
from services.shared.timeutil import shanghai_today
from vocabulary import CaseStatus, FraudType, ItemAction, ItemStatus

DEFAULT_THRESHOLDS = {"l10w": 10_000_000, "l50w": 50_000_000, "l100w": 100_000_000}


@pytest.fixture
def world(engine):
    return build_world(engine)


@pytest.mark.parametrize(("loss_yuan", "level"), [
    ("0", None), ("99999.99", None), ("100000", "l10w"), ("100000.00", "l10w"), ("499999.99", "l10w"),
    ("500000", "l50w"), ("999999.99", "l50w"), ("1000000", "l100w"), ("25000000", "l100w"),
])
def test_boundary_amounts_raise_the_highest_level_reached(world, loss_yuan, level):
    case_id = world.add_case(loss_yuan=loss_yuan)
    item = world.item(case_id)
    if level is None:
        assert item is None
        return
    with read_session(world.engine) as session:
        rule = session.get(AccountabilityRule, item.rule_id)
    assert (item.level, rule.level, item.status) == (level, level, ItemStatus.PENDING.value)
    assert (item.required_action, item.responsible) == (rule.required_action, rule.responsible)
    assert item.due_date == shanghai_today(NOW) + timedelta(days=rule.deadline_days)
    assert item.unit_id == world.units["WA"] and not item.needs_review
    assert world.actions(item.id) == [ItemAction.RAISED.value]
    assert [a.action for a in world.audits(item.id)] == ["create"]


@given(st.integers(min_value=0, max_value=10**12))
def test_highest_reached_matches_plain_comparisons(loss_fen):
    rules = [AccountabilityRule(id=i, level=level, threshold_fen=fen, required_action="-", responsible="-",
                                deadline_days=7, effective_from=NOW.date(), created_at=NOW)
             for i, (level, fen) in enumerate(DEFAULT_THRESHOLDS.items())]
    expected = None
    for level, fen in DEFAULT_THRESHOLDS.items():  # ascending thresholds
        if loss_fen >= fen:
            expected = level
    reached = highest_reached(rules, loss_fen)
    assert (reached.level if reached else None) == expected


def test_due_date_counts_from_the_beijing_day_of_raising(world):
    # 16:30 UTC on the 27th is already 00:30 on the 28th in Beijing.
    late = NOW.replace(day=27, hour=16, minute=30)
    item = world.item(world.add_case(loss_yuan="200000", reported_at=late, now=late))
    assert item.due_date == shanghai_today(late) + timedelta(days=7) == (late + timedelta(days=8)).date()


def test_escalation_keeps_one_item_and_resets_the_requirement(world):
    case_id = world.add_case(loss_yuan="120000")
    item = world.item(case_id)
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], item.id, "被害人轻信投资平台，已查找问题并整改。")
    later = NOW + timedelta(days=3)
    world.revise(case_id, now=later, loss_yuan="600000")
    world.revise(case_id, now=later + timedelta(days=1), loss_yuan="1500000")
    with read_session(world.engine) as session:
        items = session.execute(select(AccountabilityItem).where(AccountabilityItem.case_id == case_id)).scalars().all()
        rule = session.get(AccountabilityRule, items[0].rule_id)
    assert len(items) == 1
    item = items[0]
    assert (item.level, rule.level, item.escalated_from_level) == ("l100w", "l100w", "l50w")
    assert item.status == ItemStatus.PENDING.value and item.required_action == rule.required_action
    assert item.due_date == shanghai_today(later + timedelta(days=1)) + timedelta(days=rule.deadline_days)
    events = world.events(item.id)
    assert [e.action for e in events] == ["raised", "submitted", "escalated", "escalated"]
    assert [(e.from_level, e.to_level) for e in events[2:]] == [("l10w", "l50w"), ("l50w", "l100w")]
    assert (events[2].from_status, events[2].to_status) == ("submitted", "pending")
    assert "12.00" in events[2].note and "60.00" in events[2].note


def test_upward_revision_of_a_small_case_raises_its_item(world):
    case_id = world.add_case(loss_yuan="50000")
    assert world.item(case_id) is None
    world.revise(case_id, loss_yuan="100000")
    assert world.item(case_id).level == "l10w"


def test_downward_revision_across_the_threshold_flags_and_keeps_the_item(world):
    case_id = world.add_case(loss_yuan="600000")
    world.revise(case_id, loss_yuan="450000")
    item = world.item(case_id)
    assert (item.level, item.status, item.needs_review) == ("l50w", "pending", True)
    assert "60.00" in item.needs_review_reason and "45.00" in item.needs_review_reason
    assert world.actions(item.id) == ["raised", "flagged"]
    world.revise(case_id, loss_yuan="50000")  # even below every threshold: not deleted
    assert world.item(case_id).level == "l50w" and world.actions(item.id)[-1] == "flagged"


def test_downward_revision_within_the_level_does_not_flag(world):
    case_id = world.add_case(loss_yuan="600000")
    world.revise(case_id, loss_yuan="500000")
    item = world.item(case_id)
    assert not item.needs_review and world.actions(item.id) == ["raised"]


def test_leader_keeps_or_closes_a_flagged_item_with_a_reason(world):
    kept_case, closed_case = world.add_case(loss_yuan="200000"), world.add_case(loss_yuan="200000")
    for case_id in (kept_case, closed_case):
        world.revise(case_id, loss_yuan="90000")
    kept, closed = world.item(kept_case), world.item(closed_case)
    with pytest.raises(AccessDenied):
        with write_session(world.engine) as session:
            resolve_flag(session, world.actors["clerk_wa"], kept.id, keep=True, reason="经核实金额无误")
    with pytest.raises(InvalidInput) as refused:
        with write_session(world.engine) as session:
            resolve_flag(session, world.actors["leader_d"], kept.id, keep=True, reason="")
    assert "reason" in refused.value.errors
    with write_session(world.engine) as session:
        resolve_flag(session, world.actors["leader_d"], kept.id, keep=True, reason="银行流水显示实际损失超过10万")
        resolve_flag(session, world.actors["leader_d"], closed.id, keep=False, reason="追回部分款项，核减属实")
    kept, closed = world.item(kept_case), world.item(closed_case)
    assert (kept.needs_review, kept.status) == (False, "pending")
    assert (closed.needs_review, closed.status) == (False, "closed") and closed.closed_at is not None
    assert world.actions(kept.id)[-1] == "flag_kept" and world.actions(closed.id)[-1] == "flag_closed"
    assert world.events(closed.id)[-1].note == "追回部分款项，核减属实"
    with pytest.raises(InvalidInput):
        with write_session(world.engine) as session:
            resolve_flag(session, world.actors["leader_d"], kept.id, keep=True, reason="再次复核保留")


def test_item_follows_the_case_to_another_unit(world):
    case_id = world.add_case(loss_yuan="200000")
    world.revise(case_id, actor="leader_d", unit_id=world.units["YX"])
    item = world.item(case_id)
    assert item.unit_id == world.units["YX"] and world.actions(item.id) == ["raised", "unit_changed"]


def test_command_line_writes_are_recorded_as_the_command_line(world):
    item = world.item(world.add_case(loss_yuan="200000", actor=None))
    [event] = world.events(item.id)
    [record] = world.audits(item.id)
    assert event.username == record.username == CLI_USERNAME and event.user_id is None


def test_hook_failure_rolls_back_the_case_too(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("crash after the case insert")

    monkeypatch.setattr(triggers, "record_step", broken)
    with pytest.raises(RuntimeError):
        world.add_case(loss_yuan="200000")
    with read_session(world.engine) as session:
        assert session.execute(select(func.count()).select_from(FraudCase)).scalar() == 0
        assert session.execute(select(func.count()).select_from(AccountabilityItem)).scalar() == 0


def test_no_case_over_a_threshold_without_its_item(world):
    amounts = ["99999.99", "100000", "350000", "500000", "999999.99", "1000000", "5", "12345678.9"]
    ids = [world.add_case(loss_yuan=a) for a in amounts]
    world.revise(ids[0], loss_yuan="100000.01")
    with read_session(world.engine) as session:
        over = set(session.execute(select(FraudCase.id).where(FraudCase.loss_fen >= 10_000_000)).scalars())
        with_item = set(session.execute(select(AccountabilityItem.case_id)).scalars())
    assert over == with_item == {ids[i] for i in (0, 1, 2, 3, 4, 5, 7)}


def test_create_and_update_case_raise_and_escalate(world):
    from services.cases.write import update_case

    leader = world.actors["leader_d"]
    new = new_case_from_input(case_no="CT-1", unit_id=world.units["YX"], reported_local=NOW.replace(tzinfo=None),
                              fraud_type=FraudType.INVESTMENT, loss="10万")
    with write_session(world.engine) as session:
        case_id = create_case(session, leader, new).case_id
    assert world.item(case_id).level == "l10w"
    with write_session(world.engine) as session:
        update_case(session, leader, case_id, CaseChanges(FraudType.INVESTMENT, CaseStatus.REGISTERED,
                                                          world.units["YX"], yuan_to_fen(Decimal("1000000")), 0, 0))
    assert world.item(case_id).level == "l100w"


def test_rule_set_on_a_date_is_the_latest_version_per_level(world):
    with read_session(world.engine) as session:
        rules = effective_rules(session, NOW.date())
    assert [(r.level, r.threshold_fen) for r in rules] == list(DEFAULT_THRESHOLDS.items())


def test_backfill_raises_missing_items_once(world):
    with write_session(world.engine) as session:
        for number, fen in enumerate((9_999_999, 10_000_000, 75_000_000)):
            session.add(FraudCase(case_no=f"BULK-{number}", unit_id=world.units["WA"], reported_at=NOW - timedelta(days=20),
                                  fraud_type="rebate", loss_fen=fen, created_at=NOW, updated_at=NOW))
    already = world.add_case(loss_yuan="300000")
    with write_session(world.engine) as session:
        assert triggers.backfill(session, NOW, at_report_time=True) == 2
        assert triggers.backfill(session, NOW) == 0
    with read_session(world.engine) as session:
        items = session.execute(select(AccountabilityItem, FraudCase.case_no)
                                .join(FraudCase, FraudCase.id == AccountabilityItem.case_id)).all()
    levels = {case_no: (item.level, item.raised_at) for item, case_no in items}
    assert levels["BULK-1"] == ("l10w", NOW - timedelta(days=20)) and levels["BULK-2"][0] == "l50w"
    assert "BULK-0" not in levels and len(levels) == 3 and world.item(already).raised_at == NOW
