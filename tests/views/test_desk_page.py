"""专家席来电登记 through the whole app (AppTest): assist, one-click confirmation, validation, saving."""

from sqlalchemy import text

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
    assert any("冒充公检法" in m.value and "安全账户" in m.value for m in at.markdown)
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
