"""Jurisdiction scope: a user sees and changes only their unit and the units below it."""

from sqlalchemy import func, select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import Unit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.text import ACCESS_DENIED, OUT_OF_SCOPE


def require(actor: Actor, permission: Permission) -> None:
    """Refuse unless the actor's role carries the permission."""
    if not actor.can(permission):
        raise AccessDenied(ACCESS_DENIED)


def in_scope(actor: Actor, unit: Unit) -> bool:
    """Whether a unit is the actor's own or below it."""
    return unit.path.startswith(actor.unit_path)


def scoped_unit_ids(actor: Actor):
    """A subquery of the ids of every unit in the actor's scope, for `column.in_(...)` filters."""
    return select(Unit.id).where(Unit.path.startswith(actor.unit_path)).scalar_subquery()


def visible_units(session: Session, actor: Actor) -> list[Unit]:
    """The actor's unit and every unit below it, in tree order."""
    statement = (
        select(Unit).options(defer(Unit.boundary_geojson)).where(Unit.path.startswith(actor.unit_path))
        .order_by(Unit.level, Unit.sort_order, Unit.id)
    )
    return list(session.execute(statement).scalars())


def scoped_unit(session: Session, actor: Actor, unit_id: int | None) -> Unit:
    """The requested unit if within scope (default: the actor's own); otherwise refused."""
    unit = session.get(Unit, actor.unit_id if unit_id is None else unit_id)
    if unit is None or not in_scope(actor, unit):
        raise AccessDenied(OUT_OF_SCOPE)
    return unit


def at_top(session: Session, actor: Actor) -> bool:
    """Whether the actor's unit is at the top of the tree: a root unit at the level of the highest root(s)."""
    unit = session.get(Unit, actor.unit_id)
    if unit is None or unit.parent_id is not None:
        return False
    return unit.level == session.execute(select(func.min(Unit.level)).where(Unit.parent_id.is_(None))).scalar()
