"""Refresh-proof sessions: token in the browser, hash in the database, idle and absolute expiry."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import LoginSession
from services.access import auth
from services.access import login_sessions as sessions
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import Role

IDLE = timedelta(minutes=30)


@pytest.fixture
def signed_in(engine):
    with write_session(engine) as session:
        unit = add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        for name, role in (("desk1", Role.DESK), ("wall1", Role.WALL)):
            auth.create_user(session, None, username=name, display_name=name, role=role, unit_id=unit.id,
                             password="Strong#Pass9")
    tokens = {}
    for name in ("desk1", "wall1"):
        with write_session(engine) as session:
            actor = auth.authenticate(session, name, "Strong#Pass9", "10.0.0.1").actor
            tokens[name] = sessions.start(session, actor)
    return engine, tokens


def _resume(engine, token, minutes_later=0):
    with write_session(engine) as session:
        return sessions.resume(session, token, "10.0.0.2", IDLE, now=now_utc() + timedelta(minutes=minutes_later))


def test_token_resumes_the_same_user_and_only_its_hash_is_stored(signed_in):
    engine, tokens = signed_in
    assert _resume(engine, tokens["desk1"]).username == "desk1"
    with read_session(engine) as session:
        hashes = session.execute(select(LoginSession.token_hash)).scalars().all()
    assert tokens["desk1"] not in hashes and len(hashes) == 2


def test_unknown_or_ended_token_signs_nobody_in(signed_in):
    engine, tokens = signed_in
    assert _resume(engine, "forged-token") is None
    with write_session(engine) as session:
        sessions.end(session, tokens["desk1"])
    assert _resume(engine, tokens["desk1"]) is None


def test_idle_session_expires_but_the_wall_display_does_not(signed_in):
    engine, tokens = signed_in
    assert _resume(engine, tokens["desk1"], minutes_later=31) is None
    assert _resume(engine, tokens["desk1"]) is None  # expiry ends it for good
    assert _resume(engine, tokens["wall1"], minutes_later=24 * 60).username == "wall1"


def test_activity_keeps_a_session_alive_up_to_a_shift(signed_in):
    engine, tokens = signed_in
    for minutes in range(20, 12 * 60, 20):
        with write_session(engine) as session:
            sessions.touch(session, tokens["desk1"], now=now_utc() + timedelta(minutes=minutes))
    assert _resume(engine, tokens["desk1"], minutes_later=12 * 60 - 15) is not None
    assert _resume(engine, tokens["desk1"], minutes_later=12 * 60 + 5) is None


def test_disabled_user_cannot_resume(signed_in):
    engine, tokens = signed_in
    with write_session(engine) as session:
        user_id = session.execute(select(LoginSession.user_id)).scalars().first()
        auth.set_active(session, None, user_id, False)
    assert _resume(engine, tokens["desk1"]) is None


def test_resume_is_audited_as_a_resumed_session_not_a_login(signed_in):
    from sqlalchemy import text

    from vocabulary import AuditAction

    engine, tokens = signed_in
    with engine.connect() as connection:
        logins = connection.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'login'")).scalar()
    _resume(engine, tokens["desk1"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, username, client_addr FROM audit_log ORDER BY id DESC")).all()
        assert connection.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'login'")).scalar() == logins
    assert tuple(rows[0]) == ("session_resumed", "desk1", "10.0.0.2")
    assert AuditAction(AuditAction.SESSION_RESUMED).label == "恢复会话"
