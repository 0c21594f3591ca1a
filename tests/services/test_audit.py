"""The audit trail is append-only in the database itself, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.engine import read_session, write_session
from services import audit
from services.actor import AccessDenied, Actor
from services.labels import AuditAction, Role


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
