"""The 来电登记 form of the expert desk, in conversation order; it hands a CallDraft to the page's save step.

Slots: whatever is drawn only sometimes (an error, the assist panel, the seen-before lines) sits in a slot that is
drawn on every run. Streamlit places an element by its position among its siblings; were a panel to appear above
a box, the rerun would move the box, and the browser would redraw it empty while the officer types into it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from components.desk_panels import assist_panel, seen_lines
from services.desk.assist import assist
from services.desk.calls import CallDraft, entered_identifiers
from services.desk.identifier_store import SeenBefore
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
    DESK_FOLLOW_UP,
    DESK_FRAUD_TYPE,
    DESK_JURISDICTION,
    DESK_LOST,
    DESK_NARRATIVE,
    DESK_NARRATIVE_HELP,
    DESK_NEXT_CALL,
    DESK_NO_JURISDICTION,
    DESK_OUTCOME,
    DESK_PENDING,
    DESK_PHONES,
    DESK_QQ,
    DESK_RECEIVED_AT,
    DESK_SUBMIT,
    DESK_URLS,
    DESK_WECHAT,
    V_AMOUNT_HUGE,
)
from services.shared.text import NO, UNKNOWN, YES
from vocabulary import EDUCATION_LEVELS, OCCUPATIONS, CallOutcome, CallType, FraudType, Gender

IDENTIFIER_BOX_LABELS = {"phones": DESK_PHONES, "accounts": DESK_ACCOUNTS, "urls": DESK_URLS, "apps": DESK_APPS,
                         "qq": DESK_QQ, "wechat": DESK_WECHAT}
IDENTIFIER_BOXES = {"phone": "phones", "bank_account": "accounts", "url": "urls", "app": "apps", "qq": "qq",
                    "wechat": "wechat"}
DEFAULTS = {"call_type": None, "caller_phone": "", "caller_gender": None, "caller_age": None,
            "caller_occupation": None, "caller_education": None, "caller_reached": None, "jurisdiction_unit_id": None,
            "fraud_type": None, "narrative": "", "lost": "", "pending": "", "phones": "", "accounts": "", "urls": "",
            "apps": "", "qq": "", "wechat": "", "outcome": None, "follow_up": False,
            "confirm_large": False}
KEY_STATE = "desk_idempotency_key"
ERRORS_STATE = "desk_errors"
SAVED_STATE = "desk_saved"  # (idempotency key, kind, text, warnings) of the call this form saved
SUBMIT_SHORTCUT = "Alt+S"
NEXT_SHORTCUT = "Alt+N"
state = st.session_state


@dataclass(frozen=True)
class SubmitOutcome:
    """What the page's save step answers: a notice, warnings, and whether the form starts a new call."""

    kind: str
    text: str
    warnings: tuple[str, ...] = ()
    errors: dict[str, str] | None = None
    new_call: bool = False


def _key(name: str) -> str:
    return f"desk_{name}"


def new_call(form_key: str | None, namespace: str, received_local: datetime) -> str:
    """Empty the form for the next call; returns the form's key (also kept in the address bar)."""
    for name, value in DEFAULTS.items():
        state[_key(name)] = value
    state[_key("received_at")] = received_local.replace(second=0, microsecond=0, tzinfo=None)
    form_key = form_key or uuid.uuid4().hex
    # The form's key also lives in the address bar, so that after a dropped connection or a server
    # restart the re-sent form keeps its key; it is namespaced by officer, so a copied link is harmless.
    st.query_params["form"] = form_key
    state[KEY_STATE] = f"{namespace}-{form_key}"
    state[ERRORS_STATE] = {}
    state.pop(SAVED_STATE, None)
    return form_key


def started() -> bool:
    """Whether this browser session already has a form under way."""
    return KEY_STATE in state


def draft(received_fallback: datetime) -> CallDraft:
    """The form as typed, as a CallDraft (received time in Beijing time)."""
    values = {name: state.get(_key(name), default) for name, default in DEFAULTS.items()}
    received = state.get(_key("received_at")) or received_fallback.replace(tzinfo=None)
    return CallDraft(idempotency_key=state[KEY_STATE], received_at=received.replace(tzinfo=received_fallback.tzinfo),
                     **values)


def _error(name: str) -> None:
    slot = st.empty()  # drawn with or without an error: see the module's note on slots
    if message := state.get(ERRORS_STATE, {}).get(name):
        slot.error(message, icon=":material/error:")


def _append(field_name: str, value: str) -> None:
    lines = [line for line in (state.get(_key(field_name)) or "").splitlines() if line.strip()]
    if value not in lines:
        state[_key(field_name)] = "\n".join([*lines, value])


def _set(field_name: str, value) -> None:
    state[_key(field_name)] = value


def _caller_rows() -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(DESK_CALL_TYPE, list(CallType), format_func=CallType.labels().get,
                             key=_key("call_type"))
        st.text_input(DESK_CALLER_PHONE, key=_key("caller_phone"), max_chars=32)
        st.segmented_control(DESK_CALLER_GENDER, list(Gender), format_func=Gender.labels().get,
                             key=_key("caller_gender"))
        st.number_input(DESK_CALLER_AGE, min_value=0, max_value=120, step=1, key=_key("caller_age"), width=120)
    for name in ("call_type", "caller_phone", "caller_age"):
        _error(name)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(DESK_CALLER_OCCUPATION, [None, *OCCUPATIONS], key=_key("caller_occupation"),
                     format_func=lambda v: UNKNOWN if v is None else v, placeholder=UNKNOWN)
        st.selectbox(DESK_CALLER_EDUCATION, [None, *EDUCATION_LEVELS], key=_key("caller_education"),
                     format_func=lambda v: UNKNOWN if v is None else v, placeholder=UNKNOWN)
        st.segmented_control(DESK_CALLER_REACHED, [True, False], key=_key("caller_reached"),
                             format_func=lambda v: YES if v else NO)


