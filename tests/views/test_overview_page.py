"""The 总览 page through the whole app (AppTest), against the database, per role and scope."""

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import text

from db.engine import make_engine
from services.shared.money import format_wan
from services.shared.timeutil import month_to_date, today_period


def _totals(url: str, period, unit_code: str | None = None) -> tuple[int, int]:
    scope = ""
    if unit_code:
        scope = "AND unit_id IN (SELECT id FROM unit WHERE path LIKE (SELECT path FROM unit WHERE code = :c) || '%')"
    with make_engine(url).connect() as connection:
        row = connection.execute(
            text(f"SELECT COUNT(*), COALESCE(SUM(loss_fen), 0) FROM fraud_case "
                 f"WHERE reported_at >= :s AND reported_at < :e {scope}"),
            {"s": period.start.strftime("%Y-%m-%d %H:%M:%S"), "e": period.end.strftime("%Y-%m-%d %H:%M:%S"),
             "c": unit_code},
        ).one()
    return int(row[0]), int(row[1])


def test_login_form_when_signed_out(app_as):
    at = app_as(None)
    assert at.title[0].value == "登录反诈指挥台"
    assert not at.metric


def test_overview_shows_the_database_figures(app_as, demo_db_url):
    at = app_as("leader")
    now = datetime.now(UTC)
    month_cases, month_loss = _totals(demo_db_url, month_to_date(now))
    today_cases, _ = _totals(demo_db_url, today_period(now))
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics[0] == ("案件数（起）", f"{today_cases:,}")
    assert metrics[5] == ("案件数（起）", f"{month_cases:,}")
    assert metrics[6] == ("损失金额（万元）", format_wan(month_loss))
    assert month_cases > 0


def test_overview_marks_demo_data_and_lists_districts(app_as):
    at = app_as("leader")
    assert any("演示数据" in m.value and "badge" in m.value for m in at.markdown)
    frame = at.dataframe[0].value
    assert "长泰区公安分局" in frame["分局/县局"].tolist()
    assert frame["分局/县局"].iloc[-1] == "合计"
    districts = [name for name in frame["分局/县局"] if name.endswith(("分局", "县公安局"))]
    assert len(districts) == 11 and frame["分局/县局"].iloc[-1] == "合计"


def test_district_leader_sees_only_their_district(app_as, demo_db_url):
    at = app_as("changtai")
    month_cases, _ = _totals(demo_db_url, month_to_date(datetime.now(UTC)), "350605")
    assert at.metric[5].value == f"{month_cases:,}"
    stations = at.dataframe[0].value["派出所"].tolist()
    assert "武安派出所" in stations and "芗城区公安分局" not in stations


def test_url_naming_another_unit_does_not_widen_scope(app_as, demo_db_url):
    from tests.conftest import actor_for_username

    city_id = actor_for_username(demo_db_url, "leader").unit_id
    at = app_as("clerk_wuan", unit=str(city_id))
    assert "无权查看该单位的数据" in at.error[0].value
    assert not at.metric


def test_station_clerk_sees_own_station(app_as, demo_db_url):
    at = app_as("clerk_wuan")
    month_cases, _ = _totals(demo_db_url, month_to_date(datetime.now(UTC)), "350605100")
    assert at.metric[5].value == f"{month_cases:,}"
    branches = next(d.value for d in at.dataframe if "合计" in d.value.get("单位", pd.Series()).tolist())
    assert branches["单位"].tolist() == ["武安派出所", "合计"]


def test_overview_shows_the_open_accountability_items_of_the_scope(app_as, demo_db_url):
    from services.accountability.text import ACC_SUMMARY_OPEN

    with make_engine(demo_db_url).connect() as connection:
        expected = connection.execute(text(
            "SELECT COUNT(*) FROM accountability_item i JOIN unit u ON u.id = i.unit_id "
            "WHERE i.status <> 'closed' AND u.path LIKE (SELECT path FROM unit WHERE code = '350605') || '%'"
        )).scalar()
    assert expected > 0  # the demo raises items for its cases over 10万元
    at = app_as("changtai", "views/overview.py")
    shown = {m.label: m.value for m in at.metric}
    assert shown[ACC_SUMMARY_OPEN] == str(expected)


def test_a_clerk_is_told_first_what_the_unit_owes_a_leader_is_not(app_as):
    clerk = app_as("clerk_wuan", "views/overview.py")
    headings = [s.value for s in clerk.subheader]
    assert headings[0] == "本单位待办" and headings.index("本单位待办") < headings.index("今日")
    assert any("武安派出所：未关闭问责事项" in m.value for m in clerk.markdown)
    leader = app_as("leader", "views/overview.py")
    assert "本单位待办" not in [s.value for s in leader.subheader]
