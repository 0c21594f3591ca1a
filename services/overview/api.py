"""The 总览 operations a page calls with the engine: each call is one transaction of its own."""

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.audit import trail
from services.overview import board
from services.overview.cells import days_text, view_cells
from services.overview.read import branch_table, build_overview
from services.overview.text import (
    EXPORT_AUDIT_DETAIL,
    EXPORT_FILTER_AS_OF,
    EXPORT_FILTER_BY,
    EXPORT_FILTER_COMPARED,
    EXPORT_FILTER_PERIOD,
    EXPORT_FILTER_PREVIOUS,
    EXPORT_FILTER_SPAN,
    EXPORT_FILTER_UNIT,
    EXPORT_FILTER_YEAR_AGO,
    EXPORT_SHEET_BRANCHES,
    EXPORT_SHEET_VIEW,
    EXPORT_VIEW_AUDIT,
    PERIOD_DAYS,
    SPAN_LABELS,
)
from services.shared.export_cells import csv_bytes, xlsx_bytes
from services.shared.timeutil import Period, Span, to_shanghai
from services.shared.unit_of_work import reading, writing
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


# ---------------------------------------------------------------- issue 14: the shared read models (总览 and 大屏)
def headline(engine: Engine, actor: Actor, moment: datetime, unit_id: int | None = None,
             span: Span | None = None) -> board.Headline:
    """Headline figures (今日 and 本月, or one span) with 同比/环比 and open items by level: one transaction."""
    return reading(engine, board.headline, actor, moment, unit_id, span)


def trend(engine: Engine, actor: Actor, last_day: date, days: int = 30, unit_id: int | None = None,
          first_day: date | None = None) -> board.Trend:
    """Daily cases and loss ending last_day (30 days, or from first_day) against the same days last year."""
    return reading(engine, board.trend, actor, last_day, days, unit_id, first_day)


def type_breakdown(engine: Engine, actor: Actor, period: Period, unit_id: int | None = None) -> list[board.TypeRow]:
    """Cases and loss by fraud type in a period."""
    return reading(engine, board.type_breakdown, actor, period, unit_id)


def branches(engine: Engine, actor: Actor, span: Span, unit_id: int | None = None) -> board.Branches:
    """Every branch with the total row: cases and loss with 同比 and 环比."""
    return reading(engine, board.branches, actor, span, unit_id)


def _export_view(session: Session, actor: Actor, moment: datetime, unit_id: int | None, span: Span,
                 fmt: str) -> bytes:
    require(actor, Permission.EXPORT)
    shown = board.view(session, actor, moment, unit_id, span)  # scope checked here
    header, rows = view_cells(*shown)
    headline = shown[0]
    filters = [
        (EXPORT_FILTER_UNIT, headline.root_name),
        (EXPORT_FILTER_SPAN, f"{SPAN_LABELS[span.kind]} {days_text(span.current)}"),
        (EXPORT_FILTER_YEAR_AGO, days_text(span.year_ago)),
        (EXPORT_FILTER_PREVIOUS, days_text(span.previous)),
        (EXPORT_FILTER_AS_OF, f"{to_shanghai(moment):%Y-%m-%d %H:%M}"),
        (EXPORT_FILTER_BY, actor.username),
    ]
    trail.record(session, AuditAction.EXPORT, actor, object_type="unit", object_id=headline.root_id,
                 detail=EXPORT_VIEW_AUDIT.format(span=days_text(span.current), fmt=fmt.upper(), rows=len(rows)))
    if fmt == "csv":
        return csv_bytes(list(filters[0]), [*(list(f) for f in filters[1:]), [], header, *rows])
    return xlsx_bytes(EXPORT_SHEET_VIEW, filters, header, rows)


def export_view(engine: Engine, actor: Actor, moment: datetime, unit_id: int | None, span: Span,
                fmt: str = "xlsx") -> bytes:
    """What the 总览 shows for a span (headline, open items, branches, types, trend) as XLSX or CSV; audited."""
    return writing(engine, _export_view, actor, moment, unit_id, span, "csv" if fmt == "csv" else "xlsx")
