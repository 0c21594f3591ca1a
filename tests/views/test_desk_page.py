"""专家席来电登记 through the whole app (AppTest): assist, one-click confirmation, validation, saving."""

from sqlalchemy import text

from db.engine import make_engine

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
    at.segmented_control(key="desk_outcome").set_value(__import__("vocabulary").CallOutcome.TO_CASE).run()
    _button(at, "desk_submit").click().run()
    assert any("转立案" in s.value for s in at.success), [e.value for e in at.error]
    assert _count(demo_db_url, "SELECT COUNT(*) FROM fraud_case WHERE source = 'call'") == before + 1
    assert _count(demo_db_url, "SELECT MAX(loss_fen) FROM fraud_case WHERE source = 'call'") == 12_000_000
    assert at.text_area(key="desk_narrative").value == ""  # a fresh form for the next call


def test_form_key_in_the_url_survives_a_lost_session(app_as, demo_db_url):
    before = _count(demo_db_url, "SELECT COUNT(*) FROM desk_call")
    at = app_as("desk", "views/desk.py")
    form_key = at.query_params["form"][0] if isinstance(at.query_params["form"], list) else at.query_params["form"]
    at.text_input(key="desk_caller_phone").input("13912345678").run()
    _button(at, "desk_submit").click().run()
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before + 1
    # The acknowledgement was lost and the officer re-sends the same form from a new session.
    again = app_as("desk", "views/desk.py", form=form_key)
    assert any("未重复保存" in i.value for i in again.info)
    again.text_input(key="desk_caller_phone").input("13912345678").run()
    _button(again, "desk_submit").click().run()
    assert _count(demo_db_url, "SELECT COUNT(*) FROM desk_call") == before + 2  # a fresh key: a new call


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
