"""Soak test of the wall display: a server on a demo database, the wall open in Chromium refreshing every few
seconds, and server and browser memory recorded every minute (not part of the test suite).

    .venv/bin/python scripts/soak_wall.py --minutes 60 --refresh 5 > /tmp/soak.log 2>&1 &

The run's baseline is the first sample of the fully drawn page: the script waits until the map's deck.gl canvas
and both Plotly charts have drawn and at least one refresh ("数据更新于" changed) has been seen, and only then
starts the clock. It prints the page's state when the header first appeared (for reference, not the baseline), then
one line a minute for the whole --minutes (server RSS, browser RSS, JS heap, refreshes seen), and at the end the
growth from the baseline, the largest sample against the baseline, and the growth after the warm-up (the first few
minutes fill caches and the JIT).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def _rss_mb(pids: list[int], name_part: str | None = None) -> float:
    total = 0
    for pid in pids:
        try:
            if name_part and name_part not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="ignore"):
                continue
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE_KB
        except OSError:
            continue
    return total / 1024


def _prepare(db_path: Path, cases: int) -> str:
    """A demo database and a wall device; returns the device token."""
    from db.engine import make_engine, read_session
    from db.migrate import upgrade
    from services.access.auth import actor_by_username
    from services.demo.generator import DemoSpec
    from services.demo.loader import load_demo
    from services.wall import api as wall_api

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    load_demo(engine, DemoSpec(cases=cases, seed=7, anchor=datetime.now(UTC)))
    with read_session(engine) as session:
        admin = actor_by_username(session, "admin", "127.0.0.1")
    _, token = wall_api.create_device(engine, admin, "浸泡测试大屏", admin.unit_id, None)
    engine.dispose()
    return token


def _wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("server did not start")


# The baseline waits for data drawn: the map canvas and a trace in both charts. Each sample then checks the map
# canvas and both charts are on the page (a chart may be empty: 本月's fraud types just after a month begins).
DRAWN_JS = """() => {
  const canvas = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return !!canvas && canvas.width > 0 && canvas.height > 0 && plots.length >= 2
    && plots.every(p => p.querySelector('.main-svg .trace') !== null);
}"""
SHOWN_JS = """() => {
  const canvas = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return !!canvas && canvas.width > 0 && canvas.height > 0 && plots.length >= 2
    && plots.every(p => p.querySelector('.main-svg') !== null);
}"""


def _sample(client, server_pid: int) -> tuple[float, float, float]:
    """Server RSS, browser RSS and JS heap after a forced garbage collection, MB."""
    client.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in client.send("Performance.getMetrics")["metrics"]}
    heap = metrics.get("JSHeapUsedSize", 0) / 1024 / 1024
    return _rss_mb(_descendants(server_pid)), _rss_mb(_descendants(os.getpid()), "chrom"), heap


def _growth(first: float, last: float) -> str:
    return f"{last - first:+.1f} MB ({(last - first) / first * 100:+.1f}%)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--refresh", type=int, default=5, help="wall refresh interval in seconds")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=5, help="minutes after the baseline for the after-warm-up figure")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="soak_wall_"))
    token = _prepare(work / "soak.db", args.cases)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FANZHA_DATABASE_URL": f"sqlite:///{work / 'soak.db'}",
           "FANZHA_WALL_REFRESH_SECONDS": str(args.refresh)}
    log = (work / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true",
                               # the code under test stays as started while others edit the tree
                               "--server.fileWatcherType", "none"],
                              cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    samples: list[tuple[int, float, float, float]] = []
    try:
        _wait_healthy(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{url}/_fanzha/wall?token={token}")
            opened = time.monotonic()
            page.wait_for_selector("[data-testid=wall-updated]", timeout=60_000)
            client = page.context.new_cdp_session(page)
            client.send("Performance.enable")
            print(f"soak: {args.cases} cases, refresh every {args.refresh} s, {args.minutes} min, db {work}",
                  flush=True)
            header = _sample(client, server.pid)
            print(f"header shown after {time.monotonic() - opened:.1f} s (not the baseline): server {header[0]:.1f}"
                  f" MB  browser {header[1]:.1f} MB  JS heap {header[2]:.1f} MB", flush=True)
            # the baseline: map canvas and both charts drawn, and at least one refresh seen after that
            page.wait_for_function(DRAWN_JS, timeout=180_000, polling=500)
            drawn_text = page.inner_text("[data-testid=wall-updated]")
            page.wait_for_function("t => { const e = document.querySelector('[data-testid=wall-updated]');"
                                   " return e !== null && e.innerText !== t; }", arg=drawn_text,
                                   timeout=max(120_000, args.refresh * 6_000), polling=250)
            page.wait_for_function(DRAWN_JS, timeout=60_000, polling=500)
            print(f"fully drawn and one refresh seen after {time.monotonic() - opened:.1f} s: the clock starts",
                  flush=True)
            seen, last_text, start = 1, page.inner_text("[data-testid=wall-updated]"), time.monotonic()
            for minute in range(args.minutes + 1):
                while time.monotonic() < start + minute * 60:
                    text = page.inner_text("[data-testid=wall-updated]")
                    if text != last_text:
                        seen, last_text = seen + 1, text
                    page.wait_for_timeout(1000)
                drawn = page.evaluate(SHOWN_JS)
                server_mb, browser_mb, heap = _sample(client, server.pid)
                samples.append((minute, server_mb, browser_mb, heap))
                print(f"{minute:4d} min  server {server_mb:7.1f} MB  browser {browser_mb:7.1f} MB  "
                      f"JS heap {heap:6.1f} MB  refreshes seen {seen:5d}  drawn {'yes' if drawn else 'NO'}  "
                      f"shown: {last_text}", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    first, base, last = samples[0], samples[min(args.warmup, len(samples) - 1)], samples[-1]
    print(f"run length {last[0]} min after the baseline (fully drawn page, one refresh seen); refresh every "
          f"{args.refresh} s")
    for index, name in ((1, "server RSS"), (2, "browser RSS"), (3, "JS heap")):
        values = [sample[index] for sample in samples]
        print(f"{name:12s} baseline {first[index]:.1f} MB, at {base[0]} min {base[index]:.1f} MB, end "
              f"{last[index]:.1f} MB, range {min(values):.1f}-{max(values):.1f} MB; growth from baseline "
              f"{_growth(first[index], last[index])} (largest sample {_growth(first[index], max(values))}), after "
              f"warm-up {_growth(base[index], last[index])}")


if __name__ == "__main__":
    main()
