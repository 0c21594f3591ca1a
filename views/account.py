"""修改密码: a user changes their own password."""

import streamlit as st

import cached
import web_session
from db.engine import write_session
from services.access import auth
from services import labels as L
from services.shared.config import load_settings

actor = web_session.actor()
st.title(L.ACCOUNT_TITLE, anchor=False)
if load_settings().auth_mode != "local":
    st.info(L.ACCOUNT_TRUSTED_HEADER)
    st.stop()

with st.form("change_password", clear_on_submit=True):
    current = st.text_input(L.ACCOUNT_CURRENT, type="password", key="account_current", autocomplete="current-password")
    new = st.text_input(L.ACCOUNT_NEW, type="password", key="account_new", help=L.ACCOUNT_POLICY,
                        autocomplete="new-password")
    repeat = st.text_input(L.ACCOUNT_REPEAT, type="password", key="account_repeat", autocomplete="new-password")
    submitted = st.form_submit_button(L.ACCOUNT_SUBMIT, type="primary")
st.caption(L.ACCOUNT_POLICY)
if submitted:
    try:
        with write_session(cached.engine()) as session:
            auth.change_own_password(session, actor, current, new, repeat)
    except auth.InvalidInput as invalid:
        for message in invalid.errors.values():
            st.error(message)
    else:
        st.success(L.PASSWORD_CHANGED)
