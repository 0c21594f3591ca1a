"""Falling behind in a campaign calls a unit to account: an accountability item, raised once per trigger.

Two triggers, each switched off by NULL on the campaign (missed_reports_action / behind_pace_action):

- missed reports: at the checkpoint of period N (the day after its due date, Beijing time) a police unit whose
  latest `missed_reports_limit` decided reports in a row are all missing gets the item "missed:N" (a run of four
  misses with a limit of two raises two items, at the second and the fourth);
- behind pace: at each checkpoint, a police unit whose light on a cumulative target (count or coverage) is red in
  the progress read model as of that due date gets the item "pace:<target>:<due date>".

Each checkpoint of a campaign is evaluated once: an app_setting row per campaign remembers the last one done, so a
page load with nothing due costs two small reads. The unique (campaign, unit, trigger_key) keeps it exactly-once even
if two evaluations race. Everything is judged as of the checkpoint (reports submitted later do not count), so an
evaluation run late gives the same items as one run on time.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from db.models import AccountabilityItem, AppSetting, Campaign, CampaignReport, CampaignUnit, Unit
from services import audit
from services.access.actor import Actor
from services.accountability.triggers import SYSTEM_USERNAME, record_step
from services.campaigns import calendar
from services.campaigns import text as t
from services.campaigns.progress import progress
from services.shared.timeutil import day_start_utc, shanghai_today
from vocabulary import AuditAction, CampaignConsequence, ItemAction, ItemStatus, Light, Role, TargetKind

RECENT_DAYS = 30  # a campaign whose 总结 fell due within this many days is still checked
MEMO_PREFIX = "campaign_consequences:"
PACED_KINDS = (TargetKind.COUNT, TargetKind.COVERAGE)


def _periods(campaign: Campaign) -> list[calendar.ReportPeriod]:
    return calendar.report_periods(campaign.start_date, campaign.end_date)


def checkpoints(campaign: Campaign, today: date) -> list[calendar.ReportPeriod]:
    """The report periods whose due day has passed (Beijing time): each is a checkpoint."""
    return [p for p in _periods(campaign) if p.due < today]


def _candidates(session: Session, today: date) -> list[Campaign]:
    # Running, or whose 总结 fell due recently; the 总结 is due at most a month or so after the end.
    rows = session.execute(select(Campaign).where(Campaign.start_date < today,
                                                  Campaign.end_date >= today - timedelta(days=RECENT_DAYS + 31))
                           .order_by(Campaign.id)).scalars().all()
    return [c for c in rows if _periods(c)[-1].due >= today - timedelta(days=RECENT_DAYS)]


def _memo_key(campaign_id: int) -> str:
    return f"{MEMO_PREFIX}{campaign_id}"


def _memos(session: Session, campaign_ids: list[int]) -> dict[int, date]:
    keys = {_memo_key(i): i for i in campaign_ids}
    rows = session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.in_(keys))).all()
    return {keys[k]: date.fromisoformat(v) for k, v in rows}


def _switched_on(campaign: Campaign) -> bool:
    return bool((campaign.missed_reports_limit and campaign.missed_reports_action) or campaign.behind_pace_action)


def _due_checkpoints(campaign: Campaign, memo: date | None, today: date) -> list[calendar.ReportPeriod]:
    if not _switched_on(campaign):
        return []
    return [p for p in checkpoints(campaign, today) if memo is None or p.due > memo]


def pending(session: Session, now: datetime) -> bool:
    """Whether some campaign has a checkpoint not yet evaluated (the cheap check before a write)."""
    today = shanghai_today(now)
    campaigns = _candidates(session, today)
    memos = _memos(session, [c.id for c in campaigns])
    return any(_due_checkpoints(c, memos.get(c.id), today) for c in campaigns)


@dataclass(frozen=True)
class Trigger:
    """One item to raise: the unit, its key and the reason."""

    unit_id: int
    key: str
    level: CampaignConsequence
    reason: str


def _period_name(period: calendar.ReportPeriod) -> str:
    return (t.CONSEQ_FINAL if period.final else t.CONSEQ_PERIOD).format(number=period.number, due=period.due)


def _police_units(session: Session, campaign: Campaign) -> list[int]:
    return list(session.execute(select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign.id,
                                                                   CampaignUnit.partner.is_(False))
                                .order_by(CampaignUnit.unit_id)).scalars())


def missed_triggers(session: Session, campaign: Campaign, checkpoint: calendar.ReportPeriod) -> list[Trigger]:
    """Units whose missed run reaches a multiple of the limit at this checkpoint (judged as of the checkpoint)."""
    limit, action = campaign.missed_reports_limit, campaign.missed_reports_action
    if not limit or not action:
        return []
    moment = day_start_utc(checkpoint.due + timedelta(days=1))
    periods = [p for p in _periods(campaign) if p.number <= checkpoint.number]
    submitted = {(u, n): at for u, n, at in session.execute(
        select(CampaignReport.unit_id, CampaignReport.period_number, CampaignReport.submitted_at)
        .where(CampaignReport.campaign_id == campaign.id, CampaignReport.period_number <= checkpoint.number))}
    found = []
    for unit_id in _police_units(session, campaign):
        statuses = []
        for period in periods:
            at = submitted.get((unit_id, period.number))
            statuses.append(calendar.status(period, at if at is not None and at < moment else None, moment))
        run = calendar.missed_in_a_row(statuses)
        if run >= limit and run % limit == 0 and statuses[-1] is calendar.ReportStatus.MISSING:
            names = "、".join(_period_name(p) for p in periods[-limit:])
            reason = t.CONSEQ_MISSED.format(count=limit, periods=names, due=checkpoint.due)
            found.append(Trigger(unit_id, f"missed:{checkpoint.number}", CampaignConsequence(action), reason))
    return found


def system_actor(session: Session, campaign: Campaign) -> Actor:
    """The bureau itself, as the campaign's owner unit: what the progress read model is asked as."""
    owner = session.get(Unit, campaign.owner_unit_id)
    return Actor(0, SYSTEM_USERNAME, SYSTEM_USERNAME, Role.LEADER, owner.id, owner.path, owner.name)


