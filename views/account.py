"""修改密码: a user changes their own password."""

import streamlit as st

import cached
import web_session
from db.engine import write_session
from services.access import auth
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

actor = web_session.actor()
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
if submitted:
    try:
        with write_session(cached.engine()) as session:
            auth.change_own_password(session, actor, current, new, repeat)
    except auth.InvalidInput as invalid:
        for message in invalid.errors.values():
            st.error(message)
    else:
        st.success(PASSWORD_CHANGED)
