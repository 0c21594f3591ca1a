"""Case map read model: every figure against plain Python over the inserted rows, on SQLite and PostgreSQL."""

import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.engine import make_engine, read_session, write_session
from db.models import (
    AccountabilityItem,
    AccountabilityRule,
    Campaign,
    FraudCase,
    Identifier,
    Interception,
    RecoveryRequest,
    StrikeResult,
    Unit,
)
from services.access.actor import AccessDenied, Actor
from services.cases.read import CaseFilter, list_cases
from services.map.read import (
    MapFilter,
    case_marks,
    choose_grid,
    depth_label,
    jurisdiction_detail,
    jurisdiction_measures,
    time_window,
    week_starts,
)
from services.shared.errors import InvalidInput
from services.shared.loss_bands import LOSS_BANDS
from services.shared.timeutil import SHANGHAI, period_of_days, reporting_span
from services.strike import read as strike_read
from services.strike.shared_measures import strike_figures
from services.units.tree import add_unit
from vocabulary import FraudType, MapWindow, RecoveryStatus, Role

TODAY = date(2026, 11, 18)  # a Wednesday
TYPES = [FraudType.REBATE, FraudType.INVESTMENT, FraudType.FAKE_AUTHORITY]


def bj(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A Beijing wall-clock time as a UTC instant."""
    return datetime(y, mo, d, h, mi, s, tzinfo=SHANGHAI).astimezone(UTC)


def square(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


# code: (name, kind, parent, box (w, s, e, n) or None, population, synthetic)
UNITS = {
    "C": ("市局", "city_bureau", None, (117.0, 24.0, 118.0, 25.0), 1_000_000, False),
    "D1": ("甲区公安分局", "district_bureau", "C", (117.0, 24.0, 117.5, 25.0), 400_000, False),
    "D2": ("乙县公安局", "district_bureau", "C", (117.5, 24.0, 118.0, 25.0), None, False),
    "S11": ("一所", "station", "D1", (117.0, 24.0, 117.25, 25.0), 100_000, True),
    "S12": ("二所", "station", "D1", (117.25, 24.0, 117.5, 25.0), None, True),
    "S21": ("三所", "station", "D2", (117.5, 24.0, 117.75, 25.0), 50_000, True),
    "S22": ("四所", "station", "D2", (117.75, 24.0, 118.0, 25.0), 80_000, True),
    "CC": ("指挥中心", "command_center", "C", None, None, False),
}
PARENT = {code: spec[2] for code, spec in UNITS.items()}


@dataclass(frozen=True)
class Row:
    """A case as inserted, for the independent computation."""

    no: str
    unit: str
    local: datetime  # Beijing wall-clock time, naive
    fraud_type: FraudType
    loss: int
    recovered: int
    lon: float | None
    lat: float | None


def _edge_rows() -> list[Row]:
    """Cases on the edges of the 7-day window (Beijing days 11-12..11-18, previous 11-05..11-11) and loss bands."""
    edges = [
        ("E-prev-last", datetime(2026, 11, 11, 23, 59, 59), 1_000_000),
        ("E-cur-first", datetime(2026, 11, 12, 0, 0, 0), 999_999),
        ("E-cur-last", datetime(2026, 11, 18, 23, 59, 59), 10_000_000),
        ("E-after", datetime(2026, 11, 19, 0, 0, 0), 10_000_000),
        ("E-prev-first", datetime(2026, 11, 5, 0, 0, 0), 9_999_999),
        ("E-before", datetime(2026, 11, 4, 23, 59, 59), 1_000_000),
    ]
    return [Row(no, "S11", local, FraudType.REBATE, loss, 0, 117.1234, 24.4321) for no, local, loss in edges]


def _random_rows(seed: int = 7, n: int = 260) -> list[Row]:
    rng = random.Random(seed)
    codes = list(UNITS)
    rows = []
    for i in range(n):
        unit = rng.choice(codes)
        box = UNITS[unit][3] or UNITS["C"][3]
        local = datetime(2026, 8, 1) + timedelta(minutes=rng.randrange(0, 112 * 24 * 60))
        located = rng.random() > 0.2
        loss = rng.choice([0, 999_999, 1_000_000, 5_000_000, 9_999_999, 10_000_000, 120_000_000, rng.randrange(10**8)])
        rows.append(Row(
            f"R{i:04d}", unit, local, rng.choice(TYPES), loss, rng.randrange(0, loss + 1),
            round(rng.uniform(box[0] + 1e-4, box[2] - 1e-4), 6) if located else None,
            round(rng.uniform(box[1] + 1e-4, box[3] - 1e-4), 6) if located else None,
        ))
    return rows


@dataclass
class World:
    engine: object
    ids: dict[str, int]
    paths: dict[str, str]
    rows: list[Row]
    case_ids: dict[str, int]

    def actor(self, code: str, role: Role = Role.LEADER) -> Actor:
        return Actor(1, f"u_{code}", f"u_{code}", role, self.ids[code], self.paths[code], UNITS[code][0], "127.0.0.1")


def _insert_units(session) -> dict[str, int]:
    ids = {}
    for code, (name, kind, parent, box, population, synthetic) in UNITS.items():
        unit = add_unit(session, code=code, name=name, kind=kind, parent_code=parent)
        unit.boundary_geojson = json.dumps(square(*box)) if box else None
        unit.population, unit.boundary_synthetic = population, synthetic
        ids[code] = unit.id
    return ids


def _insert_cases(session, ids: dict[str, int], rows: list[Row]) -> dict[str, int]:
    case_ids = {}
    for row in rows:
        at = row.local.replace(tzinfo=SHANGHAI).astimezone(UTC)
        case = FraudCase(case_no=row.no, unit_id=ids[row.unit], reported_at=at, fraud_type=row.fraud_type.value,
                         loss_fen=row.loss, recovered_fen=row.recovered, lon=row.lon, lat=row.lat,
                         victim_name="王小明", created_at=at, updated_at=at)
        session.add(case)
        session.flush()
        case_ids[row.no] = case.id
    return case_ids


@pytest.fixture
def world(engine) -> World:
    rows = _edge_rows() + _random_rows()
    with write_session(engine) as session:
        ids = _insert_units(session)
        case_ids = _insert_cases(session, ids, rows)
        paths = {code: session.get(Unit, uid).path for code, uid in ids.items()}
    return World(engine, ids, paths, rows, case_ids)


# ---------------------------------------------------------------- the independent computation


def ancestors(code: str) -> list[str]:
    chain = [code]
    while PARENT[chain[-1]] is not None:
        chain.append(PARENT[chain[-1]])
    return chain


def row_key(code: str, shown: set[str]) -> tuple[str, bool]:
    """The shown jurisdiction holding a unit, or the unit's own-level row."""
    for ancestor in reversed(ancestors(code)):
        if ancestor in shown:
            return ancestor, False
    return code, True


def expected_rows(rows: list[Row], shown: set[str], first: date, last: date, prev_first: date, prev_last: date,
                  keep=lambda r: True) -> dict[tuple[str, bool], dict]:
    figures: dict[tuple[str, bool], dict] = defaultdict(lambda: Counter())
    for r in rows:
        if not keep(r):
            continue
        key = row_key(r.unit, shown)
        if first <= r.local.date() <= last:
            figures[key]["cases"] += 1
            figures[key]["loss"] += r.loss
            figures[key]["unlocated"] += r.lon is None
        elif prev_first <= r.local.date() <= prev_last:
            figures[key]["prev_cases"] += 1
            figures[key]["prev_loss"] += r.loss
    for code in shown:
        figures[(code, False)]  # every drawn jurisdiction appears, with or without cases
    return {key: value for key, value in figures.items() if not key[1] or value["cases"] or value["prev_cases"]}


def per_10k(cases: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(cases * 10_000) / population).quantize(Decimal("0.01"), ROUND_HALF_UP)


def check_measures(world: World, measures, expected: dict) -> None:
    by_id = {code: uid for code, uid in world.ids.items()}
    got = {}
    for m in measures:
        code = next(c for c, uid in by_id.items() if uid == m.unit_id)
        got[(code, m.own_level)] = m
    assert set(got) == set(expected)
    for (code, own), want in expected.items():
        m = got[(code, own)]
        name, _, _, box, population, synthetic = UNITS[code]
        assert (m.cases, m.loss_fen, m.unlocated) == (want["cases"], want["loss"], want["unlocated"]), code
        assert (m.prev_cases, m.prev_loss_fen) == (want["prev_cases"], want["prev_loss"]), code
        if own:
            assert m.name == f"{name}（本级）" and m.boundary is None and m.per_10k is None
        else:
            assert m.name == name
            assert m.boundary == (square(*box) if box else None)
            assert m.synthetic_boundary == synthetic and m.population == population
            assert m.per_10k == per_10k(want["cases"], population)


def measures_for(world: World, actor_code: str = "C", **criteria):
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        return jurisdiction_measures(session, world.actor(actor_code), MapFilter.of(window, **criteria))


SEVEN_DAYS = (date(2026, 11, 12), date(2026, 11, 18), date(2026, 11, 5), date(2026, 11, 11))


# ---------------------------------------------------------------- time windows


def test_time_windows_are_beijing_days():
    assert time_window("today", TODAY) == (bj(2026, 11, 18), bj(2026, 11, 19), bj(2026, 11, 17), bj(2026, 11, 18))
    assert time_window("7d", TODAY) == (bj(2026, 11, 12), bj(2026, 11, 19), bj(2026, 11, 5), bj(2026, 11, 12))
    assert time_window("30d", TODAY) == (bj(2026, 10, 20), bj(2026, 11, 19), bj(2026, 9, 20), bj(2026, 10, 20))
    assert time_window("month", TODAY) == (bj(2026, 11, 1), bj(2026, 11, 19), bj(2026, 10, 1), bj(2026, 10, 19))
    # The same days of a shorter month are clipped to its end.
    assert time_window("month", date(2026, 3, 31)) == (bj(2026, 3, 1), bj(2026, 4, 1), bj(2026, 2, 1),
                                                       bj(2026, 3, 1))
    assert time_window("custom", TODAY, date(2026, 11, 2), date(2026, 11, 4)) == (
        bj(2026, 11, 2), bj(2026, 11, 5), bj(2026, 10, 30), bj(2026, 11, 2))


@pytest.mark.parametrize("args", [
    ("custom", None, None), ("custom", date(2026, 11, 5), date(2026, 11, 4)),
    ("custom", date(2025, 1, 1), date(2026, 1, 2)), ("year", None, None),
])
def test_bad_windows_are_refused_in_chinese(args):
    kind, first, last = args
    with pytest.raises(InvalidInput) as raised:
        time_window(kind, TODAY, first, last)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in raised.value.errors.values())


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.sampled_from(["today", "7d", "30d"]))
def test_previous_period_is_the_same_length_just_before(today, kind):
    start, end, prev_start, prev_end = time_window(kind, today)
    days = {"today": 1, "7d": 7, "30d": 30}[kind]
    assert end - start == prev_end - prev_start == timedelta(days=days)
    assert prev_end == start and end == bj(today.year, today.month, today.day) + timedelta(days=1)
    assert start.astimezone(SHANGHAI).time() == datetime.min.time()


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(0, 365))
def test_custom_window_covers_whole_days(first, length):
    last = first + timedelta(days=length)
    start, end, prev_start, prev_end = time_window("custom", last, first, last)
    assert (start, end) == (bj(first.year, first.month, first.day), bj(last.year, last.month, last.day)
                            + timedelta(days=1))
    assert prev_end == start and end - start == prev_end - prev_start


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_month_window_compares_the_same_days_of_last_month(today):
    start, end, prev_start, prev_end = time_window("month", today)
    prev_first = prev_start.astimezone(SHANGHAI).date()
    prev_last = (prev_end - timedelta(seconds=1)).astimezone(SHANGHAI).date()
    assert start.astimezone(SHANGHAI).date() == today.replace(day=1)
    assert prev_first.day == 1 and (prev_first.month % 12) + 1 == today.month
    assert prev_last.month == prev_first.month and prev_last.day <= today.day
    assert prev_last.day == today.day or (prev_last + timedelta(days=1)).month == today.month


