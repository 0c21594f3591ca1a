"""问责预警 in a real Chromium: a clerk explains, a leader returns, the clerk resubmits, the leader closes; audited."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from db.engine import make_engine, write_session
from services.cases.write import NewCase, create_case
from services.shared.timeutil import now_utc
from tests.conftest import actor_for_username
from tests.e2e.conftest import RequestLog, login, screenshot, wait_for_app
from vocabulary import FraudType

pytestmark = pytest.mark.browser
ATTACHMENT = b"%PDF-1.4\n% e2e accountability attachment\n"
FIRST = "案发前本所未对该小区开展上门宣传，已组织民警补课并逐户走访。"
SECOND = "补充说明：已于本周完成小区反诈宣传三次，覆盖居民四百余人，并建立回访台账。"
RETURN_REASON = "未说明整改时限和责任人，请补充。"
CLOSE_NOTE = "整改措施已落实，同意关闭。"


def _settle(page) -> None:
    page.wait_for_timeout(250)  # let the rerun that the action triggers start before waiting for its end
    wait_for_app(page)


def _new_item(url: str) -> tuple[int, str]:
    """A fresh 12万元 case of 武安派出所 saved by its clerk; returns the 10万 item raised with it."""
    engine = make_engine(url)
    clerk = actor_for_username(url, "clerk_wuan")
    case_no = f"E2EACC{uuid.uuid4().hex[:10].upper()}"
    with write_session(engine) as session:
        create_case(session, clerk, NewCase(case_no=case_no, unit_id=clerk.unit_id,
                                            reported_at=now_utc() - timedelta(hours=1),
                                            fraud_type=FraudType.REBATE, loss_fen=12_000_000))
    with engine.connect() as connection:
        item_id, level, status = connection.execute(text(
            "SELECT i.id, i.level, i.status FROM accountability_item i JOIN fraud_case f ON f.id = i.case_id "
            "WHERE f.case_no = :c"), {"c": case_no}).one()
    engine.dispose()
    assert (level, status) == ("l10w", "pending")
    return item_id, case_no


def _status(url: str, item_id: int) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text("SELECT status FROM accountability_item WHERE id = :i"),
                                   {"i": item_id}).scalar()
    engine.dispose()
    return value


def _open_item(page, url: str, item_id: int, status: str) -> None:
    page.goto(url)
    wait_for_app(page)
    _expect_status(page, item_id, status)


def _shown(page, value: str):
    """A text the item header shows (explanation, review note, closing note), not its copy in the history grid."""
    return page.locator("[data-testid='stText']").filter(has_text=value)


def _expect_status(page, item_id: int, status: str) -> None:
    page.get_by_role("heading", name=f"问责事项 {item_id}：").wait_for()
    expect(page.get_by_text(f"状态：{status}", exact=True)).to_be_visible()


def _new_context(browser, requests: RequestLog):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", accept_downloads=True)
    context.on("request", lambda request: requests.urls.append(request.url))
    context.on("page", lambda page: page.on("websocket", lambda ws: requests.urls.append(ws.url)))
    return context, context.new_page()


def _submit(page, item_id: int, explanation: str, attach: bool) -> None:
    box = page.get_by_role("textbox", name="情况说明")
    box.fill(explanation)
    if attach:
        with page.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT") as sent:
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
                files=[{"name": "整改记录.pdf", "mimeType": "application/pdf", "buffer": ATTACHMENT}])
        assert sent.value.ok
        page.locator("[data-testid='stFileUploader']").get_by_text("整改记录.pdf").wait_for()
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_text("已完成：提交说明。").wait_for()
    _settle(page)
    _expect_status(page, item_id, "已提交说明")


def _review(page, item_id: int, button: str, note: str, done: str, status: str) -> None:
    page.get_by_role("textbox", name="审核意见（退回时必填）").fill(note)
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_text(f"已完成：{done}。").wait_for()
    _settle(page)
    _expect_status(page, item_id, status)


def _history(page, last_note: str) -> list[list[str]]:
    """The rows of the item's 处理记录 (a canvas grid; its accessibility table carries the text)."""
    grid = page.locator("[data-testid='stDataFrame']").filter(
        has=page.locator("[role='columnheader']", has_text="办理人"))
    grid.locator("[role='gridcell']", has_text=last_note).wait_for(state="attached")  # redrawn after the rerun
    cells = grid.locator("[role='gridcell']").all_inner_texts()
    return [cells[i:i + 5] for i in range(0, len(cells), 5)]


