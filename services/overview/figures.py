"""SQL aggregates of a unit subtree over Beijing-day periods: cases, loss, interceptions, desk calls, open items.

Every measure is read from tallies kept with its rows, so the work grows with months, edge days and units, never with
cases, calls or requests. The periods are cut into disjoint runs of whole days; a run covering most of a month reads
the month's tally less its other days (timeutil.month_plan), the rest is read by day:
- cases and loss: db/case_tally.py (per day, unit and type; per day and unit; per month, unit and type) and
  strike_month_cases (per month and unit); 破案 from strike_month_cases and solved_day_tally;
- desk calls and dissuasions: desk_call_month_tally and desk_call_day_tally;
- 阻截 (not 未能阻截) and the ledger's 止付/冻结/返还 (as services.strike.measures defines them, as on 打击挽损):
  interception_month_tally and ledger_month_tally (db/month_tallies.py), edge days from the rows' covering indexes;
- 抓获 from the strike results' covering index (a few rows a day).
A period that is not whole days (no page asks for one) is summed from the rows: cut at every period's boundaries into
disjoint pieces, one range read each. Every period is a whole number of runs or pieces, so the figures are exact."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, func, literal, select, true, type_coerce, union_all
from sqlmodel import Session

from db import month_tallies
from db.beijing_days import beijing_day_sql
from db.models import (
    AccountabilityItem,
    CaseDayTally,
    CaseDayUnitTally,
    CaseMonthTypeTally,
    DeskCall,
    DeskCallDayTally,
    DeskCallMonthTally,
    FraudCase,
    Interception,
    InterceptionMonthTally,
    LedgerMonthTally,
    RecoveryRequest,
    SolvedDayTally,
    StrikeMonthCases,
    StrikeResult,
)
from services.shared.timeutil import Period, day_start_utc, month_plan
from services.strike import measures as strike
from vocabulary import AccountabilityLevel, CallOutcome, ItemStatus

Piece = tuple[datetime, datetime]


@dataclass(frozen=True)
class Tally:
    """What happened in one period: cases and loss (fen), 阻截 (count and fen), desk calls and dissuasions,
    cases solved, people caught and the ledger's 止付/冻结/返还 (fen)."""

    cases: int = 0
    loss_fen: int = 0
    interceptions: int = 0
    intercepted_fen: int = 0
    calls: int = 0
    dissuaded: int = 0
    solved: int = 0
    caught: int = 0
    stopped_fen: int = 0
    frozen_fen: int = 0
    returned_fen: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.cases, self.loss_fen, self.interceptions, self.intercepted_fen, self.calls, self.dissuaded,
                self.solved, self.caught, self.stopped_fen, self.frozen_fen, self.returned_fen)


def _among(column, units: set[int] | None):
    # None: every unit (the top of the tree), no condition at all. Otherwise "+ 0" keeps the planner on the time
    # index, which covers the unit and the summed columns: one range read, no table lookups.
    return true() if units is None else (column + 0).in_(sorted(units))


def _pieces(periods: Sequence[Period]) -> list[Piece]:
    """The disjoint pieces the periods' boundaries cut them into (pieces outside every period left out)."""
    cuts = sorted({p.start for p in periods} | {p.end for p in periods})
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False)
            if any(p.start <= a and b <= p.end for p in periods)]


def _per_period(periods: Sequence[Period], pieces: dict[Piece, tuple[int, ...]], width: int) -> list[tuple[int, ...]]:
    totals = []
    for period in periods:
        inside = [v for (a, b), v in pieces.items() if period.start <= a and b <= period.end]
        totals.append(tuple(sum(v[i] for v in inside) for i in range(width)))
    return totals


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _union(selects: list):
    """One statement of several SELECTs (a single round trip), each planned and read on its own."""
    return selects[0] if len(selects) == 1 else union_all(*selects)


