"""用户管理: accounts of the administrator's subtree: create, reset password, unlock, enable/disable."""

import pandas as pd
import streamlit as st

import cached
import web_session
from db.engine import read_session, write_session
from services.access import auth
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
from services.shared.timeutil import now_utc, to_shanghai
from vocabulary import Role

actor = web_session.actor()
st.title(USERS_TITLE, anchor=False)
if flash := st.session_state.pop("users_flash", None):
    st.success(flash)
with web_session.refusals(), read_session(cached.engine()) as session:
    users = auth.list_users(session, actor)


def _stamp(moment) -> str:
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


frame = pd.DataFrame([
    {USERS_USERNAME: u.username, USERS_DISPLAY_NAME: u.display_name, USERS_ROLE: Role(Role(u.role)).label,
     USERS_UNIT: unit.name, USERS_ACTIVE: ACTIVE if u.is_active else INACTIVE,
     USERS_LOCKED: _stamp(u.locked_until) if u.locked_until and u.locked_until > now_utc() else "",
     USERS_LAST_LOGIN: _stamp(u.last_login_at)}
    for u, unit in users
])
event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="users_table")


def _run(action_label: str, operation) -> None:
    try:
        with write_session(cached.engine()) as session:
            operation(session)
    except auth.InvalidInput as invalid:
        for message in invalid.errors.values():
            st.error(message)
        return
    st.session_state["users_flash"] = USERS_DONE.format(action=action_label)
    st.rerun()


if event.selection.rows:
    user, _ = users[event.selection.rows[0]]
    st.subheader(f"{user.display_name}（{user.username}）", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        new_password = st.text_input(USERS_NEW_PASSWORD, type="password", key="users_new_password")
        if st.button(USERS_RESET, key="users_reset"):
            _run(USERS_RESET, lambda s: auth.reset_password(s, actor, user.id, new_password))
        if st.button(USERS_UNLOCK, key="users_unlock"):
            _run(USERS_UNLOCK, lambda s: auth.unlock(s, actor, user.id))
        toggle = USERS_DISABLE if user.is_active else USERS_ENABLE
        if user.id != actor.user_id and st.button(toggle, key="users_toggle"):
            _run(toggle, lambda s: auth.set_active(s, actor, user.id, not user.is_active))
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
        _run(USERS_CREATE, lambda s: auth.create_user(
            s, actor, username=username, display_name=display_name, role=role, unit_id=unit_id, password=password))