def _story(entered: set[tuple[str, str]]) -> None:
    # The hint is a placeholder, not a help icon: an icon would be one more Tab stop before the story.
    st.text_area(DESK_NARRATIVE, key=_key("narrative"), height=140, placeholder=DESK_NARRATIVE_HELP,
                 max_chars=4000)
    _error("narrative")
    with st.container():  # a slot: the panel comes and goes as the story changes
        assist_panel(assist(state.get(_key("narrative")) or ""), accept_type=lambda t: _set("fraud_type", t),
                     add_identifier=lambda kind, value: _append(IDENTIFIER_BOXES[kind], value),
                     set_amount=lambda which, text: _set(which, text), entered=entered,
                     chosen_type=state.get(_key("fraud_type")))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(DESK_FRAUD_TYPE, [None, *FraudType], key=_key("fraud_type"),
                     format_func=lambda t: UNKNOWN if t is None else FraudType(t).label, placeholder=UNKNOWN)
        st.text_input(DESK_LOST, key=_key("lost"), max_chars=20)
        st.text_input(DESK_PENDING, key=_key("pending"), max_chars=20)
    for name in ("lost", "pending"):
        _error(name)
    slot = st.empty()
    if V_AMOUNT_HUGE in state[ERRORS_STATE].values() or state.get(_key("confirm_large")):
        slot.checkbox(DESK_CONFIRM_LARGE, key=_key("confirm_large"))


def _identifier_boxes() -> None:
    left, middle, right = st.columns(3)
    for column, names in ((left, ("phones", "accounts")), (middle, ("urls", "apps")), (right, ("qq", "wechat"))):
        with column:
            for name in names:
                st.text_area(IDENTIFIER_BOX_LABELS[name], key=_key(name), height=80)
                _error(name)


def _saved_panel(saved: tuple[str, str, str, list[str]], received_fallback: datetime, namespace: str) -> None:
    """What this form saved, and the one way on: the next call (a resubmit would name the same call)."""
    _, kind, text, warnings = saved
    getattr(st, kind)(text)
    for warning in warnings:
        st.warning(warning)
    st.button(DESK_NEXT_CALL, type="primary", key="desk_next", icon=":material/add_call:",
              shortcut=NEXT_SHORTCUT, on_click=new_call, args=(None, namespace, received_fallback))


def saved() -> bool:
    """Whether the form on screen has been saved (it then shows only its confirmation until the next call)."""
    return (saved_ := state.get(SAVED_STATE)) is not None and saved_[0] == state.get(KEY_STATE)


def call_form(unit_choices: list[tuple[int, str, int]], received_fallback: datetime,
              seen_of: Callable[[list[tuple[str, str]]], list[SeenBefore]],
              on_submit: Callable[[CallDraft], SubmitOutcome], namespace: str) -> None:
    """The form; 保存登记 hands the typed CallDraft to `on_submit` once per form, however often it is pressed.

    After a save the form shows that call's confirmation and 下一个来电; its key is renewed only then, so a
    second Enter or a double click that arrives before the page is redrawn names the same saved call.
    """
    if saved():
        _saved_panel(state[SAVED_STATE], received_fallback, namespace)
        return
    units = unit_choices
    unit_names = {unit_id: "\u3000" * (level - units[0][2]) + name for unit_id, name, level in units}
    current = draft(received_fallback)
    _caller_rows()
    _story(set(entered_identifiers(current)))
    _identifier_boxes()
    with st.container():  # a slot: the lines come once an identifier is typed
        if identifiers := entered_identifiers(draft(received_fallback)):
            seen_lines(seen_of(identifiers))

    def _submitted() -> None:
        if saved():  # a second press of the same form: it was saved once already
            return
        outcome = on_submit(draft(received_fallback))
        state[ERRORS_STATE] = outcome.errors or {}
        if outcome.new_call:
            state[SAVED_STATE] = (state[KEY_STATE], outcome.kind, outcome.text, list(outcome.warnings))
        else:
            state["desk_flash"] = (outcome.kind, outcome.text)
            state["desk_warnings"] = list(outcome.warnings)

    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(DESK_JURISDICTION, [None, *unit_names], key=_key("jurisdiction_unit_id"),
                     format_func=lambda u: DESK_NO_JURISDICTION if u is None else unit_names[u],
                     placeholder=DESK_NO_JURISDICTION, width=260)  # a station's name with its indent, uncut
        st.segmented_control(DESK_OUTCOME, list(CallOutcome), format_func=CallOutcome.labels().get,
                             key=_key("outcome"))
        st.checkbox(DESK_FOLLOW_UP, key=_key("follow_up"))
        # Received time is filled in when the form opens; it comes last so the Tab order reaches it only if needed.
        # The widget's own default would be the server clock's naive "now" (UTC on most servers), handed back whenever
        # the browser reports no value (a re-mounted widget) and then read as Beijing time: so no default (None), and
        # an empty value (also what a run that did not draw the form leaves) is refilled from Beijing now.
        if state.get(_key("received_at")) is None:
            state[_key("received_at")] = received_fallback.replace(second=0, microsecond=0, tzinfo=None)
        st.datetime_input(DESK_RECEIVED_AT, value=None, key=_key("received_at"), format="YYYY-MM-DD", step=60,
                          width=220)
        st.button(DESK_SUBMIT, type="primary", on_click=_submitted, key="desk_submit", icon=":material/save:",
                  shortcut=SUBMIT_SHORTCUT)
    for name in ("jurisdiction_unit_id", "outcome", "received_at"):
        _error(name)
