"""The desk's 记录阻截 form and 今日来电's 阻截 column drawn in isolation (AppTest.from_function)."""

from streamlit.testing.v1 import AppTest


def _intercept_app():
    from datetime import datetime

    import streamlit as st

    from components.strike_panels import call_interception_form

    labels = {name: name for name in ("unit", "bank", "branch", "day", "time", "officer", "amount", "fraud_type",
                                      "payee", "payee_other", "outcome")} | {"submit": "记录阻截"}
    choices = {"unit": {1: "武安派出所", 2: "岩溪派出所"}, "fraud_type": {"fake_authority": "冒充公检法", "rebate": "刷单返利"},
               "payee": {7: "中国银行 6222 **** **** 0128", None: "不登记收款账户"},
               "outcome": {"stopped": "成功阻截", "failed": "未能阻截"}}
    defaults = {"unit": 2, "at": datetime(2026, 11, 28, 23, 59), "amount": "20000.00", "fraud_type": "fake_authority",
                "payee": 7, "outcome": "stopped"}
    values = call_interception_form(defaults, choices, st.session_state.get("errors", {}), key="f", labels=labels)
    if values is not None:
        st.session_state["values"] = values


def test_the_form_starts_from_the_call_and_returns_what_was_entered():
    at = AppTest.from_function(_intercept_app).run()
    assert not at.exception
    assert (at.selectbox(key="f_unit").value, at.selectbox(key="f_fraud_type").value, at.selectbox(key="f_payee").value,
            at.text_input(key="f_amount").value, at.radio(key="f_outcome").value) == (
        2, "fake_authority", 7, "20000.00", "stopped")
    assert (str(at.date_input(key="f_at_day").value), str(at.time_input(key="f_at_time").value)) == (
        "2026-11-28", "23:59:00")
    assert "values" not in at.session_state  # nothing until pressed
    at.text_input(key="f_branch").input("武安支行")
    at.button(key="FormSubmitter:f-记录阻截").click().run()
    values = at.session_state["values"]
    assert (values["unit"], values["branch"], values["payee"], values["payee_other"], values["amount"]) == (
        2, "武安支行", 7, "", "20000.00")
    assert str(values["at"]) == "2026-11-28 23:59:00"


def test_refusals_are_shown_under_their_fields():
    at = AppTest.from_function(_intercept_app)
    at.session_state["errors"] = {"branch_name": "请填写网点。", "amount": "请填写保护金额（大于 0）。", "form": "已记录"}
    at.run()
    assert [e.value for e in at.error] == ["请填写网点。", "请填写保护金额（大于 0）。", "已记录"]


def _calls_app():
    from datetime import UTC, datetime

    from components.desk_panels import calls_table
    from services.desk.calls import CallRow

    moment = datetime(2026, 11, 28, 2, tzinfo=UTC)
    calls_table([CallRow(5, moment, "咨询", None, "武安派出所", "冒充公检法", "劝阻成功", 0, 2_000_000, None, (9, 12)),
                 CallRow(4, moment, "咨询", None, "武安派出所", "", "咨询答复", 0, 0, None)])


def test_the_calls_table_names_the_interceptions_of_each_call():
    at = AppTest.from_function(_calls_app).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["阻截"].tolist() == ["已记录（第 9、12 号）", ""]
