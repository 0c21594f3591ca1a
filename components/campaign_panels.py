"""专项行动 progress panels: the matrix with traffic lights and pacing, 八进 coverage, charts."""

from collections.abc import Callable
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.plain import plain
from services.campaigns import text as t
from services.campaigns.progress import EIGHT_PLACES, BureauRow, Progress, Reach, Series, gaps
from vocabulary import Light

# The cell's background colour by the light's word (the word keeps it readable without colour or an emoji font).
SHADE = {t.LIGHT_WORDS["green"]: "#d5f5e3", t.LIGHT_WORDS["amber"]: "#fcf3cf", t.LIGHT_WORDS["red"]: "#fadbd8",
         t.LIGHT_WORDS["grey"]: "#eaeded"}
ROW_PX = 35  # st.dataframe's row height
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REACH_COLOURS = {True: "#c0392b", False: "#2e86c1"}


def _shade(value: object) -> str:
    text = str(value)
    return next((f"background-color: {colour}" for word, colour in SHADE.items() if text.startswith(word)), "")


def header(progress: Progress) -> None:
    """The campaign's theme and period with how far into it today is."""
    info = progress.campaign
    total = (info.end_date - info.start_date).days + 1
    day = min(max((progress.today - info.start_date).days + 1, 0), total)
    if info.theme:
        plain(t.CAMP_THEME.format(theme=info.theme))
    st.caption(t.CAMP_PERIOD.format(start=info.start_date, end=info.end_date, day=day, total=total))


def _height(rows: int) -> int:
    """A table tall enough for every row it holds: nothing scrolls out of sight unannounced."""
    return ROW_PX * (rows + 1) + 3


def matrix(header: list[str], rows: list[list[str]], caption: str | None = None) -> pd.DataFrame:
    """Units × targets: a light word and the figures with pacing in each cell (plain text), one page of units."""
    st.subheader(t.CAMP_MATRIX, anchor=False, help=t.CAMP_MATRIX_HELP)
    st.caption(t.CAMP_LEGEND)
    frame = pd.DataFrame(rows, columns=header)
    if frame.empty:
        st.info(t.CAMP_NO_ROWS)
        return frame
    if caption:
        st.caption(caption)
    with st.container(key="camp_matrix"):
        st.dataframe(frame.style.map(_shade, subset=list(frame.columns[3:])), hide_index=True, width="stretch",
                     height=_height(len(frame)),
                     column_config={c: st.column_config.TextColumn(c, width="medium") for c in frame.columns[3:]})
    return frame


def bureaus(rows: list[BureauRow]) -> None:
    """One row per 分局: how many of its cells stand at each light, how many of its units are behind."""
    st.subheader(t.CAMP_BUREAUS, anchor=False, help=t.CAMP_BUREAUS_HELP)
    frame = pd.DataFrame([{t.CAMP_COL_BUREAU: r.name, t.CAMP_COL_UNITS: r.units, t.CAMP_COL_RED: r.lights[Light.RED],
                           t.CAMP_COL_AMBER: r.lights[Light.AMBER], t.CAMP_COL_GREEN: r.lights[Light.GREEN],
                           t.CAMP_COL_GREY: r.lights[Light.GREY], t.CAMP_COL_BEHIND_UNITS: r.behind_units}
                          for r in rows])
    with st.container(key="camp_bureaus"):
        st.dataframe(frame, hide_index=True, width="stretch", height=_height(len(frame)))


def pager(total: int, size: int, current: int, key: str) -> tuple[int, str]:
    """A page number (1-based, within range) and the caption that says which rows the page holds."""
    pages = max((total + size - 1) // size, 1)
    current = min(max(current, 1), pages)
    if pages > 1:
        if st.session_state.get(key, current) > pages:
            st.session_state[key] = pages
        current = int(st.number_input(t.CAMP_PAGE, 1, pages, current, key=key, width=140))
    first = (current - 1) * size + 1 if total else 0
    return current, t.CAMP_PAGE_CAPTION.format(total=total, page=current, pages=pages, first=first,
                                               last=min(current * size, total), size=size)


def export_buttons(files: dict[str, tuple[str, Callable[[], bytes]]]) -> None:
    """CSV and XLSX downloads of the matrix; each file is built (and audited) only when clicked."""
    mimes = {"csv": "text/csv", "xlsx": XLSX_MIME}
    labels = {"csv": t.CAMP_EXPORT_CSV, "xlsx": t.CAMP_EXPORT_XLSX}
    with st.container(horizontal=True):
        for fmt, (name, build) in files.items():
            st.download_button(labels[fmt], build, file_name=name, mime=mimes[fmt], icon=":material/download:",
                               key=f"camp_export_{fmt}", help=t.CAMP_EXPORT_HELP, on_click="ignore")


def partners(progress: Progress) -> None:
    """Partner units (only log activities) with their 联络员."""
    with st.expander(f"{t.CAMP_PARTNERS}（{len(progress.partners)}）"):
        if not progress.partners:
            st.caption(t.CAMP_PARTNERS_NONE)
            return
        names = {u.unit_id: u.name for u in progress.units}
        st.dataframe(pd.DataFrame([{t.CAMP_UNIT: p.name, t.CAMP_COL_PARENT: names.get(p.parent_id, ""),
                                    t.CAMP_LIAISON: p.liaison_name or "", t.CAMP_LIAISON_PHONE: p.liaison_phone or ""}
                                   for p in progress.partners]), hide_index=True, width="stretch")


def coverage(progress: Progress, unit_ids: list[int]) -> None:
    """Units × the 八进 places: activities so far, and the places not yet reached (the matrix's page of units)."""
    st.subheader(t.CAMP_COVERAGE, anchor=False)
    rows = []
    by_id = {unit.unit_id: unit for unit in progress.units}
    for unit in (by_id[unit_id] for unit_id in unit_ids if unit_id in by_id):
        counts = progress.coverage.get(unit.unit_id, {})
        row = {t.CAMP_UNIT: unit.name}
        row.update({place.label: counts.get(place.value, 0) for place in EIGHT_PLACES})
        row[t.CAMP_COL_GAPS] = "、".join(p.label for p in gaps(progress, unit.unit_id)) or "—"
        rows.append(row)
    if rows:
        with st.container(key="camp_coverage"):
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=_height(len(rows)))


