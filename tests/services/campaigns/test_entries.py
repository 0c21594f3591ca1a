"""Campaign writes: refusals in Chinese by field, nothing half-saved, scope, partners, photos, audit."""

from datetime import date

import pytest
from campaign_world import END, NOW, START, build_world, png
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import PHOTO_MAX_BYTES, Activity, ActivityPhoto, AuditLog, Campaign, CampaignUnit
from services.access.actor import AccessDenied
from services.campaigns import api, entries
from services.campaigns.entries import ActivityDraft, CampaignDraft, TargetDraft, UnitEntry
from services.campaigns.photos import Upload
from services.shared.errors import InvalidInput


@pytest.fixture
def world(engine):
    return build_world(engine)


def _draft(world, code="WA", **changes):
    values = dict(campaign_id=world.campaign_id, unit_id=world.units[code], activity_date=date(2026, 11, 19),
                  outreach="school", channel="lecture", audience="student", place="武安中心小学", officers=3,
                  people_reached=420, households=0, pieces=300, description="开学第一课反诈讲座")
    values.update(changes)
    return ActivityDraft(**values)


def _count(world, model):
    with read_session(world.engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def _log(world, who, draft, photos=()):
    with write_session(world.engine) as session:
        return entries.log_activity(session, world.actors[who], draft, list(photos), now=NOW)


def test_clerk_logs_an_activity_with_a_photo_and_its_thumbnail(world):
    activity_id = _log(world, "clerk_wa", _draft(world), [Upload("C:\\相机\\讲座.png", "image/png", png((800, 600)))])
    with read_session(world.engine) as session:
        activity = session.get(Activity, activity_id)
        photo = session.execute(select(ActivityPhoto)).scalar_one()
        audit = session.execute(select(AuditLog).where(AuditLog.object_type == "activity")).scalar_one()
    assert (activity.audience, activity.officers, activity.place, activity.people_reached) == ("student", 3, "武安中心小学", 420)
    assert photo.filename == "讲座.png" and photo.content_type == "image/png" and photo.size == len(photo.content)
    assert photo.thumbnail[:2] == b"\xff\xd8" and len(photo.thumbnail) < len(photo.content)
    assert audit.username == "clerk_wa" and "照片1张" in audit.detail


def test_station_clerk_logs_for_its_partner_but_not_for_a_sibling(world):
    assert _log(world, "clerk_wa", _draft(world, "WAX"))
    with pytest.raises(InvalidInput) as refused:
        _log(world, "clerk_wa", _draft(world, "YX"))
    assert "未参加" in refused.value.errors["unit"]
    with pytest.raises(AccessDenied):
        _log(world, "command", _draft(world))
    assert _count(world, Activity) == 1


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"activity_date": date(2026, 7, 31)}, "activity_date", "活动期内"),
    ({"activity_date": date(2026, 11, 21)}, "activity_date", "不能晚于今天"),
    ({"place": "  "}, "place", "场所名称"),
    ({"outreach": "moon"}, "outreach", "有效的选项"),
    ({"audience": ""}, "audience", "有效的选项"),
    ({"officers": -1}, "officers", "0或正整数"),
])
def test_bad_fields_are_refused_in_chinese_and_nothing_is_saved(world, changes, field, words):
    with pytest.raises(InvalidInput) as refused:
        _log(world, "clerk_wa", _draft(world, **changes), [Upload("a.png", "image/png", png())])
    assert words in refused.value.errors[field]
    assert _count(world, Activity) == 0 and _count(world, ActivityPhoto) == 0


@pytest.mark.parametrize(("upload", "words"), [
    (Upload("伪装.jpg", "image/jpeg", b"%PDF-1.4 not an image"), "不是图片"),
    (Upload("空.png", "image/png", b""), "空文件"),
    (Upload("大.png", "image/png", b"\x89PNG" + b"0" * PHOTO_MAX_BYTES), "超过5MB"),
])
def test_photos_are_images_within_the_limit(world, upload, words):
    with pytest.raises(InvalidInput) as refused:
        _log(world, "clerk_wa", _draft(world), [Upload("ok.png", "image/png", png()), upload])
    assert words in refused.value.errors["photos"]
    assert _count(world, Activity) == 0 and _count(world, ActivityPhoto) == 0


