"""The progress read model, every figure checked against an independent recount in SQL or by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest
from campaign_world import NOW, TODAY, build_world
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import Activity
from services.campaigns import entries, tallies
from services.campaigns.progress import (
    MatrixView,
    bureau_summary,
    cumulative,
    export_matrix,
    gaps,
    matrix_file_name,
    matrix_header,
    matrix_row,
    pace,
    periods,
    progress,
    same_days_last_year,
    shown_units,
)
from vocabulary import Light, Outreach, TaskState


@pytest.fixture
def world(engine):
    return build_world(engine)


def _progress(world, who="leader_d", today=TODAY):
    with read_session(world.engine) as session:
        return progress(session, world.actors[who], world.campaign_id, today)


def _scalar(world, sql, **params):
    with world.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def test_pace_projects_at_the_current_rate_and_says_what_is_needed_per_week():
    p = pace(3, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 10))
    assert p.elapsed_days == 10 and p.total_days == 30
    assert p.projected == pytest.approx(9.0) and not p.on_track
    assert p.needed_per_week == pytest.approx(7 / 20 * 7)
    assert p.light is Light.AMBER  # 9 of 10 projected: ≥ 80%
    assert pace(1, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 10)).light is Light.RED
    assert pace(4, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 10)).light is Light.GREEN
    assert pace(10, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 2)).light is Light.GREEN
    assert pace(9, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 5)).light is Light.RED  # period over
    assert pace(0, 10, date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 5)).light is Light.GREY


def test_periods_are_clipped_to_the_campaign():
    assert periods_of_month() == [(date(2026, 8, 1), date(2026, 8, 31)), (date(2026, 9, 1), date(2026, 9, 30)),
                                  (date(2026, 10, 1), date(2026, 10, 15))]
    weeks = periods(__import__("vocabulary").TargetPeriod.WEEK, date(2026, 8, 1), date(2026, 8, 20))
    assert weeks[0] == (date(2026, 8, 1), date(2026, 8, 2)) and weeks[1] == (date(2026, 8, 3), date(2026, 8, 9))
    assert weeks[-1] == (date(2026, 8, 17), date(2026, 8, 20))


def periods_of_month():
    from vocabulary import TargetPeriod
    return periods(TargetPeriod.MONTH, date(2026, 8, 1), date(2026, 10, 15))


def test_monthly_school_target_counts_this_month_with_partner_activity_and_pacing(world):
    # WA: two school events in November (one by its partner school), one community event; September missed.
    world.activity("WA", date(2026, 11, 3), outreach="school")
    world.activity("WAX", date(2026, 11, 12), outreach="school")
    world.activity("WA", date(2026, 11, 13), outreach="community")
    world.activity("WA", date(2026, 8, 5), outreach="school")
    world.activity("WA", date(2026, 8, 6), outreach="school")
    world.activity("WA", date(2026, 10, 9), outreach="school")
    world.activity("WA", date(2026, 10, 19), outreach="school")
    world.activity("WA", date(2026, 11, 21), outreach="school")  # after today: not counted
    world.activity("YX", date(2026, 11, 2), outreach="school")
    result = _progress(world)
    cell = result.cells[(world.units["WA"], world.targets["school"])]
    recount = _scalar(world, "SELECT count(*) FROM activity WHERE unit_id IN (:wa, :wax) AND outreach = 'school' "
                      "AND activity_date BETWEEN :a AND :b", wa=world.units["WA"], wax=world.units["WAX"],
                      a=date(2026, 11, 1), b=TODAY)
    assert cell.value == recount == 2
    assert cell.pacing.projected == pytest.approx(2 / 20 * 30)
    assert cell.periods_past == 3 and cell.periods_missed == 1  # September
    assert cell.light is Light.AMBER and "9月" not in cell.text and "往期1/3期未达标" in cell.text
    yx = result.cells[(world.units["YX"], world.targets["school"])]
    assert yx.value == 1 and yx.pacing.projected == pytest.approx(1.5) and not yx.pacing.on_track
    assert yx.pacing.needed_per_week == pytest.approx((2 - 1) / 10 * 7)
    assert yx.periods_missed == 3 and yx.light is Light.RED


def test_campaign_long_people_target_sums_people_reached(world):
    for day, people in ((date(2026, 8, 2), 300), (date(2026, 9, 9), 250), (date(2026, 11, 19), 80)):
        world.activity("YX", day, people=people)
    world.activity("YX", date(2026, 7, 31), people=999)  # before the campaign
    cell = _progress(world).cells[(world.units["YX"], world.targets["people"])]
    recount = _scalar(world, "SELECT sum(people_reached) FROM activity WHERE unit_id = :u AND activity_date "
                      "BETWEEN :a AND :b", u=world.units["YX"], a=date(2026, 8, 1), b=TODAY)
    elapsed, total = (TODAY - date(2026, 8, 1)).days + 1, 153
    assert cell.value == recount == 630
    assert cell.pacing.projected == pytest.approx(630 / elapsed * total)
    assert cell.pacing.needed_per_week == pytest.approx((1000 - 630) / (total - elapsed) * 7)
    assert cell.pacing.on_track == (630 / elapsed * total >= 1000)


def test_coverage_divides_households_reached_by_the_latest_declared_base(world):
    wa, target = world.units["WA"], world.targets["leaflet"]
    assert _progress(world).cells[(wa, target)].light is Light.GREY  # no base yet
    with write_session(world.engine) as session:
        entries.declare_base(session, world.actors["clerk_wa"], world.campaign_id, target, wa, 1000, now=NOW)
        entries.declare_base(session, world.actors["clerk_wa"], world.campaign_id, target, wa, 800,
                             now=NOW + timedelta(minutes=5))
    world.activity("WA", date(2026, 9, 1), households=200)
    world.activity("WAX", date(2026, 10, 1), households=120)
    cell = _progress(world).cells[(wa, target)]
    assert cell.base == 800
    assert cell.value == pytest.approx(320 / 800 * 100) and cell.pacing.value == pytest.approx(40.0)
    assert cell.light is Light.GREEN and "320/800" in cell.text


def test_survey_rate_pools_entries_and_needs_its_sample(world):
    yx, target = world.units["YX"], world.targets["letter"]
    with write_session(world.engine) as session:
        entries.enter_survey(session, world.actors["clerk_yx"], world.campaign_id, target, yx, date(2026, 9, 1), 50, 47, now=NOW)
    cell = _progress(world).cells[(yx, target)]
    assert cell.value == pytest.approx(94.0) and cell.sample == 50 and cell.light is Light.AMBER  # sample short of 100
    with write_session(world.engine) as session:
        entries.enter_survey(session, world.actors["clerk_yx"], world.campaign_id, target, yx, date(2026, 10, 1), 60, 50, now=NOW)
    recount = _scalar(world, "SELECT 100.0 * sum(yes_count) / sum(sample_size) FROM campaign_survey WHERE unit_id = :u",
                      u=yx)
    cell = _progress(world).cells[(yx, target)]
    assert cell.value == pytest.approx(float(recount)) == pytest.approx(97 / 110 * 100)
    assert cell.light is Light.RED  # 88.2% < 90%


def test_deadline_task_is_done_due_or_overdue(world):
    wa, yx, target = world.units["WA"], world.units["YX"], world.targets["finance"]
    with write_session(world.engine) as session:
        entries.complete_task(session, world.actors["clerk_wa"], world.campaign_id, target, wa, date(2026, 11, 18),
                              "已培训辖区企业财会人员42名，签订告知书42份", now=NOW)
    result = _progress(world)
    assert result.cells[(wa, target)].task_state is TaskState.DONE and result.cells[(wa, target)].light is Light.GREEN
    assert result.cells[(yx, target)].task_state is TaskState.DUE and result.cells[(yx, target)].light is Light.AMBER
    later = _progress(world, today=date(2026, 12, 1))
    assert later.cells[(yx, target)].task_state is TaskState.OVERDUE and later.cells[(yx, target)].light is Light.RED


def _beijing(y, m, d, h=0, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=UTC) - timedelta(hours=8)


def test_outcome_compares_cases_with_the_same_days_last_year_in_beijing_time(world):
    # This year: 2 cases in WA between 1 Aug and today (one exactly at 00:00 Beijing on 1 Aug); one just before.
    world.case("WA", _beijing(2026, 8, 1), loss_fen=300_000)
    world.case("WA", _beijing(2026, 11, 20, 9), loss_fen=100_000)
    world.case("WA", _beijing(2026, 7, 31, 23, 59))
    world.case("WA", _beijing(2026, 11, 21, 0))  # tomorrow: outside
    # Last year, same days: 4 cases; one on 21 Nov 2025 is outside.
    for day in (date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 20)):
        world.case("WA", _beijing(day.year, day.month, day.day, 12), loss_fen=200_000)
    world.case("WA", _beijing(2025, 11, 21, 12))
    window = same_days_last_year(date(2026, 8, 1), TODAY)
    count = "SELECT count(*) FROM fraud_case WHERE unit_id = :u AND reported_at >= :a AND reported_at < :b"
    current = _scalar(world, count, u=world.units["WA"], a=window.start, b=window.end)
    previous = _scalar(world, count, u=world.units["WA"], a=window.prev_start, b=window.prev_end)
    assert (current, previous) == (2, 4)
    assert window.start == datetime(2026, 7, 31, 16, tzinfo=UTC) and window.prev_end == datetime(2025, 11, 20, 16, tzinfo=UTC)
    result = _progress(world)
    cell = result.cells[(world.units["WA"], world.targets["incidents"])]
    assert cell.value == 2 and cell.previous == 4 and cell.change_pct == pytest.approx(-50.0)
    assert cell.light is Light.GREEN and "下降50%" in cell.text
    loss = result.cells[(world.units["WA"], world.targets["loss"])]
    assert loss.value == pytest.approx(0.4) and loss.previous == pytest.approx(0.8)  # 万元
    assert loss.light is Light.GREEN
    yx = result.cells[(world.units["YX"], world.targets["incidents"])]
    assert yx.light is Light.GREY  # no cases last year: no comparison


def test_eight_places_coverage_gaps_and_weekly_counts(world):
    world.activity("WA", date(2026, 11, 16), outreach="school")
    world.activity("WAX", date(2026, 11, 17), outreach="school")
    world.activity("WA", date(2026, 11, 18), outreach="bank")
    world.activity("YX", date(2026, 8, 1), outreach="village")
    result = _progress(world)
    assert result.coverage[world.units["WA"]]["school"] == 2 and result.coverage[world.units["WA"]]["bank"] == 1
    assert Outreach.SCHOOL not in gaps(result, world.units["WA"]) and len(gaps(result, world.units["WA"])) == 7
    weekly = dict(result.weekly)
    assert weekly[date(2026, 7, 27)] == 1 and weekly[date(2026, 11, 16)] == 3
    assert list(weekly)[-1] == date(2026, 11, 16) and sum(weekly.values()) == 4


def test_scope_partners_and_liaison_phones(world):
    leader = _progress(world, "leader_d")
    assert [u.name for u in leader.units] == ["武安派出所", "岩溪派出所"]
    assert [(p.name, p.liaison_phone) for p in leader.partners] == [("武安中心小学", "0596-6123456")]
    assert leader.units[0].liaison_phone == "13812345678"
    clerk = _progress(world, "clerk_yx")
    assert [u.name for u in clerk.units] == ["岩溪派出所"] and clerk.partners == []
    assert clerk.units[0].liaison_phone == "139****4321"
    assert all(unit_id == world.units["YX"] for unit_id, _ in clerk.cells)
    command = _progress(world, "command")
    assert command.units[0].liaison_phone == "138****5678"


def test_cumulative_series_ends_at_the_value_and_ideal_line_reaches_the_goal(world):
    world.activity("WA", date(2026, 8, 3), people=100)
    world.activity("WAX", date(2026, 11, 3), people=40)
    with read_session(world.engine) as session:
        series = cumulative(session, world.actors["leader_d"], world.campaign_id, world.targets["people"],
                            world.units["WA"], TODAY)
        none = cumulative(session, world.actors["leader_d"], world.campaign_id, world.targets["finance"], None, TODAY)
    assert none is None
    assert series.actual[-1] == 140 and len(series.actual) == (TODAY - date(2026, 8, 1)).days + 1
    assert series.actual[1] == 0 and series.actual[2] == 100
    assert series.ideal[-1] == pytest.approx(1000) and series.goal == 1000


# ---------------------------------------------------------------- an independent recount in plain Python

def _raw_activities(world):
    with world.engine.connect() as connection:
        return connection.execute(text(
            "SELECT unit_id, activity_date, outreach, channel, people_reached, households, pieces FROM activity "
            "WHERE campaign_id = :c"), {"c": world.campaign_id}).all()


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _recount(rows, counts_for, unit, first, last, outreach=None, channel=None, measure=None):
    """Sum over the raw rows, written without the service's helpers: the spec the SQL aggregation must match."""
    total = 0
    for unit_id, day, place, way, people, households, pieces in rows:
        day = _as_date(day)
        if counts_for.get(unit_id) != unit or not first <= day <= last:
            continue
        if (outreach and place != outreach) or (channel and way != channel):
            continue
        total += {"people": people, "households": households, "pieces": pieces}.get(measure, 1)
    return total


