"""Campaign setup and upkeep: create with consequences, refusals by field, no duplicates, owner-only edits, audit."""

import string
from datetime import date

import pytest
from campaign_world import END, NOW, START, build_world
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AuditLog, Campaign, CampaignReport, CampaignTarget, CampaignUnit, Unit
from services.access.actor import AccessDenied
from services.campaigns import api
from services.campaigns.setup import CampaignDraft, Consequences, TargetDraft, UnitEntry, normalise_phone
from services.shared.errors import InvalidInput
from services.units.tree import add_unit
from vocabulary import UnitKind

COUNT = TargetDraft("每单位每月集中宣传", "count", 1, period="month", measure="activities")
TASK = TargetDraft("经侦大队完成银行网点协调", "task", 1, due_date=date(2026, 9, 30))


@pytest.fixture
def world(engine):
    return build_world(engine)


def _draft(world, **changes) -> CampaignDraft:
    values = dict(name="秋季反诈宣传", theme="防范诈骗 人人参与", start_date=START, end_date=END,
                  units=[UnitEntry(world.units["WA"], liaison_name="张三", liaison_phone="138 1234 5678"),
                         UnitEntry(world.units["YX"]),
                         UnitEntry(world.units["WAX"], partner=True, liaison_name="王老师",
                                   liaison_phone="05966123456")],
                  targets=[COUNT, TASK], consequences=Consequences(3, "admonish", None, 5))
    values.update(changes)
    return CampaignDraft(**values)


def _count(world, model, *where) -> int:
    with read_session(world.engine) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_leader_creates_a_campaign_with_units_liaisons_targets_and_consequences(world):
    campaign_id = api.create_campaign(world.engine, world.actors["leader_d"], _draft(world))
    with read_session(world.engine) as session:
        campaign = session.get(Campaign, campaign_id)
        links = {link.unit_id: link for link in session.execute(
            select(CampaignUnit).where(CampaignUnit.campaign_id == campaign_id)).scalars()}
        targets = session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
                                  .order_by(CampaignTarget.id)).scalars().all()
        audit = session.execute(select(AuditLog).where(AuditLog.object_type == "campaign",
                                                       AuditLog.object_id == str(campaign_id))).scalar_one()
    assert (campaign.owner_unit_id, campaign.missed_reports_limit, campaign.missed_reports_action,
            campaign.behind_pace_action, campaign.consequence_days) == (world.units["D"], 3, "admonish", None, 5)
    assert links[world.units["WA"]].liaison_phone == "13812345678"  # stored normalised
    assert links[world.units["WAX"]].partner and links[world.units["WAX"]].liaison_phone == "0596-6123456"
    assert links[world.units["YX"]].liaison_name is None
    assert [(x.kind, x.period, x.unit_of_measure, x.target_value, x.due_date) for x in targets] == [
        ("count", "month", "次", 1.0, None), ("task", None, "项", 1.0, date(2026, 9, 30))]
    assert audit.username == "leader_d" and "3个单位，2个目标" in audit.detail
    summary = api.owned_campaigns(world.engine, world.actors["leader_d"], date(2026, 11, 20))
    assert [(s.name, s.status, s.police_units, s.partner_units, s.targets) for s in summary] == [
        ("秋季反诈宣传", "进行中", 2, 1, 2), ("织密防护网专项宣传", "进行中", 2, 1, 7)]
    assert campaign_id in dict(api.campaign_choices(world.engine, world.actors["clerk_wa"]))


