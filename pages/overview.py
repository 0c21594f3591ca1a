"""总览: today and this month at a glance, and each branch against the same days last month."""

import streamlit as st

import cached
from components.badges import demo_badge
from components.metrics import measure_cards
from components.tables import branch_table
from services import labels as L
from services.timeutil import to_shanghai

overview = cached.overview(cached.current_minute())
if overview is None:
    st.title(L.OVERVIEW_TITLE)
    st.info(L.OVERVIEW_EMPTY)
    st.stop()

with st.container(horizontal=True, vertical_alignment="center"):
    st.title(f"{L.OVERVIEW_TITLE} · {overview.root_name}", anchor=False, width="content")
    demo_badge(overview.is_demo)
st.caption(L.DATA_AS_OF.format(time=to_shanghai(overview.as_of).strftime("%Y-%m-%d %H:%M")))

st.subheader(L.OVERVIEW_TODAY, anchor=False)
measure_cards(overview.today, key="today_measures")
st.subheader(L.OVERVIEW_MONTH, anchor=False)
measure_cards(overview.month, key="month_measures")

st.subheader(L.OVERVIEW_TABLE_TITLE, anchor=False)
branch_table(overview.rows, overview.total)
month, previous = overview.month_period, overview.previous_period
st.caption(L.OVERVIEW_TABLE_CAPTION.format(
    start=month.first_day, end=month.last_day, prev_start=previous.first_day, prev_end=previous.last_day,
))
