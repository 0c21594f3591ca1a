"""case_day_tally kept with fraud_case: cases and loss per Beijing day of report, unit and fraud type.

Every ORM insert, update and delete of a case adjusts the tally in the same flush (mapper events below, registered
when db.models is imported, so no write path can forget them). Core bulk inserts add their rows with add_rows, or
bulk loads recount everything with rebuild (also `fanzha rebuild-tallies`). Its roll-ups case_day_unit_tally (no
type) and case_month_type_tally (by month) follow every change of it by database triggers (migration 0022); rebuild
recounts them too.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import case, delete, event, func, inspect, or_, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from db.beijing_days import FIXED_OFFSET_SINCE, beijing_day, beijing_day_sql, month_of_day_sql
from db.models import CaseDayTally, CaseDayUnitTally, CaseMonthTypeTally, FraudCase, SolvedDayTally

TALLY = CaseDayTally.__table__
DAY_UNIT = CaseDayUnitTally.__table__
MONTH_TYPE = CaseMonthTypeTally.__table__
SOLVED = SolvedDayTally.__table__
CASE = FraudCase.__table__
KEYED = ("reported_at", "unit_id", "fraud_type", "loss_fen", "lon", "lat")  # what a case's tally row depends on
Key = tuple[date, int, str]


def _dialect(db) -> str:
    """The database of a Connection or a Session."""
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


def apply(db, deltas: dict[Key, tuple[int, int, int]]) -> None:
    """Add (cases, loss_fen, unlocated) deltas to the tally rows of their keys; rows left without cases go."""
    deltas = {key: value for key, value in deltas.items() if any(value)}
    if not deltas:
        return
    insert = postgresql.insert if _dialect(db) == "postgresql" else sqlite.insert
    statement = insert(TALLY).values([
        {"day": day, "unit_id": unit_id, "fraud_type": fraud_type, "cases": cases, "loss_fen": loss,
         "unlocated": unlocated}
        for (day, unit_id, fraud_type), (cases, loss, unlocated) in sorted(deltas.items())])  # one lock order
    db.execute(statement.on_conflict_do_update(
        index_elements=[TALLY.c.day, TALLY.c.unit_id, TALLY.c.fraud_type],
        set_={"cases": TALLY.c.cases + statement.excluded.cases,
              "loss_fen": TALLY.c.loss_fen + statement.excluded.loss_fen,
              "unlocated": TALLY.c.unlocated + statement.excluded.unlocated}))
    emptied = [key for key, (cases, _, _) in deltas.items() if cases < 0]
    if emptied:
        db.execute(delete(TALLY).where(tuple_(TALLY.c.day, TALLY.c.unit_id, TALLY.c.fraud_type).in_(emptied),
                                       TALLY.c.cases == 0))


def _add(deltas: dict[Key, list[int]], reported_at: datetime, unit_id: int, fraud_type: str, loss_fen: int | None,
         lon: float | None, lat: float | None, sign: int) -> None:
    row = deltas[(beijing_day(reported_at), unit_id, fraud_type)]
    row[0] += sign
    row[1] += sign * (loss_fen or 0)
    row[2] += sign * (lon is None or lat is None)  # no coordinates: the map counts it apart


def add_rows(db, rows: Iterable[dict]) -> None:
    """Count case rows inserted outside the ORM (bulk INSERT of dicts) into the tally, in the same transaction."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        _add(deltas, row["reported_at"], row["unit_id"], row["fraud_type"], row.get("loss_fen", 0), row.get("lon"),
             row.get("lat"), 1)
    apply(db, {key: tuple(values) for key, values in deltas.items()})


def _stored(connection, case_id: int) -> tuple:
    return connection.execute(select(*[CASE.c[name] for name in KEYED]).where(CASE.c.id == case_id)).one()


@event.listens_for(FraudCase, "after_insert")
def _case_inserted(mapper, connection, target: FraudCase) -> None:
    add_rows(connection, [{name: getattr(target, name) for name in KEYED}])


@event.listens_for(FraudCase, "before_update")
def _case_updating(mapper, connection, target: FraudCase) -> None:
    attrs = inspect(target).attrs
    if not any(attrs[name].history.has_changes() for name in KEYED):
        return
    old = _stored(connection, target.id)  # the row as stored (an attribute set without loading has no history)
    new = [attrs[name].history.added[0] if attrs[name].history.added else value for name, value in zip(KEYED, old)]
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    _add(deltas, *old, -1)
    _add(deltas, *new, 1)
    apply(connection, {key: tuple(values) for key, values in deltas.items()})


@event.listens_for(FraudCase, "before_delete")
def _case_deleting(mapper, connection, target: FraudCase) -> None:
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    _add(deltas, *_stored(connection, target.id), -1)
    apply(connection, {key: tuple(values) for key, values in deltas.items()})


