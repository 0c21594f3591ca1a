"""Leaders' read models of accountability: by-unit table, item lists, item detail, the wall/report summary."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Date, Integer, and_, case, cast, func, literal, literal_column, or_, select, union_all
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import (
    AccountabilityAttachment,
    AccountabilityEvent,
    AccountabilityItem,
    AccountabilityRule,
    Campaign,
    FraudCase,
    Unit,
)
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.access.text import ACCESS_DENIED
from services.accountability.prevention_review import PreventionReview, assemble
from services.accountability.rules import LEVEL_ORDER, RuleVersionRow
from services.accountability.workflow import available_steps, load_item, needs_prevention_review
from services.overview.text import OWN_LEVEL, TOTAL_ROW
from services.shared.timeutil import Period, month_to_date, previous_month_same_period, shanghai_today
from services.units.tree import path_ids
from vocabulary import AccountabilityLevel, CampaignConsequence, ItemAction, ItemSource, ItemStatus, UnitKind

ACTIONABLE = frozenset({ItemStatus.PENDING.value, ItemStatus.RETURNED.value})
OPEN_STATUSES = tuple(status.value for status in ItemStatus if status != ItemStatus.CLOSED)
LEVEL_CODES = frozenset(level.value for level in AccountabilityLevel)
LIST_LIMIT = 500
PAGE_LIMIT = 10_000  # the most items one read returns (a page, or an export)
# Asia/Shanghai has kept UTC+8 without daylight saving since 1991-09-14 17:00 UTC (tzdata): from then on SQL
# takes Beijing dates with a fixed offset; older timestamps (none in practice) are converted in Python.
FIXED_OFFSET_SINCE = datetime(1991, 9, 15, tzinfo=UTC)
MS_PER_DAY = 86_400_000


def days_overdue(status: str, due_date: date, today: date) -> int:
    """Whole Beijing days past the due date while the unit still owes its explanation (the due day itself is on time)."""
    return max((today - due_date).days, 0) if status in ACTIONABLE else 0


def days_to_close(raised_at: datetime, closed_at: datetime) -> int:
    """Beijing calendar days from raising to closing."""
    return (shanghai_today(closed_at) - shanghai_today(raised_at)).days


@dataclass(frozen=True)
class ItemRow:
    """One item as lists show it: a case's (case number and loss) or a campaign's (its name and the reason)."""

    id: int
    case_id: int | None
    case_no: str | None
    unit_id: int
    unit_name: str
    unit_path: str
    loss_fen: int | None
    level: str
    status: str
    due_date: date
    days_overdue: int
    needs_review: bool
    raised_at: datetime
    closed_at: datetime | None
    unit_label: str = ""  # the name with its district in front (长泰区 · 武安派出所)
    campaign_name: str | None = None
    reason: str | None = None

    @property
    def source(self) -> ItemSource:
        return ItemSource.CASE if self.case_id is not None else ItemSource.CAMPAIGN


def level_label(level: str) -> str:
    """The label of an item's level: a loss level for case items, a consequence (打招呼/谈话/告诫) for campaign items."""
    return AccountabilityLevel.label_of(level) or CampaignConsequence.label_of(level, level)


@dataclass(frozen=True)
class ItemFilter:
    """What the drill-down list asks for (unit None: the actor's own unit)."""

    unit_id: int | None = None
    level: AccountabilityLevel | CampaignConsequence | None = None
    status: ItemStatus | None = None
    source: ItemSource | None = None
    open_only: bool = False
    overdue_only: bool = False
    flagged_only: bool = False


def _require_reader(actor: Actor) -> None:
    require(actor, Permission.VIEW_CASES)


def _subtree(session: Session, root: Unit) -> dict[int, str]:
    """Unit id → path of the root and every unit below it."""
    return dict(session.execute(select(Unit.id, Unit.path).where(Unit.path.startswith(root.path))).all())


def _overdue(today: date):
    item = AccountabilityItem
    return and_(item.status.in_(sorted(ACTIONABLE)), item.due_date < today)


