"""Every figure the dashboard shows as real (points, positions, times, lengths, speeds, counts)
has a source in the data files, and every time says whether it was planned or observed
(issue 17's "Must show"). Computed figures (drawn lengths, estimates) are labelled as such on
the page and are not checked here."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import parse_ranking

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "data" / "route_facts"
GEOJSON = json.loads((DEFAULT_DATA_DIR / "stages.geojson").read_text(encoding="utf-8"))
HISTORY = json.loads((DEFAULT_DATA_DIR / "history.json").read_text(encoding="utf-8"))
CLOCK = re.compile(r"^\d{2}:\d{2}$")
KINDS = {"planned", "observed"}


def features(kind: str) -> list[dict]:
    return [f["properties"] for f in GEOJSON["features"] if f["properties"]["kind"] == kind]


def rows(name: str) -> list[dict]:
    with (FACTS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_no_place_has_a_time_that_is_neither_planned_nor_observed():
    for p in features("place"):
        assert "time" not in p, p["name"]
        assert {"planned_time", "observed_time"} <= p.keys(), p["name"]


def test_every_place_time_is_a_clock_time_with_its_source():
    missing = []
    for p in features("place"):
        for key in ("planned_time", "observed_time"):
            if p[key] is not None:
                assert CLOCK.match(p[key]), (p["name"], key, p[key])
                if not p["time_source"]:
                    missing.append((p["route_id"], p["name"], key))
    assert missing == []


def test_every_route_time_is_marked_and_sourced():
    for r in features("route"):
        if r["start_time"]:
            assert r["start_time_kind"] in KINDS, r["route_id"]
        timed = r["start_time"] or r["planned_arrival"] or r["observed_arrival"]
        assert not timed or r["time_source"], r["route_id"]
        for key in ("start_time", "planned_arrival", "observed_arrival"):
            assert r[key] is None or CLOCK.match(r[key]), (r["route_id"], key)


def test_route_counts_lengths_and_winners_have_sources():
    for row in rows("routes.csv"):
        if row["cars_starting"]:
            assert row["cars_starting_source"].strip(), row["route_id"]
        if row["official_length_km"]:
            assert row["length_sources"].strip(), row["route_id"]
    for row in rows("winners.csv"):
        if row["time"] or row["average_speed_kmh"] or row["car_number"]:
            assert row["source"].strip(), row["route_id"]


def test_every_card_note_and_place_row_names_a_source():
    for row in rows("card_notes.csv"):
        assert row["source"].strip(), (row["route_id"], row["field"])
    for name in ("2020.csv", "1927.csv", "1955.csv", "coordinates.csv"):
        for row in rows(name):
            assert row["source"].strip(), (name, row["name"])


def test_every_history_figure_has_a_source():
    for w in HISTORY["winners"]:
        if w["race"]:
            assert w["source"], w["year"]
        if w["time"] or w["average_kmh"] is not None or w["speed_note"]:
            assert w["time_speed_source"], w["year"]
        if w.get("note"):
            assert w["note_source"], w["year"]
    for story in HISTORY["story"]:
        assert story["source"], story["key"]


RANKING_FILES = sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))


@pytest.mark.parametrize("path", RANKING_FILES, ids=lambda p: p.stem)
def test_every_ranking_names_its_sources(path):
    ranking = parse_ranking(path.name, path.read_bytes())
    assert ranking.sources, path.name
    assert all(s.startswith(("http://", "https://", "seed page")) for s in ranking.sources)
    # positions and points come from those sources; a file without positions would be empty
    assert ranking.rows["position"].notna().all()
    # a row that names its own source (issue 17 item 8) names a page, which the file lists too
    own = [s for s in ranking.rows["source"] if s]
    assert all(s.startswith(("http://", "https://")) and s in ranking.sources for s in own)