def test_default_consequences_are_the_schema_defaults(world):
    campaign_id = api.create_campaign(world.engine, world.actors["leader_d"],
                                      _draft(world, consequences=Consequences()))
    with read_session(world.engine) as session:
        campaign = session.get(Campaign, campaign_id)
    assert (campaign.missed_reports_limit, campaign.missed_reports_action, campaign.behind_pace_action,
            campaign.consequence_days) == (2, "talk", "warn", 7)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": "  "}, "name", "请填写"),
    ({"start_date": END, "end_date": START}, "period", "结束日期"),
    ({"units": []}, "units", "请选择参加单位"),
    ({"units": [UnitEntry(1_000_000)]}, "units", "管辖范围"),
    ({"units": [UnitEntry(-1, partner=True)]}, "partners", "管辖范围"),
    ({"targets": []}, "targets", "至少设定一个目标"),
    ({"targets": [COUNT, COUNT]}, "targets", "同名目标"),
    ({"targets": [TargetDraft("调查", "survey", 90)]}, "targets", "第1个目标：调查目标须设定最低样本量"),
    ({"targets": [TargetDraft("覆盖", "coverage", 140, measure="households")]}, "targets", "0到100"),
    ({"targets": [TargetDraft("任务", "task", 1, due_date=date(2027, 1, 5))]}, "targets", "截止日期"),
    ({"targets": [TargetDraft("下降", "outcome", 35, measure="people")]}, "targets", "统计口径"),
    ({"consequences": Consequences(0, "talk", "warn", 7)}, "missed_reports_limit", "1到20"),
    ({"consequences": Consequences(2, "fire", "warn", 7)}, "missed_reports_action", "有效的选项"),
    ({"consequences": Consequences(2, "talk", "warn", 0)}, "consequence_days", "1到90天"),
])
def test_bad_fields_are_refused_in_chinese_and_nothing_is_saved(world, changes, field, words):
    before = _count(world, Campaign)
    with pytest.raises(InvalidInput) as refused:
        api.create_campaign(world.engine, world.actors["leader_d"], _draft(world, **changes))
    assert words in refused.value.errors[field]
    assert _count(world, Campaign) == before and _count(world, AuditLog, AuditLog.object_type == "campaign") == 1


def test_a_bad_liaison_phone_names_the_unit_and_nothing_is_saved(world):
    draft = _draft(world, units=[UnitEntry(world.units["WA"]), UnitEntry(world.units["YX"], liaison_phone="12345")])
    with pytest.raises(InvalidInput) as refused:
        api.create_campaign(world.engine, world.actors["leader_d"], draft)
    assert refused.value.errors["liaisons"].startswith("岩溪派出所：联系电话须为11位手机号")
    assert _count(world, Campaign) == 1


def test_a_partner_must_be_a_partner_and_a_target_must_apply_to_a_police_unit(world):
    draft = _draft(world, units=[UnitEntry(world.units["WA"]), UnitEntry(world.units["YX"], partner=True)],
                   targets=[TargetDraft("学校", "count", 1, period="month", measure="activities",
                                        applies_to_unit_id=world.units["WAX"])])
    with pytest.raises(InvalidInput) as refused:
        api.create_campaign(world.engine, world.actors["leader_d"], draft)
    assert "非公安单位" in refused.value.errors["partners"] and "适用单位" in refused.value.errors["targets"]


def test_the_same_name_and_start_of_the_same_owner_is_created_once(world):
    leader = world.actors["leader_d"]
    first = api.create_campaign(world.engine, leader, _draft(world))
    with pytest.raises(InvalidInput) as refused:
        api.create_campaign(world.engine, leader, _draft(world, theme="另一个主题"))
    assert "已有同名专项行动" in refused.value.errors["name"]
    assert _count(world, Campaign, Campaign.name == "秋季反诈宣传") == 1
    later = api.create_campaign(world.engine, leader, _draft(world, start_date=date(2026, 8, 2)))
    assert later != first


def test_only_leaders_create_and_only_the_owner_maintains(world):
    with pytest.raises(AccessDenied):
        api.create_campaign(world.engine, world.actors["clerk_wa"], _draft(world))
    campaign_id = world.campaign_id  # owned by 长泰分局 (leader_d)
    with pytest.raises(AccessDenied) as refused:
        api.campaign_setup(world.engine, world.actors["leader_c"], campaign_id)
    assert "发起单位" in str(refused.value)
    with pytest.raises(AccessDenied):
        api.add_target(world.engine, world.actors["leader_c"], campaign_id, COUNT)
    with pytest.raises(AccessDenied):
        api.update_consequences(world.engine, world.actors["command"], campaign_id, Consequences())
    assert api.owned_campaigns(world.engine, world.actors["leader_c"], date(2026, 11, 20)) == []


