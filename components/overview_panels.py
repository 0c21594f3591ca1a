"""The leaders' 总览 panels: headline cards with 同比/环比, open items, trend and fraud-type charts, branch table."""

from datetime import date

import pandas as pd
import streamlit as st
from plotly.subplots import make_subplots

from services.overview import text as t
from services.overview.board import DOWN_IS_GOOD, UP_IS_GOOD, Figure, Headline, HeadlineBlock, Trend, TypeRow
from services.shared.money import fen_to_wan
from services.shared.text import UNIT_CASES

THIS_YEAR_COLOUR, LAST_YEAR_COLOUR = "#c0392b", "#7f8c8d"
CHART_CONFIG = {"displaylogo": False}


def _arrow_colour(figure: Figure) -> str:
    """两升两降: 破案/抓获 up is green ("normal"), 发案/损失 down is green ("inverse"); other measures uncoloured."""
    return "normal" if figure.measure in UP_IS_GOOD else "inverse" if figure.measure in DOWN_IS_GOOD else "off"


def headline_cards(block: HeadlineBlock, key: str, figures: tuple[Figure, ...] | None = None) -> None:
    """One card per measure (default: all of the block's): the value, its 同比 as the arrow (green where 两升两降 calls
    it good), both changes below."""
    previous_label = t.PREVIOUS_LABELS.get(block.span.kind, "")
    with st.container(horizontal=True, key=key):
        for figure in block.figures if figures is None else figures:
            with st.container(border=True, width=220, key=f"{key}_{figure.measure.value}"):
                st.metric(f"{figure.label}（{figure.unit}）", figure.shown, delta=figure.year_ago.short,
                          delta_color=_arrow_colour(figure))
                st.caption(f"{t.YOY}（{t.YEAR_AGO_LABEL}）：{figure.year_ago.text}")
                if figure.previous is not None:
                    st.caption(f"{t.MOM}（{previous_label}）：{figure.previous.text}")


def open_items(headline: Headline, key: str) -> None:
    """Open accountability items by level (now)."""
    with st.container(horizontal=True, key=key):
        for level, count in headline.open_items.items():
            st.metric(f"{t.OPEN_ITEMS_TITLE}·{level.label}", f"{count:,}", border=True, width=220)


def trend_chart(trend: Trend, key: str) -> None:
    """Daily cases and loss (万元) with last year's same days as a dashed line."""
    days = [d.day for d in trend.days]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    series = ((1, [d.cases for d in trend.days], [d.last_year_cases for d in trend.days], t.TREND_CASES_AXIS),
              (2, [float(fen_to_wan(d.loss_fen)) for d in trend.days],
               [float(fen_to_wan(d.last_year_loss_fen)) for d in trend.days], t.TREND_LOSS_AXIS))
    for row, now, before, axis in series:
        figure.add_scatter(x=days, y=now, name=f"{t.TREND_THIS_YEAR}·{axis}", row=row, col=1,
                           line={"color": THIS_YEAR_COLOUR}, legendgroup="now")
        figure.add_scatter(x=days, y=before, name=f"{t.TREND_LAST_YEAR}·{axis}", row=row, col=1,
                           line={"color": LAST_YEAR_COLOUR, "dash": "dash"}, legendgroup="before",
                           customdata=[f"{d.last_year_day}" for d in trend.days],
                           hovertemplate="%{customdata}：%{y}<extra></extra>")
        figure.update_yaxes(title_text=axis, rangemode="tozero", row=row, col=1)
    figure.update_xaxes(title_text=t.TREND_DAY, tickformat="%m-%d", row=2, col=1)
    figure.update_layout(height=460, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    with st.container(key=key):
        st.plotly_chart(figure, key=f"{key}_chart", config=CHART_CONFIG)


def types_chart(rows: list[TypeRow], key: str) -> None:
    """Cases (起) and loss (万元) by fraud type, side by side, most cases on top."""
    if not rows:
        st.caption(t.TYPES_EMPTY)
        return
    ordered = list(reversed(rows))
    labels = [r.label for r in ordered]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                           subplot_titles=(t.TREND_CASES_AXIS, t.TREND_LOSS_AXIS))
    figure.add_bar(x=[r.cases for r in ordered], y=labels, orientation="h", row=1, col=1, marker_color="#2e86c1",
                   name=t.TREND_CASES_AXIS, hovertemplate=f"%{{y}}：%{{x}} {UNIT_CASES}<extra></extra>")
    figure.add_bar(x=[float(fen_to_wan(r.loss_fen)) for r in ordered], y=labels, orientation="h", row=1, col=2,
                   marker_color="#d68910", name=t.TREND_LOSS_AXIS, hovertemplate="%{y}：%{x:.2f} 万元<extra></extra>")
    figure.update_xaxes(title_text=t.TREND_CASES_AXIS, row=1, col=1)
    figure.update_xaxes(title_text=t.TREND_LOSS_AXIS, row=1, col=2)
    figure.update_layout(height=max(260, 34 * len(rows) + 90), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         showlegend=False)
    with st.container(key=key):
        st.plotly_chart(figure, key=f"{key}_chart", config=CHART_CONFIG)


def cells_grid(header: list[str], rows: list[list], key: str, money_columns: tuple[str, ...] = ()) -> None:
    """A table of service-made cells shown whole (no inner scrolling), money with two decimals."""
    money = {c: st.column_config.NumberColumn(c, format="%.2f") for c in money_columns if c in header}
    frame = pd.DataFrame(rows, columns=header).astype({c: "float64" for c in money})
    st.dataframe(frame, hide_index=True, width="stretch", column_config=money, key=key,
                 height=35 * (len(rows) + 1) + 3)


def range_inputs(today: date, first: date, last: date, key: str) -> tuple[date, date]:
    """The custom range's two date pickers (no day after today)."""
    with st.container(horizontal=True, key=key):
        chosen_first = st.date_input(t.RANGE_FROM, first, max_value=today, key=f"{key}_from", width=180)
        chosen_last = st.date_input(t.RANGE_TO, last, max_value=today, key=f"{key}_to", width=180)
    return chosen_first, chosen_last
