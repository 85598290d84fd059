"""Real servers on 127.0.0.1 for integration tests: `python -m dashboard` or gunicorn."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import REPO, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One server process over a data folder; `workers` > 0 runs gunicorn as `make serve`."""

    def __init__(self, data_dir: Path, workers: int = 0, env: dict | None = None):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"server-{self.port}.log"
        if workers:
            command = [
                str(Path(sys.executable).with_name("gunicorn")),
                "--preload",
                "--workers", str(workers),
                "--threads", "4",
                "--bind", f"127.0.0.1:{self.port}",
                "dashboard.app:create_server()",
            ]  # fmt: skip
        else:
            command = [sys.executable, "-m", "dashboard", "--port", str(self.port)]
            command += ["--data", str(data_dir)]
        environment = {**os.environ, "MIGLIA_DATA_DIR": str(data_dir), **(env or {})}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=environment
            )

    def wait_ready(self, timeout: float = 30) -> None:
        def healthy() -> bool:
            assert self.process.poll() is None, f"server exited:\n{self.log.read_text()}"
            with contextlib.suppress(OSError):
                return self.status_code("/healthz") == 200
            return False

        try:
            wait_until(healthy, timeout, "the server's health check")
        except AssertionError as err:
            raise AssertionError(f"{err}:\n{self.log.read_text()}") from None

    def status_code(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            assert response.status == 200
            return response.read()

    def status(self) -> dict:
        return json.loads(self.get("/api/status"))

    def callback(self, body: dict) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.url + "/_dash-update-component",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
