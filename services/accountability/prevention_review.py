"""倒查 (backward review) material for a 50万-level item: the station's prevention work before the case."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import AccountabilityItem, Activity, FraudCase, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.accountability.workflow import load_item
from services.shared.timeutil import day_start_utc, shanghai_today

ACTIVITY_WINDOW_DAYS = 90
EARLIER_CASES_DAYS = 365


@dataclass(frozen=True)
class ActivityRow:
    """A logged propaganda activity of the station."""

    id: int
    activity_date: date
    outreach: str
    channel: str
    people_reached: int
    households: int
    pieces: int
    place: str | None


@dataclass(frozen=True)
class EarlierCase:
    """An earlier case of the same type in the same jurisdiction (no personal data)."""

    id: int
    case_no: str
    reported_at: datetime
    loss_fen: int


@dataclass(frozen=True)
class PreventionReview:
    """What the 倒查 panel shows."""

    unit_id: int
    unit_name: str
    case_day: date
    first_day: date
    last_day: date
    activities: list[ActivityRow]
    victim_reached: bool | None
    fraud_type: str
    earlier_cases: list[EarlierCase]

    @property
    def people_reached(self) -> int:
        return sum(a.people_reached for a in self.activities)

    @property
    def households(self) -> int:
        return sum(a.households for a in self.activities)

    @property
    def pieces(self) -> int:
        return sum(a.pieces for a in self.activities)

    @property
    def earlier_loss_fen(self) -> int:
        return sum(c.loss_fen for c in self.earlier_cases)


def assemble(session: Session, item: AccountabilityItem, case: FraudCase) -> PreventionReview:
    """Activities in the 90 Beijing days before the report date, the victim's answer, same-type cases of the past year."""
    day = shanghai_today(case.reported_at)
    first, last = day - timedelta(days=ACTIVITY_WINDOW_DAYS), day - timedelta(days=1)
    activities = [ActivityRow(a.id, a.activity_date, a.outreach, a.channel, a.people_reached, a.households, a.pieces,
                              a.place)
                  for a in session.execute(
                      select(Activity).where(Activity.unit_id == item.unit_id, Activity.activity_date >= first,
                                             Activity.activity_date <= last)
                      .order_by(Activity.activity_date, Activity.id)).scalars()]
    earlier = [EarlierCase(*row) for row in session.execute(
        select(FraudCase.id, FraudCase.case_no, FraudCase.reported_at, FraudCase.loss_fen)
        .where(FraudCase.unit_id == item.unit_id, FraudCase.fraud_type == case.fraud_type, FraudCase.id != case.id,
               FraudCase.reported_at >= day_start_utc(day - timedelta(days=EARLIER_CASES_DAYS)),
               FraudCase.reported_at < case.reported_at)
        .order_by(FraudCase.reported_at.desc(), FraudCase.id.desc()))]
    unit_name = session.execute(select(Unit.name).where(Unit.id == item.unit_id)).scalar()
    return PreventionReview(item.unit_id, unit_name, day, first, last, activities, case.victim_reached_by_propaganda,
                            case.fraud_type, earlier)


def prevention_review(session: Session, actor: Actor, item_id: int) -> PreventionReview | None:
    """The 倒查 material of an item in the actor's scope (None for a campaign item)."""
    require(actor, Permission.VIEW_CASES)
    item = load_item(session, actor, item_id)
    if item.case_id is None:  # a campaign item: no case, nothing to review backwards from
        return None
    return assemble(session, item, session.get(FraudCase, item.case_id))
