"""The overview in a real Chromium: the numbers match the database and nothing leaves the host."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from db.engine import make_engine
from services.shared.money import format_wan
from services.shared.timeutil import month_to_date, today_period
from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _expected(url: str) -> dict[str, str]:
    now = datetime.now(UTC)
    result = {}
    with make_engine(url).connect() as connection:
        for name, period in (("today", today_period(now)), ("month", month_to_date(now))):
            bounds = {"s": period.start.strftime("%Y-%m-%d %H:%M:%S"), "e": period.end.strftime("%Y-%m-%d %H:%M:%S")}
            cases, loss, recovered = connection.execute(text(
                "SELECT COUNT(*), COALESCE(SUM(loss_fen), 0), COALESCE(SUM(recovered_fen), 0) FROM fraud_case "
                "WHERE reported_at >= :s AND reported_at < :e"), bounds).one()
            calls, dissuaded = connection.execute(text(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome = 'dissuaded' THEN 1 ELSE 0 END), 0) FROM desk_call "
                "WHERE received_at >= :s AND received_at < :e"), bounds).one()
            result[name] = [f"{cases:,}", format_wan(loss), format_wan(recovered), f"{calls:,}", f"{dissuaded:,}"]
    return result


def _card_values(page, key: str) -> list[str]:
    cards = page.locator(f".st-key-{key} [data-testid='stMetricValue']")
    return [text.strip() for text in cards.all_inner_texts()]


def test_overview_numbers_match_the_database(page, live_server, demo_db_url, requests_seen):
    page.goto(live_server.url)
    login(page, "leader")
    page.get_by_text("各分局/县局本月情况").wait_for()
    page.locator(".st-key-month_measures [data-testid='stMetricValue']").first.wait_for()
    wait_for_app(page)
    expected = _expected(demo_db_url)
    assert _card_values(page, "today_measures") == expected["today"]
    assert _card_values(page, "month_measures") == expected["month"]
    assert page.get_by_text("演示数据").first.is_visible()
    assert "反诈指挥台" in page.title()
    shot = screenshot(page, "overview")
    assert shot.stat().st_size > 20_000
