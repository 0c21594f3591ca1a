"""Leaders' read models: overdue in Beijing days, scope, by-unit table, median days to close, summary, 倒查."""

import random
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from accountability_world import NOW, build_world
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AccountabilityRule, Activity, FraudCase, Unit
from services.access.actor import AccessDenied
from services.accountability import read as accountability_read
from services.accountability.prevention_review import prevention_review
from services.accountability.read import (
    FIXED_OFFSET_SINCE,
    ItemFilter,
    ItemRow,
    UnitRow,
    item_detail,
    list_items,
    median_of_counts,
    summary,
    unit_table,
)
from services.accountability.workflow import close, review, submit_explanation
from services.overview.text import OWN_LEVEL, TOTAL_ROW
from services.units.tree import add_unit
from vocabulary import AccountabilityLevel, ItemStatus

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
    assert figures.overdue_by_unit == [("长泰区 · 武安派出所", 1)]  # named with its district (issue 12)
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
    from services.accountability.workflow import Upload

    item = world.item(world.add_case("WA", "200000"))
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], item.id, TEXT,
                           uploads=[Upload("说明.pdf", "application/pdf", b"%PDF-1.4")])
    detail = _read(world, item_detail, "leader_d", item.id, NOW)
    assert [e.action for e in detail.events] == ["raised", "submitted"]
    assert [(a.filename, a.size) for a in detail.attachments] == [("说明.pdf", 8)]
    assert detail.case.case_no.startswith("T") and detail.rule.level == "l10w" and detail.unit_name == "武安派出所"


# ---------------------------------------------------------------- SQL aggregates against plain Python over the rows


@given(st.lists(st.integers(-3, 400), max_size=60))
def test_median_of_counts_is_the_median_of_the_values(values):
    expected = statistics.median(values) if values else None
    result = median_of_counts(Counter(values))
    assert result == expected and type(result) is type(expected)


def test_beijing_has_kept_utc_plus_8_since_the_fixed_offset_date():
    # The SQL takes Beijing dates with a fixed +8 hours from FIXED_OFFSET_SINCE on; tzdata must agree.
    moment, step = FIXED_OFFSET_SINCE, timedelta(hours=23)
    while moment.year < 2100:
        assert moment.astimezone(BEIJING).utcoffset() == timedelta(hours=8)
        moment += step


