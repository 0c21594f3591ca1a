"""专家席来电登记 through the whole app (AppTest): assist, one-click confirmation, validation, saving."""

from sqlalchemy import text

from components.plain import escape_markdown
from db.engine import make_engine
from vocabulary import CallOutcome, CallType

CARD = "6222021234567890128"
STORY = f"对方自称公安局民警，说我涉嫌洗钱，让我转到安全账户{CARD}，对方电话13800001111，我被骗了12万元"


def _count(url: str, sql: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(text(sql)).scalar()


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_assist_proposes_and_nothing_is_filled_silently(app_as):
    at = app_as("desk", "views/desk.py")
    at.text_area(key="desk_narrative").input(STORY).run()
    assert at.selectbox(key="desk_fraud_type").value is None  # only proposed
    assert at.text_area(key="desk_phones").value == ""
    # Shown as plain text with the calibrated confidence (issue 16).
    assert any("冒充公检法" in t.value and "安全账户" in t.value and "置信度" in t.value for t in at.text)
    _button(at, "assist_type").click().run()
    assert at.selectbox(key="desk_fraud_type").value.value == "fake_authority"


def test_invalid_input_is_refused_at_the_field_and_nothing_saved(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM desk_call")
    at = app_as("desk", "views/desk.py")
    at.text_input(key="desk_caller_phone").input("12345").run()
    at.text_input(key="desk_lost").input("-100").run()
    _button(at, "desk_submit").click().run()
    messages = " ".join(e.value for e in at.error)
    assert "号码无效" in messages and "金额不能为负数" in messages
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before


def test_report_call_becomes_a_case(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM fraud_case WHERE source = 'call'")
    wuan = _count(demo_db_url, "SELECT id FROM unit WHERE code = '350605100'")
    at = app_as("desk", "views/desk.py")
    at.text_area(key="desk_narrative").input(STORY).run()
    _button(at, "assist_type").click().run()
    for button in [b for b in at.button if b.key.startswith("assist_id_")]:
        button.click().run()
    _button(at, "assist_lost_0").click().run()
    assert at.text_input(key="desk_lost").value == "120000"
    assert CARD in at.text_area(key="desk_accounts").value
    at.selectbox(key="desk_jurisdiction_unit_id").set_value(wuan).run()
    at.segmented_control(key="desk_call_type").set_value(CallType.REPORT).run()
    at.segmented_control(key="desk_outcome").set_value(CallOutcome.TO_CASE).run()
    _button(at, "desk_submit").click().run()
    assert any("转立案" in s.value for s in at.success), [e.value for e in at.error]
    assert _count(demo_db_url, "SELECT COUNT(*) FROM fraud_case WHERE source = 'call'") == before + 1
    assert _count(demo_db_url, "SELECT MAX(loss_fen) FROM fraud_case WHERE source = 'call'") == 12_000_000
    _button(at, "desk_next").click().run()
    assert at.text_area(key="desk_narrative").value == ""  # a fresh form for the next call


def test_form_key_in_the_url_survives_a_lost_session(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM desk_call")
    at = app_as("desk", "views/desk.py")
    form_key = at.query_params["form"][0] if isinstance(at.query_params["form"], list) else at.query_params["form"]
    _consult(at)
    _button(at, "desk_submit").click().run()
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before + 1
    # The acknowledgement was lost and the officer re-sends the same form from a new session.
    again = app_as("desk", "views/desk.py", form=form_key)
    assert any("未重复保存" in i.value for i in again.info)
    _consult(again)
    _button(again, "desk_submit").click().run()
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before + 2  # a fresh key: a new call


def _consult(at) -> None:
    at.segmented_control(key="desk_call_type").set_value(CallType.CONSULT).run()
    at.text_input(key="desk_caller_phone").input("13912345678").run()
    at.segmented_control(key="desk_outcome").set_value(CallOutcome.ANSWERED).run()


def test_the_saved_form_names_its_call_until_the_next_one(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM desk_call")
    at = app_as("desk", "views/desk.py")
    _consult(at)
    _button(at, "desk_submit").click().run()
    call_id = _count(demo_db_url, "SELECT MAX(id) FROM desk_call")
    assert [s.value for s in at.success] == [f"已保存来电登记（编号 {call_id}）。"]
    # The saved form is not a fresh one that a second Enter could save again: only its confirmation is left.
    assert "desk_submit" not in [b.key for b in at.button]
    at.run()
    assert [s.value for s in at.success] == [f"已保存来电登记（编号 {call_id}）。"]
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before + 1
    _button(at, "desk_next").click().run()
    assert at.text_input(key="desk_caller_phone").value == "" and not at.success
    assert at.segmented_control(key="desk_call_type").value is None


def test_a_caller_number_alone_is_not_a_call(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM desk_call")
    at = app_as("desk", "views/desk.py")
    at.text_input(key="desk_caller_phone").input("13912345678").run()
    _button(at, "desk_submit").click().run()
    messages = [e.value for e in at.error]
    assert "请选择来电类型。" in messages and "请填写案情简述或选择处置结果。" in messages
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before


def test_leaders_and_command_open_on_what_they_may_do(app_as):
    for role in ("leader", "command"):
        at = app_as(role, "views/desk.py")
        assert [t.label for t in at.tabs] == ["今日来电", "号码查询", "热点线索"]
        assert not any("无权" in i.value for i in at.info) and not at.exception


def _everything_shown(at) -> list[str]:
    return [str(getattr(e, "value", "")) for kind in ("markdown", "text", "info", "code", "exception") for e in
            getattr(at, kind)]


def test_search_shows_only_its_answer_no_stray_values(app_as):
    at = app_as("desk", "views/desk.py")
    at.text_input(key="desk_search").input("13900000000").run()
    shown = _everything_shown(at)
    assert "没有找到该号码的记录。" in shown
    assert "None" not in shown and not any("DeltaGenerator" in s or "Help" in s for s in shown)
    assert not at.get("help")


def _submit_form(at, form: str):
    return next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")).click().run()


def _forms(at) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("FormSubmitter:desk_intercept_")]


def test_record_interception_only_for_a_call_that_stopped_a_payment_saved_once(app_as, demo_db_url):
    at = app_as("desk", "views/desk.py")
    _consult(at)
    _button(at, "desk_submit").click().run()
    assert _forms(at) == []  # 咨询答复: nothing was stopped
    _button(at, "desk_next").click().run()
    at.segmented_control(key="desk_call_type").set_value(CallType.CONSULT).run()
    at.text_area(key="desk_narrative").input("对方自称公安，让我转账到安全账户，民警劝住了").run()
    at.text_input(key="desk_pending").input("2万").run()
    at.text_area(key="desk_accounts").input(f"中国银行 {CARD}").run()
    at.segmented_control(key="desk_outcome").set_value(CallOutcome.DISSUADED).run()
    _button(at, "desk_submit").click().run()
    call_id = _count(demo_db_url, "SELECT MAX(id) FROM desk_call")
    form = f"desk_intercept_{call_id}"
    assert _forms(at) == [f"FormSubmitter:{form}-记录阻截"]
    assert at.text_input(key=f"{form}_amount").value == "20000.00"  # the amount the caller was about to send
    assert "6222 **** **** 0128" in at.selectbox(key=f"{form}_payee").format_func(at.selectbox(key=f"{form}_payee").value)
    before = _count(demo_db_url, "SELECT COUNT(*) FROM interception")
    at.text_input(key=f"{form}_amount").input("约2万")
    _submit_form(at, form)  # no branch, an amount that is not one: refused at the fields, nothing saved
    messages = [e.value for e in at.error]
    assert "请填写网点。" in messages and "请填写保护金额（大于 0）。" in messages
    assert _count(demo_db_url, "SELECT COUNT(*) FROM interception") == before
    at.text_input(key=f"{form}_amount").input("20000")
    at.text_input(key=f"{form}_branch").input("武安支行")
    _submit_form(at, form)
    assert not at.exception
    assert any("已保存阻截记录" in s.value and "6222 **** **** 0128" in s.value for s in at.success)
    assert _count(demo_db_url, "SELECT COUNT(*) FROM interception") == before + 1
    assert _count(demo_db_url, f"SELECT amount_fen FROM interception WHERE call_id = {call_id}") == 2_000_000
    assert _forms(at) == [] and any("已记录阻截" in i.value for i in at.info)  # recorded: the form is gone
    at.run()
    assert _count(demo_db_url, "SELECT COUNT(*) FROM interception") == before + 1
    calls = next(d.value for d in at.dataframe if "阻截" in d.value.columns)
    assert calls[calls["编号"] == call_id].iloc[0]["阻截"].startswith("已记录（第 ")


def test_report_and_suspension_recorded_once_on_a_searched_number_and_shown_in_hot_leads(app_as, demo_db_url):
    # The most reported phone number with no 报送/封停 yet: at the top of the hot-lead list (it shows the first 100).
    identifier_id = _count(demo_db_url, "SELECT id FROM identifier WHERE kind = 'phone' AND report_count >= 3 "
                                        "AND id NOT IN (SELECT identifier_id FROM identifier_action) "
                                        "ORDER BY report_count DESC, last_seen_at DESC LIMIT 1")
    value = _count(demo_db_url, f"SELECT value_norm FROM identifier WHERE id = {identifier_id}")
    actions = f"SELECT COUNT(*) FROM identifier_action WHERE identifier_id = {identifier_id}"
    at = app_as("desk", "views/desk.py")
    at.text_input(key="desk_search").input(f"{value[:3]}-{value[3:7]}-{value[7:]}").run()
    form = f"desk_action_{identifier_id}"
    at.radio(key=f"{form}_kind").set_value("suspended")
    _button(at, f"FormSubmitter:{form}-保存报送/封停").click().run()
    assert "请填写报送机构或封停单位。" in [e.value for e in at.error]
    assert _count(demo_db_url, actions) == 0
    at.text_input(key=f"{form}_institution").input("中国移动漳州分公司")
    _button(at, f"FormSubmitter:{form}-保存报送/封停").click().run()
    assert any("已登记" in s.value and "封停" in s.value for s in at.success), [e.value for e in at.error]
    assert _count(demo_db_url, actions) == 1
    at.run()  # a rerun saves nothing again
    assert _count(demo_db_url, actions) == 1
    assert any(value in t.value and "已封停" in t.value and "中国移动漳州分公司" in t.value for t in at.text)
    tables = [t.value for t in at.table]
    hot = next(f for f in tables if "封停" in f.columns)
    assert hot[hot[escape_markdown("号码/账号")] == value].iloc[0]["封停"].startswith("已封停")  # st.table: escaped


def _save_call(at, outcome: CallOutcome, **fields: str) -> None:
    at.segmented_control(key="desk_call_type").set_value(CallType.REPORT).run()
    at.text_area(key="desk_narrative").input("对方自称客服，让我转账到指定账户").run()
    for field, value in fields.items():
        (at.text_area if field == "accounts" else at.text_input)(key=f"desk_{field}").input(value).run()
    at.segmented_control(key="desk_outcome").set_value(outcome).run()
    _button(at, "desk_submit").click().run()
    _button(at, "desk_next").click().run()  # on to the next caller: the saved call's panels leave the form tab


def test_follow_up_records_a_late_interception_and_stop_payment_for_earlier_calls_once(app_as, demo_db_url):
    at = app_as("desk", "views/desk.py")
    _save_call(at, CallOutcome.DISSUADED, pending="1.5万", accounts=f"中国银行 {CARD}")
    dissuaded = _count(demo_db_url, "SELECT MAX(id) FROM desk_call")
    _save_call(at, CallOutcome.LEAD_LOGGED, lost="6000", accounts=f"工商银行 {CARD}")
    lost = _count(demo_db_url, "SELECT MAX(id) FROM desk_call")
    _save_call(at, CallOutcome.ANSWERED)
    answered = _count(demo_db_url, "SELECT MAX(id) FROM desk_call")
    pick = at.selectbox(key="desk_today_follow_call")
    numbers = [int(option.split()[1]) for option in pick.options]  # "第 1801 号 · 23:36 · 报警 · 劝阻成功 · …"
    assert dissuaded in numbers and lost in numbers and answered not in numbers  # only the calls it applies to
    shown = pick.options[numbers.index(dissuaded)]
    assert "劝阻成功" in shown and "拟转账1.50 万元" in shown
    assert _forms(at) == []  # the form tab no longer offers the earlier calls' panels

    pick.set_value(dissuaded).run()
    form = f"desk_today_intercept_{dissuaded}"
    assert at.text_input(key=f"{form}_amount").value == "15000.00"
    at.text_input(key=f"{form}_branch").input("武安支行")
    before = _count(demo_db_url, "SELECT COUNT(*) FROM interception")
    _submit_form(at, form)
    assert not at.exception
    assert any("已保存阻截记录" in s.value for s in at.success)
    assert _count(demo_db_url, "SELECT COUNT(*) FROM interception") == before + 1
    assert _count(demo_db_url, f"SELECT COUNT(*) FROM interception WHERE call_id = {dissuaded}") == 1
    assert any(f"来电 {dissuaded} 已记录阻截" in i.value for i in at.info)

    at.selectbox(key="desk_today_follow_call").set_value(lost).run()
    stop = _button(at, f"desk_today_stop_payment_{lost}")
    stop.click().run()
    assert not at.exception
    assert _count(demo_db_url, f"SELECT COUNT(*) FROM recovery_request WHERE desk_call_id = {lost}") == 1
    assert not any(b.key == f"desk_today_stop_payment_{lost}" for b in at.button)
    at.run()  # a rerun requests nothing again
    assert _count(demo_db_url, f"SELECT COUNT(*) FROM recovery_request WHERE desk_call_id = {lost}") == 1
