"""The demo: real districts, township-named stations tiling them, realistic and deterministic records."""

import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import text

from db.engine import read_session
from db.queries import all_units
from services.demo.generator import DemoSpec, history_start
from services.demo.loader import DemoRefused, load_demo
from services.demo.units import build_demo_units, load_district_features, station_short_name, walk
from vocabulary import FRAUD_TYPE_SHARES, UnitKind

ANCHOR = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)
SPEC = DemoSpec(cases=1_500, seed=5, anchor=ANCHOR)


def _scalar(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def _fingerprint(engine) -> tuple:
    with engine.connect() as connection:
        cases = connection.execute(text(
            "SELECT case_no, unit_id, loss_fen, fraud_type, victim_age FROM fraud_case ORDER BY id"
        )).all()
        calls = connection.execute(text("SELECT COUNT(*), SUM(lost_fen + pending_fen) FROM desk_call")).one()
        links = connection.execute(text("SELECT COUNT(*) FROM identifier_link")).scalar()
    return tuple(map(tuple, cases)), tuple(calls), links


def test_station_names_follow_townships():
    assert station_short_name("武安镇") == "武安派出所"
    assert station_short_name("东铺头街道") == "东铺头派出所"
    assert station_short_name("隆教畲族乡") == "隆教派出所"
    assert station_short_name("双第华侨农场") is None


def test_tree_has_city_eleven_districts_and_real_stations():
    root = build_demo_units(seed=1)
    units = walk(root)
    districts = [u for u in units if u.kind is UnitKind.DISTRICT_BUREAU]
    assert root.name == "漳州市公安局"
    assert len(districts) == 11
    changtai = next(d for d in districts if d.code == "350605")
    assert changtai.name == "长泰区公安分局"
    assert {"武安派出所", "岩溪派出所"} <= {s.name for s in changtai.children}
    assert all(s.synthetic for d in districts for s in d.children)


def test_station_polygons_tile_their_real_district():
    root = build_demo_units(seed=1)
    for district in (u for u in walk(root) if u.kind is UnitKind.DISTRICT_BUREAU):
        union = shapely.union_all([s.geometry for s in district.children])
        assert union.symmetric_difference(district.geometry).area < 1e-9 * district.geometry.area
        overlap = sum(s.geometry.area for s in district.children) - union.area
        assert overlap < 1e-9 * district.geometry.area


def test_district_boundaries_are_converted_to_wgs84():
    changtai = next(f for f in load_district_features() if f["properties"]["adcode"] == "350605")
    with open("services/demo/data/zhangzhou_districts_gcj02.geojson", encoding="utf-8") as handle:
        raw = next(f for f in json.load(handle)["features"] if f["properties"]["adcode"] == "350605")
    shift = shape(raw["geometry"]).centroid.x - shape(changtai["geometry"]).centroid.x
    assert shift == pytest.approx(0.00492, abs=0.0003)


def test_demo_loads_everything_in_proportion(engine):
    summary = load_demo(engine, SPEC)
    assert summary.cases == _scalar(engine, "SELECT COUNT(*) FROM fraud_case") == 1_500
    assert summary.calls == _scalar(engine, "SELECT COUNT(*) FROM desk_call") > 1_000
    assert _scalar(engine, "SELECT COUNT(*) FROM interception") > 50
    assert _scalar(engine, "SELECT COUNT(*) FROM activity") > 1_000
    assert _scalar(engine, "SELECT COUNT(*) FROM campaign") == 2
    assert _scalar(engine, "SELECT COUNT(*) FROM identifier_link") >= 1_500
    assert _scalar(engine, "SELECT COUNT(*) FROM app_setting WHERE key = 'demo'") == 1


def test_cases_lie_in_the_thirteen_months_before_the_anchor(engine):
    load_demo(engine, SPEC)
    with read_session(engine) as session:
        stamps = session.execute(text("SELECT MIN(reported_at), MAX(reported_at) FROM fraud_case")).one()
    as_text = [str(s)[:19] for s in stamps]
    assert as_text[0] >= history_start(ANCHOR).strftime("%Y-%m-%d %H:%M:%S")
    assert as_text[1] <= ANCHOR.strftime("%Y-%m-%d %H:%M:%S")


def test_desk_cases_link_both_ways(engine):
    load_demo(engine, SPEC)
    mismatched = _scalar(engine, """
        SELECT COUNT(*) FROM desk_call c JOIN fraud_case f ON f.id = c.case_id
        WHERE c.outcome <> 'to_case' OR c.jurisdiction_unit_id <> f.unit_id OR c.received_at > f.reported_at
    """)
    assert mismatched == 0
    assert _scalar(engine, "SELECT COUNT(*) FROM desk_call WHERE case_id IS NOT NULL") > 300


def test_same_seed_same_data_other_seed_other_data(engine, new_sqlite):
    load_demo(engine, SPEC)
    twin = new_sqlite()
    load_demo(twin, SPEC)
    other = new_sqlite()
    load_demo(other, DemoSpec(cases=1_500, seed=6, anchor=ANCHOR))
    assert _fingerprint(engine) == _fingerprint(twin)
    assert _fingerprint(engine) != _fingerprint(other)


def test_unit_paths_match_parents(engine):
    load_demo(engine, SPEC)
    with read_session(engine) as session:
        units = {u.id: u for u in all_units(session)}
    for unit in units.values():
        expected = (units[unit.parent_id].path if unit.parent_id else "/") + f"{unit.id}/"
        assert unit.path == expected


def test_second_demo_needs_replace_and_replace_is_clean(engine):
    load_demo(engine, SPEC)
    with pytest.raises(DemoRefused):
        load_demo(engine, SPEC)
    load_demo(engine, SPEC, replace=True)
    assert _scalar(engine, "SELECT COUNT(*) FROM fraud_case") == 1_500
    assert _scalar(engine, "SELECT COUNT(*) FROM unit") == len(walk(build_demo_units(seed=5)))


def test_replace_refuses_real_data(engine):
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO unit (code, name, full_name, kind, level, path, boundary_synthetic, sort_order) "
            "VALUES ('350200', '厦门市公安局', '厦门市公安局', 'city_bureau', 1, '/1/', false, 0)"
        ))
    with pytest.raises(DemoRefused, match="非演示数据"):
        load_demo(engine, SPEC, replace=True)


