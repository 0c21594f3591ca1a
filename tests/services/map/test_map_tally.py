"""The map's jurisdiction measures from case_day_tally against a recount from fraud_case, on SQLite and PostgreSQL.

Cases sit on Beijing day edges (16:00 UTC), then one is moved to another unit, one to another day, one changes its
type and loss, one is deleted: after each change the tally path, the fraud_case path and a plain-Python recount of
the stored cases agree, with and without the filters the tally cannot answer (a loss band, a window that is not
whole Beijing days).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import CaseDayTally, FraudCase, Unit
from services.access.actor import Actor
from services.map import read as map_read
from services.map.read import MapFilter, jurisdiction_measures, tally_answers, time_window
from services.shared.timeutil import SHANGHAI, day_start_utc
from services.units.tree import add_unit
from vocabulary import FraudType, MapWindow, Role

TODAY = date(2026, 11, 18)
# code: (name, kind, parent)
UNITS = {
    "C": ("市局", "city_bureau", None),
    "D1": ("甲区公安分局", "district_bureau", "C"),
    "D2": ("乙县公安局", "district_bureau", "C"),
    "S11": ("一所", "station", "D1"),
    "S21": ("三所", "station", "D2"),
}
PARENT = {code: spec[2] for code, spec in UNITS.items()}
EDGE = datetime(2026, 11, 11, 16, 0, tzinfo=UTC)  # 2026-11-12 00:00 Beijing: 7 days' first instant
JUST_BEFORE = EDGE - timedelta(microseconds=1)  # 2026-11-11 23:59:59.999999 Beijing: the previous 7 days' last
WINDOW_END = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)  # 2026-11-19 00:00 Beijing: not in 7 days
MONTH_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026-11-01 00:00 Beijing
HALF_LOCATED = "T10"  # a longitude without a latitude: unlocated too
# (case_no, unit, reported_at UTC, type, loss fen, located)
CASES = [
    ("T01", "S11", EDGE, FraudType.REBATE, 100_000, True),
    ("T02", "S11", JUST_BEFORE, FraudType.REBATE, 200_000, False),
    ("T03", "S21", WINDOW_END - timedelta(microseconds=1), FraudType.INVESTMENT, 999_999, True),
    ("T04", "S21", WINDOW_END, FraudType.INVESTMENT, 5_000_000, False),
    ("T05", "D1", EDGE + timedelta(hours=5), FraudType.FAKE_AUTHORITY, 1_000_000, False),
    ("T06", "C", EDGE - timedelta(days=3), FraudType.REBATE, 10_000_000, True),
    ("T07", "S11", MONTH_START, FraudType.INVESTMENT, 1_234_567, True),
    ("T08", "S11", MONTH_START - timedelta(microseconds=1), FraudType.INVESTMENT, 7_654_321, False),
    ("T09", "S21", EDGE - timedelta(days=7), FraudType.REBATE, 300, True),
    ("T10", "D2", EDGE + timedelta(days=2, hours=7, minutes=59), FraudType.REBATE, 0, True),
    ("T11", "S21", datetime(2026, 10, 20, 16, 0, tzinfo=UTC), FraudType.FAKE_AUTHORITY, 55_555, False),
    ("T12", "S11", datetime(2026, 10, 18, 15, 59, 59, tzinfo=UTC), FraudType.REBATE, 66_666, True),
]


@dataclass
class World:
    engine: object
    ids: dict[str, int]
    paths: dict[str, str]
    cases: dict[str, int]

    def actor(self, code: str = "C") -> Actor:
        return Actor(1, f"u_{code}", f"u_{code}", Role.LEADER, self.ids[code], self.paths[code], UNITS[code][0],
                     "127.0.0.1")


@pytest.fixture
def world(engine) -> World:
    with write_session(engine) as session:
        ids = {code: add_unit(session, code=code, name=name, kind=kind, parent_code=parent).id
               for code, (name, kind, parent) in UNITS.items()}
        cases = {}
        for no, unit, at, kind, loss, located in CASES:
            case = FraudCase(case_no=no, unit_id=ids[unit], reported_at=at, fraud_type=kind.value, loss_fen=loss,
                             lon=117.1 if located else None, lat=24.1 if located and no != HALF_LOCATED else None,
                             victim_name="王小明",
                             created_at=at, updated_at=at)
            session.add(case)
            session.flush()
            cases[no] = case.id
        paths = {code: session.get(Unit, uid).path for code, uid in ids.items()}
    return World(engine, ids, paths, cases)


# ---------------------------------------------------------------- the independent recount


def _shown_row(unit_id: int, root: str, depth: int, codes: dict[int, str]) -> tuple[str, bool] | None:
    """The jurisdiction (code, own_level) holding a unit's cases on the map of `root` at `depth`."""
    chain = [codes[unit_id]]
    while PARENT[chain[-1]] is not None:
        chain.append(PARENT[chain[-1]])
    chain.reverse()  # root first
    if root not in chain:
        return None
    below = chain[chain.index(root):]
    for level, code in enumerate(below):
        has_children = any(parent == code for parent in PARENT.values())
        if level == depth or not has_children:
            return code, False
    return below[-1], True


