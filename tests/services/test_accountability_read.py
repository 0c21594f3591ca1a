"""Leaders' read models: overdue in Beijing days, scope, by-unit table, median days to close, summary, 倒查."""

import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, Activity
from services.accountability_flow import close, review, submit_explanation
from services.accountability_read import ItemFilter, item_detail, list_items, summary, unit_table
from services.actor import AccessDenied
from services.labels import AccountabilityLevel, ItemStatus
from services.prevention_review import prevention_review
from accountability_world import NOW, build_world

BEIJING = ZoneInfo("Asia/Shanghai")
TEXT = "发案原因已查明，问题已整改到位，特此说明。"


@pytest.fixture
def world(engine):
    return build_world(engine)


def _read(world, function, actor, *args, **kwargs):
    with read_session(world.engine) as session:
        return function(session, world.actors[actor], *args, **kwargs)


def _close(world, item_id: int, at: datetime) -> None:
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], item_id, TEXT, TEXT, now=at - timedelta(minutes=2))
        review(session, world.actors["leader_d"], item_id, True, now=at - timedelta(minutes=1))
        close(session, world.actors["leader_d"], item_id, None, "", now=at)


def test_overdue_counts_beijing_days(world):
    item = world.item(world.add_case(loss_yuan="200000"))
    assert item.due_date == date(2026, 12, 5)
    last_minute = datetime(2026, 12, 5, 15, 59, tzinfo=UTC)   # 23:59 on the due day in Beijing
    next_day = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)      # still the 5th in UTC, the 6th in Beijing
    assert [r.days_overdue for r in _read(world, list_items, "leader_d", ItemFilter(), last_minute)] == [0]
    assert [r.days_overdue for r in _read(world, list_items, "leader_d", ItemFilter(), next_day)] == [1]
    table = _read(world, unit_table, "leader_d", None, next_day)
    assert [(r.name, r.overdue, r.max_days_overdue) for r in table.rows] == [("武安派出所", 1, 1), ("岩溪派出所", 0, 0)]
    assert _read(world, list_items, "leader_d", ItemFilter(overdue_only=True), last_minute) == []


def test_submitted_items_are_not_overdue(world):
    item = world.item(world.add_case(loss_yuan="200000"))
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], item.id, TEXT)
    [row] = _read(world, list_items, "leader_d", ItemFilter(), datetime(2027, 1, 1, tzinfo=UTC))
    assert row.days_overdue == 0 and row.status == ItemStatus.SUBMITTED.value


def test_a_station_sees_only_its_own_items(world):
    wa = world.item(world.add_case("WA", "200000")).id
    yx = world.item(world.add_case("YX", "600000")).id
    assert [r.id for r in _read(world, list_items, "clerk_wa", ItemFilter(), NOW)] == [wa]
    assert [r.id for r in _read(world, list_items, "clerk_yx", ItemFilter(), NOW)] == [yx]
    assert sorted(r.id for r in _read(world, list_items, "leader_d", ItemFilter(), NOW)) == sorted([wa, yx])
    with pytest.raises(AccessDenied):
        _read(world, list_items, "clerk_wa", ItemFilter(unit_id=world.units["YX"]), NOW)
    with pytest.raises(AccessDenied):
        _read(world, unit_table, "clerk_wa", world.units["D"], NOW)
    with pytest.raises(AccessDenied):
        _read(world, item_detail, "clerk_wa", yx, NOW)
    with pytest.raises(AccessDenied):
        _read(world, prevention_review, "clerk_wa", yx)
    own = _read(world, unit_table, "clerk_wa", None, NOW)
    assert [(r.name, r.open_total) for r in own.rows] == [("武安派出所", 1)]
    with pytest.raises(AccessDenied):
        _read(world, list_items, "wall", ItemFilter(), NOW)
    with pytest.raises(AccessDenied):
        _read(world, summary, "admin", NOW)