def test_filter_refuses_bad_input():
    start, end = bj(2026, 11, 1), bj(2026, 11, 2)
    for bad in (dict(start=end, end=start), dict(start=start, end=end, depth=3),
                dict(start=start, end=end, min_loss_fen=10, max_loss_fen=10),
                dict(start=start, end=end, min_loss_fen=-1),
                dict(start=start.replace(tzinfo=None), end=end), dict(start=start, end=end, fraud_type="lottery")):
        with pytest.raises(InvalidInput):
            MapFilter(**bad)
    assert MapFilter(start, end).previous == (bj(2026, 10, 31), start)


def test_depth_labels():
    assert depth_label(1, 1) == "分局/县局" and depth_label(1, 2) == "派出所" and depth_label(2, 1) == "派出所"


# ---------------------------------------------------------------- jurisdictions


def test_city_districts_roll_up_stations_and_keep_own_level_cases(world):
    expected = expected_rows(world.rows, {"D1", "D2", "CC"}, *SEVEN_DAYS)
    assert ("C", True) in expected  # the city's own cases form a 本级 row
    measures = measures_for(world)
    check_measures(world, measures, expected)
    assert measures[0].own_level and measures[0].name == "市局（本级）"
    # Nothing is dropped: the rows add up to every case of the window.
    assert sum(m.cases for m in measures) == sum(1 for r in world.rows if SEVEN_DAYS[0] <= r.local.date()
                                                 <= SEVEN_DAYS[1])


