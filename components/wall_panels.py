"""The wall display's panels: a dark, high-contrast 1920×1080 layout scaled whole for 4K, nothing scrolls."""

from datetime import datetime
from decimal import Decimal
from html import escape

import plotly.graph_objects as go
import streamlit as st

from components.case_map import _bounds, _swatch, build_deck, display_geometry, fill_legend, fit_view
from services.map.read import JurisdictionMeasure
from services.overview.board import (
    STRIKE_MEASURES,
    Branches,
    BranchLine,
    Delta,
    Figure,
    HeadlineBlock,
    Measure,
    Trend,
    TypeRow,
)
from services.overview.text import CHANGE_FLAT, CHANGE_NEW
from services.shared.money import wan_figure
from services.shared.timeutil import to_shanghai
from services.wall.read import Board, Lead, Trigger
from services.wall.standing import RankedUnit, Standing
from services.wall.text import (
    CAMPAIGN_BOTTOM,
    CAMPAIGN_RANK,
    CAMPAIGN_SCORE,
    CAMPAIGN_TOP,
    CAMPAIGN_UNITS,
    CARD_CALLS,
    CARD_CASES,
    CARD_DISSUADED,
    CARD_INTERCEPTED,
    CARD_LOSS,
    CARD_OPEN_ITEMS,
    CARD_RAISED,
    COL_CASES,
    COL_LOSS,
    COL_UNIT,
    DEMO_MARK,
    LEAD_REPORTS,
    LEAD_SUSPENDED,
    LEADS_EMPTY,
    MOM,
    OVERDUE,
    PANEL_BRANCHES,
    PANEL_CAMPAIGN,
    PANEL_LEADS,
    PANEL_MAP,
    PANEL_STRIKE,
    PANEL_TREND,
    PANEL_TRIGGERS,
    PANEL_TYPES,
    ROW_MONTH,
    ROW_TODAY,
    STRIKE_ROWS,
    TREND_LAST_YEAR,
    TREND_THIS_YEAR,
    TRIGGERS_EMPTY,
    TYPES_EMPTY,
    WALL_HEADER,
    WALL_UPDATED,
    YOY,
)
from vocabulary import AccountabilityLevel, MapMeasure

BACKGROUND, PANEL, TEXT, MUTED = "#050b18", "#0e1a33", "#f4f7ff", "#9fb3d9"
GOOD, BAD, NEUTRAL = "#3ddc84", "#ff5a5a", "#f4f7ff"
THIS_YEAR_LINE, LAST_YEAR_LINE, BAR = "#4fc3ff", "#ffb74d", "#4fc3ff"
MAP_HEIGHT, TREND_HEIGHT, TYPES_HEIGHT = 270, 280, 270
MAP_WIDTH = 550  # the left column of the 1920-wide design
CHART_FONT = 17

