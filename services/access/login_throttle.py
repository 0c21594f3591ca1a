"""Failed-login throttling read from the audit log: lock-out per (account, client address) and a per-address limit.

Counting per pair means nobody can lock an account (e.g. the administrator) out from another address; the
per-address limit across all accounts stops one address from guessing many accounts (password spraying).
Nothing is stored besides the audit records that every attempt writes anyway, so no table is needed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlmodel import Session

from db.models import AuditLog
from services.audit.text import AUDIT_DETAIL_PASSWORD_RESET, AUDIT_DETAIL_UNLOCK
from vocabulary import AuditAction

ACCOUNT_ADDRESS_LIMIT = 5  # wrong passwords for one account from one address within WINDOW lock that pair
ADDRESS_LIMIT = 20  # failed logins from one address, any accounts, within WINDOW block that address
WINDOW = timedelta(minutes=15)
# Administrator actions that lift a lock-out, as audited by services/access/auth.py.
RESET_DETAILS = (AUDIT_DETAIL_UNLOCK, AUDIT_DETAIL_PASSWORD_RESET)


@dataclass(frozen=True)
class Throttle:
    """Recent failures of this account from this address, and of this address overall."""

    account_failures: int
    address_failures: int

    @property
    def account_locked(self) -> bool:
        """Too many wrong passwords for this account from this address."""
        return self.account_failures >= ACCOUNT_ADDRESS_LIMIT

    @property
    def address_blocked(self) -> bool:
        """Too many failed logins from this address."""
        return self.address_failures >= ADDRESS_LIMIT

    @property
    def blocked(self) -> bool:
        """No password is checked for this attempt."""
        return self.account_locked or self.address_blocked


def _from(client_addr: str | None):
    return AuditLog.client_addr.is_(None) if client_addr is None else AuditLog.client_addr == client_addr


def _last_reset(session: Session, username: str, user_id: int | None, client_addr: str | None,
                since: datetime) -> datetime | None:
    """The last successful login of this account from this address, or unlock/password reset, within the window."""
    resets = [(AuditLog.action == AuditAction.LOGIN.value) & (AuditLog.username == username) & _from(client_addr)]
    if user_id is not None:
        resets.append((AuditLog.action == AuditAction.UPDATE.value) & (AuditLog.object_type == "app_user")
                      & (AuditLog.object_id == str(user_id)) & AuditLog.detail.in_(RESET_DETAILS))
    return session.execute(select(func.max(AuditLog.at)).where(AuditLog.at > since, or_(*resets))).scalar()


def _failures(session: Session, client_addr: str | None, since: datetime, now: datetime, username: str | None = None) -> int:
    statement = select(func.count()).select_from(AuditLog).where(
        AuditLog.action == AuditAction.LOGIN_FAILED.value, _from(client_addr), AuditLog.at > since, AuditLog.at <= now)
    if username is not None:
        statement = statement.where(AuditLog.username == username)
    return int(session.execute(statement).scalar())


def check(session: Session, username: str, user_id: int | None, client_addr: str | None, now: datetime) -> Throttle:
    """The throttle state for a login attempt (the same queries whether or not the account exists)."""
    since = now - WINDOW
    reset = _last_reset(session, username, user_id, client_addr, since)
    account_since = max(since, reset) if reset is not None else since
    return Throttle(_failures(session, client_addr, account_since, now, username), _failures(session, client_addr, since, now))
