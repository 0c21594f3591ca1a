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


def _signed_in_through_the_page(engine, name="desk1"):
    from services.access import api as access_api

    result, code = access_api.sign_in(engine, name, "Strong#Pass9", "10.0.0.1")
    return result.actor, code


def test_the_cookie_token_is_issued_once_for_a_fresh_code_only(signed_in):
    from services.access import api as access_api

    engine, _ = signed_in
    actor, code = _signed_in_through_the_page(engine)
    assert actor.login_session_id is not None
    token = access_api.cookie_token(engine, code)
    assert token and access_api.cookie_token(engine, code) is None  # a code works once
    assert _resume(engine, token).user_id == actor.user_id
    _, late = _signed_in_through_the_page(engine)
    with write_session(engine) as session:
        assert sessions.redeem(session, late, now=now_utc() + sessions.HANDOFF_VALID + timedelta(seconds=1)) is None
    assert access_api.cookie_token(engine, "forged") is None


@pytest.mark.parametrize("change", ["disable", "reset", "end_sessions", "shift_over"])
def test_an_open_tab_learns_why_its_sign_in_ended_and_its_writes_are_refused(signed_in, change):
    from services.access import api as access_api
    from services.access.actor import AccessDenied

    engine, _ = signed_in
    actor, _ = _signed_in_through_the_page(engine)
    assert access_api.ended_because(engine, actor) is None
    with write_session(engine) as session:
        if change == "disable":
            auth.set_active(session, None, actor.user_id, False)
        elif change == "reset":
            auth.reset_password(session, None, actor.user_id, "Another#Pass7x")
        elif change == "end_sessions":
            auth.end_sessions(session, None, actor.user_id)
    later = now_utc() + (sessions.MAX_SESSION_AGE + timedelta(minutes=1) if change == "shift_over" else timedelta())
    with read_session(engine) as session:
        reason = sessions.ended_because(session, actor, IDLE * 100, now=later)
    assert reason == {"disable": "账号已停用，登录已结束。如有疑问请联系系统管理员。",
                      "shift_over": "登录已超过有效期（一个班次 12 小时或长时间未操作），请重新登录。"}.get(
        change, "您的登录已被结束（密码已重置或管理员已结束该账号的会话），请重新登录。")
    if change != "shift_over":
        with pytest.raises(AccessDenied, match="登录"):
            access_api.change_own_password(engine, actor, "Strong#Pass9", "Newer#Pass8y", "Newer#Pass8y")