# The layout is drawn for a 1920×1080 screen and scaled whole for others (a 3840×2160 TV shows it at twice the
# size), so charts, the map and every figure keep their proportions; nothing may scroll. The scaling is a transform,
# not CSS zoom: under zoom Plotly measures its box in zoomed pixels and draws twice too large at 4K, while a transform
# leaves every element's layout size at the 1920-wide design and only magnifies the painted result.
_CSS = f"""<style>
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {BACKGROUND} !important; color: {TEXT}; overflow: hidden !important; }}
* {{ scrollbar-width: none !important; }}
::-webkit-scrollbar {{ display: none !important; }}
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stBottom"], footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 10px 18px 0 18px !important; max-width: none !important; }}
:root {{ --wall-scale: 1; }}
@media (max-width: 1800px), (max-height: 1000px) {{ :root {{ --wall-scale: 0.711; }} }}
@media (min-width: 2500px) and (min-height: 1400px) {{ :root {{ --wall-scale: 1.3333; }} }}
@media (min-width: 2860px) and (min-height: 1600px) {{ :root {{ --wall-scale: 1.5; }} }}
@media (min-width: 3800px) and (min-height: 2100px) {{ :root {{ --wall-scale: 2; }} }}
[data-testid="stMain"] {{ position: fixed !important; top: 0; left: 0; transform-origin: 0 0;
  transform: scale(var(--wall-scale)); width: calc(100vw / var(--wall-scale)) !important;
  height: calc(100vh / var(--wall-scale)) !important; }}
/* Streamlit sizes a Plotly chart from its frame's on-screen box (getBoundingClientRect, which includes the scale):
   the frame is shrunk back by the scale so it measures the design size, and the plot inside is magnified again. */
[data-testid="stFullScreenFrame"]:has(> [data-testid="stPlotlyChart"]) {{
  transform: scale(calc(1 / var(--wall-scale))); transform-origin: 0 0; }}
[data-testid="stPlotlyChart"] .js-plotly-plot {{ transform: scale(var(--wall-scale)); transform-origin: 0 0; }}
[data-stale="true"], .stale-element {{ opacity: 1 !important; transition: none !important; }}
[data-testid="stVerticalBlock"] {{ gap: 8px !important; }}
.wall {{ font-family: "Noto Sans CJK SC", sans-serif; color: {TEXT}; }}
.wall-head {{ display: flex; align-items: baseline; gap: 24px; height: 52px; }}
.wall-title {{ font-size: 36px; font-weight: 800; letter-spacing: 2px; }}
.wall-time {{ font-size: 26px; color: {MUTED}; margin-left: auto; font-variant-numeric: tabular-nums; }}
.wall-demo {{ font-size: 18px; color: #111; background: #ffb74d; padding: 2px 10px; border-radius: 6px; }}
.wall-stale {{ font-size: 24px; background: #7a1f1f; color: #fff; padding: 6px 14px; border-radius: 6px; }}
.wall-cards {{ display: grid; grid-template-columns: 70px repeat(6, minmax(0, 1fr)); gap: 8px; margin-bottom: 8px; }}
.wall-rowlabel {{ font-size: 30px; font-weight: 800; writing-mode: vertical-rl; text-align: center;
  background: {PANEL}; border-radius: 8px; letter-spacing: 8px; }}
.wall-card {{ background: {PANEL}; border-radius: 8px; padding: 6px 14px; height: 100px; box-sizing: border-box;
  overflow: hidden; }}
.wall-label {{ font-size: 19px; line-height: 1.2; color: {MUTED}; }}
.wall-value {{ font-size: 42px; font-weight: 800; line-height: 1.1; font-variant-numeric: tabular-nums; }}
.wall-value small {{ font-size: 26px; font-weight: 700; }}
.wall-change {{ font-size: 18px; white-space: nowrap; }}
.wall-change i {{ display: inline-block; width: 10px; }}
.wall-panel {{ background: {PANEL}; border-radius: 8px; padding: 6px 12px; }}
.wall-panel h3 {{ font-size: 24px; margin: 0 0 4px 0; padding: 0; color: {TEXT}; font-weight: 700; }}
.wall-table {{ width: 100%; border-collapse: collapse; font-size: 20px; font-variant-numeric: tabular-nums; }}
.wall-table th {{ color: {MUTED}; font-weight: 600; text-align: right; padding: 2px 6px; font-size: 18px; white-space: nowrap; }}
.wall-table td {{ text-align: right; padding: 1px 4px; border-top: 1px solid #22345a; white-space: nowrap; }}
.wall-table th:first-child, .wall-table td:first-child {{ text-align: left; }}
.wall-table tr.total td {{ font-weight: 800; border-top: 2px solid {MUTED}; }}
.wall-list {{ font-size: 19px; line-height: 1.4; }}
.wall-list div {{ display: flex; gap: 12px; white-space: nowrap; overflow: hidden; }}
.wall-list .k {{ color: {MUTED}; }}
.wall-note {{ font-size: 15px; line-height: 1.3; color: {MUTED}; }}
.wall-ranks {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0 18px; }}
.wall-ranks > div {{ display: block; }}
.wall-ranks .h {{ color: {MUTED}; font-size: 17px; }}
.wall-ranks .r {{ display: flex; gap: 8px; }}
.wall-ranks .r .k {{ min-width: 1.4em; text-align: right; }}
.wall-legend {{ font-size: 17px; color: {TEXT}; }}
.wall-refused {{ position: fixed; inset: 0; display: grid; place-items: center; text-align: center;
  background: {BACKGROUND}; color: {TEXT}; font-size: 44px; padding: 0 10%; line-height: 1.6; }}
</style>"""


def wall_style() -> None:
    """The wall's page style: dark, no header, toolbar, sidebar or scrollbars (this page only)."""
    st.html(_CSS)


def device_refused(message: str) -> None:
    """A revoked or expired wall device: its message alone on a dark screen, nothing else."""
    st.html(_CSS + f'<div class="wall-refused">{escape(message)}</div>')


# ---------------------------------------------------------------- figures and their changes


def _wan(fen: int) -> str:
    return f"{wan_figure(fen):,}"