def rebuild(db) -> int:
    """Recount the whole tally from fraud_case (after a bulk load or a repair); returns the tally's rows."""
    dialect = _dialect(db)
    db.execute(delete(TALLY))
    day = beijing_day_sql(CASE.c.reported_at, dialect).label("day")
    unlocated = func.sum(case((or_(CASE.c.lon.is_(None), CASE.c.lat.is_(None)), 1), else_=0))
    grouped = select(day, CASE.c.unit_id, CASE.c.fraud_type, func.count(), func.coalesce(func.sum(CASE.c.loss_fen), 0),
                     unlocated)
    if dialect != "postgresql":
        grouped = grouped.where(CASE.c.reported_at >= FIXED_OFFSET_SINCE)
    db.execute(TALLY.insert().from_select(["day", "unit_id", "fraud_type", "cases", "loss_fen", "unlocated"],
                                          grouped.group_by(day, CASE.c.unit_id, CASE.c.fraud_type)))
    if dialect != "postgresql":
        add_rows(db, (row._asdict() for row in db.execute(
            select(*[CASE.c[name] for name in KEYED]).where(CASE.c.reported_at < FIXED_OFFSET_SINCE))))
    _recount_rollups(db, dialect)
    if dialect == "postgresql":
        for table in ("case_day_tally", "case_day_unit_tally", "case_month_type_tally"):
            db.execute(text(f"ANALYZE {table}"))  # the planner sees the recounted tables' sizes at once
    return db.execute(select(func.count()).select_from(TALLY)).scalar_one()


def _recount_rollups(db, dialect: str) -> None:
    """Count case_day_unit_tally and case_month_type_tally afresh from case_day_tally, and solved_day_tally from the
    cases (the triggers kept them through the recount, but a repair should not rely on what it repairs)."""
    sums = (func.sum(TALLY.c.cases), func.sum(TALLY.c.loss_fen))
    db.execute(delete(DAY_UNIT))
    db.execute(DAY_UNIT.insert().from_select(["day", "unit_id", "cases", "loss_fen", "unlocated"], select(
        TALLY.c.day, TALLY.c.unit_id, *sums, func.sum(TALLY.c.unlocated)).group_by(TALLY.c.day, TALLY.c.unit_id)))
    month = month_of_day_sql(TALLY.c.day, dialect)
    db.execute(delete(MONTH_TYPE))
    db.execute(MONTH_TYPE.insert().from_select(["month", "unit_id", "fraud_type", "cases", "loss_fen"], select(
        month, TALLY.c.unit_id, TALLY.c.fraud_type, *sums).group_by(month, TALLY.c.unit_id, TALLY.c.fraud_type)))
    db.execute(delete(SOLVED))
    db.execute(SOLVED.insert().from_select(["day", "unit_id", "solved"], select(
        CASE.c.solved_on, CASE.c.unit_id, func.count()).where(CASE.c.solved_on.is_not(None))
        .group_by(CASE.c.solved_on, CASE.c.unit_id)))


def recount(db) -> dict[Key, tuple[int, int, int]]:
    """The tally as fraud_case gives it now, computed in Python (for checks and tests)."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in db.execute(select(*[CASE.c[name] for name in KEYED])):
        _add(deltas, *row, 1)
    return {key: tuple(values) for key, values in deltas.items() if values[0]}


def stored(db) -> dict[Key, tuple[int, int, int]]:
    """The tally's rows as stored: (cases, loss_fen, unlocated) per key."""
    rows = db.execute(select(TALLY.c.day, TALLY.c.unit_id, TALLY.c.fraud_type, TALLY.c.cases, TALLY.c.loss_fen,
                             TALLY.c.unlocated))
    return {(day, unit_id, fraud_type): (int(n), int(loss), int(unlocated))
            for day, unit_id, fraud_type, n, loss, unlocated in rows}


def rolled_up(tally: dict[Key, tuple[int, int, int]]) -> tuple[dict, dict]:
    """case_day_unit_tally (cases, loss, unlocated) and case_month_type_tally (cases, loss) as a tally gives them,
    computed in Python (for checks)."""
    by_day: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_month: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (day, unit_id, fraud_type), (n, loss, unlocated) in tally.items():
        for row, values in ((by_day[(day, unit_id)], (n, loss, unlocated)),
                            (by_month[(day.replace(day=1), unit_id, fraud_type)], (n, loss))):
            for i, value in enumerate(values):
                row[i] += value
    return ({key: tuple(v) for key, v in by_day.items() if v[0]},
            {key: tuple(v) for key, v in by_month.items() if v[0]})


def rollups_stored(db) -> tuple[dict, dict]:
    """The roll-ups' rows as stored (rows a deletion left at zero cases left out)."""
    def rows(table, keys, values):
        return {tuple(row[:len(keys)]): tuple(int(v) for v in row[len(keys):])
                for row in db.execute(select(*[table.c[k] for k in keys], *[table.c[v] for v in values]))
                if any(row[len(keys):])}
    return (rows(DAY_UNIT, ("day", "unit_id"), ("cases", "loss_fen", "unlocated")),
            rows(MONTH_TYPE, ("month", "unit_id", "fraud_type"), ("cases", "loss_fen")))


def solved_recount(db) -> dict[tuple[date, int], int]:
    """solved_day_tally as the cases give it now, computed in Python (for checks)."""
    counted: dict[tuple[date, int], int] = defaultdict(int)
    for solved_on, unit_id in db.execute(select(CASE.c.solved_on, CASE.c.unit_id).where(CASE.c.solved_on.is_not(None))):
        counted[(solved_on, unit_id)] += 1
    return dict(counted)


def solved_stored(db) -> dict[tuple[date, int], int]:
    """solved_day_tally's rows as stored (rows left at zero left out)."""
    return {(day, unit_id): int(n) for day, unit_id, n in db.execute(select(SOLVED.c.day, SOLVED.c.unit_id,
                                                                            SOLVED.c.solved)) if n}
