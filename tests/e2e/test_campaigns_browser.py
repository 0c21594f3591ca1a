"""专项行动 in a real Chromium: a station clerk logs an activity with a photo; the matrix counts it."""

import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import login, wait_for_app

pytestmark = pytest.mark.browser
TARGET = "每单位每月集中宣传活动"


def _settle(page) -> None:
    page.wait_for_timeout(250)
    wait_for_app(page)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20, 140, 60)).save(out, format="PNG")
    return out.getvalue()


def _matrix_cell(page) -> str:
    """The 武安派出所 cell of the monthly events target, read from the grid's accessible table."""
    grid = page.locator(".st-key-camp_matrix")
    grid.wait_for()
    grid.locator("[role='gridcell']").first.wait_for(state="attached")
    cells = [c for c in grid.locator("[role='gridcell']").all_inner_texts() if re.search(r"\d+/1次", c)]
    return cells[0]


def _photos(url: str, place: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT count(DISTINCT a.id), count(p.id) FROM activity a LEFT JOIN activity_photo p "
            "ON p.activity_id = a.id WHERE a.place = :p"), {"p": place}).one()
    engine.dispose()
    return tuple(row)


def test_station_clerk_logs_an_activity_with_a_photo_and_the_matrix_updates(page, live_server, demo_db_url,
                                                                            requests_seen):
    place = f"武安E2E广场{uuid.uuid4().hex[:6]}"
    page.goto(f"{live_server.url}/campaigns")
    login(page, "clerk_wuan")
    page.goto(f"{live_server.url}/campaigns")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="专项行动")).to_be_visible()
    before = _matrix_cell(page)
    done = int(re.search(r"(\d+)/1次", before).group(1))
    form = page.locator(".st-key-camp_form, [data-testid='stForm']").first
    form.get_by_label("场所名称").fill(place)
    form.get_by_label("警力（人次）").fill("4")
    form.get_by_label("受众人数").fill("150")
    page.locator(".st-key-camp_uploader [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _png()}])
    page.wait_for_timeout(500)
    page.get_by_role("button", name="保存活动").click()
    _settle(page)
    expect(page.get_by_text("已登记活动（1张照片）")).to_be_visible()
    assert _photos(demo_db_url, place) == (1, 1)
    grid = page.locator(".st-key-camp_matrix")
    grid.locator("[role='gridcell']", has_text=f"{done + 1}/1次").first.wait_for(state="attached")
    after = _matrix_cell(page)
    assert f"{done + 1}/1次" in after, (before, after)
    expect(page.locator("[data-testid='stImage']").first).to_be_visible()
