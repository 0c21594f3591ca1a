"""Render helpers drawn in isolation with AppTest.from_function."""

from streamlit.testing.v1 import AppTest


def _measures_app():
    from components.metrics import measure_cards
    from services.overview.read import Measures

    measure_cards(Measures(cases=1234, loss_fen=123_456_789, recovered_fen=10_000_000, calls=56, dissuaded=7), key="m")


def test_measure_cards_show_units_and_wan():
    at = AppTest.from_function(_measures_app).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown == {
        "案件数（起）": "1,234", "损失金额（万元）": "123.46", "挽回金额（万元）": "10.00",
        "专家席来电（次）": "56", "劝阻成功（次）": "7",
    }


def _table_app():
    from components.tables import branch_table
    from services.overview.read import BranchRow, Measures

    rows = [BranchRow(1, "芗城区公安分局", Measures(10, 2_000_000), Measures(8, 1_000_000)),
            BranchRow(2, "长泰区公安分局", Measures(3, 0), Measures(0, 0))]
    branch_table(rows, BranchRow(0, "合计", Measures(13, 2_000_000), Measures(8, 1_000_000)))


def test_branch_table_has_chinese_headers_changes_and_total():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame.columns)[:4] == ["分局/县局", "本月案件(起)", "上月同期(起)", "案件环比"]
    assert frame["案件环比"].tolist() == ["+25.0%", "新增", "+62.5%"]
    assert str(frame["本月损失(万元)"].iloc[0]) == "2.00"
    assert frame["分局/县局"].iloc[-1] == "合计"


def _seen_app():
    from components.desk_panels import seen_lines
    from services.desk.identifier_store import SeenBefore

    seen_lines([SeenBefore("phone", "13800002222", 1, 2, None, None, ["S1派出所", "S2派出所"], 500_000, 1),
                SeenBefore("qq", "12345678", 1, 0, None, None, ["S1派出所"], 0)])


def test_seen_lines_show_the_loss_in_scope_and_count_the_other_units_cases():
    at = AppTest.from_function(_seen_app).run()
    assert not at.exception
    hot, plain = at.error[0].value, at.markdown[-1].value
    assert "S1派出所、S2派出所" in hot and "本辖区关联损失 0.50 万元" in hot and "另有 1 起外单位案件，损失不显示" in hot
    assert "外单位" not in plain


def _case_panel_app():
    from datetime import UTC, datetime

    from components.case_panels import case_detail_panel
    from services.cases.read import CaseDetail, CaseRecord

    at = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    record = CaseRecord(1, "A-**1**", 1, at, None, "fake_authority", "open", 100, 0, 0, None, None, 30, None, None,
                        None, None, "![x](http://203.0.113.7/t.png) [官方通知](http://203.0.113.7) **急** :red[假]", at)
    case_detail_panel(CaseDetail(record, "武安派出所 *x*", "冒充公检法及政府机关类", "立案", "张*", [], True))


def test_case_panel_shows_typed_text_literally_never_as_markdown():
    at = AppTest.from_function(_case_panel_app).run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "![x](http://203.0.113.7/t.png) [官方通知](http://203.0.113.7) **急** :red[假]" in texts
    assert any("A-**1** · 武安派出所 *x*" in t for t in texts)
    assert not any("203.0.113.7" in m.value or "A-**1**" in m.value for m in at.markdown)
