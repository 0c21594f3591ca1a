"""Case map read model: measures per jurisdiction, case points or SQL grid cells, and a jurisdiction's detail."""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import Integer, and_, bindparam, case, cast, func, select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import AccountabilityItem, CaseDayTally, CaseDayUnitTally, FraudCase, Interception, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.cases.text import CASES_DATE_ORDER
from services.map.text import (
    MAP_BAD_DEPTH,
    MAP_BAD_FRAUD_TYPE,
    MAP_BAD_LOSS_BAND,
    MAP_BAD_PERIOD,
    MAP_COL_CASES,
    MAP_COL_CASES_CHANGE,
    MAP_COL_LOSS,
    MAP_COL_LOSS_CHANGE,
    MAP_COL_PER_10K,
    MAP_COL_PREV_CASES,
    MAP_COL_PREV_LOSS,
    MAP_COL_UNIT,
    MAP_COL_UNLOCATED,
    MAP_CUSTOM_RANGE_REQUIRED,
    MAP_CUSTOM_TOO_LONG,
    MAP_DEPTH_FALLBACK,
    MAP_WINDOW_UNKNOWN,
)
from services.overview.read import Change, change
from services.overview.text import OWN_LEVEL
from services.shared.errors import InvalidInput
from services.shared.money import wan_decimal
from services.shared.text import BRANCH_LABELS
from services.shared.timeutil import Comparison, comparison, day_start_utc, period_between, shanghai_today
from services.strike.measures import INTERCEPTION_COUNTED
from services.strike.shared_measures import StrikeFigures, strike_figures
from services.units.tree import UnitTree, path_ids
from vocabulary import (
    AccountabilityLevel,
    CampaignConsequence,
    FraudType,
    ItemSource,
    ItemStatus,
    MapMeasure,
    MapWindow,
    UnitKind,
)

MAX_CUSTOM_DAYS = 366
DEPTHS = (1, 2)
GRID_BASE_DEGREES = 0.0005  # about 55 m of latitude; cell sizes are this times a power of two
MAX_GRID_CELLS = 2_500
TREND_WEEKS = 12
LARGEST_CASES = 10
OPEN_ITEMS_SHOWN = 50
CAMPAIGN_ITEM = ItemSource.CAMPAIGN.label  # a campaign item has no case number: its source stands in


class TimeWindow(NamedTuple):
    """A half-open UTC period and the period it is compared with."""

    start: datetime
    end: datetime
    prev_start: datetime
    prev_end: datetime

    @property
    def compared(self) -> Comparison:
        """The Beijing days of the window and of its comparison period."""
        return Comparison(period_between(self.start, self.end), period_between(self.prev_start, self.prev_end))


def time_window(kind: MapWindow | str, today: date, custom_from: date | None = None,
                custom_to: date | None = None) -> TimeWindow:
    """The window of Beijing days a kind names (ending today), and the previous period it is compared with.

    The periods are the shared ones of `services.shared.timeutil.comparison` (本月 is the 总览's month to date
    against the same days of last month); custom windows are checked here first.
    """
    try:
        kind = MapWindow(kind)
    except ValueError:
        raise InvalidInput({"window": MAP_WINDOW_UNKNOWN}) from None
    if kind == MapWindow.CUSTOM:
        custom_from, custom_to = _custom_days(custom_from, custom_to)
    compared = comparison(kind.value, today, custom_from, custom_to)
    return TimeWindow(compared.start, compared.end, compared.prev_start, compared.prev_end)


def _custom_days(custom_from: date | None, custom_to: date | None) -> tuple[date, date]:
    if custom_from is None or custom_to is None:
        raise InvalidInput({"custom": MAP_CUSTOM_RANGE_REQUIRED})
    if custom_from > custom_to:
        raise InvalidInput({"custom": CASES_DATE_ORDER})
    if (custom_to - custom_from).days + 1 > MAX_CUSTOM_DAYS:
        raise InvalidInput({"custom": MAP_CUSTOM_TOO_LONG.format(days=MAX_CUSTOM_DAYS)})
    return custom_from, custom_to