def _conditions(root: Unit, today: date, criteria: ItemFilter) -> list:
    item = AccountabilityItem
    subtree = select(Unit.id).where(Unit.path.startswith(root.path))
    # At the top of the tree EXISTS rather than IN: SQLite would fetch a city's items one by one through the unit
    # index, where a scan is several times quicker; below the top that index is the quicker way.
    conditions = [subtree.where(Unit.id == item.unit_id).exists() if root.parent_id is None
                  else item.unit_id.in_(subtree)]
    if criteria.level:
        conditions.append(item.level == criteria.level.value)
    if criteria.source is ItemSource.CASE:
        conditions.append(item.case_id.is_not(None))
    elif criteria.source is ItemSource.CAMPAIGN:
        conditions.append(item.campaign_id.is_not(None))
    if criteria.status:
        conditions.append(item.status == criteria.status.value)
    if criteria.open_only:
        conditions.append(item.status != ItemStatus.CLOSED.value)
    if criteria.flagged_only:
        conditions.append(item.needs_review.is_(True))
    if criteria.overdue_only:
        conditions.append(_overdue(today))
    return conditions


def _list_key(row: ItemRow) -> tuple:
    return -row.days_overdue, row.status == ItemStatus.CLOSED.value, row.due_date, row.id


def _order(today: date) -> tuple:
    # The order of _list_key: overdue items by due date (most days first), then open before closed, by due date.
    item = AccountabilityItem
    return (case((_overdue(today), 0), else_=1), case((item.status == ItemStatus.CLOSED.value, 1), else_=0),
            item.due_date, item.id)


def _rows(session: Session, chosen, today: date) -> list[ItemRow]:
    item = AccountabilityItem
    # Outer joins: a campaign item has no case, a case item no campaign.
    statement = (
        select(item.id, item.case_id, FraudCase.case_no, item.unit_id, Unit.name, Unit.path, FraudCase.loss_fen,
               item.level, item.status, item.due_date, item.needs_review, item.raised_at, item.closed_at,
               Campaign.name, item.reason)
        .outerjoin(FraudCase, FraudCase.id == item.case_id)
        .outerjoin(Campaign, Campaign.id == item.campaign_id)
        .join(Unit, Unit.id == item.unit_id)
        .where(item.id.in_(chosen))
    )
    found = session.execute(statement).all()
    labels = unit_labels(session, {row[3] for row in found})
    rows = [
        ItemRow(i, case_id, case_no, unit_id, name, path, loss, level, status, due,
                days_overdue(status, due, today), review, raised, closed, labels.get(unit_id, name), campaign, reason)
        for i, case_id, case_no, unit_id, name, path, loss, level, status, due, review, raised, closed, campaign, reason
        in found
    ]
    return sorted(rows, key=_list_key)


def list_items(session: Session, actor: Actor, criteria: ItemFilter, now: datetime) -> list[ItemRow]:
    """Items of a unit's subtree in scope: most overdue first, then by due date (at most LIST_LIMIT)."""
    return page_items(session, actor, criteria, now, LIST_LIMIT, 0).rows


@dataclass(frozen=True)
class ItemPage:
    """One page of the item list and how many items match in all."""

    total: int
    rows: list[ItemRow]


def page_items(session: Session, actor: Actor, criteria: ItemFilter, now: datetime, limit: int,
               offset: int = 0) -> ItemPage:
    """One page of the items of a unit's subtree in scope (most overdue first, then by due date), and the total."""
    _require_reader(actor)
    root = scoped_unit(session, actor, criteria.unit_id)
    today = shanghai_today(now)
    item = AccountabilityItem
    conditions = _conditions(root, today, criteria)
    total = session.execute(select(func.count()).select_from(item).where(*conditions)).scalar()
    chosen = (select(item.id).where(*conditions).order_by(*_order(today))
              .limit(max(min(limit, PAGE_LIMIT), 1)).offset(max(offset, 0)))
    return ItemPage(int(total or 0), _rows(session, chosen, today))


