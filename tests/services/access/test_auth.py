"""Accounts: argon2 hashes, password policy, lock-out, audit of every login attempt."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from db.engine import read_session, write_session
from db.models import AppUser, AuditLog
from services.access import auth
from services.access.actor import AccessDenied
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import Role

GOOD = "Strong#Pass9"


@pytest.fixture
def units(engine):
    with write_session(engine) as session:
        city = add_unit(session, code="350600", name="漳州市公安局", kind="city_bureau", parent_code=None)
        district = add_unit(session, code="350605", name="长泰区公安分局", kind="district_bureau", parent_code="350600")
        station = add_unit(session, code="350605100", name="武安派出所", kind="station", parent_code="350605")
        other = add_unit(session, code="350602", name="芗城区公安分局", kind="district_bureau", parent_code="350600")
        return engine, {"city": city.id, "district": district.id, "station": station.id, "other": other.id}


def _add(engine, username: str, role: Role, unit_id: int, password: str = GOOD, actor=None) -> int:
    with write_session(engine) as session:
        return auth.create_user(session, actor, username=username, display_name=username, role=role,
                                unit_id=unit_id, password=password).id


def _login(engine, username: str, password: str, now=None):
    with write_session(engine) as session:
        return auth.authenticate(session, username, password, "10.0.0.8", now=now)


@pytest.mark.parametrize("password, problem", [
    ("Short#1a", "至少 10 位"), ("alllowercase1", "至少 3 类"), ("Admin#Pass99", "不能包含用户名"),
])
def test_password_policy(password, problem):
    assert any(problem in p for p in auth.password_problems(password, "admin"))


def test_good_password_passes_policy():
    assert auth.password_problems(GOOD, "admin") == []


def test_passwords_are_stored_as_argon2(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    with read_session(engine) as session:
        stored = session.execute(select(AppUser.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and GOOD not in stored


def test_login_succeeds_and_is_audited(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    result = _login(engine, "Desk1", GOOD)
    assert result.actor.username == "desk1" and result.actor.role is Role.DESK
    assert result.actor.unit_path.startswith("/")
    with read_session(engine) as session:
        log = session.execute(select(AuditLog).where(AuditLog.action == "login")).scalar_one()
    assert (log.username, log.role, log.client_addr, log.success) == ("desk1", "desk", "10.0.0.8", True)


def test_five_wrong_passwords_lock_for_fifteen_minutes(units):
    engine, ids = units
    _add(engine, "clerk1", Role.CLERK, ids["station"])
    for attempt in range(4):
        assert _login(engine, "clerk1", "wrong").message == "用户名或密码错误。"
    fifth = _login(engine, "clerk1", "wrong")
    assert "账号已锁定" in fifth.message
    assert _login(engine, "clerk1", GOOD).actor is None  # the right password is refused while locked
    later = _login(engine, "clerk1", GOOD, now=now_utc() + timedelta(minutes=16))
    assert later.actor is not None
    with read_session(engine) as session:
        failed = session.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'")).scalar()
    assert failed == 6


def test_unknown_user_fails_like_a_wrong_password(units):
    engine, _ = units
    assert _login(engine, "nobody", GOOD).message == "用户名或密码错误。"


def test_inactive_user_cannot_log_in(units):
    engine, ids = units
    user_id = _add(engine, "clerk1", Role.CLERK, ids["station"])
    with write_session(engine) as session:
        auth.set_active(session, None, user_id, False)
    assert _login(engine, "clerk1", GOOD).message == "账号已停用，请联系系统管理员。"


def test_weak_or_duplicate_user_is_refused_with_field_messages(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    with pytest.raises(InvalidInput) as refused:
        _add(engine, "desk1", Role.DESK, ids["city"], password="weak")
    assert set(refused.value.errors) == {"username", "password"}


def test_admin_manages_only_their_subtree(units):
    engine, ids = units
    _add(engine, "admin_ct", Role.ADMIN, ids["district"])
    admin = _login(engine, "admin_ct", GOOD).actor
    _add(engine, "wuan1", Role.CLERK, ids["station"], actor=admin)
    with pytest.raises(AccessDenied):
        _add(engine, "xc1", Role.CLERK, ids["other"], actor=admin)
    clerk = _login(engine, "wuan1", GOOD).actor
    with pytest.raises(AccessDenied):
        _add(engine, "x2", Role.CLERK, ids["station"], actor=clerk)


def test_change_own_password(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    actor = _login(engine, "desk1", GOOD).actor
    with pytest.raises(InvalidInput) as refused:
        with write_session(engine) as session:
            auth.change_own_password(session, actor, "bad", "New#Password1", "New#Password2")
    assert set(refused.value.errors) == {"current", "repeat"}
    with write_session(engine) as session:
        auth.change_own_password(session, actor, GOOD, "New#Password1", "New#Password1")
    assert _login(engine, "desk1", "New#Password1").actor is not None
