"""专家席来电登记: the call log an officer fills in while on the phone, and the desk's own views."""

import re
import uuid

import streamlit as st

import cached
import web_session
from components import url_state
from components.desk_views import assist_panel, calls_table, counters_row, hot_leads_table, seen_lines
from db.engine import read_session
from services.access.permissions import Permission
from services.access.scope import require
from services.access.text import ACCESS_DENIED
from services.desk.assist import assist
from services.desk.calls import (
    CallDraft,
    entered_identifiers,
    find_saved,
    submit_call,
    today_calls,
    today_counters,
    validate,
)
from services.desk.identifier_store import hot_leads, search, seen_before
from services.desk.text import (
    DESK_ACCOUNTS,
    DESK_APPS,
    DESK_CALL_TYPE,
    DESK_CALLER_AGE,
    DESK_CALLER_EDUCATION,
    DESK_CALLER_GENDER,
    DESK_CALLER_OCCUPATION,
    DESK_CALLER_PHONE,
    DESK_CALLER_REACHED,
    DESK_CONFIRM_LARGE,
    DESK_DUPLICATE,
    DESK_FOLLOW_UP,
    DESK_FRAUD_TYPE,
    DESK_INVALID,
    DESK_JURISDICTION,
    DESK_LOST,
    DESK_NARRATIVE,
    DESK_NARRATIVE_HELP,
    DESK_NO_JURISDICTION,
    DESK_OUTCOME,
    DESK_PENDING,
    DESK_PHONES,
    DESK_QQ,
    DESK_RECEIVED_AT,
    DESK_SAVED,
    DESK_SAVED_CASE,
    DESK_SEARCH_INPUT,
    DESK_SEARCH_NONE,
    DESK_SUBMIT,
    DESK_TAB_FORM,
    DESK_TAB_HOT,
    DESK_TAB_SEARCH,
    DESK_TAB_TODAY,
    DESK_TITLE,
    DESK_URLS,
    DESK_WECHAT,
    V_AMOUNT_HUGE,
)
from services.shared.errors import InvalidInput
from services.shared.text import NO, UNKNOWN, YES
from services.shared.timeutil import SHANGHAI, now_utc
from vocabulary import EDUCATION_LEVELS, OCCUPATIONS, CallOutcome, CallType, FraudType, Gender

actor = web_session.actor()
st.title(DESK_TITLE, anchor=False)
with web_session.refusals():
    require(actor, Permission.VIEW_CALLS)

IDENTIFIER_BOX_LABELS = {"phones": DESK_PHONES, "accounts": DESK_ACCOUNTS, "urls": DESK_URLS, "apps": DESK_APPS,
                     "qq": DESK_QQ, "wechat": DESK_WECHAT}
FIELDS = ("received_at", "call_type", "caller_phone", "caller_gender", "caller_age", "caller_occupation",
          "caller_education", "caller_reached", "jurisdiction_unit_id", "fraud_type", "narrative", "lost", "pending",
          "phones", "accounts", "urls", "apps", "qq", "wechat", "outcome", "follow_up", "confirm_large")
DEFAULTS = {"call_type": CallType.REPORT, "caller_phone": "", "caller_gender": None, "caller_age": None,
            "caller_occupation": None, "caller_education": None, "caller_reached": None, "jurisdiction_unit_id": None,
            "fraud_type": None, "narrative": "", "lost": "", "pending": "", "phones": "", "accounts": "", "urls": "",
            "apps": "", "qq": "", "wechat": "", "outcome": CallOutcome.LEAD_LOGGED, "follow_up": False,
            "confirm_large": False}
IDENTIFIER_FIELDS = {"phone": "phones", "bank_account": "accounts", "url": "urls", "app": "apps", "qq": "qq",
                     "wechat": "wechat"}
state = st.session_state


def _key(name: str) -> str:
    return f"desk_{name}"


