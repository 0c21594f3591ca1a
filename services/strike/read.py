"""打击挽损 read models: 两升两降 against the same days last year, the ledger's measures, 挽损 totals and lists."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from sqlalchemy import String, cast, func, select
from sqlmodel import Session

from db import strike_tally
from db.models import (
    AppUser,
    CaseDayTally,
    DeskCall,
    Dissuasion,
    FraudCase,
    Identifier,
    Interception,
    RecoveryRequest,
    StrikeMonthCases,
    StrikeMonthTally,
    StrikeMonthValues,
    StrikeResult,
    Unit,
)
from services.access.actor import Actor
from services.access.masking import free_text_for, mask_bank_account
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.shared.timeutil import Period, Span, day_start_utc, month_plan, month_start, period_of_days
from services.strike import measures
from services.strike.text import NO_BRANCH, NO_TYPE, SOURCE_CALL, SOURCE_CASE
from vocabulary import DissuasionOutcome, FraudType, RecoveryStatus

GOLDEN_HOUR_MINUTES = 60
MEASURES = ("solved", "caught", "incidents", "loss_fen")
GOOD_WHEN_UP = {"solved": True, "caught": True, "incidents": False, "loss_fen": False}


@dataclass(frozen=True)
class Change:
    """A figure this period and the same days last year, and which way it should go."""

    current: int
    previous: int
    good_when_up: bool

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def direction(self) -> str:
        """'up', 'down' or 'flat'."""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "flat"

    @property
    def good(self) -> bool | None:
        """Whether it moved the way the plans want (None when flat)."""
        if self.delta == 0:
            return None
        return (self.delta > 0) == self.good_when_up

    @property
    def rate_percent(self) -> Decimal | None:
        """The change in percent of last year's figure, one decimal; None when last year was 0."""
        if self.previous == 0:
            return None
        return (Decimal(self.delta) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class UnitChanges:
    """两升两降 of one unit (its whole subtree)."""

    unit_id: int
    unit_name: str
    changes: dict[str, Change]


def _buckets(session: Session, actor: Actor, unit_id: int | None) -> tuple[Unit, list[Unit], dict[int, int]]:
    """The chosen unit, its rows (children, or itself when it has none) and every subtree unit → its row's id."""
    top = scoped_unit(session, actor, unit_id)
    units = session.execute(select(Unit.id, Unit.path, Unit.parent_id).where(Unit.path.startswith(top.path))).all()
    children = session.execute(select(Unit).where(Unit.parent_id == top.id)
                               .order_by(Unit.sort_order, Unit.id)).scalars().all() or [top]
    bucket_of: dict[int, int] = {}
    for uid, path, _ in units:
        owner = next((c.id for c in children if path.startswith(c.path)), top.id)
        bucket_of[uid] = owner
    return top, list(children), bucket_of


def _subtree(top: Unit):
    return select(Unit.id).where(Unit.path.startswith(top.path)).scalar_subquery()


def _subtree_ids(session: Session, top: Unit) -> list[int]:
    """The ids of the units of top's subtree (for reads walking each unit's range of a unit-led index)."""
    return sorted(session.execute(select(Unit.id).where(Unit.path.startswith(top.path))).scalars().all())


def _in_subtree(column, top: Unit):
    """SQL: the row's unit is in the subtree. "+ 0" keeps the planner on the time index (which holds the unit and
    the summed columns: one range read, no table lookups) instead of walking each unit's every row and sorting."""
    return (column + 0).in_(_subtree(top))


def _whole_days(period: Period) -> bool:
    return period.start == day_start_utc(period.first_day) and period.end == day_start_utc(
        period.last_day + timedelta(days=1))


def _reported(session: Session, top: Unit, period: Period):
    """(unit, cases, loss) of the cases reported in the period: from case_day_tally (kept with every case write, one
    range read over its (day, unit, type) key) when the period is whole Beijing days, as every span is."""
    if _whole_days(period):
        return session.execute(
            select(CaseDayTally.unit_id, func.sum(CaseDayTally.cases), func.sum(CaseDayTally.loss_fen)).where(
                CaseDayTally.day >= period.first_day, CaseDayTally.day <= period.last_day,
                _in_subtree(CaseDayTally.unit_id, top))
            .group_by(CaseDayTally.unit_id)).all()
    return session.execute(
        select(FraudCase.unit_id, func.count(), func.coalesce(func.sum(FraudCase.loss_fen), 0)).where(
            FraudCase.reported_at >= period.start, FraudCase.reported_at < period.end,
            FraudCase.unit_id.in_(_subtree(top)))
        .group_by(FraudCase.unit_id)).all()


def _figures(session: Session, top: Unit, period: Period, bucket_of: dict[int, int]) -> dict[str, dict[int, int]]:
    """solved/caught/incidents/loss per row for one period.

    Whole months from strike_month_cases (kept by the database with every change of case_day_tally and of a case's
    solving day or unit), the edge days (at most half a month at each end) from the day tally and the cases."""
    figures: dict[str, dict[int, int]] = {m: defaultdict(int) for m in MEASURES}

    def count(measure: str, unit_id: int, value, sign: int = 1) -> None:
        figures[measure][bucket_of.get(unit_id, unit_id)] += sign * int(value or 0)

    months, pieces = _month_pieces(period)
    if months is not None:
        m = StrikeMonthCases
        for unit_id, solved, cases, loss in session.connection().execute(
                select(m.unit_id, func.sum(m.solved), func.sum(m.cases), func.sum(m.loss_fen)).where(
                    m.unit_id.in_(_subtree_ids(session, top)), m.month >= months[0], m.month <= months[1])
                .group_by(m.unit_id)):
            if unit_id in bucket_of:
                count("solved", unit_id, solved)
            count("incidents", unit_id, cases)
            count("loss_fen", unit_id, loss)
    for sign, piece in pieces:
        # All units' solved counts from the (solved_on, unit_id) index, the subtree kept here: with the unit filter
        # in SQL, SQLite walks each unit's every case instead.
        for unit_id, n in session.execute(select(FraudCase.unit_id, func.count()).where(measures.solved_in(piece))
                                          .group_by(FraudCase.unit_id)).all():
            if unit_id in bucket_of:
                count("solved", unit_id, n, sign)
        for unit_id, cases, loss in _reported(session, top, piece):
            count("incidents", unit_id, cases, sign)
            count("loss_fen", unit_id, loss, sign)
    for unit_id, caught in session.execute(
            select(StrikeResult.unit_id, func.coalesce(func.sum(measures.CAUGHT), 0)).where(
                measures.caught_in(period), StrikeResult.unit_id.in_(_subtree(top))).group_by(StrikeResult.unit_id)):
        count("caught", unit_id, caught)
    return {m: dict(v) for m, v in figures.items()}


def two_up_two_down(session: Session, actor: Actor, unit_id: int | None, span: Span) -> list[UnitChanges]:
    """两升两降 of the chosen unit (first row, its whole subtree) and of each unit directly below it."""
    require(actor, Permission.VIEW_CASES)
    top, rows, bucket_of = _buckets(session, actor, unit_id)
    now, before = _figures(session, top, span.current, bucket_of), _figures(session, top, span.year_ago, bucket_of)

    def changes(ids: list[int]) -> dict[str, Change]:
        return {m: Change(sum(now[m].get(i, 0) for i in ids), sum(before[m].get(i, 0) for i in ids), GOOD_WHEN_UP[m])
                for m in MEASURES}

    # The first row is the whole subtree: the rows below plus what is recorded on the chosen unit itself.
    result = [UnitChanges(top.id, top.name, changes(sorted({r.id for r in rows} | {top.id})))]
    if rows != [top]:
        result += [UnitChanges(r.id, r.name, changes([r.id])) for r in rows]
    return result


# ---------------------------------------------------------------------------------------------------- the ledger

@dataclass(frozen=True)
class RecoveryFigures:
    """The ledger's measures over the requests made in a period."""

    requests: int
    requested_fen: int
    frozen_fen: int
    returned_fen: int
    stopped: int  # requests with a 止付 time
    within_golden_hour: int
    median_minutes: Decimal | None

    @property
    def return_rate(self) -> Decimal | None:
        """返还率 in percent (returned ÷ frozen), one decimal; None when nothing was frozen."""
        if self.frozen_fen == 0:
            return None
        return (Decimal(self.returned_fen) * 100 / Decimal(self.frozen_fen)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def golden_hour_rate(self) -> Decimal | None:
        if self.stopped == 0:
            return None
        return (Decimal(self.within_golden_hour) * 100 / Decimal(self.stopped)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def minutes_between(start: datetime, end: datetime) -> Decimal:
    """Whole and fractional minutes from start to end (one decimal)."""
    return (Decimal((end - start).total_seconds()) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _ledger_where(top: Unit, period: Period):
    return measures.requested_in(period), _in_subtree(RecoveryRequest.unit_id, top)


def _ledger_rows(session: Session, top: Unit, period: Period):
    """The ledger requests of a period in a unit's subtree (as other pages sum them)."""
    return select(RecoveryRequest).where(*_ledger_where(top, period))


def _aggregate(session: Session, column, separator: str = ","):
    """SQL: a column's non-null values of a group as one text (SQLite group_concat, PostgreSQL string_agg)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(cast(column, String), separator)
    return func.group_concat(column, separator)


def _integers(texts) -> np.ndarray:
    """The integers of comma-separated texts (None or "": none; a trailing comma allowed), as one array."""
    joined = ",".join(t.rstrip(",") for t in texts if t)
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, dtype=np.int64)


def _middle(values: np.ndarray) -> Decimal | None:
    """The exact median of integers (the mean of the middle two of an even count); None when there are none."""
    n = len(values)
    if n == 0:
        return None
    lower, upper = (n - 1) // 2, n // 2
    part = np.partition(values, [lower, upper])
    return Decimal(int(part[lower]) + int(part[upper])) / 2


def _whole_months(period: Period) -> tuple[tuple[date, date] | None, list[Period]]:
    """The months a period of whole Beijing days covers entirely (first and last month start, or None) and the day
    pieces of the months it covers in part (at most one at each end); a period not of whole days is one piece."""
    if not _whole_days(period):
        return None, [period]
    first_month = month_start(period.first_day)
    if first_month != period.first_day:
        first_month = (first_month + timedelta(days=32)).replace(day=1)
    after = period.last_day + timedelta(days=1)
    last_month = month_start(after)  # the month after the last whole one
    if first_month >= last_month:
        return None, [period]
    pieces = []
    if period.first_day < first_month:
        pieces.append(period_of_days(period.first_day, first_month - timedelta(days=1)))
    if last_month <= period.last_day:
        pieces.append(period_of_days(last_month, period.last_day))
    return (first_month, (last_month - timedelta(days=1)).replace(day=1)), pieces


def _month_values(session: Session, months: tuple[date, date] | None, kinds: tuple[str, ...], ids: list[int]):
    """(unit, kind, n, values text) of strike_month_values over whole months (kept with every write)."""
    if months is None:
        return []
    v = StrikeMonthValues
    return session.connection().execute(select(v.unit_id, v.kind, v.n, v.vals).where(
        v.kind.in_(kinds), v.month >= months[0], v.month <= months[1], v.unit_id.in_(ids))).all()


def _median_minutes(session: Session, top: Unit, period: Period) -> Decimal | None:
    """The median minutes from report to 止付 of the period's requests: their kept milliseconds (stop_ms), the whole
    months' from strike_month_values, the edge days' from ix_recovery_request_requested_stop; the middle exact."""
    months, pieces = _whole_months(period)
    texts = [row.vals for row in _month_values(session, months, (strike_tally.STOP,), _subtree_ids(session, top))]
    for piece in pieces:
        texts += session.execute(select(_aggregate(session, RecoveryRequest.stop_ms)).where(
            *_ledger_where(top, piece), RecoveryRequest.stop_ms.is_not(None))).scalars().all()
    middle = _middle(_integers(texts))
    return None if middle is None else (middle / 60_000).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------- month tally

SUMS = strike_tally.FIELDS  # requests, requested, frozen, returned, stopped, golden, interceptions, protected


def _month_pieces(period: Period) -> tuple[tuple[date, date] | None, list[tuple[int, Period]]]:
    """How a period is read: the first and last month taken whole from the month tallies (None: none), and the day
    pieces read from the rows with their sign (timeutil.month_plan). A period not of whole days is read from the
    rows alone."""
    if not _whole_days(period):
        return None, [(1, period)]
    months, runs = month_plan(period.first_day, period.last_day)
    return months, [(sign, period_of_days(first, last)) for sign, first, last in runs]


@dataclass
class _Sums:
    """挽损 and ledger sums (by SUMS) of a period: per unit, and per (grouping, key) for bank/branch and type."""

    units: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(SUMS)))
    groups: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(SUMS)))

    def add(self, target: list[int], values, sign: int, at: int = 0) -> None:
        for i, value in enumerate(values):
            target[at + i] += sign * int(value or 0)


def _tally_sums(session: Session, top: Unit, months: tuple[date, date], sums: _Sums) -> None:
    t = StrikeMonthTally
    where = (t.month >= months[0], t.month <= months[1], _in_subtree(t.unit_id, top))
    totals = [func.sum(getattr(t, name)) for name in SUMS]
    connection = session.connection()
    for unit_id, *values in connection.execute(select(t.unit_id, *totals).where(t.grouping == "unit", *where)
                                               .group_by(t.unit_id)):
        sums.add(sums.units[unit_id], values, 1)
    # bank/branch and type rows count a unit's whole subtree: the chosen unit's own rows, read in key order
    for grouping, key, *values in connection.execute(select(t.grouping, t.key, *totals).where(
            t.grouping.in_(("bank", "type")), t.unit_id == top.id, t.month >= months[0], t.month <= months[1])
            .group_by(t.grouping, t.key)):
        sums.add(sums.groups[(grouping, key)], values, 1)


def _row_sums(session: Session, top: Unit, period: Period, sign: int, sums: _Sums) -> None:
    """The same sums from the rows of some days (a small GROUP BY per grouping and side over the time indexes)."""
    r, i = RecoveryRequest, Interception
    connection = session.connection()  # plain rows: no ORM result processing
    r_where = _ledger_where(top, period)
    i_where = (i.intercepted_at >= period.start, i.intercepted_at < period.end, _in_subtree(i.unit_id, top),
               measures.INTERCEPTION_COUNTED)
    ledger = (func.count(), func.sum(r.requested_fen), func.sum(r.frozen_fen), func.sum(r.returned_fen),
              func.count(r.stop_ms), func.count().filter(r.stop_ms <= strike_tally.GOLDEN_HOUR_MS))
    for unit_id, *values in connection.execute(select(r.unit_id, *ledger).where(*r_where).group_by(r.unit_id)):
        sums.add(sums.units[unit_id], values, sign)
    for unit_id, n, amount in connection.execute(
            select(i.unit_id, func.count(), func.sum(i.amount_fen)).where(*i_where).group_by(i.unit_id)):
        sums.add(sums.units[unit_id], (n, amount), sign, at=6)
    for grouping, r_key, i_key in (("bank", r.bank_name, i.branch_name), ("type", r.fraud_type, i.fraud_type)):
        for key, n, frozen, returned in connection.execute(
                select(r_key, func.count(), func.sum(r.frozen_fen), func.sum(r.returned_fen)).where(*r_where)
                .group_by(r_key)):
            target = sums.groups[(grouping, key or "")]
            sums.add(target, (n,), sign)
            sums.add(target, (frozen, returned), sign, at=2)
        for key, n, amount in connection.execute(
                select(i_key, func.count(), func.sum(i.amount_fen)).where(*i_where).group_by(i_key)):
            sums.add(sums.groups[(grouping, key or "")], (n, amount), sign, at=6)


def _sums(session: Session, top: Unit, period: Period) -> _Sums:
    """The ledger's and 挽损's sums of a period in a unit's subtree: whole months from strike_month_tally (kept with
    every write), the edge days from the rows; the same figures as summing the rows of the whole period."""
    memo = session.info.setdefault("strike_sums", {})  # the board asks twice in one read (measures, 挽损 tables)
    if (top.id, period) in memo:
        return memo[(top.id, period)]
    months, pieces = _month_pieces(period)
    sums = _Sums()
    if months is not None:
        _tally_sums(session, top, months, sums)
    for sign, piece in pieces:
        _row_sums(session, top, piece, sign, sums)
    memo[(top.id, period)] = sums
    return sums


def recovery_figures(session: Session, actor: Actor, unit_id: int | None, period: Period) -> RecoveryFigures:
    """Frozen, returned, 返还率 and minutes from report to 止付 over the requests of a period in a unit's subtree."""
    require(actor, Permission.VIEW_CASES)
    top = scoped_unit(session, actor, unit_id)
    total = [0] * len(SUMS)
    for values in _sums(session, top, period).units.values():
        for n, value in enumerate(values):
            total[n] += value
    requests, requested, frozen, returned, stopped, inside = total[:6]
    # minutes ≤ 60 ⇔ milliseconds ≤ 3,600,000 (kept to the millisecond: 3600.001 s is 60.00002 minutes)
    return RecoveryFigures(requests, requested, frozen, returned, stopped, inside,
                           _median_minutes(session, top, period) if stopped else None)


@dataclass(frozen=True)
class LedgerRow:
    """A ledger row as lists show it: account masked."""

    id: int
    source: str
    unit_name: str
    account: str
    bank: str
    fraud_type: str
    reported_at: datetime
    requested_at: datetime
    stopped_at: datetime | None
    frozen_at: datetime | None
    returned_on: object
    requested_fen: int
    stopped_fen: int
    frozen_fen: int
    returned_fen: int
    status: str
    status_label: str
    officer: str
    minutes_to_stop: Decimal | None = None


LEDGER_COLUMNS = (RecoveryRequest.id, RecoveryRequest.desk_call_id, RecoveryRequest.bank_name,
                  RecoveryRequest.fraud_type, RecoveryRequest.reported_at, RecoveryRequest.requested_at,
                  RecoveryRequest.stopped_at, RecoveryRequest.frozen_at, RecoveryRequest.returned_on,
                  RecoveryRequest.requested_fen, RecoveryRequest.stopped_fen, RecoveryRequest.frozen_fen,
                  RecoveryRequest.returned_fen, RecoveryRequest.status)


def ledger(session: Session, actor: Actor, unit_id: int | None, period: Period, limit: int = 500) -> list[LedgerRow]:
    """The requests of a period in a unit's subtree, newest first, accounts masked."""
    require(actor, Permission.VIEW_CASES)
    top = scoped_unit(session, actor, unit_id)
    # Plain rows; the newest first walked backwards down ix_recovery_request_requested (requested_at, then id),
    # stopping at the limit: no sort of the period's rows.
    statement = (
        select(*LEDGER_COLUMNS, Identifier.value_norm, Unit.name, FraudCase.case_no, AppUser.display_name)
        .where(*_ledger_where(top, period))
        .join(Identifier, Identifier.id == RecoveryRequest.identifier_id)
        .join(Unit, Unit.id == RecoveryRequest.unit_id)
        .outerjoin(FraudCase, FraudCase.id == RecoveryRequest.case_id)
        .outerjoin(AppUser, AppUser.id == RecoveryRequest.officer_id)
        .order_by(RecoveryRequest.requested_at.desc(), RecoveryRequest.id.desc()).limit(limit)
    )
    return [_ledger_row(r) for r in session.execute(statement).all()]


def _ledger_row(r) -> LedgerRow:
    source = SOURCE_CALL.format(id=r.desk_call_id) if r.desk_call_id else SOURCE_CASE.format(case_no=r.case_no)
    return LedgerRow(
        r.id, source, r.name, mask_bank_account(r.value_norm) or "", r.bank_name or "",
        FraudType.label_of(r.fraud_type, "") if r.fraud_type else "", r.reported_at, r.requested_at, r.stopped_at,
        r.frozen_at, r.returned_on, r.requested_fen, r.stopped_fen, r.frozen_fen, r.returned_fen, r.status,
        RecoveryStatus.label_of(r.status, r.status), r.display_name or "",
        minutes_between(r.reported_at, r.stopped_at) if r.stopped_at else None)


# ---------------------------------------------------------------------------------------------------- 挽损 totals

@dataclass
class Saved:
    """挽损 of one group: protected at the counter, frozen, and (part of frozen) returned."""

    name: str
    protected_fen: int = 0
    frozen_fen: int = 0
    returned_fen: int = 0
    interceptions: int = 0
    requests: int = 0

    @property
    def saved_fen(self) -> int:
        """protected + frozen; returned money is frozen money given back, so it is not added again."""
        return self.protected_fen + self.frozen_fen


@dataclass(frozen=True)
class SavedTables:
    """挽损 totals of a period by unit, by branch (bank branch or bank) and by fraud type, and the grand total."""

    total: Saved
    by_unit: list[Saved] = field(default_factory=list)
    by_branch: list[Saved] = field(default_factory=list)
    by_type: list[Saved] = field(default_factory=list)


def _type_name(code: str | None) -> str:
    return FraudType.label_of(code, code) if code else NO_TYPE


def saved_tables(session: Session, actor: Actor, unit_id: int | None, period: Period) -> SavedTables:
    """Interceptions (not 未能阻截) and ledger requests of a period in a unit's subtree, grouped three ways."""
    require(actor, Permission.VIEW_CASES)
    top, rows, bucket_of = _buckets(session, actor, unit_id)
    names = {r.id: r.name for r in rows} | {top.id: top.name}
    sums = _sums(session, top, period)
    label = {"bank": lambda b: b or NO_BRANCH, "type": _type_name}
    groups: dict[str, dict[str, Saved]] = {"unit": {}, "bank": {}, "type": {}}
    total = Saved(top.name)

    def add(saved: Saved, values: list[int]) -> None:
        saved.requests += values[0]
        saved.frozen_fen += values[2]
        saved.returned_fen += values[3]
        saved.interceptions += values[6]
        saved.protected_fen += values[7]

    for unit, values in sums.units.items():
        name = names.get(bucket_of.get(unit, unit), "")
        add(groups["unit"].setdefault(name, Saved(name)), values)
        add(total, values)
    for (grouping, key), values in sums.groups.items():
        name = label[grouping](key)
        add(groups[grouping].setdefault(name, Saved(name)), values)
    order = [names[r.id] for r in rows]
    by_unit = [groups["unit"].get(n, Saved(n)) for n in order]
    ranked = {g: sorted((s for s in groups[g].values() if s.requests or s.interceptions),
                        key=lambda s: (-s.saved_fen, s.name)) for g in ("bank", "type")}
    return SavedTables(total, by_unit, ranked["bank"], ranked["type"])


# ---------------------------------------------------------------------------------------------------- lists

@dataclass(frozen=True)
class StrikeRow:
    """One strike-results record."""

    id: int
    unit_name: str
    result_date: object
    caught: int
    detained: int
    dens: int
    two_card_cases: int
    note: str


def strike_results(session: Session, actor: Actor, unit_id: int | None, period: Period,
                   limit: int = 500) -> list[StrikeRow]:
    """The strike results of a period in a unit's subtree, newest first."""
    require(actor, Permission.VIEW_CASES)
    top = scoped_unit(session, actor, unit_id)
    rows = session.execute(
        select(StrikeResult.id, Unit.name, StrikeResult.result_date, StrikeResult.caught, StrikeResult.detained,
               StrikeResult.dens, StrikeResult.two_card_cases, StrikeResult.note)
        .join(Unit, Unit.id == StrikeResult.unit_id).where(
            StrikeResult.result_date >= period.first_day, StrikeResult.result_date <= period.last_day,
            _in_subtree(StrikeResult.unit_id, top))
        .order_by(StrikeResult.result_date.desc(), StrikeResult.id.desc()).limit(limit)).all()
    unmask = actor.can(Permission.UNMASK)
    return [StrikeRow(*row[:7], free_text_for(unmask, row.note) or "") for row in rows]


STAGES = ("to_attempt", "to_reach", "to_outcome", "total")  # warning→attempted→reached→outcome, and warning→outcome
STAGE_ENDS = {"to_attempt": ("warning_at", "attempted_at"), "to_reach": ("attempted_at", "reached_at"),
              "to_outcome": ("reached_at", "outcome_at"), "total": ("warning_at", "outcome_at")}


def stage_seconds(row) -> dict[str, int | None]:
    """Whole seconds of each stage of a 劝阻; None where either end of the stage was not recorded (never 0)."""
    result: dict[str, int | None] = {}
    for stage, (start, end) in STAGE_ENDS.items():
        result[stage] = strike_tally.stage_seconds(getattr(row, start), getattr(row, end))
    return result


def _minutes(seconds: int | Decimal | None) -> Decimal | None:
    """Seconds as minutes, one decimal half-up; None stays None."""
    if seconds is None:
        return None
    return (Decimal(seconds) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class DissuasionRow:
    """One 劝阻 with the minutes of each stage (None where a stage's time is missing)."""

    id: int
    unit_name: str
    warning_at: datetime
    attempted_at: datetime | None
    reached_at: datetime | None
    outcome: str
    outcome_label: str
    outcome_at: datetime | None
    minutes: dict[str, Decimal | None]  # by STAGES
    call_id: int | None


STAGE_COLUMNS = (Dissuasion.unit_id, Dissuasion.warning_at, Dissuasion.attempted_at, Dissuasion.reached_at,
                 Dissuasion.outcome_at)


def _dissuasion_rows(top: Unit, period: Period, *columns):
    """Plain rows of the 劝阻 of a period (by warning time) in a unit's subtree, read along the warning-time index."""
    return select(*columns).where(Dissuasion.warning_at >= period.start, Dissuasion.warning_at < period.end,
                                  _in_subtree(Dissuasion.unit_id, top))


def dissuasions(session: Session, actor: Actor, unit_id: int | None, period: Period,
                limit: int = 500) -> list[DissuasionRow]:
    """The 劝阻 of a period (by warning time) in a unit's subtree, newest first, with each stage's minutes."""
    require(actor, Permission.VIEW_CASES)
    top = scoped_unit(session, actor, unit_id)
    rows = session.execute(
        _dissuasion_rows(top, period, Dissuasion.id, Unit.name, *STAGE_COLUMNS, Dissuasion.outcome, Dissuasion.call_id)
        .join(Unit, Unit.id == Dissuasion.unit_id)
        .order_by(Dissuasion.warning_at.desc(), Dissuasion.id.desc()).limit(limit)).all()
    return [DissuasionRow(d.id, d.name, d.warning_at, d.attempted_at, d.reached_at, d.outcome,
                          DissuasionOutcome.label_of(d.outcome, d.outcome), d.outcome_at,
                          {k: _minutes(v) for k, v in stage_seconds(d).items()}, d.call_id)
            for d in rows]


@dataclass(frozen=True)
class StageMedians:
    """Median minutes of each 劝阻 stage for one unit row over a period, and how many records each median counts."""

    name: str
    dissuasions: int
    medians: dict[str, Decimal | None]  # by STAGES; None when no record has both ends of the stage
    counted: dict[str, int]


STAGE_SECONDS = {"to_attempt": Dissuasion.to_attempt_s, "to_reach": Dissuasion.to_reach_s,
                 "to_outcome": Dissuasion.to_outcome_s, "total": Dissuasion.total_s}  # kept as stage_seconds gives


def _medians(name: str, count: int, values: dict[str, np.ndarray]) -> StageMedians:
    medians: dict[str, Decimal | None] = {}
    counted: dict[str, int] = {}
    for stage in STAGES:
        counted[stage] = len(values[stage])
        middle = _middle(values[stage])  # median of whole seconds: exact, x.5 for the mean of two
        medians[stage] = None if middle is None else _minutes(middle)
    return StageMedians(name, count, medians, counted)


def dissuasion_medians(session: Session, actor: Actor, unit_id: int | None, period: Period) -> list[StageMedians]:
    """Median minutes per stage of the 劝阻 of a period: the chosen unit's whole subtree first, then each unit below."""
    require(actor, Permission.VIEW_CASES)
    top, rows, bucket_of = _buckets(session, actor, unit_id)
    # Each unit's 劝阻 of the period with their kept stage seconds, one text per unit and stage, read along each
    # unit's range of ix_dissuasion_unit_stage_seconds (no table lookups, no sort); the medians taken exactly.
    # Whole months from strike_month_values (each unit's values of a month as one text); the edge days' 劝阻 with
    # their kept stage seconds, one text per unit and stage, read along each unit's range of
    # ix_dissuasion_unit_stage_seconds (no table lookups, no sort). The medians are taken exactly.
    ids = sorted(bucket_of)
    months, pieces = _whole_months(period)
    found: list[tuple] = []  # (unit, 劝阻, texts by STAGES)
    kind_at = {kind: n for n, kind in enumerate(strike_tally.STAGE_KINDS)}
    for unit, kind, n, vals in _month_values(session, months, (strike_tally.DISSUASIONS, *strike_tally.STAGE_KINDS),
                                             ids):
        texts = [None] * len(STAGES)
        if kind == strike_tally.DISSUASIONS:
            found.append((unit, int(n), *texts))
        else:
            texts[kind_at[kind]] = vals
            found.append((unit, 0, *texts))
    for piece in pieces:
        found += session.connection().execute(
            select(Dissuasion.unit_id, func.count(), *(_aggregate(session, c) for c in STAGE_SECONDS.values()))
            .where(Dissuasion.unit_id.in_(ids), Dissuasion.warning_at >= piece.start, Dissuasion.warning_at < piece.end)
            .group_by(Dissuasion.unit_id)).all()
    per_row: dict[int, list[tuple]] = defaultdict(list)
    for row in found:
        per_row[bucket_of.get(row[0], top.id)].append(row)
    # Each row's values parsed once; the chosen unit's are every row's together (each unit is in exactly one row).
    counts = {row: sum(int(u[1]) for u in units) for row, units in per_row.items()}
    values = {row: {stage: _integers(u[2 + n] for u in units) for n, stage in enumerate(STAGES)}
              for row, units in per_row.items()}
    everything = {stage: np.concatenate([v[stage] for v in values.values()]) if values else _integers([])
                  for stage in STAGES}
    result = [_medians(top.name, sum(counts.values()), everything)]
    if rows != [top]:
        nothing = {stage: _integers([]) for stage in STAGES}
        result += [_medians(r.name, counts.get(r.id, 0), values.get(r.id, nothing)) for r in rows]
    return result


def call_ledger_state(session: Session, actor: Actor, call_id: int) -> tuple[int, int, list[int]]:
    """For the desk: a saved call's loss, how many bank accounts it named and the ledger rows already made from it."""
    require(actor, Permission.VIEW_CALLS)
    from services.strike.ledger import call_accounts  # the ledger's own account lookup

    call = session.get(DeskCall, call_id)
    if call is None:
        return 0, 0, []
    made = session.execute(select(RecoveryRequest.id).where(RecoveryRequest.desk_call_id == call_id)
                           .order_by(RecoveryRequest.id)).scalars().all()
    return call.lost_fen, len(call_accounts(session, call_id)), list(made)