def _months(first, last):
    out, day = [], first
    while day <= last:
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        out.append((day, min(nxt - timedelta(days=1), last)))
        day = nxt
    return out


def _weeks(first, last):
    out, day = [], first
    while day <= last:
        sunday = day + timedelta(days=6 - day.weekday())
        out.append((day, min(sunday, last)))
        day = sunday + timedelta(days=1)
    return out


def test_every_activity_figure_matches_a_plain_python_recount_over_the_rows(world):
    import random

    from db.models import CampaignTarget
    with write_session(world.engine) as session:  # a weekly, channel-filtered target on pieces, added for this test
        session.add(CampaignTarget(campaign_id=world.campaign_id, metric="push_pieces", description="每周推送条数",
                                   target_value=30, unit_of_measure="条", kind="count", period="week",
                                   measure="pieces", channel="push"))
    rng = random.Random(5)
    places = [o.value for o in Outreach]
    for _ in range(400):
        day = date(2026, 7, 20) + timedelta(days=rng.randrange(0, 140))  # some before the campaign, some after today
        world.activity(rng.choice(["WA", "WAX", "YX"]), day, outreach=rng.choice(places),
                       channel=rng.choice(["push", "leaflet", "banner"]), people=rng.randrange(0, 300),
                       households=rng.randrange(0, 60), pieces=rng.randrange(0, 90))
    with write_session(world.engine) as session:
        entries.declare_base(session, world.actors["clerk_wa"], world.campaign_id, world.targets["leaflet"],
                             world.units["WA"], 5000, now=NOW)
    result = _progress(world)
    rows = _raw_activities(world)
    wa, yx = world.units["WA"], world.units["YX"]
    counts_for = {wa: wa, world.units["WAX"]: wa, yx: yx}
    push = next(x for x in result.targets if x.description == "每周推送条数")
    monday = TODAY - timedelta(days=TODAY.weekday())
    specs = [  # target, current period's first day, past periods, filter, measure
        (world.targets["school"], date(2026, 11, 1), _months(date(2026, 8, 1), date(2026, 10, 31)),
         {"outreach": "school"}, None),
        (world.targets["people"], date(2026, 8, 1), [], {}, "people"),
        (push.id, monday, _weeks(date(2026, 8, 1), monday - timedelta(days=1)), {"channel": "push"}, "pieces"),
    ]
    for unit in (wa, yx):
        for target_id, first, past, where, measure in specs:
            cell = result.cells[(unit, target_id)]
            assert cell.value == _recount(rows, counts_for, unit, first, TODAY, measure=measure, **where)
            goal = next(x.target_value for x in result.targets if x.id == target_id)
            missed = sum(_recount(rows, counts_for, unit, f, last, measure=measure, **where) < goal for f, last in past)
            assert (cell.periods_past, cell.periods_missed) == (len(past), missed)
        counts = {p: _recount(rows, counts_for, unit, date(2026, 8, 1), TODAY, outreach=p) for p in places}
        assert {p: n for p, n in result.coverage[unit].items() if n} == {p: n for p, n in counts.items() if n}
    households = _recount(rows, counts_for, wa, date(2026, 8, 1), TODAY, measure="households")
    assert result.cells[(wa, world.targets["leaflet"])].value == pytest.approx(households / 5000 * 100)
    for monday_, count in result.weekly:
        assert count == sum(_recount(rows, counts_for, u, max(monday_, date(2026, 8, 1)),
                                     min(monday_ + timedelta(days=6), TODAY)) for u in (wa, yx))
    assert sum(n for _, n in result.weekly) == sum(1 for r in rows if date(2026, 8, 1) <= _as_date(r[1]) <= TODAY)
    with read_session(world.engine) as session:
        series = cumulative(session, world.actors["leader_d"], world.campaign_id, push.id, None, TODAY)
    assert series.actual[-1] == sum(_recount(rows, counts_for, u, date(2026, 8, 1), TODAY, channel="push",
                                             measure="pieces") for u in (wa, yx))


