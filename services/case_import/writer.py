"""Write validated case rows from a file: all or nothing, keyed by case number, revisions and accountability kept."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlmodel import Session

from db import case_tally
from db.bulk import refresh_statistics
from db.engine import read_session, write_session
from db.models import FraudCase, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.accountability import triggers
from services.audit.text import CLI_USERNAME
from services.case_import.reader import read_case_file
from services.case_import.text import IMPORT_AUDIT_DETAIL, IMPORT_OUT_OF_SCOPE, IMPORT_REVISION_REASON
from services.cases.write import apply_changes
from services.shared.timeutil import now_utc
from vocabulary import AuditAction, CaseSource

INSERT_CHUNK = 5_000
ANALYZE_AFTER_ROWS = 10_000  # a bigger import changes the table enough for the planner to need new statistics
LOOKUP_CHUNK = 900  # below SQLite's bound-parameter limit
# Columns a file may set; id, timestamps and the source are the importer's.
WRITABLE = tuple(name for name in FraudCase.model_fields if name not in {"id", "created_at", "updated_at", "source"})

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did."""

    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _values(record) -> dict:
    if isinstance(record, dict):
        return {name: record[name] for name in WRITABLE if name in record}
    return {name: getattr(record, name) for name in WRITABLE if hasattr(record, name)}


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(session: Session, case_nos: list[str]) -> dict[str, FraudCase]:
    found: dict[str, FraudCase] = {}
    for chunk in _chunks(case_nos, LOOKUP_CHUNK):
        for case in session.execute(select(FraudCase).where(FraudCase.case_no.in_(chunk))).scalars():
            found[case.case_no] = case
    return found


def _check_scope(session: Session, actor: Actor | None, rows: list[dict], existing: dict[str, FraudCase]) -> None:
    if actor is None:
        return
    require(actor, Permission.EDIT_CASES)
    allowed = set(session.execute(select(Unit.id).where(Unit.path.startswith(actor.unit_path))).scalars())
    units = {row["unit_id"] for row in rows} | {case.unit_id for case in existing.values()}
    if not units <= allowed:
        raise AccessDenied(IMPORT_OUT_OF_SCOPE)


def _insert_new(session: Session, rows: list[dict], now: datetime, progress: Progress | None, done: int,
                total: int) -> int:
    for chunk in _chunks(rows, INSERT_CHUNK):
        session.execute(insert(FraudCase), [
            {**row, "source": CaseSource.IMPORT.value, "created_at": now, "updated_at": now} for row in chunk
        ])
        case_tally.add_rows(session, chunk)  # a bulk insert passes no mapper events: count the rows here
        done += len(chunk)
        if progress:
            progress(done, total)
    return done


def import_records(session: Session, actor: Actor | None, records: Sequence, *, filename: str,
                   fields: frozenset[str] | None = None, progress: Progress | None = None) -> ImportOutcome:
    """Insert new case numbers and update changed ones, in the caller's transaction (actor None: command line).

    An existing case is updated only in the columns the file has (`fields`; None: all), so a file without,
    say, the victim columns leaves those as they were.
    """
    now = now_utc()
    rows = [_values(record) for record in records]
    existing = _existing(session, [row["case_no"] for row in rows])
    _check_scope(session, actor, rows, existing)
    new_rows = [row for row in rows if row["case_no"] not in existing]
    done = _insert_new(session, new_rows, now, progress, 0, len(rows))
    triggers.backfill(session, now, actor)  # the new cases over a threshold, set-wise
    updated = unchanged = 0
    reason = IMPORT_REVISION_REASON.format(filename=filename)
    for row in rows:
        case = existing.get(row["case_no"])
        if case is None:
            continue
        values = {name: value for name, value in row.items() if fields is None or name in fields}
        before = {name: getattr(case, name) for name in values}
        if before == values:
            unchanged += 1
        else:
            apply_changes(session, case, values, actor=actor, reason=reason, source=CaseSource.IMPORT, now=now)
            updated += 1
        done += 1
        if progress and done % INSERT_CHUNK == 0:
            progress(done, len(rows))
    if len(new_rows) >= ANALYZE_AFTER_ROWS:
        refresh_statistics(session.connection(), ("fraud_case", "accountability_item"))
    if progress:
        progress(len(rows), len(rows))
    outcome = ImportOutcome(len(new_rows), updated, unchanged)
    audit.record(session, AuditAction.IMPORT, actor, object_type="case_import", username=CLI_USERNAME,
                 detail=IMPORT_AUDIT_DETAIL.format(filename=filename, created=outcome.created,
                                                     updated=outcome.updated, unchanged=outcome.unchanged))
    return outcome


def unit_lookup(session: Session, actor: Actor | None) -> dict[str, int]:
    """Unit codes, division codes and unambiguous names in scope → unit id, for the file's 所属单位 column."""
    statement = select(Unit.id, Unit.code, Unit.division_code, Unit.name, Unit.full_name)
    if actor is not None:
        statement = statement.where(Unit.path.startswith(actor.unit_path))
    lookup: dict[str, int] = {}
    names: dict[str, set[int]] = {}
    for unit_id, code, division_code, name, full_name in session.execute(statement):
        for key in (code, division_code):
            if key:
                lookup[key] = unit_id
        for key in {name, full_name}:
            names.setdefault(key, set()).add(unit_id)
    for key, ids in names.items():
        if len(ids) == 1 and key not in lookup:
            lookup[key] = next(iter(ids))
    return lookup


@dataclass(frozen=True)
class ImportReport:
    """The result of importing one file: its bad rows (then nothing was written) or what was written."""

    errors: list
    warnings: list
    outcome: ImportOutcome | None
    rows: int


def import_file(engine, actor: Actor | None, data: bytes, filename: str, datum: str,
                progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
    """Read, validate and (only when every row is good) write a case file in one transaction."""
    if actor is not None:
        require(actor, Permission.EDIT_CASES)
    with read_session(engine) as session:
        lookup = unit_lookup(session, actor)
    parsed = read_case_file(data, filename, datum, lookup,
                            progress=(lambda done, total: progress("read", done, total)) if progress else None)
    warnings = list(parsed.warnings)
    if parsed.errors:
        return ImportReport(parsed.errors, warnings, None, len(parsed.records))
    with write_session(engine) as session:
        outcome = import_records(session, actor, parsed.records, filename=filename, fields=parsed.fields or None,
                                 progress=(lambda done, total: progress("write", done, total)) if progress else None)
    return ImportReport([], warnings, outcome, len(parsed.records))
