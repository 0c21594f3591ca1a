"""专项行动 · 行动管理 page: a leader creates a campaign with a count target and a task; a second click creates
nothing more; refusals show under the field; a clerk is refused the page."""

import shutil
from datetime import date

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from services.campaigns import api
from tests.conftest import actor_for_username
from tests.views.conftest import APP

PAGE = "views/campaign_admin.py"
NAME = "页面测试反诈宣传月"


@pytest.fixture
def own_db(tmp_path, demo_db_url, monkeypatch) -> str:
    """A copy of the demo database: campaigns created here do not change what other page tests see."""
    path = tmp_path / "admin.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    return url


def _open(url: str, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["fanzha_actor"] = actor_for_username(url, username)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _ids(url: str, sql: str, **params) -> list:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(sql), params).all()
    engine.dispose()
    return rows


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return _run(at)


def _add_target(at: AppTest, kind_index: int, description: str) -> AppTest:
    at.selectbox(key="ca_new_target_kind").select_index(kind_index)
    _run(at)
    at.text_input(key="ca_new_target_description").input(description)
    return _click(at, "FormSubmitter:ca_new_target_form-添加目标")


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_leader_creates_a_campaign_once_and_it_is_listed_and_chosen(own_db):
    at = _open(own_db, "changtai")
    stations = [sid for sid, in _ids(own_db, "SELECT id FROM unit WHERE kind = 'station' AND parent_id = "
                                             "(SELECT id FROM unit WHERE code = '350605')")]
    at.text_input(key="ca_new_name").input(NAME)
    at.text_input(key="ca_new_theme").input("防范诈骗 人人参与")
    at.date_input(key="ca_new_start").set_value(date(2026, 8, 1))
    at.date_input(key="ca_new_end").set_value(date(2026, 12, 31))
    _click(at, "ca_new_all")  # 全选所有派出所
    assert sorted(at.multiselect(key="ca_new_police").value) == sorted(stations)

    _add_target(at, 0, "每单位每月集中宣传不少于1次")  # 次数/数量: 每月≥1次 活动次数
    at.selectbox(key="ca_new_target_kind").select_index(3)  # 限时任务, due on the last day by default
    _run(at)
    at.text_input(key="ca_new_target_description").input("经侦大队完成银行网点协调")
    _click(at, "FormSubmitter:ca_new_target_form-添加目标")
    assert "已添加目标“经侦大队完成银行网点协调”" in " ".join(s.value for s in at.success)

    _add_target(at, 2, "公开信知晓率")  # 调查知晓率, then taken out again before saving
    drafted = [c.value.replace("\\", "") for c in at.caption]  # shown escaped: unit names are data
    assert "次数/数量 · 每月≥1次 · 全部参加公安单位" in drafted
    assert "调查知晓率 · ≥90%（样本≥100） · 全部参加公安单位" in drafted
    _click(at, "ca_new_list_remove_2")
    assert not [c for c in at.caption if "调查知晓率" in c.value]

    _click(at, "ca_create")
    assert f"已创建专项行动“{NAME}”" in " ".join(s.value for s in at.success), _errors(at)
    _click(at, "ca_create")  # the same form sent again
    assert "未重复创建" in " ".join(i.value for i in at.info)

    _click(at, "ca_another")  # a new, empty form with a new key
    assert at.text_input(key="ca_new_name").value == "" and at.multiselect(key="ca_new_police").value == []
    assert "尚未添加目标。" in [c.value for c in at.caption]

    rows = _ids(own_db, "SELECT id, missed_reports_limit, missed_reports_action, behind_pace_action, "
                        "consequence_days FROM campaign WHERE name = :n", n=NAME)
    assert len(rows) == 1 and tuple(rows[0][1:]) == (2, "talk", "warn", 7)
    campaign_id = rows[0][0]
    targets = _ids(own_db, "SELECT kind, period, measure, target_value, due_date FROM campaign_target "
                           "WHERE campaign_id = :c ORDER BY id", c=campaign_id)
    assert [tuple(r) for r in targets] == [("count", "month", "activities", 1.0, None),
                                           ("task", None, None, 1.0, "2026-12-31")]
    units = _ids(own_db, "SELECT unit_id FROM campaign_unit WHERE campaign_id = :c", c=campaign_id)
    assert sorted(u for u, in units) == sorted(stations)
    listed = at.dataframe[0].value
    assert list(listed["名称"]) == [NAME] and list(listed["目标（个）"]) == [2] and list(listed["状态"])[0] in (
        "未开始", "进行中", "已结束")
    engine = make_engine(own_db)
    leader = actor_for_username(own_db, "changtai")
    assert (campaign_id, NAME) in api.campaign_choices(engine, leader)
    assert campaign_id in dict(api.campaign_choices(engine, actor_for_username(own_db, "clerk_wuan")))
    engine.dispose()


