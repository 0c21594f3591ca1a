"""Wall devices: a TV signed in by a revocable random token (only its SHA-256 stored), read-only, masked, one unit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import Unit, WallDevice
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.shared.errors import InvalidInput
from services.shared.timeutil import day_start_utc, now_utc, shanghai_today
from services.wall.text import (
    AUDIT_DEVICE_CREATED,
    AUDIT_DEVICE_REFUSED,
    AUDIT_DEVICE_REVOKED,
    AUDIT_DEVICE_SIGN_IN,
    DEVICE_ENDED_EXPIRED,
    DEVICE_ENDED_REVOKED,
    DEVICE_EXPIRY_PAST,
    DEVICE_NAME_REQUIRED,
    DEVICE_NOT_FOUND,
    DEVICE_USERNAME,
    STATUS_ACTIVE,
    STATUS_EXPIRED,
    STATUS_REVOKED,
)
from vocabulary import AuditAction, Role

OBJECT_TYPE = "wall_device"
WALL_COOKIE = "fanzha_wall_device"  # holds the device token itself (HttpOnly); revocation is checked on every use
NAME_MAX = 64
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a device token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _ended(device: WallDevice, now: datetime) -> str | None:
    if device.revoked_at is not None:
        return DEVICE_ENDED_REVOKED
    if device.expires_at is not None and device.expires_at <= now:
        return DEVICE_ENDED_EXPIRED
    return None


def _status(device: WallDevice, now: datetime) -> str:
    reason = _ended(device, now)
    return STATUS_ACTIVE if reason is None else STATUS_REVOKED if reason == DEVICE_ENDED_REVOKED else STATUS_EXPIRED


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput({"name": DEVICE_NAME_REQUIRED})
    return name


def expiry_instant(expires_on: date | None, now: datetime) -> datetime | None:
    """A device valid through a Beijing day ends at the next midnight; that day must be today or later."""
    if expires_on is None:
        return None
    if expires_on < shanghai_today(now):
        raise InvalidInput({"expires": DEVICE_EXPIRY_PAST})
    return day_start_utc(expires_on + timedelta(days=1))


def new_token() -> str:
    """A fresh device token (also the key of the form that will create the device)."""
    return secrets.token_urlsafe(32)


def create(session: Session, actor: Actor, name: str, unit_id: int, expires_on: date | None,
           now: datetime | None = None, token: str | None = None) -> tuple[int, str]:
    """Create a device for a unit in the administrator's scope; returns its id and the token, shown once (audited).

    A form passes the token it drew when it was opened: submitted again (a double click, a rerun that interrupted the
    first), the device that token already made is returned, with the same link, and nothing more is created."""
    require(actor, Permission.MANAGE_USERS)
    now = now or now_utc()
    if token is not None:
        made = session.execute(select(WallDevice).where(WallDevice.token_hash == token_hash(token))).scalar_one_or_none()
        if made is not None:
            return _scoped_device(session, actor, made.id).id, token
    name = _check_name(name)
    expires_at = expiry_instant(expires_on, now)
    unit = scoped_unit(session, actor, unit_id)
    token = token or new_token()
    device = WallDevice(name=name, unit_id=unit.id, token_hash=token_hash(token), created_by=actor.username,
                        created_at=now, expires_at=expires_at)
    session.add(device)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type=OBJECT_TYPE, object_id=device.id,
                 detail=AUDIT_DEVICE_CREATED.format(name=name, unit=unit.name))
    return device.id, token


@dataclass(frozen=True)
class DeviceRow:
    """A device as the administrator lists it."""

    id: int
    name: str
    unit_name: str
    status: str
    active: bool
    created_by: str | None
    created_at: datetime
    expires_at: datetime | None
    last_seen_at: datetime | None
    last_seen_addr: str | None


def list_devices(session: Session, actor: Actor, now: datetime | None = None) -> list[DeviceRow]:
    """Devices of the administrator's subtree, newest first."""
    require(actor, Permission.MANAGE_USERS)
    now = now or now_utc()
    rows = session.execute(
        select(WallDevice, Unit.name).join(Unit, Unit.id == WallDevice.unit_id)
        .where(Unit.path.startswith(actor.unit_path)).order_by(WallDevice.created_at.desc(), WallDevice.id.desc())
    ).all()
    return [DeviceRow(d.id, d.name, unit_name, _status(d, now), _ended(d, now) is None, d.created_by, d.created_at,
                      d.expires_at, d.last_seen_at, d.last_seen_addr) for d, unit_name in rows]


