"""The sign-in gate of a browser session (UI layer): login form, cookie resume, idle timeout, re-checks, logout."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import streamlit as st
from sqlalchemy.exc import DBAPIError

import cached
from components.login import login_form
from components.session_cookie import clear_cookie, set_cookie
from services.access import api as access_api
from services.access.actor import AccessDenied, Actor
from services.access.client_address import client_address
from services.access.login_sessions import COOKIE_NAME
from services.access.text import (
    DATABASE_UNAVAILABLE,
    LOGGED_OUT_IDLE,
    LOGIN_HANDOFF_FAILED,
    LOGIN_IN_PROGRESS,
    LOGOUT,
    SIGNED_IN_AS,
    TRUSTED_HEADER_MISSING,
    TRUSTED_HEADER_UNKNOWN,
)
from services.shared.config import load_settings
from services.shared.timeutil import now_utc
from services.wall import api as wall_api
from services.wall.devices import WALL_COOKIE
from vocabulary import Role

ACTOR_KEY = "fanzha_actor"
LAST_ACTIVE_KEY = "fanzha_last_active"
LAST_TOUCH_KEY = "fanzha_last_touch"
LAST_CHECK_KEY = "fanzha_last_check"
HANDOFF_KEY = "fanzha_cookie_handoff"
CLEAR_COOKIE_KEY = "fanzha_clear_cookie"
FLASH_KEY = "fanzha_flash"
DEVICE_ENDED_KEY = "fanzha_wall_device_ended"
DEVICE_TOUCH_KEY = "fanzha_wall_device_touch"
HANDOFF_PATIENCE = timedelta(seconds=10)  # show the page anyway if the browser never answers
TOUCH_EVERY = timedelta(minutes=1)
log = logging.getLogger(__name__)


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


def _forget() -> Actor | None:
    for key in (LAST_ACTIVE_KEY, LAST_TOUCH_KEY, LAST_CHECK_KEY, HANDOFF_KEY):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE_KEY] = True
    return st.session_state.pop(ACTOR_KEY, None)


def sign_out(flash: str | None = None, detail: str | None = None) -> None:
    """End the session (audited, its cookie removed) and return to the login form with an optional notice."""
    actor = _forget()
    if actor is not None:
        access_api.sign_out(cached.engine(), actor, detail=detail)
    if flash:
        st.session_state[FLASH_KEY] = flash


def _trusted_header_actor() -> Actor | None:
    username = st.user.get("username") if st.user else None
    if not username:
        st.error(TRUSTED_HEADER_MISSING)
        return None
    actor = access_api.sign_in_trusted(cached.engine(), username, client_addr())
    if actor is None:
        st.error(TRUSTED_HEADER_UNKNOWN.format(username=username))
    return actor


def _resume_from_cookie() -> Actor | None:
    token = st.context.cookies.get(COOKIE_NAME)
    if not isinstance(token, str) or not token or st.session_state.get(CLEAR_COOKIE_KEY):
        return None
    return access_api.resume(cached.engine(), token, client_addr(), timedelta(minutes=load_settings().idle_minutes))


def _resume_device() -> Actor | None:
    """A wall device's cookie: its read-only wall actor, or (revoked, expired) the reason its screen shows instead."""
    token = st.context.cookies.get(WALL_COOKIE)
    if not isinstance(token, str) or not token:
        return None
    result = wall_api.device_resume(cached.engine(), token, client_addr())
    if result.actor is None:
        st.session_state[DEVICE_ENDED_KEY] = result.reason
    return result.actor


def device_ended() -> str | None:
    """Why this browser's wall device may no longer show anything (shown alone, no login form), or None."""
    return st.session_state.get(DEVICE_ENDED_KEY)


def _end_device(reason: str) -> None:
    _forget()
    st.session_state.pop(CLEAR_COOKIE_KEY, None)  # the device cookie stays: a restarted TV shows the message again
    st.session_state[DEVICE_ENDED_KEY] = reason


def device_still_valid(actor: Actor) -> bool:
    """A wall device's screen asks on every refresh whether its device still holds (a cheap read); notes it as seen."""
    if actor.wall_device_id is None:
        return True
    if reason := wall_api.device_ended_because(cached.engine(), actor.wall_device_id):
        _end_device(reason)
        return False
    now = now_utc()
    if _due(DEVICE_TOUCH_KEY, TOUCH_EVERY, now):
        wall_api.device_touch(cached.engine(), actor.wall_device_id, client_addr())
        st.session_state[DEVICE_TOUCH_KEY] = now
    return True


def _due(key: str, every: timedelta, now: datetime) -> bool:
    last = st.session_state.get(key)
    return last is None or now - last >= every


def _still_signed_in(actor: Actor) -> bool:
    """At most every FANZHA_SESSION_CHECK_SECONDS, ask the database whether this sign-in still holds."""
    now = now_utc()
    if not _due(LAST_CHECK_KEY, timedelta(seconds=load_settings().session_check_seconds), now):
        return True
    st.session_state[LAST_CHECK_KEY] = now
    if actor.wall_device_id is not None:
        return device_still_valid(actor)
    if reason := access_api.ended_because(cached.engine(), actor):
        sign_out(flash=reason, detail=access_api.ENDED_DETAIL)
        return False
    return True