def test_city_stations_with_district_own_level_rows(world):
    expected = expected_rows(world.rows, {"S11", "S12", "S21", "S22", "CC"}, *SEVEN_DAYS)
    assert ("D1", True) in expected or ("D2", True) in expected
    check_measures(world, measures_for(world, depth=2), expected)


def test_district_depths_both_show_its_stations(world):
    expected = expected_rows(world.rows, {"S11", "S12"}, *SEVEN_DAYS, keep=lambda r: "D1" in ancestors(r.unit))
    for depth in (1, 2):
        check_measures(world, measures_for(world, "D1", depth=depth), expected)


def test_window_edges_are_beijing_midnights(world):
    measures = measures_for(world, "S11")
    assert len(measures) == 1 and measures[0].unit_id == world.ids["S11"]  # a station sees its own polygon
    current = {r.no for r in world.rows if r.unit == "S11" and SEVEN_DAYS[0] <= r.local.date() <= SEVEN_DAYS[1]}
    previous = {r.no for r in world.rows if r.unit == "S11" and SEVEN_DAYS[2] <= r.local.date() <= SEVEN_DAYS[3]}
    assert {"E-cur-first", "E-cur-last"} <= current and not {"E-after", "E-prev-last"} & current
    assert {"E-prev-first", "E-prev-last"} <= previous and not {"E-before", "E-cur-first"} & previous
    assert (measures[0].cases, measures[0].prev_cases) == (len(current), len(previous))


