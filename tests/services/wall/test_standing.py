"""The wall's campaign ranking: the running campaign's ranking as the campaigns service computes it, read by the wall
role (VIEW_WALL, no VIEW_CAMPAIGNS), narrowed to the wall's unit, and nothing when no campaign runs."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import Campaign, Unit
from services.access.actor import AccessDenied
from services.access.auth import actor_by_username
from services.access.permissions import Permission
from services.campaigns import ranking
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.shared.timeutil import shanghai_today
from services.wall import api
from services.wall.standing import running_campaign_id, standing


@pytest.fixture
def demo(engine):
    load_demo(engine, DemoSpec(cases=1_500, seed=5, anchor=datetime.now(UTC)))
    return engine


def _actor(engine, username):
    with read_session(engine) as session:
        return actor_by_username(session, username, "127.0.0.1")


def test_wall_shows_the_running_campaigns_best_and_worst_units(demo):
    moment = datetime.now(UTC)
    wall, leader = _actor(demo, "wall"), _actor(demo, "leader")
    assert not wall.can(Permission.VIEW_CAMPAIGNS) and wall.unit_id == leader.unit_id
    shown = api.wall_standing(demo, wall, moment)
    assert shown is not None, "the demo runs a campaign today"
    today = shanghai_today(moment)
    with read_session(demo) as session:
        running = [c for c in session.execute(select(Campaign)).scalars() if c.start_date <= today <= c.end_date]
        campaign = max(running, key=lambda c: (c.start_date, c.id))
        expected = ranking.ranking(session, leader, campaign.id, today, moment)  # as the leader's 通报 page ranks
    rows = [(r.rank, r.unit_name, r.score) for r in expected.rows]
    assert len(rows) > 6 and shown.units_ranked == len(rows)
    assert shown.campaign_name == campaign.name and shown.month == today.replace(day=1)
    assert [(u.rank, u.unit_name, u.score) for u in shown.top] == rows[:3]
    assert [(u.rank, u.unit_name, u.score) for u in shown.bottom] == rows[-3:]
    assert shown.top[0].score >= shown.bottom[-1].score


def test_ranking_is_narrowed_to_the_walls_unit(demo):
    moment = datetime.now(UTC)
    wall = _actor(demo, "wall")
    with read_session(demo) as session:
        city = session.get(Unit, wall.unit_id)
        district = session.execute(select(Unit).where(Unit.code == "350605")).scalar_one()
        narrowed = standing(session, wall, district, moment)
        whole = standing(session, wall, city, moment)
        below = set(session.execute(select(Unit.name).where(Unit.path.startswith(district.path),
                                                            Unit.id != district.id)).scalars())
        districts = set(session.execute(select(Unit.name).where(Unit.parent_id == city.id)).scalars())
    # The city ranks its districts (which of them show as best and worst depends on the day's progress).
    assert district.name in districts and whole.top and {u.unit_name for u in whole.top + whole.bottom} <= districts
    assert narrowed is not None and narrowed.units_ranked == len(narrowed.top) + len(narrowed.bottom)
    assert {u.unit_name for u in narrowed.top + narrowed.bottom} <= below  # the district ranks its own units only


def test_nothing_when_no_campaign_runs(demo):
    wall = _actor(demo, "wall")
    later = datetime(2031, 6, 1, 4, tzinfo=UTC)
    with read_session(demo) as session:
        assert running_campaign_id(session, wall, shanghai_today(later)) is None
        assert standing(session, wall, session.get(Unit, wall.unit_id), later) is None


def test_ranking_still_refused_without_campaign_or_wall_permission(demo):
    desk = _actor(demo, "desk")  # neither VIEW_CAMPAIGNS nor VIEW_WALL
    with read_session(demo) as session:
        campaign_id = running_campaign_id(session, replace(desk, unit_path="/"), shanghai_today(datetime.now(UTC)))
        assert campaign_id is not None
        with pytest.raises(AccessDenied):
            ranking.ranking(session, desk, campaign_id, shanghai_today(datetime.now(UTC)))
