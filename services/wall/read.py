"""The wall's read model: one board of figures for a unit's subtree at an instant (no personal data)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import AccountabilityItem, FraudCase, Unit
from services.access.actor import Actor
from services.access.masking import mask_identifier
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.accountability.read import AccountabilitySummary, summary
from services.desk.identifier_store import hot_leads
from services.map.read import JurisdictionMeasure, MapFilter, jurisdiction_measures, time_window
from services.overview import board as overview_board
from services.shared.timeutil import MONTH, reporting_span, shanghai_today
from services.wall.standing import Standing, standing
from vocabulary import AccountabilityLevel, FraudType, IdentifierKind, MapMeasure, MapWindow

TREND_DAYS = 30
TRIGGERS_SHOWN = 4
TRIGGER_LOOKBACK = timedelta(days=7)
HOT_LEADS_SHOWN = 4  # with the 打击挽损 panel above them, four fit the left column
TYPES_SHOWN = 8


@dataclass(frozen=True)
class Trigger:
    """A threshold trigger as the wall shows it: no case number, no victim."""

    raised_at: datetime
    unit_name: str
    level_label: str
    fraud_type_label: str
    loss_fen: int


@dataclass(frozen=True)
class Lead:
    """A hot lead, masked as for the wall."""

    kind_label: str
    masked: str
    reports: int
    suspended: bool = False  # 已封停: shown so the room does not chase a closed number


@dataclass(frozen=True)
class Board:
    """Everything the wall shows for one unit's subtree at one instant."""

    root_id: int
    root_name: str
    as_of: datetime
    headline: overview_board.Headline
    accountability: AccountabilitySummary
    branches: overview_board.Branches
    jurisdictions: list[JurisdictionMeasure]
    trend: overview_board.Trend
    types: list[overview_board.TypeRow]
    triggers: list[Trigger]
    leads: list[Lead]


def _in_subtree(column, root: Unit):
    subtree = select(Unit.id).where(Unit.path.startswith(root.path)).scalar_subquery()
    # For a whole city nearly every row matches: "+ 0" keeps the planner on the time index (as the map does).
    return (column + 0).in_(subtree) if root.parent_id is None else column.in_(subtree)


def _latest_triggers(session: Session, root: Unit, limit: int, since: datetime | None) -> list[Trigger]:
    # The newest item ids first, on the item table alone (joined to units and cases, the planner may walk every unit's
    # items and their cases before sorting), then those few rows' details.
    newest = (select(AccountabilityItem.id)
              .where(AccountabilityItem.case_id.is_not(None), _in_subtree(AccountabilityItem.unit_id, root))
              .order_by(AccountabilityItem.raised_at.desc(), AccountabilityItem.id.desc()).limit(limit))
    if since is not None:
        newest = newest.where(AccountabilityItem.raised_at >= since)
    ids = list(session.execute(newest).scalars())
    if not ids:
        return []
    rows = session.execute(
        select(AccountabilityItem.raised_at, Unit.name, AccountabilityItem.level, FraudCase.fraud_type,
               FraudCase.loss_fen)
        .join(FraudCase, FraudCase.id == AccountabilityItem.case_id).join(Unit, Unit.id == AccountabilityItem.unit_id)
        .where(AccountabilityItem.id.in_(ids))
        .order_by(AccountabilityItem.raised_at.desc(), AccountabilityItem.id.desc())).all()
    return [Trigger(at, name, AccountabilityLevel(level).label, FraudType.label_of(kind) or kind, int(loss))
            for at, name, level, kind, loss in rows]


def triggers(session: Session, root: Unit, moment: datetime, limit: int = TRIGGERS_SHOWN) -> list[Trigger]:
    """The latest loss-threshold triggers of the subtree (case items, newest first), without case numbers."""
    # raised_at has no index: the last week's items first, and only a quiet subtree with fewer than `limit` in that
    # week looks further back. Either way: the newest overall.
    recent = _latest_triggers(session, root, limit, moment - TRIGGER_LOOKBACK)
    return recent if len(recent) == limit else _latest_triggers(session, root, limit, None)


def leads(session: Session, actor: Actor, limit: int = HOT_LEADS_SHOWN) -> list[Lead]:
    """The most reported hot leads, masked whatever the viewer's role (the wall is seen by a room)."""
    return [Lead(IdentifierKind(lead.kind).label, mask_identifier(lead.kind, lead.value) or "", lead.reports,
                 lead.suspended_on is not None)
            for lead in hot_leads(session, actor, limit)]


def map_measures(session: Session, actor: Actor, root: Unit, today: date,
                 month: overview_board.Together | None = None) -> list[JurisdictionMeasure]:
    """The map's own read model for 本月 (the same days the headline and the branch table use); given the branch
    table's read of 本月, its per-unit cases and loss are used rather than read again (same days checked)."""
    window = time_window(MapWindow.MONTH, today)
    criteria = MapFilter.of(window, unit_id=root.id, depth=1)
    known = None
    if month is not None:
        span = month.branches.span
        if (span.previous is not None and (window.start, window.end) == (span.current.start, span.current.end)
                and (window.prev_start, window.prev_end) == (span.previous.start, span.previous.end)):
            known = (month.by_unit[0], month.by_unit[2])  # current, year_ago, previous
    return jurisdiction_measures(session, actor, criteria, known)


def board(session: Session, actor: Actor, moment: datetime, unit_id: int | None = None) -> Board:
    """The wall's figures for a unit in the viewer's scope (default: their own unit) at an instant.

    The 总览 figures are read together (one unit tree; 本月's cases and loss per unit read once for the branch
    table, the headline's 本月 and the map; the open items once for the accountability panel and the headline)."""
    require(actor, Permission.VIEW_WALL)
    root = scoped_unit(session, actor, unit_id)
    today = shanghai_today(moment)
    month = reporting_span(MONTH, today)
    accountability = summary(session, actor, moment, root.id)
    read = overview_board.together(session, actor, moment, root.id, month,
                                   today - timedelta(days=TREND_DAYS - 1), today,
                                   known_open_items=accountability.open_case_items)
    return Board(
        root_id=root.id, root_name=root.name, as_of=moment,
        headline=read.headline,
        accountability=accountability,
        branches=read.branches,
        jurisdictions=map_measures(session, actor, root, today, read),
        trend=read.trend,
        types=read.types[:TYPES_SHOWN],
        triggers=triggers(session, root, moment), leads=leads(session, actor),
    )


def campaign_standing(session: Session, actor: Actor, moment: datetime, unit_id: int | None = None) -> Standing | None:
    """The running campaign's ranking under the wall's unit (read less often than the board: it moves slowly)."""
    require(actor, Permission.VIEW_WALL)
    return standing(session, actor, scoped_unit(session, actor, unit_id), moment)


def measure_of(name: str | None) -> MapMeasure:
    """The map measure a link names (default 案件数)."""
    try:
        return MapMeasure(name)
    except ValueError:
        return MapMeasure.CASES
