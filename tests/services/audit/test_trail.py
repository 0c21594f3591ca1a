"""The audit trail is append-only in the database itself, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.engine import read_session, write_session
from services import audit
from services.access.actor import AccessDenied, Actor
from services.units.tree import add_unit
from vocabulary import AuditAction, Role


def _record(engine) -> None:
    with write_session(engine) as session:
        audit.record(session, AuditAction.LOGIN_FAILED, username="x", client_addr="10.1.1.1", success=False)


def test_update_of_an_audit_record_fails(engine):
    _record(engine)
    with pytest.raises(DatabaseError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET success = true"))


def test_delete_of_an_audit_record_fails(engine):
    _record(engine)
    with pytest.raises(DatabaseError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_log"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar() == 1


def _actor(role: Role) -> Actor:
    return Actor(1, "admin", "管理员", role, 1, "/1/", "市局", "127.0.0.1")


def test_search_and_export_are_for_administrators_and_export_is_audited(engine):
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)  # id 1, the top of the tree
    _record(engine)
    with read_session(engine) as session:
        total, rows = audit.search(session, _actor(Role.ADMIN), audit.AuditFilter(username="x"))
        with pytest.raises(AccessDenied):
            audit.search(session, _actor(Role.LEADER), audit.AuditFilter())
    assert total == 1 and rows[0].client_addr == "10.1.1.1"
    with write_session(engine) as session:
        data = audit.export_csv(session, _actor(Role.ADMIN), audit.AuditFilter())
    assert data.decode("utf-8-sig").splitlines()[0].startswith("时间（北京时间）,用户")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")).scalar() == 1


def test_every_write_login_export_and_unmask_leaves_exactly_one_record(engine):
    """Walk through every audited operation the services offer; each adds one record naming it."""
    from datetime import UTC, datetime

    from db.models import FraudCase
    from services.access import auth
    from services.access import login_sessions as sessions
    from services.cases.read import unmask_case
    from services.units.tree import add_unit

    def count() -> int:
        with engine.connect() as connection:
            return connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar()

    def last() -> tuple[str, str | None, bool]:
        with engine.connect() as connection:
            return tuple(connection.execute(text(
                "SELECT action, username, success FROM audit_log ORDER BY id DESC LIMIT 1")).one())

    with write_session(engine) as session:
        unit = add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        session.add(FraudCase(case_no="A1", unit_id=unit.id, reported_at=datetime.now(UTC), fraud_type="rebate",
                              victim_name="李四", created_at=datetime.now(UTC), updated_at=datetime.now(UTC)))
    with write_session(engine) as session:
        auth.create_user(session, None, username="admin1", display_name="a", role=Role.ADMIN, unit_id=unit.id,
                         password="Strong#Pass9")
    steps = []

    def step(name, operation, expected_action):
        before = count()
        with write_session(engine) as session:
            result = operation(session)
        assert count() == before + 1, name
        assert last()[0] == expected_action, name
        steps.append(name)
        return result

    admin = step("login", lambda s: auth.authenticate(s, "admin1", "Strong#Pass9", "1.2.3.4").actor, "login")
    step("failed login", lambda s: auth.authenticate(s, "admin1", "nope", "1.2.3.4"), "login_failed")
    leader = step("create user", lambda s: auth.create_user(
        s, admin, username="leader1", display_name="l", role=Role.LEADER, unit_id=unit.id, password="Strong#Pass9"), "create")
    step("reset password", lambda s: auth.reset_password(s, admin, leader.id, "Other#Pass99"), "update")
    step("unlock", lambda s: auth.unlock(s, admin, leader.id), "update")
    step("disable", lambda s: auth.set_active(s, admin, leader.id, False), "update")
    step("enable", lambda s: auth.set_active(s, admin, leader.id, True), "update")
    actor = step("leader login", lambda s: auth.authenticate(s, "leader1", "Other#Pass99", "1.2.3.5").actor, "login")
    step("own password", lambda s: auth.change_own_password(s, actor, "Other#Pass99", "Third#Pass99", "Third#Pass99"), "update")
    with engine.connect() as connection:
        case_id = connection.execute(text("SELECT id FROM fraud_case")).scalar()
    step("unmask", lambda s: unmask_case(s, actor, case_id, "回访受害人"), "unmask")
    step("export", lambda s: audit.export_csv(s, admin, audit.AuditFilter()), "export")
    token = [None]

    def start_and_resume(session):
        token[0] = sessions.start(session, actor)

    with write_session(engine) as session:
        start_and_resume(session)
    step("resume by cookie", lambda s: sessions.resume(s, token[0], "1.2.3.6", timedelta(minutes=30)), "session_resumed")
    assert len(steps) == 12


def _two_districts(engine) -> dict[str, Actor]:
    """市局 C with sibling districts D1 and D2; an administrator at C and at D1, a clerk in each district."""
    from db.models import AppUser

    actors = {}
    with write_session(engine) as session:
        units = {"C": add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)}
        for code in ("D1", "D2"):
            units[code] = add_unit(session, code=code, name=f"{code}分局", kind="district_bureau", parent_code="C")
        for name, role, code in (("admin_c", Role.ADMIN, "C"), ("admin_d1", Role.ADMIN, "D1"),
                                 ("clerk_d1", Role.CLERK, "D1"), ("clerk_d2", Role.CLERK, "D2")):
            user = AppUser(username=name, display_name=name, password_hash="-", role=role.value,
                           unit_id=units[code].id, created_at=datetime.now(UTC))
            session.add(user)
            session.flush()
            unit = units[code]
            actors[name] = Actor(user.id, name, name, role, unit.id, unit.path, unit.name, "10.0.0.1")
    with write_session(engine) as session:
        for name in ("clerk_d1", "clerk_d2", "admin_c"):
            audit.record(session, AuditAction.LOGIN, actors[name])
        for name in ("clerk_d1", "clerk_d2", "nobody"):  # failed logins: no actor, so no unit
            audit.record(session, AuditAction.LOGIN_FAILED, username=name, success=False, client_addr="10.9.9.9")
    return actors


def _seen_by(engine, actor: Actor) -> list[tuple[str, str]]:
    with read_session(engine) as session:
        total, records = audit.search(session, actor, audit.AuditFilter())
    assert total == len(records)
    return sorted((r.action, r.username) for r in records)


def test_a_district_administrator_reads_only_the_audit_records_of_the_district(engine):
    actors = _two_districts(engine)
    assert _seen_by(engine, actors["admin_d1"]) == [("login", "clerk_d1"), ("login_failed", "clerk_d1")]
    everything = _seen_by(engine, actors["admin_c"])
    assert len(everything) == 6 and ("login_failed", "nobody") in everything
    with write_session(engine) as session:
        exported = audit.export_csv(session, actors["admin_d1"], audit.AuditFilter()).decode("utf-8-sig")
    assert exported.count("clerk_d1") == 2 and "clerk_d2" not in exported and "nobody" not in exported
    with read_session(engine) as session:
        _, [unknown] = audit.search(session, actors["admin_c"], audit.AuditFilter(username="nobody"))
        assert audit.search(session, actors["admin_d1"], audit.AuditFilter(username="nobody")) == (0, [])
    assert unknown.unit_id is None
def test_export_neutralises_a_formula_in_a_failed_login_name(engine):
    from services.access import auth

    attack = "=cmd|' /C calc'!A0"
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)  # the top sees unknown names
        auth.authenticate(session, attack, "whatever", "10.1.1.1")
    with write_session(engine) as session:
        data = audit.export_csv(session, _actor(Role.ADMIN), audit.AuditFilter())
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "'" + attack.lower()
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_every_action_can_be_stored_and_has_a_label(engine):
    """audit_log.action is a plain VARCHAR(32) without a CHECK list, so new actions need no migration."""
    from vocabulary import AuditAction

    with write_session(engine) as session:
        for action in AuditAction:
            audit.record(session, action, username="x")
    with engine.connect() as connection:
        stored = set(connection.execute(text("SELECT action FROM audit_log")).scalars())
    assert stored == {a.value for a in AuditAction} and set(AuditAction.labels()) == set(AuditAction)