def _range_sums(session: Session, column, measures, where, pieces: list[Piece], keys: Sequence = ()
                ) -> dict[Piece, dict[tuple, tuple[int, ...]]]:
    """Each piece: the measures summed over its rows per key.

    Per piece one plain range read over the column's (covering) index, all pieces in one statement (UNION ALL):
    one round trip, and no grouping by piece (PostgreSQL hashing a CASE over a window of pieces took twice as long
    as the plain reads at 1,000,000 desk calls; SQLite groups slowly anyway).
    """
    sums: dict[Piece, dict[tuple, tuple[int, ...]]] = {piece: {} for piece in pieces}
    if not pieces:
        return sums
    selects = []
    for n, (a, b) in enumerate(pieces):
        statement = select(literal(n).label("piece"), *keys, *measures).where(where, column >= a, column < b)
        selects.append(statement.group_by(*keys) if keys else statement)
    for n, *row in session.execute(_union(selects)):
        if row[len(keys)]:  # a count of 0: the plain read of an empty piece
            sums[pieces[n]][tuple(row[:len(keys)])] = tuple(int(v or 0) for v in row[len(keys):])
    return sums


def _totals(sums: dict[Piece, dict[tuple, tuple[int, ...]]], width: int = 2) -> dict[Piece, tuple[int, ...]]:
    return {piece: by_key.get((), (0,) * width) for piece, by_key in sums.items()}


def _whole_days(period: Period) -> bool:
    return (period.start == day_start_utc(period.first_day)
            and period.end == day_start_utc(period.last_day + timedelta(days=1)))


def _day_pieces(periods: Sequence[Period]) -> list[tuple[date, date]]:
    """The disjoint runs of days [first, after) the periods' first and last days cut them into (gaps left out)."""
    cuts = sorted({p.first_day for p in periods} | {p.last_day + timedelta(days=1) for p in periods})
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False)
            if any(p.first_day <= a and b <= p.last_day + timedelta(days=1) for p in periods)]


Run = tuple[date, date]  # a run of days [first, after)
LEDGER_MEASURES = ("requests", "stopped_fen", "frozen_fen", "returned_fen")  # ledger_month_tally's, in Tally's order


def _signed_sums(session: Session, runs: list[Run], month_read, day_read, keys: int, months_from: date | None = None
                 ) -> dict[Run, dict[tuple, tuple[int, ...]]]:
    """Per run of days: the measures summed per key, whole months read by month_read(tag, first, last month) and the
    edge days by day_read(tag, first, last day), added or taken away (timeutil.month_plan; every day by day_read when
    month_read is None, and for runs with a month before months_from), all in one statement. Each read selects its
    tag, the keys, a row count (0: nothing read) and the measures; keys whose first measure nets to 0 are left out."""
    sums: dict[Run, dict[tuple, list[int]]] = {run: {} for run in runs}
    selects, tags = [], []
    for first, after in runs:
        last = after - timedelta(days=1)
        months, days = month_plan(first, last) if month_read is not None else (None, [(1, first, last)])
        if months is not None and months_from is not None and months[0] < months_from:
            months, days = None, [(1, first, last)]  # a month the tally does not hold exactly: its days
        if months is not None:
            selects.append(month_read(len(tags), *months))
            tags.append(((first, after), 1))
        for sign, a, b in days:
            selects.append(day_read(len(tags), a, b))
            tags.append(((first, after), sign))
    if selects:
        for n, *row in session.execute(_union(selects)):
            if not row[keys]:  # no row read: the plain aggregate of an empty range
                continue
            run, sign = tags[n]
            key, values = tuple(row[:keys]), row[keys + 1:]
            total = sums[run].setdefault(key, [0] * len(values))
            for i, value in enumerate(values):
                total[i] += sign * int(value or 0)
    return {run: {key: tuple(v) for key, v in by_key.items() if v[0]} for run, by_key in sums.items()}


def _grouped(statement, columns: list):
    return statement.group_by(*columns) if columns else statement