@pytest.fixture(scope="module")
def large_demo(new_sqlite):
    """20,000 cases on SQLite for distribution checks."""
    database = new_sqlite()
    load_demo(database, DemoSpec(cases=20_000, seed=3, anchor=ANCHOR))
    yield database
    database.dispose()


def test_fraud_types_follow_real_shares(large_demo):
    with large_demo.connect() as connection:
        counts = Counter(dict(connection.execute(text("SELECT fraud_type, COUNT(*) FROM fraud_case GROUP BY 1")).all()))
    for fraud_type, share in FRAUD_TYPE_SHARES.items():
        assert counts[fraud_type.value] / 20_000 * 100 == pytest.approx(share, abs=1.2)


def test_losses_are_heavy_tailed(large_demo):
    def share(condition: str) -> float:
        return _scalar(large_demo, f"SELECT AVG(CASE WHEN {condition} THEN 1.0 ELSE 0 END) FROM fraud_case")

    assert share("loss_fen < 1000000") > 0.35  # many cases under 1万元
    assert 0.05 < share("loss_fen >= 10000000") < 0.15  # 10万元以上
    assert 0.008 < share("loss_fen >= 50000000") < 0.03
    assert 0.002 < share("loss_fen >= 100000000") < 0.012
    assert _scalar(large_demo, "SELECT MAX(loss_fen) FROM fraud_case") > 500_000_000


def test_victim_ages_match_the_ministry_figures(large_demo):
    assert _scalar(large_demo, "SELECT AVG(victim_age) FROM fraud_case") == pytest.approx(37, abs=1.5)
    assert _scalar(large_demo, "SELECT AVG(CASE WHEN victim_age BETWEEN 18 AND 40 THEN 1.0 ELSE 0 END) FROM fraud_case") == pytest.approx(0.621, abs=0.02)
    assert _scalar(large_demo, "SELECT AVG(CASE WHEN victim_age BETWEEN 41 AND 65 THEN 1.0 ELSE 0 END) FROM fraud_case") == pytest.approx(0.331, abs=0.02)


def test_daily_and_weekly_rhythm(large_demo):
    with large_demo.connect() as connection:
        hours = dict(connection.execute(text(
            "SELECT CAST(strftime('%H', reported_at, '+8 hours') AS INTEGER), COUNT(*) FROM fraud_case GROUP BY 1"
        )).all())
        weekdays = dict(connection.execute(text(
            "SELECT CAST(strftime('%w', reported_at, '+8 hours') AS INTEGER), COUNT(*) FROM fraud_case GROUP BY 1"
        )).all())
    assert hours[10] > 4 * hours[3]  # office hours far busier than the small hours
    assert weekdays[1] > weekdays[0]  # Monday above Sunday