def _scoped_device(session: Session, actor: Actor, device_id: int) -> WallDevice:
    device = session.get(WallDevice, device_id)
    unit = session.get(Unit, device.unit_id) if device is not None else None
    if unit is None or not unit.path.startswith(actor.unit_path):
        raise AccessDenied(DEVICE_NOT_FOUND)
    return device


def revoke(session: Session, actor: Actor, device_id: int, now: datetime | None = None) -> str:
    """Revoke a device in scope (its screen shows only a message from its next refresh); returns its name (audited)."""
    require(actor, Permission.MANAGE_USERS)
    device = _scoped_device(session, actor, device_id)
    if device.revoked_at is None:  # revoking twice changes nothing and records nothing
        device.revoked_at, device.revoked_by = now or now_utc(), actor.username
        audit.record(session, AuditAction.UPDATE, actor, object_type=OBJECT_TYPE, object_id=device.id,
                     detail=AUDIT_DEVICE_REVOKED.format(name=device.name))
    return device.name


def _device_actor(session: Session, device: WallDevice, client_addr: str | None) -> Actor:
    unit = session.get(Unit, device.unit_id)
    return Actor(0, DEVICE_USERNAME.format(id=device.id), device.name, Role.WALL, unit.id, unit.path, unit.name,
                 client_addr, wall_device_id=device.id)


@dataclass(frozen=True)
class DeviceSignIn:
    """The wall actor of a valid token, or the Chinese reason the screen must show instead."""

    actor: Actor | None
    reason: str | None = None
    expires_at: datetime | None = None


def sign_in(session: Session, token: str | None, client_addr: str | None, now: datetime | None = None,
            action: AuditAction = AuditAction.LOGIN) -> DeviceSignIn:
    """Check a device token (link opened or cookie resumed); note when and where it was seen (audited)."""
    now = now or now_utc()
    device = None
    if token:
        device = session.execute(select(WallDevice).where(WallDevice.token_hash == token_hash(token))
                                 ).scalar_one_or_none()
    reason = DEVICE_ENDED_REVOKED if device is None else _ended(device, now)
    if device is None or reason is not None:
        audit.record(session, AuditAction.LOGIN_FAILED, success=False, client_addr=client_addr,
                     object_type=OBJECT_TYPE, object_id=None if device is None else device.id,
                     detail=AUDIT_DEVICE_REFUSED)
        return DeviceSignIn(None, reason)
    device.last_seen_at, device.last_seen_addr = now, client_addr
    actor = _device_actor(session, device, client_addr)
    audit.record(session, action, actor, object_type=OBJECT_TYPE, object_id=device.id,
                 detail=AUDIT_DEVICE_SIGN_IN.format(name=device.name))
    return DeviceSignIn(actor, expires_at=device.expires_at)


def ended_because(session: Session, device_id: int, now: datetime | None = None) -> str | None:
    """Why a device's screen must stop showing data (revoked, expired, deleted), or None while it holds."""
    device = session.get(WallDevice, device_id)
    return DEVICE_ENDED_REVOKED if device is None else _ended(device, now or now_utc())


def touch(session: Session, device_id: int, client_addr: str | None, now: datetime | None = None) -> None:
    """Note that a device's screen is still showing (callers do this at most once a minute)."""
    device = session.get(WallDevice, device_id)
    if device is not None:
        device.last_seen_at, device.last_seen_addr = now or now_utc(), client_addr
