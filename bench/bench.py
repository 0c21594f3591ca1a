"""Speed and memory benchmarks of 反诈指挥台 (figures printed, not asserted; see README 'Benchmarks')."""

import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from db.engine import make_engine, read_session
from db.migrate import upgrade
from db.models import Unit
from services.access.actor import Actor
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.overview.read import build_overview
from services.shared.config import normalise_database_url
from vocabulary import CallOutcome, CallType, Role

app = typer.Typer(help="Benchmarks: each prints its figures.", no_args_is_help=True, add_completion=False)
ANCHOR = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fresh_database(backend: str, pg_url: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    url = make_url(normalise_database_url(pg_url))
    name = f"fanzha_bench_{int(time.time())}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False)


@app.command()
def demo(
    cases: Annotated[int, typer.Option(help="Cases to generate.")] = 1_000_000,
    backend: Annotated[str, typer.Option(help="sqlite or postgresql.")] = "sqlite",
    pg_url: Annotated[str, typer.Option(help="Server for --backend postgresql.")] = "postgresql://postgres@127.0.0.1:5432/test",
) -> None:
    """Time `fanzha demo` (generation + bulk load in one transaction) on a new database."""
    url = _fresh_database(backend, pg_url)
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    summary = load_demo(engine, DemoSpec(cases=cases, seed=1, anchor=ANCHOR))
    seconds = time.perf_counter() - started
    print(f"demo load [{backend}]: {cases:,} cases, {summary.calls:,} calls, {summary.identifiers:,} identifiers "
          f"in {seconds:.1f} s ({cases / seconds:,.0f} cases/s); peak RSS {_peak_rss_mb():,.0f} MB")
    print(f"database: {url}")


@app.command()
def overview(
    url: Annotated[str, typer.Option(help="Database URL holding a demo.")],
    repeats: Annotated[int, typer.Option(help="Timed runs.")] = 20,
) -> None:
    """Time building the 总览 figures (the SQL aggregation and roll-up) for the whole city."""
    engine = make_engine(normalise_database_url(url))
    upgrade(engine)
    with read_session(engine) as session:
        city = session.execute(select(Unit).where(Unit.level == 1)).scalars().first()
    leader = Actor(0, "bench", "bench", Role.LEADER, city.id, city.path, city.name)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        with read_session(engine) as session:
            build_overview(session, ANCHOR, leader)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"overview: median {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms "
          f"over {repeats} runs")


def _bench_officer(engine, unit_id: int) -> Actor:
    """A real desk account (calls reference their officer), created once per database."""
    from db.engine import write_session
    from services.access.auth import actor_by_username, create_user

    with write_session(engine) as session:
        if actor_by_username(session, "bench_desk", None) is None:
            create_user(session, None, username="bench_desk", display_name="压测民警", role=Role.DESK,
                        unit_id=unit_id, password="Bench#Desk2026")
        return actor_by_username(session, "bench_desk", "127.0.0.1")


