"""Leaders' read models of accountability: by-unit table, item lists, item detail, the wall/report summary."""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import AccountabilityAttachment, AccountabilityEvent, AccountabilityItem, AccountabilityRule, FraudCase, Unit
from services import labels as L
from services.accountability_flow import available_steps, load_item, needs_prevention_review
from services.accountability_rules import LEVEL_ORDER
from services.actor import AccessDenied, Actor
from services.labels import AccountabilityLevel, ItemAction, ItemStatus
from services.permissions import Permission
from services.prevention_review import PreventionReview, assemble
from services.scope import require, scoped_unit
from services.timeutil import month_to_date, previous_month_same_period, shanghai_today
from services.units import path_ids

ACTIONABLE = frozenset({ItemStatus.PENDING.value, ItemStatus.RETURNED.value})
LIST_LIMIT = 500


def days_overdue(status: str, due_date: date, today: date) -> int:
    """Whole Beijing days past the due date while the unit still owes its explanation (the due day itself is on time)."""
    return max((today - due_date).days, 0) if status in ACTIONABLE else 0


def days_to_close(raised_at: datetime, closed_at: datetime) -> int:
    """Beijing calendar days from raising to closing."""
    return (shanghai_today(closed_at) - shanghai_today(raised_at)).days


@dataclass(frozen=True)
class ItemRow:
    """One item as lists show it."""

    id: int
    case_id: int
    case_no: str
    unit_id: int
    unit_name: str
    unit_path: str
    loss_fen: int
    level: str
    status: str
    due_date: date
    days_overdue: int
    needs_review: bool
    raised_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class ItemFilter:
    """What the drill-down list asks for (unit None: the actor's own unit)."""

    unit_id: int | None = None
    level: AccountabilityLevel | None = None
    status: ItemStatus | None = None
    open_only: bool = False
    overdue_only: bool = False
    flagged_only: bool = False


def _require_reader(actor: Actor) -> None:
    require(actor, Permission.VIEW_CASES)


def _rows(session: Session, root: Unit, today: date, criteria: ItemFilter | None = None) -> list[ItemRow]:
    # Plain columns, not ORM objects: a city's history can hold ~100,000 items.
    item = AccountabilityItem
    statement = (
        select(item.id, item.case_id, FraudCase.case_no, item.unit_id, Unit.name, Unit.path, FraudCase.loss_fen,
               item.level, item.status, item.due_date, item.needs_review, item.raised_at, item.closed_at)
        .join(FraudCase, FraudCase.id == item.case_id)
        .join(Unit, Unit.id == item.unit_id)
        .where(Unit.path.startswith(root.path))
    )
    if criteria and criteria.level:
        statement = statement.where(item.level == criteria.level.value)
    if criteria and criteria.status:
        statement = statement.where(item.status == criteria.status.value)
    if criteria and criteria.open_only:
        statement = statement.where(item.status != ItemStatus.CLOSED.value)
    if criteria and criteria.flagged_only:
        statement = statement.where(item.needs_review.is_(True))
    rows = [
        ItemRow(i, case_id, case_no, unit_id, name, path, loss, level, status, due,
                days_overdue(status, due, today), review, raised, closed)
        for i, case_id, case_no, unit_id, name, path, loss, level, status, due, review, raised, closed
        in session.execute(statement)
    ]
    if criteria and criteria.overdue_only:
        rows = [r for r in rows if r.days_overdue > 0]
    return rows


def list_items(session: Session, actor: Actor, criteria: ItemFilter, now: datetime) -> list[ItemRow]:
    """Items of a unit's subtree in scope: most overdue first, then by due date (at most LIST_LIMIT)."""
    _require_reader(actor)
    root = scoped_unit(session, actor, criteria.unit_id)
    rows = _rows(session, root, shanghai_today(now), criteria)
    rows.sort(key=lambda r: (-r.days_overdue, r.status == ItemStatus.CLOSED.value, r.due_date, r.id))
    return rows[:LIST_LIMIT]


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

    @property
    def open_total(self) -> int:
        return sum(self.open_by_level.values())


