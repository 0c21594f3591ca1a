"""The `fanzha` command-line tool: create/upgrade the database, load the demo, serve the dashboard."""

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from db import call_tally, case_tally, month_tallies, strike_tally
from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import AppUser, CampaignUnitTally, Unit
from db.queries import all_units
from services.access.auth import InvalidInput, create_user, reset_password, unlock
from services.campaigns import api as campaigns_api
from services.campaigns import tallies
from services.campaigns.text import CONSEQ_CLI_DONE, TALLY_CLI_DONE
from services.case_import.writer import import_file
from services.demo.generator import DemoSpec
from services.demo.loader import DemoRefused, ProgressSink, load_demo
from services.overview.text import CALL_TALLY_CLI_DONE, CASE_TALLY_CLI_DONE, MONTH_TALLIES_CLI_DONE
from services.shared.backup import BackupRefused, backup, data_tables, restore
from services.shared.backup_text import BACKUP_DONE, RESTORE_DONE, RESTORE_HINT_UPGRADE
from services.shared.config import PROJECT_ROOT, load_settings
from services.shared.timeutil import now_utc
from services.strike.text import STRIKE_TALLY_CLI_DONE
from services.units.boundary_import import UnitImportOptions, apply_unit_import, plan_unit_import, read_crosswalk
from services.units.text import (
    UNIT_IMPORT_DRY_RUN,
    UNIT_IMPORT_HAS_PROBLEMS,
    UNIT_IMPORT_PLAN_TITLE,
    UNIT_IMPORT_PROBLEMS_TITLE,
)
from services.units.tree import add_unit
from vocabulary import Datum, Role, UnitKind

app = typer.Typer(help="反诈指挥台命令行工具 (anti-fraud command desk).", no_args_is_help=True, add_completion=False)
console = Console()
DEFAULT_DEMO_CASES = 30_000


def _engine():
    engine = make_engine(load_settings().database_url)
    upgrade(engine)
    return engine


@app.command()
def init() -> None:
    """Create the database or upgrade its schema to the newest version (safe to run again)."""
    _engine()
    console.print(f"数据库已就绪: {load_settings().database_url}")


def _parse_anchor(anchor: str | None) -> datetime:
    if anchor is None:
        return now_utc()
    moment = datetime.fromisoformat(anchor)
    if moment.tzinfo is None:
        raise typer.BadParameter("请带时区，例如 2026-11-28T10:00+08:00", param_hint="--anchor")
    return moment


@app.command()
def demo(
    cases: Annotated[int, typer.Option(min=1, help="How many cases to generate over the last 13 months.")] = DEFAULT_DEMO_CASES,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and anchor give the same data.")] = 20261128,
    anchor: Annotated[str | None, typer.Option(help="End of the demo period (ISO 8601 with zone); default now.")] = None,
    replace: Annotated[bool, typer.Option(help="Replace an earlier demo (refused when real data is present).")] = False,
) -> None:
    """Load the 漳州市公安局 demo: real district boundaries, synthetic stations, cases, calls and activities."""
    engine = _engine()
    spec = DemoSpec(cases=cases, seed=seed, anchor=_parse_anchor(anchor))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        current = {}

        def stage(name: str, total: int) -> None:
            current["task"] = bar.add_task(name, total=total)

        sink = ProgressSink(stage=stage, advance=lambda n: bar.advance(current["task"], n))
        try:
            summary = load_demo(engine, spec, sink, replace=replace)
        except DemoRefused as refused:
            console.print(f"[red]{refused}[/red]")
            raise typer.Exit(code=1) from refused
    console.print(
        f"演示数据已载入：{summary.units} 个单位，{summary.cases:,} 起案件，{summary.calls:,} 次来电，"
        f"{summary.identifiers:,} 个标识，{summary.interceptions:,} 笔阻截，{summary.activities:,} 次宣传活动，"
        f"用时 {summary.seconds:.1f} 秒。"
    )


