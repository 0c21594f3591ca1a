"""The fanzha command-line tool."""

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    return url


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["serve"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_init_creates_and_upgrades(database):
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["init"]).exit_code == 0  # idempotent
    with make_engine(database).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_demo_loads_then_refuses_to_mix(database):
    result = runner.invoke(app, ["demo", "--cases", "300", "--seed", "2", "--anchor", "2026-11-28T10:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "300 起案件" in result.output
    again = runner.invoke(app, ["demo", "--cases", "300"])
    assert again.exit_code == 1
    assert "--replace" in again.output
    assert runner.invoke(app, ["demo", "--cases", "200", "--replace"]).exit_code == 0
    with make_engine(database).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM fraud_case")).scalar() == 200


def test_anchor_without_zone_is_refused(database):
    result = runner.invoke(app, ["demo", "--cases", "10", "--anchor", "2026-11-28T10:00"])
    assert result.exit_code == 2
    assert "时区" in result.output
