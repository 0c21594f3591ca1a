"""用户管理: accounts of the administrator's subtree: create, reset password, unlock, enable/disable."""

from collections.abc import Callable
from datetime import datetime

import pandas as pd
import streamlit as st

import cached
import login_gate
from components.notice import show_notice
from components.plain import escape_markdown
from components.steps import run_step
from services.access import api as access_api
from services.access.text import (
    ACCOUNT_POLICY,
    ACTIVE,
    INACTIVE,
    USERS_ACTIVE,
    USERS_CREATE,
    USERS_DISABLE,
    USERS_DISPLAY_NAME,
    USERS_DONE,
    USERS_ENABLE,
    USERS_END_SESSIONS,
    USERS_LAST_LOGIN,
    USERS_LOCKED,
    USERS_NEW,
    USERS_NEW_PASSWORD,
    USERS_PASSWORD,
    USERS_RESET,
    USERS_ROLE,
    USERS_SELECT_HINT,
    USERS_TITLE,
    USERS_UNIT,
    USERS_UNLOCK,
    USERS_USERNAME,
)
from services.shared.timeutil import to_shanghai
from vocabulary import Role

ERRORS, NOTICE = "users_errors", "users_flash"
state = st.session_state
actor = login_gate.actor()
st.title(USERS_TITLE, anchor=False)
show_notice(NOTICE)
with login_gate.refusals():
    users = access_api.users(cached.engine(), actor)


def _stamp(moment: datetime | None) -> str:
    """A moment as Beijing time to the minute, or blank."""
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


frame = pd.DataFrame([
    {USERS_USERNAME: u.username, USERS_DISPLAY_NAME: u.display_name, USERS_ROLE: Role(u.role).label,
     USERS_UNIT: u.unit_name, USERS_ACTIVE: ACTIVE if u.is_active else INACTIVE,
     USERS_LOCKED: _stamp(u.locked_until) if u.locked else "", USERS_LAST_LOGIN: _stamp(u.last_login_at)}
    for u in users
])
event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="users_table")


def _run(action_label: str, operation: Callable[[], None]) -> None:
    """One account step (its own transaction): success reruns with a notice; a refusal shows its messages here."""
    if run_step(operation, notice_key=NOTICE, errors_key=ERRORS, invalid_text=str, rerun=False,
                done=lambda _: ("success", USERS_DONE.format(action=action_label))):
        st.rerun()
    state.pop(NOTICE, None)  # the messages themselves say what to change
    for message in state.pop(ERRORS).values():
        st.error(message)


if event.selection.rows:
    user = users[event.selection.rows[0]]
    st.subheader(f"{escape_markdown(user.display_name)}（{escape_markdown(user.username)}）", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        new_password = st.text_input(USERS_NEW_PASSWORD, type="password", key="users_new_password")
        if st.button(USERS_RESET, key="users_reset"):
            _run(USERS_RESET, lambda: access_api.reset_password(cached.engine(), actor, user.id, new_password))
        if st.button(USERS_UNLOCK, key="users_unlock"):
            _run(USERS_UNLOCK, lambda: access_api.unlock(cached.engine(), actor, user.id))
        toggle = USERS_DISABLE if user.is_active else USERS_ENABLE
        if user.id != actor.user_id and st.button(toggle, key="users_toggle"):
            _run(toggle, lambda: access_api.set_active(cached.engine(), actor, user.id, not user.is_active))
        if user.id != actor.user_id and st.button(USERS_END_SESSIONS, key="users_end_sessions"):
            _run(USERS_END_SESSIONS, lambda: access_api.end_sessions(cached.engine(), actor, user.id))
else:
    st.caption(USERS_SELECT_HINT)

st.subheader(USERS_NEW, anchor=False)
choices = cached.unit_choices(actor)
names = {unit_id: "\u3000" * (level - choices[0][2]) + name for unit_id, name, level in choices}
with st.form("new_user", clear_on_submit=False):
    left, right = st.columns(2)
    username = left.text_input(USERS_USERNAME, max_chars=32, key="new_username")
    display_name = right.text_input(USERS_DISPLAY_NAME, max_chars=64, key="new_display_name")
    role = left.selectbox(USERS_ROLE, list(Role), format_func=Role.labels().get, key="new_role")
    unit_id = right.selectbox(USERS_UNIT, list(names), format_func=names.get, key="new_unit")
    password = left.text_input(USERS_PASSWORD, type="password", key="new_password", help=ACCOUNT_POLICY)
    if st.form_submit_button(USERS_CREATE, type="primary"):
        _run(USERS_CREATE, lambda: access_api.create_user(
            cached.engine(), actor, username=username, display_name=display_name, role=role, unit_id=unit_id, password=password))
