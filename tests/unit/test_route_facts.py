"""The route facts (data/route_facts/*.csv) and the builder that turns them into the shipped
data/stages.geojson."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_STAGES

ROOT = Path(__file__).resolve().parents[2]
FACTS_DIR = ROOT / "data" / "route_facts"
FACT_FILES = sorted(FACTS_DIR.glob("*.csv"))


@pytest.fixture(scope="module")
def builder():
    # tools/ is a folder of scripts, not a package: load the script as a module
    spec = importlib.util.spec_from_file_location(
        "build_stages", ROOT / "tools" / "build_stages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_reproduces_the_shipped_file_byte_for_byte(builder, tmp_path, capsys):
    out = tmp_path / "stages.geojson"
    assert builder.main(["--out", str(out)]) == 0
    assert "all checks passed" in capsys.readouterr().out
    assert out.read_bytes() == SHIPPED_STAGES.read_bytes()


def test_the_fact_files_are_the_expected_ones():
    names = [p.name for p in FACT_FILES]
    assert names == sorted(
        [
            "1927.csv",
            "1955.csv",
            "2020.csv",
            "card_notes.csv",
            "coordinates.csv",
            "routes.csv",
            "winners.csv",
        ]
    )


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_every_fact_row_names_a_source(builder, path):
    column = builder.SOURCE_COLUMN.get(path.name, "source")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    empty = [n for n, row in enumerate(rows, start=2) if not row[column].strip()]
    assert empty == [], f"{path.name}: lines {empty} have no {column}"


def test_places_without_a_published_source_are_unverified():
    for name in ("2020.csv", "1927.csv", "1955.csv"):
        with (FACTS_DIR / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["source"] == "memory":
                    assert row["certainty"] == "unverified", (name, row["name"])


def test_a_row_without_source_is_refused_with_file_and_line(builder, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, facts)
    path = facts / "1955.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[3][rows[0].index("source")] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(builder.FactsError, match=r"1955.csv, line 4: column source is empty"):
        builder.build(facts)


def test_a_changed_fact_changes_the_built_file(builder, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, facts)
    path = facts / "2020.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "Lodi,town,piazza della Vittoria,11:15", "Lodi,town,piazza della Vittoria,11:20"
        ),
        encoding="utf-8",
    )
    fc = builder.build(facts)
    assert builder.render(fc) != SHIPPED_STAGES.read_text(encoding="utf-8")
    assert (
        "2020-stage-4: Lodi has planned_time [('11:20',)], expected [('11:15',)]"
        in builder.check_race_facts(fc)
    )
