"""Browser tests: Debian's headless Chromium driven by Playwright, against the app served by
`python -m dashboard` on 127.0.0.1. Nothing leaves the machine.

If Chromium is missing these tests fail (they are never skipped): `make test` installs it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from dashboard.pages.explore import DATA_VERSION_PATH
from tests.conftest import REPO, wait_until

# generous waits: the suite runs on 2 cores, sometimes beside other work
expect.set_options(timeout=10_000)

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# headless, as root, and nothing that reaches the network (bench/common.py has the same list:
# the tests do not import the benchmarks)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
# what Chromium writes in the console for a document answered with status 404 (an unknown address)
NOT_FOUND_CONSOLE_ERROR = (
    "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
)
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        log = open(self.data_dir.parent / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard",
                "--port",
                str(self.port),
                "--data",
                str(self.data_dir),
            ],
            cwd=REPO,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {Path(log.name).read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/_dash-layout", timeout=1):
                    return True
            except OSError:
                return False

        wait_until(answers, 30, "the server's first answer")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def shipped_server(tmp_path_factory):
    """One server over a copy of the shipped data, for tests that only read."""
    data = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns(".history"))
    server = LiveServer(data).start()
    yield server
    server.stop()


@pytest.fixture
def live_server(data_dir):
    """A server of its own over a data folder the test may change."""
    server = LiveServer(data_dir).start()
    yield server
    server.stop()


EDITOR_TOKEN = "test-editor-token-7d1f"


@pytest.fixture
def editor_server(data_dir):
    """A server with editing enabled (MIGLIA_EDITOR_TOKEN) over a data folder of its own."""
    server = LiveServer(data_dir, env={"MIGLIA_EDITOR_TOKEN": EDITOR_TOKEN}).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page with every request and console message it made, for the offline checks."""

    page: Page
    requests: list[str]
    console_errors: list[str]

    def external_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(("http://127.0.0.1", "blob:", "data:"))
        ]


ERROR_DETAIL = """x => (x && x.error) ? String(x.error.message || x.error)
    : (typeof x === 'object' ? Object.keys(x || {}).join(',') : '')"""


def _record_console_error(watched: Watched, msg) -> None:
    if msg.type != "error":
        return
    details = []
    for arg in msg.args:  # e.g. a MapLibre error event carries the error object
        # the page may be gone by now; the message text is enough then
        with contextlib.suppress(Exception):
            details.append(arg.evaluate(ERROR_DETAIL))
    watched.console_errors.append(" ".join([msg.text, *filter(None, details)]))


def open_page(browser, width: int = 1366, height: int = 768) -> Watched:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page, [], [])
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("console", lambda msg: _record_console_error(watched, msg))
    page.on("pageerror", lambda exc: watched.console_errors.append(str(exc)))
    return watched


@pytest.fixture
def watched(browser):
    watched = open_page(browser)
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone(browser):
    watched = open_page(browser, 390, 844)
    yield watched
    watched.page.context.close()


NEXT_FRAME = "() => new Promise(resolve => requestAnimationFrame(() => resolve(true)))"


def wait_in_browser(page: Page, condition, timeout: float = 10.0, what: str = "the condition"):
    """wait_until for a condition on the Python side of a page (e.g. requests its routes hold):
    between polls the page draws a frame, and Playwright delivers its events meanwhile."""
    return wait_until(condition, timeout, what, pause=lambda: page.evaluate(NEXT_FRAME))


def wait_for_polls(page: Page, count: int, timeout: float = 10_000) -> None:
    """Wait until the fans' page has asked the server for the data version `count` more times
    (its own clock: one poll a second), e.g. to see that something did not happen meanwhile."""
    for _ in range(count):
        with page.expect_response(lambda r: DATA_VERSION_PATH in r.url, timeout=timeout):
            pass


def axe_violations(page: Page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page once it has settled; the violations of the given impacts."""
    page.wait_for_function(
        """() => !document.querySelector('.ag-root')
                 || document.querySelectorAll('.ag-header-cell').length > 0"""
    )
    # evaluated, not added as an inline <script>: the app's CSP blocks inline scripts
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