@dataclass(frozen=True)
class UnitTodo:
    """A unit's own open items as its clerk must see them: what it owes and what is already overdue."""

    unit_name: str
    open_total: int
    actionable: int  # 待说明 or 退回: the unit owes the explanation
    overdue: int
    rows: list[ItemRow]  # the actionable items, most overdue first


def unit_todo(session: Session, actor: Actor, now: datetime, limit: int = 50) -> UnitTodo:
    """The actor's own unit's open items (not those of units below): counts, and the ones it must explain."""
    _require_reader(actor)
    today = shanghai_today(now)
    item = AccountabilityItem
    own = [item.unit_id == actor.unit_id, item.status != ItemStatus.CLOSED.value]
    open_total, actionable, overdue = session.execute(
        select(func.count(), _count(item.status.in_(sorted(ACTIONABLE))), _count(_overdue(today))).where(*own)).one()
    chosen = (select(item.id).where(*own, item.status.in_(sorted(ACTIONABLE))).order_by(*_order(today))
              .limit(limit))
    return UnitTodo(actor.unit_name, int(open_total or 0), int(actionable or 0), int(overdue or 0),
                    _rows(session, chosen, today))


@dataclass(frozen=True)
class UnitRow:
    """Accountability figures of one unit's subtree."""

    unit_id: int
    name: str
    open_by_level: dict[str, int]
    overdue: int
    max_days_overdue: int
    needs_review: int
    median_days_to_close: float | None
    raised_this_month: int
    raised_last_month: int
    awaiting_approval: int = 0  # explanations submitted, waiting for a leader's approval
    open_campaign: int = 0  # open items of campaigns the unit fell behind in (打招呼/谈话/告诫), not in open_by_level

    @property
    def open_total(self) -> int:
        return sum(self.open_by_level.values()) + self.open_campaign


@dataclass
class _Tally:
    """Counts of some units' items, added up the unit tree before they become a UnitRow."""

    open_by_level: Counter = field(default_factory=Counter)
    open_case_by_level: Counter = field(default_factory=Counter)  # of those, the loss-threshold (case) items
    overdue: int = 0
    earliest_overdue_due: date | None = None
    needs_review: int = 0
    awaiting_approval: int = 0
    raised_this_month: int = 0
    raised_last_month: int = 0
    closed_this_month: int = 0
    close_days: Counter = field(default_factory=Counter)

    def add_overdue(self, count: int, earliest_due: date | None) -> None:
        self.overdue += count
        if earliest_due is not None:
            self.earliest_overdue_due = min(self.earliest_overdue_due or earliest_due, earliest_due)

    def add(self, other: "_Tally") -> None:
        self.open_by_level.update(other.open_by_level)
        self.open_case_by_level.update(other.open_case_by_level)
        self.add_overdue(other.overdue, other.earliest_overdue_due)
        self.needs_review += other.needs_review
        self.awaiting_approval += other.awaiting_approval
        self.raised_this_month += other.raised_this_month
        self.raised_last_month += other.raised_last_month
        self.closed_this_month += other.closed_this_month
        self.close_days.update(other.close_days)


def _summed(tallies) -> _Tally:
    total = _Tally()
    for tally in tallies:
        total.add(tally)
    return total


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _within(column, period: Period):
    return and_(column >= period.start, column < period.end)


# The figures are counted in SQL per unit and rolled up the small unit tree in Python. For the top of the tree
# the monthly counts scan the whole item table, with unit_id last in GROUP BY: given a unit_id condition or a leading
# unit_id, SQLite would read a city's ~100,000 items at random through the (unit_id, status) index, several
# times slower than a scan. Below the top that index is the quicker way to the subtree's share of the items.
# The open counts name every unit and every open status: one probe of that index per pair, so only open items
# are read (closed ones pile up with the cases; open ones do not).


