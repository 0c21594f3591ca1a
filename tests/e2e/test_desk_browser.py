"""The expert desk in a real Chromium: a 报警 call with assist, saved as a case, seen-before and hot leads."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import login, screenshot, wait_for_app

pytestmark = pytest.mark.browser
CARD = "6222021234567890128"


def _hot_phone(url: str) -> tuple[str, int]:
    with make_engine(url).connect() as connection:
        return tuple(connection.execute(text(
            "SELECT value_norm, report_count FROM identifier WHERE kind = 'phone' ORDER BY report_count DESC LIMIT 1"
        )).one())


def _settle(page) -> None:
    page.wait_for_timeout(200)  # let the rerun that the action triggers start before waiting for its end
    wait_for_app(page)


def _click(page, name: str, nth: int = 0) -> None:
    page.get_by_role("button", name=name).nth(nth).click()
    _settle(page)


def test_officer_logs_a_report_call_that_becomes_a_case(page, live_server, demo_db_url, requests_seen):
    phone, reports = _hot_phone(demo_db_url)
    assert reports >= 3
    page.goto(f"{live_server.url}/desk")
    login(page, "desk")
    page.get_by_role("heading", name="专家席来电登记").wait_for()
    page.get_by_role("radio", name="报警").click()
    _settle(page)
    story = f"对方自称公安局民警，说我涉嫌洗钱，让我把钱转到安全账户{CARD}，对方电话{phone}，我被骗了12万元"
    page.get_by_role("textbox", name="案情简述").fill(story)
    page.get_by_role("textbox", name="案情简述").press("Control+Enter")
    _settle(page)
    page.get_by_text("建议类型：冒充公检法及政府机关类").wait_for()
    _click(page, "采用")
    while page.get_by_role("button", name="加入").count():
        _click(page, "加入")
    _click(page, "设为已损失")
    expect(page.get_by_role("textbox", name="已损失金额（元）")).to_have_value("120000")
    page.get_by_text(f"热点线索：电话号码 {phone}：此前").wait_for()  # 已有记录 flags the earlier reports
    page.get_by_role("combobox", name="涉及辖区").click()
    page.keyboard.type("武安")
    page.keyboard.press("Enter")
    _settle(page)
    page.get_by_role("radio", name="已被骗转立案").click()
    _settle(page)
    expect(page.get_by_role("combobox", name="诈骗类型")).to_have_value("冒充公检法及政府机关类")
    screenshot(page, "desk_form")
    _click(page, "保存登记")
    page.get_by_text("并转立案：ZX").wait_for()
    with make_engine(demo_db_url).connect() as connection:
        case = connection.execute(text(
            "SELECT f.loss_fen, f.fraud_type, u.name FROM fraud_case f JOIN unit u ON u.id = f.unit_id "
            "WHERE f.source = 'call' ORDER BY f.id DESC LIMIT 1")).one()
        linked = connection.execute(text(
            "SELECT COUNT(*) FROM identifier_link l JOIN identifier i ON i.id = l.identifier_id "
            "WHERE i.value_norm IN (:p, :c) AND l.case_id IS NOT NULL AND l.call_id IS NOT NULL"),
            {"p": phone, "c": CARD}).scalar()
    assert tuple(case) == (12_000_000, "fake_authority", "武安派出所")
    assert linked == 2

    page.get_by_role("tab", name="热点线索").click()
    page.get_by_role("tab", name="热点线索").wait_for()
    page.get_by_text(phone).first.wait_for()
    screenshot(page, "desk_hot_leads")


def _calls_under(url: str, form_key: str) -> list[int]:
    with make_engine(url).connect() as connection:
        return list(connection.execute(text("SELECT id FROM desk_call WHERE idempotency_key LIKE :k"),
                                       {"k": f"%-{form_key}"}).scalars())


def _pick(page, name: str) -> None:
    """Click a choice and see it taken: a click landing while a rerun redraws the form is lost, so click again."""
    choice = page.get_by_role("radio", name=name, exact=True).first
    for _ in range(4):
        if choice.is_checked():  # taken meanwhile: a second click on a segmented choice would clear it
            return
        choice.click()
        _settle(page)
        try:
            expect(choice).to_be_checked(timeout=3_000)
            return
        except AssertionError:
            pass
    expect(choice).to_be_checked()


def _fill_a_consultation(page) -> str:
    """A filled form (咨询, 咨询答复); returns its key from the address bar."""
    _pick(page, "咨询")
    _pick(page, "咨询答复")
    page.get_by_role("textbox", name="来电号码").fill("13912345670")
    page.get_by_role("textbox", name="来电号码").press("Enter")
    _settle(page)
    return page.url.split("form=")[1].split("&")[0]


@pytest.mark.parametrize("how", ["double_enter", "double_click"])
def test_a_filled_form_saves_one_call_however_often_it_is_sent(page, live_server, demo_db_url, requests_seen, how):
    page.goto(f"{live_server.url}/desk")
    login(page, "desk")
    form_key = _fill_a_consultation(page)
    submit = page.get_by_role("button", name="保存登记")
    if how == "double_enter":
        submit.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(150)
        page.keyboard.press("Enter")
    else:
        submit.dblclick()
    page.get_by_role("button", name="下一个来电").wait_for()
    _settle(page)
    page.wait_for_timeout(500)
    saved = _calls_under(demo_db_url, form_key)
    assert len(saved) == 1, saved
    expect(page.get_by_text(f"编号 {saved[0]}")).to_be_visible()
    # Reloading the page re-opens the same form: it names the saved call and saves nothing more.
    page.reload()
    wait_for_app(page)
    page.get_by_text(f"该登记已保存过（编号 {saved[0]}），未重复保存。").wait_for()
    assert _calls_under(demo_db_url, form_key) == saved
    page.get_by_role("button", name="保存登记").wait_for()  # and a fresh form for the next call
    assert form_key not in page.url


def test_a_late_interception_is_recorded_from_todays_calls_once_despite_a_double_click(page, live_server, demo_db_url,
                                                                                       requests_seen):
    import uuid
    from datetime import timedelta

    from services.desk import api as desk_api
    from services.desk.calls import CallDraft
    from services.shared.timeutil import now_utc
    from tests.conftest import actor_for_username
    from vocabulary import CallOutcome, CallType

    engine = make_engine(demo_db_url)
    saved = desk_api.save(engine, actor_for_username(demo_db_url, "desk"), CallDraft(
        idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=20), call_type=CallType.CONSULT,
        outcome=CallOutcome.DISSUADED, pending="3万", accounts=f"中国银行 {CARD}",
        narrative="对方自称客服，让我把钱转到指定账户，民警劝住了"))
    page.goto(f"{live_server.url}/desk")
    login(page, "desk")
    page.get_by_role("heading", name="专家席来电登记").wait_for()
    _settle(page)
    follow_up = page.get_by_text("补录止付 / 阻截")
    for _ in range(3):  # a tab click landing while the new form's rerun redraws the page is lost: click again
        page.get_by_role("tab", name="今日来电").click()
        try:
            follow_up.wait_for(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - not taken: click again
            _settle(page)
    picker = page.get_by_role("combobox", name="选择今日来电")
    for _ in range(3):  # a click landing while a rerun redraws the tab is lost: pick again
        picker.click()
        page.keyboard.type(f"第 {saved.call_id} 号")
        page.keyboard.press("Enter")
        _settle(page)
        try:
            page.get_by_role("textbox", name="网点").wait_for(timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - not taken: pick again
            pass
    expect(page.get_by_role("textbox", name="保护金额（元）")).to_have_value("30000.00")
    page.get_by_role("textbox", name="网点").fill("武安支行")
    screenshot(page, "desk_follow_up_interception")
    page.get_by_role("button", name="记录阻截").dblclick()
    # The form gone, what was made shown in its place (the one-run notice "已保存阻截记录" may already have gone with
    # the double click's second rerun).
    page.get_by_text(f"来电 {saved.call_id} 已记录阻截").wait_for()
    _settle(page)
    screenshot(page, "desk_follow_up_interception_saved")
    with engine.connect() as connection:
        made = connection.execute(text("SELECT COUNT(*) FROM interception WHERE call_id = :c"),
                                  {"c": saved.call_id}).scalar()
    engine.dispose()
    assert made == 1


# Every typing box of the page, marked; afterwards, the labels of those the browser has since drawn anew.
_MARK = """() => { window.__boxes = [...document.querySelectorAll(
    "[data-testid='stMain'] textarea, [data-testid='stMain'] input")]; }"""
_REDRAWN = """() => window.__boxes.filter((e) => !e.isConnected).map((e) => e.getAttribute('aria-label')
    || e.closest('[data-testid]')?.getAttribute('data-testid'))"""


def _redrawn_by(page, step) -> list[str]:
    page.evaluate(_MARK)
    step()
    _settle(page)
    return page.evaluate(_REDRAWN)


def test_no_box_is_redrawn_empty_by_the_reruns_of_taking_a_call(page, live_server, requests_seen):
    """A box drawn anew drops what was being typed into it while the rerun arrived (issue: a flaky CI run lost
    the story typed right after the first rerun after signing in; under load, a phone number typed straight after
    the story was lost 7 times in 8)."""
    page.goto(f"{live_server.url}/desk")
    login(page, "desk")
    phone = page.get_by_role("textbox", name="来电号码")
    story = page.get_by_role("textbox", name="案情简述")
    phones = page.get_by_role("textbox", name="诈骗电话（每行一个）")
    steps = {
        "the first rerun after signing in": lambda: (phone.fill("12"), phone.press("Enter")),
        "the assist panel appears": lambda: (story.fill(f"对方自称淘宝客服，让我下载瞩目APP，我转了5000元到{CARD}"),
                                             story.press("Control+Enter")),
        "an identifier is taken from it": lambda: page.get_by_role("button", name="加入").first.click(),
        "seen-before lines appear": lambda: (phones.fill("13800138000"), phones.press("Control+Enter")),
        "a save is refused": lambda: page.get_by_role("button", name="保存登记").click(),
        "the refusal's notice leaves": lambda: (phone.fill("13912345678"), phone.press("Enter")),
        "the assist panel leaves": lambda: (story.fill(""), story.press("Control+Enter")),
    }
    for name, step in steps.items():
        assert _redrawn_by(page, step) == [], name
    # And what it is for: a number typed straight after the story, while the story's rerun arrives, is kept.
    story.fill("对方说是京东金融客服，要帮我注销校园贷，让我把钱转到他给的账户")
    phones.fill("")
    phones.click()  # commits the story: the rerun that draws the assist panel starts now
    phones.press_sequentially("13800138000")
    _settle(page)
    expect(phones).to_have_value("13800138000")
