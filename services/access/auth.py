"""Local accounts: argon2 password hashes, password policy, throttled logins, user management."""

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlmodel import Session

from db.models import AppUser, Unit
from services import audit
from services.access import login_throttle
from services.access.actor import AccessDenied, Actor
from services.access.password_policy import is_common, is_keyboard_pattern
from services.access.permissions import Permission
from services.access.text import (
    ACCESS_DENIED,
    DISPLAY_NAME_REQUIRED,
    LOGIN_EMPTY,
    LOGIN_FAILED,
    NOT_FOUND_OR_OUT_OF_SCOPE,
    OUT_OF_SCOPE,
    PASSWORD_CLASSES,
    PASSWORD_COMMON,
    PASSWORD_CONTAINS_USERNAME,
    PASSWORD_KEYBOARD,
    PASSWORD_MISMATCH,
    PASSWORD_TOO_SHORT,
    PASSWORD_WRONG_CURRENT,
    UNIT_REQUIRED,
    USERNAME_INVALID,
    USERNAME_TAKEN,
)
from services.audit.text import (
    AUDIT_DETAIL_ADDRESS_BLOCKED,
    AUDIT_DETAIL_INACTIVE,
    AUDIT_DETAIL_LOCKED,
    AUDIT_DETAIL_NOW_LOCKED,
    AUDIT_DETAIL_PASSWORD_RESET,
    AUDIT_DETAIL_UNKNOWN_USER,
    AUDIT_DETAIL_UNLOCK,
    AUDIT_DETAIL_WRONG_PASSWORD,
)
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from vocabulary import AuditAction, Role

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_CLASSES = 3
USERNAME_PATTERN = re.compile(r"^[a-z0-9_.]{3,32}$")
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login with an unknown user name like a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password under the policy (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(PASSWORD_TOO_SHORT.format(length=MIN_PASSWORD_LENGTH))
    classes = sum(bool(re.search(p, password)) for p in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if classes < MIN_PASSWORD_CLASSES:
        problems.append(PASSWORD_CLASSES.format(classes=MIN_PASSWORD_CLASSES))
    if username and username.lower() in password.lower():
        problems.append(PASSWORD_CONTAINS_USERNAME)
    if is_common(password):
        problems.append(PASSWORD_COMMON)
    elif is_keyboard_pattern(password):
        problems.append(PASSWORD_KEYBOARD)
    return problems


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginResult:
    """Either an actor, or a Chinese message saying why not."""

    actor: Actor | None
    message: str | None = None


def actor_for(session: Session, user: AppUser, client_addr: str | None) -> Actor:
    """The Actor of a stored user."""
    unit = session.get(Unit, user.unit_id)
    return Actor(user.id, user.username, user.display_name, Role(user.role), unit.id, unit.path, unit.name, client_addr)


def _user(session: Session, username: str) -> AppUser | None:
    return session.execute(select(AppUser).where(AppUser.username == username)).scalar_one_or_none()


def authenticate(session: Session, username: str, password: str, client_addr: str | None,
                 now: datetime | None = None) -> LoginResult:
    """Check a login inside the caller's write transaction; every failure looks the same to the user.

    Exactly one argon2 verification runs on every path (against a dummy hash when the account is unknown,
    disabled or throttled), so the time taken does not tell which user names exist. Failures are throttled
    per (account, client address) and per address (services/access/login_throttle.py).
    """
    now = now or now_utc()
    username = username.strip().lower()
    if not username or not password:
        return LoginResult(None, LOGIN_EMPTY)
    user = _user(session, username)
    throttle = login_throttle.check(session, username, user.id if user else None, client_addr, now)
    usable = user is not None and user.is_active and not throttle.blocked
    if not _verify(user.password_hash if usable else None, password):
        audit.record(session, AuditAction.LOGIN_FAILED, username=username, client_addr=client_addr,
                     success=False, detail=_failure_detail(user, throttle))
        return LoginResult(None, LOGIN_FAILED)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    actor = actor_for(session, user, client_addr)
    audit.record(session, AuditAction.LOGIN, actor)
    return LoginResult(actor)


def _failure_detail(user: AppUser | None, throttle: login_throttle.Throttle) -> str:
    """Why a login failed, for the audit log only."""
    minutes = int(login_throttle.WINDOW.total_seconds() // 60)
    if user is None:
        return AUDIT_DETAIL_UNKNOWN_USER
    if not user.is_active:
        return AUDIT_DETAIL_INACTIVE
    if throttle.address_blocked:
        return AUDIT_DETAIL_ADDRESS_BLOCKED.format(minutes=minutes, attempts=login_throttle.ADDRESS_LIMIT)
    if throttle.account_locked:
        return AUDIT_DETAIL_LOCKED
    if throttle.account_failures + 1 >= login_throttle.ACCOUNT_ADDRESS_LIMIT:
        return AUDIT_DETAIL_NOW_LOCKED.format(attempts=login_throttle.ACCOUNT_ADDRESS_LIMIT, minutes=minutes)
    return AUDIT_DETAIL_WRONG_PASSWORD


def actor_by_username(session: Session, username: str, client_addr: str | None) -> Actor | None:
    """The actor for an active user name (trusted-header mode: the proxy has authenticated them)."""
    user = _user(session, username.strip().lower())
    if user is None or not user.is_active:
        return None
    return actor_for(session, user, client_addr)


def _validate_new_user(session: Session, username: str, display_name: str, password: str | None,
                       unit_id: int | None) -> dict[str, str]:
    errors = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = USERNAME_INVALID
    elif _user(session, username) is not None:
        errors["username"] = USERNAME_TAKEN.format(username=username)
    if not display_name.strip():
        errors["display_name"] = DISPLAY_NAME_REQUIRED
    if unit_id is None or session.get(Unit, unit_id) is None:
        errors["unit_id"] = UNIT_REQUIRED
    if password is not None and (problems := password_problems(password, username)):
        errors["password"] = " ".join(problems)
    return errors


def _require_admin_over(actor: Actor | None, session: Session, unit_id: int | None) -> None:
    if actor is None:
        return  # the command-line tool, run by whoever administers the server
    if not actor.can(Permission.MANAGE_USERS):
        raise AccessDenied(ACCESS_DENIED)
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is not None and not unit.path.startswith(actor.unit_path):
        raise AccessDenied(OUT_OF_SCOPE)


def create_user(session: Session, actor: Actor | None, *, username: str, display_name: str, role: Role,
                unit_id: int | None, password: str, password_hash: str | None = None) -> AppUser:
    """Add a local account (validated; audited); actor None means the command-line tool.

    password_hash, when given, must be a hash of password (the demo hashes its shared password once).
    """
    username = username.strip().lower()
    _require_admin_over(actor, session, unit_id)
    if errors := _validate_new_user(session, username, display_name, password, unit_id):
        raise InvalidInput(errors)
    user = AppUser(username=username, display_name=display_name.strip(),
                   password_hash=password_hash or hash_password(password),
                   role=Role(role).value, unit_id=unit_id, created_at=now_utc())
    session.add(user)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="app_user", object_id=user.id,
                 detail=f"{username} {Role(Role(role)).label}", username=None if actor else "fanzha-cli")
    return user


def _managed_user(session: Session, actor: Actor | None, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id)
    if user is None:
        raise AccessDenied(NOT_FOUND_OR_OUT_OF_SCOPE)
    _require_admin_over(actor, session, user.unit_id)
    return user


def _end_sessions(session: Session, user_id: int) -> None:
    from services.access.login_sessions import end_all  # login_sessions builds on this module

    end_all(session, user_id)


def end_sessions(session: Session, actor: Actor | None, user_id: int) -> None:
    """Sign a user out everywhere: every open tab ends at its next check (administrators)."""
    user = _managed_user(session, actor, user_id)
    _end_sessions(session, user.id)
    audit.record(session, AuditAction.UPDATE, actor, object_type="app_user", object_id=user.id,
                 detail="结束所有会话", username=None if actor else "fanzha-cli")


def reset_password(session: Session, actor: Actor | None, user_id: int, password: str) -> None:
    """Set a new password for a user and lift any lock-out (administrators; see services/access/login_throttle.py)."""
    user = _managed_user(session, actor, user_id)
    if problems := password_problems(password, user.username):
        raise InvalidInput({"password": " ".join(problems)})
    user.password_hash, user.failed_logins, user.locked_until = hash_password(password), 0, None
    _end_sessions(session, user.id)
    audit.record(session, AuditAction.UPDATE, actor, object_type="app_user", object_id=user.id,
                 detail=AUDIT_DETAIL_PASSWORD_RESET, username=None if actor else "fanzha-cli")


def set_active(session: Session, actor: Actor | None, user_id: int, active: bool) -> None:
    """Enable or disable an account (administrators; never one's own)."""
    user = _managed_user(session, actor, user_id)
    if actor is not None and user.id == actor.user_id:
        raise AccessDenied(ACCESS_DENIED)
    user.is_active = active
    if not active:
        _end_sessions(session, user.id)
    audit.record(session, AuditAction.UPDATE, actor, object_type="app_user", object_id=user.id,
                 detail="启用账号" if active else "停用账号", username=None if actor else "fanzha-cli")


def unlock(session: Session, actor: Actor | None, user_id: int) -> None:
    """Lift a lock-out from every address (administrators; the audit record is what services/access/login_throttle.py reads)."""
    user = _managed_user(session, actor, user_id)
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, AuditAction.UPDATE, actor, object_type="app_user", object_id=user.id,
                 detail=AUDIT_DETAIL_UNLOCK, username=None if actor else "fanzha-cli")


def change_own_password(session: Session, actor: Actor, current: str, new: str, repeat: str) -> None:
    """A user changes their own password, proving the current one."""
    user = session.get(AppUser, actor.user_id)
    errors = {}
    if not _verify(user.password_hash, current):
        errors["current"] = PASSWORD_WRONG_CURRENT
    if new != repeat:
        errors["repeat"] = PASSWORD_MISMATCH
    if problems := password_problems(new, user.username):
        errors["new"] = " ".join(problems)
    if errors:
        raise InvalidInput(errors)
    user.password_hash = hash_password(new)
    audit.record(session, AuditAction.UPDATE, actor, object_type="app_user", object_id=user.id, detail="修改本人密码")


def list_users(session: Session, actor: Actor) -> list[tuple[AppUser, Unit]]:
    """Accounts of the administrator's subtree, with their units."""
    if not actor.can(Permission.MANAGE_USERS):
        raise AccessDenied(ACCESS_DENIED)
    rows = session.execute(
        select(AppUser, Unit).join(Unit, Unit.id == AppUser.unit_id)
        .where(Unit.path.startswith(actor.unit_path)).order_by(Unit.path, AppUser.username)
    ).all()
    return [(user, unit) for user, unit in rows]
