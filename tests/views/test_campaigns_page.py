"""专项行动 page: who sees it, the matrix with lights and pacing, filters in the URL within scope, the activity form."""

import io

import pytest
from PIL import Image
from sqlalchemy import text

from db.engine import make_engine

PAGE = "views/campaigns.py"
REFUSED = "无权执行此操作"
OUT_OF_SCOPE = "无权查看该单位的数据"


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def _ids(url: str, sql: str) -> dict:
    with make_engine(url).connect() as connection:
        return dict(connection.execute(text(sql)).all())


@pytest.mark.parametrize("username", ["leader", "changtai", "command", "clerk_wuan", "clerk_yanxi"])
def test_leaders_command_and_clerks_see_the_matrix(app_as, username):
    at = app_as(username, PAGE)
    assert REFUSED not in _errors(at) and at.title[0].value == "专项行动"
    matrix = at.dataframe[0].value
    assert list(matrix.columns[:3]) == ["单位", "联络员", "联系电话"]
    cells = " ".join(str(v) for v in matrix.iloc[:, 3:].to_numpy().ravel())
    assert any(f"{light}｜" in cells for light in "绿黄红灰") and ("预计" in cells or "知晓率" in cells)


@pytest.mark.parametrize("username", ["admin", "desk", "wall"])
def test_other_roles_are_refused(app_as, username):
    at = app_as(username, PAGE)
    assert REFUSED in _errors(at) and not at.dataframe


def test_clerk_sees_own_station_with_masked_liaison_and_leader_sees_the_number(app_as):
    clerk = app_as("clerk_wuan", PAGE).dataframe[0].value
    assert list(clerk["单位"]) == ["武安派出所"] and "****" in clerk["联系电话"][0]
    leader = app_as("changtai", PAGE).dataframe[0].value
    assert len(leader) > 1 and all("*" not in p for p in leader["联系电话"])


def test_unit_filter_in_the_url_follows_scope(app_as, demo_db_url):
    units = _ids(demo_db_url, "SELECT code, id FROM unit")
    at = app_as("changtai", PAGE, unit=str(units["350605100"]))
    assert list(at.dataframe[0].value["单位"]) == ["武安派出所"]
    at = app_as("clerk_yanxi", PAGE, unit=str(units["350605100"]))
    assert OUT_OF_SCOPE in _errors(at) and not at.dataframe


def test_behind_only_filter_keeps_units_with_amber_or_red(app_as):
    at = app_as("changtai", PAGE, show="behind")
    matrix = at.dataframe[0].value
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


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_form_refuses_a_missing_place_in_chinese_under_the_field(app_as):
    at = app_as("clerk_wuan", PAGE)
    at.button(key="FormSubmitter:camp_form-保存活动").click().run()
    assert "请填写场所名称" in _errors(at)


def test_reports_list_who_is_late_with_the_liaison_and_a_clerk_can_submit(app_as):
    at = app_as("changtai", PAGE)
    assert any(s.value == "进展报送（每月10日、25日）" for s in at.subheader)
    board = next(d.value for d in at.dataframe if "报送情况" in d.value.columns)
    assert set(board["报送情况"]) <= {"按时报送", "逾期报送", "逾期未报", "今日应报", "未到报送日"}
    assert "联络员" in board.columns and any("逾期未报" in w.value for w in at.warning)
    clerk = app_as("clerk_wuan", PAGE)
    for name, value in (("methods", "集中宣传"), ("channels", "横幅、折页"), ("process", "进校园讲座"),
                        ("scope", "辖区学校")):
        clerk.text_area(key=f"camp_report_{name}").input(value)
    clerk.button(key="FormSubmitter:camp_report-提交报送").click().run()
    assert not clerk.exception and any("已提交" in s.value for s in clerk.success)
    assert clerk.button(key=next(b.key for b in clerk.button if b.key and b.key.startswith("camp_report_prepare_")))