def _reset_form(form_key: str | None = None) -> None:
    for name, value in DEFAULTS.items():
        state[_key(name)] = value
    state[_key("received_at")] = now_utc().astimezone(SHANGHAI).replace(second=0, microsecond=0, tzinfo=None)
    form_key = form_key or uuid.uuid4().hex
    # The form's key also lives in the address bar, so that after a dropped connection or a server
    # restart the re-sent form keeps its key; it is namespaced by officer, so a copied link is harmless.
    st.query_params["form"] = form_key
    state["desk_idempotency_key"] = f"{actor.user_id}-{form_key}"
    state["desk_errors"] = {}


if "desk_idempotency_key" not in state:
    form_key = url_state.get_str("form")
    form_key = form_key if form_key and re.fullmatch(r"[0-9a-f]{32}", form_key) else None
    saved = find_saved(cached.engine(), f"{actor.user_id}-{form_key}") if form_key else None
    if saved is not None:
        state["desk_flash"] = ("info", DESK_DUPLICATE.format(call_id=saved.call_id))
        form_key = None
    _reset_form(form_key)


def _draft() -> CallDraft:
    values = {name: state.get(_key(name), DEFAULTS.get(name)) for name in FIELDS}
    received = values.pop("received_at") or now_utc().astimezone(SHANGHAI).replace(tzinfo=None)
    return CallDraft(idempotency_key=state["desk_idempotency_key"], received_at=received.replace(tzinfo=SHANGHAI),
                     **values)


def _submit() -> None:
    try:
        clean = validate(_draft())
        result = submit_call(cached.engine(), actor, clean)
    except InvalidInput as invalid:
        state["desk_errors"] = invalid.errors
        state["desk_flash"] = ("error", DESK_INVALID.format(count=len(invalid.errors)))
        return
    if result.duplicate:
        state["desk_flash"] = ("info", DESK_DUPLICATE.format(call_id=result.call_id))
    elif result.case_no:
        state["desk_flash"] = ("success", DESK_SAVED_CASE.format(call_id=result.call_id, case_no=result.case_no))
    else:
        state["desk_flash"] = ("success", DESK_SAVED.format(call_id=result.call_id))
    state["desk_warnings"] = list(result.warnings)
    state["desk_last_saved"] = result
    _reset_form()


def _error(name: str) -> None:
    if message := state.get("desk_errors", {}).get(name):
        st.error(message, icon=":material/error:")


def _append(field_name: str, value: str) -> None:
    current = state.get(_key(field_name)) or ""
    lines = [line for line in current.splitlines() if line.strip()]
    if value not in lines:
        state[_key(field_name)] = "\n".join([*lines, value])


def _set(field_name: str, value) -> None:
    state[_key(field_name)] = value