def _percent(percent: Decimal) -> str:
    """A change in %, shown as >+999% above that so a card's line keeps its width (after a near-empty day: +27351%)."""
    return f"{percent:+}%" if percent < 1000 else ">+999%"


def _delta(delta: Delta | None) -> str:
    """A change as text in its colour (两升两降: 破案 and 抓获 up, 发案 and 损失 down is green, the other way red; other
    measures plain)."""
    if delta is None:
        return "—"
    colour = NEUTRAL if delta.good is None else GOOD if delta.good else BAD
    arrow = {"up": "▲", "down": "▼"}.get(delta.direction, "")
    shown = CHANGE_FLAT if delta.diff == 0 else CHANGE_NEW if delta.percent is None else _percent(delta.percent)
    return f'<span style="color:{colour}">{arrow}{shown}</span>'


def _card(label: str, value: str, figure: Figure) -> str:
    return (f'<div class="wall-card" data-measure="{figure.measure.value}"><div class="wall-label">{label}</div>'
            f'<div class="wall-value">{value}</div>'
            f'<div class="wall-change">{YOY} {_delta(figure.year_ago)}<i></i>{MOM} {_delta(figure.previous)}</div></div>')


def _cards(row_label: str, block: HeadlineBlock, extra: str) -> str:
    f = block.figure
    cards = [
        _card(CARD_CASES, f(Measure.CASES).shown, f(Measure.CASES)),
        _card(CARD_LOSS, f(Measure.LOSS).shown, f(Measure.LOSS)),
        _card(CARD_INTERCEPTED, f"{f(Measure.INTERCEPTIONS).shown}<small> / {f(Measure.INTERCEPTED).shown}</small>",
              f(Measure.INTERCEPTED)),
        _card(CARD_DISSUADED, f(Measure.DISSUADED).shown, f(Measure.DISSUADED)),
        _card(CARD_CALLS, f(Measure.CALLS).shown, f(Measure.CALLS)),
        extra,
    ]
    return f'<div class="wall-rowlabel">{row_label}</div><div style="display:contents" data-row="{block.span.kind}">' \
        + "".join(cards) + "</div>"


def _open_items_card(board: Board) -> str:
    acc = board.accountability
    levels = " · ".join(f"{escape(AccountabilityLevel(level).label.replace('万元以上', '万+'))} {n}"
                        for level, n in acc.open_by_level.items())
    return (f'<div class="wall-card"><div class="wall-label">{CARD_OPEN_ITEMS}</div>'
            f'<div class="wall-value">{acc.open_total:,}<small style="color:{BAD if acc.overdue else MUTED}">　'
            f'{OVERDUE.format(n=acc.overdue)}</small></div><div class="wall-change" style="font-size:17px">{levels}</div>'
            '</div>')


def _raised_card(board: Board) -> str:
    acc = board.accountability
    return (f'<div class="wall-card"><div class="wall-label">{CARD_RAISED}</div>'
            f'<div class="wall-value">{acc.raised_this_month:,}</div>'
            f'<div class="wall-change">{MOM} {_delta(Delta(acc.raised_last_month, acc.raised_this_month, Measure.CASES))}'
            '</div></div>')


def header(board: Board, fetched_at: datetime, stale: str | None) -> None:
    """Title, demo mark, when the figures were read (Beijing time) and, when a refresh failed, the stale banner."""
    demo = f'<span class="wall-demo">{DEMO_MARK}</span>' if board.headline.is_demo else ""
    banner = f'<span class="wall-stale" role="alert">{escape(stale)}</span>' if stale else ""
    updated = WALL_UPDATED.format(time=f"{to_shanghai(fetched_at):%H:%M:%S}")
    st.html(f'<div class="wall wall-head"><span class="wall-title">{escape(WALL_HEADER.format(unit=board.root_name))}'
            f'</span>{demo}{banner}<span class="wall-time" data-testid="wall-updated">{updated}</span></div>')


def headline_cards(board: Board) -> None:
    """今日 and 本月: the five measures and accountability, each with 同比 and 环比 in their 两升两降 colours."""
    today, month = board.headline.blocks
    st.html(f'<div class="wall wall-cards" data-testid="wall-cards">{_cards(ROW_TODAY, today, _open_items_card(board))}'
            f'{_cards(ROW_MONTH, month, _raised_card(board))}</div>')


# ---------------------------------------------------------------- map, charts, tables, lists


