"""活动登记 in a real Chromium: a logged activity with a photo reaches the matrix; a double click or Enter pressed
twice saves one row and says so once."""

import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser
SAVED = "已登记活动（{photos}张照片）。"


def _settle(page) -> None:
    """Wait until every rerun the browser asked for has finished (a double click asks for two)."""
    for _ in range(3):
        page.wait_for_timeout(400)
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


def _rows(url: str, place: str) -> tuple[int, int]:
    """(activities, photos) saved under a place name."""
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT count(DISTINCT a.id), count(p.id) FROM activity a LEFT JOIN activity_photo p "
            "ON p.activity_id = a.id WHERE a.place = :p"), {"p": place}).one()
    engine.dispose()
    return tuple(row)


def _open_log(page, base: str) -> None:
    page.goto(f"{base}/campaign_log")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="活动登记")).to_be_visible()
    page.get_by_label("场所名称").wait_for()


def test_station_clerk_logs_an_activity_with_a_photo_and_the_matrix_counts_it(page, live_server, demo_db_url,
                                                                              requests_seen):
    place = f"武安E2E广场{uuid.uuid4().hex[:6]}"
    page.goto(f"{live_server.url}/campaigns")
    login(page, "clerk_wuan")
    page.goto(f"{live_server.url}/campaigns")
    wait_for_app(page)
    before = _matrix_cell(page)
    done = int(re.search(r"(\d+)/1次", before).group(1))
    _open_log(page, live_server.url)
    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("场所名称").fill(place)
    form.get_by_label("警力（人次）").fill("4")
    form.get_by_label("受众人数").fill("150")
    page.locator(".st-key-camp_uploader [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _png()}])
    page.wait_for_timeout(500)
    screenshot(page, "campaign_log_form")
    page.get_by_role("button", name="保存活动").click()
    _settle(page)
    expect(page.get_by_text(SAVED.format(photos=1))).to_have_count(1)
    assert _rows(demo_db_url, place) == (1, 1)
    expect(page.locator("[data-testid='stImage']").first).to_be_visible()
    page.goto(f"{live_server.url}/campaigns")
    wait_for_app(page)
    grid = page.locator(".st-key-camp_matrix")
    grid.locator("[role='gridcell']", has_text=f"{done + 1}/1次").first.wait_for(state="attached")
    after = _matrix_cell(page)
    assert f"{done + 1}/1次" in after, (before, after)


def test_a_double_click_or_enter_pressed_twice_saves_one_activity(page, live_server, demo_db_url, requests_seen):
    page.goto(f"{live_server.url}/campaign_log")
    login(page, "clerk_wuan")
    _open_log(page, live_server.url)
    first_key = re.search(r"form=([0-9a-f]{32})", page.url).group(1)

    clicked = f"武安双击{uuid.uuid4().hex[:6]}"
    page.get_by_label("场所名称").fill(clicked)
    page.get_by_role("button", name="保存活动").dblclick()
    _settle(page)
    assert _rows(demo_db_url, clicked) == (1, 0)
    expect(page.get_by_text(SAVED.format(photos=0))).to_have_count(1)
    expect(page.get_by_label("场所名称")).to_have_value("")  # a new form for the next activity
    assert re.search(r"form=([0-9a-f]{32})", page.url).group(1) != first_key

    entered = f"武安回车{uuid.uuid4().hex[:6]}"
    page.get_by_label("场所名称").fill(entered)
    page.get_by_label("场所名称").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    _settle(page)
    assert _rows(demo_db_url, entered) == (1, 0)
    expect(page.get_by_text(SAVED.format(photos=0))).to_have_count(1)
    expect(page.locator("[data-testid='stAlert']", has_text="请填写")).to_have_count(0)
    screenshot(page, "campaign_log_saved_once")