def _scope(root: Unit, units: dict[int, str]) -> list:
    return [] if root.parent_id is None else [AccountabilityItem.unit_id.in_(units)]


def _open_counts(session: Session, root: Unit, units: dict[int, str], today: date,
                 tallies: defaultdict[int, _Tally]) -> None:
    item = AccountabilityItem
    of_case = item.case_id.is_not(None)
    statement = (
        select(item.level, item.status, item.unit_id, of_case, func.count(), _count(item.needs_review.is_(True)),
               _count(item.due_date < today), func.min(item.due_date))
        .where(item.unit_id.in_(sorted(units)), item.status.in_(OPEN_STATUSES))
        .group_by(item.level, item.status, item.unit_id, of_case)
    )
    for level, status, unit_id, is_case, n, review, late, earliest_due in session.execute(statement):
        if unit_id not in units:
            continue
        tally = tallies[unit_id]
        tally.open_by_level[level] += n
        if is_case:
            tally.open_case_by_level[level] += n
        tally.needs_review += review
        if status == ItemStatus.SUBMITTED.value:
            tally.awaiting_approval += n
        if status in ACTIONABLE and late:
            # Every item of the group due before today is overdue, so the group's earliest due date is the oldest.
            tally.add_overdue(late, earliest_due)


def _monthly_counts(session: Session, root: Unit, units: dict[int, str], now: datetime,
                    tallies: defaultdict[int, _Tally]) -> None:
    item = AccountabilityItem
    this_month, last_month = month_to_date(now), previous_month_same_period(now)
    # One range read per count, each over its own time index (raised_at, closed_at), in one statement: cheaper than
    # one read of the rows in any of the three ranges (SQLite: a multi-index OR collecting every row id first).
    counts = [(0, item.raised_at, this_month), (1, item.raised_at, last_month), (2, item.closed_at, this_month)]
    statement = union_all(*(select(literal(n).label("which"), item.unit_id, func.count())
                            .where(*_scope(root, units), _within(column, period)).group_by(item.unit_id)
                            for n, column, period in counts))
    for which, unit_id, n in session.execute(statement):
        if unit_id in units:
            tally = tallies[unit_id]
            if which == 0:
                tally.raised_this_month += n
            elif which == 1:
                tally.raised_last_month += n
            else:
                tally.closed_this_month += n


