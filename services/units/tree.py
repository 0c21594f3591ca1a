"""The unit tree: subtrees, roll-up of per-unit figures to a unit's children, adding units."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from db.models import Unit
from services.access.actor import Actor
from services.access.scope import visible_units
from services.access.text import UNIT_CODE_REQUIRED, UNIT_CODE_TAKEN, UNIT_NAME_REQUIRED, UNIT_PARENT_MISSING
from services.shared.errors import InvalidInput
from vocabulary import UnitKind


def path_ids(path: str) -> list[int]:
    """'/1/4/27/' → [1, 4, 27]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def is_jurisdiction(unit: Unit) -> bool:
    """Police units have jurisdictions, cases and figures; a campaign partner (学校、村委会…) only logs activities."""
    return unit.kind != UnitKind.PARTNER


def jurisdiction_choices(session: Session, actor: Actor) -> list[tuple[int, str, int]]:
    """(id, name, level) of the police units in the actor's scope, in tree order, for pickers about jurisdictions.

    Campaign partners are left out: they log activities on the 活动登记 page and nowhere else.
    """
    return [(u.id, u.name, u.level) for u in visible_units(session, actor) if is_jurisdiction(u)]


@dataclass(frozen=True)
class UnitTree:
    """All units, indexed for scope and roll-up questions."""

    units: dict[int, Unit]

    @classmethod
    def of(cls, units: list[Unit]) -> "UnitTree":
        return cls({unit.id: unit for unit in units})

    def roots(self) -> list[Unit]:
        """Units without a parent."""
        return self.ordered(u for u in self.units.values() if u.parent_id is None)

    def children(self, unit_id: int) -> list[Unit]:
        """Direct children of a unit that are jurisdictions, in display order (campaign partners are not)."""
        return self.ordered(u for u in self.units.values() if u.parent_id == unit_id and is_jurisdiction(u))

    def in_subtree(self, unit_id: int, root_id: int) -> bool:
        """Whether unit_id is root_id or below it."""
        unit = self.units.get(unit_id)
        return unit is not None and root_id in path_ids(unit.path)

    def subtree_ids(self, root_id: int) -> set[int]:
        """root_id and every unit below it."""
        return {uid for uid in self.units if self.in_subtree(uid, root_id)}

    def branch_of(self, unit_id: int, root_id: int) -> int | None:
        """The child of root_id whose subtree holds unit_id; root_id itself for the root; None outside."""
        ids = path_ids(self.units[unit_id].path) if unit_id in self.units else []
        if root_id not in ids:
            return None
        position = ids.index(root_id)
        return ids[position + 1] if position + 1 < len(ids) else root_id

    @staticmethod
    def ordered(units) -> list[Unit]:
        return sorted(units, key=lambda u: (u.sort_order, u.code))


def add_unit(session: Session, *, code: str, name: str, kind: UnitKind, parent_code: str | None) -> Unit:
    """Insert a unit under a parent (by code), keeping the materialised path right."""
    errors = {}
    if not code.strip():
        errors["code"] = UNIT_CODE_REQUIRED
    elif session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none() is not None:
        errors["code"] = UNIT_CODE_TAKEN.format(code=code)
    if not name.strip():
        errors["name"] = UNIT_NAME_REQUIRED
    parent = None
    if parent_code is not None:
        parent = session.execute(select(Unit).where(Unit.code == parent_code)).scalar_one_or_none()
        if parent is None:
            errors["parent"] = UNIT_PARENT_MISSING.format(code=parent_code)
    if errors:
        raise InvalidInput(errors)
    unit = Unit(code=code.strip(), name=name.strip(), full_name=name.strip(), kind=UnitKind(kind).value,
                level=parent.level + 1 if parent else 1, parent_id=parent.id if parent else None,
                division_code=code.strip() if code.strip().isdigit() else None, path="")
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit
