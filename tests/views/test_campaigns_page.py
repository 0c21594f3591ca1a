"""专项行动 · 行动进度 page: who sees it, the matrix with lights and pacing, filters in the URL within scope."""

import json
import shutil

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from services.campaigns import api
from services.campaigns.setup import TargetDraft
from services.shared.timeutil import shanghai_today
from tests.conftest import actor_for_username
from tests.views.conftest import APP

PAGE = "views/campaigns.py"
REFUSED = "无权执行此操作"
OUT_OF_SCOPE = "无权查看该单位的数据"


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def _matrix(at):
    """The unit × target matrix (the 分局 summary comes before it for a city leader)."""
    return next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["单位", "联络员"])


def _ids(url: str, sql: str) -> dict:
    with make_engine(url).connect() as connection:
        return dict(connection.execute(text(sql)).all())


@pytest.mark.parametrize("username", ["leader", "changtai", "command", "clerk_wuan", "clerk_yanxi"])
def test_leaders_command_and_clerks_see_the_matrix(app_as, username):
    at = app_as(username, PAGE)
    assert REFUSED not in _errors(at) and at.title[0].value == "行动进度"
    matrix = _matrix(at)
    assert list(matrix.columns[:3]) == ["单位", "联络员", "联系电话"]
    cells = " ".join(str(v) for v in matrix.iloc[:, 3:].to_numpy().ravel())
    assert any(f"{light}｜" in cells for light in "绿黄红灰") and ("预计" in cells or "知晓率" in cells)


@pytest.mark.parametrize("username", ["admin", "desk"])
def test_other_roles_are_refused(app_as, username):
    at = app_as(username, PAGE)
    assert REFUSED in _errors(at) and not at.dataframe


def test_the_wall_role_is_sent_to_the_wall_not_the_matrix(app_as):
    at = app_as("wall", PAGE)
    assert "数据更新于" in " ".join(str(h.proto) for h in at.get("html")) and not at.dataframe


def test_clerk_sees_own_station_with_masked_liaison_and_leader_sees_the_number(app_as):
    clerk = _matrix(app_as("clerk_wuan", PAGE))
    assert list(clerk["单位"]) == ["武安派出所"] and "****" in clerk["联系电话"][0]
    leader = _matrix(app_as("changtai", PAGE))
    assert len(leader) > 1 and all("*" not in p for p in leader["联系电话"])


def test_unit_filter_in_the_url_follows_scope(app_as, demo_db_url):
    units = _ids(demo_db_url, "SELECT code, id FROM unit")
    at = app_as("changtai", PAGE, unit=str(units["350605100"]))
    assert list(_matrix(at)["单位"]) == ["武安派出所"]
    at = app_as("clerk_yanxi", PAGE, unit=str(units["350605100"]))
    assert OUT_OF_SCOPE in _errors(at) and not at.dataframe


def test_behind_only_filter_keeps_units_with_amber_or_red(app_as):
    at = app_as("changtai", PAGE, show="behind")
    matrix = _matrix(at)
    for _, row in matrix.iterrows():
        assert any(str(v).startswith(("红｜", "黄｜")) for v in row.iloc[3:])


def test_campaign_in_the_url_selects_it_and_a_foreign_one_is_refused(app_as, demo_db_url):
    campaigns = _ids(demo_db_url, "SELECT start_date, id FROM campaign ORDER BY start_date")
    spring = list(campaigns.values())[0]
    at = app_as("leader", PAGE, campaign=str(spring))
    assert at.selectbox(key="camp_pick").value == spring and "4月" not in _errors(at)
    assert any("-04-01" in c.value for c in at.caption)
    at = app_as("leader", PAGE, campaign="99999")
    assert "专项行动不存在" in _errors(at) and not at.dataframe


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_city_leader_sees_the_bureau_summary_and_pages_of_twenty_units_told_in_a_caption(app_as, demo_db_url):
    stations = _ids(demo_db_url, "SELECT count(*), 0 FROM campaign_unit cu JOIN campaign c ON c.id = cu.campaign_id "
                                 "WHERE NOT cu.partner AND c.start_date <= date('now') AND c.end_date >= date('now')")
    total = next(iter(stations))
    at = app_as("leader", PAGE)
    summary = at.dataframe[0].value
    assert list(summary.columns[:2]) == ["分局", "单位数"] and summary["单位数"].sum() == total
    first = _matrix(at)
    pages = (total + 19) // 20
    assert len(first) == 20 and f"共 {total} 个单位，第 1/{pages} 页（第 1–20 个" in _captions(at)
    at.number_input(key="camp_page").set_value(2).run()
    second = _matrix(at)
    assert len(second) == 20 and not set(second["单位"]) & set(first["单位"])
    assert f"第 2/{pages} 页（第 21–40 个" in _captions(at) and at.query_params["page"] == "2"
    assert at.number_input(key="camp_page").value == 2