# ---------------------------------------------------------------- outreach against the change in case rate

def _set_population(world, **people):
    with world.engine.begin() as connection:
        for code, population in people.items():
            connection.execute(text("UPDATE unit SET population = :p WHERE code = :c"), {"p": population, "c": code})


def test_reach_points_per_station_match_an_independent_computation(world):
    _set_population(world, WA=40_000, YX=25_000, D=120_000)
    for day, people in ((date(2026, 8, 3), 300), (date(2026, 11, 3), 500), (date(2026, 7, 30), 999)):
        world.activity("WA", day, people=people)
    world.activity("WAX", date(2026, 9, 1), people=200)  # the partner's activity counts for WA
    world.activity("YX", date(2026, 10, 1), people=100)
    for moment in (_beijing(2026, 8, 2, 9), _beijing(2026, 11, 20, 23, 59), _beijing(2026, 11, 21, 0)):
        world.case("WA", moment)
    for moment in (_beijing(2025, 8, 1, 0), _beijing(2025, 9, 9), _beijing(2025, 10, 9), _beijing(2025, 11, 21)):
        world.case("WA", moment)
    world.case("YX", _beijing(2025, 12, 1))  # outside last year's days
    reach = _progress(world).reach
    assert not reach.by_bureau and reach.missing == []
    points = {p.name: p for p in reach.points}
    assert set(points) == {"武安派出所", "岩溪派出所"}  # the 分局 is no station: it does not take part here
    wa = points["武安派出所"]
    assert (wa.people, wa.cases, wa.cases_before) == (1000, 2, 3)
    assert wa.reach_per_10k == pytest.approx(1000 / 40_000 * 10_000) == pytest.approx(250)
    assert wa.rate_change == pytest.approx((2 - 3) / 40_000 * 10_000) == pytest.approx(-0.25)
    yx = points["岩溪派出所"]
    assert (yx.people, yx.cases, yx.cases_before, yx.rate_change) == (100, 0, 0, 0)
    assert reach.window == same_days_last_year(date(2026, 8, 1), TODAY)  # the outcome targets' comparison