@dataclass(frozen=True)
class MapFilter:
    """What the map shows: an area (default the actor's unit), how deep its jurisdictions go, and case filters.

    depth 1 shows the area's children (a city's district bureaus, a district's stations); depth 2 its
    grandchildren (a city's stations). Times are UTC, half-open; the previous period defaults to the same
    length immediately before. The loss band is half-open: min_loss_fen <= loss < max_loss_fen.
    """

    start: datetime
    end: datetime
    unit_id: int | None = None
    depth: int = 1
    prev_start: datetime | None = None
    prev_end: datetime | None = None
    fraud_type: FraudType | None = None
    min_loss_fen: int | None = None
    max_loss_fen: int | None = None

    def __post_init__(self) -> None:
        errors = {}
        if not _ordered(self.start, self.end) or (self.prev_start is None) != (self.prev_end is None) or (
            self.prev_start is not None and not _ordered(self.prev_start, self.prev_end)
        ):
            errors["period"] = MAP_BAD_PERIOD
        if self.depth not in DEPTHS:
            errors["depth"] = MAP_BAD_DEPTH
        low, high = self.min_loss_fen, self.max_loss_fen
        if (low is not None and low < 0) or (high is not None and high < 0) or (
            low is not None and high is not None and low >= high
        ):
            errors["loss"] = MAP_BAD_LOSS_BAND
        if self.fraud_type is not None:
            try:
                object.__setattr__(self, "fraud_type", FraudType(self.fraud_type))
            except ValueError:
                errors["fraud_type"] = MAP_BAD_FRAUD_TYPE
        if errors:
            raise InvalidInput(errors)

    @classmethod
    def of(cls, window: TimeWindow, **criteria) -> "MapFilter":
        """A filter over a time window (and its previous period)."""
        return cls(start=window.start, end=window.end, prev_start=window.prev_start, prev_end=window.prev_end,
                   **criteria)

    @property
    def previous(self) -> tuple[datetime, datetime]:
        """The comparison period."""
        if self.prev_start is not None and self.prev_end is not None:
            return self.prev_start, self.prev_end
        return self.start - (self.end - self.start), self.start


def _ordered(start: datetime, end: datetime | None) -> bool:
    return end is not None and start.tzinfo is not None and end.tzinfo is not None and start < end


def depth_label(unit_level: int, depth: int) -> str:
    """What the jurisdictions `depth` levels below a unit of `unit_level` are called (分局/县局, 派出所)."""
    return BRANCH_LABELS.get(unit_level + depth - 1) or MAP_DEPTH_FALLBACK.format(depth=depth)


@dataclass(frozen=True)
class _Units:
    """Whose rows count: a unit and everything below it, or (own_only) the unit alone."""

    unit: Unit
    own_only: bool = False

    def condition(self, column):
        if self.own_only:
            return column == self.unit.id
        subtree = select(Unit.id).where(Unit.path.startswith(self.unit.path)).scalar_subquery()
        if self.unit.parent_id is None:
            # Nearly every row matches: "+ 0" keeps SQLite on the time index rather than probing the
            # (unit, time) index once per unit, which is about three times slower for a whole city.
            return (column + 0).in_(subtree)
        return column.in_(subtree)


def _case_conditions(f: MapFilter, start: datetime, end: datetime, units: _Units) -> list:
    """The filter's conditions on fraud_case over [start, end)."""
    conditions = [units.condition(FraudCase.unit_id), FraudCase.reported_at >= start, FraudCase.reported_at < end]
    if f.fraud_type is not None:
        conditions.append(FraudCase.fraud_type == f.fraud_type.value)
    if f.min_loss_fen is not None:
        conditions.append(FraudCase.loss_fen >= f.min_loss_fen)
    if f.max_loss_fen is not None:
        conditions.append(FraudCase.loss_fen < f.max_loss_fen)
    return conditions