def test_refusals_show_under_the_fields_and_nothing_is_saved(own_db):
    at = _open(own_db, "changtai")
    _click(at, "ca_create")
    errors = _errors(at)
    assert "请填写（至少1个字）" in errors and "请选择参加单位" in errors and "请至少设定一个目标" in errors
    at.selectbox(key="ca_new_target_kind").select_index(2)  # 调查知晓率 without a name
    _run(at)
    _click(at, "FormSubmitter:ca_new_target_form-添加目标")
    assert "请填写目标名称" in _errors(at)
    assert _ids(own_db, "SELECT count(*) FROM campaign WHERE owner_unit_id = "
                        "(SELECT id FROM unit WHERE code = '350605')") == [(0,)]


def test_a_clerk_is_refused_the_page(own_db):
    at = _open(own_db, "clerk_wuan")
    assert "权限" in _errors(at) or "无权" in _errors(at)
    assert not at.text_input


def test_the_owner_switches_a_consequence_off_and_adds_a_target(own_db):
    at = _open(own_db, "leader")  # 市局领导: the demo campaigns are the city bureau's
    campaign_id = at.selectbox(key="ca_m_pick").value
    key = f"ca_m_{campaign_id}"
    at.selectbox(key=f"{key}_consequences_behind_action").select_index(0)  # 不处理
    at.number_input(key=f"{key}_consequences_days").set_value(10)
    _click(at, f"FormSubmitter:{key}_consequences_form-保存后果设置")
    assert "已保存后果设置" in " ".join(s.value for s in at.success)
    row = _ids(own_db, "SELECT behind_pace_action, consequence_days FROM campaign WHERE id = :c", c=campaign_id)
    assert tuple(row[0]) == (None, 10)
    at.text_input(key=f"{key}_target_description").input("每周公众号推送不少于2条")
    at.number_input(key=f"{key}_target_count_value").set_value(2)
    _click(at, f"FormSubmitter:{key}_target_form-添加目标")
    assert "已添加目标" in " ".join(s.value for s in at.success)
    _click(at, f"FormSubmitter:{key}_target_form-添加目标")  # the same form again
    assert "未重复保存" in " ".join(i.value for i in at.info)
    assert _ids(own_db, "SELECT count(*) FROM campaign_target WHERE campaign_id = :c AND description = :d",
                c=campaign_id, d="每周公众号推送不少于2条") == [(1,)]
    audit = _ids(own_db, "SELECT username FROM audit_log WHERE object_type = 'campaign' AND object_id = :c "
                         "AND action = 'update'", c=str(campaign_id))
    assert [u for u, in audit] == ["leader", "leader"]


def test_the_owner_adds_a_rising_outcome_target_and_a_drop_over_100_is_refused(own_db):
    at = _open(own_db, "leader")
    campaign_id = at.selectbox(key="ca_m_pick").value
    key = f"ca_m_{campaign_id}_target"
    at.selectbox(key=f"{key}_kind").select_index(4)  # 成效
    _run(at)
    assert [o for o in at.selectbox(key=f"{key}_outcome_measure").options] == [
        "发案数", "损失金额", "破案数", "抓获数", "冻结金额", "返还金额"]
    at.text_input(key=f"{key}_description").input("破案数同比翻番")
    at.selectbox(key=f"{key}_outcome_measure").select_index(2)  # 破案数
    at.number_input(key=f"{key}_outcome_value").set_value(150)
    _click(at, f"FormSubmitter:{key}_form-添加目标")
    assert "已添加目标" in " ".join(s.value for s in at.success), _errors(at)
    assert _ids(own_db, "SELECT kind, measure, target_value FROM campaign_target WHERE campaign_id = :c "
                        "AND description = :d", c=campaign_id, d="破案数同比翻番") == [("outcome", "solved", 150.0)]
    saved = at.dataframe[-1].value
    assert "破案数同比上升≥150%" in set(saved[saved.columns[2]])
    at.text_input(key=f"{key}_description").input("发案数同比下降")
    at.selectbox(key=f"{key}_outcome_measure").select_index(0)  # 发案数: a drop of more than 100% cannot be
    at.number_input(key=f"{key}_outcome_value").set_value(150)
    _click(at, f"FormSubmitter:{key}_form-添加目标")
    assert "百分比目标须在0到100之间" in _errors(at)
    assert _ids(own_db, "SELECT count(*) FROM campaign_target WHERE campaign_id = :c AND description = :d",
                c=campaign_id, d="发案数同比下降") == [(0,)]
