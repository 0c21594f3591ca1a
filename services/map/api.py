"""The case-map operations a page calls with the engine: each call is one transaction of its own."""

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.audit import trail
from services.map.read import MapFilter, depth_options, jurisdiction_measures, unit_table_cells
from services.map.text import (
    MAP_EXPORT_AUDIT_DETAIL,
    MAP_EXPORT_FILTER_BY,
    MAP_EXPORT_FILTER_COMPARED,
    MAP_EXPORT_FILTER_PERIOD,
    MAP_EXPORT_SHEET,
    MAP_PERIOD_DAYS,
)
from services.shared.export_cells import xlsx_bytes
from services.shared.timeutil import period_between
from services.shared.unit_of_work import reading, writing
from vocabulary import AuditAction


def depths(engine: Engine, actor: Actor, unit_id: int | None) -> list[int]:
    """The depths worth offering for a unit in the actor's scope (none for a station)."""
    return reading(engine, depth_options, actor, unit_id)


def export_filters(criteria: MapFilter, shown: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The filter rows of an export: what the page shows (unit, depth, type, band...), then the exact days compared."""
    current, previous = period_between(criteria.start, criteria.end), period_between(*criteria.previous)
    return [*shown,
            (MAP_EXPORT_FILTER_PERIOD, MAP_PERIOD_DAYS.format(start=current.first_day, end=current.last_day)),
            (MAP_EXPORT_FILTER_COMPARED, MAP_PERIOD_DAYS.format(start=previous.first_day, end=previous.last_day))]


def _export_units(session: Session, actor: Actor, criteria: MapFilter, shown: list[tuple[str, str]]) -> bytes:
    measures = jurisdiction_measures(session, actor, criteria)  # scope and permission checked here
    header, rows = unit_table_cells(measures)
    filters = export_filters(criteria, shown)
    trail.record(session, AuditAction.EXPORT, actor, object_type="unit", object_id=criteria.unit_id,
                 detail=MAP_EXPORT_AUDIT_DETAIL.format(rows=len(rows), filters="；".join(f"{k}：{v}" for k, v in filters)))
    return xlsx_bytes(MAP_EXPORT_SHEET, [*filters, (MAP_EXPORT_FILTER_BY, actor.username)], header, rows)


def export_unit_table(engine: Engine, actor: Actor, criteria: MapFilter, shown: list[tuple[str, str]]) -> bytes:
    """The map's unit table for these filters as XLSX (filters first); the export is audited in the same transaction.

    `shown` are the page's filter labels as the user sees them (单位, 显示层级, 诈骗类型, 损失金额, 着色指标).
    """
    return writing(engine, _export_units, actor, criteria, shown)
