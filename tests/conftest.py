"""Shared fixtures and the tiers: tests/unit (no process, no sleep, no thread left running),
tests/integration (servers, threads, watched folders), tests/browser (Chromium)."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.config import ASSETS_DIR, DEFAULT_DATA_DIR

REPO = Path(__file__).resolve().parent.parent
SHIPPED_STAGES = DEFAULT_DATA_DIR / "stages.geojson"
TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "integration", "browser")


@dataclass(frozen=True)
class PlainSnapshot:
    """A snapshot holding standings only: what the pure standings-view functions read."""

    standings: object
    version: str = "1-test"
    files: tuple = ()


def shipped_rankings() -> list:
    """The shipped 2020 ranking files, parsed."""
    from dashboard.data.rankings import read_ranking

    return [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]


def tier_of(item: pytest.Item) -> str | None:
    """The tier is the folder: tests/<tier>/test_*.py."""
    parts = Path(item.path).resolve().relative_to(TESTS).parts
    return parts[0] if len(parts) > 1 and parts[0] in TIERS else None


def slow_selected(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr") or ""
    return "slow" in expression and "not slow" not in expression


@pytest.hookimpl(tryfirst=True)  # before -m deselects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_slow = pytest.mark.skip(reason="long-running: select it with -m slow")
    for item in items:
        tier = tier_of(item)
        if tier:
            item.add_marker(tier)
        if "slow" in item.keywords and not slow_selected(config):
            item.add_marker(skip_slow)


def wait_until(condition, timeout: float = 10.0, what: str = "the condition", pause=None):
    """Poll `condition` until it gives something truthy (returned), failing after `timeout`
    seconds; `pause` runs between polls (default a 20 ms sleep; a browser test passes one
    that lets Playwright deliver its events)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached in {timeout} s")
        if pause is None:
            time.sleep(0.02)
        else:
            pause()


def _refused(what: str):
    def refuse(*args, **kwargs):
        pytest.fail(f"a unit test {what}: it belongs in tests/integration", pytrace=False)

    return refuse


@pytest.fixture(autouse=True)
def _unit_tier_rules(request, monkeypatch):
    """In tests/unit: no sleep, no child process, no ingest thread watching the folder (the
    store serves the folder as published when the app was created), no thread left running."""
    if tier_of(request.node) != "unit":
        yield
        return
    from dashboard.data.store import RankingStore

    monkeypatch.setattr(time, "sleep", _refused("sleeps"))
    monkeypatch.setattr(subprocess, "Popen", _refused("starts a process"))
    monkeypatch.setattr(RankingStore, "_ensure_ingest", lambda self: None)
    before = set(threading.enumerate())
    yield
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, f"a unit test left threads running: {left}"


@pytest.fixture(scope="session")
def shipped_route():
    from dashboard.data.route import load_route_data

    return load_route_data(SHIPPED_STAGES)


@pytest.fixture(scope="session")
def basemap():
    from dashboard.data.basemap import load_basemap

    return load_basemap(ASSETS_DIR / "basemap")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data folder that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(
        DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns(".history", ".ingest", ".accepted")
    )
    return target