_LOCATED = and_(FraudCase.lon.is_not(None), FraudCase.lat.is_not(None))


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# ---------------------------------------------------------------- jurisdictions


@dataclass(frozen=True)
class Counts:
    """Cases, loss (fen) and how many have no coordinates."""

    cases: int = 0
    loss_fen: int = 0
    unlocated: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.cases + other.cases, self.loss_fen + other.loss_fen, self.unlocated + other.unlocated)


@dataclass(frozen=True)
class JurisdictionMeasure:
    """One jurisdiction on the map; own_level rows (本级) hold cases attached to a unit above the shown level."""

    unit_id: int
    name: str
    own_level: bool
    boundary: dict | None
    synthetic_boundary: bool
    population: int | None
    cases: int
    loss_fen: int
    prev_cases: int
    prev_loss_fen: int
    unlocated: int

    @property
    def per_10k(self) -> Decimal | None:
        """Cases per 10,000 residents (two decimals), None when the population is unknown."""
        if not self.population:
            return None
        return (Decimal(self.cases) * 10_000 / Decimal(self.population)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def cases_change(self) -> Change:
        return change(self.cases, self.prev_cases)

    @property
    def loss_change(self) -> Change:
        return change(self.loss_fen, self.prev_loss_fen)

    def value(self, measure: MapMeasure | str) -> int | Decimal | None:
        """The value a map measure colours this jurisdiction by (loss in fen)."""
        measure = MapMeasure(measure)
        if measure == MapMeasure.CASES:
            return self.cases
        if measure == MapMeasure.LOSS:
            return self.loss_fen
        return self.per_10k


def _counts_by_unit(session: Session, f: MapFilter, root: Unit, start: datetime, end: datetime) -> dict[int, Counts]:
    statement = (
        select(FraudCase.unit_id, func.count(), func.coalesce(func.sum(FraudCase.loss_fen), 0), _count(~_LOCATED))
        .where(*_case_conditions(f, start, end, _Units(root)))
        .group_by(FraudCase.unit_id)
    )
    return {uid: Counts(int(n), int(loss), int(unl)) for uid, n, loss, unl in session.execute(statement)}


def _whole_days(start: datetime, end: datetime) -> bool:
    """Whether [start, end) is a run of whole Beijing days (Beijing midnight to Beijing midnight)."""
    period = period_between(start, end)
    return start == day_start_utc(period.first_day) and end == day_start_utc(period.last_day + timedelta(days=1))


def tally_answers(f: MapFilter) -> bool:
    """Whether case_day_tally holds the filter's cases and loss: both periods whole Beijing days, no loss band
    (the tally keeps day, unit and fraud type, not a case's loss)."""
    return (f.min_loss_fen is None and f.max_loss_fen is None
            and _whole_days(f.start, f.end) and _whole_days(*f.previous))


def _tally_by_unit(session: Session, f: MapFilter, root: Unit, start: datetime, end: datetime,
                   measures: tuple[str, ...] = ("cases", "loss_fen", "unlocated")) -> dict[int, Counts]:
    """Cases, loss and cases without coordinates per unit over whole Beijing days from the day tallies
    (db/case_tally.py): days x units rows (x types when a type is chosen), not cases."""
    tally = (CaseDayUnitTally if f.fraud_type is None else CaseDayTally).__table__
    period = period_between(start, end)
    # The days inline, not bound: PostgreSQL would otherwise switch this statement, run for the window and then for
    # the previous period on every refresh, to one generic plan after five runs on a pooled connection (measured at
    # 0.6-0.9 s instead of 8 ms).
    conditions = [_Units(root).condition(tally.c.unit_id),
                  tally.c.day >= bindparam("first_day", period.first_day, literal_execute=True),
                  tally.c.day <= bindparam("last_day", period.last_day, literal_execute=True)]
    if f.fraud_type is not None:
        conditions.append(tally.c.fraud_type == f.fraud_type.value)
    statement = (select(tally.c.unit_id, *[func.sum(tally.c[m]) for m in measures])
                 .where(*conditions).group_by(tally.c.unit_id))
    return {uid: Counts(**{m: int(v) for m, v in zip(measures, values, strict=True)})
            for uid, *values in session.execute(statement) if any(values)}


KnownSums = tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]