def call_form() -> None:
    """The 来电登记 form, in conversation order."""
    if flash := state.pop("desk_flash", None):
        getattr(st, flash[0])(flash[1])
    for warning in state.pop("desk_warnings", []):
        st.warning(warning)
    units = cached.unit_choices(actor)
    unit_names = {unit_id: "\u3000" * (level - units[0][2]) + name for unit_id, name, level in units}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.datetime_input(DESK_RECEIVED_AT, key=_key("received_at"), format="YYYY-MM-DD", step=60, width=220)
        st.segmented_control(DESK_CALL_TYPE, list(CallType), format_func=CallType.labels().get,
                             key=_key("call_type"), required=True)
        st.text_input(DESK_CALLER_PHONE, key=_key("caller_phone"), max_chars=32)
        st.selectbox(DESK_JURISDICTION, [None, *unit_names], key=_key("jurisdiction_unit_id"),
                     format_func=lambda u: DESK_NO_JURISDICTION if u is None else unit_names[u],
                     placeholder=DESK_NO_JURISDICTION)
    for name in ("received_at", "caller_phone", "jurisdiction_unit_id"):
        _error(name)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(DESK_CALLER_GENDER, list(Gender), format_func=Gender.labels().get, key=_key("caller_gender"))
        st.number_input(DESK_CALLER_AGE, min_value=0, max_value=120, step=1, key=_key("caller_age"), width=120)
        st.selectbox(DESK_CALLER_OCCUPATION, [None, *OCCUPATIONS], key=_key("caller_occupation"),
                     format_func=lambda v: UNKNOWN if v is None else v, placeholder=UNKNOWN)
        st.selectbox(DESK_CALLER_EDUCATION, [None, *EDUCATION_LEVELS], key=_key("caller_education"),
                     format_func=lambda v: UNKNOWN if v is None else v, placeholder=UNKNOWN)
        st.segmented_control(DESK_CALLER_REACHED, [True, False], key=_key("caller_reached"),
                             format_func=lambda v: YES if v else NO)
    _error("caller_age")

    st.text_area(DESK_NARRATIVE, key=_key("narrative"), height=140, help=DESK_NARRATIVE_HELP, max_chars=4000)
    _error("narrative")
    help_ = assist(state.get(_key("narrative")) or "")
    assist_panel(help_, accept_type=lambda t: _set("fraud_type", t),
                 add_identifier=lambda kind, value: _append(IDENTIFIER_FIELDS[kind], value),
                 set_amount=lambda which, text: _set(which, text),
                 entered=set(entered_identifiers(_draft())), chosen_type=state.get(_key("fraud_type")))

    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(DESK_FRAUD_TYPE, [None, *FraudType], key=_key("fraud_type"),
                     format_func=lambda t: UNKNOWN if t is None else FraudType(t).label, placeholder=UNKNOWN)
        st.text_input(DESK_LOST, key=_key("lost"), max_chars=20)
        st.text_input(DESK_PENDING, key=_key("pending"), max_chars=20)
    for name in ("lost", "pending"):
        _error(name)
    if V_AMOUNT_HUGE in state["desk_errors"].values() or state.get(_key("confirm_large")):
        st.checkbox(DESK_CONFIRM_LARGE, key=_key("confirm_large"))

    left, middle, right = st.columns(3)
    for column, names in ((left, ("phones", "accounts")), (middle, ("urls", "apps")), (right, ("qq", "wechat"))):
        with column:
            for name in names:
                st.text_area(IDENTIFIER_BOX_LABELS[name], key=_key(name), height=80)
                _error(name)

    draft_identifiers = entered_identifiers(_draft())
    if draft_identifiers:
        with read_session(cached.engine()) as session:
            seen = [seen_before(session, actor, kind, value) for kind, value in draft_identifiers]
        seen_lines(seen)

    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(DESK_OUTCOME, list(CallOutcome), format_func=CallOutcome.labels().get,
                             key=_key("outcome"), required=True)
        st.checkbox(DESK_FOLLOW_UP, key=_key("follow_up"))
        st.button(DESK_SUBMIT, type="primary", on_click=_submit, key="desk_submit", icon=":material/save:")


tabs = st.tabs([DESK_TAB_FORM, DESK_TAB_TODAY, DESK_TAB_SEARCH, DESK_TAB_HOT])
with tabs[0]:
    if actor.can(Permission.LOG_CALLS):
        call_form()
    else:
        st.info(ACCESS_DENIED)
with tabs[1], read_session(cached.engine()) as session:
    total, per_officer = today_counters(session, actor)
    counters_row(total, per_officer)
    calls_table(today_calls(session, actor))
with tabs[2]:
    query = st.text_input(DESK_SEARCH_INPUT, key="desk_search", max_chars=100)
    if query.strip():
        with read_session(cached.engine()) as session:
            results = search(session, actor, query)
        seen_lines(results) if results else st.info(DESK_SEARCH_NONE)
with tabs[3], read_session(cached.engine()) as session:
    hot_leads_table(hot_leads(session, actor))
