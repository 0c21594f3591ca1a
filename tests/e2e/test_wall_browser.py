"""The wall in a real browser: device sign-in link, figures equal to the database, live refresh without a reload,
revocation within one refresh, no request leaving the host; screenshots at 1920×1080 and 3840×2160."""

import re
import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import make_engine, read_session
from db.models import DeskCall, FraudCase
from services.access.auth import actor_by_username
from services.cases import api as cases_api
from services.desk import api as desk_api
from services.desk.calls import CallDraft
from services.shared.timeutil import TODAY, reporting_span, shanghai_today, to_shanghai
from services.wall import api as wall_api
from services.wall.text import DEVICE_ENDED_REVOKED, DEVICE_LINK_INVALID
from tests.e2e.conftest import ARTIFACTS, LiveServer
from vocabulary import CallOutcome, CallType, FraudType

REFRESH = 3


@pytest.fixture(scope="module")
def wall_server(demo_db_url, tmp_path_factory):
    """A server of its own on a copy of the demo (this test writes cases and calls), refreshing every 3 s."""
    source = demo_db_url.removeprefix("sqlite:///")
    copy = tmp_path_factory.mktemp("wall") / "wall.db"
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(url, ARTIFACTS / "wall_streamlit.log", env={"FANZHA_WALL_REFRESH_SECONDS": str(REFRESH)})
    engine = make_engine(url)
    yield server, engine
    engine.dispose()
    server.stop()


def _actor(engine, username):
    with read_session(engine) as session:
        return actor_by_username(session, username, "127.0.0.1")


def _today_counts(engine) -> tuple[int, int]:
    span = reporting_span(TODAY, shanghai_today())
    with read_session(engine) as session:
        cases = session.execute(select(func.count()).select_from(FraudCase).where(
            FraudCase.reported_at >= span.current.start, FraudCase.reported_at < span.current.end)).scalar_one()
        calls = session.execute(select(func.count()).select_from(DeskCall).where(
            DeskCall.received_at >= span.current.start, DeskCall.received_at < span.current.end)).scalar_one()
    return cases, calls


def _shown(page, measure: str) -> int:
    text = page.inner_text(f'[data-row="today"] [data-measure="{measure}"] .wall-value')
    return int(re.sub(r"\D", "", text.split("/")[0]))


def _wait_charts(page) -> None:
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=60_000)
    page.wait_for_timeout(2_000)


def _boxes(page) -> dict:
    """On-screen boxes of the columns, the Plotly charts and the campaign ranking (left, top, right, bottom)."""
    return page.evaluate("""() => {
      const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
      return {columns: [...document.querySelectorAll('[data-testid=stColumn]')].map(box),
              charts: [...document.querySelectorAll('.js-plotly-plot .main-svg:first-child')].map(box),
              campaign: [...document.querySelectorAll('[data-testid=wall-campaign]')].map(box)}; }""")


def _inside(inner, outer) -> bool:
    return all(abs(a - b) <= 2 or cmp for a, b, cmp in (
        (inner[0], outer[0], inner[0] >= outer[0]), (inner[1], outer[1], inner[1] >= outer[1]),
        (inner[2], outer[2], inner[2] <= outer[2]), (inner[3], outer[3], inner[3] <= outer[3])))