def test_filters(world):
    small = world.item(world.add_case("WA", "200000")).id
    big = world.item(world.add_case("YX", "1500000")).id
    flagged_case = world.add_case("WA", "700000")
    world.revise(flagged_case, loss_yuan="300000")
    flagged = world.item(flagged_case).id

    def ids(**criteria):
        return sorted(r.id for r in _read(world, list_items, "leader_d", ItemFilter(**criteria), NOW))

    assert ids(level=AccountabilityLevel.L100W) == [big]
    assert ids(flagged_only=True) == [flagged]
    assert ids(unit_id=world.units["WA"]) == sorted([small, flagged])
    assert ids(status=ItemStatus.PENDING) == sorted([small, big, flagged])
    assert ids(status=ItemStatus.CLOSED) == []


def test_unit_table_rolls_up_and_counts_months(world):
    raised = {
        "WA": [datetime(2026, 11, 5, 2, tzinfo=UTC), datetime(2026, 11, 30, 16, 30, tzinfo=UTC),  # Dec 1 in Beijing
               datetime(2026, 12, 3, 2, tzinfo=UTC)],
        "YX": [datetime(2026, 11, 12, 2, tzinfo=UTC), datetime(2026, 12, 9, 2, tzinfo=UTC)],
    }
    levels = {"WA": ["200000", "600000", "1000000"], "YX": ["100000", "200000"]}
    for unit, moments in raised.items():
        for moment, loss in zip(moments, levels[unit]):
            world.add_case(unit, loss, reported_at=moment, now=moment)
    now = datetime(2026, 12, 10, 4, tzinfo=UTC)
    table = _read(world, unit_table, "leader_d", None, now)
    wa, yx = table.rows
    assert (wa.open_by_level, wa.raised_this_month, wa.raised_last_month) == (
        {"l10w": 1, "l50w": 1, "l100w": 1}, 2, 1)  # this month: Dec 1–10; last month same days: Nov 1–10
    assert (yx.open_by_level, yx.raised_this_month, yx.raised_last_month) == ({"l10w": 2, "l50w": 0, "l100w": 0}, 1, 0)
    assert table.total.open_total == 5 and table.total.raised_this_month == 3
    city = _read(world, unit_table, "leader_c", None, now)
    assert [(r.name, r.open_total) for r in city.rows] == [("长泰区公安分局", 5)]


def _beijing_days(start: datetime, end: datetime) -> int:
    return (end.astimezone(BEIJING).date() - start.astimezone(BEIJING).date()).days


def test_median_days_to_close_against_an_independent_computation(world):
    spans = [  # raised, closed (UTC); several cross Beijing midnight differently from UTC midnight
        (datetime(2026, 11, 1, 15, 30, tzinfo=UTC), datetime(2026, 11, 2, 1, 0, tzinfo=UTC)),
        (datetime(2026, 11, 2, 1, 0, tzinfo=UTC), datetime(2026, 11, 9, 17, 0, tzinfo=UTC)),
        (datetime(2026, 11, 3, 10, 0, tzinfo=UTC), datetime(2026, 11, 4, 15, 0, tzinfo=UTC)),
        (datetime(2026, 11, 4, 20, 0, tzinfo=UTC), datetime(2026, 11, 20, 3, 0, tzinfo=UTC)),
    ]
    for raised_at, closed_at in spans:
        item = world.item(world.add_case("WA", "200000", reported_at=raised_at, now=raised_at))
        _close(world, item.id, closed_at)
    world.add_case("WA", "300000")  # open: not in the median
    with read_session(world.engine) as session:
        rows = session.execute(select(AccountabilityItem.raised_at, AccountabilityItem.closed_at)
                               .where(AccountabilityItem.closed_at.is_not(None))).all()
    days = sorted(_beijing_days(a, b) for a, b in rows)
    expected = (days[1] + days[2]) / 2
    assert days == [1, 1, 8, 15] and expected == 4.5  # in UTC days it would be [1, 1, 7, 16]
    table = _read(world, unit_table, "leader_d", None, NOW)
    assert table.rows[0].median_days_to_close == expected == table.total.median_days_to_close
    assert table.rows[1].median_days_to_close is None
    assert statistics.median(days) == expected


