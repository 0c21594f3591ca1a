"""Login, shared links, lock-out, scope and masking in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine
from tests.e2e.conftest import DEMO_PASSWORD, login, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _unit_id(url: str, code: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(text("SELECT id FROM unit WHERE code = :c"), {"c": code}).scalar()


def test_login_page_and_shared_link_survives_login(page, live_server, requests_seen):
    shared = f"{live_server.url}/cases?type=fake_authority&band=ge10w"
    page.goto(shared)
    wait_for_app(page)
    page.get_by_text("登录反诈指挥台").wait_for()
    screenshot(page, "login")
    login(page, "leader")
    assert page.url.startswith(f"{live_server.url}/cases")
    assert "type=fake_authority" in page.url and "band=ge10w" in page.url
    page.get_by_role("heading", name="案件登记").wait_for()
    assert page.get_by_role("combobox", name="诈骗类型").input_value() == "冒充公检法及政府机关类"
    assert page.get_by_role("combobox", name="损失金额").input_value() == "10万元以上（含）"


def test_five_wrong_passwords_lock_the_account(page, live_server, requests_seen):
    page.goto(live_server.url)
    for _ in range(5):
        login(page, "command", "Wrong#Password1", succeeds=False)
    login(page, "command", succeeds=False)  # the right password is refused while locked, and says no more
    page.get_by_text("用户名或密码错误").wait_for()
    assert not page.get_by_text("账号已锁定").count()
    assert not page.get_by_text("案件数（起）").count()


def test_station_clerk_cannot_reach_another_station_by_url(page, live_server, demo_db_url, requests_seen):
    yanxi = _unit_id(demo_db_url, "350605101")
    page.goto(f"{live_server.url}/cases?unit={yanxi}")
    login(page, "clerk_wuan")
    page.get_by_text("无权查看该单位的数据").wait_for()
    page.goto(f"{live_server.url}/overview?unit={yanxi}")
    wait_for_app(page)
    page.get_by_text("无权查看该单位的数据").wait_for()


def _personal_values(url: str) -> list[str]:
    with make_engine(url).connect() as connection:
        names = connection.execute(text("SELECT victim_name FROM fraud_case ORDER BY reported_at DESC LIMIT 200")).scalars().all()
        numbers = connection.execute(text(
            "SELECT value_norm FROM identifier WHERE kind IN ('phone', 'bank_account') LIMIT 500")).scalars().all()
    return [n for n in names if n and len(n) >= 2] + numbers


def test_wall_display_never_receives_an_unmasked_value(page, live_server, demo_db_url, frames, requests_seen):
    page.goto(live_server.url)
    wait_for_app(page)
    # The 大屏 account has no menus and no logout button: it is sent to the wall and nothing else.
    page.get_by_label("用户名", exact=True).fill("wall")
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("案件数（起）").first.wait_for()
    expect(page).to_have_url(re.compile(r"/wall(\?|$)"))
    page.goto(f"{live_server.url}/cases")  # any other address runs the wall, not the register
    page.get_by_text("案件数（起）").first.wait_for()
    expect(page).to_have_url(re.compile(r"/wall(\?|$)"))
    assert page.get_by_role("heading", name="案件登记").count() == 0
    assert page.locator(".st-key-logout").count() == 0
    leaked = [value for value in _personal_values(demo_db_url) if frames.contains(value)]
    assert frames.frames and leaked == []


def test_case_table_is_masked_before_it_reaches_the_browser(page, live_server, demo_db_url, frames, requests_seen):
    page.goto(f"{live_server.url}/cases?from=2000-01-01")
    login(page, "changtai")
    page.get_by_role("heading", name="案件登记").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "cases_masked")
    leaked = [value for value in _personal_values(demo_db_url) if frames.contains(value)]
    assert leaked == []
    assert any(re.search(rb"\xe5\xbc\xa0\*|[\x80-\xff]{3}\*", frame) for frame in frames.frames)


def test_first_request_after_start_to_a_view_url_still_needs_login(page, demo_db_url, tmp_path, requests_seen):
    from tests.e2e.conftest import LiveServer

    server = LiveServer(demo_db_url, tmp_path / "fresh.log")
    try:
        page.goto(f"{server.url}/cases")
        wait_for_app(page)
        page.get_by_text("登录反诈指挥台").wait_for()
        assert not page.get_by_text("案件登记").count()
    finally:
        server.stop()


def test_trusted_header_mode_takes_the_user_from_the_proxy(browser, demo_db_url, tmp_path):
    from tests.e2e.conftest import LOCAL_HOSTS, LiveServer

    server = LiveServer(demo_db_url, tmp_path / "trusted.log", env={"FANZHA_AUTH": "trusted_header"},
                        args=["--server.trustedUserHeaders", '{"X-Fanzha-User": "username"}'])
    seen: list[str] = []
    try:
        proxied = browser.new_context(extra_http_headers={"X-Fanzha-User": "changtai"})
        proxied.on("request", lambda request: seen.append(request.url))
        page = proxied.new_page()
        page.goto(server.url)
        wait_for_app(page)
        page.get_by_text("总览 · 长泰区公安分局").wait_for()
        assert not page.get_by_text("登录反诈指挥台").count()
        proxied.close()

        direct = browser.new_context()
        page = direct.new_page()
        page.goto(server.url)
        wait_for_app(page)
        page.get_by_text("未收到统一认证身份信息").wait_for()
        assert not page.get_by_text("案件数（起）").count()
        direct.close()
    finally:
        server.stop()
    from urllib.parse import urlparse

    assert all(urlparse(u).hostname in LOCAL_HOSTS for u in seen if u.startswith("http"))


def test_refresh_keeps_the_session_and_logout_ends_it(page, live_server, demo_db_url, requests_seen):
    page.goto(f"{live_server.url}/overview")
    login(page, "desk")
    page.reload()
    wait_for_app(page)
    page.locator(".st-key-logout").wait_for()  # still signed in after a refresh
    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("登录反诈指挥台").wait_for()
    page.reload()
    wait_for_app(page)
    page.get_by_text("登录反诈指挥台").wait_for()  # the old cookie no longer signs anyone in
    with make_engine(demo_db_url).connect() as connection:
        actions = connection.execute(text(
            "SELECT action FROM audit_log WHERE username = 'desk' ORDER BY id")).scalars().all()
    assert actions[-3:] == ["login", "session_resumed", "logout"]  # login, resume after refresh, logout
