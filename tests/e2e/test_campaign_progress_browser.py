"""行动进度 in a real browser: the city leader pages the matrix and downloads the XLSX, which holds what the page shows."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import ARTIFACTS, login, wait_for_app

PAGE_SIZE = 20


def _rows(page) -> list[list[str]]:
    """The matrix's rows as the grid draws them (its accessible cells), header row left out."""
    grid = page.locator(".st-key-camp_matrix [data-testid='stDataFrame']")
    grid.locator("[role='gridcell']").first.wait_for(state="attached")
    rows = [r.locator("[role='gridcell']").all_inner_texts() for r in grid.locator("[role='row']").all()]
    return [r for r in rows if r]


def _second_page_rows(page, first: list[list[str]]) -> list[list[str]]:
    """The grid's rows once it has redrawn: its accessible cells can trail the caption by a frame or two."""
    rows = _rows(page)
    for _ in range(40):
        if rows and rows[0][0] != first[0][0]:
            break
        page.wait_for_timeout(250)
        rows = _rows(page)
    return rows


def _newest_campaign(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        name = connection.execute(text(
            "SELECT name FROM campaign ORDER BY start_date DESC, id DESC LIMIT 1")).scalar_one()
    engine.dispose()
    return name


def test_city_leader_pages_the_matrix_and_the_xlsx_matches_the_page(page, live_server, demo_db_url, requests_seen):
    page.goto(f"{live_server.url}/campaigns")
    login(page, "leader")
    page.goto(f"{live_server.url}/campaigns")
    wait_for_app(page)
    caption = page.get_by_text(re.compile(r"共 \d+ 个单位，第 1/\d+ 页"))
    total = int(re.search(r"共 (\d+) 个单位", caption.inner_text()).group(1))
    first = _rows(page)
    assert len(first) == PAGE_SIZE and total > 2 * PAGE_SIZE
    second_page = page.get_by_text(re.compile(r"第 2/\d+ 页（第 21–40 个"))
    for _ in range(3):  # a value typed while a rerun redraws the box is lost: type it again
        page.get_by_label("页码").fill("2")
        page.get_by_label("页码").press("Enter")
        try:
            second_page.wait_for(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - not taken: try again
            wait_for_app(page)
    second_page.wait_for()
    wait_for_app(page)
    assert "page=2" in page.url
    second = _second_page_rows(page, first)
    assert len(second) == PAGE_SIZE and second[0][0] != first[0][0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "campaign_progress_city_page2.png"))  # 1600×1000, the viewport
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    assert download.value.suggested_filename.startswith("目标进度_") and download.value.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)
                .active.iter_rows(values_only=True))
    assert rows[0][0] == "专项行动目标进度表"
    assert rows[0][1] == _newest_campaign(demo_db_url)  # the picker's default: the newest campaign in scope
    blank = next(i for i, row in enumerate(rows) if all(v is None for v in row))
    header, table = rows[blank + 1], rows[blank + 2:]
    assert header[:3] == ("单位", "联络员", "联系电话") and len(table) == total
    for shown, written in zip(first + second, table[:2 * PAGE_SIZE], strict=True):
        # The grid draws the columns in view; each drawn cell is the file's cell, in order.
        assert shown == ["" if v is None else str(v) for v in written][:len(shown)]
