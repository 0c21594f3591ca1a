"""Accounts and sign-in as pages use them: each call is one transaction of its own."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from services import audit
from services.access import auth, login_sessions
from services.access.actor import Actor
from services.access.auth import LoginResult
from services.shared.timeutil import now_utc
from services.shared.unit_of_work import reading, writing
from vocabulary import AuditAction, Role

TRUSTED_HEADER_DETAIL = "统一认证"
TRUSTED_HEADER_UNKNOWN_DETAIL = "统一认证用户未开通"
IDLE_DETAIL = "超时自动退出"
ENDED_DETAIL = "登录已失效"


@dataclass(frozen=True)
class UserRow:
    """An account as the user administration lists it."""

    id: int
    username: str
    display_name: str
    role: Role
    unit_name: str
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > now_utc()


def sign_in(engine: Engine, username: str, password: str, client_addr: str | None) -> tuple[LoginResult, str | None]:
    """Check a password; on success start a login session and return a one-time code for its cookie (audited)."""
    def _sign_in(session: Session) -> tuple[LoginResult, str | None]:
        result = auth.authenticate(session, username, password, client_addr)
        if result.actor is None:
            return result, None
        token = login_sessions.start(session, result.actor)
        session.flush()
        session_id = login_sessions.session_id(session, token)
        actor = replace(result.actor, login_session_id=session_id)
        return replace(result, actor=actor), login_sessions.handoff(session, session_id)
    return writing(engine, _sign_in)


def cookie_token(engine: Engine, code: str) -> str | None:
    """The HttpOnly cookie's token for a page's one-time code, or None when the code is unknown, used or late."""
    return writing(engine, login_sessions.redeem, code)


def sign_out_cookie(engine: Engine, token: str | None) -> None:
    """End the login session a cookie holds (the server clears the cookie in the same answer)."""
    writing(engine, login_sessions.end, token)


def sign_in_trusted(engine: Engine, username: str, client_addr: str | None) -> Actor | None:
    """The actor of a user the reverse proxy vouches for, or None when the account is not set up (audited)."""
    def _sign_in(session: Session) -> Actor | None:
        actor = auth.actor_by_username(session, username, client_addr)
        if actor is None:
            audit.record(session, AuditAction.LOGIN_FAILED, username=username, client_addr=client_addr,
                         success=False, detail=TRUSTED_HEADER_UNKNOWN_DETAIL)
        else:
            audit.record(session, AuditAction.LOGIN, actor, detail=TRUSTED_HEADER_DETAIL)
        return actor
    return writing(engine, _sign_in)


def resume(engine: Engine, token: str, client_addr: str | None, idle: timedelta) -> Actor | None:
    """The actor of a still-valid login session token, or None."""
    return writing(engine, login_sessions.resume, token, client_addr, idle)


def ended_because(engine: Engine, actor: Actor) -> str | None:
    """Why an open tab's sign-in no longer holds, or None while it does (a cheap read, asked every 30 s)."""
    return reading(engine, login_sessions.ended_because, actor)


def touch(engine: Engine, login_session_id: int, now: datetime) -> None:
    """Note that a login session is still in use."""
    writing(engine, login_sessions.touch_id, login_session_id, now)


def sign_out(engine: Engine, actor: Actor, detail: str | None = None) -> None:
    """End the actor's login session (audited, with why when it was not the user's own choice)."""
    def _sign_out(session: Session) -> None:
        login_sessions.end_id(session, actor.login_session_id)
        audit.record(session, AuditAction.LOGOUT, actor, detail=detail)
    writing(engine, _sign_out)


def change_own_password(engine: Engine, actor: Actor, current: str, new: str, repeat: str) -> None:
    """A user changes their own password (refusals by field as InvalidInput)."""
    writing(engine, auth.change_own_password, actor, current, new, repeat)


def users(engine: Engine, actor: Actor) -> list[UserRow]:
    """The accounts of the administrator's subtree."""
    rows = reading(engine, auth.list_users, actor)
    return [UserRow(u.id, u.username, u.display_name, Role(u.role), unit.name, u.is_active, u.locked_until,
                    u.last_login_at) for u, unit in rows]


def create_user(engine: Engine, actor: Actor, **fields) -> None:
    """Create an account in the administrator's subtree (fields as `auth.create_user` takes them)."""
    writing(engine, auth.create_user, actor, **fields)


def reset_password(engine: Engine, actor: Actor, user_id: int, password: str) -> None:
    """Set a new password for an account the administrator manages."""
    writing(engine, auth.reset_password, actor, user_id, password)


def set_active(engine: Engine, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable an account the administrator manages."""
    writing(engine, auth.set_active, actor, user_id, active)


def end_sessions(engine: Engine, actor: Actor, user_id: int) -> None:
    """Sign a user out everywhere (their open tabs end at the next check)."""
    writing(engine, auth.end_sessions, actor, user_id)


def unlock(engine: Engine, actor: Actor, user_id: int) -> None:
    """Lift the lock-out of an account the administrator manages."""
    writing(engine, auth.unlock, actor, user_id)
