"""总览: today and this month at a glance, and each branch against the same days last month."""

import streamlit as st

import cached
import login_gate
from components import url_state
from components.accountability_panels import summary_metrics
from components.badges import demo_badge
from components.metrics import measure_cards
from components.plain import escape_markdown
from components.tables import branch_table
from services.accountability.text import ACC_TITLE
from services.overview.text import (
    DATA_AS_OF,
    OVERVIEW_MONTH,
    OVERVIEW_OVERDUE_UNITS,
    OVERVIEW_TABLE_CAPTION,
    OVERVIEW_TABLE_TITLE_BY_BRANCH,
    OVERVIEW_TITLE,
    OVERVIEW_TODAY,
)
from services.shared.text import BRANCH_LABELS, UNIT_PICKER
from services.shared.timeutil import to_shanghai

actor = login_gate.actor()
with login_gate.refusals():
    overview = cached.overview(cached.current_minute(), actor, url_state.get_int("unit"))

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.title(f"{OVERVIEW_TITLE} · {escape_markdown(overview.root_name)}", anchor=False, width="content")
    demo_badge(overview.is_demo)
    choices = cached.unit_choices(actor)
    if len(choices) > 1:
        url_state.unit_picker(UNIT_PICKER, choices, overview.root_id, key="overview_unit")
st.caption(DATA_AS_OF.format(time=to_shanghai(overview.as_of).strftime("%Y-%m-%d %H:%M")))

st.subheader(OVERVIEW_TODAY, anchor=False)
measure_cards(overview.today, key="today_measures")
st.subheader(OVERVIEW_MONTH, anchor=False)
measure_cards(overview.month, key="month_measures")

branch = BRANCH_LABELS[overview.root_level]
st.subheader(OVERVIEW_TABLE_TITLE_BY_BRANCH.format(branch=branch), anchor=False)
branch_table(overview.rows, overview.total, unit_column=branch)
month, previous = overview.month_period, overview.previous_period
st.caption(OVERVIEW_TABLE_CAPTION.format(
    start=month.first_day, end=month.last_day, prev_start=previous.first_day, prev_end=previous.last_day,
))

st.subheader(ACC_TITLE, anchor=False)
with login_gate.refusals():
    accountability = cached.accountability_summary(cached.current_minute(), actor, overview.root_id)
summary_metrics(accountability)
if accountability.overdue_by_unit:
    st.caption(OVERVIEW_OVERDUE_UNITS.format(units="，".join(f"{escape_markdown(name)} {count} 项"
                                                               for name, count in accountability.overdue_by_unit)))