def _has_units(engine) -> bool:
    with read_session(engine) as session:
        return bool(all_units(session))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for the intranet).")] = "localhost",
    empty: Annotated[bool, typer.Option(help="Start without loading the demo into an empty database.")] = False,
) -> None:
    """Upgrade the database, load the demo into an empty one (unless --empty or FANZHA_DEMO=0), and run the dashboard."""
    engine = _engine()
    if not empty and load_settings().demo_on_first_start and not _has_units(engine):
        demo(cases=DEFAULT_DEMO_CASES, seed=20261128, anchor=None, replace=False)
    engine.dispose()
    command = [
        sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "server.py"),
        "--server.port", str(port), "--server.address", address,
    ]
    console.print(f"反诈指挥台: http://{address}:{port}")
    os.chdir(PROJECT_ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    os.execvp(command[0], command)


user_app = typer.Typer(help="Local accounts (the first administrator is created here).", no_args_is_help=True)
unit_app = typer.Typer(help="Units of the hierarchy (市局 → 分局/县局 → 派出所).", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(unit_app, name="unit")
campaigns_app = typer.Typer(help="专项行动 follow-through.", no_args_is_help=True)
app.add_typer(campaigns_app, name="campaigns")


@campaigns_app.command("check")
def campaigns_check() -> None:
    """Raise the accountability items of units that fell behind (missed reports, red at a checkpoint); safe to repeat,
    for a timer (e.g. daily at 00:30 Beijing time)."""
    result = campaigns_api.check_consequences(_engine(), now_utc())
    console.print(CONSEQ_CLI_DONE.format(campaigns=result.campaigns, raised=result.raised))


@app.command("rebuild-tallies")
def rebuild_tallies() -> None:
    """Recount the cases' and desk calls' day tallies and their roll-ups, the headline's month tallies (总览/大屏 sums)
    and the 打击挽损 month tallies from their rows (after a bulk load or a repair); one transaction, safe to repeat."""
    with write_session(_engine()) as session:
        rows = case_tally.rebuild(session)
        call_rows = call_tally.rebuild(session)
        month_tallies.rebuild(session)
        kept = strike_tally.fill_kept(session)
        strike_rows = strike_tally.rebuild(session)
    console.print(CASE_TALLY_CLI_DONE.format(rows=rows))
    console.print(CALL_TALLY_CLI_DONE.format(rows=call_rows))
    console.print(MONTH_TALLIES_CLI_DONE)
    console.print(STRIKE_TALLY_CLI_DONE.format(rows=strike_rows, kept=kept))


@campaigns_app.command("rebuild-tallies")
def campaigns_rebuild_tallies() -> None:
    """Recount the progress tallies of every campaign from the activity table (after a bulk load or a repair); one
    transaction, safe to repeat."""
    with write_session(_engine()) as session:
        tallies.rebuild(session)
        rows = session.execute(select(func.count()).select_from(CampaignUnitTally)).scalar_one()
    console.print(TALLY_CLI_DONE.format(rows=rows))



def _ask_password() -> str:
    return typer.prompt("密码", hide_input=True, confirmation_prompt=True)


def _unit_id(session, code: str) -> int:
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        console.print(f"[red]没有编码为 {code} 的单位。[/red]")
        raise typer.Exit(code=1)
    return unit.id


def _user_id(session, username: str) -> int:
    user = session.execute(select(AppUser).where(AppUser.username == username.lower())).scalar_one_or_none()
    if user is None:
        console.print(f"[red]没有用户 {username}。[/red]")
        raise typer.Exit(code=1)
    return user.id


def _apply(operation) -> None:
    try:
        with write_session(_engine()) as session:
            operation(session)
    except InvalidInput as invalid:
        for message in invalid.errors.values():
            console.print(f"[red]{message}[/red]")
        raise typer.Exit(code=1) from invalid


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name: 3–32 lower-case letters, digits, _ or .")],
    role: Annotated[Role, typer.Option(help="admin, leader, command, desk, clerk or wall.")],
    unit: Annotated[str, typer.Option(help="Code of the user's unit (e.g. 350600).")],
    name: Annotated[str, typer.Option(help="Display name (姓名).")],
    password: Annotated[str | None, typer.Option(help="Password; asked for (hidden) when omitted.")] = None,
) -> None:
    """Create a local account (the password policy applies; no default password exists)."""
    secret = password or _ask_password()
    _apply(lambda s: create_user(s, None, username=username, display_name=name, role=role,
                                 unit_id=_unit_id(s, unit), password=secret))
    console.print(f"已创建用户 {username}（{Role(role).label}）。")


@user_app.command("list")
def user_list() -> None:
    """List the accounts."""
    with read_session(_engine()) as session:
        rows = session.execute(select(AppUser, Unit).join(Unit, Unit.id == AppUser.unit_id).order_by(AppUser.username)).all()
    for user, unit in rows:
        state = "启用" if user.is_active else "停用"
        console.print(f"{user.username}\t{user.display_name}\t{Role(Role(user.role)).label}\t{unit.name}\t{state}")


@user_app.command("reset-password")
def user_reset_password(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password: Annotated[str | None, typer.Option(help="New password; asked for (hidden) when omitted.")] = None,
) -> None:
    """Set a new password and lift any lock-out."""
    secret = password or _ask_password()
    _apply(lambda s: reset_password(s, None, _user_id(s, username), secret))
    console.print(f"已重置 {username} 的密码。")


@user_app.command("unlock")
def user_unlock(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Lift a lock-out after failed logins."""
    _apply(lambda s: unlock(s, None, _user_id(s, username)))
    console.print(f"已解除 {username} 的锁定。")


@unit_app.command("add")
def unit_add(
    code: Annotated[str, typer.Argument(help="Unit code, e.g. the division code 350600.")],
    name: Annotated[str, typer.Option(help="Name, e.g. 漳州市公安局.")],
    kind: Annotated[UnitKind, typer.Option(help="city_bureau, district_bureau, station, team or command_center.")],
    parent: Annotated[str | None, typer.Option(help="Code of the parent unit; omit for the top unit.")] = None,
) -> None:
    """Add a unit to the hierarchy (for starting without the demo)."""
    _apply(lambda s: add_unit(s, code=code, name=name, kind=kind, parent_code=parent))
    console.print(f"已添加单位 {name}（{code}）。")


@app.command("import-cases")
def import_cases(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX case file.")],
    datum: Annotated[str, typer.Option(help="Datum of the file's coordinates: wgs84 or gcj02.")] = "wgs84",
) -> None:
    """Import cases from a CSV/XLSX file (the template's Chinese headers): all rows or none, keyed by case number."""
    if datum not in ("wgs84", "gcj02"):
        raise typer.BadParameter("只能是 wgs84 或 gcj02", param_hint="--datum")
    engine = _engine()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task("校验" if phase == "read" else "写入", total=total)
            bar.update(tasks[phase], completed=done, total=total)

        report = import_file(engine, None, file.read_bytes(), file.name, datum, progress=progress)
    for warning in report.warnings:
        console.print(f"[yellow]{warning}[/yellow]")
    if report.errors:
        table = Table("行号", "列", "问题", title=f"{len(report.errors)} 处错误，整个文件未导入")
        for error in report.errors:
            table.add_row(str(error.row), error.column, error.reason)
        console.print(table)
        raise typer.Exit(1)
    outcome = report.outcome
    console.print(f"导入完成：新增 {outcome.created} 起，更新 {outcome.updated} 起，未变 {outcome.unchanged} 起。")


def _print_rows(title: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    table = Table(*rows[0].keys(), title=title)
    for row in rows:
        table.add_row(*(str(value) for value in row.values()))
    console.print(table)


@app.command("import-units")
def import_units(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="GeoJSON FeatureCollection of jurisdictions.")],
    datum: Annotated[Datum, typer.Option(help="Datum of the file: wgs84 (GPS) or gcj02 (Amap/Tencent); stored as WGS84.")],
    name_prop: Annotated[str, typer.Option(help="Property holding the name.")] = "name",
    code_prop: Annotated[str, typer.Option(help="Property holding the division code.")] = "adcode",
    parent_code_prop: Annotated[str | None, typer.Option(help="Property holding the parent's division code (builds a tree).")] = None,
    population_prop: Annotated[str | None, typer.Option(help="Property holding the resident population.")] = None,
    parent: Annotated[str | None, typer.Option(help="Code of the unit to attach top-level features under.")] = None,
    crosswalk: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="CSV of old,new division codes.")] = None,
    kind: Annotated[UnitKind | None, typer.Option(help="Kind of new units; default by level.")] = None,
    police_names: Annotated[bool, typer.Option("--police-names/--raw-names", help="思明区 → 思明区公安分局, or keep the file's names.")] = True,
    dry_run: Annotated[bool, typer.Option(help="Show the plan and problems without writing.")] = False,
) -> None:
    """Import jurisdictions from GeoJSON: create or update units by division code, all features or none."""
    engine = _engine()
    try:
        mapping = read_crosswalk(crosswalk.read_text(encoding="utf-8-sig")) if crosswalk else {}
        options = UnitImportOptions(
            datum=datum, name_property=name_prop, code_property=code_prop, parent_code_property=parent_code_prop,
            population_property=population_prop, parent_code=parent, crosswalk=mapping, kind=kind,
            police_names=police_names, source_name=file.name,
        )
        with (read_session if dry_run else write_session)(engine) as session:
            plan = plan_unit_import(session, file.read_bytes(), options)
            _print_rows(UNIT_IMPORT_PLAN_TITLE, plan.rows())
            if plan.problems:
                _print_rows(UNIT_IMPORT_PROBLEMS_TITLE, plan.problem_rows())
                console.print(f"[red]{UNIT_IMPORT_HAS_PROBLEMS.format(count=len(plan.problems))}[/red]")
                raise typer.Exit(code=1)
            if dry_run:
                console.print(UNIT_IMPORT_DRY_RUN)
                return
            result = apply_unit_import(session, None, plan)
    except InvalidInput as invalid:
        for message in invalid.errors.values():
            console.print(f"[red]{message}[/red]")
        raise typer.Exit(code=1) from invalid
    console.print(result.summary())


