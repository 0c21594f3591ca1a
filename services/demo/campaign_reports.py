"""The demo's weekly 公众号 posts and its submitted 10th/25th reports: most units on time, some late, some never.

Reports are frozen with the same snapshot the 进展报送 page writes (figures of the period, the target standing at the
period's last day), one progress read per period for every unit at once, and marked 演示数据. Everything here draws
from its own generators (seed + 17, seed + 29), so the other demo records are those of the same seed without it.
"""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Connection, select
from sqlmodel import Session

from db import models
from db.bulk import bulk_insert
from services.access.actor import Actor
from services.access.masking import mask_phone
from services.campaigns import calendar
from services.campaigns.progress import progress
from services.campaigns.report_model import Liaison, UnitReport
from services.campaigns.reports import figures_of, target_rows, units_below
from services.shared.timeutil import SHANGHAI
from vocabulary import Role

DEMO = "（演示数据）"
NEVER_REPORTING = 3  # stations that never report: the board's 逾期未报 and the consequences have something to show
MISSING_SHARE = 0.04  # of the other units, per period
LATE_SHARE = 0.09
LATEST_MISSING_SHARE = 0.12  # the latest period due: more units still owe it
POSTS_PER_WEEK = (0.6, 3.2)  # each station's own rate of 公众号 posts (the weekly target asks for 2)


def _running_or_latest(connection: Connection, today: date) -> models.Campaign | None:
    return connection.execute(select(models.Campaign.__table__).where(models.Campaign.start_date <= today)
                              .order_by(models.Campaign.start_date.desc())).first()


def write_weekly_posts(connection: Connection, seed: int, today: date, stations: list[tuple[int, str]],
                       created: str) -> int:
    """公众号 posts of each station in the running campaign, at the station's own weekly rate (some meet ≥2/week)."""
    campaign = _running_or_latest(connection, today)
    if campaign is None or campaign.end_date < today:
        return 0
    rng = np.random.default_rng(seed + 17)
    days = (today - campaign.start_date).days + 1
    rates = rng.uniform(*POSTS_PER_WEEK, len(stations)) / 7
    rows = []
    for (unit_id, name), rate in zip(stations, rates.tolist(), strict=True):
        counts = rng.poisson(rate, days).tolist()
        readers = rng.lognormal(np.log(300), 0.8, sum(counts)).astype(int).tolist()
        for offset, count in enumerate(counts):
            for _ in range(count):
                day = campaign.start_date + timedelta(days=offset)
                rows.append((campaign.id, unit_id, day.isoformat(), "family", "push", 0, readers.pop(), 0, "other", 1,
                             f"{name}公众号", created))
    columns = ("campaign_id", "unit_id", "activity_date", "outreach", "channel", "pieces", "people_reached",
               "households", "audience", "officers", "place", "created_at")
    return bulk_insert(connection, models.Activity.__table__, columns, rows)


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(8, 30), SHANGHAI).astimezone(UTC) + timedelta(minutes=minutes)


def _top(counter: Counter, limit: int) -> str:
    return "、".join(label for label, _ in counter.most_common(limit))


def _words(figures, period: calendar.ReportPeriod) -> dict[str, str]:
    channels = Counter({t.label: t.count for t in figures.by_channel})
    places = Counter({t.label: t.count for t in figures.by_place})
    if not figures.activities:
        quiet = f"本期未组织集中宣传活动{DEMO}"
        return dict(methods=quiet, channels=quiet, process=quiet, scope=quiet,
                    next_steps=f"下期补齐集中宣传和每周公众号推送{DEMO}")
    return dict(
        methods=f"采取{_top(channels, 3)}等方式开展反诈宣传{DEMO}",
        channels=f"通过{_top(channels, 5)}等渠道发布、张贴、发放宣传材料{DEMO}",
        process=(f"{period.covers_from.month}月{period.covers_from.day}日至{period.covers_to.month}月"
                 f"{period.covers_to.day}日组织宣传活动{figures.activities}场次，出动警力{figures.police_turnout}人次{DEMO}"),
        scope=f"深入{_top(places, 5)}，覆盖群众{figures.people_reached}人次、入户{figures.households}户{DEMO}",
        next_steps=f"继续推进“八进”宣传，确保每周公众号推送不少于2次{DEMO}")


