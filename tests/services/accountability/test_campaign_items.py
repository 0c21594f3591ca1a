"""Campaign items (no case) through the whole workflow: list with 来源 and 事由, detail, explanation, review, close,
export, counts by unit and in the summary; case items and the bulk backfill unaffected."""

import io
from datetime import date, timedelta

import pytest
from accountability_world import NOW, build_world
from openpyxl import load_workbook
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AuditLog, Campaign, CampaignUnit
from services.accountability import api, triggers
from services.accountability.read import ItemFilter
from services.campaigns import api as campaigns_api
from services.shared.errors import InvalidInput
from vocabulary import CampaignConsequence, Decision, ItemSource

EXPLANATION = "本所第7、8期进展未按时报送，系联络员调岗未交接，已指定专人负责。"


@pytest.fixture
def world(engine):
    world = build_world(engine)
    with write_session(engine) as session:
        campaign = Campaign(name="织密防护网专项宣传", start_date=date(2026, 8, 1), end_date=date(2026, 12, 31),
                            owner_unit_id=world.units["D"], created_at=NOW, behind_pace_action=None)
        session.add(campaign)
        session.flush()
        session.add_all([CampaignUnit(campaign_id=campaign.id, unit_id=world.units[c]) for c in ("WA", "YX")])
    # Nobody reported: at 28 Nov periods 1–8 are missed, an item at 2, 4, 6 and 8 for each station.
    assert campaigns_api.check_consequences(engine, NOW).raised == 8
    return world


def _items(world, who="leader_d", **criteria):
    return api.items(world.engine, world.actors[who], ItemFilter(**criteria), NOW, 50, 0)


def _wa_latest(world) -> int:
    rows = _items(world, unit_id=world.units["WA"], source=ItemSource.CAMPAIGN).rows
    return next(r.id for r in rows if r.reason and "第8期" in r.reason)


def test_list_shows_source_and_reason_and_filters_by_source(world):
    world.add_case(loss_yuan="150000")
    found = _items(world)
    assert found.total == 9
    campaign_rows = [r for r in found.rows if r.source is ItemSource.CAMPAIGN]
    assert len(campaign_rows) == 8 and all(r.case_no is None and r.loss_fen is None for r in campaign_rows)
    assert all(r.campaign_name == "织密防护网专项宣传" and "未报送" in r.reason for r in campaign_rows)
    assert _items(world, source=ItemSource.CASE).total == 1 and _items(world, source=ItemSource.CAMPAIGN).total == 8
    assert _items(world, level=CampaignConsequence.TALK).total == 8
    assert _items(world, who="clerk_wa").total == 5  # a station sees its own: 4 campaign items and its case


def test_detail_explanation_review_and_close_without_a_case(world):
    item_id = _wa_latest(world)
    detail = api.item_detail(world.engine, world.actors["clerk_wa"], item_id, NOW)
    assert detail.case is None and detail.rule is None and detail.prevention is None
    assert detail.campaign.name == "织密防护网专项宣传" and detail.campaign.trigger_key == "missed:8"
    assert "第7期（2026-11-10）、第8期（2026-11-25）" in detail.campaign.reason
    assert detail.item.level == "talk" and detail.item.due_date == date(2026, 12, 5)
    with pytest.raises(InvalidInput):
        api.submit_explanation(world.engine, world.actors["clerk_wa"], item_id, "太短", None, [])
    api.submit_explanation(world.engine, world.actors["clerk_wa"], item_id, EXPLANATION, None, [])  # no 倒查 asked
    api.review(world.engine, world.actors["leader_d"], item_id, True, "")
    api.close(world.engine, world.actors["leader_d"], item_id, None, "已由分管局领导谈话。")  # no decision asked
    detail = api.item_detail(world.engine, world.actors["leader_d"], item_id, NOW + timedelta(days=1))
    assert detail.item.status == "closed" and detail.item.explanation == EXPLANATION
    assert [e.action for e in detail.events] == ["raised", "submitted", "approved", "closed"]
    with read_session(world.engine) as session:
        audits = session.execute(select(AuditLog.detail).where(AuditLog.object_type == "accountability_item",
                                                               AuditLog.object_id == str(item_id))).scalars().all()
    assert len(audits) == 4 and all("专项行动 织密防护网专项宣传" in a for a in audits)


def test_export_unit_table_and_summary_count_campaign_items(world):
    world.add_case(loss_yuan="600000")
    data = api.export_items(world.engine, world.actors["leader_d"], ItemFilter(), NOW)
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r and r[0] == "编号")
    assert header[:4] == ["编号", "来源", "案件编号/事由", "单位"]
    body = values[values.index(header) + 1:]
    assert sorted(r[1] for r in body) == ["专项行动"] * 8 + ["案件"]
    assert {r[5] for r in body if r[1] == "专项行动"} == {"谈话"}
    assert all("未报送" in r[2] for r in body if r[1] == "专项行动")
    summary, table = api_units(world)
    assert summary.open_total == 9 and summary.open_campaign == 8 and summary.open_by_level["l50w"] == 1
    rows = {r.name: r for r in table.rows}
    assert rows["武安派出所"].open_campaign == 4 and rows["武安派出所"].open_total == 5
    assert rows["岩溪派出所"].open_campaign == 4


def api_units(world):
    from services.accountability.read import summary, unit_table
    with read_session(world.engine) as session:
        actor = world.actors["leader_d"]
        return summary(session, actor, NOW), unit_table(session, actor, None, NOW)


def test_case_items_and_the_bulk_backfill_still_work_beside_campaign_items(world):
    case_id = world.add_case(loss_yuan="1200000")
    item = world.item(case_id)
    assert item.level == "l100w" and item.campaign_id is None
    api.submit_explanation(world.engine, world.actors["clerk_wa"], item.id, EXPLANATION, EXPLANATION, [])
    api.review(world.engine, world.actors["leader_d"], item.id, True, "")
    with pytest.raises(InvalidInput):
        api.close(world.engine, world.actors["leader_d"], item.id, None, "")  # 100万 still needs the decision
    api.close(world.engine, world.actors["leader_d"], item.id, Decision.TALK, "局长谈话")
    # Cases written in bulk (no hook) get their items although campaign items (case_id NULL) exist.
    from db.models import FraudCase
    with write_session(world.engine) as session:
        session.add(FraudCase(case_no="BULK1", unit_id=world.units["YX"], reported_at=NOW, fraud_type="investment",
                              loss_fen=20_000_000, created_at=NOW, updated_at=NOW))
    with write_session(world.engine) as session:
        assert triggers.backfill(session, NOW) == 1
    with read_session(world.engine) as session:
        assert session.execute(select(AccountabilityItem).join(FraudCase, FraudCase.id == AccountabilityItem.case_id)
                               .where(FraudCase.case_no == "BULK1")).scalar_one().level == "l10w"
