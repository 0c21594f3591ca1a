"""进展报送 in a real Chromium: a leader downloads a unit's frozen report, the roll-up and the monthly ranking 通报,
and the files read back (python-docx, openpyxl) with their titles and figures."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _settle(page) -> None:
    page.wait_for_timeout(250)
    wait_for_app(page)


def _download(page, label: str, folder: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    name = download.value.suggested_filename
    data = download.value.path().read_bytes()
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / folder / name).write_bytes(data)  # kept for looking at (LibreOffice → PDF/PNG), not for CI
    return name, data


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_leader_downloads_unit_report_rollup_and_ranking(page, live_server, requests_seen):
    page.goto(f"{live_server.url}/campaign_reports")
    login(page, "changtai")
    page.goto(f"{live_server.url}/campaign_reports")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="进展报送", exact=True)).to_be_visible()

    # A unit's frozen report (the demo's submitted reports of past periods).
    page.get_by_role("button", name="生成报告文件").click()
    _settle(page)
    name, docx = _download(page, "下载 Word（DOCX）", "campaign_reports")
    texts = _paragraphs(docx)
    assert texts[0] == "【演示数据】" and re.fullmatch(r"关于.+第\d+期工作进展情况的报告", texts[1])
    assert "一、工作开展情况" in texts and "二、主要数据" in texts
    _, xlsx = _download(page, "下载 Excel（XLSX）", "campaign_reports")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["A1"].value == texts[1] and sheet["A2"].value == "演示数据"
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert isinstance(rows["宣传活动"], int)

    # The roll-up of the latest period due.
    page.get_by_role("button", name="生成汇总报告").click()
    _settle(page)
    built = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="汇总报告：已报送")
    expect(built).to_be_visible()
    reported, late, missing = map(int, re.search(r"已报送(\d+)个单位，逾期报送(\d+)个，未报送(\d+)个",
                                                 built.inner_text()).groups())
    _, rollup_docx = _download(page, "下载汇总报告 Word（DOCX）", "campaign_reports")
    texts = _paragraphs(rollup_docx)
    assert re.fullmatch(r"关于.+第\d+期工作进展情况的汇总报告", texts[1])
    assert any(f"已报送{reported}个" in t for t in texts)
    document = Document(io.BytesIO(rollup_docx))
    # The DOCX groups the units by 辖区 (reported/expected units, then the figures); every unit is in the XLSX.
    figures = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert figures[0][:3] == ["辖区", "报送单位", "活动场次"] and figures[-1][0] == "合计"
    assert figures[-1][1] == f"{reported}/{reported + missing}"
    total = sum(int(r[2]) for r in figures[1:-1])
    assert int(figures[-1][2]) == total
    _, rollup_xlsx = _download(page, "下载汇总报告 Excel（XLSX）", "campaign_reports")
    summary = [r for r in load_workbook(io.BytesIO(rollup_xlsx))["汇总"].iter_rows(values_only=True)]
    states = [r[1] for r in summary if r[1] in ("已报送", "逾期报送", "未报送")]
    assert (states.count("已报送") + states.count("逾期报送"), states.count("逾期报送"), states.count("未报送")) \
        == (reported, late, missing)
    assert next(r for r in summary if r[0] == "合计")[2] == total

    # The monthly ranking 通报.
    ranking = page.locator(".st-key-camp_ranking")
    expect(ranking).to_be_visible()
    ranking.locator("[role='gridcell']").first.wait_for(state="attached")
    headers = ranking.locator("[role='columnheader']").all_inner_texts()  # the grid draws the columns in view
    assert {"名次", "单位", "每万人发案（起/万人）"} <= {h.strip() for h in headers}, headers
    page.get_by_role("button", name="生成通报（DOCX）").click()
    _settle(page)
    name, tongbao = _download(page, "下载排名通报 Word（DOCX）", "campaign_reports")
    assert name.startswith("长泰区公安分局_") and name.endswith("反诈宣传工作情况通报.docx")
    texts = _paragraphs(tongbao)
    assert re.fullmatch(r"关于\d+月份全区（县）反诈宣传工作情况的通报", texts[1])
    assert any(t.startswith("综合得分排名前") for t in texts) and "四、下步要求" in texts
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[-1]) and texts[-2] == "长泰区公安分局"
    table = [[c.text for c in row.cells] for row in Document(io.BytesIO(tongbao)).tables[0].rows]
    assert table[0][0] == "名次" and [r[0] for r in table[1:]][0] == "1" and len(table) > 2
    screenshot(page, "campaign-reports-leader")
