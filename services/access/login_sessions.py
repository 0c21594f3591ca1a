"""Browser sessions that survive a page refresh: a random token in a cookie, its hash in the database."""

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from db.models import AppUser, LoginSession
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.auth import actor_for
from services.access.text import SESSION_ENDED_DISABLED, SESSION_ENDED_EXPIRED, SESSION_ENDED_REVOKED
from services.shared.timeutil import now_utc
from vocabulary import AuditAction, Role

COOKIE_NAME = "fanzha_session"
MAX_SESSION_AGE = timedelta(hours=12)  # one duty shift; the wall display is exempt
TOUCH_EVERY = timedelta(minutes=1)
HANDOFF_VALID = timedelta(seconds=60)  # the page hands its code to the server right after signing in


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, actor: Actor, now: datetime | None = None) -> str:
    """Record a new signed-in session and return the token for the browser's cookie."""
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_hash(token), user_id=actor.user_id, created_at=now, last_seen_at=now,
                             client_addr=actor.client_addr))
    return token


def _expired(row: LoginSession, role: Role, idle: timedelta, now: datetime) -> bool:
    if role is Role.WALL:
        return False
    return now - row.last_seen_at > idle or now - row.created_at > MAX_SESSION_AGE


def resume(session: Session, token: str | None, client_addr: str | None, idle: timedelta,
           now: datetime | None = None) -> Actor | None:
    """The actor of a still-valid session token (audited as a resumed session, not a login), or None."""
    if not token:
        return None
    now = now or now_utc()
    row = session.execute(select(LoginSession).where(LoginSession.token_hash == _hash(token))).scalar_one_or_none()
    if row is None or row.ended_at is not None:
        return None
    user = session.get(AppUser, row.user_id)
    locked = user.locked_until is not None and user.locked_until > now
    if not user.is_active or locked or _expired(row, Role(user.role), idle, now):
        row.ended_at = now
        return None
    row.last_seen_at = now
    actor = replace(actor_for(session, user, client_addr), login_session_id=row.id)
    audit.record(session, AuditAction.SESSION_RESUMED, actor, detail="凭会话恢复（刷新或新标签页）")
    return actor


def touch(session: Session, token: str, now: datetime | None = None) -> None:
    """Note activity on a session (callers do this at most once a minute)."""
    session.execute(update(LoginSession).where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
                    .values(last_seen_at=now or now_utc()))


def end(session: Session, token: str | None, now: datetime | None = None) -> None:
    """End a session so its cookie no longer signs anyone in."""
    if token:
        session.execute(update(LoginSession).where(LoginSession.token_hash == _hash(token))
                        .values(ended_at=now or now_utc()))


def session_id(session: Session, token: str) -> int | None:
    """The id of the login session a token belongs to."""
    return session.execute(select(LoginSession.id).where(LoginSession.token_hash == _hash(token))).scalar_one_or_none()


def end_all(session: Session, user_id: int, now: datetime | None = None) -> None:
    """End every open session of a user (password reset, account disabled, forced sign-out)."""
    session.execute(update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
                    .values(ended_at=now or now_utc()))


def ended_because(session: Session, actor: Actor, idle: timedelta | None = None,
                  now: datetime | None = None) -> str | None:
    """Why an open tab's sign-in no longer holds (Chinese, for the user), or None while it does.

    A browser session ends when it is signed out, revoked, its password reset, or it is older than a shift;
    any sign-in ends when the account is disabled. Reads only: cheap enough to ask every 30 seconds.
    """
    now = now or now_utc()
    user = session.get(AppUser, actor.user_id)
    if user is None or not user.is_active:
        return SESSION_ENDED_DISABLED
    if actor.login_session_id is None:
        return None
    row = session.get(LoginSession, actor.login_session_id)
    if row is None or row.ended_at is not None:
        return SESSION_ENDED_REVOKED
    if _expired(row, Role(user.role), idle or MAX_SESSION_AGE, now):
        return SESSION_ENDED_EXPIRED
    return None


def require_live(session: Session, actor: Actor) -> None:
    """Refuse a write on behalf of a sign-in that no longer holds (checked in the write's own transaction)."""
    if actor.user_id and (reason := ended_because(session, actor)):
        raise AccessDenied(reason)


def handoff(session: Session, login_session_id: int, now: datetime | None = None) -> str:
    """A one-time code for a signed-in page to give the server, which answers with the session's HttpOnly cookie."""
    code = secrets.token_urlsafe(32)
    row = session.get(LoginSession, login_session_id)
    row.handoff_hash, row.handoff_expires_at = _hash(code), (now or now_utc()) + HANDOFF_VALID
    return code


def redeem(session: Session, code: str, now: datetime | None = None) -> str | None:
    """Exchange a handoff code, once and in time, for a fresh cookie token of its open session (None: refused)."""
    now = now or now_utc()
    row = session.execute(select(LoginSession).where(LoginSession.handoff_hash == _hash(code))).scalar_one_or_none()
    if row is None or row.ended_at is not None or row.handoff_expires_at is None or row.handoff_expires_at < now:
        return None
    token = secrets.token_urlsafe(32)  # the token exists only in the cookie from here on; the page never reads it
    row.token_hash, row.handoff_hash, row.handoff_expires_at, row.last_seen_at = _hash(token), None, None, now
    return token


def touch_id(session: Session, login_session_id: int, now: datetime | None = None) -> None:
    """Note activity on a session by its id (callers do this at most once a minute)."""
    session.execute(update(LoginSession).where(LoginSession.id == login_session_id, LoginSession.ended_at.is_(None))
                    .values(last_seen_at=now or now_utc()))


def end_id(session: Session, login_session_id: int | None, now: datetime | None = None) -> None:
    """End a session by its id (sign-out from the page; its cookie no longer signs anyone in)."""
    if login_session_id is not None:
        session.execute(update(LoginSession).where(LoginSession.id == login_session_id, LoginSession.ended_at.is_(None))
                        .values(ended_at=now or now_utc()))
