"""Accounts: argon2 hashes, password policy, lock-out, audit of every login attempt."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from db.engine import read_session, write_session
from db.models import AppUser, AuditLog
from services import audit
from services.access import auth
from services.access.actor import AccessDenied
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import AuditAction, Role

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
    for attempt in range(5):
        assert _login(engine, "clerk1", "wrong").message == "用户名或密码错误。"
    locked = _login(engine, "clerk1", GOOD)
    assert locked.actor is None  # the right password is refused while locked ...
    assert locked.message == "用户名或密码错误。"  # ... without saying that the account is locked
    later = _login(engine, "clerk1", GOOD, now=now_utc() + timedelta(minutes=16))
    assert later.actor is not None
    with read_session(engine) as session:
        failed = session.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'")).scalar()
        details = session.execute(text(
            "SELECT detail FROM audit_log WHERE action = 'login_failed' ORDER BY id")).scalars().all()
    assert failed == 6
    assert details[4].startswith("该地址连续 5 次密码错误") and details[5] == "账号在该地址锁定中"


def test_unknown_user_fails_like_a_wrong_password(units):
    engine, _ = units
    assert _login(engine, "nobody", GOOD).message == "用户名或密码错误。"


def test_inactive_user_cannot_log_in(units):
    engine, ids = units
    user_id = _add(engine, "clerk1", Role.CLERK, ids["station"])
    with write_session(engine) as session:
        auth.set_active(session, None, user_id, False)
    assert _login(engine, "clerk1", GOOD).message == "用户名或密码错误。"  # no hint that the account exists
    with read_session(engine) as session:
        assert session.execute(text("SELECT detail FROM audit_log WHERE action = 'login_failed'")).scalar() == "账号已停用"


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


def _login_from(engine, username: str, password: str, address: str, now=None):
    with write_session(engine) as session:
        return auth.authenticate(session, username, password, address, now=now)


class _CountingHasher:
    """The real argon2 hasher, counting verifications."""

    def __init__(self, real):
        self.real, self.verified = real, []

    def verify(self, password_hash, password):
        self.verified.append(password_hash)
        return self.real.verify(password_hash, password)

    def hash(self, password):
        return self.real.hash(password)


def test_argon2_runs_once_on_every_failure_path(units, monkeypatch):
    """Timing-independent: unknown, disabled, locked and wrong-password logins all verify one argon2 hash."""
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    disabled = _add(engine, "gone1", Role.DESK, ids["city"])
    with write_session(engine) as session:
        auth.set_active(session, None, disabled, False)
    for _ in range(auth.login_throttle.ACCOUNT_ADDRESS_LIMIT):
        _login(engine, "desk1", "wrong")
    hasher = _CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", hasher)
    for username, password, address in [("nobody", GOOD, "10.0.0.8"), ("gone1", GOOD, "10.0.0.8"),
                                        ("desk1", GOOD, "10.0.0.8"), ("desk1", "wrong", "10.0.0.9")]:
        before = len(hasher.verified)
        assert _login_from(engine, username, password, address).message == "用户名或密码错误。"
        assert len(hasher.verified) == before + 1, username
    assert hasher.verified[:3] == [auth._DUMMY_HASH] * 3  # unknown, disabled and locked: the dummy hash


def test_unknown_user_wrong_password_and_locked_account_get_the_same_message(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    _add(engine, "desk2", Role.DESK, ids["city"])
    for _ in range(auth.login_throttle.ACCOUNT_ADDRESS_LIMIT):
        _login(engine, "desk2", "wrong")
    messages = {_login(engine, "nobody", GOOD).message, _login(engine, "desk1", "wrong").message,
                _login(engine, "desk2", GOOD).message, _login(engine, "desk2", "wrong").message}
    assert messages == {"用户名或密码错误。"}


def test_administrator_cannot_be_locked_out_from_another_address(units):
    engine, ids = units
    _add(engine, "admin1", Role.ADMIN, ids["city"])
    for _ in range(auth.login_throttle.ACCOUNT_ADDRESS_LIMIT * 2):
        _login_from(engine, "admin1", "guess", "192.0.2.66")
    assert _login_from(engine, "admin1", GOOD, "192.0.2.66").actor is None  # locked for the attacker's address
    assert _login_from(engine, "admin1", GOOD, "10.0.0.8").actor is not None  # not for the administrator's


def test_one_address_is_throttled_across_all_accounts(units):
    engine, ids = units
    _add(engine, "desk1", Role.DESK, ids["city"])
    with write_session(engine) as session:  # earlier failures from one address, each for a different name
        for number in range(auth.login_throttle.ADDRESS_LIMIT):
            audit.record(session, AuditAction.LOGIN_FAILED, username=f"guess{number}", client_addr="192.0.2.77",
                         success=False)
    assert _login_from(engine, "desk1", GOOD, "192.0.2.77").actor is None  # no account, even with its password
    assert _login_from(engine, "desk1", GOOD, "10.0.0.8").actor is not None  # other addresses are unaffected
    later = now_utc() + auth.login_throttle.WINDOW + timedelta(minutes=1)
    assert _login_from(engine, "desk1", GOOD, "192.0.2.77", now=later).actor is not None


def test_unlock_or_a_successful_login_clears_the_count(units):
    engine, ids = units
    user_id = _add(engine, "desk1", Role.DESK, ids["city"])
    for _ in range(auth.login_throttle.ACCOUNT_ADDRESS_LIMIT - 1):
        _login(engine, "desk1", "wrong")
    assert _login(engine, "desk1", GOOD).actor is not None
    _login(engine, "desk1", "wrong")  # one failure after the success does not lock
    assert _login(engine, "desk1", GOOD).actor is not None
    for _ in range(auth.login_throttle.ACCOUNT_ADDRESS_LIMIT):
        _login(engine, "desk1", "wrong")
    assert _login(engine, "desk1", GOOD).actor is None
    with write_session(engine) as session:
        auth.unlock(session, None, user_id)
    assert _login(engine, "desk1", GOOD).actor is not None
