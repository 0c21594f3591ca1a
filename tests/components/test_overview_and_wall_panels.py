"""总览 headline cards and the wall's 打击挽损 panel drawn in isolation: values, units and 两升两降 colours."""

import json
import re

from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

RED, GREEN, GREY = Metric.MetricColor.RED, Metric.MetricColor.GREEN, Metric.MetricColor.GRAY  # a drawn change's colour


def _block():
    from datetime import date

    from services.overview.board import Delta, Figure, HeadlineBlock, Measure
    from services.shared.timeutil import reporting_span

    values = {  # measure: (now, the same days last year, 环比 period)
        Measure.CASES: (12, 10, 12), Measure.LOSS: (1_999_999, 3_000_000, 0), Measure.INTERCEPTED: (0, 0, 0),
        Measure.INTERCEPTIONS: (0, 0, 0), Measure.DISSUADED: (1, 1, 1), Measure.CALLS: (5, 4, 6),
        Measure.SOLVED: (7, 4, 9), Measure.CAUGHT: (3, 5, 3), Measure.STOPPED: (12_300_000, 10_000_000, 0),
        Measure.FROZEN: (99_999_999, 0, 1), Measure.RETURNED: (0, 0, 0),
    }
    figures = tuple(Figure(m, now, Delta(ya, now, m), Delta(prev, now, m)) for m, (now, ya, prev) in values.items())
    return HeadlineBlock(reporting_span("month", date(2026, 11, 28)), figures)


def _cards_app(block):
    from components.overview_panels import headline_cards
    from services.overview.board import STRIKE_MEASURES

    headline_cards(block, key="strike", figures=block.row(STRIKE_MEASURES))


def test_strike_cards_show_units_wan_and_colour_solved_up_as_good():
    at = AppTest.from_function(_cards_app, args=(_block(),)).run()
    assert not at.exception
    shown = {m.label: (m.value, m.delta, m.proto.color) for m in at.metric}
    assert list(shown) == ["破案数（起）", "抓获数（人）", "止付金额（万元）", "冻结金额（万元）", "返还金额（万元）"]
    assert shown["破案数（起）"][:2] == ("7", "+3（+75.0%）")
    assert shown["止付金额（万元）"][:2] == ("12.30", "+2.30（+23.0%）")
    assert shown["冻结金额（万元）"][:2] == ("99.99", "+99.99（新增）")  # 999,999.99 元: never shown as 100.00
    colours = {label: colour for label, (_, _, colour) in shown.items()}
    assert colours == {"破案数（起）": GREEN, "抓获数（人）": RED,  # 破案 up: good; 抓获 down (5 → 3): bad
                       "止付金额（万元）": GREY, "冻结金额（万元）": GREY, "返还金额（万元）": GREY}
    captions = [c.value for c in at.caption]
    assert "同比（较去年同期）：4→7，+3（+75.0%）" in captions and "环比（较上月同期）：9→7，-2（-22.2%）" in captions


def _case_cards_app(block):
    from components.overview_panels import headline_cards
    from services.overview.board import Measure

    headline_cards(block, key="main", figures=block.row([Measure.CASES, Measure.SOLVED, Measure.CALLS]))


def test_cases_and_solved_are_coloured_the_opposite_ways():
    at = AppTest.from_function(_case_cards_app, args=(_block(),)).run()
    assert [m.proto.color for m in at.metric] == [RED, GREEN, GREY]  # 发案 up, 破案 up, 来电 (no direction)


def _wall_app(block):
    from types import SimpleNamespace

    from components.wall_panels import strike_panel

    strike_panel(SimpleNamespace(headline=SimpleNamespace(blocks=(block, block))))


def test_the_wall_strike_panel_colours_and_values():
    from components.wall_panels import BAD, GOOD, NEUTRAL

    at = AppTest.from_function(_wall_app, args=(_block(),)).run()
    assert not at.exception
    panel = str(at.get("html")[0].proto.body)
    cells = {row: re.findall(r"<td>(.*?)</td>", re.search(f'<tr data-row="{row}">(.*?)</tr>', panel).group(1))
             for row in ("month", "yoy", "mom")}
    assert cells["month"] == ["本月", "7", "3", "12.30", "99.99", "0.00"]
    solved, caught, stopped, frozen, returned = cells["yoy"][1:]
    assert f"color:{GOOD}" in solved and "▲+75.0%" in solved  # 破案 up: good
    assert f"color:{BAD}" in caught and "▼-40.0%" in caught  # 抓获 down: bad
    assert f"color:{NEUTRAL}" in stopped and "新增" in frozen and "持平" in returned
    assert f"color:{BAD}" in cells["mom"][1]  # 破案 9 → 7
    assert "personal" not in panel and "<script" not in panel


def _leads_app(leads):
    from components.wall_panels import leads_panel

    leads_panel(leads)


def test_the_wall_leads_panel_marks_a_suspended_number_and_escapes_text():
    from services.wall.read import Lead

    leads = [Lead("手机号", "138****1111", 5, suspended=True), Lead("银行账户", "<b>6222</b>", 3)]
    at = AppTest.from_function(_leads_app, args=(leads,)).run()
    assert not at.exception
    panel = str(at.get("html")[0].proto.body)
    rows = re.findall(r"<div>(.*?)</div>", panel)
    assert "已封停" in rows[0] and "5 次" in rows[0]
    assert "已封停" not in rows[1] and "&lt;b&gt;6222&lt;/b&gt;" in rows[1] and "<b>" not in panel


def test_wall_types_chart_says_when_the_month_has_no_case_yet():
    def draw(rows):
        from components.wall_panels import types_chart
        types_chart(rows)

    from services.overview.board import TypeRow

    empty = AppTest.from_function(draw, args=([],)).run()
    figure = json.loads(empty.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["本月暂无案件"]
    some = AppTest.from_function(draw, args=([TypeRow("investment", "虚假网络投资理财类", 3, 100)],)).run()
    assert "annotations" not in json.loads(some.get("plotly_chart")[0].proto.spec)["layout"]
