"""A small unit tree with users for the 打击挽损 tests."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from db.engine import write_session
from db.models import AppUser, Unit
from services.access.actor import Actor
from services.units.tree import add_unit
from vocabulary import Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


@pytest.fixture
def world(engine):
    """C 市局 → D 长泰 → WA 武安, YX 岩溪; C → D2 芗城 → XC 西桥. Users: desk (C), changtai (D), clerk (WA), leader (C)."""
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        add_unit(session, code="WA", name="武安派出所", kind="station", parent_code="D")
        add_unit(session, code="YX", name="岩溪派出所", kind="station", parent_code="D")
        add_unit(session, code="D2", name="芗城区公安分局", kind="district_bureau", parent_code="C")
        add_unit(session, code="XC", name="西桥派出所", kind="station", parent_code="D2")
        ids = {u.code: u.id for u in session.execute(select(Unit)).scalars()}
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in (("desk", Role.DESK, "C"), ("changtai", Role.LEADER, "D"),
                                 ("clerk", Role.CLERK, "WA"), ("leader", Role.LEADER, "C"),
                                 ("clerk_xc", Role.CLERK, "XC")):
            user = AppUser(username=name, display_name=name, role=role.value, unit_id=ids[code], created_at=NOW)
            session.add(user)
            session.flush()
            unit = units[code]
            actors[name] = Actor(user.id, name, name, role, unit.id, unit.path, unit.name, "127.0.0.1")
    return engine, actors, ids
