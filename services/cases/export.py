"""The case list as the register shows it (one row format for the table and the XLSX export); the audited export."""

from datetime import datetime, timedelta

from sqlmodel import Session

from services import audit
from services.access.actor import Actor
from services.access.scope import scoped_unit
from services.cases.read import CaseFilter, CaseRow, matching_cases
from services.cases.text import (
    CASE_SORT_LABELS,
    CASES_EXPORT_AT,
    CASES_EXPORT_AUDIT,
    CASES_EXPORT_ROWS,
    CASES_EXPORT_TOTAL,
    CASES_FILTER_ALL,
    CASES_FILTER_BAND,
    CASES_FILTER_CASE_NO,
    CASES_FILTER_FROM,
    CASES_FILTER_LOSS_ANY,
    CASES_FILTER_LOSS_BELOW,
    CASES_FILTER_LOSS_FROM,
    CASES_FILTER_LOSS_RANGE,
    CASES_FILTER_SORT,
    CASES_FILTER_TO,
    CASES_FILTER_TYPE,
    CASES_FILTER_UNIT,
    CASES_TITLE,
    COL_AGE,
    COL_CASE_NO,
    COL_FRAUD_TYPE,
    COL_LOSS,
    COL_RECOVERED,
    COL_REPORTED_AT,
    COL_STATUS,
    COL_UNIT,
    COL_VICTIM,
)
from services.shared.export_cells import xlsx_bytes
from services.shared.money import money_text, wan_figure
from services.shared.timeutil import to_shanghai
from vocabulary import AuditAction, FraudType

EXPORT_LIMIT = 10_000
CASE_HEADER = [COL_CASE_NO, COL_UNIT, COL_REPORTED_AT, COL_FRAUD_TYPE, COL_LOSS, COL_RECOVERED, COL_STATUS, COL_VICTIM,
               COL_AGE]


def case_cells(row: CaseRow) -> list[object]:
    """One case as the register lists it, in the order of CASE_HEADER (masked as the row is; 万元 never rounded up
    to a threshold)."""
    return [row.case_no, row.unit_name, f"{to_shanghai(row.reported_at):%Y-%m-%d %H:%M}", row.fraud_type,
            wan_figure(row.loss_fen), wan_figure(row.recovered_fen), row.status, row.victim_name, row.victim_age]


def _loss_range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return CASES_FILTER_LOSS_ANY
    if high is None:
        return CASES_FILTER_LOSS_FROM.format(low=money_text(low))
    if low is None:
        return CASES_FILTER_LOSS_BELOW.format(high=money_text(high))
    return CASES_FILTER_LOSS_RANGE.format(low=money_text(low), high=money_text(high))


def _day(moment: datetime | None, before: bool = False) -> str:
    if moment is None:
        return ""
    return (to_shanghai(moment) - timedelta(days=1 if before else 0)).date().isoformat()


def filter_rows(session: Session, actor: Actor, criteria: CaseFilter) -> list[tuple[str, str]]:
    """The register's filters as (name, value) rows, as the page shows them."""
    unit = scoped_unit(session, actor, criteria.unit_id)
    return [
        (CASES_FILTER_UNIT, unit.name),
        (CASES_FILTER_TYPE, FraudType(criteria.fraud_type).label if criteria.fraud_type else CASES_FILTER_ALL),
        (CASES_FILTER_FROM, _day(criteria.start)),
        (CASES_FILTER_TO, _day(criteria.end, before=True)),  # the filter's end is the next day's midnight
        (CASES_FILTER_BAND, _loss_range(criteria.min_loss_fen, criteria.max_loss_fen)),
        (CASES_FILTER_CASE_NO, criteria.case_no or ""),
        (CASES_FILTER_SORT, CASE_SORT_LABELS.get(criteria.sort, criteria.sort)),
    ]


def export_cases(session: Session, actor: Actor, criteria: CaseFilter, now: datetime) -> bytes:
    """Every case of the filter (up to EXPORT_LIMIT, in the list's order) as XLSX, filters first, masked as the page
    shows them; audited in this transaction."""
    found = matching_cases(session, actor, criteria, EXPORT_LIMIT)
    filters = filter_rows(session, actor, criteria)
    described = "；".join(f"{name}：{value}" for name, value in filters)
    heading = [*filters, (CASES_EXPORT_TOTAL, CASES_EXPORT_ROWS.format(total=found.total, rows=len(found.rows))),
               (CASES_EXPORT_AT, f"{to_shanghai(now):%Y-%m-%d %H:%M}")]
    data = xlsx_bytes(CASES_TITLE, heading, CASE_HEADER, [case_cells(r) for r in found.rows])
    audit.record(session, AuditAction.EXPORT, actor, object_type="fraud_case",
                 detail=CASES_EXPORT_AUDIT.format(rows=len(found.rows), total=found.total, filters=described))
    return data