@app.command()
def desk(
    url: Annotated[str, typer.Option(help="Database URL holding a demo (its identifiers are looked up).")],
    officers: Annotated[int, typer.Option(help="Concurrent officers.")] = 20,
    calls: Annotated[int, typer.Option(help="Calls per officer.")] = 25,
) -> None:
    """Expert desk: submit→acknowledge latency under concurrency, identifier lookup, narrative assist."""
    import threading
    import uuid

    from services.desk.assist import assist
    from services.desk.calls import CallDraft, submit_call, validate
    from services.desk.identifier_store import seen_before
    from services.shared.timeutil import now_utc

    engine = make_engine(normalise_database_url(url))
    upgrade(engine)
    with read_session(engine) as session:
        city = session.execute(select(Unit).where(Unit.level == 1)).scalars().first()
        count = session.execute(text("SELECT COUNT(*) FROM identifier")).scalar()
        samples = session.execute(text("SELECT kind, value_norm FROM identifier ORDER BY RANDOM() LIMIT 200")).all()
    officer = _bench_officer(engine, city.id)
    latencies: list[float] = []
    lock = threading.Lock()

    def one_officer(n: int) -> None:
        for i in range(calls):
            draft = CallDraft(uuid.uuid4().hex, now_utc(), CallType.REPORT, CallOutcome.LEAD_LOGGED,
                              phones=f"139{n:04d}{i:04d}", narrative="刷单返利，垫付3634元")
            started = time.perf_counter()
            submit_call(engine, officer, validate(draft))
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=one_officer, args=(n,)) for n in range(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    print(f"submit→ack [{engine.dialect.name}], {officers} concurrent officers × {calls}: "
          f"median {statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms")
    lookups = []
    for kind, value in samples:
        started = time.perf_counter()
        with read_session(engine) as session:
            seen_before(session, officer, kind, value)
        lookups.append((time.perf_counter() - started) * 1000)
    lookups.sort()
    print(f"identifier lookup with {count:,} identifiers: median {statistics.median(lookups):.1f} ms, "
          f"p95 {lookups[int(len(lookups) * 0.95) - 1]:.1f} ms, max {lookups[-1]:.1f} ms")
    story = ("对方自称是公安局民警，说我涉嫌洗钱，让我把钱转到安全账户6222021234567890128，"
             "我已经转了3634元，还准备转八十万，对方电话13812345678，网址www.abc-safe.top/login。") * 20
    story = story[:2000]
    runs = []
    for _ in range(50):
        started = time.perf_counter()
        assist(story)
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    print(f"narrative assist, {len(story)} characters: median {statistics.median(runs):.2f} ms, "
          f"p95 {runs[int(len(runs) * 0.95) - 1]:.2f} ms")




def _tree_bytes(node) -> int:
    """Serialized size of every element under an AppTest node (what the server sends for one render)."""
    own = len(node.proto.SerializeToString()) if getattr(node, "proto", None) is not None else 0
    return own + sum(_tree_bytes(child) for child in getattr(node, "children", {}).values())


def _time_page(url: str, username: str, view: str, variants: tuple[tuple[str, dict], ...], repeats: int) -> None:
    """Cold run and warm reruns of a page (AppTest, server side) and the size of one render's elements."""
    import os

    from streamlit.testing.v1 import AppTest

    from services.access.auth import actor_by_username

    os.environ["FANZHA_DATABASE_URL"] = url
    engine = make_engine(normalise_database_url(url))
    upgrade(engine)
    with read_session(engine) as session:
        actor = actor_by_username(session, username, "127.0.0.1")
    app_file = str(Path(__file__).resolve().parents[1] / "app.py")
    for label, query in variants:
        at = AppTest.from_file(app_file, default_timeout=120)
        at.session_state["fanzha_actor"] = actor
        at.switch_page(view)
        for name, value in query.items():
            at.query_params[name] = value
        started = time.perf_counter()
        at.run()
        cold = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(repeats):
            started = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - started) * 1000)
        warm.sort()
        decks = at.get("deck_gl_json_chart")
        deck = f"deck JSON {len(decks[0].proto.json) / 1024:,.0f} KiB, " if decks else ""
        payload = _tree_bytes(at.main) + _tree_bytes(at.sidebar)
        print(f"{view} [{label}]: cold {cold:.0f} ms; warm rerun median {statistics.median(warm):.0f} ms, "
              f"p95 {warm[int(len(warm) * 0.95) - 1]:.0f} ms; {deck}page elements {payload / 1024:,.0f} KiB")


@app.command("map")
def map_page(
    url: Annotated[str, typer.Option(help="Database URL holding a demo.")],
    username: Annotated[str, typer.Option(help="Demo account whose view is measured.")] = "leader",
    repeats: Annotated[int, typer.Option(help="Timed warm reruns.")] = 20,
) -> None:
    """案件地图: server time of a cold run and of warm reruns (AppTest), and the size of what one render sends."""
    _time_page(url, username, "views/map.py", (("city districts", {}), ("city stations", {"depth": "2"}),
                                               ("city stations, 刷单返利", {"depth": "2", "type": "rebate"})), repeats)


