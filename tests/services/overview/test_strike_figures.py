"""总览/大屏 打击挽损 figures (破案, 抓获, 止付/冻结/返还) against a plain recomputation, and equal to 打击挽损's."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from db.engine import read_session, write_session
from db.models import FraudCase, Identifier, RecoveryRequest, StrikeResult, Unit
from services.access.actor import AccessDenied, Actor
from services.overview import api
from services.overview.board import STRIKE_MEASURES, Delta, Measure
from services.shared.timeutil import SHANGHAI, reporting_span
from services.strike import api as strike_api
from vocabulary import Role

NOW = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 2026-11-28 10:30 Beijing time
TODAY = date(2026, 11, 28)

SOLVED = [  # unit, reported (Beijing), solved on (Beijing day; None: not solved)
    ("s1", (2025, 6, 1, 10, 0), date(2026, 11, 28)),     # reported last year, solved today: counts today
    ("s2", (2026, 11, 2, 9, 0), date(2026, 11, 27)),     # solved yesterday
    ("s3", (2026, 11, 28, 0, 0), None),                  # reported today, not solved
    ("s3", (2026, 11, 1, 0, 0), date(2026, 11, 1)),      # the month's first day
    ("d1", (2025, 11, 1, 0, 0), date(2025, 11, 28)),     # the same day last year (held by the district itself)
    ("s1", (2026, 10, 1, 0, 0), date(2026, 10, 28)),     # the last of the same days last month
    ("s1", (2026, 10, 1, 0, 0), date(2026, 10, 29)),     # just after them
    ("s2", (2025, 11, 20, 0, 0), date(2025, 11, 29)),    # just after the same days last year
]
STRIKES = [  # unit, Beijing day, caught
    ("s1", date(2026, 11, 28), 3),
    ("s2", date(2026, 11, 27), 2),
    ("s3", date(2026, 11, 1), 5),
    ("d2", date(2025, 11, 28), 4),
    ("s1", date(2026, 10, 28), 1),
    ("s1", date(2026, 10, 29), 7),
    ("s2", date(2025, 11, 29), 6),
    ("s1", date(2026, 11, 28), 0),
]
LEDGER = [  # unit, requested (Beijing), 止付, 冻结, 返还 (元)
    ("s1", (2026, 11, 28, 0, 0, 0), 10_000, 8_000, 5_000),           # today's first instant (UTC: the 27th, 16:00)
    ("s2", (2026, 11, 27, 23, 59, 59, 999_999), 3_000, 3_000, 0),    # yesterday's last microsecond
    ("s3", (2026, 11, 28, 23, 59, 59), 20_000, 0, 0),                # today, late evening
    ("s1", (2026, 11, 1, 0, 0), 1_000.5, 1_000.5, 1_000.5),          # the month's first instant
    ("d1", (2025, 11, 28, 12, 0), 50_000, 40_000, 30_000),           # the same day last year
    ("s2", (2025, 11, 29, 0, 0), 9_999, 9_999, 9_999),               # just after the same days last year
    ("s3", (2026, 10, 28, 23, 59), 4_000, 2_000, 1_000),             # the last of the same days last month
    ("s3", (2026, 10, 29, 0, 0), 6_000, 6_000, 6_000),               # just after them
]
SUBTREES = {"city": {"city", "d1", "d2", "s1", "s2", "s3"}, "d1": {"d1", "s1", "s2"}, "d2": {"d2", "s3"},
            "s1": {"s1"}, "s3": {"s3"}}


def beijing(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI).astimezone(UTC)


def fen(yuan) -> int:
    return int(Decimal(str(yuan)) * 100)


def _tree(session) -> dict[str, Unit]:
    city = Unit(code="C", name="市局", full_name="市局", kind="city_bureau", level=1, path="")
    session.add(city)
    session.flush()
    city.path = f"/{city.id}/"
    units = {"city": city}
    for key, parent in (("d1", "city"), ("d2", "city"), ("s1", "d1"), ("s2", "d1"), ("s3", "d2")):
        unit = Unit(code=key, name=f"单位{key}", full_name=key, kind="station", level=units[parent].level + 1,
                    parent_id=units[parent].id, path="", sort_order=len(units))
        session.add(unit)
        session.flush()
        unit.path = f"{units[parent].path}{unit.id}/"
        units[key] = unit
    return units


@pytest.fixture
def seeded(engine):
    with write_session(engine) as session:
        units = _tree(session)
        for i, (unit, reported, solved) in enumerate(SOLVED):
            session.add(FraudCase(case_no=f"S{i}", unit_id=units[unit].id, reported_at=beijing(*reported),
                                  fraud_type="rebate", loss_fen=0, solved_on=solved,
                                  solved_how=None if solved is None else "arrest", created_at=NOW, updated_at=NOW))
        for i, (unit, day, caught) in enumerate(STRIKES):
            session.add(StrikeResult(idempotency_key=f"k{i}", unit_id=units[unit].id, result_date=day, caught=caught,
                                     created_at=NOW))
        account = Identifier(kind="bank_account", value_norm="6222020000000000000", first_seen_at=NOW)
        session.add(account)
        session.flush()
        for i, (unit, when, stopped, frozen, returned) in enumerate(LEDGER):
            at = beijing(*when)
            case = FraudCase(case_no=f"L{i}", unit_id=units[unit].id, reported_at=at, fraud_type="rebate",
                             loss_fen=fen(stopped), created_at=NOW, updated_at=NOW)
            session.add(case)
            session.flush()
            session.add(RecoveryRequest(
                idempotency_key=f"r{i}", case_id=case.id, unit_id=units[unit].id, identifier_id=account.id,
                reported_at=at, requested_at=at, requested_fen=fen(stopped), stopped_fen=fen(stopped),
                frozen_fen=fen(frozen), returned_fen=fen(returned), status="frozen", created_at=NOW, updated_at=NOW))
        ids = {key: unit.id for key, unit in units.items()}
    return engine, ids


def actor_of(engine, unit_id: int, role: Role = Role.LEADER) -> Actor:
    with read_session(engine) as session:
        unit = session.get(Unit, unit_id)
        return Actor(1, "u", "u", role, unit.id, unit.path, unit.name, None)


# ---------------------------------------------------------------- the independent recomputation (no SQL, no Period)
def _day(parts) -> date:
    return datetime(*parts, tzinfo=SHANGHAI).date()


def expected(root: str, first: date, last: date) -> dict[Measure, int]:
    keep = SUBTREES[root]
    solved = [u for u, _, day in SOLVED if u in keep and day is not None and first <= day <= last]
    caught = [n for u, day, n in STRIKES if u in keep and first <= day <= last]
    money = [row[2:] for row in LEDGER if row[0] in keep and first <= _day(row[1]) <= last]
    return {Measure.SOLVED: len(solved), Measure.CAUGHT: sum(caught),
            Measure.STOPPED: sum(fen(m[0]) for m in money), Measure.FROZEN: sum(fen(m[1]) for m in money),
            Measure.RETURNED: sum(fen(m[2]) for m in money)}


WINDOWS = {  # span kind -> (current, 环比, 同比) as first/last Beijing days, written out by hand
    "today": ((TODAY, TODAY), (date(2026, 11, 27),) * 2, (date(2025, 11, 28),) * 2),
    "month": ((date(2026, 11, 1), TODAY), (date(2026, 10, 1), date(2026, 10, 28)),
              (date(2025, 11, 1), date(2025, 11, 28))),
}


@pytest.mark.parametrize("root", ["city", "d1", "d2", "s1"])
def test_strike_figures_match_recomputation_for_today_and_the_month(seeded, root):
    engine, ids = seeded
    headline = api.headline(engine, actor_of(engine, ids["city"]), NOW, ids[root])
    for block, kind in zip(headline.blocks, ("today", "month"), strict=True):
        current, previous, year_ago = (expected(root, *days) for days in WINDOWS[kind])
        for figure in block.row(STRIKE_MEASURES):
            assert (figure.value, figure.previous.before, figure.year_ago.before) == (
                current[figure.measure], previous[figure.measure], year_ago[figure.measure]), (kind, figure.measure)


def test_strike_figures_by_hand(seeded):
    engine, ids = seeded
    today, month = api.headline(engine, actor_of(engine, ids["city"]), NOW).blocks
    assert today.figure(Measure.SOLVED).value == 1  # reported in 2025, solved today: counted today
    assert today.figure(Measure.SOLVED).previous.before == 1 and today.figure(Measure.SOLVED).year_ago.before == 1
    assert month.figure(Measure.SOLVED).value == 3 and month.figure(Measure.SOLVED).previous.before == 1
    assert today.figure(Measure.CAUGHT).value == 3 and month.figure(Measure.CAUGHT).value == 3 + 2 + 5
    assert month.figure(Measure.CAUGHT).previous.before == 1  # Oct 28 in, Oct 29 out
    assert month.figure(Measure.CAUGHT).year_ago.before == 4  # 2025-11-29 is out
    # 00:00:00 and 23:59:59 Beijing today; not 23:59:59.999999 the day before (UTC: 15:59:59.999999 on the 27th).
    assert today.figure(Measure.STOPPED).value == fen(30_000)
    assert today.figure(Measure.STOPPED).previous.before == fen(3_000)
    assert month.figure(Measure.FROZEN).value == fen(8_000 + 3_000 + 1_000.5)
    assert month.figure(Measure.RETURNED).value == fen(5_000 + 1_000.5)
    assert month.figure(Measure.RETURNED).year_ago.before == fen(30_000)
    assert month.figure(Measure.STOPPED).shown == "3.40"  # 34,000.50 元 in 万元


def test_the_year_and_a_custom_range_count_solved_by_their_solving_day(seeded):
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    (year,) = api.headline(engine, actor, NOW, span=reporting_span("year", TODAY)).blocks
    want = expected("city", date(2026, 1, 1), TODAY)
    assert {f.measure: f.value for f in year.row(STRIKE_MEASURES)} == want
    assert all(f.previous is None for f in year.row(STRIKE_MEASURES))
    span = reporting_span("custom", TODAY, date(2026, 10, 29), date(2026, 11, 27))
    (custom,) = api.headline(engine, actor, NOW, span=span).blocks
    assert {f.measure: f.value for f in custom.row(STRIKE_MEASURES)} == expected("city", *(span.current.first_day,
                                                                                           span.current.last_day))
    assert custom.figure(Measure.SOLVED).value == 3  # Oct 29, Nov 1, Nov 27


@pytest.mark.parametrize("root", ["city", "d1", "d2", "s1", "s3"])  # d1 and d2 hold figures of their own
def test_the_same_numbers_as_the_strike_page(seeded, root):
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    for kind in ("today", "month", "year"):
        span = reporting_span(kind, TODAY)
        (block,) = api.headline(engine, actor, NOW, ids[root], span).blocks
        (mine, *_) = strike_api.two_up_two_down(engine, actor, ids[root], span)
        for measure, name in ((Measure.SOLVED, "solved"), (Measure.CAUGHT, "caught")):
            figure = block.figure(measure)
            assert (figure.value, figure.year_ago.before) == (mine.changes[name].current, mine.changes[name].previous)
        recovery, saved = strike_api.recovery(engine, actor, ids[root], span)
        assert block.figure(Measure.FROZEN).value == recovery.frozen_fen == saved.total.frozen_fen
        assert block.figure(Measure.RETURNED).value == recovery.returned_fen == saved.total.returned_fen
        shown = strike_api.board(engine, actor, ids[root], span)
        assert block.figure(Measure.STOPPED).value == sum(row.stopped_fen for row in shown.ledger)


def test_a_station_sees_only_its_own_figures(seeded):
    engine, ids = seeded
    station = actor_of(engine, ids["s1"], Role.CLERK)
    today, month = api.headline(engine, station, NOW).blocks
    assert {f.measure: f.value for f in month.row(STRIKE_MEASURES)} == expected("s1", date(2026, 11, 1), TODAY)
    assert today.figure(Measure.STOPPED).value == fen(10_000)  # s3's 20,000 that day is not its own
    with pytest.raises(AccessDenied):
        api.headline(engine, station, NOW, ids["d1"])


@pytest.mark.parametrize(("measure", "before", "after", "good"), [
    (Measure.SOLVED, 1, 3, True), (Measure.SOLVED, 3, 1, False), (Measure.CAUGHT, 2, 5, True),
    (Measure.CAUGHT, 5, 5, None), (Measure.CASES, 1, 3, False), (Measure.LOSS, 3, 1, True),
    (Measure.STOPPED, 1, 3, None), (Measure.FROZEN, 3, 1, None), (Measure.RETURNED, 0, 1, None),
])
def test_two_up_two_down_colours_solved_and_caught_up_as_good(measure, before, after, good):
    assert Delta(before, after, measure).good is good


def test_the_moment_changes_the_day_at_16_utc(seeded):
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    before = api.headline(engine, actor, datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC)).blocks[0]
    after = api.headline(engine, actor, datetime(2026, 11, 27, 16, 0, tzinfo=UTC)).blocks[0]
    assert before.span.current.first_day == date(2026, 11, 27) and after.span.current.first_day == TODAY
    assert before.figure(Measure.STOPPED).value == fen(3_000) and before.figure(Measure.SOLVED).value == 1
    assert after.figure(Measure.STOPPED).value == fen(30_000) and after.figure(Measure.CAUGHT).value == 3
    assert after.figure(Measure.STOPPED).previous.before == fen(3_000)
