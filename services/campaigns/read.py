"""Recent activities of a campaign in scope, with their photos' thumbnails."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from db.models import Activity, ActivityPhoto, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns.entries import load_campaign
from vocabulary import ActivityChannel, Audience, Outreach


@dataclass(frozen=True)
class ActivityRow:
    id: int
    activity_date: date
    unit_name: str
    outreach: str
    channel: str
    audience: str
    place: str | None
    officers: int
    people_reached: int
    thumbnails: list[bytes]


def recent_activities(session: Session, actor: Actor, campaign_id: int, limit: int = 10) -> list[ActivityRow]:
    """The latest activities logged by units in scope (newest first), with photo thumbnails."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    rows = session.execute(
        select(Activity, Unit.name).join(Unit, Unit.id == Activity.unit_id)
        .where(Activity.campaign_id == campaign.id, Unit.path.startswith(actor.unit_path))
        .order_by(Activity.created_at.desc(), Activity.id.desc()).limit(limit)).all()
    ids = [a.id for a, _ in rows]
    thumbs: dict[int, list[bytes]] = {}
    for activity_id, thumb in session.execute(
            select(ActivityPhoto.activity_id, ActivityPhoto.thumbnail)
            .where(ActivityPhoto.activity_id.in_(ids)).order_by(ActivityPhoto.id)).all():
        if thumb:
            thumbs.setdefault(activity_id, []).append(thumb)
    return [ActivityRow(a.id, a.activity_date, name, Outreach.label_of(a.outreach, a.outreach),
                        ActivityChannel.label_of(a.channel, a.channel), Audience.label_of(a.audience or "", "—"),
                        a.place, a.officers, a.people_reached, thumbs.get(a.id, [])) for a, name in rows]