def recount(world: World, f: MapFilter, root: str = "C") -> dict[tuple[str, bool], tuple[int, int, int, int, int]]:
    """(cases, loss, prev cases, prev loss, unlocated) per shown row, in Python over the cases as stored now."""
    codes = {uid: code for code, uid in world.ids.items()}
    with read_session(world.engine) as session:
        rows = session.execute(select(FraudCase.unit_id, FraudCase.reported_at, FraudCase.fraud_type,
                                      FraudCase.loss_fen, FraudCase.lon, FraudCase.lat)).all()
    figures: dict[tuple[str, bool], Counter] = defaultdict(Counter)
    prev_start, prev_end = f.previous
    for unit_id, at, kind, loss, lon, lat in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        key = _shown_row(unit_id, root, f.depth, codes)
        keep = (key is not None and (f.fraud_type is None or kind == f.fraud_type.value)
                and (f.min_loss_fen is None or loss >= f.min_loss_fen)
                and (f.max_loss_fen is None or loss < f.max_loss_fen))
        if keep and f.start <= at < f.end:
            figures[key].update(cases=1, loss=loss, unlocated=int(lon is None or lat is None))
        elif keep and prev_start <= at < prev_end:
            figures[key].update(prev_cases=1, prev_loss=loss)
    return {key: (c["cases"], c["loss"], c["prev_cases"], c["prev_loss"], c["unlocated"])
            for key, c in figures.items() if c["cases"] or c["prev_cases"]}


def measured(world: World, f: MapFilter, actor: str = "C") -> dict[tuple[str, bool], tuple[int, ...]]:
    codes = {uid: code for code, uid in world.ids.items()}
    with read_session(world.engine) as session:
        measures = jurisdiction_measures(session, world.actor(actor), f)
    return {(codes[m.unit_id], m.own_level): (m.cases, m.loss_fen, m.prev_cases, m.prev_loss_fen, m.unlocated)
            for m in measures if m.cases or m.prev_cases}


def from_cases(world: World, f: MapFilter, monkeypatch, actor: str = "C") -> dict:
    """The same read with the tally switched off: every figure summed from fraud_case."""
    with monkeypatch.context() as patch:
        patch.setattr(map_read, "tally_answers", lambda _: False)
        return measured(world, f, actor)


