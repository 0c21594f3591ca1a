"""Campaign writes: refusals in Chinese by field, nothing half-saved, scope, partners, photos, audit, exactly once."""

import threading
import uuid
from datetime import date

import pytest
from campaign_world import END, NOW, START, build_world, png
from sqlalchemy import func, select

from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import (
    PHOTO_MAX_BYTES,
    Activity,
    ActivityPhoto,
    AuditLog,
    Campaign,
    CampaignBase,
    CampaignSurvey,
    CampaignTaskDone,
    CampaignUnit,
)
from services.access.actor import AccessDenied
from services.campaigns import api, entries, setup
from services.campaigns.entries import ActivityDraft
from services.campaigns.photos import Upload
from services.campaigns.setup import CampaignDraft, TargetDraft, UnitEntry
from services.shared.errors import InvalidInput
from services.units.tree import jurisdiction_choices
from vocabulary import TargetKind


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
            setup.create_campaign(session, clerk, good, now=NOW)
        with pytest.raises(InvalidInput) as refused:
            setup.create_campaign(session, leader, CampaignDraft(
                "越权", None, START, END, [UnitEntry(world.units["D2"])], good.targets), now=NOW)
        assert "管辖范围" in refused.value.errors["units"]
        with pytest.raises(InvalidInput) as refused:
            setup.create_campaign(session, leader, CampaignDraft(
                "错", None, END, START, [UnitEntry(world.units["WAX"])],
                [TargetDraft("任务", "task", 1, due_date=date(2027, 3, 1)), TargetDraft("次", "count", 1)]), now=NOW)
        assert set(refused.value.errors) == {"period", "units", "targets"}
        campaign_id = setup.create_campaign(session, leader, good, now=NOW)
    with read_session(world.engine) as session:
        assert session.get(Campaign, campaign_id).owner_unit_id == world.units["D"]
        assert session.execute(select(func.count()).select_from(CampaignUnit)
                               .where(CampaignUnit.campaign_id == campaign_id)).scalar() == 1


def test_api_writes_in_one_transaction_and_campaigns_follow_scope(world):
    activity_id = api.log_activity(world.engine, world.actors["clerk_yx"],
                                   _draft(world, "YX", activity_date=date(2026, 11, 1), idempotency_key="k-yx"),
                                   [Upload("p.png", "image/png", png())])
    rows = api.recent_activities(world.engine, world.actors["clerk_yx"], world.campaign_id)
    assert [r.id for r in rows] == [activity_id] and rows[0].thumbnails and rows[0].outreach == "进校园"
    assert api.recent_activities(world.engine, world.actors["clerk_wa"], world.campaign_id) == []
    assert api.campaign_choices(world.engine, world.actors["clerk_wa"])[0][0] == world.campaign_id
    with pytest.raises(AccessDenied):
        api.campaign_choices(world.engine, world.actors["desk"])


# ---------------------------------------------------------------- exactly once per form key

def _audits(world, object_type):
    with read_session(world.engine) as session:
        return session.execute(select(func.count()).select_from(AuditLog)
                               .where(AuditLog.object_type == object_type)).scalar()


def test_the_same_activity_form_sent_twice_saves_one_row_one_photo_and_one_audit_record(world):
    clerk, draft = world.actors["clerk_wa"], _draft(world, idempotency_key="7-form-a")
    photos = [Upload("现场.png", "image/png", png())]
    first = api.log_activity(world.engine, clerk, draft, photos)
    again = api.log_activity(world.engine, clerk, draft, photos)
    changed = api.log_activity(world.engine, clerk, _draft(world, place="别处", idempotency_key="7-form-a"), photos)
    assert first == again == changed
    assert (_count(world, Activity), _count(world, ActivityPhoto), _audits(world, "activity")) == (1, 1, 1)
    other = api.log_activity(world.engine, clerk, _draft(world, idempotency_key="7-form-b"), photos)
    assert other != first and _count(world, Activity) == 2 and _audits(world, "activity") == 2


def test_a_refused_form_keeps_its_key_and_saves_once_corrected(world):
    clerk = world.actors["clerk_wa"]
    with pytest.raises(InvalidInput):
        api.log_activity(world.engine, clerk, _draft(world, place="", idempotency_key="k1"), [])
    saved = api.log_activity(world.engine, clerk, _draft(world, idempotency_key="k1"), [])
    assert api.saved_activity(world.engine, clerk, "k1") == saved and _count(world, Activity) == 1


def test_a_form_key_is_required_and_belongs_to_whoever_saved_under_it(world):
    with pytest.raises(InvalidInput) as refused:
        api.log_activity(world.engine, world.actors["clerk_wa"], _draft(world), [])
    assert "表单缺少编号" in refused.value.errors["form"]
    api.log_activity(world.engine, world.actors["clerk_wa"], _draft(world, idempotency_key="shared"), [])
    with pytest.raises(InvalidInput) as refused:
        api.log_activity(world.engine, world.actors["leader_d"], _draft(world, idempotency_key="shared"), [])
    assert "表单已失效" in refused.value.errors["form"]
    with pytest.raises(InvalidInput) as refused:
        api.log_activity(world.engine, world.actors["clerk_wa"], _draft(world, idempotency_key="x" * 65), [])
    assert "表单已失效" in refused.value.errors["form"]
    assert _count(world, Activity) == 1


