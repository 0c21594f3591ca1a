"""专项行动 · 活动登记 page: refusals in Chinese under the field, one row per form, partners only where they belong."""

import re
import shutil

import pytest
from sqlalchemy import func, select

from db.engine import make_engine, read_session
from db.models import Activity, CampaignBase
from services.campaigns import text as t

PAGE = "views/campaign_log.py"


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path):
    """A copy of the demo for this test: the page writes, and the shared demo stays as other tests expect it."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _activities(url: str, place: str) -> int:
    engine = make_engine(url)
    with read_session(engine) as session:
        found = session.execute(select(func.count()).select_from(Activity).where(Activity.place == place)).scalar()
    engine.dispose()
    return found


def _save(at):
    return _by_label(at.button, t.ACT_SAVE).click().run()


def test_form_refuses_a_missing_place_in_chinese_under_the_field(app_as):
    at = _save(app_as("clerk_wuan", PAGE))
    assert "请填写场所名称" in _errors(at)
    assert t.ACT_INVALID.format(count=1) in _errors(at)


def test_receipts_for_another_channel_are_refused_under_the_field(app_as):
    at = app_as("clerk_wuan", PAGE)
    _by_label(at.text_input, t.ACT_PLACE).input("武安村部")
    _by_label(at.number_input, t.ACT_RECEIPTS).set_value(12)
    at = _save(at)
    assert "回执数只适用于“公开信”方式" in _errors(at)


def test_a_saved_form_is_replaced_by_a_new_one_and_its_key_names_one_row(app_as, demo_db_url):
    at = app_as("clerk_wuan", PAGE)
    first_key = at.query_params["form"]
    assert re.fullmatch(r"[0-9a-f]{32}", first_key[0] if isinstance(first_key, list) else first_key)
    _by_label(at.text_input, t.ACT_PLACE).input("武安农贸市场AT")
    _by_label(at.selectbox, t.ACT_CHANNEL).set_value(next(
        o for o in _by_label(at.selectbox, t.ACT_CHANNEL).options if o == "公开信"))
    _by_label(at.number_input, t.ACT_RECEIPTS).set_value(35)
    at = _save(at)
    assert [s.value for s in at.success] == [t.ACT_SAVED.format(photos=0)]
    assert _activities(demo_db_url, "武安农贸市场AT") == 1
    assert at.query_params["form"] != first_key
    assert _by_label(at.text_input, t.ACT_PLACE).value == ""  # a new, empty form
    table = at.dataframe[0].value
    row = table[table[t.CAMP_COL_PLACE] == "武安农贸市场AT"]
    assert row[t.CAMP_COL_RECEIPTS].tolist() == [35] and row[t.CAMP_COL_CHANNEL].tolist() == ["公开信"]
    at = _save(at)  # the new form is empty: refused, nothing saved again
    assert "请填写场所名称" in _errors(at) and _activities(demo_db_url, "武安农贸市场AT") == 1


def test_a_link_naming_a_saved_form_opens_a_new_one(app_as, demo_db_url):
    at = app_as("clerk_wuan", PAGE)
    key = at.query_params["form"]
    key = key[0] if isinstance(key, list) else key
    _by_label(at.text_input, t.ACT_PLACE).input("武安宾馆AT")
    _save(at)
    again = app_as("clerk_wuan", PAGE, form=key)  # e.g. the old address reopened after a restart
    assert any("此表单已保存过" in i.value for i in again.info)
    assert again.query_params["form"] not in (key, [key])
    assert _activities(demo_db_url, "武安宾馆AT") == 1


def test_partner_units_log_activities_here_but_are_no_jurisdiction_on_the_desk(app_as):
    log = app_as("clerk_wuan", PAGE)
    units = _by_label(log.selectbox, t.ACT_UNIT).options
    assert units[0] == "武安派出所" and "武安中心小学（协作单位）" in units
    outreach = _by_label(log.selectbox, t.ACT_OUTREACH).options
    channels = _by_label(log.selectbox, t.ACT_CHANNEL).options
    assert {"进家庭", "进宾馆", "进网吧", "进农贸市场"} <= set(outreach)
    assert {"公开信", "报纸/广播/电视", "警情通报会"} <= set(channels)
    assert any(t.LOG_PARTNER_ONLY_ACTIVITIES == c.value for c in log.caption)
    desk = app_as("desk", "views/desk.py")
    jurisdictions = desk.selectbox(key="desk_jurisdiction_unit_id").options
    assert any("武安派出所" in name for name in jurisdictions)
    assert not any(name.strip("\u3000").startswith("武安") and "派出所" not in name for name in jurisdictions)
    assert not any(kind in name for name in jurisdictions for kind in ("村委会", "中心小学", "银行网点", "营业厅"))


def _bases(url: str, value: int) -> int:
    engine = make_engine(url)
    with read_session(engine) as session:
        found = session.execute(select(func.count()).select_from(CampaignBase)
                                .where(CampaignBase.base_value == value)).scalar()
    engine.dispose()
    return found


def test_a_base_is_declared_once_and_each_entry_form_shows_its_own_refusals(app_as, demo_db_url):
    at = app_as("clerk_wuan", PAGE)
    _by_label(at.number_input, t.BASE_VALUE).set_value(4321)
    at = _by_label(at.button, t.BASE_SAVE).click().run()
    assert [s.value for s in at.success] == [t.BASE_SAVED] and _bases(demo_db_url, 4321) == 1
    assert _by_label(at.number_input, t.BASE_VALUE).value == 0  # a new form
    at = _by_label(at.button, t.BASE_SAVE).click().run()
    assert "请填写正整数" in _errors(at) and _bases(demo_db_url, 4321) == 1
    _by_label(at.number_input, t.SURVEY_SAMPLE).set_value(10)
    _by_label(at.number_input, t.SURVEY_YES).set_value(11)
    at = _by_label(at.button, t.SURVEY_SAVE).click().run()
    shown = [e.value for e in at.error]
    assert shown.count("知晓人数不能超过样本量。") == 1 and shown.count("请填写正整数。") == 1  # each under its form
