"""The `fanzha` command-line tool: create/upgrade the database, load the demo, serve the dashboard."""

import os
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from db.engine import make_engine, read_session
from db.migrate import upgrade
from db.queries import all_units
from services.config import PROJECT_ROOT, load_settings
from services.demo.generator import DemoSpec
from services.demo.loader import DemoRefused, ProgressSink, load_demo
from services.timeutil import now_utc

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
        sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
        "--server.port", str(port), "--server.address", address,
    ]
    console.print(f"反诈指挥台: http://{address}:{port}")
    os.chdir(PROJECT_ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    os.execvp(command[0], command)


if __name__ == "__main__":
    app()
