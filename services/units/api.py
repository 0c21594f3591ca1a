"""Units as pages use them: each call is one transaction of its own."""

from sqlalchemy import Engine

from services.access.actor import Actor
from services.shared.unit_of_work import reading, writing
from services.units.boundary_import import (
    UnitImportOptions,
    UnitImportPlan,
    UnitImportResult,
    apply_unit_import,
    plan_unit_import,
)


def plan_import(engine: Engine, data: bytes | str, options: UnitImportOptions) -> UnitImportPlan:
    """Check every feature of a GeoJSON file and plan what its import would create or update."""
    return reading(engine, plan_unit_import, data, options)


def apply_import(engine: Engine, actor: Actor, plan: UnitImportPlan) -> UnitImportResult:
    """Carry out a planned jurisdiction import, all of it or nothing."""
    return writing(engine, apply_unit_import, actor, plan)
