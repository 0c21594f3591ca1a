"""Jurisdiction import from GeoJSON: real 厦门 and 漳州 boundaries, datum, crosswalk, problems, scope, idempotence."""

import copy
import json
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import shape
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AuditLog, Unit
from services.access.actor import AccessDenied, Actor
from services.demo.units import DISTRICTS_FILE
from services.shared.errors import InvalidInput
from services.units.boundary_import import (
    UnitImportOptions,
    apply_unit_import,
    parse_features,
    plan_unit_import,
    police_unit_name,
    read_crosswalk,
)
from services.units.tree import add_unit
from vocabulary import AuditAction, Datum, ImportAction, Role, UnitKind

XIAMEN_FILE = Path(__file__).resolve().parents[2] / "data" / "xiamen_districts_gcj02.geojson"
TREE = {"datum": Datum.GCJ02, "parent_code_property": "parent_adcode"}


def _collection(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _file(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def _plan(engine, data, **options):
    with read_session(engine) as session:
        return plan_unit_import(session, data, UnitImportOptions(**options))


def _import(engine, data, actor=None, **options):
    with write_session(engine) as session:
        plan = plan_unit_import(session, data, UnitImportOptions(**options))
        return plan, apply_unit_import(session, actor, plan)


def _units(engine) -> dict[str, Unit]:
    with read_session(engine) as session:
        return {unit.code: unit for unit in session.execute(select(Unit)).scalars()}


def _snapshot(engine) -> list[tuple]:
    columns = [c.name for c in Unit.__table__.columns]
    with read_session(engine) as session:
        rows = session.execute(select(Unit.__table__).order_by(Unit.id)).all()
    return [tuple(getattr(row, c) for c in columns) for row in rows]


def _audit_count(engine) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(AuditLog)).scalar()


def _actor(engine, code: str, role: Role) -> Actor:
    unit = _units(engine)[code]
    return Actor(1, f"{role}_{code}", "张警官", role, unit.id, unit.path, unit.name, "127.0.0.1")


# --- 厦门: the second real city -----------------------------------------------------------------------------


def test_xiamen_tree_file_updates_the_city_and_creates_its_districts(engine):
    raw = _collection(XIAMEN_FILE)
    districts = {f["properties"]["adcode"]: f["properties"]["name"] for f in raw["features"]
                 if f["properties"]["parent_adcode"] == "350200"}
    with write_session(engine) as session:
        add_unit(session, code="350200", name="厦门市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
    plan, result = _import(engine, XIAMEN_FILE.read_bytes(), source_name="xiamen.geojson", **TREE)
    assert plan.ok and (result.created, result.updated, result.unchanged) == (6, 1, 0)
    units = _units(engine)
    city = units["350200"]
    assert len(districts) == 6 and len(units) == 7
    for code, name in districts.items():
        unit = units[code]
        assert unit.name == unit.full_name == f"{name}公安分局"
        assert (unit.parent_id, unit.level, unit.kind, unit.division_code) == (city.id, 2, "district_bureau", code)
        assert unit.path == f"{city.path}{unit.id}/"
        assert shape(json.loads(unit.boundary_geojson)).contains(shapely.Point(unit.centroid_lon, unit.centroid_lat))
    assert city.boundary_geojson and city.name == "厦门市公安局"
    with read_session(engine) as session:
        audit = session.execute(select(AuditLog)).scalars().all()
    assert [(a.action, a.username) for a in audit] == [(AuditAction.IMPORT.value, "cli")]
    assert "xiamen.geojson" in audit[0].detail and "新增 6 个" in audit[0].detail


def test_xiamen_districts_import_under_a_new_city_unit(engine):
    raw = _collection(XIAMEN_FILE)
    raw["features"] = [f for f in raw["features"] if f["properties"]["level"] == "district"]
    with write_session(engine) as session:
        add_unit(session, code="XMSJ", name="厦门市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
    plan, result = _import(engine, json.dumps(raw), datum=Datum.GCJ02, parent_code="XMSJ", police_names=False)
    units = _units(engine)
    children = sorted(u.name for u in units.values() if u.parent_id == units["XMSJ"].id)
    assert result.created == 6 and len(units) == 7
    assert children == sorted(f["properties"]["name"] for f in raw["features"])
    assert {row["上级单位"] for row in plan.rows()} == {"厦门市公安局"}


def test_gcj02_is_converted_to_wgs84_by_the_known_offset(engine, new_sqlite):
    """Stored boundaries sit at the file's shape minus the datum offset; declared WGS84, they stay where they are."""
    zhangzhou = _collection(DISTRICTS_FILE)
    changtai = next(f for f in zhangzhou["features"] if f["properties"]["adcode"] == "350605")
    # GCJ-02 minus WGS84 at 117.76 E, 24.62 N is +0.00492°, −0.00285° (shared/data README): a 100 m square there.
    probe = _feature({"adcode": "350605999", "name": "测试社区"}, _square(117.7595, 24.6195, 0.001))
    features = [changtai, *_collection(XIAMEN_FILE)["features"], probe]
    raw_engine = new_sqlite()
    _import(engine, _file(*features), datum=Datum.GCJ02)
    _import(raw_engine, _file(*features), datum=Datum.WGS84)
    converted, kept = _units(engine), _units(raw_engine)
    raw_engine.dispose()
    for feature in features:
        code = feature["properties"]["adcode"]
        in_file = shape(feature["geometry"]).centroid
        stored = shape(json.loads(converted[code].boundary_geojson))
        assert 0.0045 < in_file.x - stored.centroid.x < 0.0054 and -0.0032 < in_file.y - stored.centroid.y < -0.0022
        assert stored.contains(shapely.Point(converted[code].centroid_lon, converted[code].centroid_lat))
        assert shape(json.loads(kept[code].boundary_geojson)).centroid.distance(in_file) < 1e-4  # 30 m simplification
    probe_centroid = shape(json.loads(converted["350605999"].boundary_geojson)).centroid
    assert probe_centroid.x == pytest.approx(117.76 - 0.00492, abs=1e-5)
    assert probe_centroid.y == pytest.approx(24.62 + 0.00285, abs=1e-5)


def test_reimport_changes_nothing(engine):
    _import(engine, XIAMEN_FILE.read_bytes(), **TREE)
    before = _snapshot(engine)
    plan, result = _import(engine, XIAMEN_FILE.read_bytes(), **TREE)
    assert {row["操作"] for row in plan.rows()} == {"未变"}
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert _snapshot(engine) == before


def test_a_changed_boundary_is_an_update_in_place(engine):
    _import(engine, XIAMEN_FILE.read_bytes(), **TREE)
    before = _units(engine)
    raw = _collection(XIAMEN_FILE)
    siming = next(f for f in raw["features"] if f["properties"]["adcode"] == "350203")
    siming["geometry"] = _square(118.08, 24.45)
    siming["properties"]["人口"] = 1_000_000
    plan, result = _import(engine, json.dumps(raw), population_property="人口", **TREE)
    after = _units(engine)
    assert [(u.feature.code, u.action) for u in plan.units if u.action is not ImportAction.UNCHANGED] == \
        [("350203", ImportAction.UPDATE)]
    assert (result.updated, result.unchanged) == (1, 6)
    assert after["350203"].id == before["350203"].id and after["350203"].path == before["350203"].path
    assert shape(json.loads(after["350203"].boundary_geojson)).bounds == pytest.approx(
        (118.08 - 0.0050, 24.45 + 0.0027, 118.09 - 0.0050, 24.46 + 0.0027), abs=2e-4)
    assert after["350203"].population == 1_000_000


# --- the demo's format ---------------------------------------------------------------------------------------


def test_the_demo_file_reimported_over_the_demo_changes_nothing(demo_db_url):
    """Imported boundaries are stored exactly like the demo's, so the map draws both alike."""
    from db.engine import make_engine

    database = make_engine(demo_db_url)
    plan = _plan(database, DISTRICTS_FILE.read_bytes(), **TREE)
    database.dispose()
    assert plan.ok and len(plan.units) == 12
    assert {u.action for u in plan.units} == {ImportAction.UNCHANGED}


def test_old_division_codes_go_through_the_crosswalk(engine):
    zhangzhou = _collection(DISTRICTS_FILE)
    changtai = copy.deepcopy(next(f for f in zhangzhou["features"] if f["properties"]["adcode"] == "350605"))
    changtai["properties"] |= {"adcode": "350625", "name": "长泰县", "population": 220_000}
    with write_session(engine) as session:
        add_unit(session, code="350600", name="漳州市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
        existing = add_unit(session, code="350605", name="长泰区公安分局", kind=UnitKind.DISTRICT_BUREAU,
                            parent_code="350600").id
    options = dict(TREE, population_property="population", police_names=False, name_property="missing")
    without = _plan(engine, _file(changtai), **options)
    assert [(u.feature.code, u.action) for u in without.units] == []  # a new unit needs a name
    assert [p.code for p in without.problems] == ["350625"]
    crosswalk = read_crosswalk("旧代码,新代码\n350625,350605\n350681,350604\n")
    plan, result = _import(engine, _file(changtai), crosswalk=crosswalk, **options)
    assert [(u.feature.source_code, u.feature.code, u.action) for u in plan.units] == \
        [("350625", "350605", ImportAction.UPDATE)]
    units = _units(engine)
    assert len(units) == 2 and units["350605"].id == existing and result.unit_ids == {"350605": existing}
    assert units["350605"].name == "长泰区公安分局"  # no name mapped: the unit keeps its own
    assert units["350605"].population == 220_000 and units["350605"].boundary_geojson


def test_crosswalk_applies_to_parent_codes_too(engine):
    with write_session(engine) as session:
        add_unit(session, code="350600", name="漳州市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
    data = _file(_feature({"adcode": "350681001", "name": "石码街道", "parent_adcode": "350681"}, _square(117.8, 24.45)),
                 _feature({"adcode": "350681", "name": "龙海市", "parent_adcode": "350600"}, _square(117.7, 24.4, 0.2)))
    plan, _ = _import(engine, data, crosswalk={"350681": "350604"}, **TREE)
    units = _units(engine)
    assert units["350681001"].parent_id == units["350604"].id and units["350604"].parent_id == units["350600"].id
    assert (units["350604"].name, units["350604"].kind, units["350604"].level) == ("龙海市公安局", "district_bureau", 2)
    assert (units["350681001"].name, units["350681001"].kind, units["350681001"].level) == ("石码派出所", "station", 3)


# --- problems ------------------------------------------------------------------------------------------------


BOW_TIE = {"type": "Polygon",
           "coordinates": [[[118.0, 24.5], [118.1, 24.6], [118.1, 24.5], [118.0, 24.6], [118.0, 24.5]]]}


def test_a_bow_tie_is_reported_with_its_index_and_nothing_changes(engine):
    raw = _collection(XIAMEN_FILE)
    raw["features"].insert(3, _feature({"adcode": "350299", "name": "蝴蝶区"}, BOW_TIE))
    plan = _plan(engine, json.dumps(raw), **TREE)
    assert [(p.index, p.code) for p in plan.problems] == [(3, "350299")]
    assert "自相交" in plan.problems[0].reason
    assert plan.problem_rows()[0]["要素序号"] == 4
    with pytest.raises(InvalidInput):
        with write_session(engine) as session:
            apply_unit_import(session, None, plan)
    assert _units(engine) == {} and _audit_count(engine) == 0


@pytest.mark.parametrize(("properties", "geometry", "fragment"), [
    ({"name": "思明区"}, _square(118.1, 24.45), "缺少属性“adcode”"),
    ({"adcode": "350203"}, _square(118.1, 24.45), "缺少属性“name”"),
    ({"adcode": "35-02", "name": "思明区"}, _square(118.1, 24.45), "不是区划代码"),
    ({"adcode": "350203", "name": "思明区"}, None, "只接受 Polygon"),
    ({"adcode": "350203", "name": "思明区"}, {"type": "Point", "coordinates": [118.1, 24.45]}, "只接受 Polygon"),
    ({"adcode": "350203", "name": "思明区"}, _square(24.45, 118.1), "经纬度颠倒"),
    ({"adcode": "350203", "name": "思明区"}, _square(13_150_000, 2_810_000, 1000), "投影坐标"),
    ({"adcode": "350203", "name": "思明区"}, {"type": "Polygon", "coordinates": []}, "几何为空"),
    ({"adcode": "350203", "name": "思明区"}, {"type": "Polygon", "coordinates": [[[118, "北"]]]}, "无法解析"),
    ({"adcode": "350203", "name": "思明区", "pop": -5}, _square(118.1, 24.45), "非负整数"),
])
def test_each_problem_is_reported_in_chinese_at_its_feature(engine, properties, geometry, fragment):
    data = _file(_feature({"adcode": "350206", "name": "湖里区"}, _square(118.1, 24.5)), _feature(properties, geometry))
    plan = _plan(engine, data, datum=Datum.WGS84, population_property="pop")
    assert [p.index for p in plan.problems] == [1]
    assert fragment in plan.problems[0].reason
    assert [u.feature.code for u in plan.units] == ["350206"]


def test_custom_property_names(engine):
    data = _file(_feature({"CODE": 350206, "NAME": "湖里区"}, _square(118.1, 24.5)))
    plan, result = _import(engine, data, datum=Datum.WGS84, code_property="CODE", name_property="NAME")
    assert result.created == 1 and _units(engine)["350206"].name == "湖里区公安分局"


def test_the_label_point_of_a_concave_jurisdiction_lies_inside_it(engine):
    # A U shape along a river bend: its centroid falls in the gap between the arms.
    u_shape = {"type": "Polygon", "coordinates": [[[118.0, 24.5], [118.1, 24.5], [118.1, 24.6], [118.09, 24.6],
                                                   [118.09, 24.51], [118.01, 24.51], [118.01, 24.6], [118.0, 24.6],
                                                   [118.0, 24.5]]]}
    assert not shape(u_shape).contains(shape(u_shape).centroid)
    _import(engine, _file(_feature({"adcode": "350206", "name": "湖里区"}, u_shape)), datum=Datum.WGS84)
    unit = _units(engine)["350206"]
    assert shape(u_shape).contains(shapely.Point(unit.centroid_lon, unit.centroid_lat))


def test_whole_file_problems(engine):
    for data in (b"\xff\xfe", "{not json", json.dumps({"type": "Polygon"}), _file()):
        plan = _plan(engine, data, datum=Datum.WGS84)
        assert len(plan.problems) == 1 and plan.problems[0].index is None and not plan.units
        assert plan.problem_rows()[0]["要素序号"] == "（整个文件）"


def test_duplicates_missing_parent_and_taken_codes(engine):
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind=UnitKind.CITY_BUREAU, parent_code=None)
        taken = add_unit(session, code="350211", name="集美区公安分局", kind=UnitKind.DISTRICT_BUREAU, parent_code="C")
        taken.division_code = None
    square = _square(118.1, 24.5)
    data = _file(_feature({"adcode": "350206", "name": "湖里区"}, square),
                 _feature({"adcode": "350206", "name": "湖里区二"}, square),
                 _feature({"adcode": "350211", "name": "集美区"}, square))
    plan = _plan(engine, data, datum=Datum.WGS84, parent_code="C")
    assert [(p.index, p.code) for p in plan.problems] == [(1, "350206"), (2, "350211")]
    assert "与第 1 个要素相同" in plan.problems[0].reason and "集美区公安分局" in plan.problems[1].reason
    missing = _plan(engine, data, datum=Datum.WGS84, parent_code="NOPE")
    assert any(p.index is None and "NOPE" in p.reason for p in missing.problems)


def test_parent_cycles_and_depth_are_refused(engine):
    with write_session(engine) as session:
        add_unit(session, code="L1", name="市局", kind=UnitKind.CITY_BUREAU, parent_code=None)
        add_unit(session, code="L2", name="分局", kind=UnitKind.DISTRICT_BUREAU, parent_code="L1")
        add_unit(session, code="L3", name="派出所", kind=UnitKind.STATION, parent_code="L2")
    square = _square(118.1, 24.5)
    cycle = _file(_feature({"adcode": "111", "name": "甲区", "up": "222"}, square),
                  _feature({"adcode": "222", "name": "乙区", "up": "111"}, square))
    plan = _plan(engine, cycle, datum=Datum.WGS84, parent_code_property="up")
    assert {p.code for p in plan.problems} == {"111", "222"} and all("成环" in p.reason for p in plan.problems)
    deep = _file(_feature({"adcode": "301", "name": "一社区", "up": ""}, square),
                 _feature({"adcode": "302", "name": "二社区", "up": "301"}, square))
    plan = _plan(engine, deep, datum=Datum.WGS84, parent_code="L3", parent_code_property="up")
    assert [(p.code, "4 级" in p.reason) for p in plan.problems] == [("302", True)]


# --- who may import ------------------------------------------------------------------------------------------


@pytest.fixture
def two_cities(engine):
    with write_session(engine) as session:
        add_unit(session, code="350200", name="厦门市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
        add_unit(session, code="350600", name="漳州市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
    return engine


def test_only_unit_managers_may_import(two_cities):
    leader = _actor(two_cities, "350200", Role.LEADER)
    with pytest.raises(AccessDenied):
        _import(two_cities, XIAMEN_FILE.read_bytes(), actor=leader, **TREE)
    assert len(_units(two_cities)) == 2 and _audit_count(two_cities) == 0


def test_an_administrator_imports_only_within_scope(two_cities):
    zhangzhou_admin = _actor(two_cities, "350600", Role.ADMIN)
    with pytest.raises(AccessDenied):  # would update 厦门市公安局 and add districts under it
        _import(two_cities, XIAMEN_FILE.read_bytes(), actor=zhangzhou_admin, **TREE)
    raw = _collection(XIAMEN_FILE)
    raw["features"] = [f for f in raw["features"] if f["properties"]["level"] == "district"]
    with pytest.raises(AccessDenied):
        _import(two_cities, json.dumps(raw), actor=zhangzhou_admin, datum=Datum.GCJ02, parent_code="350200")
    assert len(_units(two_cities)) == 2 and _audit_count(two_cities) == 0
    xiamen_admin = _actor(two_cities, "350200", Role.ADMIN)
    _, result = _import(two_cities, XIAMEN_FILE.read_bytes(), actor=xiamen_admin, **TREE)
    assert (result.created, result.updated) == (6, 1)
    with read_session(two_cities) as session:
        audit = session.execute(select(AuditLog)).scalars().one()
    assert (audit.username, audit.action) == (xiamen_admin.username, "import")


# --- parsers -------------------------------------------------------------------------------------------------


def test_read_crosswalk_examples():
    assert read_crosswalk("\ufeffold,new\r\n350625 , 350605\r\n\r\n350681,350604\r\n") == \
        {"350625": "350605", "350681": "350604"}
    assert read_crosswalk("旧代码,新代码\n350625,350605\n350625,350605\n") == {"350625": "350605"}
    for text, fragment in (("a,b\n1,2", "表头"), ("old,new\n350625", "第 2 行应为两列"),
                           ("old,new\n350625,35060X", "“35060X”"), ("old,new\n1,2\n1,3", "第 3 行"), ("", "表头")):
        with pytest.raises(InvalidInput) as refused:
            read_crosswalk(text)
        assert fragment in refused.value.errors["crosswalk"]


codes = st.text(alphabet="0123456789", min_size=1, max_size=12)


@given(st.dictionaries(codes, codes, max_size=20), st.sampled_from(["旧代码,新代码", "old,new", "OLD , NEW"]))
def test_read_crosswalk_round_trips(mapping, header):
    text = "\n".join([header, *(f"{old},{new}" for old, new in mapping.items())])
    assert read_crosswalk(text) == mapping


@given(st.text(max_size=200))
def test_read_crosswalk_refuses_in_chinese_or_reads(text):
    try:
        mapping = read_crosswalk(text)
    except InvalidInput as refused:
        assert set(refused.errors) == {"crosswalk"} and "代码对照表" in refused.errors["crosswalk"]
    else:
        assert all(k.isdigit() and v.isdigit() for k, v in mapping.items())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**13) | st.floats(allow_nan=True) | st.text(max_size=15),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(json_values, json_values, json_values, json_values)
def test_any_feature_content_gives_problems_not_crashes(code, name, population, geometry):
    feature = {"type": "Feature", "properties": {"adcode": code, "name": name, "pop": population}, "geometry": geometry}
    options = UnitImportOptions(datum=Datum.GCJ02, population_property="pop")
    parsed, _, problems = parse_features(json.dumps(feature), options)
    assert len(parsed) + bool(problems) == 1
    assert all(p.index == 0 and p.reason for p in problems)


@given(st.text(min_size=1, max_size=10))
def test_police_unit_name(name):
    result = police_unit_name(name)
    if name.endswith("区"):
        assert result == f"{name}公安分局"
    elif name.endswith(("市", "县", "旗")):
        assert result == f"{name}公安局"
    elif not name.endswith(("街道", "镇", "乡")):
        assert result == name