def pace_triggers(session: Session, campaign: Campaign, checkpoint: calendar.ReportPeriod) -> list[Trigger]:
    """Red lights on cumulative targets in the progress as of the checkpoint's due date."""
    if not campaign.behind_pace_action:
        return []
    standing = progress(session, system_actor(session, campaign), campaign.id, checkpoint.due)
    level = CampaignConsequence(campaign.behind_pace_action)
    found = []
    for unit in standing.units:
        for target in standing.targets:
            cell = standing.cells.get((unit.unit_id, target.id))
            if target.kind not in PACED_KINDS or cell is None or cell.light is not Light.RED:
                continue
            reason = t.CONSEQ_PACE.format(date=checkpoint.due, number=checkpoint.number,
                                          target=target.description, figures=cell.text)
            found.append(Trigger(unit.unit_id, f"pace:{target.id}:{checkpoint.due.isoformat()}", level, reason))
    return found


def _existing_keys(session: Session, campaign_id: int) -> set[tuple[int, str]]:
    return set(session.execute(select(AccountabilityItem.unit_id, AccountabilityItem.trigger_key)
                               .where(AccountabilityItem.campaign_id == campaign_id)).all())


def _raise(session: Session, campaign: Campaign, trigger: Trigger, now: datetime) -> None:
    item = AccountabilityItem(
        campaign_id=campaign.id, unit_id=trigger.unit_id, trigger_key=trigger.key, reason=trigger.reason,
        level=trigger.level.value, required_action=t.CONSEQ_ACTION[trigger.level.value],
        responsible=t.CONSEQ_RESPONSIBLE, due_date=shanghai_today(now) + timedelta(days=campaign.consequence_days),
        status=ItemStatus.PENDING.value, raised_at=now)
    session.add(item)
    session.flush()
    record_step(session, item, ItemAction.RAISED, None, now, note=t.CONSEQ_RAISED_NOTE.format(reason=trigger.reason),
                username=SYSTEM_USERNAME)


def _remember(session: Session, campaign_id: int, checkpoint: date, now: datetime) -> None:
    memo = session.get(AppSetting, _memo_key(campaign_id))
    if memo is None:
        session.add(AppSetting(key=_memo_key(campaign_id), value=checkpoint.isoformat(), updated_at=now))
    else:
        memo.value, memo.updated_at = checkpoint.isoformat(), now
    session.flush()


def start_after(session: Session, campaign: Campaign, day: date, now: datetime) -> None:
    """Follow the campaign through from the checkpoints after `day` only (consequences switched on mid-campaign
    call no one to account for what was already past)."""
    _remember(session, campaign.id, day, now)


def evaluate(session: Session, campaign: Campaign, now: datetime) -> int:
    """Every checkpoint of one campaign not yet evaluated: raise what is due; how many items were raised."""
    today = shanghai_today(now)
    # The campaign row is locked first, so a concurrent evaluation waits and then finds the memo moved on.
    session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update()).first()
    due = _due_checkpoints(campaign, _memos(session, [campaign.id]).get(campaign.id), today)
    if not due:
        return 0
    seen, raised = _existing_keys(session, campaign.id), 0
    for checkpoint in due:
        for trigger in [*missed_triggers(session, campaign, checkpoint), *pace_triggers(session, campaign, checkpoint)]:
            if (trigger.unit_id, trigger.key) in seen:
                continue
            _raise(session, campaign, trigger, now)
            seen.add((trigger.unit_id, trigger.key))
            raised += 1
    _remember(session, campaign.id, due[-1].due, now)
    if raised:
        audit.record(session, AuditAction.CREATE, None, object_type="accountability_item", username=SYSTEM_USERNAME,
                     detail=t.CONSEQ_AUDIT.format(campaign=campaign.name, count=raised, date=due[-1].due))
    return raised


@dataclass(frozen=True)
class CheckResult:
    """What one run did: campaigns looked at, items raised."""

    campaigns: int
    raised: int


def raise_due(session: Session, now: datetime) -> CheckResult:
    """For each running or recently ended campaign, raise the items its unevaluated checkpoints call for."""
    today = shanghai_today(now)
    campaigns = _candidates(session, today)
    return CheckResult(len(campaigns), sum(evaluate(session, c, now) for c in campaigns))
