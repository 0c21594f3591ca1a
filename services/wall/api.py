"""The wall operations a page calls with the engine: each call is one transaction of its own."""

from datetime import date, datetime

from sqlalchemy import Engine

from services.access.actor import Actor
from services.shared.unit_of_work import reading, writing
from services.wall import devices
from services.wall.devices import DeviceRow, DeviceSignIn
from services.wall.read import Board, board, campaign_standing
from services.wall.standing import Standing
from vocabulary import AuditAction


def wall_board(engine: Engine, actor: Actor, moment: datetime, unit_id: int | None = None) -> Board:
    """The wall's figures for a unit in scope at an instant."""
    return reading(engine, board, actor, moment, unit_id)


def wall_standing(engine: Engine, actor: Actor, moment: datetime, unit_id: int | None = None) -> Standing | None:
    """The running campaign's ranking under the wall's unit, or None when no campaign runs."""
    return reading(engine, campaign_standing, actor, moment, unit_id)


def create_device(engine: Engine, actor: Actor, name: str, unit_id: int, expires_on: date | None,
                  token: str | None = None) -> tuple[int, str]:
    """Create a wall device; returns its id and its token (shown once, only the hash is kept). A form passes the
    token it drew (devices.new_token): the same token again returns the same device, created once."""
    return writing(engine, devices.create, actor, name, unit_id, expires_on, token=token)


def new_device_token() -> str:
    """The token a new-device form draws when it opens (it is the form's idempotency key)."""
    return devices.new_token()


def device_list(engine: Engine, actor: Actor) -> list[DeviceRow]:
    """The wall devices of the administrator's subtree."""
    return reading(engine, devices.list_devices, actor)


def revoke_device(engine: Engine, actor: Actor, device_id: int) -> str:
    """Revoke a wall device; returns its name."""
    return writing(engine, devices.revoke, actor, device_id)


def device_sign_in(engine: Engine, token: str | None, client_addr: str | None) -> DeviceSignIn:
    """A device link opened: the wall actor, or why not (audited)."""
    return writing(engine, devices.sign_in, token, client_addr)


def device_resume(engine: Engine, token: str | None, client_addr: str | None) -> DeviceSignIn:
    """A device's screen (re)opened with its cookie: the wall actor, or why not (audited as a resumed session)."""
    return writing(engine, devices.sign_in, token, client_addr, action=AuditAction.SESSION_RESUMED)


def device_ended_because(engine: Engine, device_id: int) -> str | None:
    """Why a device's screen must stop showing data, or None while it holds (a cheap read)."""
    return reading(engine, devices.ended_because, device_id)


def device_touch(engine: Engine, device_id: int, client_addr: str | None) -> None:
    """Note that a device's screen is still showing."""
    writing(engine, devices.touch, device_id, client_addr)