def test_bureau_filter_in_the_url_shows_its_units_and_a_foreign_one_is_refused(app_as, demo_db_url):
    units = _ids(demo_db_url, "SELECT code, id FROM unit")
    at = app_as("leader", PAGE, bureau=str(units["350605"]))
    matrix = _matrix(at)
    assert matrix["单位"].iloc[0] == "长泰区公安分局" and "武安派出所" in set(matrix["单位"])
    assert list(at.dataframe[0].value["分局"]) == ["长泰区公安分局"]
    assert at.selectbox(key="camp_bureau").value == units["350605"] and at.query_params["bureau"] == str(units["350605"])
    at = app_as("leader", PAGE, unit=str(units["350605100"]))  # a unit's link opens its 分局
    assert list(_matrix(at)["单位"]) == ["武安派出所"] and at.query_params["bureau"] == str(units["350605"])
    at = app_as("changtai", PAGE, bureau=str(units["350602"]))  # 芗城: not under 长泰
    assert OUT_OF_SCOPE in _errors(at) and not at.dataframe


@pytest.mark.parametrize(("username", "exports"), [("leader", True), ("command", True), ("changtai", True),
                                                   ("clerk_wuan", False)])
def test_export_buttons_only_for_roles_that_may_export(app_as, username, exports):
    at = app_as(username, PAGE)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == (["导出 CSV", "导出 Excel"] if exports else [])


def test_scatter_of_outreach_against_case_rate_is_captioned_as_an_association(app_as):
    at = app_as("leader", PAGE)
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    titles = [(la["xaxis"]["title"]["text"], la["yaxis"]["title"]["text"]) for la in layouts if "xaxis" in la]
    assert ("受众人数（人/万人，活动期内截至今天）", "发案率变化（起/万人，较去年同期）") in titles
    assert "相关不等于因果" in _captions(at) and "与去年同期" in _captions(at)


def test_a_rising_outcome_target_shows_the_services_cells(tmp_path, demo_db_url, monkeypatch):
    """A 抓获数 target (up is good) added to a running campaign: the matrix shows each unit's cell as the service
    computes it (the service's figures are tested against plain Python in tests/services/campaigns)."""
    path = tmp_path / "camp.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    leader = actor_for_username(url, "leader")
    engine = make_engine(url)
    today = shanghai_today()
    campaign_id = next(cid for cid, _ in api.campaign_choices(engine, leader))
    api.add_target(engine, leader, campaign_id, TargetDraft("抓获数同比上升", "outcome", 30, "%", measure="arrested"))
    standing = api.progress(engine, leader, campaign_id, today)
    target = next(x for x in standing.targets if x.description == "抓获数同比上升")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["fanzha_actor"] = leader
    at.switch_page(PAGE)
    at.query_params["campaign"] = str(campaign_id)
    at.run()
    assert not at.exception, at.exception
    matrix = _matrix(at)
    column = next(c for c in matrix.columns if "抓获数同比上升" in str(c))
    shown = " ".join(str(v) for v in matrix[column])
    cells = [standing.cells[(u.unit_id, target.id)] for u in standing.units if (u.unit_id, target.id) in standing.cells]
    assert cells and any(cell.text in shown for cell in cells)
    assert "目标升30%" in shown or all(cell.previous == 0 for cell in cells)
    engine.dispose()