@pytest.mark.parametrize("band", ["lt1w", "1w_10w", "ge10w"])
def test_loss_band_is_half_open(world, band):
    _, low, high = LOSS_BANDS[band]

    def keep(r: Row) -> bool:
        return (low is None or r.loss >= low) and (high is None or r.loss < high)

    expected = expected_rows(world.rows, {"D1", "D2", "CC"}, *SEVEN_DAYS, keep=keep)
    check_measures(world, measures_for(world, min_loss_fen=low, max_loss_fen=high), expected)
    # The edge cases sit on the band limits (999,999 / 1,000,000 / 9,999,999 / 10,000,000 fen).
    expected_s11 = expected_rows(world.rows, {"S11"}, *SEVEN_DAYS, keep=lambda r: r.unit == "S11" and keep(r))
    check_measures(world, measures_for(world, "S11", min_loss_fen=low, max_loss_fen=high), expected_s11)


def test_fraud_type_filter(world):
    expected = expected_rows(world.rows, {"D1", "D2", "CC"}, *SEVEN_DAYS,
                             keep=lambda r: r.fraud_type == FraudType.INVESTMENT)
    check_measures(world, measures_for(world, fraud_type=FraudType.INVESTMENT), expected)


def test_scope_and_permission(world):
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        with pytest.raises(AccessDenied):
            jurisdiction_measures(session, world.actor("S11"), MapFilter.of(window, unit_id=world.ids["D1"]))
        with pytest.raises(AccessDenied):
            case_marks(session, world.actor("S11"), MapFilter.of(window, unit_id=world.ids["S12"]))
        with pytest.raises(AccessDenied):
            jurisdiction_detail(session, world.actor("D1"), world.ids["S21"], MapFilter.of(window))
        # The wall colours its map by the jurisdiction measures (counts only) but sees no case points or details.
        assert jurisdiction_measures(session, world.actor("C", Role.WALL), MapFilter.of(window))
        with pytest.raises(AccessDenied):
            case_marks(session, world.actor("C", Role.WALL), MapFilter.of(window))
        with pytest.raises(AccessDenied):
            jurisdiction_detail(session, world.actor("C", Role.WALL), world.ids["D1"], MapFilter.of(window))


# ---------------------------------------------------------------- points and grid


def located_in_window(rows: list[Row], first: date, last: date, codes: set[str]) -> list[Row]:
    return [r for r in rows if first <= r.local.date() <= last and r.unit in codes]


