"""The overview in a real Chromium: the numbers match the database, the period is in the link, nothing leaves the host."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from services.shared.money import wan_figure
from services.shared.timeutil import reporting_span, shanghai_today
from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _expected(url: str, kind: str) -> dict[str, str]:
    span = reporting_span(kind, shanghai_today(datetime.now(UTC)))
    bounds = {"s": span.current.start.strftime("%Y-%m-%d %H:%M:%S"),
              "e": span.current.end.strftime("%Y-%m-%d %H:%M:%S")}
    with make_engine(url).connect() as connection:
        cases, loss = connection.execute(text(
            "SELECT COUNT(*), COALESCE(SUM(loss_fen), 0) FROM fraud_case "
            "WHERE reported_at >= :s AND reported_at < :e"), bounds).one()
        calls = connection.execute(text(
            "SELECT COUNT(*) FROM desk_call WHERE received_at >= :s AND received_at < :e"), bounds).scalar()
    return {"cases": f"{cases:,}", "loss": f"{wan_figure(loss):,}", "calls": f"{calls:,}"}


def _card(page, measure: str) -> str:
    return page.locator(f".st-key-overview_headline_{measure} [data-testid='stMetricValue']").inner_text().strip()


def test_overview_numbers_match_the_database(page, live_server, demo_db_url, requests_seen):
    page.goto(live_server.url)
    login(page, "leader")
    page.get_by_text("各分局/县局情况").wait_for()
    page.locator(".st-key-overview_trend .js-plotly-plot").wait_for()
    wait_for_app(page)
    expected = _expected(demo_db_url, "month")
    assert [_card(page, m) for m in ("cases", "loss", "calls")] == [expected["cases"], expected["loss"],
                                                                    expected["calls"]]
    expect(page.get_by_text("同比（较去年同期）").first).to_be_visible()
    expect(page.get_by_text("演示数据").first).to_be_visible()
    shot = screenshot(page, "overview")
    assert shot.stat().st_size > 20_000
    # 本年 from the picker: the link names it and the figures follow.
    page.get_by_test_id("stSelectbox").filter(has_text="统计时段").click()
    page.get_by_role("option", name="本年").click()
    page.get_by_text("本年情况").wait_for()
    wait_for_app(page)
    assert "range=year" in page.url
    assert _card(page, "cases") == _expected(demo_db_url, "year")["cases"]
    screenshot(page, "overview_year")