@app.command()
def accountability(
    url: Annotated[str, typer.Option(help="Database URL holding a demo.")],
    username: Annotated[str, typer.Option(help="Demo account whose view is measured.")] = "leader",
    repeats: Annotated[int, typer.Option(help="Timed warm reruns.")] = 20,
) -> None:
    """问责预警 and 总览 pages: cold run and warm reruns (AppTest, server side)."""
    _time_page(url, username, "views/accountability.py", (("city", {}), ("city, open only", {"open": "1"})), repeats)
    _time_page(url, username, "views/overview.py", (("city", {}),), repeats)


def _as_xlsx(lines: list[str]) -> bytes:
    """The generated CSV lines as an .xlsx as Excel would hold them: date cells, numbers for amounts and coordinates."""
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(lines[0].split(","))
    for line in lines[1:]:
        case_no, unit, reported, kind, loss, lon, lat, age = line.split(",")
        sheet.append([case_no, unit, datetime.strptime(reported, "%Y-%m-%d %H:%M"), kind, float(loss), float(lon),
                      float(lat), int(age)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@app.command("import-cases")
def import_cases(
    rows: Annotated[int, typer.Option(help="Rows in the generated file.")] = 100_000,
    backend: Annotated[str, typer.Option(help="sqlite or postgresql.")] = "sqlite",
    pg_url: Annotated[str, typer.Option(help="Server for --backend postgresql.")] = "postgresql://postgres@127.0.0.1:5432/test",
    file_format: Annotated[str, typer.Option("--format", help="csv, or xlsx (the same rows with date and number cells).")] = "csv",
) -> None:
    """Import a generated n-row CSV/XLSX of cases into a new database with the 漳州 units: whole time, then re-import."""
    import random

    from services.case_import.writer import import_file
    url = _fresh_database(backend, pg_url)
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, DemoSpec(cases=100, seed=1, anchor=ANCHOR))  # the 漳州 units (and 100 demo cases)
    with read_session(engine) as session:
        stations = session.execute(select(Unit.code).where(Unit.level == 3)).scalars().all()
    random.seed(1)
    types = ["刷单返利类", "虚假网络投资理财类", "冒充电商物流客服类", "贷款、代办信用卡类", "冒充公检法及政府机关类"]
    lines = ["案件编号,所属单位,接报时间,诈骗类型,损失金额（元）,经度,纬度,受害人年龄"]
    for n in range(rows):
        lines.append(f"BENCH{n:08d},{random.choice(stations)},2026-{random.randint(1, 11):02d}-{random.randint(1, 28):02d} "
                     f"{random.randint(0, 23):02d}:{random.randint(0, 59):02d},{random.choice(types)},"
                     f"{random.lognormvariate(9.5, 1.5):.2f},{117.6 + random.random() * 0.3:.5f},"
                     f"{24.5 + random.random() * 0.3:.5f},{random.randint(18, 80)}")
    data = "\n".join(lines).encode("utf-8") if file_format == "csv" else _as_xlsx(lines)
    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    for attempt in ("first import", "re-import (no changes)"):
        phases.clear()
        started = time.perf_counter()
        report = import_file(engine, None, data, f"bench.{file_format}", "wgs84", progress=progress)
        seconds = time.perf_counter() - started
        assert not report.errors, report.errors[:5]
        outcome = report.outcome
        read = phases.get("write", time.perf_counter()) - started
        print(f"import-cases [{backend}, {file_format}] {attempt}: {rows:,} rows ({len(data) / 1e6:.1f} MB) in {seconds:.1f} s "
              f"(validation {read:.1f} s); created {outcome.created:,}, updated {outcome.updated:,}, "
              f"unchanged {outcome.unchanged:,}; peak RSS {_peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    app()