def _tally_read(model, period_column: str, units: set[int] | None, measures: Sequence[str], keys: Sequence[str] = ()):
    """A read (for _signed_sums) of a tally's measures summed per key over a range of its days or months."""
    table = model.__table__
    columns = [table.c[k] for k in keys]

    def read(tag: int, first: date, last: date):
        statement = (select(literal(tag).label("piece"), *columns, func.count(), *[func.sum(table.c[m]) for m in measures])
                     .where(table.c[period_column] >= first, table.c[period_column] <= last,
                            true() if units is None else table.c.unit_id.in_(sorted(units))))
        return _grouped(statement, columns)
    return read


def _tally_pieces(session: Session, units: set[int] | None, pieces: list[Run], keys: Sequence[str]
                  ) -> dict[Run, dict[tuple, tuple[int, int]]]:
    """Per run of days [first, after): cases and loss summed per key (day, unit_id, fraud_type) from the tallies
    (db/case_tally.py): by type, whole months from case_month_type_tally and the edge days from case_day_tally;
    otherwise whole months from strike_month_cases and days from case_day_unit_tally; by day, every day. The rows
    read grow with days (or months) x units (x types), never with cases."""
    by_type, measures = "fraud_type" in keys, ("cases", "loss_fen")
    days = _tally_read(CaseDayTally if by_type else CaseDayUnitTally, "day", units, measures, keys)
    months = None if "day" in keys else _tally_read(
        CaseMonthTypeTally if by_type else StrikeMonthCases, "month", units, measures, keys)
    return _signed_sums(session, pieces, months, days, len(keys))


def _from_cases(session: Session, units: set[int] | None, period: Period, keys: Sequence[str]
                ) -> dict[tuple, tuple[int, int]]:
    """Cases of a period that is not whole Beijing days (none of the pages' periods), summed per key from the cases."""
    day = type_coerce(beijing_day_sql(FraudCase.reported_at, session.get_bind().dialect.name), Date)
    columns = [day if k == "day" else FraudCase.__table__.c[k] for k in keys]
    statement = (select(*columns, func.count(), func.sum(FraudCase.loss_fen))
                 .where(true() if units is None else FraudCase.unit_id.in_(sorted(units)),
                        FraudCase.reported_at >= period.start, FraudCase.reported_at < period.end))
    rows = session.execute(statement.group_by(*columns) if columns else statement)
    return {tuple(row[:len(keys)]): (int(row[-2]), int(row[-1] or 0)) for row in rows if row[-2]}


def _case_sums(session: Session, units: set[int] | None, periods: Sequence[Period], keys: Sequence[str] = ()
               ) -> list[dict[tuple, tuple[int, int]]]:
    """Per period: cases reported and their loss (fen) per key (day, unit_id, fraud_type; () for the total).

    Whole Beijing days are read from case_day_tally, one read per disjoint run of days (days x units x types rows
    at most, whatever the number of cases); a period adds up its runs here.
    """
    if not all(_whole_days(p) for p in periods):
        return [_from_cases(session, units, p, keys) for p in periods]
    pieces = _tally_pieces(session, units, _day_pieces(periods), keys)
    result = []
    for period in periods:
        sums: dict[tuple, tuple[int, int]] = {}
        for (a, b), by_key in pieces.items():
            if period.first_day <= a and b <= period.last_day + timedelta(days=1):
                for key, (n, loss) in by_key.items():
                    before = sums.get(key, (0, 0))
                    sums[key] = (before[0] + n, before[1] + loss)
        result.append(sums)
    return result


def case_sums_by_unit(session: Session, units: set[int] | None, periods: Sequence[Period]
                      ) -> list[dict[int, tuple[int, int]]]:
    """Per period: per unit, cases reported in the period and their loss (fen)."""
    return [{key[0]: value for key, value in sums.items()}
            for sums in _case_sums(session, units, periods, ("unit_id",))]


def _per_period_days(periods: Sequence[Period], pieces: dict, width: int) -> list[tuple[int, ...]]:
    totals = []
    for period in periods:
        after = period.last_day + timedelta(days=1)
        inside = [v for (a, b), v in pieces.items() if period.first_day <= a and b <= after]
        totals.append(tuple(sum(v[i] for v in inside) for i in range(width)))
    return totals


