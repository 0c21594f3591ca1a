"""The 总览 page through the whole app (AppTest), against the database."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from services.money import format_wan
from services.timeutil import month_to_date, today_period

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _totals(url: str, period) -> tuple[int, int]:
    with make_engine(url).connect() as connection:
        row = connection.execute(
            text("SELECT COUNT(*), COALESCE(SUM(loss_fen), 0) FROM fraud_case WHERE reported_at >= :s AND reported_at < :e"),
            {"s": period.start.strftime("%Y-%m-%d %H:%M:%S"), "e": period.end.strftime("%Y-%m-%d %H:%M:%S")},
        ).one()
    return int(row[0]), int(row[1])


def _run(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_the_database_figures(monkeypatch, demo_db_url):
    at = _run(monkeypatch, demo_db_url)
    now = datetime.now(UTC)
    month_cases, month_loss = _totals(demo_db_url, month_to_date(now))
    today_cases, _ = _totals(demo_db_url, today_period(now))
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics[0] == ("案件数（起）", f"{today_cases:,}")
    assert metrics[5] == ("案件数（起）", f"{month_cases:,}")
    assert metrics[6] == ("损失金额（万元）", format_wan(month_loss))
    assert month_cases > 0


def test_overview_marks_demo_data_and_lists_districts(monkeypatch, demo_db_url):
    at = _run(monkeypatch, demo_db_url)
    assert any("演示数据" in m.value and "badge" in m.value for m in at.markdown)
    frame = at.dataframe[0].value
    assert "长泰区公安分局" in frame["分局/县局"].tolist()
    assert frame["分局/县局"].iloc[-1] == "合计"
    assert len(frame) == 13  # 11 district bureaus, the command centre (calls), the total


def test_empty_database_explains_what_to_do(monkeypatch, tmp_path):
    at = _run(monkeypatch, f"sqlite:///{tmp_path / 'empty.db'}")
    assert "fanzha demo" in at.info[0].value
    assert not at.dataframe