def test_points_up_to_max_then_grid(world):
    window = time_window(MapWindow.DAYS_30, TODAY)
    first, last = date(2026, 10, 20), TODAY
    chosen = located_in_window(world.rows, first, last, set(UNITS))
    located = [r for r in chosen if r.lon is not None]
    with read_session(world.engine) as session:
        actor, f = world.actor("C"), MapFilter.of(window)
        points = case_marks(session, actor, f, max_points=len(located))
        grid = case_marks(session, actor, f, max_points=len(located) - 1)
    assert not points.is_grid and points.cells == []
    assert points.located == len(located) and points.unlocated == len(chosen) - len(located)
    by_id = {world.case_ids[r.no]: r for r in located}
    assert {p.case_id for p in points.points} == set(by_id)
    for p in points.points:
        r = by_id[p.case_id]
        assert (p.lon, p.lat, p.loss_fen, p.fraud_type_label) == (r.lon, r.lat, r.loss, FraudType(r.fraud_type).label)
    assert grid.is_grid and grid.points == [] and grid.unlocated == points.unlocated
    assert sum(c.cases for c in grid.cells) == len(located)
    assert sum(c.loss_fen for c in grid.cells) == sum(r.loss for r in located)
    half_x, half_y = grid.cell_lon_degrees / 2, grid.cell_lat_degrees / 2
    for cell in grid.cells:
        inside = [r for r in located if abs(r.lon - cell.lon) < half_x and abs(r.lat - cell.lat) < half_y]
        assert (cell.cases, cell.loss_fen) == (len(inside), sum(r.loss for r in inside))


def test_grid_is_bounded_and_follows_the_filter(world):
    window = time_window(MapWindow.DAYS_30, TODAY)
    with read_session(world.engine) as session:
        marks = case_marks(session, world.actor("D1"), MapFilter.of(window, fraud_type=FraudType.REBATE),
                           max_points=0, max_cells=16)
    chosen = [r for r in located_in_window(world.rows, date(2026, 10, 20), TODAY, {"D1", "S11", "S12"})
              if r.fraud_type == FraudType.REBATE]
    assert len(marks.cells) <= 16 and sum(c.cases for c in marks.cells) == sum(r.lon is not None for r in chosen)
    assert marks.unlocated == sum(r.lon is None for r in chosen)


@given(st.floats(-179, 179), st.floats(0, 5), st.floats(-80, 79), st.floats(0, 5), st.integers(1, 5000))
def test_choose_grid_bounds_the_cells(west, width, south, height, max_cells):
    east, north = min(west + width, 180.0), min(south + height, 80.0)
    grid = choose_grid(west, east, south, north, max_cells)
    # The cell index as SQL computes it: floor((coordinate + offset) / size).
    across = math.floor((east + 180) / grid.lon_degrees) - math.floor((west + 180) / grid.lon_degrees) + 1
    down = math.floor((north + 90) / grid.lat_degrees) - math.floor((south + 90) / grid.lat_degrees) + 1
    assert across * down <= max_cells


# ---------------------------------------------------------------- one jurisdiction


def _accountability(world: World) -> list[tuple[str, str, str, date]]:
    """Items on some cases: (case no, level, status, due)."""
    at = {code: [r.no for r in world.rows if r.unit == code] for code in ("D1", "S21")}
    specs = [(at["D1"][0], "l10w", "pending", date(2026, 11, 30)),
             (at["D1"][1], "l50w", "closed", date(2026, 11, 19)),
             (at["S21"][0], "l100w", "submitted", date(2026, 11, 20)),
             ("E-before", "l10w", "returned", date(2026, 12, 1)),
             ("E-cur-last", "l10w", "approved", date(2026, 11, 28)),
             ("E-after", "l100w", "closed", date(2026, 11, 21))]
    with write_session(world.engine) as session:
        rule = session.execute(select(AccountabilityRule.id)).scalars().first()
        for no, level, status, due in specs:
            row = next(r for r in world.rows if r.no == no)
            session.add(AccountabilityItem(
                case_id=world.case_ids[no], unit_id=world.ids[row.unit], rule_id=rule, level=level,
                required_action="说明原因", responsible="所长", due_date=due, status=status,
                raised_at=bj(2026, 11, 1)))
    return specs


def _interceptions(world: World) -> list[tuple[str, datetime, int, FraudType]]:
    specs = [("S11", bj(2026, 11, 12), 500_000, FraudType.REBATE),
             ("S12", bj(2026, 11, 18, 23, 59), 70_000, FraudType.INVESTMENT),
             ("D1", bj(2026, 11, 15), 30_000, FraudType.REBATE),
             ("S11", bj(2026, 11, 11, 23, 59), 999, FraudType.REBATE),  # the day before the window
             ("S21", bj(2026, 11, 14), 123, FraudType.REBATE)]
    with write_session(world.engine) as session:
        for code, at, amount, kind in specs:
            session.add(Interception(unit_id=world.ids[code], intercepted_at=at, branch_name="某银行网点",
                                     amount_fen=amount, fraud_type=kind.value, created_at=at))
        # Recorded 未能阻截: in the window and the unit, but not 阻截 (services.strike.measures), so not in specs.
        session.add(Interception(unit_id=world.ids["S11"], intercepted_at=bj(2026, 11, 13), branch_name="某银行网点",
                                 amount_fen=880_000, fraud_type=FraudType.INVESTMENT.value, outcome="failed",
                                 created_at=bj(2026, 11, 13)))
    return specs


