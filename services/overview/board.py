"""总览 and 大屏 read models: headline figures with 同比/环比, the daily trend, fraud types and every branch."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlmodel import Session

from db import queries
from db.models import Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.overview import figures
from services.overview.figures import Tally
from services.overview.text import (
    CHANGE_ARROW,
    CHANGE_FLAT,
    CHANGE_FROM_ZERO,
    CHANGE_NEW,
    CHANGE_WITH_PERCENT,
    MEASURE_CALLS,
    MEASURE_CASES,
    MEASURE_CAUGHT,
    MEASURE_DISSUADED,
    MEASURE_FROZEN,
    MEASURE_INTERCEPTED,
    MEASURE_INTERCEPTIONS,
    MEASURE_LOSS,
    MEASURE_RETURNED,
    MEASURE_SOLVED,
    MEASURE_STOPPED,
    OWN_LEVEL,
    RANGE_IN_FUTURE,
    RANGE_ORDER,
    RANGE_TOO_LONG,
    SPAN_LABELS,
    TOTAL_ROW,
    TYPE_UNKNOWN,
    UNIT_COUNT_ITEMS,
    UNIT_PEOPLE,
)
from services.shared.errors import InvalidInput
from services.shared.money import wan_figure
from services.shared.text import BRANCH_LABELS, UNIT_CALLS, UNIT_CASES, UNIT_WAN_YUAN
from services.shared.timeutil import (
    CUSTOM,
    MONTH,
    SPAN_KINDS,
    TODAY,
    Period,
    Span,
    last_year,
    period_of_days,
    reporting_span,
    shanghai_today,
)
from services.units.tree import UnitTree
from vocabulary import AccountabilityLevel, FraudType


class Measure(StrEnum):
    """The headline measures, in the order they are shown."""

    CASES = "cases"
    LOSS = "loss"
    INTERCEPTED = "intercepted"
    INTERCEPTIONS = "interceptions"
    DISSUADED = "dissuaded"
    CALLS = "calls"
    SOLVED = "solved"
    CAUGHT = "caught"
    STOPPED = "stopped"
    FROZEN = "frozen"
    RETURNED = "returned"


LABELS = {Measure.CASES: MEASURE_CASES, Measure.LOSS: MEASURE_LOSS, Measure.INTERCEPTED: MEASURE_INTERCEPTED,
          Measure.INTERCEPTIONS: MEASURE_INTERCEPTIONS, Measure.DISSUADED: MEASURE_DISSUADED,
          Measure.CALLS: MEASURE_CALLS, Measure.SOLVED: MEASURE_SOLVED, Measure.CAUGHT: MEASURE_CAUGHT,
          Measure.STOPPED: MEASURE_STOPPED, Measure.FROZEN: MEASURE_FROZEN, Measure.RETURNED: MEASURE_RETURNED}
UNITS = {Measure.CASES: UNIT_CASES, Measure.LOSS: UNIT_WAN_YUAN, Measure.INTERCEPTED: UNIT_WAN_YUAN,
         Measure.INTERCEPTIONS: UNIT_COUNT_ITEMS, Measure.DISSUADED: UNIT_CALLS, Measure.CALLS: UNIT_CALLS,
         Measure.SOLVED: UNIT_CASES, Measure.CAUGHT: UNIT_PEOPLE, Measure.STOPPED: UNIT_WAN_YUAN,
         Measure.FROZEN: UNIT_WAN_YUAN, Measure.RETURNED: UNIT_WAN_YUAN}
MONEY = frozenset({Measure.LOSS, Measure.INTERCEPTED, Measure.STOPPED, Measure.FROZEN, Measure.RETURNED})
# 两升两降: 破案 and 抓获 up is good, incidents and losses down is good; the other measures have no direction.
UP_IS_GOOD = frozenset({Measure.SOLVED, Measure.CAUGHT})
DOWN_IS_GOOD = frozenset({Measure.CASES, Measure.LOSS})
# The second row of the headline: 打击 (破案, 抓获) and 挽损 (止付, 冻结, 返还).
STRIKE_MEASURES = (Measure.SOLVED, Measure.CAUGHT, Measure.STOPPED, Measure.FROZEN, Measure.RETURNED)
MAX_TREND_DAYS = 366


def _value(measure: Measure, tally: Tally) -> int:
    return {Measure.CASES: tally.cases, Measure.LOSS: tally.loss_fen, Measure.INTERCEPTED: tally.intercepted_fen,
            Measure.INTERCEPTIONS: tally.interceptions, Measure.DISSUADED: tally.dissuaded,
            Measure.CALLS: tally.calls, Measure.SOLVED: tally.solved, Measure.CAUGHT: tally.caught,
            Measure.STOPPED: tally.stopped_fen, Measure.FROZEN: tally.frozen_fen,
            Measure.RETURNED: tally.returned_fen}[measure]


@dataclass(frozen=True)
class Delta:
    """A measure then and now: the counts, their difference and, only alongside them, the percentage."""

    before: int
    after: int
    measure: Measure

    @property
    def diff(self) -> int:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        """Change in percent, one decimal, half-up; None when there was nothing before (no percentage of zero)."""
        if self.before == 0:
            return None
        return (Decimal(self.diff) * 100 / Decimal(self.before)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def direction(self) -> str:
        """'up', 'down' or 'flat'."""
        return "up" if self.diff > 0 else "down" if self.diff < 0 else "flat"

    @property
    def good(self) -> bool | None:
        """两升两降: True when 破案/抓获 went up or 发案/损失 down, False the other way; None for a measure without a
        direction or no change."""
        if self.diff == 0 or self.measure not in UP_IS_GOOD | DOWN_IS_GOOD:
            return None
        return (self.diff > 0) == (self.measure in UP_IS_GOOD)

    def _shown(self, amount: int) -> str:
        return f"{wan_figure(amount):,}" if self.measure in MONEY else f"{amount:,}"

    @property
    def short(self) -> str:
        """The change alone, sign first (for a metric's arrow): '+1（+100.0%）', '+2（新增）', '0（持平）'."""
        if self.diff == 0:
            return f"0（{CHANGE_FLAT}）"
        diff = f"{'+' if self.diff > 0 else '-'}{self._shown(abs(self.diff))}"
        return f"{diff}（{CHANGE_NEW}）" if self.percent is None else f"{diff}（{self.percent:+}%）"

    @property
    def text(self) -> str:
        """'1→2，+1（+100.0%）', '0→2，新增', '3→3，持平'; money in 万元 ('1.20→1.50，+0.30（+25.0%）')."""
        arrow = CHANGE_ARROW.format(before=self._shown(self.before), after=self._shown(self.after))
        if self.diff == 0:
            return f"{arrow}，{CHANGE_FLAT}"
        if self.percent is None:
            return CHANGE_FROM_ZERO.format(arrow=arrow)
        sign = "+" if self.diff > 0 else "-"
        diff = f"{sign}{self._shown(abs(self.diff))}"
        return CHANGE_WITH_PERCENT.format(arrow=arrow, diff=diff, percent=f"{self.percent:+}%")


@dataclass(frozen=True)
class Figure:
    """One measure in a span, with 同比 (the same days last year) and 环比 (None where the span has none)."""

    measure: Measure
    value: int
    year_ago: Delta
    previous: Delta | None

    @property
    def label(self) -> str:
        return LABELS[self.measure]

    @property
    def unit(self) -> str:
        return UNITS[self.measure]

    @property
    def shown(self) -> str:
        """The value as shown: money in 万元 (never rounded up to a whole 万), counts with separators."""
        return f"{wan_figure(self.value):,}" if self.measure in MONEY else f"{self.value:,}"


def _figure(measure: Measure, current: Tally, year_ago: Tally, previous: Tally | None) -> Figure:
    value = _value(measure, current)
    return Figure(measure, value, Delta(_value(measure, year_ago), value, measure),
                  None if previous is None else Delta(_value(measure, previous), value, measure))


@dataclass(frozen=True)
class HeadlineBlock:
    """The headline figures of one span (今日, 本月, or a chosen range)."""

    span: Span
    figures: tuple[Figure, ...]

    @property
    def title(self) -> str:
        return SPAN_LABELS[self.span.kind]

    def figure(self, measure: Measure) -> Figure:
        return next(f for f in self.figures if f.measure == measure)

    def row(self, measures) -> tuple[Figure, ...]:
        """The figures of some measures, in their order."""
        return tuple(self.figure(m) for m in measures)


@dataclass(frozen=True)
class Headline:
    """Headline figures of a unit's subtree per span, and its open accountability items by level (now)."""

    root_id: int
    root_name: str
    root_level: int
    as_of: datetime
    blocks: tuple[HeadlineBlock, ...]
    open_items: dict[AccountabilityLevel, int]
    is_demo: bool


def _scope(session: Session, actor: Actor, unit_id: int | None) -> tuple[Unit, UnitTree, set[int] | None]:
    """The unit asked for (in the actor's scope), the tree, and its subtree's ids (None: every unit)."""
    require(actor, Permission.VIEW_OVERVIEW)
    root = scoped_unit(session, actor, unit_id)
    tree = UnitTree.of(queries.all_units(session))
    units = tree.subtree_ids(root.id)
    return root, tree, None if units == set(tree.units) else units


Scope = tuple[Unit, UnitTree, set[int] | None]
CaseSums = dict[int, tuple[int, int]]  # unit id -> (cases, loss fen)


def _periods(span: Span) -> list[Period]:
    return [span.current, span.year_ago] + ([] if span.previous is None else [span.previous])


def _blocks(session: Session, units: set[int] | None, spans: list[Span],
            known_cases: dict[Period, tuple[int, int]] | None = None) -> tuple[HeadlineBlock, ...]:
    # Every period of every span in one read per window of nearby periods (this year's, last year's).
    periods = [period for span in spans for period in _periods(span)]
    tallies = iter(figures.tallies(session, units, periods, known_cases))
    blocks = []
    for span in spans:
        current, year_ago = next(tallies), next(tallies)
        previous = None if span.previous is None else next(tallies)
        blocks.append(HeadlineBlock(span, tuple(_figure(m, current, year_ago, previous) for m in Measure)))
    return tuple(blocks)


def headline(session: Session, actor: Actor, moment: datetime, unit_id: int | None = None,
             span: Span | None = None) -> Headline:
    """The headline of a unit (default: the actor's) for 今日 and 本月 at `moment`, or for one chosen span."""
    return _headline(session, _scope(session, actor, unit_id), moment, span)


def _headline(session: Session, scope: Scope, moment: datetime, span: Span | None = None,
              known_cases: dict[Period, tuple[int, int]] | None = None,
              known_open_items: dict[AccountabilityLevel, int] | None = None) -> Headline:
    root, tree, units = scope
    today = shanghai_today(moment)
    spans = [span] if span is not None else [reporting_span(TODAY, today), reporting_span(MONTH, today)]
    open_items = known_open_items if known_open_items is not None else figures.open_items_by_level(
        session, set(tree.units) if units is None else units)
    return Headline(
        root_id=root.id, root_name=root.name, root_level=root.level, as_of=moment,
        blocks=_blocks(session, units, spans, known_cases),
        open_items=open_items,
        is_demo=queries.setting(session, queries.DEMO_SETTING_KEY) is not None,
    )


@dataclass(frozen=True)
class TrendDay:
    """One Beijing day: cases and loss, and those of the same day last year (29 Feb: last year's 28 Feb)."""

    day: date
    cases: int
    loss_fen: int
    last_year_day: date
    last_year_cases: int
    last_year_loss_fen: int


@dataclass(frozen=True)
class Trend:
    """Daily cases and loss of a unit's subtree over consecutive days, against the same days last year."""

    root_id: int
    root_name: str
    days: tuple[TrendDay, ...]


def trend(session: Session, actor: Actor, last_day: date, days: int = 30, unit_id: int | None = None,
          first_day: date | None = None) -> Trend:
    """The `days` days ending `last_day` (or first_day..last_day), each with the same day last year."""
    return _trend(session, _scope(session, actor, unit_id), last_day, days, first_day)


def _trend(session: Session, scope: Scope, last_day: date, days: int = 30, first_day: date | None = None) -> Trend:
    root, _, units = scope
    first = first_day if first_day is not None else last_day - timedelta(days=days - 1)
    if first > last_day or (last_day - first).days + 1 > MAX_TREND_DAYS:
        raise ValueError(f"a trend covers 1 to {MAX_TREND_DAYS} days")
    now = figures.daily_case_sums(session, units, period_of_days(first, last_day))
    before = figures.daily_case_sums(session, units, period_of_days(last_year(first), last_year(last_day)))
    rows = []
    for offset in range((last_day - first).days + 1):
        day = first + timedelta(days=offset)
        then = last_year(day)
        rows.append(TrendDay(day, *now.get(day, (0, 0)), then, *before.get(then, (0, 0))))
    return Trend(root.id, root.name, tuple(rows))


@dataclass(frozen=True)
class TypeRow:
    """Cases and loss of one fraud type (its vocabulary label)."""

    code: str
    label: str
    cases: int
    loss_fen: int


def _type_label(code: str) -> str:
    return FraudType.label_of(code) or TYPE_UNKNOWN.format(code=code)


def type_breakdown(session: Session, actor: Actor, period: Period, unit_id: int | None = None) -> list[TypeRow]:
    """Cases and loss by fraud type in a period, most cases first (types without cases left out)."""
    return _types(session, _scope(session, actor, unit_id), period)


def _types(session: Session, scope: Scope, period: Period) -> list[TypeRow]:
    order = {member.value: n for n, member in enumerate(FraudType)}
    sums = figures.type_sums(session, scope[2], period)
    rows = [TypeRow(code, _type_label(code), n, loss) for code, (n, loss) in sums.items()]
    return sorted(rows, key=lambda r: (-r.cases, order.get(r.code, len(order)), r.code))


@dataclass(frozen=True)
class BranchLine:
    """One branch (or the unit's own level, or the total): cases and loss with 同比 and 环比."""

    unit_id: int
    name: str
    cases: Figure
    loss: Figure


@dataclass(frozen=True)
class Branches:
    """Every branch of a unit in a span, and the total row."""

    root_id: int
    root_name: str
    branch_label: str
    span: Span
    rows: tuple[BranchLine, ...]
    total: BranchLine


def _per_branch(tree: UnitTree, root_id: int, by_unit: dict[int, tuple[int, int]]) -> dict[int, Tally]:
    sums: dict[int, Tally] = {}
    for unit_id, (n, loss) in by_unit.items():
        branch = tree.branch_of(unit_id, root_id)
        if branch is not None:
            sums[branch] = sums.get(branch, Tally()) + Tally(cases=n, loss_fen=loss)
    return sums


def _line(unit_id: int, name: str, current: Tally, year_ago: Tally, previous: Tally | None) -> BranchLine:
    return BranchLine(unit_id, name, _figure(Measure.CASES, current, year_ago, previous),
                      _figure(Measure.LOSS, current, year_ago, previous))


def branches(session: Session, actor: Actor, span: Span, unit_id: int | None = None) -> Branches:
    """Every branch (child unit) of a unit with cases and loss in the span, 同比 and 环比, and the total row."""
    scope = _scope(session, actor, unit_id)
    return _branches(scope, span, figures.case_sums_by_unit(session, scope[2], _periods(span)))


def _branches(scope: Scope, span: Span, by_unit: list[CaseSums]) -> Branches:
    """The branch table from the span's cases and loss per unit (current, 同比 and, when the span has one, 环比)."""
    root, tree, _ = scope
    by_period = [_per_branch(tree, root.id, sums) for sums in by_unit]
    current, year_ago = by_period[0], by_period[1]
    previous = by_period[2] if span.previous is not None else {}
    has_previous = span.previous is not None
    children = tree.children(root.id)
    named = [(child.id, child.name) for child in children] if children else [(root.id, root.name)]
    if children and root.id in current.keys() | year_ago.keys() | previous.keys():
        named.insert(0, (root.id, f"{root.name}{OWN_LEVEL}"))  # cases held by the unit itself
    rows = tuple(
        _line(uid, name, current.get(uid, Tally()), year_ago.get(uid, Tally()),
              previous.get(uid, Tally()) if has_previous else None)
        for uid, name in named
    )

    def total(sums: dict[int, Tally]) -> Tally:
        return sum(sums.values(), Tally())

    total_line = _line(root.id, TOTAL_ROW, total(current), total(year_ago), total(previous) if has_previous else None)
    label = BRANCH_LABELS.get(root.level, BRANCH_LABELS[max(BRANCH_LABELS)])
    return Branches(root.id, root.name, label, span, rows, total_line)


MAX_CUSTOM_DAYS = 366


def chosen_span(kind: str, today: date, first_day: date | None = None, last_day: date | None = None) -> Span:
    """The span a page asks for; a custom range out of order, in the future or too long is refused by field."""
    if kind not in SPAN_KINDS:
        kind = MONTH
    if kind == CUSTOM:
        first_day, last_day = first_day or today, last_day or today
        if first_day > last_day:
            raise InvalidInput({"range": RANGE_ORDER})
        if last_day > today:
            raise InvalidInput({"range": RANGE_IN_FUTURE})
        if (last_day - first_day).days + 1 > MAX_CUSTOM_DAYS:
            raise InvalidInput({"range": RANGE_TOO_LONG.format(days=MAX_CUSTOM_DAYS)})
    return reporting_span(kind, today, first_day, last_day)


def trend_days(span: Span, minimum: int = 30) -> tuple[date, date]:
    """The days a trend of a span shows: the span's days, at least `minimum` days ending on its last day."""
    last = span.current.last_day
    return min(span.current.first_day, last - timedelta(days=minimum - 1)), last


@dataclass(frozen=True)
class Together:
    """A span's headline, branch table, fraud types and trend read together, and the span's per-unit cases and
    loss they were built from (current, 同比, 环比 if any), for a map of the same days."""

    headline: Headline
    branches: Branches
    types: list[TypeRow]
    trend: Trend
    by_unit: tuple[CaseSums, ...]


def together(session: Session, actor: Actor, moment: datetime, unit_id: int | None, span: Span,
             first_day: date, last_day: date, headline_span: Span | None = None,
             known_open_items: dict[AccountabilityLevel, int] | None = None) -> Together:
    """The headline (of `headline_span`, or 今日 and 本月 when None), the branch table and fraud types of `span`
    and the trend first_day..last_day, read with one scope; the span's cases and loss per unit are read once
    (for the branch table) and the headline's figures of the same periods are their totals, not read again.
    known_open_items: the unit's open case items per level at `moment`, already read by the caller (the wall's
    accountability panel reads the same items)."""
    scope = _scope(session, actor, unit_id)
    periods = _periods(span)
    by_unit = figures.case_sums_by_unit(session, scope[2], periods)
    known = {period: (sum(n for n, _ in sums.values()), sum(loss for _, loss in sums.values()))
             for period, sums in zip(periods, by_unit, strict=True)}
    return Together(_headline(session, scope, moment, headline_span, known, known_open_items),
                    _branches(scope, span, by_unit),
                    _types(session, scope, span.current), _trend(session, scope, last_day, first_day=first_day),
                    tuple(by_unit))


def view(session: Session, actor: Actor, moment: datetime, unit_id: int | None, span: Span
         ) -> tuple[Headline, Branches, list[TypeRow], Trend]:
    """Everything the leaders' 总览 shows for a span, read in the caller's one transaction."""
    first, last = trend_days(span)
    read = together(session, actor, moment, unit_id, span, first, last, span)
    return read.headline, read.branches, read.types, read.trend
