"""Case import in a real Chromium: a file with bad rows is refused row by row, the fixed file imports once."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser
HEADER = "案件编号,所属单位,接报时间,诈骗类型,损失金额（元）,经度,纬度"
GOOD_ROWS = [
    "E2E-IMP-001,350605100,2026-11-20 10:30,刷单返利类,35000,117.7612,24.6213",
    "E2E-IMP-002,武安派出所,2026-11-21 09:00,虚假网络投资理财类,120000,,",
    "E2E-IMP-003,350605101,2026-11-22,冒充公检法及政府机关类,8000.50,,",
]
BAD_ROWS = [
    GOOD_ROWS[0],
    "E2E-IMP-002,不存在的派出所,2026-11-21 09:00,虚假网络投资理财类,-120000,,",
    "E2E-IMP-003,350605101,上周,骗术,8000.505,,",
]


def _csv(rows: list[str]) -> bytes:
    return "\n".join([HEADER, *rows]).encode("gbk")  # as police systems export them


def _count(url: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM fraud_case WHERE case_no LIKE 'E2E-IMP-%'")).scalar()


def _settle(page) -> None:
    page.wait_for_timeout(200)
    wait_for_app(page)


def _upload_and_import(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    _settle(page)
    page.get_by_role("button", name="开始导入").click()
    _settle(page)


def test_bad_rows_are_reported_then_the_fixed_file_imports_once(page, live_server, demo_db_url, requests_seen):
    assert _count(demo_db_url) == 0
    page.goto(f"{live_server.url}/case_import")
    login(page, "changtai")
    page.get_by_role("heading", name="案件导入").wait_for()
    expect(page.get_by_role("button", name="下载 Excel 模板")).to_be_visible()

    _upload_and_import(page, "cases.csv", _csv(BAD_ROWS))
    page.get_by_text("整个文件未导入").wait_for()
    table = page.locator("[data-testid='stTable']").inner_text()
    for row, column in (("3", "所属单位"), ("3", "损失金额（元）"), ("4", "接报时间"), ("4", "诈骗类型"),
                        ("4", "损失金额（元）")):
        assert column in table and row in table
    screenshot(page, "import-bad-rows")
    assert _count(demo_db_url) == 0

    _upload_and_import(page, "cases-fixed.csv", _csv(GOOD_ROWS))
    page.get_by_text("导入完成：新增 3 起").wait_for()
    assert _count(demo_db_url) == 3
    screenshot(page, "import-done")
    # The same click again, or the same file once more, adds nothing.
    assert page.get_by_role("button", name="开始导入").count() == 0
    page.reload()
    wait_for_app(page)
    _upload_and_import(page, "cases-fixed.csv", _csv(GOOD_ROWS))
    page.get_by_text("新增 0 起，更新 0 起，未变 3 起").wait_for()
    assert _count(demo_db_url) == 3