def test_bases_surveys_and_tasks_save_once_per_form_key(world):
    clerk, wa, cid, t = world.actors["clerk_wa"], world.units["WA"], world.campaign_id, world.targets
    calls = (
        (CampaignBase, "campaign_base",
         lambda key: api.declare_base(world.engine, clerk, cid, t["leaflet"], wa, 1200, idempotency_key=key)),
        (CampaignSurvey, "campaign_survey",
         lambda key: api.enter_survey(world.engine, clerk, cid, t["letter"], wa, date(2026, 9, 1), 120, 100,
                                      idempotency_key=key)),
        (CampaignTaskDone, "campaign_task_done",
         lambda key: api.complete_task(world.engine, clerk, cid, t["finance"], wa, date(2026, 11, 2), "培训签告知书",
                                       idempotency_key=key)),
    )
    for model, object_type, call in calls:
        first, again = call(f"{model.__name__}-1"), call(f"{model.__name__}-1")
        assert first == again
        assert (_count(world, model), _audits(world, object_type)) == (1, 1), model
    with pytest.raises(InvalidInput) as refused:  # a new form for a task reported already is refused, not repeated
        calls[2][2]("another-form")
    assert "已报告完成" in refused.value.errors["target"]


def test_a_request_that_loses_the_race_answers_the_winners_row(world, monkeypatch):
    """Both requests of a double click looked before either inserted: the unique key lets one in, the other
    answers its id (the lookup is made to miss once, as it would for the loser of a real race)."""
    clerk = world.actors["clerk_wa"]
    winner = api.log_activity(world.engine, clerk, _draft(world, idempotency_key="race"), [])
    real, missed = entries.saved_id, []

    def miss_once(session, actor, model, key):
        if not missed:
            missed.append(key)
            return None
        return real(session, actor, model, key)

    monkeypatch.setattr(entries, "saved_id", miss_once)
    loser = api.log_activity(world.engine, clerk, _draft(world, idempotency_key="race"),
                             [Upload("p.png", "image/png", png())])
    assert missed == ["race"] and loser == winner
    assert (_count(world, Activity), _count(world, ActivityPhoto), _audits(world, "activity")) == (1, 0, 1)


def test_concurrent_requests_with_the_same_key_save_one_row(world, engine, tmp_path):
    """Eight threads send the same form at once (PostgreSQL, or a SQLite file: an in-memory one is one connection)."""
    target = world
    if engine.dialect.name == "sqlite":
        file_engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
        upgrade(file_engine)
        target = build_world(file_engine)
    clerk, barrier, results = target.actors["clerk_wa"], threading.Barrier(8), []
    draft = _draft(target, idempotency_key=uuid.uuid4().hex)

    def send():
        barrier.wait()
        results.append(api.log_activity(target.engine, clerk, draft, [Upload("p.png", "image/png", png())]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1
    assert (_count(target, Activity), _count(target, ActivityPhoto), _audits(target, "activity")) == (1, 1, 1)


# ---------------------------------------------------------------- 公开信回执

def test_open_letter_receipts_are_saved_and_shown_and_refused_for_other_channels(world):
    clerk = world.actors["clerk_wa"]
    activity_id = api.log_activity(world.engine, clerk, _draft(world, channel="open_letter", outreach="family",
                                                               pieces=500, receipts=430, idempotency_key="r1"), [])
    [row] = api.recent_activities(world.engine, clerk, world.campaign_id)
    assert (row.id, row.receipts, row.channel, row.outreach) == (activity_id, 430, "公开信", "进家庭")
    for changes, words in (({"channel": "leaflet", "receipts": 5}, "只适用于“公开信”"),
                           ({"channel": "open_letter", "receipts": -1}, "0或正整数")):
        with pytest.raises(InvalidInput) as refused:
            api.log_activity(world.engine, clerk, _draft(world, idempotency_key="r2", **changes), [])
        assert words in refused.value.errors["receipts"]
    assert _count(world, Activity) == 1


# ---------------------------------------------------------------- who may log what

def test_log_context_lists_police_units_and_partners_in_scope_and_entry_targets(world):
    clerk = api.log_context(world.engine, world.actors["clerk_wa"], world.campaign_id, date(2026, 11, 20))
    assert clerk.police == {world.units["WA"]: "武安派出所"}
    assert clerk.partners == {world.units["WAX"]: "武安中心小学"}
    assert clerk.loggable[world.units["WAX"]] == "武安中心小学（协作单位）"
    assert clerk.targets[TargetKind.COVERAGE] == {world.targets["leaflet"]: "宣传折页覆盖率"}
    assert list(clerk.targets[TargetKind.SURVEY]) == [world.targets["letter"]]
    assert list(clerk.targets[TargetKind.TASK]) == [world.targets["finance"]]
    assert (clerk.start_date, clerk.last_day, clerk.started) == (START, date(2026, 11, 20), True)
    leader = api.log_context(world.engine, world.actors["leader_d"], world.campaign_id, date(2027, 2, 1))
    assert set(leader.police) == {world.units["WA"], world.units["YX"]} and leader.last_day == END
    assert not api.log_context(world.engine, world.actors["clerk_wa"], world.campaign_id, date(2026, 7, 1)).started
    for who in ("command", "desk"):
        with pytest.raises(AccessDenied):
            api.log_context(world.engine, world.actors[who], world.campaign_id, date(2026, 11, 20))


def test_jurisdiction_pickers_leave_partner_units_out(world):
    with read_session(world.engine) as session:
        choices = {unit_id for unit_id, _, _ in jurisdiction_choices(session, world.actors["leader_d"])}
    assert choices == {world.units[c] for c in ("D", "WA", "YX")}