def write_demo_reports(session: Session, seed: int, anchor: datetime, root_id: int) -> int:
    """Submitted reports of every period due before the anchor's day, in the running (or latest begun) campaign."""
    today = anchor.astimezone(SHANGHAI).date()
    campaign = session.execute(select(models.Campaign).where(models.Campaign.start_date <= today)
                               .order_by(models.Campaign.start_date.desc())).scalars().first()
    if campaign is None:
        return 0
    periods = [p for p in calendar.report_periods(campaign.start_date, campaign.end_date) if p.due < today]
    if not periods:
        return 0
    root = session.get(models.Unit, root_id)
    actor = Actor(0, "demo", "演示数据", Role.LEADER, root.id, root.path, root.name)
    links = session.execute(select(models.CampaignUnit, models.Unit)
                            .join(models.Unit, models.Unit.id == models.CampaignUnit.unit_id)
                            .where(models.CampaignUnit.campaign_id == campaign.id)
                            .order_by(models.Unit.level, models.Unit.sort_order, models.Unit.id)).all()
    police = [(link, unit) for link, unit in links if not link.partner]
    police_ids = {unit.id for _, unit in police}
    counted_for = {unit.id: unit.id for _, unit in police}
    counted_for.update({unit.id: unit.parent_id for link, unit in links if link.partner and unit.parent_id in police_ids})
    activities: dict[int, list[tuple]] = defaultdict(list)
    for row in session.execute(select(models.Activity.unit_id, models.Activity.activity_date, models.Activity.channel,
                                      models.Activity.outreach, models.Activity.people_reached,
                                      models.Activity.households, models.Activity.pieces, models.Activity.officers)
                               .where(models.Activity.campaign_id == campaign.id)).all():
        if row[0] in counted_for:
            activities[counted_for[row[0]]].append(row)
    rng = np.random.default_rng(seed + 29)
    stations = [unit.id for _, unit in police if unit.level == 3]
    never = set(rng.choice(stations, size=min(NEVER_REPORTING, len(stations)), replace=False).tolist())
    rows = []
    for period in periods:
        standing = progress(session, actor, campaign.id, period.covers_to)
        latest = period is periods[-1]
        for link, unit in police:
            draw, delay, minutes = rng.random(), int(rng.integers(1, 5)), int(rng.integers(0, 9 * 60))
            if unit.id in never or draw < (LATEST_MISSING_SHARE if latest else MISSING_SHARE):
                continue
            submitted = _at(period.due + timedelta(days=delay if draw < MISSING_SHARE + LATE_SHARE else 0), minutes)
            if submitted >= anchor:
                continue
            below = units_below([u for _, u in police], unit)  # a 分局 reports for its 辖区, as the page does
            own, figures = (figures_of([r[2:] for u in units for r in activities[u.id]
                                        if period.covers_from <= r[1] <= period.covers_to])
                            for units in ([unit], [unit, *below]))
            report = UnitReport(
                campaign_name=campaign.name, theme=campaign.theme or "", period=period, unit_name=unit.name,
                liaison=Liaison(link.liaison_name or "", mask_phone(link.liaison_phone) or ""),
                figures=figures, targets=target_rows(standing, unit.id),
                report_date=submitted.astimezone(SHANGHAI).date(), demo=True, **_words(figures, period),
                own_figures=own if below else None, includes=tuple(u.name for u in below))
            rows.append({"campaign_id": campaign.id, "unit_id": unit.id, "period_number": period.number,
                         "due_date": period.due, "submitted_at": submitted, "submitted_by": "演示数据",
                         "snapshot": report.to_json()})
    if rows:
        session.execute(models.CampaignReport.__table__.insert(), rows)
    return len(rows)
