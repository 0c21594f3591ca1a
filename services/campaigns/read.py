"""What the 活动登记 page reads: who may log for a campaign (and what), and recent activities with thumbnails."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from db.models import Activity, ActivityPhoto, CampaignTarget, CampaignUnit, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import text as t
from services.campaigns.entries import load_campaign
from vocabulary import ActivityChannel, Audience, Outreach, TargetKind

ENTRY_KINDS = (TargetKind.COVERAGE, TargetKind.SURVEY, TargetKind.TASK)


@dataclass(frozen=True)
class LogContext:
    """One campaign as the log forms need it: the units that may log, the entry targets, the dates allowed."""

    campaign_id: int
    name: str
    start_date: date
    end_date: date
    last_day: date  # the latest loggable day: today, or the campaign's end if it is over
    police: dict[int, str]  # campaign police units in scope: log activities, bases, surveys, tasks
    partners: dict[int, str]  # campaign partner units in scope: log activities only
    targets: dict[TargetKind, dict[int, str]]  # coverage / survey / task targets: id → description

    @property
    def started(self) -> bool:
        return self.start_date <= self.last_day

    @property
    def loggable(self) -> dict[int, str]:
        """Every unit that may log an activity, partners marked as such."""
        return {**self.police, **{uid: f"{name}（{t.CAMP_PARTNERS}）" for uid, name in self.partners.items()}}


def log_context(session: Session, actor: Actor, campaign_id: int, today: date) -> LogContext:
    """The units in scope that may log for a campaign and its entry targets (no progress figures are computed)."""
    require(actor, Permission.LOG_ACTIVITIES)
    campaign = load_campaign(session, actor, campaign_id)
    police: dict[int, str] = {}
    partners: dict[int, str] = {}
    for partner, unit_id, name in session.execute(
            select(CampaignUnit.partner, Unit.id, Unit.name).join(Unit, Unit.id == CampaignUnit.unit_id)
            .where(CampaignUnit.campaign_id == campaign.id, Unit.path.startswith(actor.unit_path))
            .order_by(Unit.level, Unit.sort_order, Unit.id)).all():
        (partners if partner else police)[unit_id] = name
    targets: dict[TargetKind, dict[int, str]] = {kind: {} for kind in ENTRY_KINDS}
    for target_id, kind, description in session.execute(
            select(CampaignTarget.id, CampaignTarget.kind, CampaignTarget.description)
            .where(CampaignTarget.campaign_id == campaign.id, CampaignTarget.kind.in_([k.value for k in ENTRY_KINDS]))
            .order_by(CampaignTarget.id)).all():
        targets[TargetKind(kind)][target_id] = description
    return LogContext(campaign.id, campaign.name, campaign.start_date, campaign.end_date,
                      min(today, campaign.end_date), police, partners, targets)


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
    receipts: int
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
                        a.place, a.officers, a.people_reached, a.receipts or 0, thumbs.get(a.id, []))
                        for a, name in rows]
