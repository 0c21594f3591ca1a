"""Login state of one browser session (UI layer): who is signed in, idle timeout, login form, logout."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import streamlit as st

import cached
from components.login import login_form
from components.session_cookie import session_cookie
from db.engine import write_session
from services import audit
from services.access import login_sessions as sessions
from services.access.actor import AccessDenied, Actor
from services.access.auth import actor_by_username, authenticate
from services.access.client_address import client_address
from services.access.text import (
    LOGGED_OUT_IDLE,
    LOGOUT,
    SIGNED_IN_AS,
    TRUSTED_HEADER_MISSING,
    TRUSTED_HEADER_UNKNOWN,
)
from services.shared.config import load_settings
from services.shared.timeutil import now_utc
from vocabulary import AuditAction, Role

ACTOR_KEY = "fanzha_actor"
TOKEN_KEY = "fanzha_session_token"
LAST_ACTIVE_KEY = "fanzha_last_active"
LAST_TOUCH_KEY = "fanzha_last_touch"
CLEAR_COOKIE_KEY = "fanzha_clear_cookie"
FLASH_KEY = "fanzha_flash"


def client_addr() -> str | None:
    """The browser's address: X-Forwarded-For only from a trusted proxy (services/access/client_address.py)."""
    return client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"),
                          load_settings().trusted_proxies)


def _idle_limit(actor: Actor) -> timedelta | None:
    # The wall display is touched by nobody by design; it is read-only and always masked.
    return None if actor.role is Role.WALL else timedelta(minutes=load_settings().idle_minutes)


def _expired(actor: Actor) -> bool:
    limit, last = _idle_limit(actor), st.session_state.get(LAST_ACTIVE_KEY)
    return limit is not None and last is not None and now_utc() - last > limit


def sign_out(idle: bool = False) -> None:
    """End the session (audited, its cookie revoked) and return to the login form."""
    actor = st.session_state.pop(ACTOR_KEY, None)
    token = st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(LAST_ACTIVE_KEY, None)
    st.session_state[CLEAR_COOKIE_KEY] = True
    if actor is not None:
        with write_session(cached.engine()) as session:
            sessions.end(session, token)
            audit.record(session, AuditAction.LOGOUT, actor, detail="超时自动退出" if idle else None)
    if idle:
        st.session_state[FLASH_KEY] = LOGGED_OUT_IDLE.format(minutes=load_settings().idle_minutes)


def _trusted_header_actor() -> Actor | None:
    username = st.user.get("username") if st.user else None
    if not username:
        st.error(TRUSTED_HEADER_MISSING)
        return None
    with write_session(cached.engine()) as session:
        actor = actor_by_username(session, username, client_addr())
        if actor is None:
            audit.record(session, AuditAction.LOGIN_FAILED, username=username, client_addr=client_addr(),
                         success=False, detail="统一认证用户未开通")
        else:
            audit.record(session, AuditAction.LOGIN, actor, detail="统一认证")
    if actor is None:
        st.error(TRUSTED_HEADER_UNKNOWN.format(username=username))
    return actor


def _resume_from_cookie() -> Actor | None:
    token = st.context.cookies.get(sessions.COOKIE_NAME)
    if not isinstance(token, str) or not token or st.session_state.get(CLEAR_COOKIE_KEY):
        return None
    idle = timedelta(minutes=load_settings().idle_minutes)
    with write_session(cached.engine()) as session:
        actor = sessions.resume(session, token, client_addr(), idle)
    if actor is not None:
        st.session_state[TOKEN_KEY] = token
    return actor


def _touch_if_due() -> None:
    token, last = st.session_state.get(TOKEN_KEY), st.session_state.get(LAST_TOUCH_KEY)
    now = now_utc()
    if token and (last is None or now - last >= sessions.TOUCH_EVERY):
        with write_session(cached.engine()) as session:
            sessions.touch(session, token, now)
        st.session_state[LAST_TOUCH_KEY] = now


def current_actor() -> Actor | None:
    """The signed-in actor, or None; a refreshed tab resumes by cookie; an idle session is signed out."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is not None and _expired(actor):
        sign_out(idle=True)
        return None
    if actor is None:
        trusted = load_settings().auth_mode == "trusted_header"
        actor = _trusted_header_actor() if trusted else _resume_from_cookie()
        if actor is not None:
            st.session_state[ACTOR_KEY] = actor
    if actor is not None:
        st.session_state[LAST_ACTIVE_KEY] = now_utc()
        _touch_if_due()
    return actor


def login_view() -> None:
    """The login form; on success the same URL (page and filters) reruns signed in."""
    if load_settings().auth_mode == "trusted_header":
        return  # the proxy authenticates; current_actor() has already said what is wrong
    if st.session_state.get(CLEAR_COOKIE_KEY):
        session_cookie(sessions.COOKIE_NAME, None)
    submitted, messages = login_form(flash=st.session_state.pop(FLASH_KEY, None), demo_hint=cached.is_demo())
    if submitted is None:
        return
    username, password = submitted
    with write_session(cached.engine()) as session:
        result = authenticate(session, username, password, client_addr())
        token = sessions.start(session, result.actor) if result.actor else None
    if result.actor is None:
        messages.error(result.message)
        return
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACTOR_KEY] = result.actor
    st.session_state[LAST_ACTIVE_KEY] = now_utc()
    st.rerun()


@st.fragment(run_every=timedelta(seconds=60))
def idle_watch() -> None:
    """Every minute, sign out a session that has been idle too long, even if nobody touches it."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is not None and _expired(actor):
        st.rerun(scope="app")


def sidebar(actor: Actor, links: list[tuple[str, st.Page]]) -> None:
    """The views this actor may use, by group; who is signed in; the logout button."""
    if token := st.session_state.get(TOKEN_KEY):
        session_cookie(sessions.COOKIE_NAME, token)
    with st.sidebar:
        group = None
        for link_group, page in links:
            if link_group != group:
                st.caption(link_group)
                group = link_group
            st.page_link(page)
        st.divider()
        st.caption(SIGNED_IN_AS.format(name=actor.display_name, role=actor.role_label, unit=actor.unit_name))
        if load_settings().auth_mode == "local" and st.button(LOGOUT, key="logout", icon=":material/logout:"):
            sign_out()
            st.rerun()
        idle_watch()


def actor() -> Actor:
    """The signed-in actor of this run (app.py lets no page run without one)."""
    return st.session_state[ACTOR_KEY]


@contextmanager
def refusals() -> Iterator[None]:
    """Show a service's refusal or a validation message as a clear Chinese error and stop the page."""
    try:
        yield
    except AccessDenied as denied:
        st.error(str(denied), icon=":material/block:")
        st.stop()
