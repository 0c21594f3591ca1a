"""A small world for campaign tests: 市局 → 分局 → two stations, a partner school under one, accounts, a campaign."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from PIL import Image
from sqlalchemy import Engine, select

from db.engine import write_session
from db.models import Activity, AppUser, FraudCase, Unit
from services.access.actor import Actor
from services.campaigns import tallies
from services.campaigns.setup import CampaignDraft, TargetDraft, UnitEntry, create_campaign
from services.units.tree import add_unit
from vocabulary import Role, UnitKind

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 Beijing, Friday 20 Nov 2026
TODAY = date(2026, 11, 20)
START, END = date(2026, 8, 1), date(2026, 12, 31)
ACCOUNTS = (("leader_c", Role.LEADER, "C"), ("leader_d", Role.LEADER, "D"), ("clerk_wa", Role.CLERK, "WA"),
            ("clerk_yx", Role.CLERK, "YX"), ("command", Role.COMMAND, "C"), ("desk", Role.DESK, "C"))
TARGETS = {
    "school": TargetDraft("每月进校园宣传不少于2次", "count", 2, "次", period="month", measure="activities",
                          outreach="school"),
    "people": TargetDraft("活动期内受众不少于1000人", "count", 1000, "人", period="campaign", measure="people"),
    "leaflet": TargetDraft("宣传折页覆盖率", "coverage", 40, "%", measure="households"),
    "letter": TargetDraft("公开信知晓率", "survey", 90, "%", min_sample=100),
    "finance": TargetDraft("财会人员培训（签告知书）", "task", 1, "项", due_date=date(2026, 11, 30)),
    "incidents": TargetDraft("发案数同比下降", "outcome", 35, "%", measure="incidents"),
    "loss": TargetDraft("损失金额同比下降", "outcome", 20, "%", measure="loss"),
}


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class World:
    engine: Engine
    units: dict[str, int]
    actors: dict[str, Actor]
    campaign_id: int
    targets: dict[str, int]

    def activity(self, code: str, day: date, outreach: str = "community", channel: str = "leaflet",
                 people: int = 50, households: int = 10, pieces: int = 20) -> None:
        with write_session(self.engine) as session:
            activity = Activity(campaign_id=self.campaign_id, unit_id=self.units[code], activity_date=day,
                                outreach=outreach, channel=channel, people_reached=people, households=households,
                                pieces=pieces, created_at=NOW)
            session.add(activity)
            tallies.record(session, activity)  # as entries.log_activity does

    def case(self, code: str, reported_at: datetime, loss_fen: int = 100_000, number: list[int] = [0]) -> None:
        number[0] += 1
        with write_session(self.engine) as session:
            session.add(FraudCase(case_no=f"T{number[0]:06d}", unit_id=self.units[code], reported_at=reported_at,
                                  fraud_type="rebate", loss_fen=loss_fen, created_at=reported_at, updated_at=reported_at))


def build_world(engine: Engine) -> World:
    with write_session(engine) as session:
        add_unit(session, code="C", name="漳州市公安局", kind=UnitKind.CITY_BUREAU, parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind=UnitKind.DISTRICT_BUREAU, parent_code="C")
        add_unit(session, code="WA", name="武安派出所", kind=UnitKind.STATION, parent_code="D")
        add_unit(session, code="YX", name="岩溪派出所", kind=UnitKind.STATION, parent_code="D")
        add_unit(session, code="WAX", name="武安中心小学", kind=UnitKind.PARTNER, parent_code="WA")
        add_unit(session, code="D2", name="芗城分局", kind=UnitKind.DISTRICT_BUREAU, parent_code="C")
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in ACCOUNTS:
            user = AppUser(username=name, display_name=name, password_hash="-", role=role.value,
                           unit_id=units[code].id, created_at=NOW)
            session.add(user)
            session.flush()
            actors[name] = Actor(user.id, name, name, role, units[code].id, units[code].path, units[code].name,
                                 "127.0.0.1")
        draft = CampaignDraft(
            "织密防护网专项宣传", "织密防护网、筑牢防火墙、守护千万家", START, END,
            [UnitEntry(units["WA"].id, liaison_name="张警官", liaison_phone="13812345678"),
             UnitEntry(units["YX"].id, liaison_name="李警官", liaison_phone="13987654321"),
             UnitEntry(units["WAX"].id, partner=True, liaison_name="王老师", liaison_phone="0596-6123456")],
            list(TARGETS.values()))
        campaign_id = create_campaign(session, actors["leader_d"], draft, now=NOW)
        from db.models import CampaignTarget
        rows = session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
                               .order_by(CampaignTarget.id)).scalars().all()
        targets = {key: row.id for key, row in zip(TARGETS, rows, strict=True)}
    return World(engine, {c: u.id for c, u in units.items()}, actors, campaign_id, targets)
