"""Typed notes on 打击战果 and 督导检查 pages: identifiers masked for roles that may not unmask, Markdown shown as typed."""

import shutil
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from db.engine import make_engine
from services.campaigns import api as campaigns_api
from services.campaigns.inspections import InspectionDraft
from services.shared.timeutil import shanghai_today
from services.strike import api as strike_api
from services.strike.results import StrikeEntry
from tests.conftest import actor_for_username

ID_NUMBER = "350602199001011234"
PHONE = "13812345678"
CARD = "6222020200112233445"
OUTSIDE = "http://203.0.113.7/t.png"
NOTE = f"线索：身份证 {ID_NUMBER}，手机 {PHONE}，卡号 {CARD}。![x]({OUTSIDE}) **急**"


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path):
    """A copy of the demo: these tests write."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _unit(url: str, code: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(text("SELECT id FROM unit WHERE code = :c"), {"c": code}).scalar_one()


def _cells(at) -> str:
    return " ".join(frame.value.to_string() for frame in at.dataframe)


def _rendered_markup(at) -> str:
    """Everything the page drew as Markdown or HTML (where a note must never end up)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return " ".join(parts) + " ".join(str(h.proto) for h in at.get("html"))


def _assert_masked_literal(at) -> None:
    cells = _cells(at)
    assert OUTSIDE in cells and "**急**" in cells  # the Markdown as typed, in a table cell
    assert ID_NUMBER not in cells and PHONE not in cells and CARD not in cells
    assert "138****5678" in cells
    assert OUTSIDE not in _rendered_markup(at)


def test_strike_note_is_masked_for_a_clerk_and_whole_for_a_leader(app_as, demo_db_url):
    leader = actor_for_username(demo_db_url, "leader")
    entry = StrikeEntry(unit_id=_unit(demo_db_url, "350605100"), result_date=shanghai_today(), caught=1, note=NOTE)
    strike_api.add_strike_result(make_engine(demo_db_url), leader, entry, uuid.uuid4().hex)
    _assert_masked_literal(app_as("clerk_wuan", "views/strike.py", range="today"))
    cells = _cells(app_as("leader", "views/strike.py", range="today"))
    assert ID_NUMBER in cells and CARD in cells and OUTSIDE in cells


def test_inspection_findings_are_masked_for_a_clerk_and_whole_for_a_leader(app_as, demo_db_url):
    engine = make_engine(demo_db_url)
    leader = actor_for_username(demo_db_url, "leader")
    with engine.connect() as connection:
        campaign_id = connection.execute(text(
            "SELECT id FROM campaign ORDER BY start_date DESC, id DESC LIMIT 1")).scalar_one()
    today = shanghai_today()
    draft = InspectionDraft(campaign_id=campaign_id, unit_id=_unit(demo_db_url, "350605100"), visited_on=today,
                            inspector="督导组", findings=NOTE, fix_by=today + timedelta(days=7),
                            idempotency_key=uuid.uuid4().hex)
    campaigns_api.record_inspection(engine, leader, draft, [])
    _assert_masked_literal(app_as("clerk_wuan", "views/campaign_inspections.py"))
    cells = _cells(app_as("leader", "views/campaign_inspections.py"))
    assert ID_NUMBER in cells and PHONE in cells and OUTSIDE in cells