@pytest.mark.parametrize("own_level", [False, True])
def test_jurisdiction_detail_against_plain_python(world, own_level):
    items = _accountability(world)
    interceptions = _interceptions(world)
    units = {"D1"} if own_level else {"D1", "S11", "S12"}
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        detail = jurisdiction_detail(session, world.actor("C"), world.ids["D1"], MapFilter.of(window),
                                     own_level=own_level)
    in_window = located_in_window(world.rows, *SEVEN_DAYS[:2], units)
    assert (detail.cases, detail.loss_fen, detail.recovered_fen) == (
        len(in_window), sum(r.loss for r in in_window), sum(r.recovered for r in in_window))
    assert detail.name == ("甲区公安分局（本级）" if own_level else "甲区公安分局")
    by_type = Counter(r.fraud_type for r in in_window)
    assert [(t.fraud_type, t.cases) for t in detail.types] == sorted(
        ((k.value, n) for k, n in by_type.items()), key=lambda kv: (-kv[1], -sum(
            r.loss for r in in_window if r.fraud_type == kv[0]), kv[0]))
    for t in detail.types:
        assert t.loss_fen == sum(r.loss for r in in_window if r.fraud_type == t.fraud_type)
    largest = sorted(in_window, key=lambda r: (-r.loss, world.case_ids[r.no]))[:10]
    assert [c.case_no for c in detail.largest] == [r.no for r in largest]
    assert all(not hasattr(c, "victim_name") for c in detail.largest)
    # Twelve Beijing weeks ending with the one holding the window's last day (Monday 11-16).
    assert [w.week_start for w in detail.weeks] == [date(2026, 11, 16) - timedelta(weeks=i) for i in range(11, -1, -1)]
    for w in detail.weeks:
        week = [r for r in world.rows if r.unit in units and r.local.date() <= TODAY
                and w.week_start <= r.local.date() < w.week_start + timedelta(days=7)]
        assert (w.cases, w.loss_fen) == (len(week), sum(r.loss for r in week)), w.week_start
    open_items = [(no, level, status, due) for no, level, status, due in items if status != "closed"
                  and next(r for r in world.rows if r.no == no).unit in units]
    assert detail.open_items_total == len(open_items)
    assert [i.case_no for i in detail.open_items] == [no for no, *_ , due in sorted(open_items, key=lambda i: i[3])]
    assert {c.level: c.count for c in detail.open_by_level} == dict(Counter(level for _, level, _, _ in open_items))
    got_in = [(code, amount) for code, at, amount, _ in interceptions
              if code in units and SEVEN_DAYS[0] <= at.astimezone(SHANGHAI).date() <= SEVEN_DAYS[1]]
    assert (detail.interceptions, detail.intercepted_fen) == (len(got_in), sum(a for _, a in got_in))


def test_detail_follows_type_filter_for_interceptions(world):
    _interceptions(world)
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        detail = jurisdiction_detail(session, world.actor("D1"), world.ids["D1"],
                                     MapFilter.of(window, fraud_type=FraudType.INVESTMENT))
    assert (detail.interceptions, detail.intercepted_fen) == (1, 70_000)
    assert {t.fraud_type for t in detail.types} <= {FraudType.INVESTMENT.value}


def test_week_starts_are_beijing_mondays():
    # 2026-11-16 00:00 Beijing is Sunday 16:00 UTC: the instant just before it belongs to the week of 11-09.
    assert week_starts(bj(2026, 11, 16), 2) == [date(2026, 11, 2), date(2026, 11, 9)]
    assert week_starts(bj(2026, 11, 16, 0, 0, 1), 1) == [date(2026, 11, 16)]


# ---------------------------------------------------------------- the demo database


def test_demo_grid_and_unlocated_match_the_case_register(demo_db_url):
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        leader = _demo_leader(session)
        window = time_window(MapWindow.DAYS_30, datetime.now(UTC).astimezone(SHANGHAI).date())
        for criteria in ({}, {"fraud_type": FraudType.REBATE}, {"min_loss_fen": 1_000_000, "max_loss_fen": 10_000_000}):
            f = MapFilter.of(window, **criteria)
            marks = case_marks(session, leader, f, max_points=5)
            total = list_cases(session, leader, CaseFilter(start=f.start, end=f.end, **criteria)).total
            assert marks.is_grid and sum(c.cases for c in marks.cells) + marks.unlocated == total
            measures = jurisdiction_measures(session, leader, MapFilter.of(window, depth=2, **criteria))
            assert sum(m.cases for m in measures) == total
            assert sum(m.unlocated for m in measures) == marks.unlocated
    engine.dispose()


