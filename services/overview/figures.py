"""SQL aggregates of a unit subtree over Beijing-day periods: cases, loss, interceptions, desk calls, open items.

Cases and loss come from case_day_tally (per Beijing day, unit and type, kept with every case write), desk calls and
dissuasions from desk_call_day_tally (per Beijing day and unit, kept with every call write): the periods are cut into
disjoint runs of whole days, each read once over the tally, so the work grows with days x units (x types), not with
cases or calls (a period that is not whole days, which no page asks for, is summed from the rows). Interceptions,
破案, 抓获 and the ledger's 止付/冻结/返还 (counted as services.strike.measures defines them, as on the 打击挽损
page): several periods read together (今日, 昨日, 本月, the same days last month and last year) are cut at every
period's boundaries into disjoint pieces; each piece is one plain range sum over a covering index, each row is read
once, and a period adds up its pieces here. Every period is a whole number of pieces, so the figures are exact."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, case, func, literal, select, true, type_coerce, union_all
from sqlmodel import Session

from db.beijing_days import beijing_day_sql
from db.models import (
    AccountabilityItem,
    CaseDayTally,
    DeskCall,
    DeskCallDayTally,
    FraudCase,
    Interception,
    RecoveryRequest,
    StrikeResult,
)
from services.shared.timeutil import Period, day_start_utc
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


def _tally_pieces(session: Session, units: set[int] | None, pieces: list[tuple[date, date]], keys: Sequence[str]
                  ) -> dict[tuple[date, date], dict[tuple, tuple[int, int]]]:
    """Per run of days [first, after): tally rows summed per key (one range read over the tally's primary key per
    run, all runs in one statement)."""
    columns = [CaseDayTally.__table__.c[k] for k in keys]
    sums: dict[tuple[date, date], dict[tuple, tuple[int, int]]] = {piece: {} for piece in pieces}
    if not pieces:
        return sums
    selects = []
    for n, (first, after) in enumerate(pieces):
        statement = (select(literal(n).label("piece"), *columns, func.count(), func.sum(CaseDayTally.cases),
                            func.sum(CaseDayTally.loss_fen))
                     .where(CaseDayTally.day >= first, CaseDayTally.day < after,
                            true() if units is None else CaseDayTally.unit_id.in_(sorted(units))))
        selects.append(statement.group_by(*columns) if columns else statement)
    for n, *row in session.execute(_union(selects)):
        if row[len(keys)]:
            sums[pieces[n]][tuple(row[:len(keys)])] = (int(row[-2]), int(row[-1] or 0))
    return sums


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


def _strike_sums(session: Session, units: set[int] | None, periods: Sequence[Period]) -> list[tuple[int, ...]]:
    """Per period: cases solved on its days, people caught on its days, 止付/冻结/返还 (fen) of requests made in it.

    Each in range reads like 阻截 (solved and caught by Beijing day, the ledger by instant) over covering indexes.
    """
    days = _day_pieces(periods)
    solved = _per_period_days(periods, _totals(_range_sums(
        session, strike.SOLVED_ON, (func.count(),), _among(FraudCase.unit_id, units), days), 1), 1)
    caught = _per_period_days(periods, _totals(_range_sums(
        session, strike.CAUGHT_ON, (func.count(), func.sum(strike.CAUGHT)), _among(StrikeResult.unit_id, units),
        days)), 2)
    amounts = (func.count(), func.sum(strike.STOPPED), func.sum(strike.FROZEN), func.sum(strike.RETURNED))
    ledger = _per_period(periods, _totals(_range_sums(session, strike.LEDGER_AT, amounts,
                                                      _among(RecoveryRequest.unit_id, units), _pieces(periods)), 4), 4)
    return [(s[0], c[1], *money[1:]) for s, c, money in zip(solved, caught, ledger, strict=True)]


def _call_sums(session: Session, units: set[int] | None, periods: Sequence[Period], pieces: list[Piece]
               ) -> list[tuple[int, ...]]:
    """Per period: desk calls and dissuasions of the units (whole Beijing days from desk_call_day_tally)."""
    if all(_whole_days(p) for p in periods):
        days = _day_pieces(periods)
        where = true() if units is None else DeskCallDayTally.unit_id.in_(sorted(units))
        sums = _range_sums(session, DeskCallDayTally.day, (func.count(), func.sum(DeskCallDayTally.calls),
                                                          func.sum(DeskCallDayTally.dissuaded)), where, days)
        return [(calls, dissuaded) for _, calls, dissuaded in _per_period_days(periods, _totals(sums, 3), 3)]
    # A call belongs to its jurisdiction, or to the desk's own unit when no jurisdiction was given (as everywhere).
    owner = func.coalesce(DeskCall.jurisdiction_unit_id, DeskCall.desk_unit_id)
    dissuaded = func.sum(case((DeskCall.outcome == CallOutcome.DISSUADED.value, 1), else_=0))
    return _per_period(periods, _totals(_range_sums(session, DeskCall.received_at, (func.count(), dissuaded),
                                                    true() if units is None else owner.in_(sorted(units)), pieces)), 2)


def tallies(session: Session, units: set[int] | None, periods: Sequence[Period],
            known_cases: dict[Period, tuple[int, int]] | None = None) -> list[Tally]:
    """Every headline measure of the units in each period (cases from the day tally; the rest in range reads).

    known_cases: cases and loss of some of the periods for the same units, already summed by the caller (the
    branch table's per-unit sums added up); only the other periods' cases are read.
    """
    pieces = _pieces(periods)
    known = known_cases or {}
    unknown = list(dict.fromkeys(p for p in periods if p not in known))
    read = dict(zip(unknown, (sums.get((), (0, 0)) for sums in _case_sums(session, units, unknown)), strict=True))
    cases = [known[p] if p in known else read[p] for p in periods]
    blocked = _per_period(periods, _totals(_range_sums(session, Interception.intercepted_at,
                                                       (func.count(), func.sum(Interception.amount_fen)),
                                                       _among(Interception.unit_id, units), pieces)), 2)
    calls = _call_sums(session, units, periods, pieces)
    strike = _strike_sums(session, units, periods)
    return [Tally(*c, *b, *k, *s) for c, b, k, s in zip(cases, blocked, calls, strike, strict=True)]


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