def test_owner_edits_liaisons_and_the_change_is_audited(world):
    leader, wa, yx = world.actors["leader_d"], world.units["WA"], world.units["YX"]
    changed = api.update_liaisons(world.engine, leader, world.campaign_id,
                                  {wa: ("张警官", "13812345678"), yx: ("赵警官", "+86 139-0000-1111")})
    assert changed == 1
    rows = {r.unit_id: r for r in api.campaign_setup(world.engine, leader, world.campaign_id).units}
    assert (rows[yx].liaison_name, rows[yx].liaison_phone) == ("赵警官", "13900001111")
    with pytest.raises(InvalidInput) as refused:
        api.update_liaisons(world.engine, leader, world.campaign_id, {wa: ("张警官", "0000")})
    assert "武安派出所" in refused.value.errors["liaisons"]
    with pytest.raises(InvalidInput):
        api.update_liaisons(world.engine, leader, world.campaign_id, {world.units["D2"]: ("某", None)})
    assert _count(world, AuditLog, AuditLog.detail.like("%联络员：岩溪派出所")) == 1


def test_owner_adds_a_partner_a_target_and_changes_consequences(world):
    leader = world.actors["leader_d"]
    with write_session(world.engine) as session:
        bank = add_unit(session, code="YXB", name="岩溪农商银行网点", kind=UnitKind.PARTNER, parent_code="YX").id
    api.add_partner(world.engine, leader, world.campaign_id, UnitEntry(bank, True, "陈行长", "0596-6888888"))
    with pytest.raises(InvalidInput) as refused:
        api.add_partner(world.engine, leader, world.campaign_id, UnitEntry(bank, True))
    assert "已参加" in refused.value.errors["partners"]
    with pytest.raises(InvalidInput) as refused:
        api.add_partner(world.engine, leader, world.campaign_id, UnitEntry(world.units["D"], True))
    assert "非公安单位" in refused.value.errors["partners"]
    target_id = api.add_target(world.engine, leader, world.campaign_id, TargetDraft(
        "每周公众号推送不少于2条", "count", 2, period="week", measure="activities", channel="push",
        applies_to_unit_id=world.units["YX"]))
    with pytest.raises(InvalidInput) as refused:
        api.add_target(world.engine, leader, world.campaign_id, TargetDraft("公开信知晓率", "survey", 90, min_sample=50))
    assert "同名目标" in refused.value.errors["target"]
    api.update_consequences(world.engine, leader, world.campaign_id, Consequences(None, None, "talk", 10))
    setup_view = api.campaign_setup(world.engine, leader, world.campaign_id)
    assert setup_view.consequences == Consequences(None, None, "talk", 10)
    added = next(x for x in setup_view.targets if x.id == target_id)
    assert (added.goal, added.applies_to) == ("每周≥2次", "岩溪派出所")
    assert any(u.unit_id == bank and u.partner for u in setup_view.units)
    with read_session(world.engine) as session:
        assert session.get(CampaignTarget, target_id).metric == "t8"
    with pytest.raises(InvalidInput) as refused:
        api.update_consequences(world.engine, leader, world.campaign_id, Consequences(2, "talk", "warn", 500))
    assert "限期" in refused.value.errors["consequence_days"]
    assert _count(world, AuditLog, AuditLog.action == "update", AuditLog.object_type == "campaign") == 3