def test_too_many_photos_are_refused(world):
    with pytest.raises(InvalidInput) as refused:
        _log(world, "clerk_wa", _draft(world), [Upload(f"{i}.png", "image/png", png()) for i in range(7)])
    assert "最多上传6张" in refused.value.errors["photos"]


def test_bases_surveys_and_tasks_are_checked(world):
    wa, cid, t = world.units["WA"], world.campaign_id, world.targets
    with write_session(world.engine) as session:
        clerk = world.actors["clerk_wa"]
        with pytest.raises(InvalidInput) as refused:
            entries.declare_base(session, clerk, cid, t["leaflet"], wa, 0, now=NOW)
        assert "正整数" in refused.value.errors["base_value"]
        with pytest.raises(InvalidInput) as refused:
            entries.declare_base(session, clerk, cid, t["letter"], wa, 100, now=NOW)
        assert "覆盖率" in refused.value.errors["target"]
        with pytest.raises(InvalidInput) as refused:
            entries.enter_survey(session, clerk, cid, t["letter"], wa, date(2026, 9, 1), 50, 51, now=NOW)
        assert "不能超过样本量" in refused.value.errors["yes_count"]
        with pytest.raises(InvalidInput) as refused:
            entries.declare_base(session, clerk, cid, t["leaflet"], world.units["WAX"], 100, now=NOW)
        assert "不适用" in refused.value.errors["target"]  # partners only log activities
        entries.complete_task(session, clerk, cid, t["finance"], wa, date(2026, 11, 2), "培训签告知书", now=NOW)
        with pytest.raises(InvalidInput) as refused:
            entries.complete_task(session, clerk, cid, t["finance"], wa, date(2026, 11, 3), "再报一次", now=NOW)
        assert "已报告完成" in refused.value.errors["target"]


def test_leader_creates_a_campaign_in_scope_only(world):
    leader, clerk = world.actors["leader_d"], world.actors["clerk_wa"]
    good = CampaignDraft("春季宣传", None, START, END, [UnitEntry(world.units["WA"])],
                         [TargetDraft("每周推送", "count", 2, "条", period="week", measure="activities", channel="push")])
    with write_session(world.engine) as session:
        with pytest.raises(AccessDenied):
            entries.create_campaign(session, clerk, good, now=NOW)
        with pytest.raises(InvalidInput) as refused:
            entries.create_campaign(session, leader, CampaignDraft(
                "越权", None, START, END, [UnitEntry(world.units["D2"])], good.targets), now=NOW)
        assert "管辖范围" in refused.value.errors["units"]
        with pytest.raises(InvalidInput) as refused:
            entries.create_campaign(session, leader, CampaignDraft(
                "错", None, END, START, [UnitEntry(world.units["WAX"])],
                [TargetDraft("任务", "task", 1, due_date=date(2027, 3, 1)), TargetDraft("次", "count", 1)]), now=NOW)
        assert set(refused.value.errors) == {"period", "units", "targets"}
        campaign_id = entries.create_campaign(session, leader, good, now=NOW)
    with read_session(world.engine) as session:
        assert session.get(Campaign, campaign_id).owner_unit_id == world.units["D"]
        assert session.execute(select(func.count()).select_from(CampaignUnit)
                               .where(CampaignUnit.campaign_id == campaign_id)).scalar() == 1


def test_api_writes_in_one_transaction_and_campaigns_follow_scope(world):
    activity_id = api.log_activity(world.engine, world.actors["clerk_yx"],
                                   _draft(world, "YX", activity_date=date(2026, 11, 1)),
                                   [Upload("p.png", "image/png", png())])
    rows = api.recent_activities(world.engine, world.actors["clerk_yx"], world.campaign_id)
    assert [r.id for r in rows] == [activity_id] and rows[0].thumbnails and rows[0].outreach == "进校园"
    assert api.recent_activities(world.engine, world.actors["clerk_wa"], world.campaign_id) == []
    assert api.campaign_choices(world.engine, world.actors["clerk_wa"])[0][0] == world.campaign_id
    with pytest.raises(AccessDenied):
        api.campaign_choices(world.engine, world.actors["desk"])
