"""The login form."""

import streamlit as st

from services.access.text import LOGIN_HINT_DEMO, LOGIN_PASSWORD, LOGIN_SUBMIT, LOGIN_TITLE, LOGIN_USERNAME


def login_form(flash: str | None, demo_hint: bool):
    """Draw the form; returns ((username, password) or None, a container for messages under the form)."""
    _, middle, _ = st.columns([1, 1.2, 1])
    with middle:
        st.title(LOGIN_TITLE, anchor=False)
        if flash:
            st.warning(flash)
        with st.form("login", enter_to_submit=True, border=True):
            username = st.text_input(LOGIN_USERNAME, key="login_username", autocomplete="username")
            password = st.text_input(LOGIN_PASSWORD, type="password", key="login_password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(LOGIN_SUBMIT, type="primary", width="stretch")
        messages = st.container()
        if demo_hint:
            st.caption(LOGIN_HINT_DEMO)
    return ((username, password) if submitted else None), messages
