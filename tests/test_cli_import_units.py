"""`fanzha import-units`: preview, problems with exit code 1, import, crosswalk, re-import."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine

runner = CliRunner()
XIAMEN_FILE = Path(__file__).resolve().parent / "data" / "xiamen_districts_gcj02.geojson"
TREE = ["--datum", "gcj02", "--parent-code-prop", "parent_adcode"]


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    return url


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(sql))]
    engine.dispose()
    return rows


def test_help_lists_the_options():
    result = runner.invoke(app, ["import-units", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--datum", "--parent-code-prop", "--crosswalk", "--dry-run", "--kind", "--parent"):
        assert option in result.output


def test_the_datum_must_be_declared(database):
    result = runner.invoke(app, ["import-units", str(XIAMEN_FILE)])
    assert result.exit_code == 2 and "--datum" in result.output


def test_dry_run_shows_the_plan_and_writes_nothing(database):
    result = runner.invoke(app, ["import-units", str(XIAMEN_FILE), *TREE, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "思明区公安分局" in result.output and "新增" in result.output and "未写入" in result.output
    assert _rows(database, "SELECT COUNT(*) FROM unit") == [(0,)]


def test_import_then_reimport(database):
    result = runner.invoke(app, ["import-units", str(XIAMEN_FILE), *TREE])
    assert result.exit_code == 0, result.output
    assert "新增 7 个单位" in result.output
    names = _rows(database, "SELECT name, level FROM unit ORDER BY level, code")
    assert names[0] == ("厦门市公安局", 1) and len(names) == 7 and {level for _, level in names[1:]} == {2}
    again = runner.invoke(app, ["import-units", str(XIAMEN_FILE), *TREE])
    assert again.exit_code == 0 and "未变 7 个" in again.output
    assert _rows(database, "SELECT username, action FROM audit_log") == [("cli", "import"), ("cli", "import")]


def test_problems_are_listed_with_exit_code_1(database, tmp_path):
    raw = json.loads(XIAMEN_FILE.read_text(encoding="utf-8"))
    raw["features"][2]["properties"].pop("adcode")
    raw["features"][4]["geometry"] = {"type": "Polygon", "coordinates": [[[118.0, 24.5], [118.1, 24.6],
                                                                          [118.1, 24.5], [118.0, 24.6], [118.0, 24.5]]]}
    broken = tmp_path / "broken.geojson"
    broken.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["import-units", str(broken), *TREE])
    assert result.exit_code == 1
    assert "缺少属性“adcode”" in result.output and "自相交" in result.output and "2 处问题" in result.output
    assert _rows(database, "SELECT COUNT(*) FROM unit") == [(0,)]


def test_crosswalk_and_parent(database, tmp_path):
    assert runner.invoke(app, ["unit", "add", "XM", "--name", "厦门市公安局", "--kind", "city_bureau"]).exit_code == 0
    raw = json.loads(XIAMEN_FILE.read_text(encoding="utf-8"))
    raw["features"] = [f for f in raw["features"] if f["properties"]["level"] == "district"]
    raw["features"][0]["properties"]["adcode"] = "350202"  # 鼓浪屿区 merged into 思明区 in 2003
    old = tmp_path / "old.geojson"
    old.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    crosswalk = tmp_path / "crosswalk.csv"
    crosswalk.write_text("旧代码,新代码\n350202,350203\n", encoding="utf-8")
    result = runner.invoke(app, ["import-units", str(old), "--datum", "gcj02", "--parent", "XM",
                                 "--crosswalk", str(crosswalk), "--raw-names", "--kind", "district_bureau"])
    assert result.exit_code == 0, result.output
    rows = _rows(database, "SELECT u.code, u.name, u.kind, p.code FROM unit u JOIN unit p ON p.id = u.parent_id "
                           "ORDER BY u.code")
    assert [r[0] for r in rows] == ["350203", "350205", "350206", "350211", "350212", "350213"]
    assert rows[0][1:] == ("思明区", "district_bureau", "XM")


def test_a_bad_crosswalk_is_refused_in_chinese(database, tmp_path):
    crosswalk = tmp_path / "crosswalk.csv"
    crosswalk.write_text("from;to\n", encoding="utf-8")
    result = runner.invoke(app, ["import-units", str(XIAMEN_FILE), *TREE, "--crosswalk", str(crosswalk)])
    assert result.exit_code == 1 and "表头" in result.output