def _demo_leader(session) -> Actor:
    city = session.execute(select(Unit).where(Unit.level == 1)).scalars().first()
    return Actor(1, "leader", "leader", Role.LEADER, city.id, city.path, city.name, "127.0.0.1")


def test_jurisdiction_detail_lists_a_campaign_item_with_its_source_and_chinese_level(world):
    """A campaign item has no case: the detail names its source and labels its level in Chinese."""
    with write_session(world.engine) as session:
        campaign = Campaign(name="夏季宣传", start_date=date(2026, 6, 1), end_date=date(2026, 12, 31),
                            owner_unit_id=world.ids["D1"], created_at=bj(2026, 6, 1))
        session.add(campaign)
        session.flush()
        session.add(AccountabilityItem(
            campaign_id=campaign.id, trigger_key="missed:4", reason="连续2期未报送", unit_id=world.ids["S11"],
            level="talk", required_action="谈话", responsible="所长", due_date=date(2026, 11, 20),
            status="pending", raised_at=bj(2026, 11, 13)))
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        detail = jurisdiction_detail(session, world.actor("C"), world.ids["D1"], MapFilter.of(window))
    assert detail.open_items_total == 1
    assert [(i.case_no, i.level_label) for i in detail.open_items] == [("专项行动", "谈话")]
    assert [(c.label, c.count) for c in detail.open_by_level] == [("谈话", 1)]


# ---------------------------------------------------------------- 破案, 抓获, 止付/冻结/返还 in the detail

# Solved days (whatever the report date), strike results and ledger requests on the 7-day window's Beijing edges.
SOLVED = {"E-before": date(2026, 11, 12), "E-prev-last": date(2026, 11, 18), "E-cur-first": date(2026, 11, 11),
          "E-after": date(2026, 11, 19), "R0001": date(2026, 11, 14), "R0002": date(2026, 11, 13),
          "R0003": date(2026, 11, 16), "R0004": date(2026, 11, 17), "R0005": date(2026, 11, 12), "R0019": date(2026, 11, 16)}  # R0019 is the city's own
STRIKES = [("S11", date(2026, 11, 12), 3), ("S11", date(2026, 11, 11), 50), ("S12", date(2026, 11, 18), 4),
           ("D1", date(2026, 11, 15), 7), ("S21", date(2026, 11, 14), 100), ("D1", date(2026, 11, 19), 60), ("C", date(2026, 11, 16), 2)]
# (unit, requested at Beijing, stopped, frozen, returned)
LEDGER = [("S11", (2026, 11, 12, 0, 0, 0), 900_000, 800_000, 300_000),
          ("S11", (2026, 11, 11, 23, 59, 59), 1, 1, 1),
          ("S12", (2026, 11, 18, 23, 59, 59), 70_000, 60_000, 0),
          ("D1", (2026, 11, 15, 8, 0, 0), 12_345, 10_000, 10_000),
          ("D1", (2026, 11, 19, 0, 0, 0), 5, 5, 5),
          ("S21", (2026, 11, 14, 12, 0, 0), 777, 700, 600),
          ("C", (2026, 11, 16, 10, 0, 0), 100, 90, 80)]


def _strike_world(world: World) -> None:
    now = bj(2026, 11, 20)
    with write_session(world.engine) as session:
        for no, day in SOLVED.items():
            session.get(FraudCase, world.case_ids[no]).solved_on = day
        for n, (code, day, caught) in enumerate(STRIKES):
            session.add(StrikeResult(idempotency_key=f"s{n}", unit_id=world.ids[code], result_date=day, caught=caught,
                                     created_at=now))
        account = Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=now)
        session.add(account)
        session.flush()
        for n, (code, at, stopped, frozen, returned) in enumerate(LEDGER):
            moment = bj(*at)
            session.add(RecoveryRequest(
                idempotency_key=f"r{n}", case_id=world.case_ids["R0000"], unit_id=world.ids[code],
                identifier_id=account.id, reported_at=moment,
                requested_at=moment, stopped_at=moment, frozen_at=moment, requested_fen=stopped, stopped_fen=stopped,
                frozen_fen=frozen, returned_fen=returned, status=RecoveryStatus.FROZEN.value, created_at=now,
                updated_at=now))