def _attachments(url: str, item_id: int) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT filename, size, uploaded_by, content_type FROM accountability_attachment WHERE item_id = :i"),
            {"i": item_id}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _events(url: str, item_id: int) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT username, action, from_status, to_status, note FROM accountability_event "
            "WHERE item_id = :i ORDER BY at, id"), {"i": item_id}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _audit(url: str, item_id: int) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT username, action, detail FROM audit_log WHERE object_type = 'accountability_item' "
            "AND object_id = :i ORDER BY at, id"), {"i": str(item_id)}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_explanation_is_returned_resubmitted_and_closed_with_an_audit_trail(
        page, browser, live_server, demo_db_url, requests_seen):
    item_id, case_no = _new_item(demo_db_url)
    link = f"{live_server.url}/accountability?item={item_id}"

    # The clerk opens the item from a link and submits an explanation with an attachment.
    page.goto(link)
    login(page, "clerk_wuan")
    _expect_status(page, item_id, "待说明")
    expect(page.get_by_role("heading", name=f"问责事项 {item_id}：案件 {case_no}")).to_be_visible()
    expect(page.get_by_text("损失金额：12.00 万元", exact=False)).to_be_visible()
    assert page.get_by_role("button", name="审核通过").count() == 0  # a clerk does not review
    screenshot(page, "accountability-clerk-pending")
    _submit(page, item_id, FIRST, attach=True)
    expect(_shown(page, FIRST)).to_be_visible()
    expect(page.get_by_text("整改记录.pdf（41 B · clerk_wuan）")).to_be_visible()
    assert page.get_by_role("textbox", name="情况说明").count() == 0  # nothing more to submit while it is reviewed
    assert _status(demo_db_url, item_id) == "submitted"
    assert _attachments(demo_db_url, item_id) == [("整改记录.pdf", len(ATTACHMENT), "clerk_wuan", "application/pdf")]
    screenshot(page, "accountability-clerk-submitted")

    # The 长泰 leader, in a browser of their own, reads it and returns it with a reason.
    leader_requests = RequestLog()
    leader_context, leader = _new_context(browser, leader_requests)
    leader.goto(link)
    login(leader, "changtai")
    _expect_status(leader, item_id, "已提交说明")
    expect(_shown(leader, FIRST)).to_be_visible()
    with leader.expect_download() as download:
        leader.get_by_role("button", name="下载", exact=True).click()
        leader.get_by_role("button", name="保存“整改记录.pdf”").click()
    assert download.value.suggested_filename == "整改记录.pdf"
    assert download.value.path().read_bytes() == ATTACHMENT
    _review(leader, item_id, "退回", RETURN_REASON, "退回", "退回")
    expect(_shown(leader, RETURN_REASON)).to_be_visible()
    assert _status(demo_db_url, item_id) == "returned"
    screenshot(leader, "accountability-leader-returned")

    # The clerk sees the reason and resubmits (the form starts from the earlier text).
    _open_item(page, link, item_id, "退回")
    expect(_shown(page, RETURN_REASON)).to_be_visible()
    expect(page.get_by_role("textbox", name="情况说明")).to_have_value(FIRST)
    _submit(page, item_id, SECOND, attach=False)
    assert _status(demo_db_url, item_id) == "submitted"

    # The leader approves, then closes.
    _open_item(leader, link, item_id, "已提交说明")
    expect(_shown(leader, SECOND)).to_be_visible()
    _review(leader, item_id, "审核通过", "说明充分。", "审核通过", "已审核通过")
    leader.get_by_role("textbox", name="关闭说明").fill(CLOSE_NOTE)
    leader.get_by_role("button", name="关闭", exact=True).click()
    leader.get_by_text("已完成：关闭。").wait_for()
    _settle(leader)
    _expect_status(leader, item_id, "已关闭")
    assert leader.get_by_role("button", name="关闭", exact=True).count() == 0
    assert _status(demo_db_url, item_id) == "closed"
    expect(leader.get_by_text("关闭说明", exact=True)).to_be_visible()
    expect(_shown(leader, CLOSE_NOTE)).to_be_visible()
    history = _history(leader, CLOSE_NOTE)
    assert [row[1:] for row in history] == [
        ["clerk_wuan", "触发", "待说明", "损失 12.00 万元，达到“10万元以上”。"],
        ["clerk_wuan", "提交说明", "待说明 → 已提交说明", FIRST],
        ["changtai", "退回", "已提交说明 → 退回", RETURN_REASON],
        ["clerk_wuan", "提交说明", "退回 → 已提交说明", SECOND],
        ["changtai", "审核通过", "已提交说明 → 已审核通过", "说明充分。"],
        ["changtai", "关闭", "已审核通过 → 已关闭", CLOSE_NOTE],
    ]
    screenshot(leader, "accountability-leader-closed")
    leader_context.close()

    steps = [("clerk_wuan", "raised", None, "pending"), ("clerk_wuan", "submitted", "pending", "submitted"),
             ("changtai", "returned", "submitted", "returned"), ("clerk_wuan", "submitted", "returned", "submitted"),
             ("changtai", "approved", "submitted", "approved"), ("changtai", "closed", "approved", "closed")]
    events = _events(demo_db_url, item_id)
    assert [e[:4] for e in events] == steps
    assert [e[4] for e in events][1:] == [FIRST, RETURN_REASON, SECOND, "说明充分。", CLOSE_NOTE]
    assert len(_attachments(demo_db_url, item_id)) == 1  # the resubmission kept the first upload, added none

    # The administrator's audit page exports each step, by whom.
    admin_requests = RequestLog()
    admin_context, admin = _new_context(browser, admin_requests)
    admin.goto(f"{live_server.url}/audit")
    login(admin, "admin")
    admin.get_by_role("heading", name="审计日志").wait_for()
    admin.get_by_role("button", name="生成导出文件").click()
    _settle(admin)
    with admin.expect_download() as download:
        admin.get_by_role("button", name="下载 CSV").click()
    exported = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    trail = [(r["用户"], r["详情"]) for r in exported
             if r["对象类型"] == "问责事项" and r["对象ID"] == str(item_id)]
    labels = ["触发", "提交说明", "退回", "提交说明", "审核通过", "关闭"]
    assert trail == [(user, f"问责事项 {item_id}（案件 {case_no}）：{label}")
                     for (user, *_), label in zip(steps, labels, strict=True)]
    downloads = [(r["用户"], r["操作"], r["详情"]) for r in exported if r["对象类型"] == "问责附件"]
    assert ("changtai", "导出", f"下载问责附件“整改记录.pdf”（{case_no}）") in downloads
    assert [(u, a) for u, a, _ in _audit(demo_db_url, item_id)] == [
        ("clerk_wuan", "create"), *[(user, "update") for user, *_ in steps[1:]]]
    screenshot(admin, "accountability-audit")
    admin_context.close()
    assert leader_requests.foreign() == [] and admin_requests.foreign() == []