def filters(world: World, root: str = "C") -> list[MapFilter]:
    uid = world.ids[root]
    week, month = time_window(MapWindow.DAYS_7, TODAY), time_window(MapWindow.MONTH, TODAY)
    return [
        MapFilter.of(week, unit_id=uid, depth=1),
        MapFilter.of(week, unit_id=uid, depth=2),
        MapFilter.of(month, unit_id=uid, depth=1),
        MapFilter.of(week, unit_id=uid, depth=1, fraud_type=FraudType.INVESTMENT),
        MapFilter.of(month, unit_id=uid, depth=2, fraud_type=FraudType.REBATE),
        # What the tally cannot answer: a loss band, and windows that are not whole Beijing days.
        MapFilter.of(week, unit_id=uid, depth=1, min_loss_fen=1_000_000),
        MapFilter.of(month, unit_id=uid, depth=2, max_loss_fen=1_000_000, fraud_type=FraudType.INVESTMENT),
        MapFilter(start=EDGE + timedelta(hours=5), end=WINDOW_END, unit_id=uid, depth=1),
        MapFilter(start=EDGE, end=WINDOW_END, prev_start=EDGE - timedelta(days=7, hours=1), prev_end=EDGE,
                  unit_id=uid, depth=2),
    ]


def check_all(world: World, monkeypatch) -> None:
    for root in ("C", "D1", "S21"):
        for f in filters(world, root):
            want = recount(world, f, root)
            assert measured(world, f, root) == want, (root, f)
            assert from_cases(world, f, monkeypatch, root) == want, (root, f)


# ---------------------------------------------------------------- tests


def test_tally_answers_whole_beijing_days_without_a_loss_band():
    for kind in (MapWindow.TODAY, MapWindow.DAYS_7, MapWindow.DAYS_30, MapWindow.MONTH):
        window = time_window(kind, TODAY)
        assert tally_answers(MapFilter.of(window))
        assert tally_answers(MapFilter.of(window, fraud_type=FraudType.REBATE))
        assert not tally_answers(MapFilter.of(window, min_loss_fen=1))
        assert not tally_answers(MapFilter.of(window, max_loss_fen=1_000_000))
    custom = time_window(MapWindow.CUSTOM, TODAY, date(2026, 2, 1), date(2026, 3, 5))
    assert tally_answers(MapFilter.of(custom))
    midnight = day_start_utc(TODAY)
    assert tally_answers(MapFilter(start=midnight, end=midnight + timedelta(days=2)))  # previous: 2 days before
    assert not tally_answers(MapFilter(start=midnight + timedelta(hours=1), end=midnight + timedelta(days=2)))
    assert not tally_answers(MapFilter(start=midnight, end=midnight + timedelta(days=2, microseconds=1)))
    assert not tally_answers(MapFilter(start=midnight, end=midnight + timedelta(days=1), prev_start=midnight
                                       - timedelta(hours=20), prev_end=midnight))


def test_day_edges_fall_on_beijing_midnight(world):
    week = MapFilter.of(time_window(MapWindow.DAYS_7, TODAY), unit_id=world.ids["S11"], depth=1)
    assert week.start == EDGE and week.end == WINDOW_END
    got = measured(world, week, "S11")
    # T01 at 16:00 UTC is the window's first instant; T02 a microsecond earlier is the previous period's last.
    assert got == {("S11", False): (1, 100_000, 1, 200_000, 0)}
    assert EDGE.astimezone(SHANGHAI).hour == 0


def test_tally_and_cases_agree_with_the_recount_as_cases_change(world, monkeypatch):
    check_all(world, monkeypatch)
    with write_session(world.engine) as session:
        session.get(FraudCase, world.cases["T01"]).unit_id = world.ids["S21"]  # moved to another district
        session.get(FraudCase, world.cases["T03"]).reported_at = WINDOW_END  # moved out of the window by 1 µs
        moved = session.get(FraudCase, world.cases["T07"])
        moved.fraud_type, moved.loss_fen = FraudType.REBATE.value, 2_000_000
    check_all(world, monkeypatch)
    with write_session(world.engine) as session:
        session.delete(session.get(FraudCase, world.cases["T05"]))  # the district's own-level case
        session.delete(session.get(FraudCase, world.cases["T02"]))
    check_all(world, monkeypatch)
    week = MapFilter.of(time_window(MapWindow.DAYS_7, TODAY), unit_id=world.ids["C"], depth=1)
    got = measured(world, week)
    assert ("D1", True) not in got  # its only case was deleted: no own-level row any more
    assert got[("D2", False)][0] == 2  # T01 moved in (T03 moved out)