def test_wall_by_device_link_live_refresh_and_revocation(wall_server, page, requests_seen):
    server, engine = wall_server
    admin = _actor(engine, "admin")
    device_id, token = wall_api.create_device(engine, admin, "指挥中心主屏", admin.unit_id, None)

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/_fanzha/wall?token={token}")
    page.wait_for_selector("[data-testid=wall-updated]", timeout=60_000)
    assert page.url.endswith("/wall") and token not in page.url  # the token leaves the address bar
    cookie = next(c for c in page.context.cookies() if c["name"] == "fanzha_wall_device")
    assert cookie["httpOnly"] and cookie["expires"] > (datetime.now(UTC) + timedelta(days=300)).timestamp()
    assert page.locator("[data-testid=stSidebar]").count() == 0
    assert page.get_by_text("退出登录").count() == 0 and page.get_by_text("修改密码").count() == 0

    cases, calls = _today_counts(engine)
    assert (_shown(page, "cases"), _shown(page, "calls")) == (cases, calls)
    _wait_charts(page)
    scroll = page.evaluate("[document.documentElement.scrollHeight, innerHeight, "
                           "document.querySelector('[data-testid=stMain]').scrollHeight]")
    assert scroll[0] <= scroll[1] and scroll[2] <= scroll[1], f"the wall scrolls: {scroll}"
    page.screenshot(path=str(ARTIFACTS / "wall_1920x1080.png"))
    small = _boxes(page)
    assert len(small["charts"]) == 2 and all(_inside(c, small["columns"][1]) for c in small["charts"])
    assert len(small["campaign"]) == 1 and _inside(small["campaign"][0], [0, 0, 1920, 1080])
    assert page.locator("[data-testid=wall-campaign] .r").count() >= 2  # units ranked: best and worst

    page.evaluate("window.__notReloaded = true")
    clerk, desk = _actor(engine, "clerk_wuan"), _actor(engine, "desk")
    now_local = to_shanghai(datetime.now(UTC)).replace(tzinfo=None, microsecond=0) - timedelta(minutes=1)
    cases_api.register(engine, clerk, case_no=f"WALL{uuid.uuid4().hex[:10]}", unit_id=clerk.unit_id,
                       reported_local=now_local, fraud_type=FraudType.REBATE, loss="1200")
    desk_api.save(engine, desk, CallDraft(idempotency_key=uuid.uuid4().hex,
                                          received_at=datetime.now(UTC) - timedelta(minutes=1),
                                          call_type=CallType.CONSULT, outcome=CallOutcome.ANSWERED))
    assert _today_counts(engine) == (cases + 1, calls + 1)
    page.wait_for_function(
        """([c, k]) => {
          const v = m => parseInt(document.querySelector(`[data-row="today"] [data-measure="${m}"] .wall-value`)
                                  .innerText.split('/')[0].replace(/\\D/g, ''));
          return v('cases') === c && v('calls') === k; }""",
        arg=[cases + 1, calls + 1], timeout=60_000)
    assert page.evaluate("window.__notReloaded === true")  # changed by the fragment, not by a reload

    tv = page.context.new_page()  # a 4K TV opening the wall (the device cookie is the browser's)
    tv.set_viewport_size({"width": 3840, "height": 2160})
    tv.goto(f"{server.url}/wall")
    tv.wait_for_selector("[data-testid=wall-updated]", timeout=60_000)
    _wait_charts(tv)
    big = tv.evaluate("[document.documentElement.scrollHeight, innerHeight]")
    assert big[0] <= big[1]
    tv.screenshot(path=str(ARTIFACTS / "wall_3840x2160.png"))
    big_boxes = _boxes(tv)  # the same layout at twice the size: charts inside their column, not cropped or doubled
    for chart, before in zip(big_boxes["charts"], small["charts"], strict=True):
        assert _inside(chart, big_boxes["columns"][1])
        assert all(abs(b - 2 * a) <= 4 for a, b in zip(before, chart, strict=True)), (before, chart)
    assert _inside(big_boxes["campaign"][0], [0, 0, 3840, 2160])
    tv.close()

    wall_api.revoke_device(engine, admin, device_id)
    page.get_by_text(DEVICE_ENDED_REVOKED).wait_for(timeout=60_000)
    assert page.locator("[data-testid=wall-updated]").count() == 0  # the message only, no figures
    assert page.evaluate("window.__notReloaded === true")
    page.reload()  # a TV restarted with the old cookie still shows only the message
    page.get_by_text(DEVICE_ENDED_REVOKED).wait_for(timeout=60_000)
    assert page.locator("[data-testid=wall-updated]").count() == 0
    answer = page.goto(f"{server.url}/_fanzha/wall?token={token}")
    assert answer.status == 403 and DEVICE_ENDED_REVOKED in page.inner_text("body")
    answer = page.goto(f"{server.url}/_fanzha/wall?token=wrong")
    assert answer.status == 403 and page.inner_text("body").strip() in {DEVICE_ENDED_REVOKED, DEVICE_LINK_INVALID}