def still_signed_in(actor: Actor) -> bool:
    """Whether a page that draws no sidebar (the wall) still holds its sign-in (asked at the check interval)."""
    return _still_signed_in(actor)


def _touch_if_due(actor: Actor) -> None:
    now = now_utc()
    if actor.login_session_id is not None and _due(LAST_TOUCH_KEY, TOUCH_EVERY, now):
        access_api.touch(cached.engine(), actor.login_session_id, now)
        st.session_state[LAST_TOUCH_KEY] = now


def current_actor() -> Actor | None:
    """The signed-in actor, or None; a refreshed tab resumes by cookie; an idle or ended sign-in is signed out."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is not None and _expired(actor):
        sign_out(flash=LOGGED_OUT_IDLE.format(minutes=load_settings().idle_minutes), detail=access_api.IDLE_DETAIL)
        return None
    if actor is None:
        if device_ended():
            return None
        trusted = load_settings().auth_mode == "trusted_header"
        # A wall device's cookie wins: the TV never has an account, and its link may be opened where no one is.
        actor = _resume_device()
        if actor is None and not device_ended():
            actor = _trusted_header_actor() if trusted else _resume_from_cookie()
        if actor is None:
            return None
        st.session_state[ACTOR_KEY] = actor
        st.session_state[LAST_CHECK_KEY] = now_utc()
    if not _still_signed_in(actor):
        return None
    st.session_state[LAST_ACTIVE_KEY] = now_utc()
    _touch_if_due(actor)
    return actor


def login_view() -> None:
    """The login form; on success the same URL (page and filters) reruns signed in."""
    if load_settings().auth_mode == "trusted_header":
        return  # the proxy authenticates; current_actor() has already said what is wrong
    if st.session_state.get(CLEAR_COOKIE_KEY):
        clear_cookie("signed-out")
    # The notice stays until the next attempt: the cookie's removal reruns the page once more.
    submitted, messages = login_form(flash=st.session_state.get(FLASH_KEY), demo_hint=cached.is_demo())
    if submitted is None:
        return
    st.session_state.pop(FLASH_KEY, None)
    username, password = submitted
    result, code = access_api.sign_in(cached.engine(), username, password, client_addr())
    if result.actor is None:
        messages.error(result.message)
        return
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    st.session_state[ACTOR_KEY] = result.actor
    st.session_state[HANDOFF_KEY] = (code, now_utc())
    st.session_state[LAST_ACTIVE_KEY] = st.session_state[LAST_CHECK_KEY] = now_utc()
    st.rerun()


def cookie_ready() -> bool:
    """Right after signing in, hold the page until the server has set the session cookie (a refresh keeps the
    sign-in); a browser that never answers gets the page after a few seconds anyway."""
    # The handoff's component always has a slot of its own: when it leaves after the handoff, the page's elements
    # below keep their place, so the first rerun after signing in does not redraw (and empty) a box being typed in.
    slot = st.empty()
    pending = st.session_state.get(HANDOFF_KEY)
    if pending is None:
        return True
    code, since = pending
    with slot:
        answer = set_cookie(code)
    if answer is None and now_utc() - since < HANDOFF_PATIENCE:
        st.caption(LOGIN_IN_PROGRESS)
        _handoff_wait()
        return False
    st.session_state.pop(HANDOFF_KEY, None)
    if answer is False:
        st.session_state[FLASH_KEY] = LOGIN_HANDOFF_FAILED
    return True


@st.fragment(run_every=timedelta(seconds=2))
def _handoff_wait() -> None:
    """While the browser has not answered, look again every two seconds (up to HANDOFF_PATIENCE)."""
    if now_utc() - st.session_state.get(HANDOFF_KEY, (None, now_utc()))[1] >= HANDOFF_PATIENCE:
        st.rerun(scope="app")


def _watch_every() -> timedelta:
    return timedelta(seconds=load_settings().session_check_seconds)


@st.fragment(run_every=_watch_every())
def session_watch() -> None:
    """Every check interval, end an idle or no-longer-valid sign-in even if nobody touches the tab."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is None or _expired(actor) or not _still_signed_in(actor):
        st.rerun(scope="app")


def sidebar(actor: Actor, links: list[tuple[str, st.Page]]) -> None:
    """The views this actor may use, by group; who is signed in; the logout button."""
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
        session_watch()


def actor() -> Actor:
    """The signed-in actor of this run (app.py lets no page run without one)."""
    return st.session_state[ACTOR_KEY]


@contextmanager
def refusals() -> Iterator[None]:
    """Show a service's refusal as a clear Chinese error and stop the page."""
    try:
        yield
    except AccessDenied as denied:
        st.error(str(denied), icon=":material/block:")
        st.stop()


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached gets a Chinese message, not a traceback; the next action tries again."""
    try:
        yield
    except DBAPIError:
        log.exception("database unavailable")
        st.cache_resource.clear()  # the next run builds a fresh engine
        st.error(DATABASE_UNAVAILABLE, icon=":material/cloud_off:")
        st.stop()
