"""The unit tier's rules (tests/conftest.py) are on: what would make a test slow or flaky
fails it here, and belongs in tests/integration."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from dashboard.app import create_app
from dashboard.config import Config


def test_a_unit_test_may_not_sleep():
    with pytest.raises(pytest.fail.Exception, match="sleeps"):
        time.sleep(0)


def test_a_unit_test_may_not_start_a_process():
    with pytest.raises(pytest.fail.Exception, match="starts a process"):
        subprocess.run(["true"], check=False)


def test_an_app_serves_what_was_published_without_an_ingest_thread(data_dir):
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    answer = client.get("/api/status").get_json()
    assert any(f["status"] == "accepted" for f in answer["files"])
    assert not [t for t in threading.enumerate() if t.name == "miglia-ingest"]
