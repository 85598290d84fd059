"""The history facts (data/history_facts/*.csv) and the builder of the shipped
data/history.json."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

from dashboard.config import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
FACTS_DIR = ROOT / "data" / "history_facts"
SHIPPED = DEFAULT_DATA_DIR / "history.json"


@pytest.fixture(scope="module")
def builder():
    # tools/ is a folder of scripts, not a package: load the script as a module
    spec = importlib.util.spec_from_file_location(
        "history_data", ROOT / "tools" / "history_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_reproduces_the_shipped_file_byte_for_byte(builder, tmp_path):
    out = tmp_path / "history.json"
    assert builder.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize("name", ["winners.csv", "story.csv"])
def test_every_fact_row_names_a_source(name):
    with (FACTS_DIR / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert [n for n, row in enumerate(rows, start=2) if not row["source"].strip()] == []


def test_a_row_without_source_is_refused(builder, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, facts)
    path = facts / "story.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(lines[0] + 'most_wins,t,x,t,x,""\n')
    with pytest.raises(ValueError, match=r"story.csv, line 2: column source is empty"):
        builder.build(facts)
