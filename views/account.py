"""修改密码: a user changes their own password."""

import streamlit as st

import cached
import login_gate
from components.notice import show_notice
from components.steps import run_step
from services.access import api as access_api
from services.access.text import (
    ACCOUNT_CURRENT,
    ACCOUNT_NEW,
    ACCOUNT_POLICY,
    ACCOUNT_REPEAT,
    ACCOUNT_SUBMIT,
    ACCOUNT_TITLE,
    ACCOUNT_TRUSTED_HEADER,
    PASSWORD_CHANGED,
)
from services.shared.config import load_settings

ERRORS, NOTICE = "account_errors", "account_notice"
actor = login_gate.actor()
st.title(ACCOUNT_TITLE, anchor=False)
if load_settings().auth_mode != "local":
    st.info(ACCOUNT_TRUSTED_HEADER)
    st.stop()

with st.form("change_password", clear_on_submit=True):
    current = st.text_input(ACCOUNT_CURRENT, type="password", key="account_current", autocomplete="current-password")
    new = st.text_input(ACCOUNT_NEW, type="password", key="account_new", help=ACCOUNT_POLICY,
                        autocomplete="new-password")
    repeat = st.text_input(ACCOUNT_REPEAT, type="password", key="account_repeat", autocomplete="new-password")
    submitted = st.form_submit_button(ACCOUNT_SUBMIT, type="primary")
st.caption(ACCOUNT_POLICY)


def _change(current: str, new: str, repeat: str) -> None:
    """Change the password (its own transaction); say so here, or show each refusal."""
    if run_step(lambda: access_api.change_own_password(cached.engine(), actor, current, new, repeat),
                notice_key=NOTICE, errors_key=ERRORS, invalid_text=str, rerun=False,
                done=lambda _: ("success", PASSWORD_CHANGED)):
        show_notice(NOTICE)
        return
    st.session_state.pop(NOTICE, None)  # the messages themselves say what to change
    for message in st.session_state.pop(ERRORS).values():
        st.error(message)


if submitted:
    _change(current, new, repeat)