def test_cases_located_inside_their_station_or_marked_unlocated(large_demo):
    with large_demo.connect() as connection:
        unlocated = connection.execute(text("SELECT AVG(CASE WHEN lon IS NULL THEN 1.0 ELSE 0 END) FROM fraud_case")).scalar()
        rows = connection.execute(text(
            "SELECT f.lon, f.lat, u.boundary_geojson FROM fraud_case f JOIN unit u ON u.id = f.unit_id "
            "WHERE f.lon IS NOT NULL ORDER BY f.id LIMIT 300"
        )).all()
    assert 0.01 < unlocated < 0.06
    # Boundaries are stored simplified (~30 m), so allow a point that close to the edge.
    outside = [r for r in rows if not shape(json.loads(r[2])).buffer(0.0005).contains(shapely.Point(r[0], r[1]))]
    assert outside == []


def test_some_identifiers_recur_as_hot_leads(large_demo):
    hot = _scalar(large_demo, "SELECT COUNT(*) FROM (SELECT identifier_id FROM identifier_link GROUP BY 1 HAVING COUNT(*) >= 3) t")
    assert hot > 50


def test_every_demo_case_over_10wan_has_its_item_and_old_ones_are_settled(demo_db_url):
    from sqlalchemy import text

    from db.engine import make_engine

    with make_engine(demo_db_url).connect() as connection:
        missing = connection.execute(text(
            "SELECT COUNT(*) FROM fraud_case c WHERE c.loss_fen >= 10000000 "
            "AND NOT EXISTS (SELECT 1 FROM accountability_item i WHERE i.case_id = c.id)")).scalar()
        levels = dict(connection.execute(text(
            "SELECT i.level, COUNT(*) FROM accountability_item i JOIN fraud_case c ON c.id = i.case_id "
            "WHERE (i.level = 'l10w' AND c.loss_fen >= 10000000 AND c.loss_fen < 50000000) "
            "OR (i.level = 'l50w' AND c.loss_fen >= 50000000 AND c.loss_fen < 100000000) "
            "OR (i.level = 'l100w' AND c.loss_fen >= 100000000) GROUP BY i.level")).all())
        total = connection.execute(text("SELECT COUNT(*) FROM accountability_item WHERE case_id IS NOT NULL")).scalar()
        open_old = connection.execute(text(
            "SELECT COUNT(*) FROM accountability_item WHERE status <> 'closed' AND due_date < :cutoff"),
            {"cutoff": "2026-10-01"}).scalar()
    assert missing == 0 and sum(levels.values()) == total > 0
    assert open_old == 0


def _reports(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [(u, n, str(due), _aware(at), snapshot) for u, n, due, at, snapshot in connection.execute(text(
            "SELECT unit_id, period_number, due_date, submitted_at, snapshot FROM campaign_report "
            "ORDER BY unit_id, period_number")).all()]


def test_demo_has_reports_on_time_late_and_never_and_a_weekly_post_target(engine, new_sqlite):
    from services.campaigns.calendar import ReportStatus, report_periods, status
    from services.campaigns.report_model import UnitReport

    load_demo(engine, SPEC)
    rows = _reports(engine)
    with engine.connect() as connection:
        start, end = connection.execute(text(
            "SELECT start_date, end_date FROM campaign WHERE start_date <= '2026-11-28' ORDER BY start_date DESC")).first()
        police = connection.execute(text(
            "SELECT cu.unit_id FROM campaign_unit cu JOIN campaign c ON c.id = cu.campaign_id "
            "WHERE c.start_date = :s AND NOT cu.partner"), {"s": start}).scalars().all()
        weekly = connection.execute(text(
            "SELECT target_value, period, channel FROM campaign_target WHERE metric = 'wechat_posts_week'")).all()
    periods = {p.number: p for p in report_periods(date.fromisoformat(str(start)), date.fromisoformat(str(end)))}
    assert {n for _, n, *_ in rows} == set(range(1, 9))  # every period due before 28 November
    statuses = Counter(status(periods[n], at, ANCHOR) for _, n, _, at, _ in rows)
    assert statuses[ReportStatus.ON_TIME] > 5 * statuses[ReportStatus.LATE] > 0
    reported = {(u, n) for u, n, *_ in rows}
    never = [u for u in police if not any((u, n) in reported for n in periods if n <= 8)]
    assert len(never) == 3 and len(reported) < len(police) * 8 - 3 * 8  # some others missed a period too
    snapshot = UnitReport.from_json(rows[0][4])
    assert snapshot.demo and "演示数据" in snapshot.methods and snapshot.targets
    assert all(UnitReport.from_json(s).period.number == n for _, n, _, _, s in rows[:20])
    assert weekly and all(w == (2, "week", "push") for w in weekly)
    twin = new_sqlite()
    load_demo(twin, SPEC)
    assert _reports(twin) == rows  # deterministic by seed


def _aware(value):
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
