"""strike_month_tally and the kept seconds of the ledger and 劝阻, following every write of their rows.

The 打击挽损 page sums a period's ledger requests and interceptions by unit, bank/branch and fraud type; the months a
period covers are read from strike_month_tally, only its edge days from the rows. Every ORM insert, update and delete
of a recovery_request or an interception adjusts the tally in the same flush (mapper events below, registered when
db.models is imported, so no write path can forget them): a request's amounts and 止付 time change after it is made
(止付 → 冻结 → 返还), an interception's outcome may change. The same events keep recovery_request.stop_ms
(milliseconds from report to 止付) and dissuasion's stage seconds, so medians read integers. Core bulk loads (the
demo) fill the kept columns themselves and recount the tally with rebuild.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, delete, event, func, inspect, or_, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import Dissuasion, Interception, RecoveryRequest, StrikeMonthTally, StrikeMonthValues, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
TALLY = StrikeMonthTally.__table__
UNIT = Unit.__table__
VALUES = StrikeMonthValues.__table__
STAGE_KINDS = ("to_attempt_s", "to_reach_s", "to_outcome_s", "total_s")
DISSUASIONS = "dissuasions"  # n: the 劝阻 of a month and unit (no values)
STOP = "stop_ms"
REQUEST = RecoveryRequest.__table__
INTERCEPTION = Interception.__table__
DISSUASION = Dissuasion.__table__
GOLDEN_HOUR_MS = 60 * 60 * 1000
FAILED = "failed"  # vocabulary.InterceptionOutcome.FAILED: 未能阻截 is not counted in 挽损
GROUPINGS = ("unit", "bank", "type")
FIELDS = ("requests", "requested_fen", "frozen_fen", "returned_fen", "stopped", "golden", "interceptions",
          "protected_fen")
REQUEST_KEYED = ("requested_at", "unit_id", "bank_name", "fraud_type", "requested_fen", "frozen_fen", "returned_fen",
                 "reported_at", "stopped_at")
INTERCEPTION_KEYED = ("intercepted_at", "unit_id", "branch_name", "fraud_type", "amount_fen", "outcome")
STAGE_ENDS = (("to_attempt_s", "warning_at", "attempted_at"), ("to_reach_s", "attempted_at", "reached_at"),
              ("to_outcome_s", "reached_at", "outcome_at"), ("total_s", "warning_at", "outcome_at"))
Key = tuple[str, date, int, str]
MICROSECOND = timedelta(microseconds=1)


def month_of(moment: datetime) -> date:
    """The first day of the Beijing month of a UTC-aware instant."""
    return moment.astimezone(SHANGHAI).date().replace(day=1)


def stop_ms(reported_at: datetime | None, stopped_at: datetime | None) -> int | None:
    """Milliseconds from report to 止付, exact microseconds rounded half away from zero; None without a 止付 time."""
    if stopped_at is None or reported_at is None:
        return None
    micro = (stopped_at - reported_at) // MICROSECOND
    ms = (abs(micro) + 500) // 1000
    return ms if micro >= 0 else -ms


def stage_seconds(first: datetime | None, last: datetime | None) -> int | None:
    """Whole seconds of a 劝阻 stage (Python's round of the exact seconds); None where either end is missing."""
    return None if first is None or last is None else round((last - first).total_seconds())


def _dialect(db) -> str:
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


def apply(db, deltas: dict[Key, list[int]]) -> None:
    """Add deltas (by FIELDS) to the tally rows of their keys; rows left with no request and no interception go."""
    deltas = {key: value for key, value in deltas.items() if any(value)}
    if not deltas:
        return
    insert = postgresql.insert if _dialect(db) == "postgresql" else sqlite.insert
    statement = insert(TALLY).values([
        {"grouping": g, "month": m, "unit_id": u, "key": k, **dict(zip(FIELDS, values, strict=True))}
        for (g, m, u, k), values in sorted(deltas.items())])  # sorted: one lock order
    db.execute(statement.on_conflict_do_update(
        index_elements=[TALLY.c.grouping, TALLY.c.month, TALLY.c.unit_id, TALLY.c.key],
        set_={name: TALLY.c[name] + statement.excluded[name] for name in FIELDS}))
    emptied = [key for key, values in deltas.items() if values[0] < 0 or values[6] < 0]
    if emptied:
        db.execute(delete(TALLY).where(
            tuple_(TALLY.c.grouping, TALLY.c.month, TALLY.c.unit_id, TALLY.c.key).in_(emptied),
            TALLY.c.requests == 0, TALLY.c.interceptions == 0))


def ancestors(path: str) -> list[int]:
    """The units of a unit path ("/1/103/104/"), from the top down to the unit itself."""
    return [int(part) for part in path.strip("/").split("/") if part]


def _ancestors_sql(db, unit_id: int) -> list[int]:
    return ancestors(db.execute(select(UNIT.c.path).where(UNIT.c.id == unit_id)).scalar_one())


def _add(deltas: dict[Key, list[int]], month: date, unit_id: int, above: list[int], bank: str | None,
         fraud_type: str | None, values: list[int], sign: int) -> None:
    """The unit's own row (grouping "unit"), and the bank/branch and type rows of the unit and every unit above it:
    a unit's bank and type sums over its whole subtree are its own rows."""
    keys = [("unit", unit_id, "")] + [(g, u, k or "") for g, k in (("bank", bank), ("type", fraud_type))
                                       for u in above]
    for grouping, unit, key in keys:
        row = deltas[(grouping, month, unit, key)]
        for i, value in enumerate(values):
            row[i] += sign * value


def request_values(requested_fen: int, frozen_fen: int, returned_fen: int, ms: int | None) -> list[int]:
    """One request's contribution by FIELDS."""
    return [1, requested_fen or 0, frozen_fen or 0, returned_fen or 0, ms is not None,
            ms is not None and ms <= GOLDEN_HOUR_MS, 0, 0]


def add_request(deltas, row: dict, above: list[int], sign: int = 1) -> None:
    """Count a ledger request (a dict of REQUEST_KEYED and stop_ms; above: its unit's ancestors) into deltas."""
    _add(deltas, month_of(row["requested_at"]), row["unit_id"], above, row["bank_name"], row["fraud_type"],
         request_values(row["requested_fen"], row["frozen_fen"], row["returned_fen"], row["stop_ms"]), sign)


def add_interception(deltas, row: dict, above: list[int], sign: int = 1) -> None:
    """Count an interception (a dict of INTERCEPTION_KEYED) into deltas, unless it failed (未能阻截)."""
    if row["outcome"] == FAILED:
        return
    _add(deltas, month_of(row["intercepted_at"]), row["unit_id"], above, row["branch_name"], row["fraud_type"],
         [0, 0, 0, 0, 0, 0, 1, row["amount_fen"] or 0], sign)


def _new_deltas() -> dict[Key, list[int]]:
    return defaultdict(lambda: [0] * len(FIELDS))


def _changed(target, names: Iterable[str]) -> bool:
    attrs = inspect(target).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _current(target, names: Iterable[str], stored: dict) -> dict:
    """The values a flush will write: what was set, else what is stored."""
    attrs = inspect(target).attrs
    return {name: attrs[name].history.added[0] if attrs[name].history.added else stored[name] for name in names}


# ---------------------------------------------------------------------------------------------------- ledger


@event.listens_for(RecoveryRequest, "before_insert")
def _request_inserting(mapper, connection, target: RecoveryRequest) -> None:
    target.stop_ms = stop_ms(target.reported_at, target.stopped_at)


@event.listens_for(RecoveryRequest, "after_insert")
def _request_inserted(mapper, connection, target: RecoveryRequest) -> None:
    deltas = _new_deltas()
    row = {name: getattr(target, name) for name in (*REQUEST_KEYED, "stop_ms")}
    add_request(deltas, row, _ancestors_sql(connection, row["unit_id"]))
    apply(connection, deltas)
    add_values(connection, _request_values(row))


def _stored_request(connection, request_id: int) -> dict:
    return connection.execute(select(*[REQUEST.c[n] for n in (*REQUEST_KEYED, "stop_ms")])
                              .where(REQUEST.c.id == request_id)).one()._asdict()


@event.listens_for(RecoveryRequest, "before_update")
def _request_updating(mapper, connection, target: RecoveryRequest) -> None:
    if not _changed(target, REQUEST_KEYED):
        return
    old = _stored_request(connection, target.id)  # the row as stored (an attribute set without loading has no history)
    new = _current(target, REQUEST_KEYED, old)
    new["stop_ms"] = target.stop_ms = stop_ms(new["reported_at"], new["stopped_at"])
    deltas = _new_deltas()
    add_request(deltas, old, _ancestors_sql(connection, old["unit_id"]), -1)
    add_request(deltas, new, _ancestors_sql(connection, new["unit_id"]))
    apply(connection, deltas)
    _replace_values(connection, (_request_values(old), {}), (_request_values(new), {}))


@event.listens_for(RecoveryRequest, "before_delete")
def _request_deleting(mapper, connection, target: RecoveryRequest) -> None:
    deltas = _new_deltas()
    old = _stored_request(connection, target.id)
    add_request(deltas, old, _ancestors_sql(connection, old["unit_id"]), -1)
    apply(connection, deltas)
    remove_values(connection, _request_values(old))


# ---------------------------------------------------------------------------------------------------- interceptions


@event.listens_for(Interception, "after_insert")
def _interception_inserted(mapper, connection, target: Interception) -> None:
    deltas = _new_deltas()
    add_interception(deltas, {name: getattr(target, name) for name in INTERCEPTION_KEYED},
                     _ancestors_sql(connection, target.unit_id))
    apply(connection, deltas)


def _stored_interception(connection, interception_id: int) -> dict:
    return connection.execute(select(*[INTERCEPTION.c[n] for n in INTERCEPTION_KEYED])
                              .where(INTERCEPTION.c.id == interception_id)).one()._asdict()


@event.listens_for(Interception, "before_update")
def _interception_updating(mapper, connection, target: Interception) -> None:
    if not _changed(target, INTERCEPTION_KEYED):
        return
    old = _stored_interception(connection, target.id)
    deltas = _new_deltas()
    new = _current(target, INTERCEPTION_KEYED, old)
    add_interception(deltas, old, _ancestors_sql(connection, old["unit_id"]), -1)
    add_interception(deltas, new, _ancestors_sql(connection, new["unit_id"]))
    apply(connection, deltas)


@event.listens_for(Interception, "before_delete")
def _interception_deleting(mapper, connection, target: Interception) -> None:
    deltas = _new_deltas()
    old = _stored_interception(connection, target.id)
    add_interception(deltas, old, _ancestors_sql(connection, old["unit_id"]), -1)
    apply(connection, deltas)


# ---------------------------------------------------------------------------------------------------- 劝阻 seconds


STAGE_TIMES = ("warning_at", "attempted_at", "reached_at", "outcome_at")


DISSUASION_KEYED = (*STAGE_TIMES, "unit_id")


@event.listens_for(Dissuasion, "before_insert")
def _dissuasion_inserting(mapper, connection, target: Dissuasion) -> None:
    for column, first, last in STAGE_ENDS:
        setattr(target, column, stage_seconds(getattr(target, first), getattr(target, last)))


@event.listens_for(Dissuasion, "after_insert")
def _dissuasion_inserted(mapper, connection, target: Dissuasion) -> None:
    add_values(connection, *_dissuasion_values({n: getattr(target, n) for n in ("warning_at", "unit_id", *STAGE_KINDS)}))


def _stored_dissuasion(connection, dissuasion_id: int) -> dict:
    return connection.execute(select(*[DISSUASION.c[n] for n in (*DISSUASION_KEYED, *STAGE_KINDS)])
                              .where(DISSUASION.c.id == dissuasion_id)).one()._asdict()


@event.listens_for(Dissuasion, "before_update")
def _dissuasion_updating(mapper, connection, target: Dissuasion) -> None:
    if not _changed(target, DISSUASION_KEYED):
        return
    stored = _stored_dissuasion(connection, target.id)
    new = _current(target, DISSUASION_KEYED, stored)
    for column, first, last in STAGE_ENDS:
        new[column] = stage_seconds(new[first], new[last])
        setattr(target, column, new[column])
    _replace_values(connection, _dissuasion_values(stored), _dissuasion_values(new))


@event.listens_for(Dissuasion, "before_delete")
def _dissuasion_deleting(mapper, connection, target: Dissuasion) -> None:
    remove_values(connection, *_dissuasion_values(_stored_dissuasion(connection, target.id)))


# ---------------------------------------------------------------------------------------------------- month values

ValueKey = tuple[str, date, int]


def _text(values: list[int]) -> str:
    return "".join(f"{v}," for v in values)


def _parse(text_: str) -> list[int]:
    return [int(v) for v in text_.split(",") if v]


def add_values(db, added: dict[ValueKey, list[int]], counted: dict[ValueKey, int] | None = None) -> None:
    """Append values (and count them, or count counted[key] for the "dissuasions" kind) in one statement: the
    concatenation is done by the database, so concurrent writers never lose each other's values."""
    keys = sorted(set(added) | set(counted or {}))
    if not keys:
        return
    insert = postgresql.insert if _dialect(db) == "postgresql" else sqlite.insert
    statement = insert(VALUES).values([
        {"kind": k, "month": m, "unit_id": u, "vals": _text(added.get((k, m, u), [])),
         "n": (counted or {}).get((k, m, u), len(added.get((k, m, u), [])))} for k, m, u in keys])
    db.execute(statement.on_conflict_do_update(
        index_elements=[VALUES.c.kind, VALUES.c.month, VALUES.c.unit_id],
        set_={"vals": VALUES.c.vals + statement.excluded.vals, "n": VALUES.c.n + statement.excluded.n}))


def remove_values(db, removed: dict[ValueKey, list[int]], uncounted: dict[ValueKey, int] | None = None) -> None:
    """Take one occurrence of each value out of its month's text (the row locked while rewritten)."""
    for key in sorted(set(removed) | set(uncounted or {})):
        kind, month, unit_id = key
        where = (VALUES.c.kind == kind, VALUES.c.month == month, VALUES.c.unit_id == unit_id)
        found = db.execute(select(VALUES.c.vals, VALUES.c.n).where(*where).with_for_update()).one_or_none()
        if found is None:
            continue
        values = _parse(found.vals)
        for value in removed.get(key, []):
            if value in values:  # always, unless a bulk writer skipped rebuild: never fail the user's write for it
                values.remove(value)
        n = found.n - (uncounted or {}).get(key, len(removed.get(key, [])))
        if n <= 0 and not values:
            db.execute(delete(VALUES).where(*where))
        else:
            db.execute(update(VALUES).where(*where).values(vals=_text(values), n=n))


def _request_values(row: dict) -> dict[ValueKey, list[int]]:
    if row["stop_ms"] is None:
        return {}
    return {(STOP, month_of(row["requested_at"]), row["unit_id"]): [row["stop_ms"]]}


def _dissuasion_values(row: dict) -> tuple[dict[ValueKey, list[int]], dict[ValueKey, int]]:
    month, unit_id = month_of(row["warning_at"]), row["unit_id"]
    values = {(kind, month, unit_id): [row[kind]] for kind in STAGE_KINDS if row[kind] is not None}
    return values, {(DISSUASIONS, month, unit_id): 1}


def _replace_values(db, old: tuple[dict, dict], new: tuple[dict, dict]) -> None:
    if old == new:
        return
    remove_values(db, *old)
    add_values(db, *new)


# ---------------------------------------------------------------------------------------------------- bulk


def fill_kept(db) -> int:
    """Compute stop_ms and the 劝阻 stage seconds of rows written without them (a bulk load, the migration)."""
    changed = 0
    requests = db.execute(select(REQUEST.c.id, REQUEST.c.reported_at, REQUEST.c.stopped_at).where(
        REQUEST.c.stopped_at.is_not(None), REQUEST.c.stop_ms.is_(None))).all()
    rows = [{"rid": rid, "ms": stop_ms(reported, stopped)} for rid, reported, stopped in requests]
    if rows:
        db.execute(update(REQUEST).where(REQUEST.c.id == bindparam("rid")).values(stop_ms=bindparam("ms")), rows)
    changed += len(rows)
    ends = STAGE_TIMES
    missing = or_(*[and_(DISSUASION.c[first].is_not(None), DISSUASION.c[last].is_not(None), DISSUASION.c[col].is_(None))
                    for col, first, last in STAGE_ENDS])
    found = db.execute(select(DISSUASION.c.id, *[DISSUASION.c[c] for c in ends]).where(missing)).all()
    rows = []
    for did, *moments in found:
        at = dict(zip(ends, moments, strict=True))
        rows.append({"did": did, **{col: stage_seconds(at[first], at[last]) for col, first, last in STAGE_ENDS}})
    if rows:
        db.execute(update(DISSUASION).where(DISSUASION.c.id == bindparam("did"))
                   .values({col: bindparam(col) for col, _, _ in STAGE_ENDS}), rows)
    return changed + len(rows)


def recount(db) -> dict[Key, list[int]]:
    """The tally as the ledger and the interceptions give it now (stop_ms as kept), computed in Python."""
    deltas = _new_deltas()
    above = {unit_id: ancestors(path) for unit_id, path in db.execute(select(UNIT.c.id, UNIT.c.path))}
    for row in db.execute(select(*[REQUEST.c[n] for n in (*REQUEST_KEYED, "stop_ms")])):
        add_request(deltas, row._asdict(), above[row.unit_id])
    for row in db.execute(select(*[INTERCEPTION.c[n] for n in INTERCEPTION_KEYED])):
        add_interception(deltas, row._asdict(), above[row.unit_id])
    return {key: values for key, values in deltas.items() if values[0] or values[6]}


def stored(db) -> dict[Key, list[int]]:
    """The tally's rows as stored."""
    return {(r.grouping, r.month, r.unit_id, r.key): [int(getattr(r, n)) for n in FIELDS]
            for r in db.execute(select(TALLY))}


def recount_values(db) -> dict[ValueKey, tuple[int, list[int]]]:
    """strike_month_values as the rows give them now: (n, sorted values) per key, computed in Python."""
    values: dict[ValueKey, list[int]] = defaultdict(list)
    counts: dict[ValueKey, int] = defaultdict(int)
    for row in db.execute(select(REQUEST.c.requested_at, REQUEST.c.unit_id, REQUEST.c.stop_ms)):
        for key, found in _request_values(row._asdict()).items():
            values[key] += found
            counts[key] += len(found)
    for row in db.execute(select(*[DISSUASION.c[n] for n in ("warning_at", "unit_id", *STAGE_KINDS)])):
        found, counted = _dissuasion_values(row._asdict())
        for key, more in found.items():
            values[key] += more
            counts[key] += len(more)
        for key, n in counted.items():
            counts[key] += n
    return {key: (n, sorted(values.get(key, []))) for key, n in counts.items()}


def stored_values(db) -> dict[ValueKey, tuple[int, list[int]]]:
    """strike_month_values as stored: (n, sorted values) per key."""
    return {(r.kind, r.month, r.unit_id): (int(r.n), sorted(_parse(r.vals)))
            for r in db.execute(select(VALUES.c.kind, VALUES.c.month, VALUES.c.unit_id, VALUES.c.n, VALUES.c.vals))}


def rebuild(db) -> int:
    """Recount the whole tally and the month values (after a bulk load or a repair); returns the tally's rows."""
    db.execute(delete(VALUES))
    value_rows = [{"kind": k, "month": m, "unit_id": u, "n": n, "vals": _text(values)}
                  for (k, m, u), (n, values) in sorted(recount_values(db).items())]
    for start in range(0, len(value_rows), 2000):
        db.execute(VALUES.insert(), value_rows[start:start + 2000])
    db.execute(delete(TALLY))
    counted = recount(db)
    rows = [{"grouping": g, "month": m, "unit_id": u, "key": k, **dict(zip(FIELDS, values, strict=True))}
            for (g, m, u, k), values in sorted(counted.items())]
    for start in range(0, len(rows), 5000):
        db.execute(TALLY.insert(), rows[start:start + 5000])
    if _dialect(db) == "postgresql":
        db.execute(text("ANALYZE strike_month_tally"))
        db.execute(text("ANALYZE strike_month_values"))
    return db.execute(select(func.count()).select_from(TALLY)).scalar_one()
