"""docs/deploy/postgres-roles.sql: the app role appends to audit_log but cannot change or remove its records.

PostgreSQL only (SQLite has no roles): the test exists when FANZHA_TEST_PG_URL is set, like the PostgreSQL
half of the `engine` fixture, so a SQLite-only run neither runs nor skips it.
"""

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.engine import make_engine, write_session
from db.migrate import upgrade
from services import audit
from services.shared.config import PROJECT_ROOT, normalise_database_url
from services.units.tree import add_unit
from tests.conftest import BACKENDS, PG_URL_VARIABLE
from vocabulary import AuditAction

ROLES_SQL = PROJECT_ROOT / "docs" / "deploy" / "postgres-roles.sql"


def _url(database: str, user: str) -> str:
    return make_url(os.environ[PG_URL_VARIABLE]).set(database=database, username=user).render_as_string(hide_password=False)


def _apply_roles(sql: str, database: str, tmp_path: Path) -> None:
    """As the deployment does it: psql as the superuser, stopping at the first error."""
    script = tmp_path / "roles.sql"
    script.write_text(sql, encoding="utf-8")
    superuser = make_url(os.environ[PG_URL_VARIABLE]).username
    subprocess.run(["psql", _url(database, superuser), "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script)],
                   check=True, capture_output=True, text=True)


@pytest.fixture
def roles_database(tmp_path) -> Iterator[dict[str, str]]:
    """A new database set up by the documented steps, with fresh owner and app roles."""
    suffix = uuid.uuid4().hex[:8]
    name, owner, app = f"fanzha_roles_{suffix}", f"fanzha_owner_{suffix}", f"fanzha_app_{suffix}"
    sql = ROLES_SQL.read_text(encoding="utf-8").replace("fanzha_owner", owner).replace("fanzha_app", app)
    admin = create_engine(normalise_database_url(os.environ[PG_URL_VARIABLE]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _apply_roles(sql, name, tmp_path)  # 1. roles and grants on the empty database
        owner_engine = make_engine(normalise_database_url(_url(name, owner)))
        upgrade(owner_engine)  # 2. the owner migrates
        owner_engine.dispose()
        _apply_roles(sql, name, tmp_path)  # 3. again, now that audit_log exists
        _apply_roles(sql, name, tmp_path)  # idempotent
        yield {"app": normalise_database_url(_url(name, app)), "app_role": app}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{app}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


def _refused(engine, statement: str) -> str:
    with pytest.raises(DBAPIError) as refused:
        with engine.begin() as connection:
            connection.execute(text(statement))
    return str(refused.value.orig)


if "postgresql" in BACKENDS:

    def test_app_role_appends_to_the_audit_log_but_cannot_change_it(roles_database):
        engine = make_engine(roles_database["app"])
        upgrade(engine)  # the app's start-up schema check works at head without owning anything
        with write_session(engine) as session:  # data writes and the audit record in one transaction
            unit = add_unit(session, code="350600", name="漳州市公安局", kind="city_bureau", parent_code=None)
            audit.record(session, AuditAction.CREATE, username="fanzha-app", object_type="unit", object_id=unit.id)
        with engine.begin() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == roles_database["app_role"]
            connection.execute(text("UPDATE unit SET name = '漳州市公安局（改）'"))
            assert connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar() == 1
        for statement in ("UPDATE audit_log SET success = false", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            assert "permission denied for table audit_log" in _refused(engine, statement), statement
        assert "must be owner" in _refused(engine, "ALTER TABLE audit_log DISABLE TRIGGER ALL")
        assert "must be owner" in _refused(engine, "DROP TRIGGER audit_log_append_only ON audit_log")
        assert "permission denied" in _refused(engine, "UPDATE alembic_version SET version_num = '0001'")
        assert "permission denied" in _refused(engine, "CREATE TABLE sneaky (id int)")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar() == 1
        engine.dispose()