def test_reach_by_bureau_in_a_city_view_and_units_without_population_are_named(world):
    from services.campaigns.setup import CampaignDraft, TargetDraft, UnitEntry, create_campaign
    from services.units.tree import add_unit
    from vocabulary import UnitKind
    with write_session(world.engine) as session:
        xc = add_unit(session, code="XC", name="西桥派出所", kind=UnitKind.STATION, parent_code="D2").id
        city = create_campaign(session, world.actors["leader_c"], CampaignDraft(
            "全市专项", None, date(2026, 8, 1), date(2026, 12, 31),
            [UnitEntry(world.units["WA"]), UnitEntry(world.units["YX"]), UnitEntry(xc)],
            [TargetDraft("受众", "count", 1000, "人", period="campaign", measure="people")]), now=NOW)
    _set_population(world, D=100_000)  # 芗城 (D2) has none
    with write_session(world.engine) as session:
        session.add_all([Activity(campaign_id=city, unit_id=uid, activity_date=date(2026, 9, 1), outreach="school",
                                  channel="push", people_reached=n, created_at=NOW)
                         for uid, n in ((world.units["WA"], 400), (world.units["YX"], 600), (xc, 50))])
        session.flush()
        tallies.rebuild(session, [city])
    world.case("YX", _beijing(2026, 9, 1, 12))
    world.case("WA", _beijing(2025, 9, 1, 12))
    world.case("WA", _beijing(2025, 9, 2, 12))
    with read_session(world.engine) as session:
        result = progress(session, world.actors["leader_c"], city, TODAY)
    assert [name for _, name in result.bureaus] == ["长泰区公安分局", "芗城分局"]
    reach = result.reach
    assert reach.by_bureau and [p.name for p in reach.points] == ["长泰区公安分局"] and reach.missing == ["芗城分局"]
    point = reach.points[0]
    assert (point.people, point.cases, point.cases_before) == (1000, 1, 2)
    assert point.rate_change == pytest.approx((1 - 2) / 100_000 * 10_000)
    # The matrix groups the units under their 分局; the summary counts its cells by light.
    assert [u.name for u in shown_units(result, MatrixView())] == ["武安派出所", "岩溪派出所", "西桥派出所"]
    assert [u.name for u in shown_units(result, MatrixView(bureau_id=world.units["D2"]))] == ["西桥派出所"]
    summary = {row.name: row for row in bureau_summary(result)}
    assert summary["长泰区公安分局"].units == 2 and summary["芗城分局"].units == 1
    assert sum(summary["长泰区公安分局"].lights.values()) == 2  # one target, two stations
    assert summary["长泰区公安分局"].behind_units == sum(
        any(c.light in (Light.RED, Light.AMBER) for (u, _), c in result.cells.items() if u == unit)
        for unit in (world.units["WA"], world.units["YX"]))