def _beijing(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def _random_instant(rng: random.Random) -> datetime:
    """Mostly 2026, often right at a Beijing midnight or a hair before it, sometimes in China's DST years."""
    day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
    if rng.random() < 0.03:
        day = date(rng.randrange(1986, 1992), rng.randrange(4, 10), rng.randrange(1, 29))
    midnight = datetime(day.year, day.month, day.day, 16, tzinfo=UTC)  # 00:00 Beijing the next day (off DST)
    return rng.choice([
        midnight, midnight - timedelta(microseconds=1), midnight - timedelta(microseconds=400),
        midnight - timedelta(microseconds=500), midnight - timedelta(microseconds=501),
        midnight - timedelta(hours=1), midnight + timedelta(microseconds=499),
        midnight - timedelta(seconds=rng.randrange(86_400), microseconds=rng.randrange(1_000_000)),
    ])


def _extra_units(engine) -> None:
    with write_session(engine) as session:
        add_unit(session, code="D2", name="龙海区公安分局", kind="district_bureau", parent_code="C")
        add_unit(session, code="S3", name="港尾派出所", kind="station", parent_code="D2")
        add_unit(session, code="S4", name="海澄派出所", kind="station", parent_code="D2")


# Closed in China's daylight-saving years, where Beijing was UTC+9 in summer: a fixed +8 hours would be a day off.
DST_SPANS = [
    (datetime(1988, 6, 1, 15, 30, tzinfo=UTC), datetime(1988, 10, 1, 15, 30, tzinfo=UTC)),  # 122 days at +8; 121
    (datetime(1991, 9, 14, 16, 30, tzinfo=UTC), datetime(1992, 1, 1, 1, tzinfo=UTC)),       # across the last change
]


def _insert_random_items(world, rng: random.Random, count: int) -> None:
    statuses, levels = [s.value for s in ItemStatus], ["l10w", "l50w", "l100w"]
    with write_session(world.engine) as session:
        rule_id = session.execute(select(AccountabilityRule.id)).scalars().first()
        units = session.execute(select(Unit.id)).scalars().all()
        cases = [FraudCase(case_no=f"R-{n:05d}", unit_id=rng.choice(units), reported_at=NOW, fraud_type="rebate",
                           loss_fen=rng.randrange(10_000_000, 200_000_000), created_at=NOW, updated_at=NOW)
                 for n in range(count)]
        session.add_all(cases)
        session.flush()
        items = []
        for n, case in enumerate(cases):
            raised, status, closed = _random_instant(rng), rng.choice(statuses), None
            if rng.random() < (0.9 if status == ItemStatus.CLOSED.value else 0.1):
                closed = rng.choice([raised, raised + timedelta(hours=rng.randrange(1, 24 * 60)), _random_instant(rng)])
            if n < len(DST_SPANS):
                (raised, closed), status = DST_SPANS[n], ItemStatus.CLOSED.value
            items.append(AccountabilityItem(
                case_id=case.id, unit_id=case.unit_id, rule_id=rule_id, level=rng.choice(levels), required_action="-",
                responsible="-", due_date=_beijing(raised) + timedelta(days=rng.randrange(-5, 40)), status=status,
                needs_review=rng.random() < 0.3, raised_at=raised, closed_at=closed))
        session.add_all(items)


def _unit(world, code: str) -> Unit:
    with read_session(world.engine) as session:
        return session.execute(select(Unit).where(Unit.code == code)).scalar_one()


def _all_rows(world, today: date) -> list[ItemRow]:
    """Every item, read back as plain Python values (the per-row reference)."""
    item = AccountabilityItem
    with read_session(world.engine) as session:
        found = session.execute(
            select(item, FraudCase.case_no, FraudCase.loss_fen, Unit.name, Unit.path)
            .join(FraudCase, FraudCase.id == item.case_id).join(Unit, Unit.id == item.unit_id)).all()
        units = {u.id: u for u in session.execute(select(Unit)).scalars()}

    def label(unit_id: int) -> str:  # the station with its district in front, 长泰区 · 武安派出所
        unit = units[unit_id]
        parent = units.get(unit.parent_id)
        if parent is None or parent.parent_id is None:
            return unit.name
        return parent.name.removesuffix("公安分局").removesuffix("公安局") + " · " + unit.name

    return [ItemRow(i.id, i.case_id, case_no, i.unit_id, name, path, loss, i.level, i.status, i.due_date,
                    (today - i.due_date).days if i.status in ("pending", "returned") and i.due_date < today else 0,
                    i.needs_review, i.raised_at, i.closed_at, label(i.unit_id))
            for i, case_no, loss, name, path in found]


def _in_this_month(day: date, today: date) -> bool:
    return (day.year, day.month) == (today.year, today.month) and day <= today


def _in_last_month(day: date, today: date) -> bool:
    previous = today.replace(day=1) - timedelta(days=1)
    return (day.year, day.month) == (previous.year, previous.month) and day.day <= today.day


def _expected_figures(unit_id: int, name: str, rows: list[ItemRow], today: date) -> UnitRow:
    open_rows = [r for r in rows if r.status != "closed"]
    late = [r.days_overdue for r in rows if r.days_overdue > 0]
    spans = [(_beijing(r.closed_at) - _beijing(r.raised_at)).days for r in rows if r.closed_at is not None]
    return UnitRow(
        unit_id, name, {level: sum(r.level == level for r in open_rows) for level in ("l10w", "l50w", "l100w")},
        len(late), max(late, default=0), sum(r.needs_review for r in open_rows),
        statistics.median(spans) if spans else None,
        sum(_in_this_month(_beijing(r.raised_at), today) for r in rows),
        sum(_in_last_month(_beijing(r.raised_at), today) for r in rows),
        sum(r.status == "submitted" for r in rows))


def _expected_table(world, rows: list[ItemRow], root: Unit, today: date) -> list[UnitRow]:
    with read_session(world.engine) as session:
        children = session.execute(select(Unit).where(Unit.parent_id == root.id)
                                   .order_by(Unit.sort_order, Unit.code)).scalars().all()
    mine = [r for r in rows if r.unit_path.startswith(root.path)]
    table = [_expected_figures(c.id, c.name, [r for r in mine if r.unit_path.startswith(c.path)], today)
             for c in children]
    own = [r for r in mine if r.unit_id == root.id]
    if not children or own:
        table.append(_expected_figures(root.id, root.name + (OWN_LEVEL if children else ""), own, today))
    return [*table, _expected_figures(root.id, TOTAL_ROW, mine, today)]


def _check_summary(world, rows: list[ItemRow], actor: str, root: Unit, now: datetime, today: date) -> None:
    mine = [r for r in rows if r.unit_path.startswith(root.path)]
    figures = _read(world, summary, actor, now, unit_id=root.id)
    expected = _expected_figures(root.id, root.name, mine, today)
    assert (figures.open_by_level, figures.open_total, figures.overdue, figures.max_days_overdue,
            figures.needs_review, figures.raised_this_month, figures.raised_last_month) == (
        expected.open_by_level, expected.open_total, expected.overdue, expected.max_days_overdue,
        expected.needs_review, expected.raised_this_month, expected.raised_last_month)
    assert figures.closed_this_month == sum(
        r.closed_at is not None and _in_this_month(_beijing(r.closed_at), today) for r in mine)
    assert figures.awaiting_approval == expected.awaiting_approval == sum(
        r.status == "submitted" for r in mine)
    late_units = Counter(r.unit_label for r in mine if r.days_overdue > 0)
    assert figures.overdue_by_unit == sorted(late_units.items(), key=lambda kv: (-kv[1], kv[0]))[:5]


def _expected_list(rows: list[ItemRow], root: Unit, criteria: ItemFilter, limit: int) -> list[ItemRow]:
    chosen = [r for r in rows if r.unit_path.startswith(root.path)
              and (criteria.level is None or r.level == criteria.level.value)
              and (criteria.status is None or r.status == criteria.status.value)
              and (not criteria.open_only or r.status != "closed") and (not criteria.flagged_only or r.needs_review)
              and (not criteria.overdue_only or r.days_overdue > 0)]
    chosen.sort(key=lambda r: (-r.days_overdue, r.status == "closed", r.due_date, r.id))
    return chosen[:limit]


MOMENTS = [
    NOW,
    datetime(2026, 3, 30, 17, tzinfo=UTC),                   # 31 March in Beijing: last month clipped to February
    datetime(2026, 7, 31, 15, 59, 59, 999_999, tzinfo=UTC),  # the last microsecond of July in Beijing
    datetime(2026, 8, 1, 16, tzinfo=UTC),                    # the first instant of 2 August in Beijing
]


@pytest.mark.parametrize("seed", [7, 2026])
def test_sql_aggregates_match_a_per_row_computation(world, monkeypatch, seed):
    _extra_units(world.engine)
    _insert_random_items(world, random.Random(seed), 300)
    limit = 30
    monkeypatch.setattr(accountability_read, "LIST_LIMIT", limit)  # so that the SQL's order and limit decide
    units = {code: _unit(world, code) for code in ("C", "D", "WA", "D2")}
    for now in MOMENTS:
        today = _beijing(now)
        rows = _all_rows(world, today)
        for actor, code in (("leader_c", "C"), ("leader_d", "D"), ("clerk_wa", "WA")):
            table = _read(world, unit_table, actor, None, now)
            assert [*table.rows, table.total] == _expected_table(world, rows, units[code], today), (actor, now)
        table = _read(world, unit_table, "leader_c", units["D2"].id, now)
        assert [*table.rows, table.total] == _expected_table(world, rows, units["D2"], today)

        _check_summary(world, rows, "wall", units["C"], now, today)
        _check_summary(world, rows, "leader_c", units["D"], now, today)

        filters = [ItemFilter(), ItemFilter(unit_id=units["D"].id), ItemFilter(level=AccountabilityLevel.L50W),
                   ItemFilter(status=ItemStatus.RETURNED), ItemFilter(open_only=True), ItemFilter(overdue_only=True),
                   ItemFilter(flagged_only=True, open_only=True), ItemFilter(unit_id=units["D2"].id,
                                                                            status=ItemStatus.CLOSED)]
        for criteria in filters:
            root = next((u for u in units.values() if u.id == criteria.unit_id), units["C"])
            assert _read(world, list_items, "leader_c", criteria, now) == _expected_list(rows, root, criteria, limit)
        assert len(_read(world, list_items, "leader_c", ItemFilter(), now)) == limit  # the SQL's limit chose the rows
