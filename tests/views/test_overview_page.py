"""The 总览 page through the whole app (AppTest), against the database, per role, scope and period."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from streamlit.proto.Metric_pb2 import Metric

from db.engine import make_engine
from services.shared.money import wan_figure
from services.shared.timeutil import reporting_span, shanghai_today

RED, GREEN, GREY = Metric.MetricColor.RED, Metric.MetricColor.GREEN, Metric.MetricColor.GRAY


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


def _metrics(at) -> dict[str, object]:
    return {m.label: m for m in at.metric}


def _today() -> date:
    return shanghai_today(datetime.now(UTC))


def test_login_form_when_signed_out(app_as):
    at = app_as(None)
    assert at.title[0].value == "登录反诈指挥台"
    assert not at.metric


def test_the_month_by_default_with_year_on_year_and_month_on_month(app_as, demo_db_url):
    at = app_as("leader")
    span = reporting_span("month", _today())
    cases, loss = _totals(demo_db_url, span.current)
    year_ago, _ = _totals(demo_db_url, span.year_ago)
    before, _ = _totals(demo_db_url, span.previous)
    metrics = _metrics(at)
    # In the first hours of a month 本月 may hold no case yet; its comparisons (whole days) still do.
    assert metrics["发案数（起）"].value == f"{cases:,}" and max(cases, year_ago, before) > 0
    assert metrics["损失（万元）"].value == f"{wan_figure(loss):,}"
    captions = [c.value for c in at.caption]
    assert f"同比（较去年同期）：{year_ago:,}→{cases:,}" in "\n".join(captions)
    assert f"环比（较上月同期）：{before:,}→{cases:,}" in "\n".join(captions)
    assert at.subheader[0].value.startswith("本月") or "本月情况" in [s.value for s in at.subheader]


def test_the_range_lives_in_the_url_and_a_custom_range_is_counted(app_as, demo_db_url):
    today = _today()
    first, last = today - timedelta(days=9), today - timedelta(days=2)
    at = app_as("leader", range="custom", **{"from": first.isoformat(), "to": last.isoformat()})
    assert at.query_params["range"] == "custom" and at.query_params["from"] == first.isoformat()
    cases, _ = _totals(demo_db_url, reporting_span("custom", today, first, last).current)
    assert _metrics(at)["发案数（起）"].value == f"{cases:,}"
    at.selectbox(key="overview_range").set_value("year").run()
    assert at.query_params["range"] == "year" and "from" not in at.query_params
    year_cases, _ = _totals(demo_db_url, reporting_span("year", today).current)
    assert _metrics(at)["发案数（起）"].value == f"{year_cases:,}"
    assert not any(c.value.startswith("环比") for c in at.caption)  # 本年: only 同比


def test_a_custom_range_out_of_order_is_refused(app_as):
    today = _today()
    at = app_as("leader", range="custom", **{"from": today.isoformat(), "to": (today - timedelta(days=3)).isoformat()})
    assert any("开始日期不能晚于结束日期" in e.value for e in at.error)


def test_branches_with_total_row_and_changes(app_as):
    at = app_as("leader", range="week")
    frame = next(d.value for d in at.dataframe if "分局/县局" in d.value.columns)
    assert frame["分局/县局"].iloc[-1] == "合计"
    assert len([n for n in frame["分局/县局"] if n.endswith(("分局", "县公安局"))]) == 11
    assert {"发案数同比", "发案数环比", "损失同比", "损失环比"} <= set(frame.columns)
    assert frame["发案数(起)"].iloc[-1] == frame["发案数(起)"].iloc[:-1].sum()


def test_charts_are_drawn(app_as):
    at = app_as("leader", range="year")  # a span with cases whatever the day (本月 on the 1st may have none yet)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 2
    names = [trace["name"] for trace in charts[0]["data"]]
    assert names == ["本期·发案数（起）", "去年同期·发案数（起）", "本期·损失（万元）", "去年同期·损失（万元）"]
    assert charts[0]["layout"]["yaxis"]["title"]["text"] == "发案数（起）"
    assert charts[0]["layout"]["yaxis2"]["title"]["text"] == "损失（万元）"
    assert len(charts[0]["data"][0]["x"]) >= 30


def test_export_for_roles_that_may_and_not_for_others(app_as, demo_db_url):
    leader = app_as("leader")
    assert [b.label for b in leader.button if b.key and b.key.startswith("overview_export_")] == ["导出 Excel", "导出 CSV"]
    leader.button(key="overview_export_xlsx").click().run()
    assert not leader.exception
    assert leader.get("download_button")
    desk = app_as("desk", "views/overview.py")  # no EXPORT permission: the figures, no export
    assert _metrics(desk)["发案数（起）"].value
    assert not [b for b in desk.button if b.key and b.key.startswith("overview_export_")]


def test_district_leader_sees_only_their_district(app_as, demo_db_url):
    at = app_as("changtai")
    cases, _ = _totals(demo_db_url, reporting_span("month", _today()).current, "350605")
    assert _metrics(at)["发案数（起）"].value == f"{cases:,}"
    stations = next(d.value for d in at.dataframe if "派出所" in d.value.columns)["派出所"].tolist()
    assert "武安派出所" in stations and "芗城区公安分局" not in stations


def test_url_naming_another_unit_does_not_widen_scope(app_as, demo_db_url):
    from tests.conftest import actor_for_username

    city_id = actor_for_username(demo_db_url, "leader").unit_id
    at = app_as("clerk_wuan", unit=str(city_id))
    assert "无权查看该单位的数据" in at.error[0].value
    assert not [m for m in at.metric if m.label == "发案数（起）"]


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
    assert headings[0] == "本单位待办" and headings.index("本单位待办") < headings.index("本月情况")
    leader = app_as("leader", "views/overview.py")
    assert "本单位待办" not in [s.value for s in leader.subheader]


def _strike_totals(url: str, span, unit_code: str | None = None) -> dict[str, tuple[int, int]]:
    """破案, 抓获, 止付, 冻结, 返还 of a span: (now, the same days last year), counted in SQL written out here."""
    scope = "1 = 1"
    if unit_code:
        scope = "unit_id IN (SELECT id FROM unit WHERE path LIKE (SELECT path FROM unit WHERE code = :c) || '%')"
    queries = {
        "solved": "SELECT COUNT(*) FROM fraud_case WHERE solved_on >= :d1 AND solved_on <= :d2",
        "caught": "SELECT COALESCE(SUM(caught), 0) FROM strike_result WHERE result_date >= :d1 AND result_date <= :d2",
        **{name: f"SELECT COALESCE(SUM({name}_fen), 0) FROM recovery_request WHERE requested_at >= :s AND "
                 "requested_at < :e" for name in ("stopped", "frozen", "returned")},
    }
    shown = {}
    with make_engine(url).connect() as connection:
        for name, sql in queries.items():
            pair = []
            for period in (span.current, span.year_ago):
                pair.append(int(connection.execute(text(f"{sql} AND {scope}"), {
                    "d1": period.first_day.isoformat(), "d2": period.last_day.isoformat(),
                    "s": period.start.strftime("%Y-%m-%d %H:%M:%S"), "e": period.end.strftime("%Y-%m-%d %H:%M:%S"),
                    "c": unit_code}).scalar()))
            shown[name] = (pair[0], pair[1])
    return shown


def test_a_second_row_shows_solved_caught_and_the_ledger_with_year_on_year(app_as, demo_db_url):
    at = app_as("leader", range="year")
    totals = _strike_totals(demo_db_url, reporting_span("year", _today()))
    metrics = _metrics(at)
    assert "打击挽损" in [s.value for s in at.subheader]
    assert metrics["破案数（起）"].value == f"{totals['solved'][0]:,}" and totals["solved"][0] > 0
    assert metrics["抓获数（人）"].value == f"{totals['caught'][0]:,}" and totals["caught"][0] > 0
    for label, name in (("止付金额（万元）", "stopped"), ("冻结金额（万元）", "frozen"), ("返还金额（万元）", "returned")):
        assert metrics[label].value == f"{wan_figure(totals[name][0]):,}", label
    assert totals["frozen"][0] > 0
    captions = "\n".join(c.value for c in at.caption)
    assert f"同比（较去年同期）：{totals['solved'][1]:,}→{totals['solved'][0]:,}" in captions
    assert "不论何时接报" in captions and "申请止付时间" in captions
    # 两升两降: 破案/抓获 up is green, down red; the ledger's amounts have no direction (grey).
    colours = {m.label: m.proto.color for m in at.metric}
    for label, name in (("破案数（起）", "solved"), ("抓获数（人）", "caught")):
        now, before = totals[name]
        assert colours[label] == (GREEN if now > before else RED if now < before else GREY), label
    assert colours["止付金额（万元）"] == colours["冻结金额（万元）"] == GREY


def test_a_district_leader_sees_only_their_districts_strike_figures(app_as, demo_db_url):
    at = app_as("changtai")
    totals = _strike_totals(demo_db_url, reporting_span("month", _today()), "350605")
    metrics = _metrics(at)
    assert metrics["破案数（起）"].value == f"{totals['solved'][0]:,}"
    assert metrics["冻结金额（万元）"].value == f"{wan_figure(totals['frozen'][0]):,}"
