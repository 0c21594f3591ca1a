"""Browser sessions that survive a page refresh: a random token in a cookie, its hash in the database."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from db.models import AppUser, LoginSession
from services import audit
from services.access.actor import Actor
from services.access.auth import actor_for
from services.shared.timeutil import now_utc
from vocabulary import AuditAction, Role

COOKIE_NAME = "fanzha_session"
MAX_SESSION_AGE = timedelta(hours=12)  # one duty shift; the wall display is exempt
TOUCH_EVERY = timedelta(minutes=1)


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
    actor = actor_for(session, user, client_addr)
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
