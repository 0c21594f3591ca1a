"""The case map: jurisdictions coloured by a measure, cases as points or grid cells on top, and a Chinese legend.

Offline by construction. `pdk.Deck(map_provider=None)` with map_style left at pydeck's default writes
`"mapStyle": "__MAP_STYLE__"` and no mapProvider into the deck JSON. Streamlit's frontend (DeckGlJsonChart)
treats that sentinel as "no basemap": it deletes mapStyle and skips its own Carto fallback, and with no
mapStyle it never mounts the mapbox-gl base map, so no style, tile, font or telemetry request is made.
(`map_style=None` or `""` would not do: the frontend then substitutes a Carto style from the internet.)
deck.gl's TileLayer cannot draw raster tiles from JSON (it needs a JavaScript renderSubLayers), so when an
intranet tile server is configured its `{z}/{x}/{y}` template goes under the polygons as the base map's
own style instead: `mapStyle` is a one-element list holding an inline raster style (the frontend hands a
list's first element to mapbox-gl, which fetches only that template's tiles).
"""

import bisect
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pydeck as pdk
import shapely
import streamlit as st
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping

from services.geo.tiling import simplify_for_display
from services.map.read import CaseMarks, JurisdictionMeasure
from services.map.text import (
    MAP_LEGEND_ABOVE,
    MAP_LEGEND_BELOW,
    MAP_LEGEND_MARKS_GRID,
    MAP_LEGEND_MARKS_POINTS,
    MAP_LEGEND_NO_DATA,
    MAP_LEGEND_POINTS_BY_LOSS,
    MAP_LEGEND_RANGE,
    MAP_LEGEND_SINGLE,
    MAP_LEGEND_UNLOCATED,
    MAP_TIP_CASES,
    MAP_TIP_CHANGE,
    MAP_TIP_DAYS,
    MAP_TIP_LOSS,
    MAP_TIP_PER_10K,
    MAP_TIP_POPULATION_UNKNOWN,
    MAP_TIP_UNLOCATED,
)
from services.shared.loss_bands import LOSS_BANDS
from services.shared.money import FEN_PER_WAN, format_wan
from services.shared.text import SYNTHETIC_BOUNDARY_NOTE
from services.shared.timeutil import Comparison
from vocabulary import MapMeasure

JURISDICTION_LAYER = "jurisdictions"
SELECTED_LAYER = "selected"
MARKS_LAYER = "cases"
BASEMAP_SOURCE = "intranet-tiles"
NO_BASEMAP = "__MAP_STYLE__"
MAP_HEIGHT = 560
# px, to fit the first view: the map column at 1366x768 with the sidebar open is about 560 px wide; the chart
# stretches, so a wider screen only shows more margin.
ASSUMED_WIDTH = 520
FIT_MARGIN = 0.35  # zoom levels of margin around the fitted box
COORDINATE_PLACES = 5  # about one metre
DISPLAY_TOLERANCE_M = 60
RAMP = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]]
NO_VALUE = [200, 200, 200]
FILL_ALPHA = 170
OUTLINE = [90, 90, 90, 200]
SELECTED_OUTLINE = [20, 70, 170, 255]
MARK_COLOUR = [30, 60, 140, 190]
# Case points are classed by their loss (the case filters' bands), in blues so they read apart from the fill.
POINT_BANDS = ("lt1w", "1w_10w", "10w_50w", "50w_100w", "ge100w")
POINT_RAMP = [[158, 202, 225], [107, 174, 214], [49, 130, 189], [8, 81, 156], [37, 37, 110]]
POINT_ALPHA = 220
SINGLE_FILL = [255, 237, 160]  # one jurisdiction (a station's own map): no classes to compare it with


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact UTF-8 (pydeck indents and escapes every character, tripling the size)."""

    def to_json(self) -> str:
        return json.dumps(self, default=default_serialize, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- colour scale


@dataclass(frozen=True)
class ColourScale:
    """Quantile classes: value v falls in class bisect_right(breaks, v); None is grey."""

    measure: MapMeasure
    breaks: list[int | Decimal]
    colours: list[list[int]]
    low: int | Decimal | None = None
    high: int | Decimal | None = None

    def colour(self, value: int | Decimal | None) -> list[int]:
        if value is None:
            return NO_VALUE
        return self.colours[bisect.bisect_right(self.breaks, value)]


def _nice(value: int | Decimal, measure: MapMeasure) -> int | Decimal:
    """Round a break to two significant figures of its display unit, so the legend reads cleanly."""
    shown = Decimal(value) / FEN_PER_WAN if measure == MapMeasure.LOSS else Decimal(value)
    if shown <= 0:
        return value
    places = 1 - shown.adjusted()
    rounded = round(shown, places)
    if measure == MapMeasure.LOSS:
        return int(rounded * FEN_PER_WAN)
    if measure == MapMeasure.CASES:
        return max(1, int(rounded))
    return rounded.normalize() if rounded == rounded.to_integral() else rounded


def _break(quantile: int | Decimal, known: list, measure: MapMeasure) -> int | Decimal | None:
    """A class limit at a quantile, rounded if that keeps the lowest and highest classes non-empty."""
    for candidate in (_nice(quantile, measure), quantile):
        if known[0] < candidate <= known[-1]:
            return candidate
    return None


def colour_scale(values: list[int | Decimal | None], measure: MapMeasure | str,
                 classes: int = len(RAMP)) -> ColourScale:
    """Up to `classes` quantile classes over the known values (ignoring None)."""
    measure = MapMeasure(measure)
    known = sorted(v for v in values if v is not None)
    breaks: list = []
    if known and known[0] != known[-1]:
        quantiles = [known[min(len(known) - 1, len(known) * i // classes)] for i in range(1, classes)]
        breaks = sorted({b for b in (_break(q, known, measure) for q in quantiles) if b is not None}) or [known[-1]]
    # Spread the classes over the whole ramp so that few classes still run from light to dark.
    picks = [round(i * (len(RAMP) - 1) / max(1, len(breaks))) for i in range(len(breaks) + 1)]
    return ColourScale(measure, breaks, [RAMP[i] for i in picks], known[0] if known else None,
                       known[-1] if known else None)


def format_value(value: int | Decimal, measure: MapMeasure | str) -> str:
    """A measure's value in its display unit (loss in 万元), without trailing zeros."""
    measure = MapMeasure(measure)
    if measure == MapMeasure.CASES:
        return f"{int(value):,}"
    if measure == MapMeasure.LOSS:
        return f"{(Decimal(value) / FEN_PER_WAN).quantize(Decimal('0.0001')).normalize():,f}"  # to the 元
    return f"{Decimal(value).quantize(Decimal('0.01')).normalize():,f}"