def _known_counts(sums: dict[int, tuple[int, int]]) -> dict[int, Counts]:
    return {uid: Counts(n, loss) for uid, (n, loss) in sums.items() if n}


def _window_counts(session: Session, f: MapFilter, root: Unit, known: KnownSums | None = None
                   ) -> tuple[dict[int, Counts], dict[int, Counts]]:
    """Per unit: the window's cases, loss and unlocated cases, and the previous period's cases and loss."""
    if not tally_answers(f):
        return (_counts_by_unit(session, f, root, f.start, f.end),
                _counts_by_unit(session, f, root, *f.previous))
    if known is not None and f.fraud_type is None:
        current, previous = _known_counts(known[0]), _known_counts(known[1])
        for uid, counted in _tally_by_unit(session, f, root, f.start, f.end, ("unlocated",)).items():
            current[uid] = current.get(uid, Counts()) + counted
        return current, previous
    return (_tally_by_unit(session, f, root, f.start, f.end),
            _tally_by_unit(session, f, root, *f.previous, ("cases", "loss_fen")))


def _layout(tree: UnitTree, root: Unit, depth: int) -> tuple[list[tuple[Unit, bool]], set[int]]:
    """Rows in display order as (unit, own_level), and the ids of the units drawn as polygons.

    A unit `depth` levels down is drawn, and so is a leaf above that depth; a unit with children above that
    depth gets an own-level row for the cases attached to it directly.
    """
    rows: list[tuple[Unit, bool]] = []
    shown: set[int] = set()

    def visit(unit: Unit, remaining: int) -> None:
        children = tree.children(unit.id)
        if remaining == 0 or not children:
            rows.append((unit, False))
            shown.add(unit.id)
            return
        rows.append((unit, True))
        for child in children:
            visit(child, remaining - 1)

    visit(root, depth)
    return rows, shown


def _row_of(tree: UnitTree, root: Unit, shown: set[int], unit_id: int) -> int | None:
    """The shown unit whose jurisdiction holds unit_id, or unit_id itself (its own-level row)."""
    unit = tree.units.get(unit_id)
    if unit is None:
        return None
    ids = path_ids(unit.path)
    for uid in ids[ids.index(root.id):] if root.id in ids else []:
        if uid in shown:
            return uid
    return unit_id if root.id in ids else None


def _rolled_up(tree: UnitTree, root: Unit, shown: set[int], counts: dict[int, Counts]) -> dict[int, Counts]:
    sums: dict[int, Counts] = {}
    for unit_id, figures in counts.items():
        row = _row_of(tree, root, shown, unit_id)
        if row is not None:
            sums[row] = sums.get(row, Counts()) + figures
    return sums


def _boundaries(session: Session, ids: set[int]) -> dict[int, dict]:
    statement = select(Unit.id, Unit.boundary_geojson).where(Unit.id.in_(ids), Unit.boundary_geojson.is_not(None))
    return {uid: json.loads(text) for uid, text in session.execute(statement)}


def _subtree_units(session: Session, root: Unit) -> UnitTree:
    statement = select(Unit).options(defer(Unit.boundary_geojson)).where(Unit.path.startswith(root.path))
    return UnitTree.of(list(session.execute(statement).scalars()))