def test_whole_days_are_read_from_the_tally(world):
    """A tally row the cases do not have shows on whole-day windows (the tally is read) but not under a loss band."""
    day = date(2026, 11, 15)
    with write_session(world.engine) as session:
        session.add(CaseDayTally(day=day, unit_id=world.ids["S21"], fraud_type=FraudType.REBATE.value, cases=40,
                                 loss_fen=4_000))
    week = time_window(MapWindow.DAYS_7, TODAY)
    plain = MapFilter.of(week, unit_id=world.ids["C"], depth=1)
    banded = MapFilter.of(week, unit_id=world.ids["C"], depth=1, max_loss_fen=10**12)
    assert measured(world, plain)[("D2", False)][:2] == (recount(world, plain)[("D2", False)][0] + 40,
                                                       recount(world, plain)[("D2", False)][1] + 4_000)
    assert measured(world, banded) == recount(world, banded)


def _known(world: World, f: MapFilter, root: str) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """Cases and loss per unit of the subtree in the window and the previous period, counted in Python."""
    keep = {uid for code, uid in world.ids.items() if world.paths[code].startswith(world.paths[root])}
    with read_session(world.engine) as session:
        rows = session.execute(select(FraudCase.unit_id, FraudCase.reported_at, FraudCase.loss_fen)).all()
    sums: list[dict[int, tuple[int, int]]] = [{}, {}]
    for unit_id, at, loss in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        for n, (start, end) in enumerate(((f.start, f.end), f.previous)):
            if unit_id in keep and start <= at < end:
                cases, total = sums[n].get(unit_id, (0, 0))
                sums[n][unit_id] = (cases + 1, total + loss)
    return sums[0], sums[1]


def test_sums_handed_in_by_the_caller_give_the_same_figures(world):
    """The wall hands in 本月's per-unit sums it read for its branch table: the map's figures stay the recount's;
    with a fraud type (the sums are of every type) or a loss band they are not used."""
    codes = {uid: code for code, uid in world.ids.items()}
    for root in ("C", "D1"):
        for f in filters(world, root):
            known = _known(world, f, root)
            with read_session(world.engine) as session:
                got = jurisdiction_measures(session, world.actor(root), f, known)
            assert {(codes[m.unit_id], m.own_level): (m.cases, m.loss_fen, m.prev_cases, m.prev_loss_fen, m.unlocated)
                    for m in got if m.cases or m.prev_cases} == recount(world, f, root), (root, f)
    # Sums that are not the window's are taken as they are (the caller answers for the days): proof they are used.
    f = MapFilter.of(time_window(MapWindow.MONTH, TODAY), unit_id=world.ids["C"], depth=1)
    with read_session(world.engine) as session:
        got = jurisdiction_measures(session, world.actor(), f, ({world.ids["S11"]: (7, 70)}, {}))
        typed = MapFilter.of(time_window(MapWindow.MONTH, TODAY), unit_id=world.ids["C"], depth=1,
                             fraud_type=FraudType.REBATE)
        ignored = jurisdiction_measures(session, world.actor(), typed, ({world.ids["S11"]: (7, 70)}, {}))
    d1 = next(m for m in got if m.unit_id == world.ids["D1"])
    assert (d1.cases, d1.loss_fen, d1.prev_cases) == (7, 70, 0)
    assert sum(m.cases for m in ignored) == recount_total(world, typed)


def recount_total(world: World, f: MapFilter) -> int:
    return sum(v[0] for v in recount(world, f).values())
