"""The case map component drawn with AppTest: offline deck JSON, colours, tooltips, marks, legend, payload size."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from components.case_map import (
    JURISDICTION_LAYER,
    MARKS_LAYER,
    NO_VALUE,
    RAMP,
    SELECTED_LAYER,
    _selected_unit,
    build_deck,
    colour_scale,
    legend_entries,
)
from db.engine import make_engine, read_session
from db.models import Unit
from services.access.actor import Actor
from services.map.read import CaseMarks, CasePoint, GridCell, JurisdictionMeasure, MapFilter, jurisdiction_measures
from vocabulary import Role

TILE_URL = "http://tiles.intranet.example/wmts/{z}/{x}/{y}.png"


def square(west: float, south: float, size: float = 0.1) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [west + size, south], [west + size, south + size],
                                                [west, south + size], [west, south]]]}


def measure(unit_id: int, cases: int, loss_fen: int, population: int | None, prev_cases: int = 0,
            west: float = 117.0, unlocated: int = 0, own_level: bool = False) -> JurisdictionMeasure:
    return JurisdictionMeasure(
        unit_id=unit_id, name=f"单位{unit_id}", own_level=own_level, boundary=None if own_level else square(west, 24.0),
        synthetic_boundary=True, population=population, cases=cases, loss_fen=loss_fen, prev_cases=prev_cases,
        prev_loss_fen=loss_fen // 2, unlocated=unlocated)


# Case counts rise 1 → 5 with unit id; losses fall; unit 3 has no known population.
MEASURES = [measure(i, cases=i * 10, loss_fen=(6 - i) * 3_000_000, population=None if i == 3 else 10_000 * i,
                    prev_cases=i * 8, west=117.0 + 0.1 * i, unlocated=i % 2) for i in range(1, 6)]
MEASURES.append(measure(9, cases=4, loss_fen=1, population=None, own_level=True))
POINTS = CaseMarks([CasePoint(i, 117.1 + i / 1000, 24.05, 1_000_000 * i, "rebate", "刷单返利类") for i in range(7)],
                   [], 7, 2)
GRID = CaseMarks([], [GridCell(117.1, 24.05, 30, 9_000_000), GridCell(117.2, 24.05, 3, 100)], 33, 4, 0.0011, 0.001)


def _map_app():
    import streamlit as st

    from components.case_map import jurisdiction_map

    spec = st.session_state["spec"]
    chosen = jurisdiction_map(spec["measures"], spec["marks"], spec["measure"], spec.get("selected"),
                              spec.get("tile_url"), key="case_map")
    st.session_state["chosen"] = chosen


def render(**spec) -> tuple[dict, AppTest]:
    at = AppTest.from_function(_map_app)
    at.session_state["spec"] = {"measures": MEASURES, "marks": POINTS, "measure": "cases", **spec}
    at.run()
    assert not at.exception
    chart = at.get("deck_gl_json_chart")[0].proto
    return {"deck": json.loads(chart.json), "raw": chart.json, "tooltip": json.loads(chart.tooltip)}, at


def layer(deck: dict, layer_id: str) -> dict | None:
    return next((entry for entry in deck["layers"] if entry["id"] == layer_id), None)


def fills(deck: dict) -> dict[int, list[int]]:
    return {f["properties"]["unit_id"]: f["properties"]["fill"][:3] for f in layer(deck, JURISDICTION_LAYER)["data"]}


def test_no_basemap_and_nothing_from_the_internet_by_default():
    shown, at = render()
    raw = shown["raw"].lower()
    assert shown["deck"]["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in shown["deck"]
    for host in ("carto", "mapbox", "http:", "https:", "//"):
        assert host not in raw
    assert at.session_state["chosen"] is None


def test_intranet_tiles_go_under_the_polygons_when_configured():
    shown, _ = render(tile_url=TILE_URL)
    style = shown["deck"]["mapStyle"]
    assert isinstance(style, list) and len(style) == 1
    sources = style[0]["sources"]
    assert [s["tiles"] for s in sources.values()] == [[TILE_URL]] and style[0]["layers"][0]["type"] == "raster"
    assert "carto" not in shown["raw"] and "mapbox" not in shown["raw"]
    assert shown["raw"].count("http") == 1


def test_polygon_colour_follows_the_measure():
    by_cases = fills(render(measure="cases")[0]["deck"])
    by_loss = fills(render(measure="loss")[0]["deck"])
    by_rate = fills(render(measure="per_10k")[0]["deck"])
    assert by_cases[1] == RAMP[0] and by_cases[5] == RAMP[-1]
    assert by_loss[1] == RAMP[-1] and by_loss[5] == RAMP[0]
    # Every unit with a known population has 10 cases per 1,000 residents: one class; unknown is grey.
    assert by_rate[3] == NO_VALUE and len({tuple(c) for i, c in by_rate.items() if i != 3}) == 1
    assert 9 not in by_cases  # the 本级 row has no polygon


def test_tooltip_is_chinese_with_counts_loss_change_and_rate():
    shown, _ = render()
    assert shown["tooltip"] == {"text": "{tip}"}
    features = layer(shown["deck"], JURISDICTION_LAYER)["data"]
    tips = {f["properties"]["unit_id"]: f["properties"]["tip"] for f in features}
    assert tips[2].splitlines()[:4] == ["单位2", "案件 20 起 · 损失 12.00 万元", "环比 案件 +25.0% · 损失 +100.0%",
                                        "每万人 10.00 起"]
    assert "人口未知" in tips[3] and "未定位 1 起" in tips[1] and "未定位" not in tips[2]


def test_points_and_grid_layers():
    points = layer(render(marks=POINTS)[0]["deck"], MARKS_LAYER)
    assert points["@@type"] == "ScatterplotLayer" and len(points["data"]) == 7 and not points["pickable"]
    assert points["data"][0]["p"] == [117.1, 24.05]
    radii = [row["r"] for row in points["data"]]
    assert radii == sorted(radii) and radii[0] < radii[-1]  # bigger loss, bigger point
    grid = layer(render(marks=GRID)[0]["deck"], MARKS_LAYER)
    assert len(grid["data"]) == 2 and grid["data"][0]["r"] > grid["data"][1]["r"]  # more cases, bigger circle
    assert layer(render(marks=CaseMarks([], [], 0, 3))[0]["deck"], MARKS_LAYER) is None


def test_selected_jurisdiction_is_outlined():
    assert layer(render()[0]["deck"], SELECTED_LAYER) is None
    outline = layer(render(selected=4)[0]["deck"], SELECTED_LAYER)
    assert outline["data"][0]["geometry"] == square(117.4, 24.0) and outline["filled"] is False


def test_click_selection_returns_the_unit_id():
    class Event:
        selection = {"indices": {JURISDICTION_LAYER: [1]},
                     "objects": {JURISDICTION_LAYER: [{"type": "Feature", "properties": {"unit_id": 4}}]}}

    assert _selected_unit(Event()) == 4
    Event.selection = {"indices": {}, "objects": {}}
    assert _selected_unit(Event()) is None


def test_view_is_fitted_to_the_polygons():
    view = render()[0]["deck"]["initialViewState"]
    assert 117.1 < view["longitude"] < 117.6 and 24.0 < view["latitude"] < 24.1 and 7 < view["zoom"] < 12


def _legend_app():
    from components.case_map import map_legend

    spec = __import__("streamlit").session_state["spec"]
    map_legend(spec["measures"], spec["marks"], spec["measure"], key="legend")


def test_legend_names_the_measure_with_unit_and_the_unlocated():
    at = AppTest.from_function(_legend_app)
    at.session_state["spec"] = {"measures": MEASURES, "marks": GRID, "measure": "loss"}
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "损失金额（万元）" in text and "无数据/人口未知" in text and "rgb(189,0,38)" in text
    captions = " ".join(c.value for c in at.caption)
    assert "4 起案件未定位" in captions and "网格" in captions


@given(st.lists(st.one_of(st.none(), st.integers(0, 10**9)), max_size=40))
def test_colour_classes_are_monotonic(values):
    scale = colour_scale(values, "loss")
    known = sorted(v for v in values if v is not None)
    classes = [RAMP.index(scale.colour(v)) for v in known]
    assert classes == sorted(classes)
    if known and known[0] != known[-1]:
        assert classes[0] == 0 and classes[-1] == len(RAMP) - 1
    assert scale.colour(None) == NO_VALUE
    assert len(legend_entries(scale)) == len(scale.colours) + 1 if known else len(legend_entries(scale)) == 1


def test_payload_with_all_demo_stations_and_5000_points_stays_small(demo_db_url):
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        city = session.execute(select(Unit).where(Unit.level == 1)).scalars().first()
        leader = Actor(1, "leader", "leader", Role.LEADER, city.id, city.path, city.name)
        end = datetime.now(UTC)
        measures = jurisdiction_measures(session, leader, MapFilter(end - timedelta(days=30), end, depth=2))
    engine.dispose()
    polygons = [m for m in measures if m.boundary]
    points = CaseMarks([CasePoint(i, 117.0 + i / 5000, 24.5, i * 1000, "rebate", "刷单返利类") for i in range(5000)],
                       [], 5000, 0)
    payload = build_deck(measures, points, "per_10k", polygons[0].unit_id, TILE_URL).to_json().encode()
    raw_geometry = sum(len(json.dumps(m.boundary)) for m in polygons)
    print(f"\n{len(polygons)} polygons ({raw_geometry / 1024:.0f} KiB as stored) + 5,000 points: "
          f"deck JSON {len(payload) / 1024:.0f} KiB")
    assert len(polygons) >= 100 and len(payload) < 1_000_000
    assert all(Decimal(str(x)).as_tuple().exponent >= -5 for x in json.loads(payload)["layers"][0]["data"][0][
        "geometry"]["coordinates"][0][0])