def _beijing_day(session: Session, column):
    """SQL: the Beijing date of a UTC instant on or after FIXED_OFFSET_SINCE, as a day number."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(literal_column("'UTC'"), column) + literal_column("interval '8 hours'"), Date)
    # SQLite keeps the UTC wall time as text. julianday() counts days from noon UTC (exact in milliseconds once
    # rounded back); 12 + 8 hours later the count starts at a Beijing midnight.
    beijing_ms = cast(func.julianday(column) * MS_PER_DAY + 0.5, Integer) + (12 + 8) * 3_600_000
    # julianday() rounds the microseconds, which can carry 15:59:59.9995 UTC onto Beijing midnight: its text
    # still reads hour 15, where a true midnight reads 16 (the cheap text test first, SQLite stops there).
    carried = and_(func.substr(column, 12, 2) == "15", beijing_ms % MS_PER_DAY == 0)
    return beijing_ms // MS_PER_DAY - case((carried, 1), else_=0)


def _close_days(session: Session, root: Unit, units: dict[int, str], tallies: defaultdict[int, _Tally]) -> None:
    item = AccountabilityItem
    fixed = and_(item.raised_at >= FIXED_OFFSET_SINCE, item.closed_at >= FIXED_OFFSET_SINCE)
    days = _beijing_day(session, item.closed_at) - _beijing_day(session, item.raised_at)
    spans = (select(case((fixed, days), else_=None).label("days"), item.unit_id)
             .where(*_scope(root, units), item.closed_at.is_not(None)).subquery())
    early = False
    for days_taken, unit_id, n in session.execute(select(spans.c.days, spans.c.unit_id, func.count())
                                                  .group_by(spans.c.days, spans.c.unit_id)):
        if days_taken is None:
            early = True
        elif unit_id in units:
            tallies[unit_id].close_days[int(days_taken)] += n
    if early:
        statement = (select(item.unit_id, item.raised_at, item.closed_at)
                     .where(*_scope(root, units), item.closed_at.is_not(None),
                            or_(item.raised_at < FIXED_OFFSET_SINCE, item.closed_at < FIXED_OFFSET_SINCE)))
        for unit_id, raised_at, closed_at in session.execute(statement):
            if unit_id in units:
                tallies[unit_id].close_days[days_to_close(raised_at, closed_at)] += 1


def median_of_counts(counts: Counter) -> float | None:
    """statistics.median of the values a value → count mapping stands for (None when empty)."""
    total = counts.total()
    if total <= 0:
        return None
    low_position, high_position = (total - 1) // 2, total // 2
    seen, low_value = 0, None
    for value in sorted(v for v, n in counts.items() if n > 0):
        seen += counts[value]
        if low_value is None and seen > low_position:
            low_value = value
        if seen > high_position:
            return value if total % 2 else (low_value + value) / 2
    return None


def _figures(unit_id: int, name: str, tally: _Tally, today: date) -> UnitRow:
    oldest = tally.earliest_overdue_due
    return UnitRow(
        unit_id=unit_id, name=name,
        open_by_level={level.value: tally.open_by_level[level.value] for level in LEVEL_ORDER},
        open_campaign=sum(n for level, n in tally.open_by_level.items() if level not in LEVEL_CODES),
        overdue=tally.overdue, max_days_overdue=(today - oldest).days if tally.overdue and oldest else 0,
        needs_review=tally.needs_review, median_days_to_close=median_of_counts(tally.close_days),
        raised_this_month=tally.raised_this_month, raised_last_month=tally.raised_last_month,
        awaiting_approval=tally.awaiting_approval,
    )


@dataclass(frozen=True)
class UnitRef:
    """A unit as a page names it."""

    id: int
    name: str


@dataclass(frozen=True)
class UnitTable:
    """The leaders' by-unit table: one row per child unit (rolled up), the unit's own items, and the total."""

    unit: UnitRef
    rows: list[UnitRow]
    total: UnitRow


def _branch(path: str, root_id: int) -> int:
    ids = path_ids(path)
    position = ids.index(root_id)
    return ids[position + 1] if position + 1 < len(ids) else root_id


def unit_table(session: Session, actor: Actor, unit_id: int | None, now: datetime) -> UnitTable:
    """Per child unit of the chosen unit: open items per level, overdue, median days to close, this vs last month."""
    _require_reader(actor)
    root = scoped_unit(session, actor, unit_id)
    today, units, tallies = shanghai_today(now), _subtree(session, root), defaultdict(_Tally)
    _open_counts(session, root, units, today, tallies)
    _monthly_counts(session, root, units, now, tallies)
    _close_days(session, root, units, tallies)
    children = session.execute(select(Unit).options(defer(Unit.boundary_geojson))
                               .where(Unit.parent_id == root.id, Unit.kind != UnitKind.PARTNER)
                               .order_by(Unit.sort_order, Unit.code)).scalars().all()
    by_branch: defaultdict[int, _Tally] = defaultdict(_Tally)
    for owner, tally in tallies.items():
        by_branch[_branch(units[owner], root.id)].add(tally)
    rows = [_figures(child.id, child.name, by_branch.get(child.id, _Tally()), today) for child in children]
    has_own_items = session.execute(select(AccountabilityItem.id).where(AccountabilityItem.unit_id == root.id)
                                    .limit(1)).first() is not None
    if not children or has_own_items:
        rows.append(_figures(root.id, root.name + (OWN_LEVEL if children else ""),
                             by_branch.get(root.id, _Tally()), today))
    return UnitTable(UnitRef(root.id, root.name), rows, _figures(root.id, TOTAL_ROW, _summed(tallies.values()), today))


UNIT_NAME_SUFFIXES = ("公安分局", "公安局")
UNIT_SEPARATOR = " · "


def short_unit_name(name: str) -> str:
    """A bureau's name without its 公安分局/公安局 ending (长泰区公安分局 → 长泰区)."""
    for suffix in UNIT_NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def unit_labels(session: Session, unit_ids) -> dict[int, str]:
    """Unit id → its name, with its district in front when it lies below one (长泰区 · 武安派出所)."""
    ids = set(unit_ids)
    if not ids:
        return {}
    parent = Unit.__table__.alias("parent")
    rows = session.execute(select(Unit.id, Unit.name, parent.c.name, parent.c.parent_id)
                           .outerjoin(parent, parent.c.id == Unit.parent_id).where(Unit.id.in_(ids))).all()
    return {unit_id: name if parent_name is None or grandparent is None
            else f"{short_unit_name(parent_name)}{UNIT_SEPARATOR}{name}"
            for unit_id, name, parent_name, grandparent in rows}