def _transfer_bar():
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console)


def _run_transfer(operation) -> None:
    """Run a backup or restore with a progress bar; a refusal is printed in red and exits with 1."""
    with _transfer_bar() as bar:
        tasks: dict[str, int] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        try:
            operation(progress)
        except BackupRefused as refused:
            console.print(f"[red]{refused}[/red]")
            raise typer.Exit(code=1) from refused


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Backup file to write (SQLite file, or pg_dump -Fc archive).")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing backup file.")] = False,
) -> None:
    """Back up the database: SQLite through its online backup API, PostgreSQL through pg_dump -Fc."""
    _run_transfer(lambda progress: backup(load_settings().database_url, file, force=force, progress=progress))
    console.print(f"[green]{BACKUP_DONE.format(path=file, size=_size(file.stat().st_size))}[/green]")


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Backup file written by `fanzha backup`.")],
    force: Annotated[bool, typer.Option(help="Overwrite a database that already holds data.")] = False,
) -> None:
    """Restore the database from a backup; refuses a database that holds data unless --force."""
    url = load_settings().database_url
    _run_transfer(lambda progress: restore(url, file, force=force, progress=progress))
    counts = data_tables(url)
    console.print(f"[green]{RESTORE_DONE.format(path=file, tables=len(counts), rows=sum(counts.values()))}[/green]")
    console.print(RESTORE_HINT_UPGRADE)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


if __name__ == "__main__":
    app()
