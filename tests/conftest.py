"""Shared fixtures: the shipped data, and small data folders written by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.config import ASSETS_DIR, DEFAULT_DATA_DIR

REPO = Path(__file__).resolve().parent.parent
SHIPPED_STAGES = DEFAULT_DATA_DIR / "stages.geojson"


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
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns(".history", ".ingest", ".accepted"))
    return target
