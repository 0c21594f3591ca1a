"""行动管理 in a real Chromium: 长泰分局领导 creates a campaign with two targets; a double click creates one; it
then shows on 行动进度 (/campaigns)."""

import shutil
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import ARTIFACTS, LiveServer, login, screenshot, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture
def own_server(demo_db_url, tmp_path) -> Iterator[tuple[LiveServer, str]]:
    """A server on a copy of the demo: the new campaign does not become the newest one other browser tests see."""
    path = tmp_path / "admin.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(url, ARTIFACTS / "streamlit_campaign_admin.log")
    yield server, url
    server.stop()


def _settle(page) -> None:
    page.wait_for_timeout(300)
    wait_for_app(page)


def _stations(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM unit WHERE kind = 'station' AND parent_id = "
                                        "(SELECT id FROM unit WHERE code = '350605')")).scalar()
    engine.dispose()
    return count


def _campaigns(url: str, name: str) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT c.id, (SELECT count(*) FROM campaign_target t WHERE t.campaign_id = c.id), "
            "(SELECT count(*) FROM campaign_unit u WHERE u.campaign_id = c.id) FROM campaign c WHERE c.name = :n"),
            {"n": name}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _add_target(page, kind: str | None, description: str) -> None:
    tab = page.get_by_role("tabpanel", name="新建专项行动")
    if kind is not None:
        picker = tab.get_by_label("目标类型")
        picker.click()
        picker.fill(kind)
        page.keyboard.press("Enter")
        _settle(page)
        expect(tab.get_by_role("group", name="截止日期")).to_be_visible()  # only a task asks for a due date
    tab.get_by_label("目标名称").fill(description)
    tab.get_by_role("button", name="添加目标").click()
    _settle(page)
    expect(page.get_by_text(f"已添加目标“{description}”")).to_be_visible()


def test_leader_creates_a_campaign_with_two_targets_once_and_it_shows_on_campaigns(page, own_server, requests_seen):
    server, url = own_server
    name = f"长泰反诈宣传月{uuid.uuid4().hex[:4]}"
    page.goto(f"{server.url}/campaign_admin")
    login(page, "changtai")
    page.goto(f"{server.url}/campaign_admin")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="行动管理")).to_be_visible()
    tab = page.get_by_role("tabpanel", name="新建专项行动")
    tab.get_by_label("专项行动名称").fill(name)
    tab.get_by_label("主题").fill("防范诈骗 人人参与")
    tab.get_by_role("button", name="全选所有派出所").click()
    _settle(page)
    expect(tab.get_by_text("各单位联络员")).to_be_visible()  # a 联络员 row per chosen unit
    screenshot(page, "campaign_admin_top")
    _add_target(page, None, "每单位每月集中宣传不少于1次")  # 次数/数量 is the first kind
    _add_target(page, "限时任务", "经侦大队完成银行网点协调")
    expect(tab.get_by_text("2. 经侦大队完成银行网点协调")).to_be_visible()
    screenshot(page, "campaign_admin_form")

    tab.get_by_role("button", name="创建专项行动").dblclick()
    _settle(page)
    page.wait_for_timeout(1500)  # let the second click's run finish too
    wait_for_app(page)
    expect(page.get_by_text(f"专项行动“{name}”").first).to_be_visible()
    screenshot(page, "campaign_admin_created")
    rows = _campaigns(url, name)
    assert len(rows) == 1, rows
    campaign_id, targets, units = rows[0]
    assert targets == 2 and units == _stations(url)  # every station of 长泰

    page.goto(f"{server.url}/campaigns?campaign={campaign_id}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="行动进度")).to_be_visible()
    expect(page.get_by_role("combobox", name="专项行动")).to_have_value(name)  # the picker names it
    expect(page.get_by_text("主题：防范诈骗 人人参与")).to_be_visible()
    screenshot(page, "campaign_admin_on_campaigns")
