"""A jurisdiction's detail beside the map: figures, strike and recovery, trend, types, largest cases, open items."""

from datetime import date

import pandas as pd
import streamlit as st

from components.plain import escape_markdown
from services.cases.text import COL_CASE_NO, COL_FRAUD_TYPE, COL_REPORTED_AT, COL_STATUS, COL_UNIT
from services.map.read import JurisdictionDetail
from services.map.text import (
    MAP_COL_CASES,
    MAP_COL_CAUGHT,
    MAP_COL_DUE,
    MAP_COL_FROZEN,
    MAP_COL_INTERCEPTED,
    MAP_COL_INTERCEPTIONS,
    MAP_COL_LEVEL,
    MAP_COL_LOSS,
    MAP_COL_RETURNED,
    MAP_COL_SHARE,
    MAP_COL_SOLVED,
    MAP_COL_STOPPED,
    MAP_COL_WEEK,
    MAP_DETAIL_ACCOUNTABILITY,
    MAP_DETAIL_LARGEST,
    MAP_DETAIL_NONE,
    MAP_DETAIL_STRIKE,
    MAP_DETAIL_STRIKE_CAPTION,
    MAP_DETAIL_SUMMARY,
    MAP_DETAIL_TREND,
    MAP_DETAIL_TYPES,
)
from services.shared.money import format_wan, wan_decimal, wan_figure
from services.shared.timeutil import to_shanghai


def _grid(frame: pd.DataFrame, key: str) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def _trend(detail: JurisdictionDetail) -> None:
    st.markdown(f"**{MAP_DETAIL_TREND}**")
    frame = pd.DataFrame({MAP_COL_WEEK: [w.week_start.strftime("%m-%d") for w in detail.weeks],
                          MAP_COL_CASES: [w.cases for w in detail.weeks]})
    st.bar_chart(frame, x=MAP_COL_WEEK, y=MAP_COL_CASES, x_label=MAP_COL_WEEK, y_label=MAP_COL_CASES,
                 height=180)


def _types(detail: JurisdictionDetail) -> None:
    st.markdown(f"**{MAP_DETAIL_TYPES}**")
    if not detail.types:
        st.caption(MAP_DETAIL_NONE)
        return
    total = max(detail.cases, 1)
    _grid(pd.DataFrame([
        {COL_FRAUD_TYPE: t.label, MAP_COL_CASES: t.cases, MAP_COL_SHARE: f"{t.cases * 100 / total:.1f}%",
         MAP_COL_LOSS: f"{wan_decimal(t.loss_fen):,.2f}"}
        for t in detail.types
    ]), key="map_detail_types")


def _largest(detail: JurisdictionDetail) -> None:
    st.markdown(f"**{MAP_DETAIL_LARGEST}**")
    if not detail.largest:
        st.caption(MAP_DETAIL_NONE)
        return
    # A grid, not st.table: in the narrow detail column st.table wrapped every cell one character per line;
    # the grid keeps each value on one line (plain text, never Markdown) and scrolls sideways when it must.
    one_unit = len({c.unit_name for c in detail.largest}) == 1
    _grid(pd.DataFrame([
        {COL_CASE_NO: c.case_no, **({} if one_unit else {COL_UNIT: c.unit_name}),
         COL_REPORTED_AT: f"{to_shanghai(c.reported_at):%Y-%m-%d}", COL_FRAUD_TYPE: c.fraud_type_label,
         MAP_COL_LOSS: f"{wan_decimal(c.loss_fen):,.2f}"}
        for c in detail.largest
    ]), key="map_detail_largest")


def _open_items(detail: JurisdictionDetail) -> None:
    counts = "，".join(f"{c.label} {c.count}" for c in detail.open_by_level if c.count)
    st.markdown(f"**{MAP_DETAIL_ACCOUNTABILITY}**：{detail.open_items_total}" + (f"（{counts}）" if counts else ""))
    if detail.open_items:
        _grid(pd.DataFrame([
            {COL_CASE_NO: i.case_no, COL_UNIT: i.unit_name, MAP_COL_LEVEL: i.level_label,
             COL_STATUS: i.status_label, MAP_COL_DUE: i.due_date.isoformat()}
            for i in detail.open_items
        ]), key="map_detail_open_items")


def _strike(detail: JurisdictionDetail, first_day: date, last_day: date) -> None:
    st.markdown(f"**{MAP_DETAIL_STRIKE}**")
    figures = detail.strike
    solved, caught = st.columns(2)
    solved.metric(MAP_COL_SOLVED, f"{figures.solved:,}")
    caught.metric(MAP_COL_CAUGHT, f"{figures.caught:,}")
    stopped, frozen, returned = st.columns(3)
    # Never rounded up to a whole 万 the amount is below (99,999.99 元 reads 9.99).
    stopped.metric(MAP_COL_STOPPED, f"{wan_figure(figures.stopped_fen):,}")
    frozen.metric(MAP_COL_FROZEN, f"{wan_figure(figures.frozen_fen):,}")
    returned.metric(MAP_COL_RETURNED, f"{wan_figure(figures.returned_fen):,}")
    st.caption(MAP_DETAIL_STRIKE_CAPTION.format(start=first_day, end=last_day))


def jurisdiction_detail_panel(detail: JurisdictionDetail, first_day: date, last_day: date) -> None:
    """Everything about one jurisdiction for the map's filters."""
    st.subheader(escape_markdown(detail.name), anchor=False)
    st.caption(MAP_DETAIL_SUMMARY.format(name=detail.name, cases=detail.cases, loss=format_wan(detail.loss_fen),
                                           recovered=format_wan(detail.recovered_fen)))
    left, middle, right = st.columns(3)
    left.metric(MAP_COL_CASES, f"{detail.cases:,}")
    middle.metric(MAP_COL_INTERCEPTIONS, f"{detail.interceptions:,}")
    right.metric(MAP_COL_INTERCEPTED, format_wan(detail.intercepted_fen))
    _strike(detail, first_day, last_day)
    _trend(detail)
    _types(detail)
    _largest(detail)
    _open_items(detail)