def _figures(unit_id: int, name: str, rows: list[ItemRow], now: datetime) -> UnitRow:
    this_month, last_month = month_to_date(now), previous_month_same_period(now)
    open_rows = [r for r in rows if r.status != ItemStatus.CLOSED.value]
    overdue = [r.days_overdue for r in rows if r.days_overdue > 0]
    closed = [days_to_close(r.raised_at, r.closed_at) for r in rows if r.closed_at is not None]
    return UnitRow(
        unit_id=unit_id, name=name,
        open_by_level={level.value: sum(1 for r in open_rows if r.level == level.value) for level in LEVEL_ORDER},
        overdue=len(overdue), max_days_overdue=max(overdue, default=0),
        needs_review=sum(1 for r in open_rows if r.needs_review),
        median_days_to_close=statistics.median(closed) if closed else None,
        raised_this_month=sum(1 for r in rows if this_month.start <= r.raised_at < this_month.end),
        raised_last_month=sum(1 for r in rows if last_month.start <= r.raised_at < last_month.end),
    )


@dataclass(frozen=True)
class UnitTable:
    """The leaders' by-unit table: one row per child unit (rolled up), the unit's own items, and the total."""

    unit: Unit
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
    items = _rows(session, root, shanghai_today(now))
    children = session.execute(select(Unit).options(defer(Unit.boundary_geojson)).where(Unit.parent_id == root.id)
                               .order_by(Unit.sort_order, Unit.code)).scalars().all()
    by_branch: dict[int, list[ItemRow]] = {}
    for row in items:
        by_branch.setdefault(_branch(row.unit_path, root.id), []).append(row)
    rows = [_figures(child.id, child.name, by_branch.get(child.id, []), now) for child in children]
    if not children or by_branch.get(root.id):
        rows.append(_figures(root.id, root.name + (L.OWN_LEVEL if children else ""), by_branch.get(root.id, []), now))
    return UnitTable(root, rows, _figures(root.id, L.TOTAL_ROW, items, now))


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


def summary(session: Session, actor: Actor, now: datetime, unit_id: int | None = None) -> AccountabilitySummary:
    """The scope's accountability at a glance; the five units with most overdue items."""
    if not (actor.can(Permission.VIEW_WALL) or actor.can(Permission.VIEW_CASES)):
        raise AccessDenied(L.ACCESS_DENIED)
    root = scoped_unit(session, actor, unit_id)
    rows = _rows(session, root, shanghai_today(now))
    figures = _figures(root.id, root.name, rows, now)
    this_month = month_to_date(now)
    overdue_units = Counter(r.unit_name for r in rows if r.days_overdue > 0)
    return AccountabilitySummary(
        as_of=now, open_by_level=figures.open_by_level, open_total=figures.open_total, overdue=figures.overdue,
        max_days_overdue=figures.max_days_overdue, needs_review=figures.needs_review,
        raised_this_month=figures.raised_this_month, raised_last_month=figures.raised_last_month,
        closed_this_month=sum(1 for r in rows if r.closed_at and this_month.start <= r.closed_at < this_month.end),
        overdue_by_unit=sorted(overdue_units.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
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
class ItemDetail:
    """Everything the item page shows."""

    item: AccountabilityItem
    case: FraudCase
    unit_name: str
    rule: AccountabilityRule
    days_overdue: int
    events: list[AccountabilityEvent]
    attachments: list[AttachmentInfo]
    steps: set[ItemAction]
    prevention: PreventionReview | None


def item_detail(session: Session, actor: Actor, item_id: int, now: datetime) -> ItemDetail:
    """One item in scope with its case, rule, history, attachments, the steps open to the actor and the 倒查."""
    _require_reader(actor)
    item = load_item(session, actor, item_id)
    case = session.get(FraudCase, item.case_id)
    events = session.execute(select(AccountabilityEvent).where(AccountabilityEvent.item_id == item.id)
                             .order_by(AccountabilityEvent.at, AccountabilityEvent.id)).scalars().all()
    attachments = [AttachmentInfo(*row) for row in session.execute(
        select(AccountabilityAttachment.id, AccountabilityAttachment.filename, AccountabilityAttachment.content_type,
               AccountabilityAttachment.size, AccountabilityAttachment.uploaded_by, AccountabilityAttachment.at)
        .where(AccountabilityAttachment.item_id == item.id).order_by(AccountabilityAttachment.id))]
    return ItemDetail(
        item=item, case=case, unit_name=session.get(Unit, item.unit_id).name,
        rule=session.get(AccountabilityRule, item.rule_id),
        days_overdue=days_overdue(item.status, item.due_date, shanghai_today(now)),
        events=list(events), attachments=attachments, steps=available_steps(item, actor),
        prevention=assemble(session, item, case) if needs_prevention_review(item.level) else None,
    )

