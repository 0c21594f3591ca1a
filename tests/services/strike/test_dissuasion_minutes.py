"""劝阻 minutes: every stage of each record (a missing stage has no minutes, never 0) and the medians per unit,
against known answers and a plain-Python recomputation; Beijing day edges with the server zone UTC."""

import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from services.shared.timeutil import reporting_span, shanghai_today
from services.strike import api, cells
from services.strike.dissuasion import DissuasionDraft
from vocabulary import DissuasionOutcome

STOPPED, PAID, UNREACHABLE = DissuasionOutcome.STOPPED, DissuasionOutcome.PAID, DissuasionOutcome.UNREACHABLE
STAGES = ("to_attempt", "to_reach", "to_outcome", "total")


def _records(day: datetime) -> list[tuple]:
    """(unit code, warning, attempted, reached, outcome, outcome time) as Beijing wall times; `day` is 00:00."""
    m = lambda minutes: day + timedelta(minutes=minutes)  # noqa: E731
    return [
        ("WA", m(0), m(3), m(10), STOPPED, m(25)),  # the first minute of the Beijing day
        ("WA", m(540), m(542), None, UNREACHABLE, m(600)),  # never reached: no reach or reach→outcome minutes
        ("WA", m(1430), m(1431.5), m(1445), PAID, None),  # 23:50, reached after midnight; outcome time not kept
        ("YX", m(720), m(730), m(760), STOPPED, m(761)),
        ("YX", m(-1), m(30), m(40), STOPPED, m(50)),  # 23:59 the day before: another day
        ("D", m(1440), m(1441), m(1442), STOPPED, m(1443)),  # 00:00 the next day: another day
    ]


def _save(engine, actor, ids, records) -> None:
    for code, warning, attempted, reached, outcome, outcome_at in records:
        draft = DissuasionDraft(ids[code], warning, outcome, attempted, reached, outcome_at=outcome_at)
        api.add_dissuasion(engine, actor, draft, uuid.uuid4().hex)


def _recount(records, day: datetime) -> dict[str, dict[str, Decimal | None]]:
    """The medians again, in plain Python over the records of the day: per unit row and for the whole 长泰."""
    ends = {"to_attempt": (1, 2), "to_reach": (2, 3), "to_outcome": (3, 5), "total": (1, 5)}
    inside = [r for r in records if day <= r[1] < day + timedelta(days=1)]
    groups = {"长泰区公安分局": inside, "武安派出所": [r for r in inside if r[0] == "WA"],
              "岩溪派出所": [r for r in inside if r[0] == "YX"]}
    result = {}
    for name, rows in groups.items():
        result[name] = {}
        for stage, (a, b) in ends.items():
            minutes = [(r[b] - r[a]).total_seconds() / 60 for r in rows if r[a] is not None and r[b] is not None]
            result[name][stage] = (Decimal(str(median(minutes))).quantize(Decimal("0.1"), ROUND_HALF_UP)
                                   if minutes else None)
    return result


def test_each_stage_and_the_medians_per_unit(world):
    engine, actors, ids = world
    day_date = shanghai_today() - timedelta(days=3)
    day = datetime(day_date.year, day_date.month, day_date.day)  # naive: Beijing wall time, as forms give it
    records = _records(day)
    _save(engine, actors["desk"], ids, records)
    board = api.board(engine, actors["changtai"], ids["D"], reporting_span("custom", shanghai_today(), day_date,
                                                                           day_date))
    rows = sorted(board.dissuasions, key=lambda r: r.warning_at)
    D = Decimal
    assert [(r.unit_name, r.minutes) for r in rows] == [
        ("武安派出所", {"to_attempt": D("3.0"), "to_reach": D("7.0"), "to_outcome": D("15.0"), "total": D("25.0")}),
        ("武安派出所", {"to_attempt": D("2.0"), "to_reach": None, "to_outcome": None, "total": D("60.0")}),
        ("岩溪派出所", {"to_attempt": D("10.0"), "to_reach": D("30.0"), "to_outcome": D("1.0"), "total": D("41.0")}),
        ("武安派出所", {"to_attempt": D("1.5"), "to_reach": D("13.5"), "to_outcome": None, "total": None}),
    ]
    medians = {m.name: m.medians for m in board.dissuasion_minutes}
    assert medians == {
        "长泰区公安分局": {"to_attempt": D("2.5"), "to_reach": D("13.5"), "to_outcome": D("8.0"), "total": D("41.0")},
        "武安派出所": {"to_attempt": D("2.0"), "to_reach": D("10.3"), "to_outcome": D("15.0"), "total": D("42.5")},
        "岩溪派出所": {"to_attempt": D("10.0"), "to_reach": D("30.0"), "to_outcome": D("1.0"), "total": D("41.0")},
    }
    assert medians == _recount(records, day)
    assert [(m.name, m.dissuasions, m.counted) for m in board.dissuasion_minutes] == [
        ("长泰区公安分局", 4, {"to_attempt": 4, "to_reach": 3, "to_outcome": 2, "total": 3}),
        ("武安派出所", 3, {"to_attempt": 3, "to_reach": 2, "to_outcome": 1, "total": 2}),
        ("岩溪派出所", 1, {"to_attempt": 1, "to_reach": 1, "to_outcome": 1, "total": 1}),
    ]
    # The cells the page and the export show: a missing stage is empty, not 0; a median names what it counts.
    shown = {tuple(r[:2]): r[-4:] for r in cells.dissuasion_rows(rows)}
    assert shown[("武安派出所", f"{day_date} 09:00")] == ["2.0", "", "", "60.0"]
    assert cells.dissuasion_median_rows(board.dissuasion_minutes)[1] == ["武安派出所", 3, "2.0（3）", "10.3（2）",
                                                                         "15.0（1）", "42.5（2）"]


def test_a_unit_without_children_and_a_period_without_records(world):
    engine, actors, ids = world
    today = shanghai_today()
    board = api.board(engine, actors["clerk"], ids["WA"], reporting_span("today", today))
    assert [(m.name, m.dissuasions, m.medians) for m in board.dissuasion_minutes] == [
        ("武安派出所", 0, dict.fromkeys(STAGES))]
    assert cells.dissuasion_median_rows(board.dissuasion_minutes) == [["武安派出所", 0, "—", "—", "—", "—"]]
