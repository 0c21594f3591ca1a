"""The item list as the page shows it (one row format for the table and the XLSX export); the audited export."""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from services import audit
from services.access.actor import Actor
from services.access.scope import scoped_unit
from services.accountability.read import ItemFilter, ItemRow, level_label, page_items, unit_labels
from services.accountability.text import (
    ACC_EXPORT_AT,
    ACC_EXPORT_AUDIT,
    ACC_EXPORT_ROWS,
    ACC_EXPORT_TOTAL,
    ACC_FILTER_ALL,
    ACC_FILTER_FLAGGED,
    ACC_FILTER_LEVEL,
    ACC_FILTER_OPEN,
    ACC_FILTER_OVERDUE,
    ACC_FILTER_SOURCE,
    ACC_FILTER_STATUS,
    ACC_ITEM_COLUMNS,
    ACC_TITLE,
)
from services.shared.export_cells import xlsx_bytes
from services.shared.money import wan_figure
from services.shared.text import NO, UNIT_PICKER, YES
from services.shared.timeutil import to_shanghai
from vocabulary import AuditAction, ItemStatus

EXPORT_LIMIT = 10_000
ITEM_HEADER = list(ACC_ITEM_COLUMNS.values())


def item_cells(row: ItemRow) -> list[object]:
    """One item as the list shows it, in the order of ITEM_HEADER (the loss in 万元, never rounded up to a threshold);
    a campaign item has no case number and no loss: its reason stands where the case number would."""
    return [row.id, row.source.label, row.case_no or row.reason or "", row.unit_label or row.unit_name,
            "" if row.loss_fen is None else wan_figure(row.loss_fen), level_label(row.level),
            ItemStatus(row.status).label, row.due_date.isoformat(), row.days_overdue, YES if row.needs_review else ""]


def filter_rows(session: Session, actor: Actor, criteria: ItemFilter) -> list[tuple[str, str]]:
    """The list's filters as (name, value) rows, as the page shows them."""
    root = scoped_unit(session, actor, criteria.unit_id)
    return [
        (UNIT_PICKER, unit_labels(session, [root.id])[root.id]),
        (ACC_FILTER_SOURCE, criteria.source.label if criteria.source else ACC_FILTER_ALL),
        (ACC_FILTER_LEVEL, level_label(criteria.level) if criteria.level else ACC_FILTER_ALL),
        (ACC_FILTER_STATUS, ItemStatus(criteria.status).label if criteria.status else ACC_FILTER_ALL),
        (ACC_FILTER_OPEN, YES if criteria.open_only else NO),
        (ACC_FILTER_OVERDUE, YES if criteria.overdue_only else NO),
        (ACC_FILTER_FLAGGED, YES if criteria.flagged_only else NO),
    ]


def export_items(session: Session, actor: Actor, criteria: ItemFilter, now: datetime) -> bytes:
    """Every item of the filter (up to EXPORT_LIMIT) as XLSX, filters first; audited in this transaction."""
    found = page_items(session, actor, criteria, now, EXPORT_LIMIT)
    filters = filter_rows(session, actor, criteria)
    described = "；".join(f"{name}：{value}" for name, value in filters)
    heading = [*filters, (ACC_EXPORT_TOTAL, ACC_EXPORT_ROWS.format(total=found.total, rows=len(found.rows))),
               (ACC_EXPORT_AT, f"{to_shanghai(now):%Y-%m-%d %H:%M}")]
    data = xlsx_bytes(ACC_TITLE, heading, ITEM_HEADER, [item_cells(r) for r in found.rows])
    audit.record(session, AuditAction.EXPORT, actor, object_type="accountability_item",
                 detail=ACC_EXPORT_AUDIT.format(rows=len(found.rows), total=found.total, filters=described))
    return data


def as_read_back(cells: list[object]) -> tuple[object, ...]:
    """A row of cells as openpyxl reads it back from the file (Decimal → float, an empty text → None)."""
    return tuple(float(v) if isinstance(v, Decimal) else (None if v == "" else v) for v in cells)