def cumulative_chart(series: Series | None) -> None:
    """Cumulative value so far against the straight line to the goal at the end of the campaign."""
    if series is None:
        st.caption(t.CAMP_CHART_NONE)
        return
    figure = go.Figure()
    figure.add_scatter(x=series.days, y=series.ideal, name=t.CAMP_CHART_IDEAL, line={"dash": "dash", "color": "#888"})
    figure.add_scatter(x=series.days[:len(series.actual)], y=series.actual, name=t.CAMP_CHART_ACTUAL,
                       line={"color": "#c0392b"})
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"},
                         xaxis_title=t.CAMP_CHART_DATE, yaxis_title=t.CAMP_CHART_VALUE.format(uom=series.unit_of_measure))
    st.plotly_chart(figure, key="camp_cumulative", config={"displaylogo": False})


def reach_chart(reach: Reach | None) -> None:
    """People reached per 10,000 residents against the change in case rate: an association, captioned as such."""
    st.subheader(t.CAMP_REACH, anchor=False)
    if reach is None or not reach.points:
        st.caption(t.CAMP_REACH_NONE)
        return
    points = reach.points
    hover = [t.CAMP_REACH_HOVER.format(name=escape(p.name), people=p.people, reach=p.reach_per_10k, cases=p.cases,
                                       before=p.cases_before, change=p.rate_change) for p in points]
    figure = go.Figure(go.Scatter(
        x=[p.reach_per_10k for p in points], y=[p.rate_change for p in points], mode="markers+text",
        text=[escape(p.name) for p in points], textposition="top center", hovertext=hover, hoverinfo="text",
        marker={"size": 10, "color": [REACH_COLOURS[p.rate_change > 0] for p in points]}))
    figure.add_hline(y=0, line={"color": "#888", "dash": "dot"})
    figure.update_layout(height=420, margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False,
                         title={"text": t.CAMP_REACH_BY_BUREAU if reach.by_bureau else t.CAMP_REACH_BY_STATION,
                                "font": {"size": 13}},
                         xaxis_title=t.CAMP_REACH_X, yaxis_title=t.CAMP_REACH_Y)
    with st.container(key="camp_reach"):
        st.plotly_chart(figure, key="camp_reach_chart", config={"displaylogo": False})
    window = reach.window
    st.caption(t.CAMP_REACH_CAUSAL)
    st.caption(t.CAMP_REACH_PERIOD.format(start=window.current.first_day, end=window.current.last_day,
                                          prev_start=window.previous.first_day, prev_end=window.previous.last_day))
    if reach.missing:
        st.caption(t.CAMP_REACH_MISSING.format(names="、".join(reach.missing)))


def weekly_chart(weekly: list[tuple[date, int]]) -> None:
    """Activities per week (Monday to Sunday)."""
    st.subheader(t.CAMP_WEEKLY, anchor=False)
    figure = go.Figure(go.Bar(x=[w for w, _ in weekly], y=[n for _, n in weekly], marker_color="#2e86c1",
                              name=t.CAMP_ACTIVITIES))
    figure.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title=t.CAMP_WEEK,
                         yaxis_title=t.CAMP_ACTIVITIES)
    st.plotly_chart(figure, key="camp_weekly", config={"displaylogo": False})


def field_errors(errors: dict[str, str], *names: str) -> None:
    """The refusals of the named fields, under the field."""
    for name in names:
        if name in errors:
            st.error(errors[name], icon=":material/error:")
