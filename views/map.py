"""案件地图: jurisdictions coloured by a measure, cases on top, a jurisdiction's detail; everything in the URL."""

from datetime import timedelta

import streamlit as st

import cached
import login_gate
from components import url_state
from components.case_map import jurisdiction_map, map_legend
from components.copy_link import copy_link
from components.map_detail import jurisdiction_detail_panel
from components.tables import cells_table
from services.access.permissions import Permission
from services.access.scope import require
from services.access.text import OUT_OF_SCOPE
from services.cases.text import (
    CASES_FILTER_ALL,
    CASES_FILTER_BAND,
    CASES_FILTER_FROM,
    CASES_FILTER_TO,
    CASES_FILTER_TYPE,
)
from services.map import api as map_api
from services.map.read import MapFilter, depth_label, time_window, unit_table_cells
from services.map.text import (
    MAP_COL_LOSS,
    MAP_COL_PREV_LOSS,
    MAP_DEPTH_LABEL,
    MAP_DEPTH_OPTION,
    MAP_FILTER_MEASURE,
    MAP_FILTER_WINDOW,
    MAP_NO_BOUNDARY,
    MAP_NO_UNITS,
    MAP_SELECT,
    MAP_SELECT_HINT,
    MAP_SELECT_NONE,
    MAP_SUMMARY_CAPTION,
    MAP_SUMMARY_CASES,
    MAP_SUMMARY_LOSS,
    MAP_SUMMARY_UNLOCATED,
    MAP_SYNTHETIC,
    MAP_TABLE_TITLE,
    MAP_TITLE,
)
from services.overview.text import EXPORT_BUTTON, EXPORT_DOWNLOAD
from services.shared.config import load_settings
from services.shared.errors import InvalidInput
from services.shared.loss_bands import LOSS_BANDS
from services.shared.money import format_wan
from services.shared.text import COPY_LINK_HELP, UNIT_PICKER
from services.shared.timeutil import shanghai_today
from vocabulary import FraudType, MapMeasure, MapWindow

state = st.session_state
actor = login_gate.actor()
st.title(MAP_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.VIEW_CASES)

choices = cached.unit_choices(actor)
levels = {unit_id: level for unit_id, _, level in choices}
unit_param = url_state.get_int("unit")
if unit_param is not None and unit_param not in levels:
    st.error(OUT_OF_SCOPE, icon=":material/block:")
    st.stop()
today = shanghai_today()


def _choice(name: str, options: list, default):
    value = url_state.get_str(name, {str(o) for o in options})
    return next((o for o in options if str(o) == value), default)


with st.container(horizontal=True, vertical_alignment="bottom"):
    unit_id = url_state.unit_picker(UNIT_PICKER, choices, unit_param or actor.unit_id, key="map_unit")
    # Only depths that show something different: none for a station, which is its own jurisdiction.
    with login_gate.refusals():
        depths = map_api.depths(cached.engine(), actor, unit_id)
    depth = 1
    if depths:
        depth = st.segmented_control(
            MAP_DEPTH_LABEL, depths, default=_choice("depth", depths, 1), key=f"map_depth_{unit_id}",
            format_func=lambda d: MAP_DEPTH_OPTION.format(label=depth_label(levels[unit_id], d)),
        ) or 1
    windows = list(MapWindow)
    # 本月 by default: the same period and comparison as 总览, so a unit shows one 环比 on both pages.
    window_kind = st.selectbox(MAP_FILTER_WINDOW, windows, index=windows.index(_choice("win", windows, MapWindow.MONTH)),
                               format_func=MapWindow.labels().get, key="map_window")
    custom_from = custom_to = None
    if window_kind is MapWindow.CUSTOM:
        custom_from = st.date_input(CASES_FILTER_FROM, url_state.get_date("from") or today - timedelta(days=29),
                                    max_value=today, key="map_from")
        custom_to = st.date_input(CASES_FILTER_TO, url_state.get_date("to") or today, max_value=today, key="map_to")
    types = [None, *FraudType]
    fraud_type = st.selectbox(CASES_FILTER_TYPE, types, index=types.index(_choice("type", list(FraudType), None)),
                              format_func=lambda t: CASES_FILTER_ALL if t is None else FraudType(t).label,
                              key="map_type")
    bands = list(LOSS_BANDS)
    band = st.selectbox(CASES_FILTER_BAND, bands, index=bands.index(_choice("band", bands, "all")),
                        format_func=lambda b: LOSS_BANDS[b][0], key="map_band")
    measures_list = list(MapMeasure)
    measure = st.selectbox(MAP_FILTER_MEASURE, measures_list,
                           index=measures_list.index(_choice("measure", measures_list, MapMeasure.CASES)),
                           format_func=MapMeasure.labels().get, key="map_measure")

