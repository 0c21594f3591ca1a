"""Browser-test fixtures: a real Streamlit server on a free port and Debian's Chromium, offline."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai"}


class LiveServer:
    """A running `streamlit run server.py` (the app with its cookie endpoint and security headers) and its log."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str] | None = None,
                 args: list[str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "FANZHA_DATABASE_URL": database_url, **(env or {})}
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *(args or [])],
            cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def live_server(demo_db_url, tmp_path_factory) -> Iterator[LiveServer]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(demo_db_url, ARTIFACTS / "streamlit.log")
    (ARTIFACTS / "live_server_db.txt").write_text(demo_db_url)
    yield server
    server.stop()


class RequestLog:
    """Every URL the browser asked for (pages, scripts, websockets)."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def foreign(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(("data:", "blob:", "about:"))
                and (urlparse(u).hostname or "") not in LOCAL_HOSTS]


@pytest.fixture
def requests_seen(context) -> Iterator[RequestLog]:
    """Records every request of the test's browser context; the test fails on any non-local one."""
    log = RequestLog()
    context.on("request", lambda request: log.urls.append(request.url))
    context.on("page", lambda page: page.on("websocket", lambda ws: log.urls.append(ws.url)))
    for page in context.pages:
        page.on("websocket", lambda ws: log.urls.append(ws.url))
    yield log
    assert log.foreign() == [], f"requests left the host: {log.foreign()}"


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the Streamlit script has finished running."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


DEMO_PASSWORD = "Fanzha@Demo1"


def login(page, username: str, password: str = DEMO_PASSWORD, succeeds: bool = True) -> None:
    """Fill the login form on the current page; wait for the signed-in view (or the refusal)."""
    wait_for_app(page)
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    if succeeds:
        # The page is shown only once the server has set the HttpOnly session cookie.
        page.locator(".st-key-logout").wait_for()
    else:
        page.locator('[data-testid="stAlert"]').wait_for()
    wait_for_app(page)


class FrameLog:
    """Every websocket frame the browser received, to prove what never reached it."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def record(self, payload) -> None:
        self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

    def contains(self, value: str) -> bool:
        needle = value.encode()
        return any(needle in frame for frame in self.frames)


@pytest.fixture
def frames(page) -> FrameLog:
    """Websocket frames received by the test's page (register before the first goto)."""
    log = FrameLog()
    page.on("websocket", lambda ws: ws.on("framereceived", log.record))
    return log


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test, keep a screenshot of what the page showed."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page")
    if report.when == "call" and report.failed and page is not None:
        try:
            screenshot(page, f"FAILED-{item.name}")
        except Exception:  # noqa: BLE001 - a screenshot must never mask the real failure
            pass