def jurisdiction_measures(session: Session, actor: Actor, f: MapFilter, known: KnownSums | None = None
                          ) -> list[JurisdictionMeasure]:
    """Every jurisdiction of the chosen area at the chosen depth with its figures in the window and before.

    Cases of deeper units roll up to the jurisdiction holding them; cases attached to the area itself (or to
    a unit between it and the shown level) become own-level rows without a polygon, shown when they have data.
    Cases and loss of whole Beijing days without a loss band come from case_day_tally (the wall's 本月 and every
    window of the map page), the rest from the cases; unlocated cases are always counted from the cases.
    `known`: the window's and the previous period's cases and loss per unit of the area, already summed from
    case_day_tally by the caller for exactly those whole days (the wall reads them once for its branch table);
    used in place of the map's own tally reads when the tally answers the filter and no fraud type is set.
    """
    if not actor.can(Permission.VIEW_WALL):  # the wall colours its map by these figures (no personal data)
        require(actor, Permission.VIEW_CASES)
    root = scoped_unit(session, actor, f.unit_id)
    tree = _subtree_units(session, root)
    rows, shown = _layout(tree, root, f.depth)
    now_by_unit, before_by_unit = _window_counts(session, f, root, known)
    current = _rolled_up(tree, root, shown, now_by_unit)
    previous = _rolled_up(tree, root, shown, before_by_unit)
    boundaries = _boundaries(session, shown)
    result = []
    for unit, own in rows:
        now, before = current.get(unit.id, Counts()), previous.get(unit.id, Counts())
        if own and not (now.cases or before.cases):
            continue
        result.append(JurisdictionMeasure(
            unit_id=unit.id, name=f"{unit.name}{OWN_LEVEL}" if own else unit.name, own_level=own,
            boundary=None if own else boundaries.get(unit.id), synthetic_boundary=bool(unit.boundary_synthetic),
            population=None if own else unit.population, cases=now.cases, loss_fen=now.loss_fen,
            prev_cases=before.cases, prev_loss_fen=before.loss_fen, unlocated=now.unlocated,
        ))
    return result


# ---------------------------------------------------------------- case marks


@dataclass(frozen=True)
class CasePoint:
    """One located case as the map may show it: no personal data."""

    case_id: int
    lon: float
    lat: float
    loss_fen: int
    fraud_type: str
    fraud_type_label: str


@dataclass(frozen=True)
class GridCell:
    """Located cases aggregated into one grid cell (centre coordinates)."""

    lon: float
    lat: float
    cases: int
    loss_fen: int


@dataclass(frozen=True)
class CaseMarks:
    """Cases on top of the jurisdictions: raw points when few, otherwise grid cells; unlocated counted apart."""

    points: list[CasePoint]
    cells: list[GridCell]
    located: int
    unlocated: int
    cell_lon_degrees: float | None = None
    cell_lat_degrees: float | None = None

    @property
    def is_grid(self) -> bool:
        return self.cell_lat_degrees is not None

    @property
    def cell_metres(self) -> float | None:
        """The grid cell's north-south size in metres."""
        return None if self.cell_lat_degrees is None else self.cell_lat_degrees * 111_320


class Grid(NamedTuple):
    """Cell size in degrees; cells are anchored at lon -180, lat -90 so they stay put as filters change."""

    lon_degrees: float
    lat_degrees: float


def _cells_across(low: float, high: float, offset: float, size: float) -> int:
    return math.floor((high + offset) / size) - math.floor((low + offset) / size) + 1


def choose_grid(min_lon: float, max_lon: float, min_lat: float, max_lat: float,
                max_cells: int = MAX_GRID_CELLS) -> Grid:
    """The finest grid (base size times a power of two) covering the extent in at most max_cells cells."""
    middle = max(-80.0, min(80.0, (min_lat + max_lat) / 2))
    # Rounded so that small changes of extent keep the same grid.
    lon_factor = round(1 / math.cos(math.radians(middle)), 1)
    size = GRID_BASE_DEGREES
    while (_cells_across(min_lon, max_lon, 180, size * lon_factor)
           * _cells_across(min_lat, max_lat, 90, size) > max_cells):
        size *= 2
    return Grid(size * lon_factor, size)


def _cell_index(session: Session, column, offset: float, size: float):
    scaled = (column + offset) / size
    # The value is positive: CAST truncates it to the floor on SQLite; PostgreSQL's CAST rounds, so floor there.
    if session.get_bind().dialect.name == "sqlite":
        return cast(scaled, Integer)
    return func.floor(scaled)