# ---------------------------------------------------------------- export of what the page shows

def test_export_is_the_matrix_as_shown_with_title_and_filters_and_is_audited(world):
    from services.access.actor import AccessDenied
    from services.shared.export_cells import read_back
    world.activity("WA", date(2026, 11, 3), outreach="school")
    view = MatrixView(bureau_id=world.units["D"])
    with write_session(world.engine) as session:
        data = export_matrix(session, world.actors["leader_d"], world.campaign_id, TODAY, view, "xlsx", NOW)
        csv_data = export_matrix(session, world.actors["leader_d"], world.campaign_id, TODAY, view, "csv", NOW)
    result = _progress(world)
    heading, table = read_back(data)
    heading = [tuple(v for v in row if v is not None) for row in heading]
    table = [["" if v is None else v for v in row] for row in table]
    assert heading[0] == ("专项行动目标进度表", "织密防护网专项宣传")
    assert ("分局", "长泰区公安分局") in heading and ("统计日期", TODAY.isoformat()) in heading
    assert list(table[0]) == matrix_header(result)
    assert [list(r) for r in table[1:]] == [matrix_row(result, u) for u in shown_units(result, view)]
    assert table[1][3].startswith(("绿｜", "黄｜", "红｜", "灰｜")) and table[1][2] == "13812345678"
    lines = csv_data.decode("utf-8-sig").splitlines()
    assert lines[0] == "专项行动目标进度表,织密防护网专项宣传" and lines[-1].startswith("岩溪派出所,李警官")
    name = matrix_file_name(result, view, "xlsx")
    assert name == f"目标进度_织密防护网专项宣传_{TODAY.isoformat()}_长泰区公安分局.xlsx"
    assert _scalar(world, "SELECT count(*) FROM audit_log WHERE action = 'export' AND object_type = 'campaign'") == 2
    with write_session(world.engine) as session, pytest.raises(AccessDenied):
        export_matrix(session, world.actors["clerk_wa"], world.campaign_id, TODAY, MatrixView(), "xlsx", NOW)
    with write_session(world.engine) as session, pytest.raises(AccessDenied):  # another 分局: out of scope
        export_matrix(session, world.actors["leader_d"], world.campaign_id, TODAY,
                      MatrixView(bureau_id=world.units["D2"]), "csv", NOW)
    assert _scalar(world, "SELECT count(*) FROM audit_log WHERE action = 'export' AND object_type = 'campaign'") == 2


