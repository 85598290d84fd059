"""The update poll: every open page asks the small data-version endpoint every second; the
answer is the snapshot's version, reused for POLL_CACHE_S, so polls cost microseconds."""

from __future__ import annotations

import os
import time

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.data import store as store_module
from dashboard.data.store import RankingStore
from dashboard.pages.explore import DATA_VERSION_PATH

NEW_RANKING = b"""# checkpoint: Poll test
# stage: 4
# order: 99
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,90000,
"""


def add_ranking(data_dir, name="2020-99-poll.csv"):
    path = data_dir / "rankings" / name
    path.write_bytes(NEW_RANKING)
    stamp = time.time() - 60  # settled: not "being written"
    os.utime(path, (stamp, stamp))


def test_the_endpoint_answers_the_data_version_as_plain_text(data_dir, monkeypatch):
    monkeypatch.setattr(store_module, "POLL_CACHE_S", 0.0)
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    first = client.get("/" + DATA_VERSION_PATH)
    assert first.status_code == 200
    assert first.mimetype == "text/plain"
    assert first.headers["Cache-Control"] == "no-store"
    assert first.get_data(as_text=True) == RankingStore(data_dir / "rankings").snapshot().version
    add_ranking(data_dir)
    second = client.get("/" + DATA_VERSION_PATH).get_data(as_text=True)
    assert second != first.get_data(as_text=True)


def test_the_polled_version_is_reused_for_a_moment_then_checked_again(data_dir, monkeypatch):
    monkeypatch.setattr(store_module, "POLL_CACHE_S", 0.3)
    store = RankingStore(data_dir / "rankings")
    before = store.current_version()
    add_ranking(data_dir)
    assert store.current_version() == before  # within POLL_CACHE_S: no folder scan
    assert store.snapshot().version != before  # snapshots themselves are never stale
    time.sleep(0.35)
    assert store.current_version() == store.snapshot().version != before


def test_while_a_new_file_settles_the_poll_is_told_when_to_ask_again(data_dir, monkeypatch):
    monkeypatch.setattr(store_module, "POLL_CACHE_S", 0.0)
    store = RankingStore(data_dir / "rankings")
    settled = store.poll_answer()
    assert "\n" not in settled  # nothing waiting: the version alone
    (data_dir / "rankings" / "2020-99-poll.csv").write_bytes(NEW_RANKING)  # just written
    version, wait_ms = store.poll_answer().split("\n")
    assert version.endswith(store_module.WAITING_SUFFIX)
    assert 0 <= int(wait_ms) <= store_module.STABLE_AFTER_S * 1000
    time.sleep(int(wait_ms) / 1000 + 0.05)
    after = store.poll_answer()  # settled when it said: read, and nothing waits
    assert "\n" not in after and not after.endswith(store_module.WAITING_SUFFIX)
    assert after != settled
