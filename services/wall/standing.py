"""The running campaign's unit ranking as the wall shows it: the best and the worst few of this month so far."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session

from db.models import Unit
from services.access.actor import Actor
from services.campaigns import ranking
from services.campaigns.entries import visible_campaigns
from services.shared.errors import InvalidInput
from services.shared.timeutil import shanghai_today

SHOWN_EACH_END = 3  # 前三 and 后三, as the monthly 通报 names them


@dataclass(frozen=True)
class RankedUnit:
    """One unit of the ranking: no personal data, only its rank and weighted score (0–100)."""

    rank: int
    unit_name: str
    score: float


@dataclass(frozen=True)
class Standing:
    """The running campaign's ranking this month: the top units and (when more are ranked) the bottom ones."""

    campaign_name: str
    month: date
    units_ranked: int
    top: list[RankedUnit]
    bottom: list[RankedUnit]


def running_campaign_id(session: Session, actor: Actor, today: date) -> int | None:
    """The campaign in the actor's scope running today (the latest started), if any."""
    running = [c for c in visible_campaigns(session, actor) if c.start_date <= today <= c.end_date]
    return running[0].id if running else None


def standing(session: Session, actor: Actor, root: Unit, moment: datetime) -> Standing | None:
    """This month's ranking of the running campaign among the units below the wall's unit; None when none runs."""
    # The wall may show a unit below the device's own: its ranking is that unit's (the scope only narrows).
    viewer = replace(actor, unit_id=root.id, unit_path=root.path, unit_name=root.name)
    today = shanghai_today(moment)
    campaign_id = running_campaign_id(session, viewer, today)
    if campaign_id is None:
        return None
    try:
        result = ranking.ranking(session, viewer, campaign_id, today, moment)
    except InvalidInput:
        return None  # the campaign has not reached a rankable month yet
    if not result.rows:
        return None
    shown = [RankedUnit(row.rank, row.unit_name, row.score) for row in result.rows]
    each = SHOWN_EACH_END if len(shown) > 2 * SHOWN_EACH_END else (len(shown) + 1) // 2
    return Standing(result.campaign_name, result.month, len(shown), shown[:each], shown[each:][-each:])