def _grid_cells(session: Session, conditions: list, grid: Grid) -> list[GridCell]:
    gx = _cell_index(session, FraudCase.lon, 180.0, grid.lon_degrees).label("gx")
    gy = _cell_index(session, FraudCase.lat, 90.0, grid.lat_degrees).label("gy")
    statement = (
        select(gx, gy, func.count(), func.coalesce(func.sum(FraudCase.loss_fen), 0))
        .where(*conditions, _LOCATED).group_by("gx", "gy").order_by("gx", "gy")
    )
    return [
        GridCell((int(x) + 0.5) * grid.lon_degrees - 180.0, (int(y) + 0.5) * grid.lat_degrees - 90.0, int(n), int(loss))
        for x, y, n, loss in session.execute(statement)
    ]


def _points(session: Session, conditions: list, limit: int) -> list[CasePoint]:
    statement = (
        select(FraudCase.id, FraudCase.lon, FraudCase.lat, FraudCase.loss_fen, FraudCase.fraud_type)
        .where(*conditions, _LOCATED).order_by(FraudCase.id).limit(limit)
    )
    return [CasePoint(cid, lon, lat, int(loss), kind, FraudType(FraudType(kind)).label)
            for cid, lon, lat, loss, kind in session.execute(statement)]


def case_marks(session: Session, actor: Actor, f: MapFilter, max_points: int = 5_000,
               max_cells: int = MAX_GRID_CELLS) -> CaseMarks:
    """The window's cases in the area: points when at most max_points are located, else grid cells from SQL."""
    require(actor, Permission.VIEW_CASES)
    root = scoped_unit(session, actor, f.unit_id)
    conditions = _case_conditions(f, f.start, f.end, _Units(root))
    located_lon, located_lat = case((_LOCATED, FraudCase.lon)), case((_LOCATED, FraudCase.lat))
    total, located, min_lon, max_lon, min_lat, max_lat = session.execute(
        select(func.count(), _count(_LOCATED), func.min(located_lon), func.max(located_lon),
               func.min(located_lat), func.max(located_lat)).where(*conditions)
    ).one()
    total, located = int(total), int(located)
    if located <= max_points:
        return CaseMarks(_points(session, conditions, max_points), [], located, total - located)
    grid = choose_grid(min_lon, max_lon, min_lat, max_lat, max_cells)
    return CaseMarks([], _grid_cells(session, conditions, grid), located, total - located,
                     grid.lon_degrees, grid.lat_degrees)


# ---------------------------------------------------------------- one jurisdiction's detail


@dataclass(frozen=True)
class WeekFigure:
    """Cases and loss of one Beijing week (Monday first); the last may be partial."""

    week_start: date
    cases: int
    loss_fen: int


@dataclass(frozen=True)
class TypeFigure:
    """Cases and loss of one fraud type."""

    fraud_type: str
    label: str
    cases: int
    loss_fen: int


@dataclass(frozen=True)
class LargeCase:
    """One of the largest cases: no victim data."""

    case_id: int
    case_no: str
    unit_name: str
    reported_at: datetime
    fraud_type_label: str
    loss_fen: int


@dataclass(frozen=True)
class LevelCount:
    """Open accountability items of one threshold level."""

    level: str
    label: str
    count: int


@dataclass(frozen=True)
class OpenItem:
    """An accountability item not yet closed."""

    item_id: int
    case_no: str
    unit_name: str
    level_label: str
    status_label: str
    due_date: date


@dataclass(frozen=True)
class JurisdictionDetail:
    """What opens when a jurisdiction is clicked (window figures follow the map's filters)."""

    unit_id: int
    name: str
    own_level: bool
    cases: int
    loss_fen: int
    recovered_fen: int
    weeks: list[WeekFigure]
    types: list[TypeFigure]
    largest: list[LargeCase]
    open_items_total: int
    open_by_level: list[LevelCount]
    open_items: list[OpenItem]
    interceptions: int
    intercepted_fen: int
    strike: StrikeFigures  # 破案, 抓获, 止付/冻结/返还 as 打击挽损 counts them (not filtered by type or loss band)


