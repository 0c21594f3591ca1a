"""Issue 12: one 环比 per unit on 总览 and 案件地图, and audited XLSX exports of exactly the tables shown."""

import calendar
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from components.tables import branch_rows_frame
from db.engine import read_session, write_session
from db.models import AuditLog, Unit
from services.access.actor import AccessDenied
from services.access.auth import actor_by_username
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.map import api as map_api
from services.map.read import MapFilter, jurisdiction_measures, time_window, unit_table_cells
from services.overview import api as overview_api
from services.overview.read import branch_table, build_overview, change
from services.shared.export_cells import read_back, safe_row
from services.shared.timeutil import SHANGHAI, comparison, shanghai_today
from vocabulary import AuditAction

NOW = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 2026-11-28 10:30 Beijing time


@pytest.fixture
def demo(engine):
    load_demo(engine, DemoSpec(cases=3_000, seed=9, anchor=NOW))
    return engine


def _actor(engine, username: str):
    with read_session(engine) as session:
        return actor_by_username(session, username, "127.0.0.1")


def _stamp(value) -> datetime:
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _independent_month_change(engine, today: date) -> dict[str, tuple[int, int]]:
    """Per district (by name): cases this month to date and on the same days of last month, from raw rows in Python."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    last_prev_day = min(today.day, calendar.monthrange(year, month)[1])
    with engine.connect() as connection:
        units = {uid: (path, name, level) for uid, path, name, level in
                 connection.execute(text("SELECT id, path, name, level FROM unit")).all()}
        rows = connection.execute(text("SELECT unit_id, reported_at FROM fraud_case")).all()
    districts = {uid: name for uid, (_, name, level) in units.items() if level == 2}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, reported in rows:
        day = _stamp(reported).astimezone(SHANGHAI).date()
        path = units[unit_id][0]
        district = next((name for uid, name in districts.items() if f"/{uid}/" in path), None)
        if district is None:
            continue
        if day.year == today.year and day.month == today.month and day.day <= today.day:
            counts[district][0] += 1
        elif day.year == year and day.month == month and day.day <= last_prev_day:
            counts[district][1] += 1
    return {name: tuple(pair) for name, pair in counts.items()}


def test_a_unit_shows_the_same_change_on_the_overview_and_the_map(demo):
    leader = _actor(demo, "leader")
    today = shanghai_today(NOW)
    with read_session(demo) as session:
        overview = build_overview(session, NOW, leader)
        window = time_window("month", today)
        measures = jurisdiction_measures(session, leader, MapFilter.of(window, unit_id=overview.root_id, depth=1))
    # One definition of the period: the map's 本月 is exactly the overview's month against the same days before.
    assert (window.start, window.end, window.prev_start, window.prev_end) == (
        overview.month_period.start, overview.month_period.end, overview.previous_period.start,
        overview.previous_period.end)
    assert window.compared == overview.compared == comparison("month", today)
    on_map = {m.name: m for m in measures}
    expected = _independent_month_change(demo, today)
    assert len(overview.rows) >= 11
    for row in overview.rows:
        drawn = on_map[row.name]
        assert row.cases_change == drawn.cases_change == change(*expected.get(row.name, (0, 0))), row.name
        assert row.loss_change == drawn.loss_change, row.name
        assert (row.month.cases, row.previous.cases) == (drawn.cases, drawn.prev_cases) == expected.get(row.name, (0, 0))


@pytest.mark.parametrize("today", [date(2026, 3, 31), date(2026, 1, 15), date(2024, 2, 29), date(2026, 11, 1)])
def test_the_month_comparison_is_the_same_days_of_last_month(today):
    compared = comparison("month", today)
    assert compared.current.first_day == today.replace(day=1) and compared.current.last_day == today
    previous_last = compared.previous.last_day
    assert compared.previous.first_day == (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert previous_last.day == min(today.day, calendar.monthrange(previous_last.year, previous_last.month)[1])


def _pairs(filters) -> dict:
    return {row[0]: row[1] for row in filters}


def _cells(row) -> list:
    """A shown row as the spreadsheet holds it: Decimals as numbers, text made safe."""
    return safe_row(float(v) if hasattr(v, "as_tuple") else v for v in row)


def _exports(engine) -> list[AuditLog]:
    with read_session(engine) as session:
        return list(session.execute(select(AuditLog).where(AuditLog.action == AuditAction.EXPORT.value)).scalars())


def test_the_overview_export_holds_exactly_the_table_shown_and_is_audited(demo):
    leader = _actor(demo, "leader")
    with read_session(demo) as session:
        overview = build_overview(session, NOW, leader)
        changtai = session.execute(select(Unit.id).where(Unit.code == "350605")).scalar()
    data = overview_api.export_branch_table(demo, leader, NOW, None)
    filters, table = read_back(data)
    header, rows = branch_table(overview)
    shown = branch_rows_frame(overview.rows, overview.total, overview.branch_label)
    assert list(table[0]) == header == list(shown.columns)
    # What the page shows, cell for cell (money as numbers; +/- labels quoted so no spreadsheet runs them).
    assert [list(r) for r in table[1:]] == [_cells(r) for r in rows] == [_cells(r) for r in shown.itertuples(index=False)]
    assert any(str(r[3]).startswith(("'+", "'-")) for r in table[1:])
    assert table[-1][0] == "合计" and table[-1][1] == overview.total.month.cases
    assert _pairs(filters)["单位"] == overview.root_name
    assert _pairs(filters)["统计时段（北京时间）"] == f"{overview.month_period.first_day} 至 {overview.month_period.last_day}"
    assert _pairs(filters)["对比时段（上月同期）"] == f"{overview.previous_period.first_day} 至 {overview.previous_period.last_day}"
    [audit] = _exports(demo)
    assert audit.username == "leader" and audit.object_id == str(overview.root_id) and f"{len(rows)} 行" in audit.detail

    district = _actor(demo, "changtai")  # within scope: the district's own stations
    _, own = read_back(overview_api.export_branch_table(demo, district, NOW, changtai))
    assert all("派出所" in r[0] or r[0] in ("合计",) or "本级" in r[0] for r in own[1:])
    with pytest.raises(AccessDenied):  # outside scope: refused, nothing written, nothing audited
        overview_api.export_branch_table(demo, district, NOW, overview.root_id)
    assert len(_exports(demo)) == 2


def test_the_map_export_holds_exactly_the_unit_table_shown_and_is_audited(demo):
    leader = _actor(demo, "leader")
    today = shanghai_today(NOW)
    with read_session(demo) as session:
        changtai = session.execute(select(Unit.id).where(Unit.code == "350605")).scalar()
        criteria = MapFilter.of(time_window("30d", today), unit_id=changtai, depth=1, fraud_type="rebate")
        header, rows = unit_table_cells(jurisdiction_measures(session, leader, criteria))
    shown = [("单位", "长泰区公安分局"), ("诈骗类型", "刷单返利类")]
    filters, table = read_back(map_api.export_unit_table(demo, leader, criteria, shown))
    assert list(table[0]) == header
    assert [list(r) for r in table[1:]] == [_cells(r) for r in rows] and len(rows) > 1
    window = criteria.start.astimezone(SHANGHAI).date(), (criteria.end - timedelta(seconds=1)).astimezone(SHANGHAI).date()
    assert list(_pairs(filters).items())[:2] == shown
    assert _pairs(filters)["统计时段（北京时间）"] == f"{window[0]} 至 {window[1]}"
    [audit] = _exports(demo)
    assert audit.object_id == str(changtai) and "刷单返利类" in audit.detail

    clerk = _actor(demo, "clerk_wuan")
    with pytest.raises(AccessDenied):
        map_api.export_unit_table(demo, clerk, criteria, shown)
    assert len(_exports(demo)) == 1


def test_exported_text_cannot_run_as_a_formula(demo):
    leader = _actor(demo, "leader")
    with write_session(demo) as session:
        unit = session.execute(select(Unit).where(Unit.code == "350605")).scalar_one()
        unit.name = '=HYPERLINK("http://x","点我")'
    _, table = read_back(overview_api.export_branch_table(demo, leader, NOW, None))
    names = [r[0] for r in table[1:]]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in names and not any(str(n).startswith("=") for n in names)
