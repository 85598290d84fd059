"""A restart keeps what was accepted: the real server (`python -m dashboard`) takes a new
ranking file dropped into its folder, is stopped and started again on the same folder, and
still serves that ranking; a broken version written while it was down falls back on the
copy kept in rankings/.accepted/. No browser: the page is asked for as Dash's front end asks.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard import ids
from dashboard.data.store import ACCEPTED_DIR, RankingStore
from tests.conftest import REPO

NAME = "2020-08-after-the-finish.csv"
LABEL = "Restart check after the finish"
NEW_FILE = (
    f"# checkpoint: {LABEL}\n# stage: 4\n# order: 8\n"
    "position,car_number,driver,co_driver,car,car_year,points\n"
    "1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,80123\n"
    "2,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,80001\n"
).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"server-{self.port}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dashboard", "--port", str(self.port)]
                + ["--data", str(data_dir)],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server exited:\n{self.log.read_text()}"
            with contextlib.suppress(OSError):
                self.get("/_dash-layout")
                return
            time.sleep(0.1)
        raise AssertionError(f"server not ready in {timeout} s:\n{self.log.read_text()}")

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            assert response.status == 200
            return response.read()

    def page(self, pathname: str = "/", search: str = "") -> str:
        """The page as the browser gets it: the render_page callback for this address."""
        body = {
            "output": f"..{ids.PAGE}.children...{ids.PAGE_TITLE}.data..",
            "outputs": [
                {"id": ids.PAGE, "property": "children"},
                {"id": ids.PAGE_TITLE, "property": "data"},
            ],
            "inputs": [{"id": ids.URL, "property": "pathname", "value": pathname}],
            "state": [{"id": ids.URL, "property": "search", "value": search}],
            "changedPropIds": [f"{ids.URL}.pathname"],
        }
        request = urllib.request.Request(
            self.url + "/_dash-update-component",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            assert response.status == 200
            return response.read().decode()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def test_a_new_ranking_survives_a_restart(data_dir: Path):
    rankings = data_dir / "rankings"
    servers: list[Server] = []
    try:
        first = Server(data_dir)
        servers.append(first)
        first.wait_ready()
        assert LABEL not in first.page()

        # an editor copies a new file in; the running app takes it at its next check
        (rankings / NAME).write_bytes(NEW_FILE)
        kept = rankings / ACCEPTED_DIR / NAME
        deadline = time.monotonic() + 10
        while not kept.exists() and time.monotonic() < deadline:
            first.page()  # what the page's polling does: the app looks at the folder
            time.sleep(0.2)
        assert kept.read_bytes() == NEW_FILE
        assert LABEL in first.page()
        first.stop()
        assert first.process.returncode is not None

        second = Server(data_dir)
        servers.append(second)
        second.wait_ready()
        assert second.get("/").startswith(b"<!DOCTYPE html>")
        assert json.loads(second.get("/_dash-layout"))["type"] == "Div"
        assert LABEL in second.page()
        standings = RankingStore(rankings).snapshot().standings
        assert LABEL in set(standings.checkpoints["label"])
        new = standings.at(Path(NAME).stem)
        assert list(new["crew_id"]) == ["46", "45"]
        assert list(new["points"]) == [80123, 80001]
        second.stop()

        # broken while the app was down: after the next start the kept copy stands in
        broken = NEW_FILE.replace(b"80001", b"80001.5")  # a decimal: refused
        (rankings / NAME).write_bytes(broken)
        stamp = time.time() - 60
        os.utime(rankings / NAME, (stamp, stamp))
        third = Server(data_dir)
        servers.append(third)
        third.wait_ready()
        page = third.page()
        assert LABEL in page  # the last good version, from rankings/.accepted/
        assert NAME in page and "80001.5" in page  # and the refusal is reported
        status = {f.name: f for f in RankingStore(rankings).snapshot().files}[NAME]
        assert status.status == "refused" and status.using_last_good
        assert kept.read_bytes() == NEW_FILE
    finally:
        for server in servers:
            server.stop()
