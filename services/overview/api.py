"""The 总览 operations a page calls with the engine: each call is one transaction of its own."""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.audit import trail
from services.overview.read import branch_table, build_overview
from services.overview.text import (
    EXPORT_AUDIT_DETAIL,
    EXPORT_FILTER_AS_OF,
    EXPORT_FILTER_BY,
    EXPORT_FILTER_COMPARED,
    EXPORT_FILTER_PERIOD,
    EXPORT_FILTER_UNIT,
    EXPORT_SHEET_BRANCHES,
    PERIOD_DAYS,
)
from services.shared.export_cells import xlsx_bytes
from services.shared.timeutil import Period, to_shanghai
from services.shared.unit_of_work import writing
from vocabulary import AuditAction


def _days(period: Period) -> str:
    return PERIOD_DAYS.format(start=period.first_day, end=period.last_day)


def _export_branches(session: Session, actor: Actor, moment: datetime, unit_id: int | None) -> bytes:
    overview = build_overview(session, moment, actor, unit_id)  # scope and permission checked here
    header, rows = branch_table(overview)
    filters = [
        (EXPORT_FILTER_UNIT, overview.root_name),
        (EXPORT_FILTER_PERIOD, _days(overview.month_period)),
        (EXPORT_FILTER_COMPARED, _days(overview.previous_period)),
        (EXPORT_FILTER_AS_OF, f"{to_shanghai(overview.as_of):%Y-%m-%d %H:%M}"),
        (EXPORT_FILTER_BY, actor.username),
    ]
    trail.record(session, AuditAction.EXPORT, actor, object_type="unit", object_id=overview.root_id,
                 detail=EXPORT_AUDIT_DETAIL.format(branch=overview.branch_label, rows=len(rows)))
    return xlsx_bytes(EXPORT_SHEET_BRANCHES, filters, header, rows)


def export_branch_table(engine: Engine, actor: Actor, moment: datetime, unit_id: int | None) -> bytes:
    """The overview's branch table at `moment` (the minute the page shows) as XLSX; the export is audited with it."""
    return writing(engine, _export_branches, actor, moment, unit_id)
