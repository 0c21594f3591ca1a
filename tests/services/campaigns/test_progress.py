"""The progress read model, every figure checked against an independent recount in SQL or by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest
from campaign_world import NOW, TODAY, build_world
from sqlalchemy import text

from db.engine import read_session, write_session
from services.campaigns import entries
from services.campaigns.progress import cumulative, gaps, pace, periods, progress, same_days_last_year
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
