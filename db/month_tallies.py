"""Month tallies kept by database triggers (migration 0023): desk calls, the ledger and counted 阻截 per Beijing month
and unit; their recount for repairs (`fanzha rebuild-tallies`) and a recount in Python for checks."""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Date, cast, delete, func, literal_column, or_, select

from db.beijing_days import SHANGHAI, month_of_day_sql
from db.models import (
    DeskCallDayTally,
    DeskCallMonthTally,
    Interception,
    InterceptionMonthTally,
    LedgerMonthTally,
    RecoveryRequest,
)

# The first month the tallies are read for: from here on Beijing is UTC+8 all year, as the SQLite triggers assume.
READ_FROM = date(1991, 10, 1)
FAILED = "failed"  # vocabulary.InterceptionOutcome.FAILED: 未能阻截 is not 阻截
DAYS, CALLS = DeskCallDayTally.__table__, DeskCallMonthTally.__table__
REQUEST, LEDGER = RecoveryRequest.__table__, LedgerMonthTally.__table__
INTERCEPTION, BLOCKED = Interception.__table__, InterceptionMonthTally.__table__
Rows = dict[tuple[date, int], tuple[int, ...]]


def _dialect(db) -> str:
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


def _month_of_instant(column, dialect: str):
    if dialect == "postgresql":
        return cast(func.date_trunc("month", func.timezone("Asia/Shanghai", column)), Date)
    return func.date(func.substr(column, 1, 19), literal_column("'+8 hours'"), literal_column("'start of month'"))


def _counted(outcome) -> bool:
    return outcome != FAILED


def rebuild(db) -> None:
    """Count the three tallies afresh from their sources (the triggers keep them; a repair does not rely on them)."""
    dialect = _dialect(db)
    month = month_of_day_sql(DAYS.c.day, dialect).label("month")
    sources = [
        (CALLS, ["calls", "dissuaded"], select(month, DAYS.c.unit_id, func.sum(DAYS.c.calls),
                                               func.sum(DAYS.c.dissuaded)).group_by(month, DAYS.c.unit_id)),
    ]
    month = _month_of_instant(REQUEST.c.requested_at, dialect).label("month")
    sources.append((LEDGER, ["requests", "stopped_fen", "frozen_fen", "returned_fen"], select(
        month, REQUEST.c.unit_id, func.count(), func.sum(REQUEST.c.stopped_fen), func.sum(REQUEST.c.frozen_fen),
        func.sum(REQUEST.c.returned_fen)).group_by(month, REQUEST.c.unit_id)))
    month = _month_of_instant(INTERCEPTION.c.intercepted_at, dialect).label("month")
    counted = or_(INTERCEPTION.c.outcome.is_(None), INTERCEPTION.c.outcome != FAILED)
    sources.append((BLOCKED, ["interceptions", "amount_fen"], select(
        month, INTERCEPTION.c.unit_id, func.count(), func.sum(INTERCEPTION.c.amount_fen)).where(counted)
        .group_by(month, INTERCEPTION.c.unit_id)))
    for table, names, grouped in sources:
        db.execute(delete(table))
        db.execute(table.insert().from_select(["month", "unit_id", *names], grouped))


def _month(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date().replace(day=1)


def recount(db) -> dict[str, Rows]:
    """The three tallies as their sources give them now, computed in Python (months from READ_FROM on)."""
    counted: dict[str, dict[tuple[date, int], list[int]]] = {
        name: defaultdict(lambda size=size: [0] * size)
        for name, size in (("desk_call_month_tally", 2), ("ledger_month_tally", 4), ("interception_month_tally", 2))}
    for day, unit_id, calls, dissuaded in db.execute(select(DAYS.c.day, DAYS.c.unit_id, DAYS.c.calls,
                                                            DAYS.c.dissuaded)):
        row = counted["desk_call_month_tally"][(day.replace(day=1), unit_id)]
        row[0] += calls
        row[1] += dissuaded
    for at, unit_id, *amounts in db.execute(select(REQUEST.c.requested_at, REQUEST.c.unit_id, REQUEST.c.stopped_fen,
                                                   REQUEST.c.frozen_fen, REQUEST.c.returned_fen)):
        row = counted["ledger_month_tally"][(_month(at), unit_id)]
        for i, value in enumerate((1, *amounts)):
            row[i] += value
    for at, unit_id, amount, outcome in db.execute(select(INTERCEPTION.c.intercepted_at, INTERCEPTION.c.unit_id,
                                                          INTERCEPTION.c.amount_fen, INTERCEPTION.c.outcome)):
        if _counted(outcome):
            row = counted["interception_month_tally"][(_month(at), unit_id)]
            row[0] += 1
            row[1] += amount
    return {name: {key: tuple(v) for key, v in rows.items() if any(v) and key[0] >= READ_FROM}
            for name, rows in counted.items()}


def stored(db) -> dict[str, Rows]:
    """The three tallies' rows as stored (rows a change left at zero, and months before READ_FROM, left out)."""
    result = {}
    for table in (CALLS, LEDGER, BLOCKED):
        values = [c for c in table.c if c.name not in ("month", "unit_id")]
        result[table.name] = {(month, unit_id): tuple(int(v) for v in rest) for month, unit_id, *rest in db.execute(
            select(table.c.month, table.c.unit_id, *values).where(table.c.month >= READ_FROM)) if any(rest)}
    return result
