"""desk_call_day_tally kept with desk_call: calls and dissuasions per Beijing day of receipt and owning unit.

A call belongs to its jurisdiction, or to the desk's own unit when no jurisdiction was given (as on every page).
Every ORM insert, update and delete of a call adjusts the tally in the same flush (mapper events below, registered
when db.models is imported). Bulk loads recount everything with rebuild (also `fanzha rebuild-tallies`).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import case, delete, event, func, inspect, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from db.beijing_days import FIXED_OFFSET_SINCE, beijing_day, beijing_day_sql
from db.models import DeskCall, DeskCallDayTally
from vocabulary import CallOutcome

TALLY = DeskCallDayTally.__table__
CALL = DeskCall.__table__
KEYED = ("received_at", "jurisdiction_unit_id", "desk_unit_id", "outcome")  # what a call's tally row depends on
DISSUADED = CallOutcome.DISSUADED.value
Key = tuple[date, int]


def _dialect(db) -> str:
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


def apply(db, deltas: dict[Key, tuple[int, int]]) -> None:
    """Add (calls, dissuaded) deltas to the rows of their keys; rows left without calls are removed."""
    deltas = {key: value for key, value in deltas.items() if value != (0, 0)}
    if not deltas:
        return
    insert = postgresql.insert if _dialect(db) == "postgresql" else sqlite.insert
    statement = insert(TALLY).values([
        {"day": day, "unit_id": unit_id, "calls": calls, "dissuaded": dissuaded}
        for (day, unit_id), (calls, dissuaded) in sorted(deltas.items())])  # sorted: one lock order
    db.execute(statement.on_conflict_do_update(
        index_elements=[TALLY.c.day, TALLY.c.unit_id],
        set_={"calls": TALLY.c.calls + statement.excluded.calls,
              "dissuaded": TALLY.c.dissuaded + statement.excluded.dissuaded}))
    emptied = [key for key, (calls, _) in deltas.items() if calls < 0]
    if emptied:
        db.execute(delete(TALLY).where(tuple_(TALLY.c.day, TALLY.c.unit_id).in_(emptied), TALLY.c.calls == 0))


def _add(deltas: dict[Key, list[int]], received_at: datetime, jurisdiction_unit_id: int | None, desk_unit_id: int,
         outcome: str, sign: int) -> None:
    row = deltas[(beijing_day(received_at), jurisdiction_unit_id or desk_unit_id)]
    row[0] += sign
    row[1] += sign * (outcome == DISSUADED)


def _applied(db, deltas: dict[Key, list[int]]) -> None:
    apply(db, {key: (calls, dissuaded) for key, (calls, dissuaded) in deltas.items()})


def _stored_call(connection, call_id: int) -> tuple:
    return connection.execute(select(*[CALL.c[name] for name in KEYED]).where(CALL.c.id == call_id)).one()


@event.listens_for(DeskCall, "after_insert")
def _call_inserted(mapper, connection, target: DeskCall) -> None:
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    _add(deltas, *(getattr(target, name) for name in KEYED), 1)
    _applied(connection, deltas)


@event.listens_for(DeskCall, "before_update")
def _call_updating(mapper, connection, target: DeskCall) -> None:
    attrs = inspect(target).attrs
    if not any(attrs[name].history.has_changes() for name in KEYED):
        return
    old = _stored_call(connection, target.id)  # as stored (an attribute set without loading has no history)
    new = [attrs[name].history.added[0] if attrs[name].history.added else value for name, value in zip(KEYED, old)]
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    _add(deltas, *old, -1)
    _add(deltas, *new, 1)
    _applied(connection, deltas)


@event.listens_for(DeskCall, "before_delete")
def _call_deleting(mapper, connection, target: DeskCall) -> None:
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    _add(deltas, *_stored_call(connection, target.id), -1)
    _applied(connection, deltas)


def _older_rows(db) -> Iterable[tuple]:
    return db.execute(select(*[CALL.c[name] for name in KEYED]).where(CALL.c.received_at < FIXED_OFFSET_SINCE))


def rebuild(db) -> int:
    """Recount the whole tally from desk_call (after a bulk load or a repair); returns the tally's rows."""
    dialect = _dialect(db)
    db.execute(delete(TALLY))
    day = beijing_day_sql(CALL.c.received_at, dialect).label("day")
    owner = func.coalesce(CALL.c.jurisdiction_unit_id, CALL.c.desk_unit_id).label("unit_id")
    dissuaded = func.sum(case((CALL.c.outcome == DISSUADED, 1), else_=0))
    grouped = select(day, owner, func.count(), dissuaded)
    if dialect != "postgresql":  # SQLite dates by a fixed offset: older calls (none in practice) in Python below
        grouped = grouped.where(CALL.c.received_at >= FIXED_OFFSET_SINCE)
    db.execute(TALLY.insert().from_select(["day", "unit_id", "calls", "dissuaded"], grouped.group_by(day, owner)))
    if dialect != "postgresql":
        deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        for row in _older_rows(db):
            _add(deltas, *row, 1)
        _applied(db, deltas)
    else:
        db.execute(text("ANALYZE desk_call_day_tally"))  # the planner sees the recounted table's size at once
    return db.execute(select(func.count()).select_from(TALLY)).scalar_one()


def recount(db) -> dict[Key, tuple[int, int]]:
    """The tally as desk_call gives it now, computed in Python (for checks and tests)."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for row in db.execute(select(*[CALL.c[name] for name in KEYED])):
        _add(deltas, *row, 1)
    return {key: (calls, dissuaded) for key, (calls, dissuaded) in deltas.items() if calls}


def stored(db) -> dict[Key, tuple[int, int]]:
    """The tally's rows as stored."""
    rows = db.execute(select(TALLY.c.day, TALLY.c.unit_id, TALLY.c.calls, TALLY.c.dissuaded))
    return {(day, unit_id): (int(calls), int(dissuaded)) for day, unit_id, calls, dissuaded in rows}