def test_the_period_moves_until_a_report_is_submitted(world):
    leader = world.actors["leader_d"]
    with pytest.raises(InvalidInput) as refused:
        api.change_period(world.engine, leader, world.campaign_id, date(2026, 8, 1), date(2026, 11, 1))
    assert "财会人员培训" in refused.value.errors["period"]  # the task is due 30 Nov
    api.change_period(world.engine, leader, world.campaign_id, date(2026, 7, 15), date(2027, 1, 31))
    with write_session(world.engine) as session:
        session.add(CampaignReport(campaign_id=world.campaign_id, unit_id=world.units["WA"], period_number=1,
                                   due_date=date(2026, 7, 25), submitted_at=NOW, snapshot="{}"))
    with pytest.raises(InvalidInput) as refused:
        api.change_period(world.engine, leader, world.campaign_id, date(2026, 8, 1), date(2026, 12, 31))
    assert "不能再修改" in refused.value.errors["period"]
    with read_session(world.engine) as session:
        campaign = session.get(Campaign, world.campaign_id)
    assert (campaign.start_date, campaign.end_date) == (date(2026, 7, 15), date(2027, 1, 31))


def test_leader_creates_a_partner_unit_under_a_station_in_scope(world):
    leader = world.actors["leader_d"]
    unit_id = api.create_partner_unit(world.engine, leader, world.units["YX"], "岩溪村委会", "村居委会")
    with read_session(world.engine) as session:
        unit = session.get(Unit, unit_id)
    assert (unit.kind, unit.parent_id, unit.code, unit.full_name) == (
        "partner", world.units["YX"], "YXP1", "岩溪村委会（村居委会）")
    assert unit.path.endswith(f"/{world.units['YX']}/{unit_id}/")
    assert unit_id in {p.id for p in api.admin_choices(world.engine, leader).partners}
    with pytest.raises(InvalidInput) as refused:
        api.create_partner_unit(world.engine, leader, world.units["YX"], "岩溪村委会", "村居委会")
    assert "已有协作单位" in refused.value.errors["partner_name"]
    for parent in (world.units["D2"], world.units["D"]):  # outside scope; not a station
        with pytest.raises(InvalidInput) as refused:
            api.create_partner_unit(world.engine, leader, parent, "某小学", "学校")
        assert "派出所" in refused.value.errors["partner_parent"]
    with pytest.raises(AccessDenied):
        api.create_partner_unit(world.engine, world.actors["clerk_yx"], world.units["YX"], "某小学", "学校")


def test_admin_choices_follow_scope(world):
    choices = api.admin_choices(world.engine, world.actors["leader_d"])
    codes = {u.id for u in choices.police}
    assert codes == {world.units[c] for c in ("D", "WA", "YX")}
    assert set(choices.stations) == {world.units["WA"], world.units["YX"]}
    assert [(p.name, p.parent_name) for p in choices.partners] == [("武安中心小学", "武安派出所")]


@pytest.mark.parametrize(("written", "stored"), [
    ("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0596-6123456", "0596-6123456"),
    ("0596 612 3456", "0596-6123456"), ("010-12345678", "010-12345678"), ("(021)12345678", "021-12345678"),
])
def test_phones_are_stored_in_one_form(written, stored):
    assert normalise_phone(written) == stored


@pytest.mark.parametrize("written", ["12345678901", "1381234567", "6123456", "96110", "+1 650 253 0000", "电话",
                                     "138123456789", ""])
def test_numbers_that_are_no_mainland_phone_are_refused(written):
    assert normalise_phone(written) is None


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_valid_mobile_keeps_its_eleven_digits_however_it_is_spaced(number):
    stored = normalise_phone(number)
    if stored is not None:  # a few unallocated prefixes (e.g. 140) are refused by the numbering plan
        assert stored == number
        assert normalise_phone(f"{number[:3]} {number[3:7]}-{number[7:]}") == number
        assert normalise_phone(f"+86{number}") == number


@given(st.text(alphabet=string.digits + " -+()", max_size=25))
def test_whatever_is_typed_is_refused_or_stored_as_digits_that_read_back_the_same(written):
    stored = normalise_phone(written)
    if stored is not None:
        assert len(stored) <= 20 and set(stored) <= set(string.digits + "-")
        assert normalise_phone(stored) == stored
        assert "".join(ch for ch in written if ch.isdigit()).endswith(stored.replace("-", "").lstrip("0"))


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.integers(0, 10), st.sampled_from("ABCxyz电話"))
def test_a_letter_anywhere_is_refused(number, position, letter):
    assert normalise_phone(number[:position] + letter + number[position:]) is None
