"""审计日志: every login, write, export and unmask; filter by user, action and time; export as CSV."""

from datetime import timedelta

import pandas as pd
import streamlit as st

import cached
import login_gate
from services import audit
from services.audit import api
from services.audit.text import (
    AUDIT_EXPORT_DOWNLOAD,
    AUDIT_EXPORT_PREPARE,
    AUDIT_FILTER_ACTION,
    AUDIT_FILTER_FROM,
    AUDIT_FILTER_TO,
    AUDIT_FILTER_USER,
    AUDIT_RETENTION_NOTE,
    AUDIT_TITLE,
    AUDIT_TOTAL,
)
from services.cases.text import CASES_DATE_ORDER, CASES_FILTER_ALL
from services.shared.timeutil import day_start_utc, shanghai_today
from vocabulary import AuditAction

actor = login_gate.actor()
st.title(AUDIT_TITLE, anchor=False)
st.caption(AUDIT_RETENTION_NOTE)
today = shanghai_today()
with st.container(horizontal=True, vertical_alignment="bottom"):
    username = st.text_input(AUDIT_FILTER_USER, max_chars=64, key="audit_user").strip().lower() or None
    actions = [None, *AuditAction]
    action = st.selectbox(AUDIT_FILTER_ACTION, actions, key="audit_action",
                          format_func=lambda a: CASES_FILTER_ALL if a is None else AuditAction(a).label)
    first = st.date_input(AUDIT_FILTER_FROM, today - timedelta(days=6), key="audit_from")
    last = st.date_input(AUDIT_FILTER_TO, today, key="audit_to")
if first > last:
    st.error(CASES_DATE_ORDER)
    st.stop()
criteria = audit.AuditFilter(username, action, day_start_utc(first), day_start_utc(last + timedelta(days=1)))

with login_gate.refusals():
    found = api.search(cached.engine(), actor, criteria)
st.caption(AUDIT_TOTAL.format(total=found.total, shown=len(found.rows)))
st.dataframe(pd.DataFrame(found.rows, columns=audit.EXPORT_HEADERS), hide_index=True, width="stretch")

if st.button(AUDIT_EXPORT_PREPARE, icon=":material/download:", key="audit_export"):
    with login_gate.refusals():
        st.session_state["audit_csv"] = api.export_csv(cached.engine(), actor, criteria)
if "audit_csv" in st.session_state:
    st.download_button(AUDIT_EXPORT_DOWNLOAD, st.session_state["audit_csv"], file_name=f"audit_{first}_{last}.csv",
                       mime="text/csv", key="audit_download", on_click="ignore")
