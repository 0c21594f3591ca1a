"""Campaign follow-through in a real Chromium: a leader records a 督导 visit with a photo (a double click saves once),
the station's clerk marks it fixed, and the campaign item the station earned by missing two reports appears on
问责预警 with its reason and is explained by the clerk."""

import io
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import delete, select, text

from db.engine import make_engine, read_session, write_session
from db.models import AccountabilityItem, AppSetting, Campaign, CampaignReport, Unit
from services.campaigns import consequences
from services.shared.timeutil import shanghai_today
from tests.e2e.conftest import ARTIFACTS, LiveServer, login, screenshot, wait_for_app

pytestmark = pytest.mark.browser
EXPLANATION = "联络员调岗未交接，导致两期进展未报送；已指定专人负责并补报。"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _wuan_misses_the_last_two_reports(url: str) -> tuple[int, str]:
    """武安派出所 has sent neither of the last two reports due, and that checkpoint is not yet evaluated."""
    engine = make_engine(url)
    today = shanghai_today(datetime.now(UTC))
    with write_session(engine) as session:
        campaign = session.execute(select(Campaign).where(Campaign.start_date <= today, Campaign.end_date >= today)
                                   ).scalars().first()
        wuan = session.execute(select(Unit.id).where(Unit.name == "武安派出所")).scalar()
        passed = consequences.checkpoints(campaign, today)
        assert len(passed) >= 3, "the demo's running campaign needs three past report days"
        session.execute(delete(CampaignReport).where(CampaignReport.campaign_id == campaign.id,
                                                     CampaignReport.unit_id == wuan,
                                                     CampaignReport.period_number >= passed[-2].number))
        session.execute(delete(AccountabilityItem).where(AccountabilityItem.campaign_id == campaign.id,
                                                         AccountabilityItem.unit_id == wuan))
        memo = session.get(AppSetting, f"campaign_consequences:{campaign.id}")
        memo.value = passed[-2].due.isoformat()  # the latest checkpoint is evaluated when a page next loads
    engine.dispose()
    return wuan, f"missed:{passed[-1].number}"


@pytest.fixture(scope="module")
def followup(demo_db_url, tmp_path_factory) -> Iterator[tuple[LiveServer, str, int, str]]:
    copy = tmp_path_factory.mktemp("followup") / "demo.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    wuan, key = _wuan_misses_the_last_two_reports(url)
    server = LiveServer(url, ARTIFACTS / "streamlit_followup.log")
    yield server, url, wuan, key
    server.stop()


def _settle(page) -> None:
    for _ in range(3):
        page.wait_for_timeout(400)
        wait_for_app(page)


def _one(url: str, sql: str, **params):
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(text(sql), params).one()
    engine.dispose()
    return tuple(row)


def _pick(page, label: str, typed: str) -> None:
    """Choose an option of a Streamlit selectbox by typing it (the first match is taken)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def test_visit_fixed_and_campaign_item_explained(browser, followup, requests_seen):
    server, url, wuan, key = followup
    findings = f"E2E督导{uuid.uuid4().hex[:6]}：宣传栏内容过期"
    leader_context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN",
                                         timezone_id="Asia/Shanghai")
    leader = leader_context.new_page()
    leader.goto(f"{server.url}/campaign_inspections")
    login(leader, "leader")
    leader.goto(f"{server.url}/campaign_inspections")
    wait_for_app(leader)
    expect(leader.get_by_role("heading", name="督导检查", exact=True)).to_be_visible()
    _pick(leader, "被检查单位", "武安派出所")
    expect(leader.get_by_role("combobox", name="被检查单位")).to_have_value("武安派出所")
    leader.get_by_role("textbox", name="发现问题").fill(findings)
    leader.locator(".st-key-insp_uploader [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "督导现场.png", "mimeType": "image/png", "buffer": _png()}])
    leader.wait_for_timeout(500)
    leader.get_by_role("button", name="保存检查记录").dblclick()
    _settle(leader)
    inspections, photos = _one(url, "SELECT count(DISTINCT i.id), count(p.id) FROM campaign_inspection i LEFT JOIN "
                                    "inspection_photo p ON p.inspection_id = i.id WHERE i.findings = :f", f=findings)
    assert (inspections, photos) == (1, 1)
    expect(leader.locator("[data-testid='stAlert']", has_text="督导检查记录")).to_have_count(1)
    expect(leader.locator("[data-testid='stImage']").first).to_be_visible()
    screenshot(leader, "campaign_inspections_leader")
    leader.get_by_role("heading", name="督导检查记录").scroll_into_view_if_needed()
    screenshot(leader, "campaign_inspections_list")
    leader_context.close()

    (inspection_id,) = _one(url, "SELECT id FROM campaign_inspection WHERE findings = :f", f=findings)
    clerk_context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN",
                                        timezone_id="Asia/Shanghai")
    clerk = clerk_context.new_page()
    clerk.goto(f"{server.url}/campaign_inspections")
    login(clerk, "clerk_wuan")
    clerk.goto(f"{server.url}/campaign_inspections")
    wait_for_app(clerk)
    expect(clerk.get_by_role("button", name="保存检查记录")).to_have_count(0)
    _pick(clerk, "检查记录", f"第{inspection_id}号")
    clerk.get_by_role("textbox", name="整改说明").fill("已更换宣传栏内容，补录走访记录。")
    clerk.get_by_role("button", name="标记已整改").click()
    clerk.get_by_text(f"已标记第{inspection_id}号检查记录整改完成。").wait_for()
    assert _one(url, "SELECT fix_note FROM campaign_inspection WHERE id = :i", i=inspection_id) == \
        ("已更换宣传栏内容，补录走访记录。",)
    screenshot(clerk, "campaign_inspections_clerk_fixed")

    # Loading 问责预警 evaluates the latest checkpoint: 武安 missed the last two reports.
    clerk.goto(f"{server.url}/accountability")
    wait_for_app(clerk)
    engine = make_engine(url)
    with read_session(engine) as session:
        item = session.execute(select(AccountabilityItem).where(AccountabilityItem.unit_id == wuan,
                                                                AccountabilityItem.trigger_key == key)).scalar_one()
    engine.dispose()
    expect(clerk.get_by_role("heading", name="本单位待办")).to_be_visible()
    clerk.goto(f"{server.url}/accountability?item={item.id}")
    wait_for_app(clerk)
    expect(clerk.get_by_role("heading", name=f"问责事项 {item.id}：专项行动")).to_be_visible()
    expect(clerk.get_by_text(f"事由：{item.reason}")).to_be_visible()
    screenshot(clerk, "accountability_campaign_item")
    clerk.get_by_role("textbox", name="情况说明").fill(EXPLANATION)
    expect(clerk.get_by_role("textbox", name="宣传防范工作倒查")).to_have_count(0)
    clerk.get_by_role("button", name="提交", exact=True).click()
    clerk.get_by_text("已完成：提交说明。").wait_for()
    _settle(clerk)
    assert _one(url, "SELECT status, explanation FROM accountability_item WHERE id = :i", i=item.id) == \
        ("submitted", EXPLANATION)
    screenshot(clerk, "accountability_campaign_item_submitted")
    clerk_context.close()