def test_summary_for_the_wall(world):
    world.add_case("WA", "200000", now=NOW - timedelta(days=35))  # raised Oct 24: long overdue
    world.add_case("YX", "1200000")
    flagged = world.add_case("YX", "600000")
    world.revise(flagged, loss_yuan="400000")
    figures = _read(world, summary, "wall", NOW)
    assert figures.open_by_level == {"l10w": 1, "l50w": 1, "l100w": 1}
    assert (figures.open_total, figures.overdue, figures.needs_review) == (3, 1, 1)
    assert figures.max_days_overdue == 35 - 7
    assert figures.overdue_by_unit == [("武安派出所", 1)]
    assert figures.raised_this_month == 2 and figures.raised_last_month == 1


def _activity(unit_id: int, day: date, people: int) -> Activity:
    return Activity(unit_id=unit_id, activity_date=day, outreach="community", channel="leaflet", pieces=people * 2,
                    people_reached=people, households=people // 2, created_at=NOW)


def test_prevention_review_assembles_the_stations_work(world):
    case_id = world.add_case("WA", "600000", fraud_type="investment", victim_reached_by_propaganda=False)
    day = date(2026, 11, 28)
    with write_session(world.engine) as session:
        session.add_all([_activity(world.units["WA"], day, 1000), _activity(world.units["WA"], day - timedelta(days=1), 10),
                         _activity(world.units["WA"], day - timedelta(days=90), 20),
                         _activity(world.units["WA"], day - timedelta(days=91), 4000),
                         _activity(world.units["YX"], day - timedelta(days=3), 5000)])
    included = [
        world.add_case("WA", "3000", reported_at=datetime(2025, 11, 27, 16, 0, tzinfo=UTC)),  # 2025-11-28 00:00 BJ
        world.add_case("WA", "5000", reported_at=NOW - timedelta(hours=1)),
    ]
    world.add_case("WA", "4000", reported_at=datetime(2025, 11, 27, 15, 59, tzinfo=UTC))  # a year and a day before
    world.add_case("WA", "4000", reported_at=NOW - timedelta(days=2), fraud_type="rebate")
    world.add_case("YX", "4000", reported_at=NOW - timedelta(days=2))
    world.add_case("WA", "4000", reported_at=NOW + timedelta(hours=1))
    item = world.item(case_id)
    review_ = _read(world, prevention_review, "clerk_wa", item.id)
    assert (review_.first_day, review_.last_day) == (day - timedelta(days=90), day - timedelta(days=1))
    assert sorted(a.people_reached for a in review_.activities) == [10, 20]
    assert (review_.people_reached, review_.households, review_.pieces) == (30, 15, 60)
    assert review_.victim_reached is False and review_.fraud_type == "investment"
    assert sorted(c.id for c in review_.earlier_cases) == sorted(included) and review_.earlier_loss_fen == 800_000
    detail = _read(world, item_detail, "leader_d", item.id, NOW)
    assert detail.prevention is not None and detail.prevention.activities == review_.activities
    small = world.item(world.add_case("WA", "150000"))
    assert _read(world, item_detail, "leader_d", small.id, NOW).prevention is None


def test_item_detail_lists_history_and_attachments(world):
    from services.accountability_flow import Upload

    item = world.item(world.add_case("WA", "200000"))
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], item.id, TEXT,
                           uploads=[Upload("说明.pdf", "application/pdf", b"%PDF-1.4")])
    detail = _read(world, item_detail, "leader_d", item.id, NOW)
    assert [e.action for e in detail.events] == ["raised", "submitted"]
    assert [(a.filename, a.size) for a in detail.attachments] == [("说明.pdf", 8)]
    assert detail.case.case_no.startswith("T") and detail.rule.level == "l10w" and detail.unit_name == "武安派出所"
