"""专项行动 · 督导检查 page: the demo's visits with the overdue one in red, filters in the URL, a leader records a
visit (refusals under the field), a station clerk marks its own finding fixed and records none."""

import shutil

import pytest
from sqlalchemy import func, select

from db.engine import make_engine, read_session
from db.models import CampaignInspection
from services.campaigns import text as t

PAGE = "views/campaign_inspections.py"


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path):
    """A copy of the demo for this test: the page writes, and the shared demo stays as other tests expect it."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _inspections(url: str, **where) -> list[CampaignInspection]:
    engine = make_engine(url)
    with read_session(engine) as session:
        rows = list(session.execute(select(CampaignInspection).filter_by(**where)).scalars())
    engine.dispose()
    return rows


def _table(at):
    return at.dataframe[0].value


def test_leader_sees_the_demo_visits_with_the_overdue_fix_in_red(app_as):
    at = app_as("leader", PAGE)
    assert at.title[0].value == t.INSPECTIONS_TITLE
    assert any("逾期未整改 1 条" in e.value for e in at.error)
    frame = _table(at)
    assert len(frame) == 5 and set(frame[t.INSP_COLUMNS["state"]]) == {"待整改", "逾期未整改", "已整改"}
    late = frame[frame[t.INSP_COLUMNS["state"]] == "逾期未整改"]
    assert list(late[t.INSP_COLUMNS["unit"]]) == ["岩溪派出所"] and int(late[t.INSP_COLUMNS["overdue"]].iloc[0]) == 6
    assert _by_label(at.button, t.INSP_SAVE)  # leaders record


def test_filters_live_in_the_url(app_as):
    at = app_as("leader", PAGE, istate="fixed")
    frame = _table(at)
    assert set(frame[t.INSP_COLUMNS["state"]]) == {"已整改"} and len(frame) == 2
    assert _by_label(at.selectbox, t.INSP_FILTER_STATE).value.value == "fixed"
    at = app_as("leader", PAGE, istate="overdue")
    assert list(_table(at)[t.INSP_COLUMNS["unit"]]) == ["岩溪派出所"]


def test_a_visit_without_findings_is_refused_under_the_field_and_a_good_one_saved(app_as, demo_db_url):
    at = app_as("leader", PAGE)
    at = _by_label(at.button, t.INSP_SAVE).click().run()
    assert any("请填写（至少4个字）" in e.value for e in at.error)
    assert len(_inspections(demo_db_url)) == 5
    _by_label(at.text_area, t.INSP_FINDINGS).input("页面测试：宣传栏内容过期。")
    at = _by_label(at.button, t.INSP_SAVE).click().run()
    assert any(t.INSP_SAVED.format(photos=0) in s.value for s in at.success)
    saved = _inspections(demo_db_url, findings="页面测试：宣传栏内容过期。")
    assert len(saved) == 1 and saved[0].created_by == "leader"


def test_station_clerk_marks_its_own_finding_fixed_and_records_none(app_as, demo_db_url):
    at = app_as("clerk_wuan", PAGE)
    assert not [b for b in at.button if b.label == t.INSP_SAVE]
    assert set(_table(at)[t.INSP_COLUMNS["unit"]]) == {"武安派出所"}
    pick = _by_label(at.selectbox, t.INSP_FIX_PICK)
    assert len(pick.options) == 1  # the open one; the fixed one is not offered
    _by_label(at.text_area, t.INSP_FIX_NOTE).input("已指定专人每周推送两次。")
    at = _by_label(at.button, t.INSP_FIX_SAVE).click().run()
    assert any("整改完成" in s.value for s in at.success)
    [row] = [r for r in _inspections(demo_db_url) if r.fix_note == "已指定专人每周推送两次。"]
    assert row.fixed_on is not None
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(CampaignInspection)
                               .where(CampaignInspection.fixed_on.is_(None))).scalar() == 2
    engine.dispose()
