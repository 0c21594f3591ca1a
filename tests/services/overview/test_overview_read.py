"""总览 figures against an independent computation over hand-made records."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import DeskCall, FraudCase, Unit
from services.access.actor import AccessDenied, Actor
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.overview.read import Measures, build_overview, change
from services.shared.timeutil import SHANGHAI, month_to_date, previous_month_same_period
from vocabulary import Role

NOW = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 2026-11-28 10:30 Beijing time


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def as_leader_of(engine, unit_id: int, role: Role = Role.LEADER) -> Actor:
    with read_session(engine) as session:
        unit = session.get(Unit, unit_id)
        return Actor(1, "u", "u", role, unit.id, unit.path, unit.name, None)


def overview_for(engine, unit_id: int, requested: int | None = None, role: Role = Role.LEADER):
    actor = as_leader_of(engine, unit_id, role)
    with read_session(engine) as session:
        return build_overview(session, NOW, actor, requested)


def _tree(session) -> dict[str, Unit]:
    city = Unit(code="C", name="市局", full_name="市局", kind="city_bureau", level=1, path="")
    session.add(city)
    session.flush()
    city.path = f"/{city.id}/"
    units = {"city": city}
    for key, parent in (("d1", "city"), ("d2", "city"), ("desk", "city"), ("s1", "d1"), ("s2", "d1"), ("s3", "d2")):
        level = units[parent].level + 1
        unit = Unit(code=key, name=f"单位{key}", full_name=key, kind="station", level=level, parent_id=units[parent].id,
                    path="", sort_order=len(units))
        session.add(unit)
        session.flush()
        unit.path = f"{units[parent].path}{unit.id}/"
        units[key] = unit
    return units


CASES = [  # unit, Beijing time, loss 元, recovered 元
    ("s1", (2026, 11, 28, 0, 5), 120_000, 10_000),   # today, just after Beijing midnight (UTC: the 27th)
    ("s1", (2026, 11, 27, 23, 55), 50_000, 0),       # yesterday Beijing, same UTC date as the one above
    ("s2", (2026, 11, 1, 0, 0), 99_999.99, 0),       # first instant of the month
    ("s3", (2026, 11, 15, 12, 0), 3_634, 1_000),
    ("d1", (2026, 11, 10, 9, 0), 5_000, 0),          # a case held by the district itself
    ("s3", (2026, 10, 31, 23, 59), 800_000, 0),      # last month, but after the same period (1st–28th)
    ("s1", (2026, 10, 20, 8, 0), 20_000, 0),         # last month, same period
    ("s2", (2026, 10, 28, 23, 0), 1_000, 0),         # last month, last day of the same period
]
CALLS = [  # jurisdiction (None: not given), Beijing time, outcome
    ("s1", (2026, 11, 28, 9, 0), "dissuaded"),
    ("s3", (2026, 11, 28, 9, 30), "answered"),
    (None, (2026, 11, 28, 10, 0), "dissuaded"),
    ("s2", (2026, 11, 3, 10, 0), "lead_logged"),
    ("s2", (2026, 10, 3, 10, 0), "dissuaded"),
]


@pytest.fixture
def seeded(engine):
    with write_session(engine) as session:
        units = _tree(session)
        for i, (unit, when, loss, recovered) in enumerate(CASES):
            session.add(FraudCase(
                case_no=f"A{i}", unit_id=units[unit].id, reported_at=beijing(*when), fraud_type="rebate",
                loss_fen=int(Decimal(str(loss)) * 100), recovered_fen=recovered * 100,
                created_at=NOW, updated_at=NOW,
            ))
        for i, (unit, when, outcome) in enumerate(CALLS):
            session.add(DeskCall(
                idempotency_key=f"k{i}", received_at=beijing(*when), desk_unit_id=units["desk"].id,
                jurisdiction_unit_id=units[unit].id if unit else None, call_type="consult", outcome=outcome,
                created_at=NOW,
            ))
        ids = {key: unit.id for key, unit in units.items()}
    return engine, ids


def test_today_is_the_beijing_day(seeded):
    engine, ids = seeded
    overview = overview_for(engine, ids["city"])
    assert overview.today == Measures(cases=1, loss_fen=12_000_000, recovered_fen=1_000_000, calls=3, dissuaded=2)


def test_month_and_rows_roll_up_to_the_children_of_the_root(seeded):
    engine, ids = seeded
    overview = overview_for(engine, ids["city"])
    rows = {row.unit_id: row for row in overview.rows}
    assert list(rows) == [ids["d1"], ids["d2"], ids["desk"]]
    assert rows[ids["d1"]].month.cases == 4  # s1 ×2, s2, and the district's own case
    assert rows[ids["d1"]].month.loss_fen == 12_000_000 + 5_000_000 + 9_999_999 + 500_000
    assert rows[ids["d1"]].previous.cases == 2  # 10-20 and 10-28; 10-31 is outside the same period
    assert rows[ids["d2"]].previous.cases == 0 and rows[ids["d2"]].cases_change.label == "新增"
    assert rows[ids["desk"]].month.calls == 1  # the call without a jurisdiction stays with the desk
    assert overview.month.cases == 5
    assert overview.total.month == overview.month


def test_scope_to_a_district_shows_its_stations_and_its_own_level(seeded):
    engine, ids = seeded
    overview = overview_for(engine, ids["city"], requested=ids["d1"])
    assert [row.unit_id for row in overview.rows] == [ids["d1"], ids["s1"], ids["s2"]]
    assert overview.rows[0].name.endswith("（本级）")
    assert overview.month.cases == 4
    assert overview.today.calls == 1


def test_a_station_sees_only_itself(seeded):
    engine, ids = seeded
    overview = overview_for(engine, ids["s3"])
    assert [row.unit_id for row in overview.rows] == [ids["s3"]]
    assert overview.month.cases == 1 and overview.today.calls == 1


def test_change_labels():
    assert change(12, 10).label == "+20.0%"
    assert change(9, 12).label == "-25.0%"
    assert change(0, 0).label == "—"
    assert change(3, 0).label == "新增"


def test_a_station_cannot_ask_for_its_district_or_a_sibling(seeded):
    engine, ids = seeded
    for other in ("d1", "s2", "city"):
        with pytest.raises(AccessDenied, match="无权查看"):
            overview_for(engine, ids["s1"], requested=ids[other])


def test_administrators_see_no_case_figures(seeded):
    engine, ids = seeded
    with pytest.raises(AccessDenied):
        overview_for(engine, ids["city"], role=Role.ADMIN)


def _independent_month_totals(engine, moment: datetime) -> tuple[int, int, int]:
    """Recompute from raw rows in Python, without the services' SQL."""
    period = month_to_date(moment)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reported_at, loss_fen, recovered_fen FROM fraud_case")).all()
    selected = []
    for reported, loss, recovered in rows:
        stamp = reported if isinstance(reported, datetime) else datetime.fromisoformat(str(reported))
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp
        if period.start <= stamp < period.end:
            selected.append((loss, recovered))
    return len(selected), sum(s[0] for s in selected), sum(s[1] for s in selected)


def test_demo_overview_matches_independent_recomputation(engine):
    load_demo(engine, DemoSpec(cases=3_000, seed=9, anchor=NOW))
    with read_session(engine) as session:
        city = session.execute(text("SELECT id FROM unit WHERE level = 1")).scalar()
    overview = overview_for(engine, city)
    cases, loss, recovered = _independent_month_totals(engine, NOW)
    assert (overview.month.cases, overview.month.loss_fen, overview.month.recovered_fen) == (cases, loss, recovered)
    assert sum(row.month.cases for row in overview.rows) == cases
    previous = previous_month_same_period(NOW)
    assert previous.end - previous.start == timedelta(days=28)
