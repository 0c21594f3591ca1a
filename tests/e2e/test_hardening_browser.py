"""Security hardening in a real Chromium: HttpOnly cookie, CSP, open tabs re-checked, narratives as masked plain text."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine, write_session
from services.access import auth
from tests.e2e.conftest import LiveServer, login, screenshot, wait_for_app
from vocabulary import Role

pytestmark = pytest.mark.browser

ID_NUMBER = "350602199001011234"
VICTIM_PHONE = "13812345678"
CARD = "6222020200112233445"
OUTSIDE_IMAGE = "http://203.0.113.7/t.png"
NARRATIVE = (f"受害人张三丰，身份证 {ID_NUMBER}，手机 {VICTIM_PHONE}，向 {CARD} 转账。对方又打 {VICTIM_PHONE}，"
             f"让她再转到 {CARD}。![x]({OUTSIDE_IMAGE}) [官方通知](http://203.0.113.7/n) **急** :red[假]")


def _csp_errors(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m]


def test_session_cookie_is_httponly_and_pages_run_under_the_csp(page, live_server, requests_seen):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    answer = page.goto(f"{live_server.url}/overview")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    login(page, "leader")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "fanzha_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert "fanzha_session" not in page.evaluate("document.cookie")  # no script on the page can read it
    for view in ("overview", "map", "cases", "desk", "accountability"):
        page.goto(f"{live_server.url}/{view}")
        wait_for_app(page)
        page.locator(".st-key-logout").wait_for()
    assert _csp_errors(console) == []


def test_a_forged_or_used_code_gets_no_cookie(page, live_server):
    page.goto(live_server.url)
    wait_for_app(page)
    status = page.evaluate("""async () => (await fetch('/_fanzha/session', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({code: 'forged'})})).status""")
    assert status == 403
    assert not [c for c in page.context.cookies() if c["name"] == "fanzha_session"]


def _new_user(url: str, username: str) -> int:
    engine = make_engine(url)
    with write_session(engine) as session:
        unit_id = session.execute(text("SELECT id FROM unit WHERE code = '350605100'")).scalar()
        auth.create_user(session, None, username=username, display_name="复核测试", role=Role.CLERK,
                         unit_id=unit_id, password="Xq7#kLm2Vb9!")
        user_id = session.execute(text("SELECT id FROM app_user WHERE username = :u"), {"u": username}).scalar()
    engine.dispose()
    return user_id


@pytest.mark.parametrize("change, message", [
    ("disable", "账号已停用，登录已结束"),
    ("reset", "您的登录已被结束"),
])
def test_an_open_tab_is_signed_out_when_its_sign_in_ends(page, demo_db_url, tmp_path, change, message):
    username = f"recheck_{change}"
    user_id = _new_user(demo_db_url, username)
    server = LiveServer(demo_db_url, tmp_path / "recheck.log", env={"FANZHA_SESSION_CHECK_SECONDS": "2"})
    try:
        page.goto(f"{server.url}/cases")
        login(page, username, "Xq7#kLm2Vb9!")
        engine = make_engine(demo_db_url)
        with write_session(engine) as session:
            if change == "disable":
                auth.set_active(session, None, user_id, False)
            else:
                auth.reset_password(session, None, user_id, "Tr4$wQz8Np1!")
        engine.dispose()
        started = time.monotonic()
        try:
            page.get_by_text(message).wait_for(timeout=15_000)  # untouched: the tab's own check ends it
        except Exception:
            screenshot(page, f"recheck-{change}")
            raise
        assert time.monotonic() - started < 15
        page.get_by_text("登录反诈指挥台").wait_for()
        page.reload()
        wait_for_app(page)
        page.get_by_text("登录反诈指挥台").wait_for()  # and the cookie no longer signs anyone in
    finally:
        server.stop()


def test_a_narrative_is_plain_masked_text_and_fetches_nothing(page, live_server, demo_db_url, frames, requests_seen):
    engine = make_engine(demo_db_url)
    with engine.begin() as connection:
        case_id, case_no, before, victim = connection.execute(text(
            "SELECT c.id, c.case_no, c.summary, c.victim_name FROM fraud_case c JOIN unit u ON u.id = c.unit_id "
            "WHERE u.code = '350605100' ORDER BY c.id LIMIT 1")).one()
        connection.execute(text("UPDATE fraud_case SET summary = :s, victim_name = '张三丰' WHERE id = :id"),
                           {"s": NARRATIVE, "id": case_id})
    try:
        page.goto(f"{live_server.url}/cases?case={case_id}")
        login(page, "clerk_wuan")
        page.get_by_text(case_no).first.wait_for()
        shown = page.get_by_text("![x](").first
        shown.wait_for()
        literal = shown.inner_text()
        assert OUTSIDE_IMAGE in literal and "**急** :red[假]" in literal
        assert ID_NUMBER not in literal and VICTIM_PHONE not in literal and CARD not in literal
        assert "张三丰" not in literal and "138****5678" in literal
        assert page.locator("img[src*='203.0.113.7']").count() == 0
        assert page.locator("a[href*='203.0.113.7']").count() == 0
        screenshot(page, "case_narrative_masked")
        for secret in (ID_NUMBER, VICTIM_PHONE, CARD):
            assert not frames.contains(secret)
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE fraud_case SET summary = :s, victim_name = :v WHERE id = :id"),
                               {"s": before, "v": victim, "id": case_id})
        engine.dispose()


def test_screen_readers_hear_chinese(page, live_server, requests_seen):
    page.goto(live_server.url)
    wait_for_app(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")  # no wait_for_function: the CSP forbids eval
    reveal = page.locator("[data-testid='stTextInputRootElement'] button").first
    expect(reveal).to_have_attribute("aria-label", "显示密码")
    reveal.click()
    expect(reveal).to_have_attribute("aria-label", "隐藏密码")
    login(page, "clerk_wuan")
    page.goto(f"{live_server.url}/case_import")
    wait_for_app(page)
    page.locator("[aria-label$=' 的说明']").first.wait_for()
    # Help icons drawn a frame later are relabelled on that frame's mutation: wait for it, then none may remain.
    expect(page.locator("[aria-label^='Help for']")).to_have_count(0)
    expect(page.locator("[aria-label='Show password'], [aria-label='Hide password']")).to_have_count(0)
    # Date ranges, time inputs, clear buttons and the uploader's 添加文件 button: no English label is left.
    for path in ("/cases?from=2026-01-01", "/campaign_log", "/strike"):
        page.goto(f"{live_server.url}{path}")
        wait_for_app(page)
        page.locator("[data-testid='stDateInput']").first.wait_for(state="attached")
        page.wait_for_timeout(500)  # the relabelling runs on the page's next mutation
        english = page.evaluate("""() => [...document.querySelectorAll('[aria-label], [title]')]
            .flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('title')])
            .filter((t) => t && /^[A-Za-z][A-Za-z .,'-]*$/.test(t.trim()))""")
        assert english == [], (path, english)


def test_the_hint_under_a_text_box_is_chinese(page, live_server, requests_seen):
    page.goto(f"{live_server.url}/desk")
    login(page, "desk")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="来电号码")
    box.click()
    box.press_sequentially("139")  # a changed value: Streamlit shows its "Press Enter to apply" (or "… submit form")
    expect(page.get_by_text(re.compile(r"^按回车键(提交|确认)$")).first).to_be_visible()
    assert page.get_by_text("Press Enter", exact=False).count() == 0
    story = page.get_by_role("textbox", name="案情简述")
    story.click()  # commits the number: let its rerun end (that it redraws no box is test_desk_browser's)
    page.wait_for_timeout(200)
    wait_for_app(page)
    story.press_sequentially("对方")
    expect(page.get_by_text(re.compile(r"^按 (⌘|Ctrl)\+回车键(提交|确认)$")).first).to_be_visible()
    assert page.get_by_text("Enter to", exact=False).count() == 0
