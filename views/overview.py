"""总览: today and this month at a glance, and each branch against the same days last month."""

import streamlit as st

import cached
import login_gate
from components import url_state
from components.accountability_panels import summary_metrics, todo_block
from components.badges import demo_badge
from components.copy_link import copy_link
from components.metrics import measure_cards
from components.plain import escape_markdown
from components.tables import branch_table
from services.access.permissions import Permission
from services.accountability import api as accountability_api
from services.accountability.text import ACC_TITLE
from services.overview import api as overview_api
from services.overview.text import (
    DATA_AS_OF,
    EXPORT_BUTTON,
    EXPORT_DOWNLOAD,
    OVERVIEW_MONTH,
    OVERVIEW_OVERDUE_UNITS,
    OVERVIEW_TABLE_CAPTION,
    OVERVIEW_TABLE_TITLE_BY_BRANCH,
    OVERVIEW_TITLE,
    OVERVIEW_TODAY,
)
from services.shared.text import COPY_LINK_HELP, UNIT_PICKER
from services.shared.timeutil import now_utc, to_shanghai

actor = login_gate.actor()
minute = cached.current_minute()
with login_gate.refusals():
    overview = cached.overview(minute, actor, url_state.get_int("unit"))
# The unit is always in the link, the user's own too: a shared link shows its unit or is refused.
url_state.set_params(unit=overview.root_id)

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.title(f"{OVERVIEW_TITLE} · {escape_markdown(overview.root_name)}", anchor=False, width="content")
    demo_badge(overview.is_demo)
    choices = cached.unit_choices(actor)
    if len(choices) > 1:
        url_state.unit_picker(UNIT_PICKER, choices, overview.root_id, key="overview_unit")
st.caption(DATA_AS_OF.format(time=to_shanghai(overview.as_of).strftime("%Y-%m-%d %H:%M")))

# A clerk is told first what their own unit owes, and what is overdue.
if actor.can(Permission.EDIT_CASES) and not actor.can(Permission.SIGN_OFF):
    with login_gate.refusals():
        todo = accountability_api.unit_todo(cached.engine(), actor, now_utc())
    todo_block(todo, key="overview_todo", pick=lambda item_id: st.session_state.update(overview_todo_item=item_id))
    if (opened := st.session_state.pop("overview_todo_item", None)) is not None:
        st.switch_page("views/accountability.py", query_params={"item": opened})

st.subheader(OVERVIEW_TODAY, anchor=False)
measure_cards(overview.today, key="today_measures")
st.subheader(OVERVIEW_MONTH, anchor=False)
measure_cards(overview.month, key="month_measures")

branch = overview.branch_label
st.subheader(OVERVIEW_TABLE_TITLE_BY_BRANCH.format(branch=branch), anchor=False)
branch_table(overview.rows, overview.total, unit_column=branch)
month, previous = overview.month_period, overview.previous_period
st.caption(OVERVIEW_TABLE_CAPTION.format(
    start=month.first_day, end=month.last_day, prev_start=previous.first_day, prev_end=previous.last_day,
))
export_key = (minute, overview.root_id)
if st.button(EXPORT_BUTTON, icon=":material/download:", key="overview_export"):
    with login_gate.refusals():
        st.session_state["overview_export_file"] = (
            export_key, overview_api.export_branch_table(cached.engine(), actor, minute, overview.root_id))
if st.session_state.get("overview_export_file", (None,))[0] == export_key:
    st.download_button(EXPORT_DOWNLOAD, st.session_state["overview_export_file"][1],
                       file_name=f"总览_{month.first_day}_{month.last_day}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="overview_export_download")

st.subheader(ACC_TITLE, anchor=False)
with login_gate.refusals():
    accountability = cached.accountability_summary(cached.current_minute(), actor, overview.root_id)
summary_metrics(accountability)
if accountability.overdue_by_unit:
    st.caption(OVERVIEW_OVERDUE_UNITS.format(units="，".join(f"{escape_markdown(name)} {count} 项"
                                                               for name, count in accountability.overdue_by_unit)))

st.caption(COPY_LINK_HELP)
copy_link(key="overview_copy_link", unit_id=overview.root_id)
