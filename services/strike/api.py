"""打击挽损 as pages use it: each function is one transaction; every write is saved at most once per form key."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services import audit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.shared.export_cells import xlsx_bytes
from services.shared.timeutil import SHANGHAI, Span, now_utc, shanghai_today, to_shanghai
from services.shared.unit_of_work import reading, writing
from services.strike import cells, dissuasion, interceptions, ledger, read, results, solving
from services.strike.dissuasion import DissuasionDraft
from services.strike.interceptions import CallInterception, InterceptionDraft, InterceptionSaved
from services.strike.ledger import LedgerSaved
from services.strike.read import (
    DissuasionRow,
    LedgerRow,
    RecoveryFigures,
    SavedTables,
    StageMedians,
    StrikeRow,
    UnitChanges,
)
from services.strike.results import StrikeEntry, StrikeFileResult
from services.strike.text import (
    BY_BRANCH,
    BY_TYPE,
    BY_UNIT,
    COL_BRANCH,
    COL_FRAUD_TYPE,
    COL_UNIT,
    DISSUASION_HEADING,
    DISSUASION_MINUTES_HEADING,
    LEDGER_HEADING,
    STRIKE_RESULTS_HEADING,
    STRIKE_TITLE,
)
from vocabulary import AuditAction, RecoveryStatus, SolvedHow


def _once(engine: Engine, find: Callable[[Session, str], object], key: str, operation, *args):
    """Write unless the form's key was saved already; a racing duplicate is answered with the saved one."""
    if (found := reading(engine, find, key)) is not None:
        return found, True
    try:
        return writing(engine, operation, *args), False
    except IntegrityError:
        found = reading(engine, find, key)
        if found is None:
            raise
        return found, True