# The unit is always in the link: a shared link shows its unit to everyone in scope and is refused elsewhere.
url_state.set_params(
    unit=unit_id, depth=None if depth == 1 else depth,
    win=None if window_kind is MapWindow.MONTH else window_kind.value,
    type=fraud_type.value if fraud_type else None, band=None if band == "all" else band,
    measure=None if measure is MapMeasure.CASES else measure.value,
    **{"from": custom_from.isoformat() if custom_from else None, "to": custom_to.isoformat() if custom_to else None},
)
try:
    window = time_window(window_kind, today, custom_from, custom_to)
    _, low, high = LOSS_BANDS[band]
    criteria = MapFilter.of(window, unit_id=unit_id, depth=depth, fraud_type=fraud_type, min_loss_fen=low,
                            max_loss_fen=high)
except InvalidInput as invalid:
    for message in invalid.errors.values():
        st.error(message)
    st.stop()

minute = cached.current_minute()
with login_gate.refusals():
    measures, marks = cached.map_layers(minute, actor, criteria)
if not measures:
    st.info(MAP_NO_UNITS)
    st.stop()

with st.container(horizontal=True):
    st.metric(MAP_SUMMARY_CASES, f"{sum(m.cases for m in measures):,}", border=True)
    st.metric(MAP_SUMMARY_LOSS, format_wan(sum(m.loss_fen for m in measures)), border=True)
    st.metric(MAP_SUMMARY_UNLOCATED, f"{marks.unlocated:,}", border=True)
compared = window.compared
st.caption(MAP_SUMMARY_CAPTION.format(start=compared.current.first_day, end=compared.current.last_day,
                                      prev_start=compared.previous.first_day, prev_end=compared.previous.last_day))

# The selection lives in the URL as "sel" (a jurisdiction) and "own=1" for a unit's own-level (本级) row.
rows = {(m.unit_id, m.own_level): m for m in measures}
selected = (url_state.get_int("sel"), url_state.get_str("own") == "1")
if selected not in rows:
    # A station's map has one jurisdiction, its own: show its detail at once.
    selected = next(iter(rows)) if len(rows) == 1 else (None, False)

map_column, detail_column = st.columns([3, 2], gap="medium")
with map_column:
    clicked = jurisdiction_map(measures, marks, measure, selected[0] if not selected[1] else None,
                               load_settings().map_tile_url, key=f"map_{unit_id}_{depth}", compared=compared)
    # A click only counts when it changed: the chart keeps reporting its last selection on every rerun.
    if clicked != state.get("map_last_click"):
        state["map_last_click"] = clicked
        if clicked is not None and (clicked, False) in rows:
            selected = (clicked, False)
    map_legend(measures, marks, measure, key="map_legend")
    missing = [m.name for m in measures if m.boundary is None and not m.own_level]
    if missing:
        st.caption(MAP_NO_BOUNDARY.format(names="、".join(missing)))
    if any(m.synthetic_boundary for m in measures):
        st.caption(MAP_SYNTHETIC)

with detail_column:
    options = [(None, False), *rows]
    pick = st.selectbox(MAP_SELECT, options, index=options.index(selected), key=f"map_sel_{selected}",
                        format_func=lambda o: MAP_SELECT_NONE if o[0] is None else rows[o].name)
    selected = pick
    url_state.set_params(sel=selected[0], own="1" if selected[1] else None)
    if selected[0] is None:
        st.caption(MAP_SELECT_HINT)
    else:
        with login_gate.refusals():
            detail = cached.map_detail(minute, actor, selected[0], selected[1], criteria)
        jurisdiction_detail_panel(detail, compared.current.first_day, compared.current.last_day)

st.subheader(MAP_TABLE_TITLE, anchor=False)
header, table_rows = unit_table_cells(measures)
cells_table(header, table_rows, key="map_unit_table", money_columns=(MAP_COL_LOSS, MAP_COL_PREV_LOSS))
shown_filters = [
    (UNIT_PICKER, next(name for uid, name, _ in choices if uid == unit_id)),
    *([(MAP_DEPTH_LABEL, MAP_DEPTH_OPTION.format(label=depth_label(levels[unit_id], depth)))] if depths else []),
    (MAP_FILTER_WINDOW, window_kind.label),
    (CASES_FILTER_TYPE, CASES_FILTER_ALL if fraud_type is None else FraudType(fraud_type).label),
    (CASES_FILTER_BAND, LOSS_BANDS[band][0]),
]
export_key = repr((minute, criteria))
if st.button(EXPORT_BUTTON, icon=":material/download:", key="map_export"):
    with login_gate.refusals():
        state["map_export_file"] = (export_key, map_api.export_unit_table(cached.engine(), actor, criteria, shown_filters))
if state.get("map_export_file", (None,))[0] == export_key:
    st.download_button(EXPORT_DOWNLOAD, state["map_export_file"][1], file_name=f"案件地图_{compared.current.first_day}_"
                       f"{compared.current.last_day}.xlsx", on_click="ignore", key="map_export_download",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.caption(COPY_LINK_HELP)
copy_link(key="map_copy_link", unit_id=unit_id)