def expected_strike(world: World, units: set[str], first: date, last: date) -> tuple[int, ...]:
    """破案, 抓获, requests, 止付, 冻结, 返还 of some units over Beijing days first..last, in plain Python."""
    unit_of = {r.no: r.unit for r in world.rows}
    solved = sum(1 for no, day in SOLVED.items() if unit_of[no] in units and first <= day <= last)
    caught = sum(c for code, day, c in STRIKES if code in units and first <= day <= last)
    ledger = [row for row in LEDGER if row[0] in units and first <= datetime(*row[1]).date() <= last]
    return (solved, caught, len(ledger), sum(r[2] for r in ledger), sum(r[3] for r in ledger),
            sum(r[4] for r in ledger))


def _tuple(f) -> tuple[int, ...]:
    return f.solved, f.caught, f.requests, f.stopped_fen, f.frozen_fen, f.returned_fen


@pytest.mark.parametrize(("code", "own_level", "units"), [
    ("D1", False, {"D1", "S11", "S12"}), ("D1", True, {"D1"}), ("S11", False, {"S11"}),
    ("C", False, set(UNITS)), ("C", True, {"C"})])
def test_detail_strike_figures_against_plain_python(world, code, own_level, units):
    _strike_world(world)
    window = time_window(MapWindow.DAYS_7, TODAY)
    # Type and loss-band filters do not narrow them: strike results and the ledger are the 打击挽损 page's figures.
    criteria = MapFilter.of(window, fraud_type=FraudType.INVESTMENT, min_loss_fen=1, max_loss_fen=2)
    with read_session(world.engine) as session:
        detail = jurisdiction_detail(session, world.actor("C"), world.ids[code], criteria, own_level=own_level)
    expected = expected_strike(world, units, *SEVEN_DAYS[:2])
    assert expected[0] and expected[1] and expected[2]  # the data means something here
    assert _tuple(detail.strike) == expected


@pytest.mark.parametrize("code", ["D1", "S11", "S21"])
def test_detail_strike_figures_are_the_strike_page_figures(world, code):
    """The same definitions as 打击挽损: 两升两降's 破案/抓获 of a leaf row, the ledger's 冻结/返还."""
    _strike_world(world)
    span = reporting_span("custom", TODAY, *SEVEN_DAYS[:2])
    with read_session(world.engine) as session:
        actor = world.actor("C")
        mine = strike_figures(session, actor, world.ids[code], span.current)
        rows = {r.unit_id: r.changes for r in strike_read.two_up_two_down(session, actor, world.ids[PARENT[code]], span)}
        recovery = strike_read.recovery_figures(session, actor, world.ids[code], span.current)
    assert (mine.solved, mine.caught) == (rows[world.ids[code]]["solved"].current, rows[world.ids[code]]["caught"].current)
    assert (mine.requests, mine.frozen_fen, mine.returned_fen) == (
        recovery.requests, recovery.frozen_fen, recovery.returned_fen)


def test_strike_figures_at_the_beijing_day_edges(world):
    """One day: 11-12 Beijing begins 11-11 16:00 UTC; the second before it is the day before."""
    _strike_world(world)
    with read_session(world.engine) as session:
        one_day = strike_figures(session, world.actor("D1"), world.ids["S11"], period_of_days(*[date(2026, 11, 12)] * 2))
        day_before = strike_figures(session, world.actor("D1"), world.ids["S11"],
                                    period_of_days(*[date(2026, 11, 11)] * 2))
    assert _tuple(one_day) == expected_strike(world, {"S11"}, date(2026, 11, 12), date(2026, 11, 12))
    assert (one_day.caught, one_day.requests, one_day.stopped_fen) == (3, 1, 900_000)
    assert (day_before.caught, day_before.requests, day_before.stopped_fen) == (50, 1, 1)


def test_strike_figures_keep_to_scope(world):
    _strike_world(world)
    window = time_window(MapWindow.DAYS_7, TODAY)
    with read_session(world.engine) as session:
        with pytest.raises(AccessDenied):  # a station leader: not another 分局's detail, nor its sister station's
            jurisdiction_detail(session, world.actor("S11"), world.ids["D2"], MapFilter.of(window))
        with pytest.raises(AccessDenied):
            jurisdiction_detail(session, world.actor("S11"), world.ids["S12"], MapFilter.of(window))
        with pytest.raises(AccessDenied):
            strike_figures(session, world.actor("D1"), world.ids["S21"], period_of_days(*SEVEN_DAYS[:2]))
        with pytest.raises(AccessDenied):
            strike_figures(session, world.actor("C", Role.WALL), world.ids["D1"], period_of_days(*SEVEN_DAYS[:2]))
        own = jurisdiction_detail(session, world.actor("S11"), world.ids["S11"], MapFilter.of(window))
    assert _tuple(own.strike) == expected_strike(world, {"S11"}, *SEVEN_DAYS[:2])