@dataclass(frozen=True)
class AccountabilitySummary:
    """Compact figures for the wall display and the periodic report (no personal data)."""

    as_of: datetime
    open_by_level: dict[str, int]
    open_total: int
    overdue: int
    max_days_overdue: int
    needs_review: int
    raised_this_month: int
    raised_last_month: int
    closed_this_month: int
    overdue_by_unit: list[tuple[str, int]] = field(default_factory=list)
    awaiting_approval: int = 0  # explanations submitted, waiting for a leader's approval
    open_campaign: int = 0  # open campaign items (in open_total, not in open_by_level)
    # Open loss-threshold (case) items per level, every level: the 总览 headline's open items, read with the rest.
    open_case_items: dict[AccountabilityLevel, int] = field(default_factory=dict)


def summary(session: Session, actor: Actor, now: datetime, unit_id: int | None = None) -> AccountabilitySummary:
    """The scope's accountability at a glance; the five units with most overdue items."""
    if not (actor.can(Permission.VIEW_WALL) or actor.can(Permission.VIEW_CASES)):
        raise AccessDenied(ACCESS_DENIED)
    root = scoped_unit(session, actor, unit_id)
    today, units, tallies = shanghai_today(now), _subtree(session, root), defaultdict(_Tally)
    _open_counts(session, root, units, today, tallies)
    _monthly_counts(session, root, units, now, tallies)
    total = _summed(tallies.values())
    figures = _figures(root.id, root.name, total, today)
    late = {owner: tally.overdue for owner, tally in tallies.items() if tally.overdue}
    names = unit_labels(session, late)
    overdue_units: Counter = Counter()
    for owner, count in late.items():  # by name with its district (two districts may each have a 城关派出所)
        overdue_units[names[owner]] += count
    return AccountabilitySummary(
        as_of=now, open_by_level=figures.open_by_level, open_total=figures.open_total, overdue=figures.overdue,
        max_days_overdue=figures.max_days_overdue, needs_review=figures.needs_review,
        raised_this_month=figures.raised_this_month, raised_last_month=figures.raised_last_month,
        closed_this_month=total.closed_this_month,
        overdue_by_unit=sorted(overdue_units.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        awaiting_approval=total.awaiting_approval, open_campaign=figures.open_campaign,
        open_case_items={level: total.open_case_by_level[level.value] for level in AccountabilityLevel},
    )


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment's description (its bytes are fetched only on download)."""

    id: int
    filename: str
    content_type: str
    size: int
    uploaded_by: str | None
    at: datetime


@dataclass(frozen=True)
class ItemFacts:
    """An item's own fields as the item page shows them (a plain read model, no ORM object)."""

    id: int
    level: str
    status: str
    escalated_from_level: str | None
    required_action: str
    responsible: str
    due_date: date
    needs_review: bool
    needs_review_reason: str | None
    explanation: str | None
    prevention_review: str | None
    review_note: str | None
    decision: str | None
    decision_note: str | None

    @classmethod
    def of(cls, item: AccountabilityItem) -> "ItemFacts":
        """The read model of a stored item."""
        return cls(item.id, item.level, item.status, item.escalated_from_level, item.required_action,
                   item.responsible, item.due_date, bool(item.needs_review), item.needs_review_reason,
                   item.explanation, item.prevention_review, item.review_note, item.decision, item.decision_note)


@dataclass(frozen=True)
class CaseFacts:
    """The case behind an item, as the item page shows it."""

    id: int
    case_no: str
    loss_fen: int
    fraud_type: str
    reported_at: datetime

    @classmethod
    def of(cls, case: FraudCase) -> "CaseFacts":
        """The read model of a stored case."""
        return cls(case.id, case.case_no, case.loss_fen, case.fraud_type, case.reported_at)


@dataclass(frozen=True)
class EventRow:
    """One step of an item's history."""

    at: datetime
    username: str | None
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None

    @classmethod
    def of(cls, event: AccountabilityEvent) -> "EventRow":
        """The read model of a stored history step."""
        return cls(event.at, event.username, event.action, event.from_status, event.to_status, event.note)


@dataclass(frozen=True)
class CampaignFacts:
    """The campaign behind an item, and why the unit was called to account."""

    id: int
    name: str
    start_date: date
    end_date: date
    trigger_key: str
    reason: str | None


@dataclass(frozen=True)
class ItemDetail:
    """Everything the item page shows: a case item has its case and rule, a campaign item its campaign."""

    item: ItemFacts
    case: CaseFacts | None
    unit_name: str
    rule: RuleVersionRow | None
    days_overdue: int
    events: list[EventRow]
    attachments: list[AttachmentInfo]
    steps: set[ItemAction]
    prevention: PreventionReview | None
    campaign: CampaignFacts | None = None

    @property
    def source(self) -> ItemSource:
        return ItemSource.CASE if self.case is not None else ItemSource.CAMPAIGN


def _campaign_facts(session: Session, item: AccountabilityItem) -> CampaignFacts | None:
    if item.campaign_id is None:
        return None
    campaign = session.get(Campaign, item.campaign_id)
    return CampaignFacts(campaign.id, campaign.name, campaign.start_date, campaign.end_date, item.trigger_key or "",
                         item.reason)


def item_detail(session: Session, actor: Actor, item_id: int, now: datetime) -> ItemDetail:
    """One item in scope with its case and rule (or campaign), history, attachments, the steps open to the actor and
    the 倒查."""
    _require_reader(actor)
    item = load_item(session, actor, item_id)
    case = session.get(FraudCase, item.case_id) if item.case_id is not None else None
    rule = session.get(AccountabilityRule, item.rule_id) if item.rule_id is not None else None
    events = session.execute(select(AccountabilityEvent).where(AccountabilityEvent.item_id == item.id)
                             .order_by(AccountabilityEvent.at, AccountabilityEvent.id)).scalars().all()
    attachments = [AttachmentInfo(*row) for row in session.execute(
        select(AccountabilityAttachment.id, AccountabilityAttachment.filename, AccountabilityAttachment.content_type,
               AccountabilityAttachment.size, AccountabilityAttachment.uploaded_by, AccountabilityAttachment.at)
        .where(AccountabilityAttachment.item_id == item.id).order_by(AccountabilityAttachment.id))]
    return ItemDetail(
        item=ItemFacts.of(item), case=CaseFacts.of(case) if case else None,
        unit_name=session.get(Unit, item.unit_id).name,
        rule=RuleVersionRow.of(rule) if rule else None,
        days_overdue=days_overdue(item.status, item.due_date, shanghai_today(now)),
        events=[EventRow.of(e) for e in events], attachments=attachments, steps=available_steps(item, actor),
        prevention=assemble(session, item, case) if case and needs_prevention_review(item.level) else None,
        campaign=_campaign_facts(session, item),
    )
