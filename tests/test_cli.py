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


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["serve"], ["import-cases"], ["import-units"]])
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


def test_import_cases_reports_bad_rows_then_imports_once(database, tmp_path):
    assert runner.invoke(app, ["demo", "--cases", "50", "--seed", "3", "--anchor", "2026-11-28T10:00+08:00"]).exit_code == 0
    header = "案件编号,所属单位,接报时间,诈骗类型,损失金额（元）"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\nCLI-1,350605100,2026-11-20 10:30,刷单返利类,abc\nCLI-2,999,2026-11-20,刷单返利类,5\n",
                   encoding="gbk")
    result = runner.invoke(app, ["import-cases", str(bad)])
    assert result.exit_code == 1
    assert "整个文件未导入" in result.output and "损失金额" in result.output and "所属单位" in result.output
    good = tmp_path / "good.csv"
    good.write_text(f"{header}\nCLI-1,350605100,2026-11-20 10:30,刷单返利类,120000\n", encoding="utf-8")
    first = runner.invoke(app, ["import-cases", str(good), "--datum", "gcj02"])
    assert first.exit_code == 0 and "新增 1 起" in first.output, first.output
    again = runner.invoke(app, ["import-cases", str(good)])
    assert again.exit_code == 0 and "新增 0 起" in again.output and "未变 1 起" in again.output
    with make_engine(database).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM fraud_case WHERE case_no = 'CLI-1'")).scalar() == 1
        assert connection.execute(text(
            "SELECT level FROM accountability_item i JOIN fraud_case c ON c.id = i.case_id WHERE c.case_no = 'CLI-1'"
        )).scalar() == "l10w"


def test_rebuild_tallies_recounts_the_case_call_and_strike_tallies(database):
    assert runner.invoke(app, ["demo", "--cases", "300", "--seed", "4", "--anchor", "2026-11-28T10:00+08:00"]).exit_code == 0
    engine = make_engine(database)
    tables = ("case_day_tally", "case_day_unit_tally", "case_month_type_tally", "desk_call_day_tally",
              "desk_call_month_tally", "ledger_month_tally", "interception_month_tally", "strike_month_tally",
              "strike_month_values")

    def contents() -> dict[str, list]:
        with engine.connect() as connection:
            return {t: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {t}")))) for t in tables}

    kept = contents()
    assert all(kept.values())
    with engine.begin() as connection:  # a broken tally: what a crash in a bulk writer could leave
        connection.execute(text("DELETE FROM strike_month_values"))
        connection.execute(text("UPDATE desk_call_day_tally SET calls = calls + 3"))
        connection.execute(text("UPDATE strike_month_tally SET requests = requests + 7"))
        connection.execute(text("UPDATE recovery_request SET stop_ms = NULL"))
        connection.execute(text("DELETE FROM case_month_type_tally"))
        connection.execute(text("UPDATE case_day_unit_tally SET cases = cases + 1"))
        connection.execute(text("UPDATE ledger_month_tally SET stopped_fen = stopped_fen + 100"))
        connection.execute(text("DELETE FROM interception_month_tally"))
    result = runner.invoke(app, ["rebuild-tallies"])
    assert result.exit_code == 0, result.output
    assert "案件日汇总已按案件重算" in result.output and "专家席来电日汇总已按来电重算" in result.output and "总览月汇总" in result.output and "打击挽损月汇总已按台账、阻截和劝阻重算" in result.output
    assert contents() == kept
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM recovery_request WHERE stopped_at IS NOT NULL "
                                       "AND stop_ms IS NULL")).scalar() == 0
    engine.dispose()
