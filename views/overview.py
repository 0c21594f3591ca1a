"""总览: a chosen period (今日/本周/本月/本年/自定义) with 同比 and 环比, the daily trend, fraud types and every branch."""

from datetime import timedelta

import streamlit as st

import cached
import login_gate
from components import url_state
from components.accountability_panels import summary_metrics, todo_block
from components.badges import demo_badge
from components.copy_link import copy_link
from components.overview_panels import (
    cells_grid,
    headline_cards,
    open_items,
    range_inputs,
    trend_chart,
    types_chart,
)
from components.plain import escape_markdown
from services.access.permissions import Permission
from services.access.text import OUT_OF_SCOPE
from services.accountability import api as accountability_api
from services.accountability.text import ACC_TITLE
from services.overview import api as overview_api
from services.overview import text as t
from services.overview.board import STRIKE_MEASURES, Measure, chosen_span
from services.overview.cells import branch_cells, days_text
from services.shared.errors import InvalidInput
from services.shared.text import COPY_LINK_HELP, UNIT_PICKER
from services.shared.timeutil import MONTH, SPAN_KINDS, now_utc, shanghai_today, to_shanghai

actor = login_gate.actor()
minute = cached.current_minute()
today = shanghai_today(minute)
choices = cached.unit_choices(actor)
unit_id = url_state.scoped_unit(UNIT_PICKER, choices, actor.unit_id, key="overview_unit",
                                refusal=OUT_OF_SCOPE) if len(choices) > 1 else url_state.get_int("unit")

with st.container(horizontal=True, vertical_alignment="bottom"):
    kind = url_state.select(t.RANGE_LABEL, SPAN_KINDS, "range", key="overview_range", default=MONTH,
                            format_func=t.SPAN_LABELS.get)
    first = last = None
    if kind == "custom":
        first, last = range_inputs(today, url_state.get_date("from") or today - timedelta(days=29),
                                   url_state.get_date("to") or today, key="overview_custom")
url_state.set_params(**{"from": first.isoformat() if first else None, "to": last.isoformat() if last else None})
try:
    span = chosen_span(kind, today, first, last)
except InvalidInput as refusal:
    st.error(refusal.errors["range"], icon=":material/error:")
    st.stop()

with login_gate.refusals():
    headline, branches, types, trend = cached.overview_view(minute, actor, unit_id, span)
url_state.set_params(unit=headline.root_id)  # the unit is always in the link: a shared link shows its unit

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.title(f"{t.OVERVIEW_TITLE} · {escape_markdown(headline.root_name)}", anchor=False, width="content")
    demo_badge(headline.is_demo)
previous = t.RANGE_PREVIOUS.format(days=days_text(span.previous)) if span.previous else t.RANGE_NO_PREVIOUS
st.caption(t.DATA_AS_OF.format(time=to_shanghai(headline.as_of).strftime("%Y-%m-%d %H:%M")) + " · " +
           t.RANGE_CAPTION.format(current=days_text(span.current), year_ago=days_text(span.year_ago), previous=previous))

# A clerk is told first what their own unit owes, and what is overdue.
if actor.can(Permission.EDIT_CASES) and not actor.can(Permission.SIGN_OFF):
    with login_gate.refusals():
        todo = accountability_api.unit_todo(cached.engine(), actor, now_utc())
    todo_block(todo, key="overview_todo", pick=lambda item_id: st.session_state.update(overview_todo_item=item_id))
    if (opened := st.session_state.pop("overview_todo_item", None)) is not None:
        st.switch_page("views/accountability.py", query_params={"item": opened})

block = headline.blocks[0]
st.subheader(t.HEADLINE_TITLE.format(span=block.title), anchor=False)
headline_cards(block, key="overview_headline", figures=block.row(m for m in Measure if m not in STRIKE_MEASURES))
st.subheader(t.STRIKE_ROW_TITLE, anchor=False)
headline_cards(block, key="overview_strike", figures=block.row(STRIKE_MEASURES))
st.caption(t.STRIKE_ROW_CAPTION)
st.caption(t.TWO_UP_TWO_DOWN_NOTE)
open_items(headline, key="overview_open_items")

st.subheader(t.TREND_TITLE, anchor=False)
trend_chart(trend, key="overview_trend")
st.subheader(t.TYPES_TITLE, anchor=False)
types_chart(types, key="overview_types")

st.subheader(t.BRANCHES_TITLE.format(branch=branches.branch_label), anchor=False)
header, rows = branch_cells(branches)
cells_grid(header, rows, key="overview_branches", money_columns=(t.COL_LOSS, t.COL_LOSS_YEAR_AGO, t.COL_LOSS_PREVIOUS))

if actor.can(Permission.EXPORT):
    export_key = (minute, headline.root_id, span)
    with st.container(horizontal=True, key="overview_exports"):
        for fmt, label in (("xlsx", t.EXPORT_XLSX), ("csv", t.EXPORT_CSV)):
            if st.button(label, icon=":material/download:", key=f"overview_export_{fmt}"):
                with login_gate.refusals():
                    data = overview_api.export_view(cached.engine(), actor, minute, headline.root_id, span, fmt)
                st.session_state["overview_export_file"] = (export_key, fmt, data)
    saved = st.session_state.get("overview_export_file")
    if saved and saved[0] == export_key:
        _, fmt, data = saved
        mime = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        st.download_button(t.EXPORT_DOWNLOAD_CSV if fmt == "csv" else t.EXPORT_DOWNLOAD_XLSX, data, on_click="ignore",
                           file_name=f"总览_{span.current.first_day}_{span.current.last_day}.{fmt}", mime=mime,
                           key="overview_export_download")

st.subheader(ACC_TITLE, anchor=False)
with login_gate.refusals():
    accountability = cached.accountability_summary(minute, actor, headline.root_id)
summary_metrics(accountability)
if accountability.overdue_by_unit:
    st.caption(t.OVERVIEW_OVERDUE_UNITS.format(units="，".join(f"{escape_markdown(name)} {count} 项"
                                                                 for name, count in accountability.overdue_by_unit)))

st.caption(COPY_LINK_HELP)
copy_link(key="overview_copy_link", unit_id=headline.root_id)
