"""The shipped nginx site (deploy/) in front of gunicorn, both on 127.0.0.1: the static files
are cached with their immutable header, the update poll is micro-cached for a second, the
callbacks are never cached, and the app's security headers get through.

Needs Debian's nginx: `make test` installs nginx-light when it is missing (so CI runs this),
as bench/bench_proxy.py does; a bare pytest without nginx skips it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.render import standalone
from tests.conftest import REPO, wait_until
from tests.integration.servers import free_port

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx-light)"
)
POLL = "/_miglia/data-version"
TOWN_SUGGESTIONS = {  # a pure callback of the fans' page with one simple input
    "output": "town-suggestions.children",
    "outputs": {"id": "town-suggestions", "property": "children"},
    "inputs": [{"id": "town-input", "property": "value", "value": "Bres"}],
    "changedPropIds": ["town-input.value"],
    "state": [],
}


class Proxy:
    """nginx as a plain process over the rendered configuration, on a free loopback port."""

    def __init__(self, prefix: Path, upstream: str):
        self.port = free_port()
        self.prefix = prefix
        self.config = standalone(prefix, listen=f"127.0.0.1:{self.port}", upstream=upstream)
        self.stderr = open(prefix / "stderr.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def up(self) -> bool:
        assert self.process.poll() is None, (self.prefix / "stderr.log").read_text()
        with contextlib.suppress(OSError):
            return self.request("GET", "/healthz")[0] == 200
        return False

    def upstream_hits(self, path: str) -> int:
        """Requests for `path` nginx passed to the app (a cache hit has no upstream time)."""
        log = self.prefix / "access.log"
        lines = log.read_text().splitlines() if log.exists() else []
        pattern = re.compile(rf'"[A-Z]+ {re.escape(path)} HTTP/[0-9.]+" \d+ \d+ \S+ (\S+)')
        return sum(1 for line in lines if (m := pattern.search(line)) and m.group(1) != "-")

    def stop(self) -> None:
        stop(self.process)
        self.stderr.close()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


class App:
    """gunicorn with the shipped settings (deploy/gunicorn.conf.py), one worker."""

    def __init__(self, data: Path, log: Path):
        self.port = free_port()
        self.log = log
        env = {
            **os.environ,
            "MIGLIA_DATA_DIR": str(data),
            "MIGLIA_BIND": f"127.0.0.1:{self.port}",
            "MIGLIA_WORKERS": "1",
        }
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "-c",
                    str(REPO / "deploy" / "gunicorn.conf.py"),
                    "dashboard.app:create_server()",
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def up(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        return False


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    data = root / "data"
    shutil.copytree(
        REPO / "data", data, ignore=shutil.ignore_patterns(".history", ".ingest", ".accepted")
    )
    app = App(data, root / "gunicorn.log")
    nginx = None
    try:
        wait_until(app.up, 60, "gunicorn's health check")
        nginx = Proxy(root / "nginx", f"127.0.0.1:{app.port}")
        wait_until(nginx.up, 20, "nginx answering")
        yield nginx
    finally:
        if nginx is not None:
            nginx.stop()
        stop(app.process)


def test_the_rendered_configuration_passes_nginx_t(tmp_path):
    config = standalone(tmp_path / "nginx", listen="127.0.0.1:1", upstream="127.0.0.1:2")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path / "nginx"), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def static_address(proxy: Proxy) -> str:
    """The plotly.js bundle's hashed address, as the page names it."""
    status, _, page = proxy.request("GET", "/", headers={"Accept-Encoding": "identity"})
    assert status == 200
    return re.search(rb'src="(/_miglia/plotly-miglia\.[0-9a-f]{16}\.min\.js)"', page)[1].decode()


