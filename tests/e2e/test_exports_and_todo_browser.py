"""Issue 12 in a real Chromium at 1366×768: the clerk's to-do, the item scrolled into view, the uploader in Chinese,
and the XLSX exports of 问责预警 and 案件登记 holding exactly the filtered lists."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine, read_session
from services.accountability.export import ITEM_HEADER, as_read_back, item_cells
from services.accountability.read import ItemFilter, page_items
from services.cases.export import CASE_HEADER, case_cells
from services.cases.read import CaseFilter, matching_cases
from services.shared.export_cells import read_back
from services.shared.timeutil import day_start_utc, now_utc, shanghai_today
from tests.conftest import actor_for_username
from tests.e2e.conftest import RequestLog, login, screenshot, wait_for_app
from tests.e2e.test_accountability_browser import _new_item
from vocabulary import AccountabilityLevel

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


def _laptop(browser, requests: RequestLog):
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    context.on("request", lambda request: requests.urls.append(request.url))
    context.on("page", lambda page: page.on("websocket", lambda ws: requests.urls.append(ws.url)))
    return context, context.new_page()


def _settle(page) -> None:
    page.wait_for_timeout(250)
    wait_for_app(page)


def _download(page, name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name=name).click()
    return open(download.value.path(), "rb").read()


def _columns_fit(page, grid_header: str) -> None:
    """The grid holding a column `grid_header` is no wider than the window (nothing cut at its right edge)."""
    grid = page.locator("[data-testid='stDataFrame']").filter(
        has=page.locator("[role='columnheader']", has_text=grid_header)).first
    box = grid.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAPTOP["width"]
    scroller = grid.locator(".dvn-scroller").first
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths  # every column in view: no sideways scrolling


def test_leader_exports_exactly_the_filtered_items_at_1366(browser, live_server, demo_db_url):
    requests = RequestLog()
    context, page = _laptop(browser, requests)
    page.goto(f"{live_server.url}/accountability?level=l10w")
    login(page, "leader")
    page.get_by_role("heading", name="问责事项共").wait_for()
    expect(page.get_by_text("说明待领导审核")).to_be_visible()
    expect(page.get_by_text("损失下调待复核").first).to_be_visible()
    _columns_fit(page, "说明待审核")
    _columns_fit(page, "逾期天数")  # the item list
    screenshot(page, "issue12-accountability-1366")

    data = _download(page, "导出 Excel")
    filters, table = read_back(data)
    leader = actor_for_username(demo_db_url, "leader")
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        shown = page_items(session, leader, ItemFilter(level=AccountabilityLevel.L10W), now_utc(), 10_000)
    engine.dispose()
    assert shown.total > 50  # more than the page on screen: all of them are in the file
    assert table[0] == tuple(ITEM_HEADER)
    assert table[1:] == [as_read_back(item_cells(r)) for r in shown.rows]
    assert dict(row[:2] for row in filters)["级别"] == "10万元以上"
    expect(page.get_by_role("heading", name=f"问责事项共 {shown.total:,} 项")).to_be_visible()
    context.close()
    assert requests.foreign() == []


def test_register_exports_every_case_of_the_filter_at_1366(browser, live_server, demo_db_url):
    requests = RequestLog()
    context, page = _laptop(browser, requests)
    page.goto(f"{live_server.url}/cases?sort=loss_desc")
    login(page, "leader")
    _settle(page)
    screenshot(page, "issue12-cases-1366")
    _columns_fit(page, "受害人")
    filters, table = read_back(_download(page, "导出 Excel"))
    leader = actor_for_username(demo_db_url, "leader")
    today = shanghai_today()
    criteria = CaseFilter(sort="loss_desc", start=day_start_utc(today - timedelta(days=29)),
                          end=day_start_utc(today + timedelta(days=1)))
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        shown = matching_cases(session, leader, criteria, 10_000)
    engine.dispose()
    assert shown.total > 50  # more than the page on screen
    assert table[0] == tuple(CASE_HEADER)
    assert table[1:] == [tuple(float(v) if k in (4, 5) else v for k, v in enumerate(case_cells(r)))
                         for r in shown.rows]
    written = dict(row[:2] for row in filters)
    assert written["诈骗类型"] == "全部" and written["排序"] == "损失金额（大→小）" and written["单位"] == "漳州市公安局"
    assert written["损失金额"] == "全部" and written["符合条件"] == f"{shown.total:,} 起，导出 {shown.total:,} 起"
    expect(page.get_by_text(f"共 {shown.total:,} 起")).to_be_visible()
    context.close()
    assert requests.foreign() == []


def test_clerk_sees_the_unit_todo_and_an_opened_item_in_view(browser, live_server, demo_db_url):
    requests = RequestLog()
    context, page = _laptop(browser, requests)
    page.goto(f"{live_server.url}/accountability")
    login(page, "clerk_wuan")
    todo = page.locator(".st-key-acc_todo_box")
    todo.get_by_role("heading", name="本单位待办").wait_for()
    expect(todo.get_by_text("未关闭问责事项")).to_be_visible()
    assert todo.bounding_box()["y"] < LAPTOP["height"]  # at the top, seen without scrolling
    screenshot(page, "issue12-clerk-todo-1366")

    item_id, _ = _new_item(demo_db_url)
    engine = make_engine(demo_db_url)
    with engine.begin() as connection:  # five days past its due date
        connection.execute(text("UPDATE accountability_item SET due_date = :d WHERE id = :i"),
                           {"d": shanghai_today() - timedelta(days=5), "i": item_id})
    engine.dispose()
    page.reload()
    _settle(page)
    expect(todo.get_by_text("已逾期 1 项", exact=False)).to_be_visible()
    expect(todo.get_by_text("有 1 项已超过期限")).to_be_visible()
    screenshot(page, "issue12-clerk-overdue-1366")
    page.goto(f"{live_server.url}/accountability?item={item_id}")
    _settle(page)
    heading = page.get_by_role("heading", name=f"问责事项 {item_id}：")
    heading.wait_for()
    page.wait_for_timeout(1500)  # the smooth scroll
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < LAPTOP["height"], box  # scrolled to the item
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.scroll_into_view_if_needed()
    expect(uploader.get_by_text("每个不超过 10 MB").first).to_be_visible()
    screenshot(page, "issue12-clerk-item-1366")
    dropzone = uploader.locator("[data-testid='stFileUploaderDropzone']")
    shown_text = dropzone.evaluate(
        "e => [...e.querySelectorAll('*')].filter(n => n.childElementCount === 0 && n.checkVisibility() "
        "&& parseFloat(getComputedStyle(n).fontSize) > 0).map(n => n.textContent).join('|')")
    assert "Upload" not in shown_text and "per file" not in shown_text, shown_text
    context.close()
    assert requests.foreign() == []
