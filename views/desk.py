"""专家席来电登记: the call log an officer fills in while on the phone, and the desk's own views."""

import re

import streamlit as st

import cached
import login_gate
from components import desk_form, url_state
from components.desk_form import SubmitOutcome
from components.desk_panels import calls_table, counters_row, hot_leads_table, seen_lines
from components.notice import set_notice, show_notice
from services.access.permissions import Permission
from services.access.scope import require
from services.desk import api as desk_api
from services.desk.calls import CallDraft
from services.desk.text import (
    DESK_DUPLICATE,
    DESK_INVALID,
    DESK_SAVED,
    DESK_SAVED_CASE,
    DESK_SEARCH_INPUT,
    DESK_SEARCH_NONE,
    DESK_TAB_FORM,
    DESK_TAB_HOT,
    DESK_TAB_SEARCH,
    DESK_TAB_TODAY,
    DESK_TITLE,
)
from services.shared.errors import InvalidInput
from services.shared.timeutil import SHANGHAI, now_utc

actor = login_gate.actor()
st.title(DESK_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.VIEW_CALLS)
state = st.session_state


def _now_local():
    return now_utc().astimezone(SHANGHAI)


def _start_form() -> None:
    """A new browser session resumes the form named in the address bar, unless that one was saved already."""
    form_key = url_state.get_str("form")
    form_key = form_key if form_key and re.fullmatch(r"[0-9a-f]{32}", form_key) else None
    saved = desk_api.saved(cached.engine(), f"{actor.user_id}-{form_key}") if form_key else None
    if saved is not None:
        set_notice("desk_flash", "info", DESK_DUPLICATE.format(call_id=saved.call_id))
        form_key = None
    desk_form.new_call(form_key, str(actor.user_id), _now_local())


def _save(draft: CallDraft) -> SubmitOutcome:
    """The save step of 保存登记: validated, saved exactly once, and what to tell the officer."""
    try:
        result = desk_api.save(cached.engine(), actor, draft)
    except InvalidInput as invalid:
        return SubmitOutcome("error", DESK_INVALID.format(count=len(invalid.errors)), errors=invalid.errors)
    if result.duplicate:
        text, kind = DESK_DUPLICATE.format(call_id=result.call_id), "info"
    elif result.case_no:
        text, kind = DESK_SAVED_CASE.format(call_id=result.call_id, case_no=result.case_no), "success"
    else:
        text, kind = DESK_SAVED.format(call_id=result.call_id), "success"
    return SubmitOutcome(kind, text, tuple(result.warnings), new_call=True)


def _call_tab() -> None:
    show_notice("desk_flash")
    for warning in state.pop("desk_warnings", []):
        st.warning(warning)
    desk_form.call_form(cached.unit_choices(actor), _now_local(),
                        seen_of=lambda identifiers: desk_api.seen_before(cached.engine(), actor, identifiers),
                        on_submit=_save, namespace=str(actor.user_id))


def _search_tab() -> None:
    query = st.text_input(DESK_SEARCH_INPUT, key="desk_search", max_chars=100)
    if not query.strip():
        return
    results = desk_api.search(cached.engine(), actor, query)
    if results:
        seen_lines(results)
    else:
        st.info(DESK_SEARCH_NONE)


if actor.can(Permission.LOG_CALLS) and not desk_form.started():
    _start_form()
# A role that may not log calls (局领导, 指挥中心) opens on what it may do: no refusal tab first.
logs_calls = actor.can(Permission.LOG_CALLS)
tabs = st.tabs([DESK_TAB_FORM, DESK_TAB_TODAY, DESK_TAB_SEARCH, DESK_TAB_HOT] if logs_calls else
               [DESK_TAB_TODAY, DESK_TAB_SEARCH, DESK_TAB_HOT])
if logs_calls:
    with tabs[0]:
        _call_tab()
with tabs[-3]:
    total, per_officer, calls = desk_api.today(cached.engine(), actor)
    counters_row(total, per_officer)
    calls_table(calls)
with tabs[-2]:
    _search_tab()
with tabs[-1]:
    hot_leads_table(desk_api.hot_leads(cached.engine(), actor))
