"""The demo's campaign follow-through: a few 督导 visits to the running campaign (some fixed, one overdue, two with a
photo), then the consequences of falling behind raised as of the anchor, so 问责预警 shows campaign items too."""

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlmodel import Session

from db import models
from services.campaigns import consequences
from services.campaigns.photos import thumbnail
from services.shared.timeutil import SHANGHAI

DEMO = "演示数据"


@dataclass(frozen=True)
class Visit:
    """A visit relative to the anchor's day: days before it, fix-by and fixed (None: none)."""

    unit: str
    visited: int
    inspector: str
    findings: str
    fix_by: int | None
    fixed: int | None = None
    fix_note: str | None = None
    photo: bool = False


VISITS = (
    Visit("武安派出所", 24, "市局督导组 陈建华", "辖区学校反诈宣传只有横幅，未进课堂；公开信回执未建台账。", 12, 14,
          "已联系武安中心小学开展反诈课堂两场，回执台账已建立并补录。", photo=True),
    Visit("岩溪派出所", 16, "市局督导组 陈建华", "村居反诈宣传栏内容过期（仍为去年版本），入户走访记录不全。", 6, photo=True),
    Visit("武安派出所", 3, "分局督导组 林志强", "微信群反诈推送频次不足每周两次，未指定专人负责。", -7),
    Visit("长泰区公安分局", 9, "市局督导组 黄美玲", "分局对所属派出所进展报送催报不及时，第7期有单位逾期未报。", None),
    Visit("坂里派出所", 30, "分局督导组 林志强", "银行网点未张贴最新反诈海报。", 20, 22, "已在辖区3个银行网点更换最新海报。"),
)


def _photo(label: int) -> bytes:
    image = Image.new("RGB", (320, 240), (236, 239, 241))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline=(198, 40, 40), width=6)
    draw.text((40, 110), f"DUDAO {label}", fill=(33, 33, 33))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _running(session: Session, today: date) -> models.Campaign | None:
    return session.execute(select(models.Campaign).where(models.Campaign.start_date <= today,
                                                         models.Campaign.end_date >= today)
                           .order_by(models.Campaign.start_date.desc())).scalars().first()


def _units(session: Session, campaign_id: int) -> dict[str, int]:
    rows = session.execute(select(models.Unit.name, models.Unit.id)
                           .join(models.CampaignUnit, models.CampaignUnit.unit_id == models.Unit.id)
                           .where(models.CampaignUnit.campaign_id == campaign_id,
                                  models.CampaignUnit.partner.is_(False)).order_by(models.Unit.id)).all()
    found: dict[str, int] = {}
    for name, unit_id in rows:
        found.setdefault(name, unit_id)  # a name twice (two districts' 城关派出所): the first
    return found


def _add_visits(session: Session, campaign: models.Campaign, anchor: datetime) -> int:
    today = anchor.astimezone(SHANGHAI).date()
    units = _units(session, campaign.id)
    added = 0
    for index, visit in enumerate(VISITS, start=1):
        unit_id = units.get(visit.unit)
        visited = today - timedelta(days=visit.visited)
        if unit_id is None or visited < campaign.start_date:
            continue
        row = models.CampaignInspection(
            campaign_id=campaign.id, unit_id=unit_id, visited_on=visited, inspector=visit.inspector,
            findings=visit.findings, fix_by=None if visit.fix_by is None else today - timedelta(days=visit.fix_by),
            fixed_on=None if visit.fixed is None else today - timedelta(days=visit.fixed), fix_note=visit.fix_note,
            created_by=DEMO, created_at=anchor - timedelta(days=visit.visited), idempotency_key=f"demo-{index}")
        session.add(row)
        session.flush()
        if visit.photo:
            content = _photo(index)
            session.add(models.InspectionPhoto(inspection_id=row.id, filename=f"督导现场{index}.png",
                                               content_type="image/png", size=len(content), content=content,
                                               thumbnail=thumbnail(content), uploaded_by=DEMO, at=row.created_at))
        added += 1
    session.flush()
    return added


def write_followup(session: Session, anchor: datetime) -> int:
    """Visits to the running campaign, then the consequences of its latest checkpoint raised as of the anchor (the
    follow-through went live there: a demo of every unit red at every past checkpoint would bury the case items)."""
    today = anchor.astimezone(SHANGHAI).date()
    campaign = _running(session, today)
    if campaign is not None:
        _add_visits(session, campaign, anchor)
        passed = consequences.checkpoints(campaign, today)
        if len(passed) > 1:
            consequences.start_after(session, campaign, passed[-2].due, anchor)
    return consequences.raise_due(session, anchor).raised