def test_a_hashed_static_file_is_immutable_and_the_second_request_is_a_cache_hit(proxy):
    address = static_address(proxy)
    asked = {"Accept-Encoding": "gzip, deflate, br"}
    status, first, body = proxy.request("GET", address, headers=asked)
    assert status == 200
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first["Content-Encoding"] == "br"  # the app's own brotli, not compressed again
    status, second, again = proxy.request("GET", address, headers=asked)
    assert (status, second["X-Cache-Status"], again) == (200, "HIT", body)
    assert second["Cache-Control"] == "public, max-age=31536000, immutable"
    # another browser's wording of the same encodings shares the copy
    third = proxy.request("GET", address, headers={"Accept-Encoding": "br, gzip"})[1]
    assert third["X-Cache-Status"] == "HIT"


def test_a_fingerprinted_asset_is_cached_for_a_year(proxy):
    page = proxy.request("GET", "/", headers={"Accept-Encoding": "identity"})[2]
    address = re.search(rb'href="(/assets/style\.css\?m=[0-9.]+)"', page)[1].decode()
    proxy.request("GET", address)
    status, headers, _ = proxy.request("GET", address)
    assert (status, headers["X-Cache-Status"]) == (200, "HIT")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_poll_is_micro_cached_for_a_second(proxy):
    before = proxy.upstream_hits(POLL)
    for _ in range(5):  # two requests within one second (a slow machine may need another try)
        start = time.monotonic()
        first = proxy.request("GET", POLL)
        second = proxy.request("GET", POLL)
        if time.monotonic() - start < 0.9:
            break
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert second[1]["X-Cache-Status"] == "HIT"
    assert second[1]["Cache-Control"] == "no-store"  # browsers still never keep it
    # the app saw one of the two at most: none when an earlier answer was still fresh
    asked_app = 0 if first[1]["X-Cache-Status"] in ("HIT", "UPDATING", "STALE") else 1
    wait_until(lambda: proxy.upstream_hits(POLL) - before == asked_app, 5, "the access log")
    # and after the second the app is asked again
    wait_until(
        lambda: proxy.request("GET", POLL)[1]["X-Cache-Status"] != "HIT", 5, "a fresh poll"
    )
    wait_until(lambda: proxy.upstream_hits(POLL) > before, 5, "the app asked again")


def test_a_callback_post_is_never_cached(proxy):
    body = json.dumps(TOWN_SUGGESTIONS).encode()
    headers = {"Content-Type": "application/json"}
    before = proxy.upstream_hits("/_dash-update-component")
    answers = [proxy.request("POST", "/_dash-update-component", body, headers) for _ in range(2)]
    assert [status for status, _, _ in answers] == [200, 200]
    assert b"Bresso" in answers[0][2]
    assert all("X-Cache-Status" not in h for _, h, _ in answers)
    wait_until(
        lambda: proxy.upstream_hits("/_dash-update-component") - before == 2, 5, "both at the app"
    )


def test_the_apps_security_headers_pass_through(proxy):
    for path in ("/", static_address(proxy), POLL):
        headers = proxy.request("GET", path)[1]
        assert headers["Content-Security-Policy"].startswith("default-src 'self'"), path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Server"] == "nginx"  # no version number given away


def test_a_rankings_rows_are_kept_by_nginx_and_a_miss_is_not(proxy):
    """Issue 18: the table's rows at their version-named address are immutable, so nginx
    answers every fan after the first; an unknown version's 404 is never kept."""
    version = proxy.request("GET", POLL)[2].decode().strip()
    address = f"/_miglia/rows/{version}/it/2020-07-final.json"
    asked = {"Accept-Encoding": "gzip, deflate, br"}
    status, first, body = proxy.request("GET", address, headers=asked)
    assert status == 200 and first["Content-Encoding"] == "br"
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    status, second, again = proxy.request("GET", address, headers=asked)
    assert (status, second["X-Cache-Status"], again) == (200, "HIT", body)
    assert proxy.upstream_hits(address) == 1
    missing = "/_miglia/rows/000999-nosuchversion/it/2020-07-final.json"
    answers = [proxy.request("GET", missing, headers=asked) for _ in range(2)]
    assert [status for status, _, _ in answers] == [404, 404]
    assert all(headers["X-Cache-Status"] != "HIT" for _, headers, _ in answers)
    assert b"not kept any more or never was" in answers[1][2]