def _solved(session: Session, units: set[int] | None, runs: list[Run]) -> dict[Run, dict[tuple, tuple[int, ...]]]:
    """Per run of days: cases solved on them (破案, services.strike.measures.SOLVED_ON), whole months from
    strike_month_cases and edge days from solved_day_tally (both kept by the database with every change of a case's
    solving day or unit)."""
    return _signed_sums(session, runs, _tally_read(StrikeMonthCases, "month", units, ("solved",)),
                        _tally_read(SolvedDayTally, "day", units, ("solved",)), 0)


def _instant_sums(column, measures: Sequence, where):
    """A read of rows' measures over whole Beijing days by their instant (one range over the column's index)."""
    def read(tag: int, first: date, last: date):
        return select(literal(tag).label("piece"), func.count(), *measures).where(
            where, column >= day_start_utc(first), column < day_start_utc(last + timedelta(days=1)))
    return read


def _ledger(session: Session, units: set[int] | None, periods: Sequence[Period]) -> list[tuple[int, ...]]:
    """Per period: ledger requests made in it and their 止付/冻结/返还 (fen); whole Beijing days read whole months
    from ledger_month_tally and edge days from the requests (kept by triggers, migration 0023)."""
    amounts = (func.count(), func.sum(strike.STOPPED), func.sum(strike.FROZEN), func.sum(strike.RETURNED))
    if all(_whole_days(p) for p in periods):
        runs = _day_pieces(periods)
        sums = _signed_sums(session, runs, _tally_read(LedgerMonthTally, "month", units, LEDGER_MEASURES),
                            _instant_sums(strike.LEDGER_AT, amounts, _among(RecoveryRequest.unit_id, units)), 0,
                            month_tallies.READ_FROM)
        return _per_period_days(periods, _totals(sums, 4), 4)
    return _per_period(periods, _totals(_range_sums(session, strike.LEDGER_AT, amounts,
                                                    _among(RecoveryRequest.unit_id, units), _pieces(periods)), 4), 4)


def _blocked(session: Session, units: set[int] | None, periods: Sequence[Period]) -> list[tuple[int, ...]]:
    """Per period: counted 阻截 (not 未能阻截) and their amounts (fen); whole Beijing days read whole months from
    interception_month_tally and edge days from the interceptions (kept by triggers, migration 0023)."""
    measures = (func.count(), func.sum(Interception.amount_fen))
    where = and_(_among(Interception.unit_id, units), strike.INTERCEPTION_COUNTED)
    if all(_whole_days(p) for p in periods):
        runs = _day_pieces(periods)
        sums = _signed_sums(session, runs, _tally_read(InterceptionMonthTally, "month", units, ("interceptions", "amount_fen")),
                            _instant_sums(Interception.intercepted_at, measures, where), 0, month_tallies.READ_FROM)
        return _per_period_days(periods, _totals(sums, 2), 2)
    return _per_period(periods, _totals(_range_sums(session, Interception.intercepted_at, measures, where,
                                                    _pieces(periods)), 2), 2)


def _strike_sums(session: Session, units: set[int] | None, periods: Sequence[Period]) -> list[tuple[int, ...]]:
    """Per period: cases solved on its days, people caught on its days, 止付/冻结/返还 (fen) of requests made in it.

    Each in range reads like 阻截 (solved and caught by Beijing day, the ledger by instant) over covering indexes.
    """
    days = _day_pieces(periods)
    solved = _per_period_days(periods, _totals(_solved(session, units, days), 1), 1)
    caught = _per_period_days(periods, _totals(_range_sums(
        session, strike.CAUGHT_ON, (func.count(), func.sum(strike.CAUGHT)), _among(StrikeResult.unit_id, units),
        days)), 2)
    ledger = _ledger(session, units, periods)
    return [(s[0], c[1], *money[1:]) for s, c, money in zip(solved, caught, ledger, strict=True)]