def week_starts(end: datetime, weeks: int = TREND_WEEKS) -> list[date]:
    """The Mondays (Beijing) of the `weeks` weeks up to the instant `end` (exclusive), oldest first."""
    last_day = shanghai_today(end - timedelta(microseconds=1))
    monday = last_day - timedelta(days=last_day.weekday())
    return [monday - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def _weeks(session: Session, f: MapFilter, units: _Units) -> list[WeekFigure]:
    mondays = week_starts(f.end)
    bounds = [day_start_utc(day) for day in mondays] + [f.end]
    columns = []
    for low, high in zip(bounds, bounds[1:]):
        inside = and_(FraudCase.reported_at >= low, FraudCase.reported_at < high)
        columns += [_count(inside), func.coalesce(func.sum(case((inside, FraudCase.loss_fen), else_=0)), 0)]
    row = session.execute(select(*columns).where(*_case_conditions(f, bounds[0], f.end, units))).one()
    return [WeekFigure(day, int(row[2 * i]), int(row[2 * i + 1])) for i, day in enumerate(mondays)]


def _types(session: Session, f: MapFilter, units: _Units) -> tuple[list[TypeFigure], int]:
    """The window's cases by fraud type (most first), and the amount recovered in them."""
    statement = (
        select(FraudCase.fraud_type, func.count(), func.coalesce(func.sum(FraudCase.loss_fen), 0),
               func.coalesce(func.sum(FraudCase.recovered_fen), 0))
        .where(*_case_conditions(f, f.start, f.end, units)).group_by(FraudCase.fraud_type)
    )
    rows = [(kind, int(n), int(loss), int(rec)) for kind, n, loss, rec in session.execute(statement)]
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    types = [TypeFigure(kind, FraudType(FraudType(kind)).label, n, loss) for kind, n, loss, _ in rows]
    return types, sum(r[3] for r in rows)


def _largest(session: Session, f: MapFilter, units: _Units) -> list[LargeCase]:
    statement = (
        select(FraudCase.id, FraudCase.case_no, Unit.name, FraudCase.reported_at, FraudCase.fraud_type,
               FraudCase.loss_fen)
        .join(Unit, Unit.id == FraudCase.unit_id).where(*_case_conditions(f, f.start, f.end, units))
        .order_by(FraudCase.loss_fen.desc(), FraudCase.id).limit(LARGEST_CASES)
    )
    return [LargeCase(cid, no, unit, at, FraudType(FraudType(kind)).label, int(loss))
            for cid, no, unit, at, kind, loss in session.execute(statement)]


def _level_label(level: str) -> str:
    for levels in (AccountabilityLevel, CampaignConsequence):
        try:
            return levels(level).label
        except ValueError:
            continue
    return level


def _status_label(status: str) -> str:
    try:
        return ItemStatus(ItemStatus(status)).label
    except ValueError:
        return status


def _open_items(session: Session, units: _Units) -> tuple[int, list[LevelCount], list[OpenItem]]:
    is_open = and_(units.condition(AccountabilityItem.unit_id),
                   AccountabilityItem.status != ItemStatus.CLOSED.value)
    counts = dict(session.execute(
        select(AccountabilityItem.level, func.count()).where(is_open).group_by(AccountabilityItem.level)).all())
    known = [level.value for level in AccountabilityLevel]
    order = known + sorted(set(counts) - set(known))
    by_level = [LevelCount(level, _level_label(level), int(counts[level])) for level in order if level in counts]
    statement = (
        select(AccountabilityItem.id, func.coalesce(FraudCase.case_no, CAMPAIGN_ITEM), Unit.name,
               AccountabilityItem.level, AccountabilityItem.status, AccountabilityItem.due_date)
        .outerjoin(FraudCase, FraudCase.id == AccountabilityItem.case_id)
        .join(Unit, Unit.id == AccountabilityItem.unit_id)
        .where(is_open).order_by(AccountabilityItem.due_date, AccountabilityItem.id).limit(OPEN_ITEMS_SHOWN)
    )
    items = [OpenItem(iid, no, unit, _level_label(level), _status_label(status), due)
             for iid, no, unit, level, status, due in session.execute(statement)]
    return sum(c.count for c in by_level), by_level, items


def _interceptions(session: Session, f: MapFilter, units: _Units) -> tuple[int, int]:
    conditions = [units.condition(Interception.unit_id), Interception.intercepted_at >= f.start,
                  Interception.intercepted_at < f.end, INTERCEPTION_COUNTED]
    if f.fraud_type is not None:
        conditions.append(Interception.fraud_type == f.fraud_type.value)
    n, amount = session.execute(
        select(func.count(), func.coalesce(func.sum(Interception.amount_fen), 0)).where(*conditions)).one()
    return int(n), int(amount)


def jurisdiction_detail(session: Session, actor: Actor, unit_id: int, f: MapFilter,
                        own_level: bool = False) -> JurisdictionDetail:
    """A jurisdiction's trend, type breakdown, largest cases, open accountability, interceptions, recoveries and
    strike figures.

    Covers the unit's whole subtree, or with own_level only what is attached to the unit itself (its 本级
    row). Case figures follow the filter's fraud type and loss band; interceptions follow its fraud type;
    open accountability items are listed whatever the window; 破案/抓获/止付冻结返还 are the 打击挽损 page's
    figures over the window's days (no type or band filter: strike results and most ledger rows have none).
    """
    require(actor, Permission.VIEW_CASES)
    unit = scoped_unit(session, actor, unit_id)
    units = _Units(unit, own_level)
    types, recovered = _types(session, f, units)
    total, by_level, items = _open_items(session, units)
    interceptions, intercepted = _interceptions(session, f, units)
    strike = strike_figures(session, actor, unit.id, period_between(f.start, f.end), own_only=own_level)
    return JurisdictionDetail(
        unit_id=unit.id, name=f"{unit.name}{OWN_LEVEL}" if own_level else unit.name, own_level=own_level,
        cases=sum(t.cases for t in types), loss_fen=sum(t.loss_fen for t in types),
        recovered_fen=recovered, weeks=_weeks(session, f, units), types=types,
        largest=_largest(session, f, units), open_items_total=total, open_by_level=by_level, open_items=items,
        interceptions=interceptions, intercepted_fen=intercepted, strike=strike,
    )


# ---------------------------------------------------------------- depths and the unit table


def depth_options(session: Session, actor: Actor, unit_id: int | None) -> list[int]:
    """The depths that show something different for a unit: none for a station (it is its own jurisdiction),
    1 for a unit whose children are leaves, 1 and 2 for a unit with grandchildren."""
    require(actor, Permission.VIEW_CASES)
    root = scoped_unit(session, actor, unit_id)
    deepest = session.execute(select(func.max(Unit.level)).where(Unit.path.startswith(root.path),
                                                                 Unit.kind != UnitKind.PARTNER)).scalar()
    below = (deepest or root.level) - root.level
    return [depth for depth in DEPTHS if depth <= below] if below >= 1 else []


def unit_table_cells(measures: list[JurisdictionMeasure]) -> tuple[list[str], list[list]]:
    """The map's unit table exactly as the page shows and exports it: one row per jurisdiction (本级 rows too).

    Money in 万元 (Decimal, two places); changes as their labels; per 10,000 residents blank when unknown.
    """
    header = [MAP_COL_UNIT, MAP_COL_CASES, MAP_COL_PREV_CASES, MAP_COL_CASES_CHANGE, MAP_COL_LOSS, MAP_COL_PREV_LOSS,
              MAP_COL_LOSS_CHANGE, MAP_COL_PER_10K, MAP_COL_UNLOCATED]
    rows = [[m.name, m.cases, m.prev_cases, m.cases_change.label, wan_decimal(m.loss_fen), wan_decimal(m.prev_loss_fen),
             m.loss_change.label, m.per_10k, m.unlocated] for m in measures]
    return header, rows
