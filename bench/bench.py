"""Speed and memory benchmarks of 反诈指挥台 (figures printed, not asserted; see README 'Benchmarks')."""

import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from db.engine import make_engine, read_session
from db.migrate import upgrade
from db.models import FraudCase, Unit
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


def _timed(engine, call, repeats: int) -> tuple[float, float, float]:
    """First (cold) and median warm milliseconds of call(session), each in a read transaction of its own, and the
    median warm CPU milliseconds of this process (SQLite's work included; PostgreSQL's server not)."""
    times, cpu = [], []
    for _ in range(repeats + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        with read_session(engine) as session:
            call(session)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return times[0], statistics.median(times[1:]), statistics.median(cpu[1:])


@app.command("overview-board")
def overview_board(
    url: Annotated[str, typer.Option(help="Database URL holding a demo.")],
    repeats: Annotated[int, typer.Option(help="Warm runs after the first.")] = 7,
    at: Annotated[str, typer.Option(help="The instant measured (UTC, ISO); default the demo's anchor.")] = "",
    pages: Annotated[bool, typer.Option(help="Also time the whole 总览 page view for 本月 and 本年.")] = True,
) -> None:
    """总览/大屏 read models (services/overview/board.py), uncached: each alone, and the wall's refresh set."""
    from services.overview import board
    from services.shared.timeutil import MONTH, YEAR, reporting_span, shanghai_today

    engine = make_engine(normalise_database_url(url))
    moment = datetime.fromisoformat(at) if at else ANCHOR
    today = shanghai_today(moment)
    month = reporting_span(MONTH, today)
    with read_session(engine) as session:
        city = session.execute(select(Unit).where(Unit.level == 1)).scalars().first()
        children = (select(Unit.parent_id, func.count().label("n")).group_by(Unit.parent_id)).subquery()
        district = session.execute(select(Unit).join(children, children.c.parent_id == Unit.id)
                                   .where(Unit.level == 2).order_by(children.c.n.desc(), Unit.id)).scalars().first()
        cases = session.execute(text("SELECT count(*) FROM fraud_case")).scalar_one()
    leader = Actor(0, "bench", "bench", Role.LEADER, city.id, city.path, city.name)

    def wall(session) -> None:  # what one wall refresh asks of these read models
        board.headline(session, leader, moment, city.id)
        board.trend(session, leader, today, 30, city.id)
        board.type_breakdown(session, leader, month.current, city.id)
        board.branches(session, leader, month, city.id)

    cases_by = {
        "headline city (今日+本月)": lambda s: board.headline(s, leader, moment, city.id),
        f"headline {district.name}": lambda s: board.headline(s, leader, moment, district.id),
        "trend 30 days city": lambda s: board.trend(s, leader, today, 30, city.id),
        "types 本月 city": lambda s: board.type_breakdown(s, leader, month.current, city.id),
        "branches 本月 city": lambda s: board.branches(s, leader, month, city.id),
        f"branches 本月 {district.name}": lambda s: board.branches(s, leader, month, district.id),
        "wall set (headline+trend+types+branches)": wall,
    }
    if pages:
        for kind, label in ((MONTH, "本月"), (YEAR, "本年")):
            span = reporting_span(kind, today)
            cases_by[f"总览 page view {label} city"] = lambda s, span=span: board.view(s, leader, moment, None, span)
    print(f"overview read models [{engine.dialect.name}, {cases:,} cases, at {moment:%Y-%m-%d %H:%M} UTC]")
    for label, call in cases_by.items():
        cold, warm, cpu = _timed(engine, call, repeats)
        print(f"  {label}: first {cold:.0f} ms, warm median {warm:.0f} ms (process CPU {cpu:.0f} ms)")


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


@app.command()
def wall(
    url: Annotated[str, typer.Option(help="Database URL holding a demo.")],
    username: Annotated[str, typer.Option(help="Demo account whose wall is measured.")] = "wall",
    repeats: Annotated[int, typer.Option(help="Timed refreshes after the first.")] = 10,
    parts: Annotated[bool, typer.Option(help="Also time each read model of the board alone.")] = False,
    moment: Annotated[str | None, typer.Option(
        help="Read the board as at this ISO instant (e.g. 2026-11-28T12:00:00+00:00, a demo's last day), not now: "
             "just after a Beijing month turns 本月 is nearly empty and the timing says little.")] = None,
) -> None:
    """大屏: server time of one wall refresh (every read model of the board, uncached), first and repeated."""
    from services.access.auth import actor_by_username
    from services.wall.read import board, campaign_standing

    engine = make_engine(url)
    with read_session(engine) as session:
        actor = actor_by_username(session, username, "127.0.0.1")
        cases = session.execute(text("SELECT count(*) FROM fraud_case")).scalar_one()
    at = datetime.fromisoformat(moment) if moment else None
    if at is not None and at.tzinfo is None:
        raise typer.BadParameter("--moment needs a time zone, e.g. +00:00 or +08:00")
    if parts:
        _wall_parts(engine, actor, repeats, at)
    # The board is read every refresh; the campaign ranking at most every five minutes (cached.wall_standing).
    for label, read in (("wall refresh", board), ("campaign ranking (every 5 min)", campaign_standing)):
        times, cpu = [], []
        for _ in range(repeats + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            with read_session(engine) as session:
                read(session, actor, at or datetime.now(UTC))
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        warm = sorted(times[1:])
        # Under a shared load the process CPU (Python and, for SQLite, the database work) is the steadier figure.
        print(f"{label} [{engine.dialect.name}, {cases:,} cases, {username}, at {at or 'now'}]: first {times[0]:.0f} ms, "
              f"median {statistics.median(warm):.0f} ms, max {warm[-1]:.0f} ms over {repeats}; "
              f"process CPU median {statistics.median(cpu[1:]):.0f} ms")


def _wall_part_reads(actor, moment: datetime) -> dict:
    """Each read model of services/wall/read.board as a function of (session, root unit)."""
    from services.accountability.read import summary
    from services.overview import board as overview_board
    from services.shared.timeutil import MONTH, reporting_span, shanghai_today
    from services.wall import read as wall_read

    today = shanghai_today(moment)
    month = reporting_span(MONTH, today)
    return {
        "headline": lambda s, root: overview_board.headline(s, actor, moment, root.id),
        "accountability summary": lambda s, root: summary(s, actor, moment, root.id),
        "branches": lambda s, root: overview_board.branches(s, actor, month, root.id),
        "map (jurisdiction_measures)": lambda s, root: wall_read.map_measures(s, actor, root, today),
        "trend": lambda s, root: overview_board.trend(s, actor, today, wall_read.TREND_DAYS, root.id),
        "types": lambda s, root: overview_board.type_breakdown(s, actor, month.current, root.id),
        "triggers": lambda s, root: wall_read.triggers(s, root, moment),
        "hot leads": lambda s, root: wall_read.leads(s, actor),
    }


def _wall_parts(engine, actor, repeats: int, at: datetime | None) -> None:
    """Each read model of one wall refresh alone, in its own session: median wall time and process CPU."""
    from services.access.scope import scoped_unit

    for label, read in _wall_part_reads(actor, at or datetime.now(UTC)).items():
        times, cpu = [], []
        for _ in range(repeats + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            with read_session(engine) as session:
                read(session, scoped_unit(session, actor, None))
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"  part {label}: median {statistics.median(times[1:]):.1f} ms (min {min(times[1:]):.1f}), "
              f"process CPU median {statistics.median(cpu[1:]):.1f} ms")


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


def _fill_campaign(engine, activities: int, seed: int) -> tuple[int, int, int]:
    """Top the running demo campaign up to `activities` activities (bulk insert); (campaign id, added, total)."""
    import numpy as np

    from db.bulk import bulk_insert, refresh_statistics, timestamp_texts
    from db.engine import writer
    from db.models import Activity, Campaign, CampaignUnit
    from services.campaigns import tallies
    from services.demo import generator as gen
    from services.shared.timeutil import now_utc, shanghai_today

    today = shanghai_today()
    with read_session(engine) as session:
        campaign = session.execute(select(Campaign).where(Campaign.start_date <= today, Campaign.end_date >= today)
                                   .order_by(Campaign.start_date.desc())).scalars().first()
        units = session.execute(select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign.id)).scalars().all()
        have = session.execute(select(func.count()).select_from(Activity).where(Activity.campaign_id == campaign.id)).scalar()
    missing = max(activities - have, 0)
    if missing:
        rng = np.random.default_rng(seed)
        span = (today - campaign.start_date).days + 1
        days = np.datetime_as_string(np.datetime64(campaign.start_date) + rng.integers(0, span, missing)
                                     .astype("timedelta64[D]"), unit="D").tolist()
        detail = gen.activity_rows_spec(missing, rng)
        unit_of = np.asarray(units)[rng.integers(0, len(units), missing)].tolist()
        created = timestamp_texts(np.array([np.datetime64(now_utc().replace(tzinfo=None))]), engine.dialect.name)[0]
        rows = zip([campaign.id] * missing, unit_of, days, detail["outreach"].tolist(), detail["channel"].tolist(),
                   detail["pieces"].tolist(), detail["people"].tolist(), detail["households"].tolist(),
                   [created] * missing, strict=True)
        with writer(engine).begin() as connection:
            bulk_insert(connection, Activity.__table__, ("campaign_id", "unit_id", "activity_date", "outreach", "channel",
                                                         "pieces", "people_reached", "households", "created_at"), rows)
            counted = time.perf_counter()
            tallies.rebuild(connection, [campaign.id])  # bulk-inserted: count them once, as the demo loader does
            print(f"tallies [{engine.dialect.name}]: rebuilt in {time.perf_counter() - counted:.1f} s")
            refresh_statistics(connection, ("activity", "campaign_target_tally", "campaign_unit_tally"))
    return campaign.id, missing, have + missing


@app.command()
def campaigns(
    url: Annotated[str, typer.Option(help="Database URL; an empty one gets a demo (anchored now) first.")],
    activities: Annotated[int, typer.Option(help="Activities the running campaign is topped up to.")] = 1_000_000,
    cases: Annotated[int, typer.Option(help="Cases of the demo loaded into an empty database.")] = 100_000,
    username: Annotated[str, typer.Option(help="Demo account whose view is measured.")] = "leader",
    repeats: Annotated[int, typer.Option(help="Timed warm runs.")] = 10,
) -> None:
    """专项行动 · 行动进度: the progress read model (cold, then warm uncached runs) and the page (AppTest), peak RSS."""
    from services.access.auth import actor_by_username
    from services.campaigns.progress import progress
    from services.shared.timeutil import now_utc, shanghai_today

    url = normalise_database_url(url)
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade(engine)  # on a database of an earlier revision, 0012 counts the logged activities into the tallies
    print(f"migrations [{engine.dialect.name}]: {time.perf_counter() - started:.1f} s")
    with read_session(engine) as session:
        empty = not session.execute(select(func.count()).select_from(Unit)).scalar()
    if empty:
        started = time.perf_counter()
        load_demo(engine, DemoSpec(cases=cases, seed=1, anchor=now_utc()))
        print(f"demo [{engine.dialect.name}]: {cases:,} cases in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    campaign_id, added, total = _fill_campaign(engine, activities, seed=7)
    print(f"activities [{engine.dialect.name}]: added {added:,} in {time.perf_counter() - started:.1f} s; "
          f"the campaign holds {total:,}")
    with read_session(engine) as session:
        actor = actor_by_username(session, username, "127.0.0.1")
    engine.dispose()
    engine = make_engine(url)  # a new pool: the first run below is cold for this process
    timings = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        with read_session(engine) as session:
            standing = progress(session, actor, campaign_id, shanghai_today())
        timings.append((time.perf_counter() - started) * 1000)
    cold, warm = timings[0], sorted(timings[1:])
    print(f"progress read model [{engine.dialect.name}, {username}, {len(standing.units)} units × "
          f"{len(standing.targets)} targets]: cold {cold:.0f} ms; warm (uncached) median {statistics.median(warm):.0f} ms, "
          f"max {warm[-1]:.0f} ms")
    _time_page(url, username, "views/campaigns.py", (("all units, page 1", {}), ("page 3", {"page": "3"}),
                                                     ("behind only", {"show": "behind"})), repeats)
    print(f"peak RSS {_peak_rss_mb():,.0f} MB")


@app.command()
def narratives(count: Annotated[int, typer.Option(help="Narratives of 2,000 characters to time.")] = 200) -> None:
    """Narrative assist on 2,000-character stories built from the evaluation set (type proposal + extraction)."""
    import json
    from pathlib import Path

    from services.desk.assist import assist
    from services.desk.classify import propose_fraud_type

    data = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives" / "narratives.jsonl"
    texts = [json.loads(line)["text"] for line in data.read_text(encoding="utf-8").splitlines()]
    stories = [("".join(texts[(i * 7 + k) % len(texts)] for k in range(40)))[:2000] for i in range(count)]
    assist(stories[0])  # load the lexicon and weights once, as a running desk has
    for name, step in (("type proposal", propose_fraud_type), ("full assist", assist)):
        runs = []
        for story in stories:
            started = time.perf_counter()
            step(story)
            runs.append((time.perf_counter() - started) * 1000)
        runs.sort()
        print(f"{name}, {count} narratives of 2,000 characters: median {statistics.median(runs):.2f} ms, "
              f"p95 {runs[int(len(runs) * 0.95) - 1]:.2f} ms, max {runs[-1]:.2f} ms")


@app.command()
def strike(
    url: Annotated[str, typer.Option(help="Database URL holding a demo (a copy: ledger rows may be added).")],
    username: Annotated[str, typer.Option(help="Demo account whose page is measured.")] = "leader",
    repeats: Annotated[int, typer.Option(help="Warm runs after the first.")] = 7,
) -> None:
    """打击挽损: its read models uncached (本月, 本年) and the page's warm reruns; the demo's 打击挽损 records are
    generated first (bulk, timed) when the database has no ledger rows."""
    from services.access.auth import actor_by_username
    from services.demo import strike as demo_strike
    from services.shared.timeutil import MONTH, YEAR, reporting_span, shanghai_today
    from services.strike import api as strike_api
    from services.strike import read

    engine = make_engine(normalise_database_url(url))
    upgrade(engine)
    with read_session(engine) as session:
        ledger = session.execute(text("SELECT count(*) FROM recovery_request")).scalar_one()
        cases = session.execute(text("SELECT count(*) FROM fraud_case")).scalar_one()
        anchor = session.execute(select(func.max(FraudCase.reported_at))).scalar_one()
    if ledger == 0:
        started = time.perf_counter()
        with engine.begin() as connection:
            made = demo_strike.write_strike(connection, DemoSpec(cases=cases, seed=1, anchor=anchor))
        print(f"demo 打击挽损 records at {cases:,} cases: {made} in {time.perf_counter() - started:.1f} s")
    with read_session(engine) as session:
        actor = actor_by_username(session, username, "127.0.0.1")
        counts = session.execute(text("SELECT (SELECT count(*) FROM recovery_request), (SELECT count(*) FROM "
                                      "recovery_event), (SELECT count(*) FROM dissuasion), (SELECT count(*) FROM "
                                      "fraud_case WHERE solved_on IS NOT NULL)")).one()
    print(f"strike read models [{engine.dialect.name}, {cases:,} cases, {counts[0]:,} ledger rows, {counts[1]:,} "
          f"ledger steps, {counts[2]:,} 劝阻, {counts[3]:,} solved; {username}, today {shanghai_today(anchor)}]")
    for kind, label in ((MONTH, "本月"), (YEAR, "本年")):
        span = reporting_span(kind, shanghai_today(anchor))
        for name, call in (("两升两降", lambda s, span=span: read.two_up_two_down(s, actor, None, span)),
                           ("ledger measures", lambda s, span=span: read.recovery_figures(s, actor, None, span.current)),
                           ("挽损 tables", lambda s, span=span: read.saved_tables(s, actor, None, span.current)),
                           ("ledger list (500)", lambda s, span=span: read.ledger(s, actor, None, span.current)),
                           ("劝阻 stage medians",
                            lambda s, span=span: read.dissuasion_medians(s, actor, None, span.current)),
                           ("whole board", lambda s, span=span: strike_api._board(s, actor, None, span))):
            cold, warm, cpu = _timed(engine, call, repeats)
            print(f"  {label} {name}: first {cold:.0f} ms, warm median {warm:.0f} ms (process CPU {cpu:.0f} ms)")
    _time_page(url, username, "views/strike.py", (("本月", {}), ("本年", {"range": "year"})), repeats)


if __name__ == "__main__":
    app()