def _utc(moment: datetime) -> datetime:
    """A form's time: naive means Beijing wall time."""
    return moment.replace(tzinfo=SHANGHAI).astimezone(UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---------------------------------------------------------------------------------------------------- writes

def solve(engine: Engine, actor: Actor, case_id: int, solved_on: date, how: SolvedHow | str | None, reason: str = "") -> tuple[str, ...]:
    """Record a case solved (day, how); each changed field a revision; audited."""
    return writing(engine, solving.record_solved, actor, case_id, solved_on, how, reason)


def stop_from_call(engine: Engine, actor: Actor, call_id: int, key: str, identifier_id: int | None = None) -> LedgerSaved:
    """立即止付 from a saved desk call with an account and a loss, exactly once per key."""
    saved, duplicate = _once(engine, ledger.existing_request, key, ledger.request_from_call, actor, call_id, key,
                             identifier_id)
    return LedgerSaved(saved.request_id, duplicate)


def request_on_case(engine: Engine, actor: Actor, case_id: int, account: str, amount: str, key: str) -> LedgerSaved:
    """A 止付 request entered on a case (account as typed, amount in 元), exactly once per key."""
    saved, duplicate = _once(engine, ledger.existing_request, key, ledger.request_from_case, actor, case_id, account,
                             amount, key)
    return LedgerSaved(saved.request_id, duplicate)


def record_step(engine: Engine, actor: Actor, request_id: int, step: RecoveryStatus, at: datetime, amount: str,
                key: str) -> LedgerSaved:
    """Record 止付/冻结/返还/资金已转出 on a ledger row (naive times are Beijing), exactly once per key."""
    saved, duplicate = _once(engine, ledger.existing_event, key, ledger.record_step, actor, request_id,
                             RecoveryStatus(step), _utc(at), amount, key)
    return LedgerSaved(saved.request_id, duplicate)


def add_strike_result(engine: Engine, actor: Actor, entry: StrikeEntry, key: str) -> tuple[int, bool]:
    """One unit's strike results of one day, exactly once per key: (row id, duplicate)."""
    return _once(engine, results.existing_entry, key, results.record_result, actor, entry, key)


def check_strike_file(engine: Engine, actor: Actor, data: bytes, filename: str) -> StrikeFileResult:
    """Read and check a strike-results file against the actor's units (nothing is written)."""
    require(actor, Permission.EDIT_CASES)
    lookup = reading(engine, results.unit_lookup, actor)
    checked = results.read_strike_file(data, filename, lookup, shanghai_today())
    if not checked.rows:
        return checked
    return reading(engine, results.resolve_cases, actor, checked)  # linked case numbers: the actor's cases only


@dataclass(frozen=True)
class StrikeImport:
    """What an upload did: rows written (or written before: duplicate), or the problems that refused it."""

    count: int
    duplicate: bool
    problems: StrikeFileResult | None = None


def import_strike_file(engine: Engine, actor: Actor, data: bytes, filename: str, form_key: str) -> StrikeImport:
    """Check a file and, only if every row is good, write them all in one transaction, exactly once per upload."""
    checked = check_strike_file(engine, actor, data, filename)
    if checked.errors:
        return StrikeImport(0, False, checked)
    batch = results.batch_of(data, form_key)
    if done := reading(engine, results.imported_rows, batch):
        return StrikeImport(done, True)
    try:
        return StrikeImport(writing(engine, results.import_rows, actor, checked.rows, batch), False)
    except IntegrityError:
        if done := reading(engine, results.imported_rows, batch):
            return StrikeImport(done, True)
        raise


def strike_links(engine: Engine, actor: Actor, result_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """The linked case numbers and identifiers (masked unless the actor may unmask) of shown strike results."""
    return reading(engine, results.links_of, actor, result_ids)


def add_dissuasion(engine: Engine, actor: Actor, draft: DissuasionDraft, key: str) -> tuple[int, bool]:
    """A 劝阻 (naive times are Beijing), exactly once per key: (row id, duplicate)."""
    moments = {name: _utc(getattr(draft, name)) if getattr(draft, name) else None
               for name in ("warning_at", "attempted_at", "reached_at", "outcome_at")}
    clean = replace(draft, **moments)
    return _once(engine, dissuasion.existing, key, dissuasion.record_dissuasion, actor, clean, key)


def add_interception(engine: Engine, actor: Actor, draft: InterceptionDraft, key: str) -> InterceptionSaved:
    """A bank-counter 阻截 (a naive time is Beijing), exactly once per key; counted in 挽损.

    With the draft's call_id it is recorded from a desk call that stopped a payment (once per call)."""
    clean = replace(draft, intercepted_at=_utc(draft.intercepted_at))
    saved, duplicate = _once(engine, interceptions.existing, key, interceptions.record_interception, actor, clean, key)
    return replace(saved, duplicate=duplicate)


# ---------------------------------------------------------------------------------------------------- reads

@dataclass(frozen=True)
class StrikeBoard:
    """Everything the 打击挽损 page shows for a unit and span."""

    unit_name: str
    two_up: list[UnitChanges]
    recovery: RecoveryFigures
    saved: SavedTables
    ledger: list[LedgerRow]
    strikes: list[StrikeRow]
    dissuasions: list[DissuasionRow]
    dissuasion_minutes: list[StageMedians]  # median minutes per stage: the unit first, then each unit below


def _board(session: Session, actor: Actor, unit_id: int | None, span: Span) -> StrikeBoard:
    unit = scoped_unit(session, actor, unit_id)
    period = span.current
    return StrikeBoard(
        unit.name, read.two_up_two_down(session, actor, unit.id, span),
        read.recovery_figures(session, actor, unit.id, period), read.saved_tables(session, actor, unit.id, period),
        read.ledger(session, actor, unit.id, period), read.strike_results(session, actor, unit.id, period),
        read.dissuasions(session, actor, unit.id, period), read.dissuasion_medians(session, actor, unit.id, period))


def board(engine: Engine, actor: Actor, unit_id: int | None, span: Span) -> StrikeBoard:
    """两升两降, the ledger's measures, 挽损 tables and the lists of a unit's subtree for a span, in one read."""
    return reading(engine, _board, actor, unit_id, span)


def two_up_two_down(engine: Engine, actor: Actor, unit_id: int | None, span: Span) -> list[UnitChanges]:
    """两升两降 alone (for the 总览 and 大屏 headlines): the unit first, then each unit below it."""
    return reading(engine, read.two_up_two_down, actor, unit_id, span)


def recovery(engine: Engine, actor: Actor, unit_id: int | None, span: Span) -> tuple[RecoveryFigures, SavedTables]:
    """The ledger's measures and the 挽损 totals of a span (for the 总览 and 大屏 headlines)."""
    def _both(session: Session) -> tuple[RecoveryFigures, SavedTables]:
        return (read.recovery_figures(session, actor, unit_id, span.current),
                read.saved_tables(session, actor, unit_id, span.current))
    return reading(engine, _both)


def call_interception(engine: Engine, actor: Actor, call_id: int) -> CallInterception:
    """A saved call as the desk's 记录阻截 starts from: whether it stopped a payment, its accounts, what was recorded."""
    return reading(engine, interceptions.call_interception, actor, call_id)


def call_state(engine: Engine, actor: Actor, call_id: int) -> tuple[int, int, list[int]]:
    """A saved call's loss, number of accounts and ledger rows made from it (for the desk's 立即止付)."""
    return reading(engine, read.call_ledger_state, actor, call_id)


SHEET_TITLE_SAFE = str.maketrans({c: "、" for c in "[]:*?/\\"})  # characters Excel refuses in a sheet name
EXPORT_TABLES = ("two_up", "ledger", "by_unit", "by_branch", "by_type", "strikes", "dissuasions", "dissuasion_minutes")


def _export(session: Session, actor: Actor, unit_id: int | None, span: Span, table: str, filters: list[tuple[str, str]]
            ) -> bytes:
    require(actor, Permission.EXPORT)
    shown = _board(session, actor, unit_id, span)
    saved = shown.saved
    tables = {
        "two_up": (STRIKE_TITLE, cells.TWO_UP_HEADER, cells.two_up_rows(shown.two_up)),
        "ledger": (LEDGER_HEADING, cells.LEDGER_HEADER, cells.ledger_rows(shown.ledger)),
        "by_unit": (BY_UNIT, [COL_UNIT, *cells.SAVED_HEADER], cells.saved_rows(saved.by_unit)),
        "by_branch": (BY_BRANCH, [COL_BRANCH, *cells.SAVED_HEADER], cells.saved_rows(saved.by_branch)),
        "by_type": (BY_TYPE, [COL_FRAUD_TYPE, *cells.SAVED_HEADER], cells.saved_rows(saved.by_type)),
        "strikes": (STRIKE_RESULTS_HEADING, cells.STRIKE_HEADER,
                    cells.strike_rows(shown.strikes, results.links_of(session, actor, [r.id for r in shown.strikes]))),
        "dissuasions": (DISSUASION_HEADING, cells.DISSUASION_HEADER, cells.dissuasion_rows(shown.dissuasions)),
        "dissuasion_minutes": (DISSUASION_MINUTES_HEADING, cells.DISSUASION_MINUTES_HEADER,
                               cells.dissuasion_median_rows(shown.dissuasion_minutes)),
    }
    title, header, rows = tables[table]
    heading = [*filters, ("导出时间", f"{to_shanghai(now_utc()):%Y-%m-%d %H:%M}")]
    audit.record(session, AuditAction.EXPORT, actor, object_type="strike",
                 detail=f"{title} {len(rows)} 行；" + "；".join(f"{k}：{v}" for k, v in filters))
    return xlsx_bytes(title.translate(SHEET_TITLE_SAFE)[:31], heading, header, rows)


def export(engine: Engine, actor: Actor, unit_id: int | None, span: Span, table: str,
           filters: list[tuple[str, str]]) -> bytes:
    """One table of the page exactly as shown (filters first) as XLSX; audited."""
    return writing(engine, _export, actor, unit_id, span, table, filters)