def legend_entries(scale: ColourScale) -> list[tuple[list[int], str]]:
    """(colour, label) per class, lowest first, then the grey of unknown values."""
    shown = [format_value(b, scale.measure) for b in scale.breaks]
    if shown:
        labels = ([MAP_LEGEND_BELOW.format(upper=shown[0])]
                  + [MAP_LEGEND_RANGE.format(lower=a, upper=b) for a, b in zip(shown, shown[1:])]
                  + [MAP_LEGEND_ABOVE.format(lower=shown[-1])])
    elif scale.low is not None:
        labels = [format_value(scale.low, scale.measure)]
    else:
        labels = []
    return list(zip(scale.colours, labels)) + [(NO_VALUE, MAP_LEGEND_NO_DATA)]


# ---------------------------------------------------------------- geometry and tooltips


Bounds = tuple[float, float, float, float]


def display_geometry(boundary: dict) -> tuple[dict, Bounds]:
    """A boundary simplified for display, coordinates rounded to five decimals, and its bounds (shared: do not
    modify the result)."""
    return _display_geometry(json.dumps(boundary, separators=(",", ":")))


@lru_cache(maxsize=4096)
def _display_geometry(boundary_json: str) -> tuple[dict, Bounds]:
    # Boundaries hardly ever change: simplifying ~130 of them on every rerun would cost ~100 ms.
    simplified = simplify_for_display(shapely.from_geojson(boundary_json), DISPLAY_TOLERANCE_M)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, COORDINATE_PLACES))
    return mapping(rounded), rounded.bounds