def jurisdiction_map(measures: list[JurisdictionMeasure], measure: MapMeasure, tile_url: str | None) -> None:
    """The map's jurisdictions coloured by a measure (offline: the map's own deck, no basemap unless intranet tiles)."""
    legend = "".join(_swatch(c, label) for c, label in fill_legend(measures, measure))
    st.html(f'<div class="wall wall-panel"><h3>{escape(PANEL_MAP.format(measure=measure.label))}</h3>'
            f'<div class="wall-legend">{legend}</div></div>')
    deck = build_deck(measures, None, measure, tile_url=tile_url)
    # Fitted to the wall's own box (the map page's is taller): every jurisdiction in view, none cut at the edge, and
    # a quarter zoom level closer than the map page's margin (nobody pans a wall).
    boxes = [display_geometry(m.boundary)[1] for m in measures if m.boundary and not m.own_level]
    closer = 2 ** 0.25
    deck.initial_view_state = fit_view(_bounds(boxes), width=int(MAP_WIDTH * closer), height=int(MAP_HEIGHT * closer))
    st.pydeck_chart(deck, height=MAP_HEIGHT, key="wall_map")


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 24, "color": TEXT}, "x": 0.01, "y": 0.97},
        height=height, margin={"l": 50, "r": 16, "t": 46, "b": 36}, paper_bgcolor=PANEL, plot_bgcolor=PANEL,
        font={"size": CHART_FONT, "color": TEXT, "family": "Noto Sans CJK SC, sans-serif"},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.12, "font": {"size": CHART_FONT}},
        xaxis={"gridcolor": "#22345a"}, yaxis={"gridcolor": "#22345a"},
    )
    return fig


def trend_chart(trend: Trend) -> None:
    """The last 30 days' cases against the same days last year (Plotly)."""
    x = [f"{d.day:%m-%d}" for d in trend.days]
    fig = go.Figure([
        go.Scatter(x=x, y=[d.last_year_cases for d in trend.days], name=TREND_LAST_YEAR, mode="lines",
                   line={"color": LAST_YEAR_LINE, "width": 3, "dash": "dot"}),
        go.Scatter(x=x, y=[d.cases for d in trend.days], name=TREND_THIS_YEAR, mode="lines+markers",
                   line={"color": THIS_YEAR_LINE, "width": 4}),
    ])
    fig.update_xaxes(type="category", nticks=8)
    st.plotly_chart(_layout(fig, PANEL_TREND, TREND_HEIGHT), theme=None, key="wall_trend",
                    config={"staticPlot": True, "displayModeBar": False})


def types_chart(types: list[TypeRow]) -> None:
    """This month's cases by fraud type, most first (Plotly)."""
    shown = list(reversed(types))
    fig = go.Figure(go.Bar(x=[t.cases for t in shown], y=[t.label for t in shown], orientation="h",
                           marker={"color": BAR}, text=[f"{t.cases:,}" for t in shown], textposition="outside",
                           cliponaxis=False))
    fig = _layout(fig, PANEL_TYPES, TYPES_HEIGHT)
    fig.update_layout(margin={"l": 190, "r": 60, "t": 46, "b": 20}, xaxis={"visible": False})
    if not any(t.cases for t in types):  # no bars yet: say so rather than draw bare axes
        fig.update_layout(yaxis={"visible": False}, annotations=[{
            "text": TYPES_EMPTY, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
            "font": {"size": CHART_FONT * 1.4, "color": TEXT}}])
    st.plotly_chart(fig, theme=None, key="wall_types", config={"staticPlot": True, "displayModeBar": False})


def _row(line: BranchLine, total: bool = False) -> str:
    cases, loss = line.cases, line.loss
    return (f'<tr class="{"total" if total else ""}"><td>{escape(line.name)}</td><td>{cases.shown}</td>'
            f'<td>{_delta(cases.year_ago)}</td><td>{_delta(cases.previous)}</td><td>{loss.shown}</td>'
            f'<td>{_delta(loss.year_ago)}</td><td>{_delta(loss.previous)}</td></tr>')


def branch_table(branches: Branches) -> None:
    """Every branch this month with 同比 and 环比, and the total row; nothing scrolls."""
    header = "".join(f"<th>{c}</th>" for c in (COL_UNIT, COL_CASES, YOY, MOM, COL_LOSS, YOY, MOM))
    body = "".join(_row(r) for r in branches.rows) + _row(branches.total, total=True)
    # Many branches: the rows get smaller rather than a scroll bar.
    count = len(branches.rows)
    size = 19 if count <= 14 else max(11, int(19 * 14 / count))
    st.html(f'<div class="wall wall-panel"><h3>{escape(PANEL_BRANCHES.format(branch=branches.branch_label))}</h3>'
            f'<table class="wall-table" data-testid="wall-branches" style="font-size:{size}px"><tr>{header}</tr>'
            f'{body}</table></div>')