def _call_sums(session: Session, units: set[int] | None, periods: Sequence[Period], pieces: list[Piece]
               ) -> list[tuple[int, ...]]:
    """Per period: desk calls and dissuasions of the units (whole Beijing days: whole months from
    desk_call_month_tally, edge days from desk_call_day_tally)."""
    if all(_whole_days(p) for p in periods):
        measures = ("calls", "dissuaded")
        sums = _signed_sums(session, _day_pieces(periods), _tally_read(DeskCallMonthTally, "month", units, measures),
                            _tally_read(DeskCallDayTally, "day", units, measures), 0)
        return _per_period_days(periods, _totals(sums, 2), 2)
    # A call belongs to its jurisdiction, or to the desk's own unit when no jurisdiction was given (as everywhere).
    owner = func.coalesce(DeskCall.jurisdiction_unit_id, DeskCall.desk_unit_id)
    dissuaded = func.sum(case((DeskCall.outcome == CallOutcome.DISSUADED.value, 1), else_=0))
    return _per_period(periods, _totals(_range_sums(session, DeskCall.received_at, (func.count(), dissuaded),
                                                    true() if units is None else owner.in_(sorted(units)), pieces)), 2)


def tallies(session: Session, units: set[int] | None, periods: Sequence[Period],
            known_cases: dict[Period, tuple[int, int]] | None = None) -> list[Tally]:
    """Every headline measure of the units in each period (from the tallies; see the module's docstring).

    known_cases: cases and loss of some of the periods for the same units, already summed by the caller (the
    branch table's per-unit sums added up); only the other periods' cases are read.
    """
    pieces = _pieces(periods)
    known = known_cases or {}
    unknown = list(dict.fromkeys(p for p in periods if p not in known))
    read = dict(zip(unknown, (sums.get((), (0, 0)) for sums in _case_sums(session, units, unknown)), strict=True))
    cases = [known[p] if p in known else read[p] for p in periods]
    blocked = _blocked(session, units, periods)
    calls = _call_sums(session, units, periods, pieces)
    struck = _strike_sums(session, units, periods)
    return [Tally(*c, *b, *k, *s) for c, b, k, s in zip(cases, blocked, calls, struck, strict=True)]


def tally(session: Session, units: set[int] | None, period: Period) -> Tally:
    """Every headline measure of the units in one period."""
    return tallies(session, units, [period])[0]


def daily_case_sums(session: Session, units: set[int] | None, period: Period) -> dict[date, tuple[int, int]]:
    """Per Beijing day of the period: cases reported and their loss (fen); days without cases are absent."""
    return {key[0]: value for key, value in _case_sums(session, units, [period], ("day",))[0].items()}


def type_sums(session: Session, units: set[int] | None, period: Period) -> dict[str, tuple[int, int]]:
    """Per fraud type code: cases reported in the period and their loss (fen)."""
    return {key[0]: value for key, value in _case_sums(session, units, [period], ("fraud_type",))[0].items()}


OPEN_STATUSES = tuple(status.value for status in ItemStatus if status != ItemStatus.CLOSED)


def open_items_by_level(session: Session, units: set[int]) -> dict[AccountabilityLevel, int]:
    """Open (not closed) loss-threshold accountability items of the units, per level (every level, zeros too)."""
    item = AccountabilityItem
    # Every unit and every open status named: one probe of the (unit_id, status) index per pair, so only open
    # items are read (closed ones pile up with the cases, open ones do not), for a whole city too.
    statement = (select(item.level, func.count())
                 .where(item.unit_id.in_(sorted(units)), item.status.in_(OPEN_STATUSES), item.case_id.is_not(None))
                 .group_by(item.level))
    counts: dict[AccountabilityLevel, int] = defaultdict(int)
    for level, n in session.execute(statement):
        if level in AccountabilityLevel._value2member_map_:
            counts[AccountabilityLevel(level)] += int(n)
    return {level: counts[level] for level in AccountabilityLevel}