def _bounds(boxes: list[Bounds]) -> Bounds | None:
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def fit_view(bounds: Bounds | None, width: int = ASSUMED_WIDTH,
             height: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view showing the whole box (Web Mercator zoom), or China when there is nothing to show."""
    if bounds is None:
        return pdk.ViewState(longitude=105.0, latitude=35.0, zoom=3)
    west, south, east, north = bounds
    lon_span = max(east - west, 1e-4)
    y_span = max(_mercator_y(north) - _mercator_y(south), 1e-6)
    # deck.gl's world is 512 px wide at zoom 0.
    zoom = min(math.log2(width * 360 / (512 * lon_span)), math.log2(height * 2 * math.pi / (512 * y_span)))
    return pdk.ViewState(longitude=round((west + east) / 2, COORDINATE_PLACES),
                         latitude=round((south + north) / 2, COORDINATE_PLACES), zoom=round(zoom - FIT_MARGIN, 2))


def compared_days(compared: Comparison | None) -> str:
    """（11-01–11-18 对比 10-01–10-18）: which days a 环比 compares, or nothing when unknown."""
    if compared is None:
        return ""
    return MAP_TIP_DAYS.format(start=f"{compared.current.first_day:%m-%d}", end=f"{compared.current.last_day:%m-%d}",
                               prev_start=f"{compared.previous.first_day:%m-%d}",
                               prev_end=f"{compared.previous.last_day:%m-%d}")


def _change_text(measure: JurisdictionMeasure, compared: Comparison | None = None) -> str:
    return MAP_TIP_CHANGE.format(cases=measure.cases_change.label, loss=measure.loss_change.label) + compared_days(
        compared)


def jurisdiction_tip(m: JurisdictionMeasure, compared: Comparison | None = None) -> str:
    """The tooltip of one jurisdiction, one fact per line; the 环比 line says which days it compares."""
    lines = [m.name, f"{MAP_TIP_CASES.format(cases=m.cases)} · {MAP_TIP_LOSS.format(loss=format_wan(m.loss_fen))}",
             _change_text(m, compared),
             MAP_TIP_PER_10K.format(value=m.per_10k) if m.per_10k is not None else MAP_TIP_POPULATION_UNKNOWN]
    if m.unlocated:
        lines.append(MAP_TIP_UNLOCATED.format(count=m.unlocated))
    if m.synthetic_boundary:
        lines.append(SYNTHETIC_BOUNDARY_NOTE)
    return "\n".join(lines)


# ---------------------------------------------------------------- layers


def _jurisdiction_features(measures: list[JurisdictionMeasure], scale: ColourScale,
                           geometries: dict[int, dict], compared: Comparison | None = None) -> list[dict]:
    drawn = [m for m in measures if m.unit_id in geometries and not m.own_level]
    return [
        {"type": "Feature", "geometry": geometries[m.unit_id],
         "properties": {"unit_id": m.unit_id, "name": m.name, "tip": jurisdiction_tip(m, compared),
                        "fill": (SINGLE_FILL if len(drawn) == 1 else scale.colour(m.value(scale.measure)))
                        + [FILL_ALPHA]}}
        for m in drawn
    ]


def point_band(loss_fen: int) -> int:
    """The loss class (index into POINT_BANDS) of one case."""
    for index, key in enumerate(POINT_BANDS):
        _, low, high = LOSS_BANDS[key]
        if (low is None or loss_fen >= low) and (high is None or loss_fen < high):
            return index
    return len(POINT_BANDS) - 1


def point_legend(marks: CaseMarks) -> list[tuple[list[int], str]]:
    """(colour, loss band) of the classes the drawn points fall in, lowest first."""
    present = {point_band(p.loss_fen) for p in marks.points}
    return [(POINT_RAMP[i], LOSS_BANDS[key][0]) for i, key in enumerate(POINT_BANDS) if i in present]


def _marks_layer(marks: CaseMarks) -> pdk.Layer | None:
    # Not pickable: a click on a mark must reach the jurisdiction under it.
    # Radii are in metres (deck.gl's default unit; pydeck would turn a radius_units string into an accessor).
    common = dict(id=MARKS_LAYER, get_position="p", get_radius="r", pickable=False,
                  get_fill_color=MARK_COLOUR, stroked=True, get_line_color=[255, 255, 255, 220],
                  line_width_min_pixels=0.5)
    if marks.is_grid:
        largest = max((c.cases for c in marks.cells), default=1)
        half = marks.cell_metres / 2
        data = [{"p": [round(c.lon, COORDINATE_PLACES), round(c.lat, COORDINATE_PLACES)],
                 "r": round(half * max(0.2, math.sqrt(c.cases / largest)), 1)} for c in marks.cells]
        return pdk.Layer("ScatterplotLayer", data=data, radius_min_pixels=1.5, **common)
    if not marks.points:
        return None
    data = [{"p": [round(p.lon, COORDINATE_PLACES), round(p.lat, COORDINATE_PLACES)],
             "r": round(40 + 30 * math.sqrt(p.loss_fen / FEN_PER_WAN), 1),
             "c": POINT_RAMP[point_band(p.loss_fen)] + [POINT_ALPHA]} for p in marks.points]
    return pdk.Layer("ScatterplotLayer", data=data, radius_min_pixels=2, radius_max_pixels=14,
                     **{**common, "get_fill_color": "c"})


def basemap_style(tile_url: str) -> dict:
    """An inline mapbox-gl style drawing one raster tile template (the intranet tile server)."""
    return {"version": 8, "sources": {BASEMAP_SOURCE: {"type": "raster", "tiles": [tile_url], "tileSize": 256}},
            "layers": [{"id": BASEMAP_SOURCE, "type": "raster", "source": BASEMAP_SOURCE}]}


def build_deck(measures: list[JurisdictionMeasure], marks: CaseMarks | None, measure_kind: MapMeasure | str,
               selected_unit_id: int | None = None, tile_url: str | None = None,
               compared: Comparison | None = None) -> CompactDeck:
    """The deck: base tiles only if configured, coloured jurisdictions, the selected outline, the marks."""
    scale = colour_scale([m.value(measure_kind) for m in measures if not m.own_level], measure_kind)
    shapes = {m.unit_id: display_geometry(m.boundary) for m in measures if m.boundary and not m.own_level}
    geometries = {unit_id: geometry for unit_id, (geometry, _) in shapes.items()}
    layers = [pdk.Layer("GeoJsonLayer", id=JURISDICTION_LAYER, data=_jurisdiction_features(measures, scale, geometries, compared),
                        pickable=True, auto_highlight=True, filled=True, stroked=True, get_fill_color="properties.fill",
                        get_line_color=OUTLINE, line_width_min_pixels=1)]
    if selected_unit_id in geometries:
        layers.append(pdk.Layer("GeoJsonLayer", id=SELECTED_LAYER, data=[{"type": "Feature", "properties": {},
                                "geometry": geometries[selected_unit_id]}], pickable=False, filled=False,
                                stroked=True, get_line_color=SELECTED_OUTLINE, line_width_min_pixels=3))
    marks_layer = _marks_layer(marks) if marks is not None else None
    if marks_layer is not None:
        layers.append(marks_layer)
    deck = CompactDeck(layers=layers, initial_view_state=fit_view(_bounds([box for _, box in shapes.values()])),
                       map_provider=None, tooltip={"text": "{tip}"})
    deck.map_style = [basemap_style(tile_url)] if tile_url else NO_BASEMAP
    return deck


def _selected_unit(event) -> int | None:
    objects = (getattr(event, "selection", None) or {}).get("objects", {}) if event else {}
    for obj in objects.get(JURISDICTION_LAYER, []):
        properties = obj.get("properties", obj) if isinstance(obj, dict) else {}
        if properties.get("unit_id") is not None:
            return int(properties["unit_id"])
    return None


def jurisdiction_map(measures: list[JurisdictionMeasure], marks: CaseMarks | None, measure_kind: MapMeasure | str,
                     selected_unit_id: int | None, tile_url: str | None, key: str,
                     compared: Comparison | None = None) -> int | None:
    """Draw the map; the unit id of the jurisdiction selected by a click, None when nothing is selected."""
    deck = build_deck(measures, marks, measure_kind, selected_unit_id, tile_url, compared)
    event = st.pydeck_chart(deck, height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object", key=key)
    return _selected_unit(event)


def _swatch(colour: list[int], label: str) -> str:
    r, g, b = colour[:3]
    return (f'<span style="display:inline-flex;align-items:center;margin-right:1em;white-space:nowrap">'
            f'<span style="display:inline-block;width:1.1em;height:1.1em;margin-right:.35em;border:1px solid #888;'
            f'background:rgb({r},{g},{b})"></span>{label}</span>')


def fill_legend(measures: list[JurisdictionMeasure], measure: MapMeasure | str) -> list[tuple[list[int], str]]:
    """(colour, label) of the fill: quantile classes, or for a single jurisdiction its name and value."""
    measure = MapMeasure(measure)
    drawn = [m for m in measures if not m.own_level and m.boundary is not None]
    if len(drawn) == 1:
        value = drawn[0].value(measure)
        shown = MAP_LEGEND_NO_DATA if value is None else format_value(value, measure)
        return [(SINGLE_FILL, MAP_LEGEND_SINGLE.format(value=shown))]
    return legend_entries(colour_scale([m.value(measure) for m in measures if not m.own_level], measure))


def map_legend(measures: list[JurisdictionMeasure], marks: CaseMarks | None, measure_kind: MapMeasure | str,
               key: str) -> None:
    """The legend under the map: the measure with its unit, the colour classes, what the marks mean, 未定位."""
    measure = MapMeasure(measure_kind)
    with st.container(key=key):
        st.markdown(f"**{MapMeasure(measure).label}**")
        st.markdown("".join(_swatch(c, label) for c, label in fill_legend(measures, measure)), unsafe_allow_html=True)
        if marks is not None:
            if marks.is_grid:
                st.caption(MAP_LEGEND_MARKS_GRID.format(size=f"{marks.cell_metres:,.0f}"))
            elif marks.points:
                st.caption(MAP_LEGEND_MARKS_POINTS)
                st.markdown(f"{MAP_LEGEND_POINTS_BY_LOSS}　" + "".join(_swatch(c, label) for c, label in point_legend(marks)),
                            unsafe_allow_html=True)
            if marks.unlocated:
                st.caption(MAP_LEGEND_UNLOCATED.format(count=marks.unlocated))