def triggers_panel(triggers: list[Trigger]) -> None:
    """The latest loss-threshold triggers (time, unit, level, type, loss): no case number, no victim."""
    lines = "".join(
        f'<div><span class="k">{to_shanghai(t.raised_at):%m-%d %H:%M}</span><span>{escape(t.unit_name)}</span>'
        f'<span style="color:{BAD}">{escape(t.level_label)}</span><span>{escape(t.fraud_type_label)}</span>'
        f'<span>{_wan(t.loss_fen)} 万元</span></div>' for t in triggers) or f"<div>{TRIGGERS_EMPTY}</div>"
    st.html(f'<div class="wall wall-panel"><h3>{PANEL_TRIGGERS}</h3><div class="wall-list">{lines}</div></div>')


def strike_panel(board: Board) -> None:
    """两升两降 and 挽损 this month: 破案, 抓获, 止付, 冻结, 返还 (a column each), their 同比 and 环比 in colour."""
    month = board.headline.blocks[-1]
    figures = month.row(STRIKE_MEASURES)
    header = f"<th></th>{''.join(f'<th>{STRIKE_ROWS[f.measure.value]}</th>' for f in figures)}"
    rows = (f'<tr data-row="month"><td>{ROW_MONTH}</td>{"".join(f"<td>{f.shown}</td>" for f in figures)}</tr>'
            f'<tr data-row="yoy"><td>{YOY}</td>{"".join(f"<td>{_delta(f.year_ago)}</td>" for f in figures)}</tr>'
            f'<tr data-row="mom"><td>{MOM}</td>{"".join(f"<td>{_delta(f.previous)}</td>" for f in figures)}</tr>')
    st.html(f'<div class="wall wall-panel"><h3>{PANEL_STRIKE}</h3><table class="wall-table" data-testid="wall-strike" '
            f'style="font-size:19px"><tr>{header}</tr>{rows}</table></div>')


def leads_panel(leads: list[Lead]) -> None:
    """The most reported hot leads, masked."""
    lines = "".join(f'<div><span class="k">{escape(lead.kind_label)}</span><span>{escape(lead.masked)}</span>'
                    + (f'<span class="k" data-suspended="1">{LEAD_SUSPENDED}</span>' if lead.suspended else "")
                    + f'<span style="margin-left:auto">{LEAD_REPORTS.format(n=lead.reports)}</span></div>'
                    for lead in leads) or f"<div>{LEADS_EMPTY}</div>"
    st.html(f'<div class="wall wall-panel"><h3>{PANEL_LEADS}</h3><div class="wall-list">{lines}</div></div>')


def _ranked(units: list[RankedUnit], colour: str) -> str:
    return "".join(f'<div class="r"><span class="k">{CAMPAIGN_RANK.format(rank=u.rank)}</span><span>{escape(u.unit_name)}</span>'
                   f'<span style="margin-left:auto;color:{colour}">{CAMPAIGN_SCORE.format(score=u.score)}</span></div>'
                   for u in units)


def campaign_panel(standing: Standing | None) -> None:
    """The running campaign's ranking this month: the best units and the worst; nothing when no campaign runs."""
    if standing is None:
        return
    title = PANEL_CAMPAIGN.format(month=standing.month.month)
    about = CAMPAIGN_UNITS.format(name=standing.campaign_name, n=standing.units_ranked)
    st.html(f'<div class="wall wall-panel" data-testid="wall-campaign"><h3>{escape(title)}</h3>'
            f'<div class="wall-note" style="white-space:nowrap;overflow:hidden;text-overflow:ellipsis">{escape(about)}'
            f'</div><div class="wall-ranks wall-list"><div data-end="top"><div class="h">{CAMPAIGN_TOP}</div>'
            f'{_ranked(standing.top, GOOD)}</div><div data-end="bottom"><div class="h">{CAMPAIGN_BOTTOM}</div>'
            f'{_ranked(standing.bottom, BAD)}</div></div></div>')


def ago_text(seconds: float, seconds_text: str, minutes_text: str) -> str:
    """How long ago, in whole seconds or minutes and seconds."""
    whole = int(seconds)
    return seconds_text.format(s=whole) if whole < 60 else minutes_text.format(m=whole // 60, s=whole % 60)