def test_a_periods_first_days_are_not_behind_until_a_whole_unit_was_due():
    november = (date(2026, 11, 1), date(2026, 11, 30))
    first_day = pace(0, 2, *november, date(2026, 11, 1))
    assert first_day.too_early and first_day.light is Light.GREY  # 2 × 1/30 of a 次 due: nothing can be behind
    assert pace(0, 2, *november, date(2026, 11, 14)).light is Light.GREY  # 0.93 due
    assert not pace(0, 2, *november, date(2026, 11, 15)).too_early  # one whole 次 due: assessed as before
    assert pace(0, 2, *november, date(2026, 11, 15)).light is Light.RED
    assert pace(1, 2, *november, date(2026, 11, 1)).light is Light.GREEN  # ahead of pace stays green
    assert pace(0, 2, *november, date(2026, 12, 1)).light is Light.RED  # the period is over


def test_the_campaigns_first_day_shows_not_yet_assessable_instead_of_behind(world):
    wa, yx = world.units["WA"], world.units["YX"]
    school, people = world.targets["school"], world.targets["people"]
    world.activity("WA", date(2026, 8, 1), outreach="school")
    first = _progress(world, today=date(2026, 8, 1))
    cell = first.cells[(yx, school)]  # 0 of 2 school events on 1 August
    assert cell.light is Light.GREY and "未到考核点" in cell.text and "落后" not in cell.text
    assert first.cells[(wa, school)].light is Light.GREEN  # one on the first day: on pace
    assert "落后" in first.cells[(yx, people)].text  # 1000 people: 6.5 were due on day one, behind as before
    mid = _progress(world, today=date(2026, 8, 16))  # half of August: one event was due
    assert mid.cells[(yx, school)].light is Light.RED and "落后" in mid.cells[(yx, school)].text
    september = _progress(world, today=date(2026, 9, 1))  # August missed: the past period still counts
    assert september.cells[(yx, school)].light is Light.RED and "往期1/1期未达标" in september.cells[(yx, school)].text
