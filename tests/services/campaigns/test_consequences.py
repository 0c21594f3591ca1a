"""Falling behind raises accountability items: missed reports in a row, red lights at checkpoints, once each."""

from datetime import UTC, date, datetime, timedelta

import pytest
from campaign_world import build_world
from sqlalchemy import select, update

from db.engine import read_session, write_session
from db.models import AccountabilityEvent, AccountabilityItem, AppSetting, AuditLog, Campaign, CampaignReport
from services.campaigns import api, consequences


@pytest.fixture
def world(engine):
    return build_world(engine)


def _beijing(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, tzinfo=UTC)


def _configure(world, **values) -> None:
    with write_session(world.engine) as session:
        session.execute(update(Campaign).where(Campaign.id == world.campaign_id).values(**values))


def _report(world, code: str, number: int, due: date, at: datetime) -> None:
    with write_session(world.engine) as session:
        session.add(CampaignReport(campaign_id=world.campaign_id, unit_id=world.units[code], period_number=number,
                                   due_date=due, submitted_at=at, submitted_by=code, snapshot="{}"))


def _items(world) -> list[AccountabilityItem]:
    with read_session(world.engine) as session:
        return list(session.execute(select(AccountabilityItem).where(AccountabilityItem.campaign_id.is_not(None))
                                    .order_by(AccountabilityItem.id)).scalars())


def _check(world, day: date) -> int:
    return api.check_consequences(world.engine, _beijing(day)).raised


DUES = [date(2026, 8, 10), date(2026, 8, 25), date(2026, 9, 10), date(2026, 9, 25), date(2026, 10, 10)]


def test_missing_periods_3_and_4_raises_one_item_at_period_4_and_only_once(world):
    _configure(world, behind_pace_action=None)  # only the missed-reports trigger
    for number, due in enumerate(DUES[:4], start=1):
        _report(world, "YX", number, due, _beijing(due))
    for number, due in enumerate(DUES[:2], start=1):
        _report(world, "WA", number, due, _beijing(due))
    assert _check(world, date(2026, 9, 25)) == 0  # period 4 is due today: not decided yet
    assert _items(world) == []
    assert _check(world, date(2026, 9, 26)) == 1
    [item] = _items(world)
    assert (item.unit_id, item.trigger_key, item.level, item.status) == (world.units["WA"], "missed:4", "talk", "pending")
    assert item.case_id is None and item.rule_id is None
    assert item.reason == "连续2期未报送工作进展（第3期（2026-09-10）、第4期（2026-09-25）），至2026-09-25仍未报送。"
    assert item.due_date == date(2026, 10, 3)  # raised 26 Sep (Beijing) + 7 days
    assert "谈话" in item.required_action
    # Running again, at once or later the same day, raises nothing more; nor a run through the service directly.
    assert _check(world, date(2026, 9, 26)) == 0
    with write_session(world.engine) as session:
        assert consequences.raise_due(session, _beijing(date(2026, 9, 26), 15)).raised == 0
    assert len(_items(world)) == 1
    with read_session(world.engine) as session:
        events = session.execute(select(AccountabilityEvent).where(AccountabilityEvent.item_id == item.id)).scalars().all()
        audits = session.execute(select(AuditLog.detail).where(AuditLog.object_type == "accountability_item")).scalars().all()
    assert [(e.action, e.username) for e in events] == [("raised", "system")]
    assert any("织密防护网专项宣传" in (d or "") for d in audits)


def test_missed_reports_are_judged_as_of_each_checkpoint_whenever_the_check_runs(world):
    _configure(world, behind_pace_action=None)
    _report(world, "YX", 1, DUES[0], _beijing(DUES[0]))
    _report(world, "YX", 2, DUES[1], _beijing(DUES[1]))
    # WA misses 1 and 2 and sends period 2 a day late (after period 2's checkpoint): still two missed at period 2.
    _report(world, "WA", 2, DUES[1], _beijing(DUES[1] + timedelta(days=1)))
    assert _check(world, date(2026, 10, 11)) > 0  # first run long after: checkpoints 1–5 at once
    keys = sorted((i.unit_id, i.trigger_key) for i in _items(world))
    # WA: periods 1–2 missed → item at 2; 3–4 missed → item at 4. YX: 3–4 missed → item at 4; 5 alone is one.
    assert keys == sorted([(world.units["WA"], "missed:2"), (world.units["WA"], "missed:4"),
                           (world.units["YX"], "missed:4")])


def test_behind_pace_at_a_checkpoint_raises_one_item_per_target_and_checkpoint(world):
    _configure(world, missed_reports_limit=None, behind_pace_action="warn")
    world.activity("WA", date(2026, 8, 3), outreach="school", people=600)
    world.activity("WA", date(2026, 8, 5), outreach="school", people=600)
    school, people = world.targets["school"], world.targets["people"]
    # 10 Aug: YX has reached nobody of the 1,000 the campaign asks (red); its monthly school target is not yet judged
    # (grey: too early in the month), and WA is on pace for both.
    assert _check(world, date(2026, 8, 11)) == 1
    [item] = _items(world)
    assert (item.unit_id, item.trigger_key, item.level) == (world.units["YX"], f"pace:{people}:2026-08-10", "warn")
    assert item.reason.startswith("截至2026-08-10（第1期报送日）“活动期内受众不少于1000人”进度落后：0/1,000人")
    assert "打招呼" in item.required_action and item.due_date == date(2026, 8, 18)
    assert _check(world, date(2026, 8, 11)) == 0
    # 25 Aug: YX red on both targets → one item per target at this checkpoint; WA still on pace.
    assert _check(world, date(2026, 8, 26)) == 2
    assert _check(world, date(2026, 8, 27)) == 0
    keys = sorted(i.trigger_key for i in _items(world))
    assert keys == sorted([f"pace:{people}:2026-08-10", f"pace:{people}:2026-08-25", f"pace:{school}:2026-08-25"])
    # A coverage target without a declared base is grey, never red; the partner school is never called to account.
    assert {i.unit_id for i in _items(world)} == {world.units["YX"]}


def test_switched_off_triggers_raise_nothing_and_cost_one_read(world):
    _configure(world, missed_reports_action=None, behind_pace_action=None)
    with read_session(world.engine) as session:
        assert consequences.pending(session, _beijing(date(2026, 11, 20))) is False
    assert _check(world, date(2026, 11, 20)) == 0
    _configure(world, missed_reports_action="talk", missed_reports_limit=None)
    assert _check(world, date(2026, 11, 20)) == 0
    assert _items(world) == []


def test_a_campaign_is_evaluated_once_per_checkpoint(world):
    _configure(world, behind_pace_action=None)
    _check(world, date(2026, 8, 26))
    with read_session(world.engine) as session:
        memo = session.get(AppSetting, f"campaign_consequences:{world.campaign_id}")
        assert memo.value == "2026-08-25"
        assert consequences.pending(session, _beijing(date(2026, 8, 27))) is False
        assert consequences.pending(session, _beijing(date(2026, 9, 11))) is True
    # A campaign ended long ago is not looked at; one that has not begun has no checkpoint.
    with read_session(world.engine) as session:
        assert consequences.pending(session, _beijing(date(2027, 6, 1))) is False
        assert consequences.pending(session, _beijing(date(2026, 7, 20))) is False
