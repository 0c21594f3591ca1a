"""`fanzha backup` / `fanzha restore`: a demo database comes back row for row, on SQLite and PostgreSQL."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, select, table, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine, write_session
from services.access import auth
from services.shared.config import normalise_database_url
from tests.conftest import BACKENDS, PG_URL_VARIABLE

runner = CliRunner()


@pytest.fixture(params=BACKENDS)
def databases(request, tmp_path) -> Iterator[tuple[str, str]]:
    """A source and a target database URL on one backend (files on SQLite, new databases on PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'target.db'}"
        return
    base = make_url(normalise_database_url(os.environ[PG_URL_VARIABLE]))
    names = [f"fanzha_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield tuple(base.set(database=name).render_as_string(hide_password=False) for name in names)
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _invoke(monkeypatch, url: str, *arguments: str):
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    return runner.invoke(app, list(arguments))


def _contents(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by primary key (or by every column)."""
    engine = make_engine(url)
    inspector = inspect(engine)
    contents = {}
    with engine.connect() as connection:
        for name in sorted(inspector.get_table_names()):
            columns = [column["name"] for column in inspector.get_columns(name)]
            order = inspector.get_pk_constraint(name)["constrained_columns"] or columns
            statement = select(*(text(f'"{c}"') for c in columns)).select_from(table(name)).order_by(
                *(text(f'"{c}"') for c in order))
            contents[name] = [tuple(row) for row in connection.execute(statement)]
    engine.dispose()
    return contents


def test_backup_then_restore_into_an_empty_database_gives_every_row_back(databases, monkeypatch, tmp_path):
    source, target = databases
    demo = _invoke(monkeypatch, source, "demo", "--cases", "300", "--seed", "5", "--anchor", "2026-11-28T10:00+08:00")
    assert demo.exit_code == 0, demo.output
    with write_session(make_engine(normalise_database_url(source))) as session:  # audit records too
        auth.authenticate(session, "admin", "Fanzha@Demo1", "10.0.0.1")
        auth.authenticate(session, "=cmd|' /C calc'!A0", "x", "10.0.0.2")
    archive = tmp_path / "fanzha.backup"
    made = _invoke(monkeypatch, source, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "已备份到" in made.output and archive.stat().st_size > 0
    assert _invoke(monkeypatch, source, "backup", str(archive)).exit_code == 1  # no silent overwrite

    assert _invoke(monkeypatch, target, "init").exit_code == 0  # an empty, migrated database
    restored = _invoke(monkeypatch, target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "恢复数据库" in restored.output
    expected = _contents(normalise_database_url(source))
    assert sum(len(rows) for rows in expected.values()) > 1_000 and len(expected["fraud_case"]) == 300
    assert len(expected["audit_log"]) >= 2
    actual = _contents(normalise_database_url(target))
    assert actual.keys() == expected.keys()
    for name in expected:
        assert actual[name] == expected[name], name

    refused = _invoke(monkeypatch, target, "restore", str(archive))
    assert refused.exit_code == 1 and "已有数据" in refused.output and "--force" in refused.output
    forced = _invoke(monkeypatch, target, "restore", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    assert _contents(normalise_database_url(target)) == expected


def test_restore_refuses_a_file_that_is_not_a_backup(databases, monkeypatch, tmp_path):
    _, target = databases
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup")
    result = _invoke(monkeypatch, target, "restore", str(junk))
    assert result.exit_code == 1 and "不是本数据库类型的备份文件" in result.output


@pytest.mark.parametrize("command", [["backup"], ["restore"]])
def test_backup_commands_have_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "--force" in result.output
