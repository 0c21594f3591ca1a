"""Jurisdiction import in a real Chromium: a file with a broken polygon is refused per feature; the real file plans."""

import json
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser
ZHANGZHOU = Path(__file__).resolve().parents[2] / "services" / "demo" / "data" / "zhangzhou_districts_gcj02.geojson"


def _settle(page) -> None:
    page.wait_for_timeout(300)
    wait_for_app(page)


def _upload(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": name, "mimeType": "application/geo+json", "buffer": data}])
    _settle(page)


def _with_bow_tie(collection: dict) -> bytes:
    broken = json.loads(json.dumps(collection))
    broken["features"][3]["geometry"] = {"type": "Polygon", "coordinates": [
        [[117.70, 24.60], [117.80, 24.70], [117.80, 24.60], [117.70, 24.70], [117.70, 24.60]]]}
    return json.dumps(broken, ensure_ascii=False).encode("utf-8")


def test_units_import_reports_bad_geometry_then_plans_the_real_file(page, live_server, requests_seen):
    collection = json.loads(ZHANGZHOU.read_text(encoding="utf-8"))
    page.goto(f"{live_server.url}/unit_import")
    login(page, "admin")
    page.get_by_role("heading", name="辖区导入").wait_for()
    _upload(page, "bad.geojson", _with_bow_tie(collection))
    page.get_by_text("请选择文件的坐标系").wait_for()  # no silent default datum
    page.get_by_text("GCJ-02（高德、腾讯）").click()
    _settle(page)
    page.get_by_text("未导入").first.wait_for()
    problems = page.locator("[data-testid='stTable']").inner_text()
    assert "自相交" in problems
    assert page.get_by_role("button", name="确认导入").count() == 0
    screenshot(page, "unit-import-problems")

    page.get_by_role("button", name=re.compile("^(移除|Remove)")).first.click()  # the uploaded file's remove control
    _settle(page)
    _upload(page, "zhangzhou.geojson", ZHANGZHOU.read_bytes())
    page.get_by_role("heading", name="导入计划").wait_for()
    page.get_by_role("button", name="确认导入").click()
    _settle(page)
    page.get_by_text("新增 0 个单位").wait_for()  # the demo's own districts: matched by code, unchanged
    screenshot(page, "unit-import-done")
