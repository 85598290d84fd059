"""The exports: the standalone HTML map (self-contained, escaped, on the command line) and the
standings CSV (no cell a spreadsheet could run, no value spilling into another cell)."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re

import folium
import pytest

from dashboard import __main__ as cli
from dashboard.data.export import EXPORT_COLUMNS, metadata_cell, ranking_csv, safe_cell
from dashboard.data.route import STAGE_CHOICES
from dashboard.exports import (
    ROUTE_CHOICES,
    export_filename,
    leaflet_assets,
    route_choice,
    route_map_html,
)
from dashboard.i18n import texts
from tests.conftest import REPO

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"
TEMPLATE = "{{ 7 * 7 }} {% if 1 %}jinja{% endif %} {# comment"
SHIPPED_RANKINGS = REPO / "data" / "rankings"


def with_hostile_siena(route):
    """The shipped route data, with Siena (stage 3's lunch stop) given hostile texts."""
    places = route.places.copy()
    siena = places.index[(places["name"] == "Siena") & (places["route_id"] == "2020-stage-3")]
    places.loc[siena, "name"] = f"{HOSTILE} {TEMPLATE}"
    places.loc[siena, "venue"] = SCRIPT_BREAK
    places.loc[siena, "planned_time"] = "${alert(3)}`"
    return dataclasses.replace(route, places=places)


@pytest.fixture(scope="module")
def pages(shipped_route, basemap) -> dict[str, str]:
    return {name: route_map_html(shipped_route, basemap, name) for name in ROUTE_CHOICES}


def loaded_resources(page: str) -> list[str]:
    """Everything in the page a browser would fetch: src/href attributes, CSS url() and @import."""
    found = re.findall(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=[^>]*>", page)
    found += re.findall(r"<link\b[^>]*>", page)
    found += [
        u for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", page) if not u.startswith(("#", "data:"))
    ]
    found += re.findall(r"@import[^;]*;", page)
    return found


def test_route_names_map_to_stage_choices():
    assert set(ROUTE_CHOICES.values()) == set(STAGE_CHOICES)
    assert route_choice("stage-3") == "3"
    assert route_choice("2020") == "all"
    assert route_choice("all") == "all"  # the stage picker's values work too
    assert export_filename("3") == export_filename("stage-3") == "miglia-stage-3.html"
    with pytest.raises(ValueError, match="unknown route"):
        route_choice("stage-9")


@pytest.mark.parametrize("name", list(ROUTE_CHOICES))
def test_every_route_lists_its_places_and_loads_nothing(name, pages, shipped_route):
    page = pages[name]
    labels = texts("en")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    places = shipped_route.places_of(STAGE_CHOICES[ROUTE_CHOICES[name]])
    assert len(places) > 5
    for place in places.to_dict("records"):
        assert html.escape(place["name"]) in page
        assert labels[f"role.{place['role']}"] in page
    assert page.count("L.circleMarker(") == len(places)
    assert page.count("L.polyline(") == len(STAGE_CHOICES[ROUTE_CHOICES[name]])
    assert loaded_resources(page) == []
    assert "cdn" not in page.lower()
    assert "tile.openstreetmap.org" not in page
    assert "$(" not in page  # folium's jQuery-using templates are not in the file


def test_stage_3_popups_and_title(pages):
    page = pages["stage-3"]
    assert "<title>1000 Miglia · Stage 3 · 24 Oct 2020</title>" in page
    assert "Siena" in page and "Lunch stop" in page
    assert "Roma" in page and "Parma" in page
    # the place flagged unverified says so (in the popup and in the list of places)
    assert "Lago di Vico · Town passed (unverified)" in page
    assert "⚠ unverified" in page  # in the popup


def test_historic_courses_are_dashed(pages):
    assert '"dashArray": "10 8"' in pages["1927"]
    assert '"dashArray": null' in pages["stage-1"]


def test_leaflet_is_inlined_and_folium_links_dropped(pages):
    js, css = leaflet_assets()
    page = pages["stage-2"]
    assert 't.version="1.9.4"' in js and js in page
    assert ".leaflet-pane" in css and css in page
    assert "sourceMappingURL" not in page
    assert "images/" not in css  # marker and layers-control images are not referenced
    # the inlined Leaflet comes before the script that makes the map
    assert page.index('t.version="1.9.4"') < page.index("L.map(")
    # folium's own class lists are left alone (the export empties only its map's lists)
    assert any(name == "leaflet" for name, _ in folium.Map.default_js)


def test_basemap_and_attribution_are_drawn(pages, basemap):
    page = pages["1955"]
    assert page.count("L.geoJson(") == 2  # countries and Italian regions
    assert "L.tileLayer(" not in page  # no tile layer by default
    assert "Natural Earth (public domain)" in page and "ISTAT (CC BY 4.0)" in page
    assert html.escape(texts("en")["map.basemap_attribution"]) in page


def test_the_export_credits_its_sources_in_its_language(shipped_route, basemap):
    page = route_map_html(shipped_route, basemap, "stage-3", lang="it")
    credit = texts("it")["map.basemap_attribution"]
    assert html.escape(credit) in page
    assert "Italian regions" not in page and "Basemap:" not in page
    # the licence names stay as the licensors spell them
    assert "Natural Earth" in credit and "ISTAT (CC BY 4.0)" in credit


def test_italian_export(shipped_route, basemap):
    page = route_map_html(shipped_route, basemap, "stage-3", lang="it")
    assert '<html lang="it">' in page
    assert "Sosta pranzo" in page and "Lunch stop" not in page


def test_online_tiles_are_optional(shipped_route, basemap):
    page = route_map_html(shipped_route, basemap, "stage-1", online_tiles=True)
    assert "tile.openstreetmap.org" in page
    assert "L.control.layers(" in page
    # still no script or stylesheet from outside
    assert loaded_resources(page) == []


def test_hostile_names_are_escaped(shipped_route, basemap):
    page = route_map_html(with_hostile_siena(shipped_route), basemap, "stage-3")
    assert HOSTILE not in page
    assert "<img" not in page
    assert SCRIPT_BREAK not in page
    assert page.count("<script>alert") == 0
    # shown as text, and never read as template syntax: in the list of places...
    assert f"<li>{html.escape(HOSTILE)} {TEMPLATE} · Lunch stop</li>" in page
    # ... and in the popup, a JS string literal holding escaped HTML
    popups = [json.loads(s) for s in re.findall(r'\.bindPopup\(("(?:[^"\\]|\\.)*")', page)]
    siena = next(p for p in popups if "onerror" in p)
    assert siena.startswith(
        f"<b>{html.escape(HOSTILE)} {TEMPLATE}</b> ({html.escape(SCRIPT_BREAK)})"
    )
    assert "${alert(3)}`" in siena  # no JS template literal to break out of
    assert loaded_resources(page) == []


def test_cli_writes_the_file(tmp_path, capsys):
    output = tmp_path / "stage3.html"
    code = cli.main(["export-map", "--route", "stage-3", "-o", str(output)])
    out = capsys.readouterr().out
    assert code == 0
    assert str(output) in out and "KB" in out
    page = output.read_text(encoding="utf-8")
    assert "Siena" in page and "Lunch stop" in page
    assert loaded_resources(page) == []


def test_cli_language_data_folder_and_errors(tmp_path, capsys, data_dir):
    output = tmp_path / "1927.html"
    code = cli.main(
        [
            "export-map",
            "--route",
            "1927",
            "-o",
            str(output),
            "--lang",
            "it",
            "--data",
            str(data_dir),
        ]
    )
    assert code == 0
    assert '<html lang="it">' in output.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export-map", "--route", "stage-9", "-o", str(output)])
    assert exit_info.value.code == 2
    code = cli.main(["export-map", "--route", "1955", "-o", str(tmp_path / "no" / "x.html")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err
    (data_dir / "stages.geojson").write_text("{}", encoding="utf-8")
    code = cli.main(["export-map", "--route", "1955", "-o", str(output), "--data", str(data_dir)])
    assert code == 2
    assert "route data cannot be used" in capsys.readouterr().err


# --- the standings CSV (dashboard/data/export.py): hostile checkpoint texts stay text ---

CALC = "=cmd|' /C calc'!A0"
HOSTILE_PLACES = [
    f"Siena, {CALC}",
    f"Siena; {CALC}",
    f"Siena\t{CALC}",
    f'Siena", {CALC}',
    f"Siena\n{CALC}",
    f"Siena\r\n@SUM(1+1)*{CALC}",
    f"Siena\r+{CALC}",
    CALC,
    f'  "{CALC}',
    f"\t{CALC}",
    f"-2+3, {CALC}",
]


@pytest.fixture(scope="module")
def tt80():
    from dashboard.data.rankings import read_ranking
    from dashboard.race import build_standings

    files = [read_ranking(p) for p in sorted(SHIPPED_RANKINGS.glob("*.csv"))]
    standings = build_standings(files)
    key = "2020-05-stage3-after-tt80"
    return standings.at(key), standings.checkpoints.loc[key].to_dict()


def looks_like_formula(cell: str) -> bool:
    """A cell a spreadsheet could run, also once it trims spaces and quotes (a number is no
    formula: position changes and gaps may be negative)."""
    try:
        float(cell)
        return False
    except ValueError:
        pass
    return cell.lstrip(' "\n').startswith(("=", "+", "-", "@", "\t", "\r"))


def read_back(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("place", HOSTILE_PLACES)
def test_a_hostile_place_stays_in_one_cell_and_is_no_formula(tt80, place):
    ranking, checkpoint = tt80
    text = ranking_csv(ranking, {**checkpoint, "place": place, "label": place})
    for delimiter in (",", ";", "\t"):  # Excel in Italian splits at ";"; some guess a tab
        rows = read_back(text, delimiter)
        meta = [row for row in rows if row and row[0].startswith("#")]
        assert len(meta) == 2 + len(checkpoint.get("sources") or []) + sum(
            checkpoint.get(k) is not None for k in ("stage", "order", "time")
        )
        for row in meta:
            assert len(row) == 1, row  # the value never spills into another cell
        for row in rows:
            for cell in row:
                assert not looks_like_formula(cell), (delimiter, cell)
    rows = read_back(text)
    by_name = {row[0].split(":")[0]: row[0] for row in rows if row[0].startswith("#")}
    # the whole value is there, on one line, its formula starts neutralised
    flat = " ".join(place.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
    for name in ("# place", "# checkpoint"):
        value = by_name[name].removeprefix(name + ": ")
        assert " ".join(value.replace("'", "").split()) == flat.replace("'", "")
        assert value.startswith("'") == looks_like_formula(flat)
        assert "; =" not in value
    # each checkpoint line is one line of the file, starting with # (or its quote)
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("position,"))
    assert all(line.startswith(("#", '"#')) for line in lines[:header])
    # the table itself is untouched: header and ranking rows as before
    assert rows[len(meta)] == list(EXPORT_COLUMNS.values())
    assert len(rows) == len(meta) + 1 + len(ranking)
    assert rows[len(meta) + 1][:4] == ["1", "0", "46", "Andrea Vesco"]


def test_hostile_sources_and_crews_are_neutralised(tt80):
    ranking, checkpoint = tt80
    # the model keeps names as categorical codes: plain text here, to write hostile ones in
    ranking = ranking.astype({"driver": object, "car": object})
    hostile = [f" {CALC}", f'"{CALC}', f"Rossi; {CALC}", f"\t{CALC}", "+39 333", "@x", "'=1"]
    first = ranking.index[: len(hostile)]
    ranking.loc[first, "driver"] = hostile
    ranking.loc[first[0], "car"] = f"Alfa\r{CALC}"
    sources = ["https://example.org/results", f"+1, {CALC}", f"a\nb;{CALC}"]
    text = ranking_csv(ranking, {**checkpoint, "sources": sources})
    for delimiter in (",", ";", "\t"):
        rows = read_back(text, delimiter)
        assert all(not looks_like_formula(cell) for row in rows for cell in row)
        assert len([row for row in rows if row and row[0].startswith("# source: ")]) == 3
        assert all(len(row) == 1 for row in rows if row and row[0].startswith("#"))
    rows = read_back(text)
    header = rows.index(list(EXPORT_COLUMNS.values()))
    assert all(len(row) == len(EXPORT_COLUMNS) for row in rows[header:])
    drivers = [row[3] for row in rows[header + 1 : header + 1 + len(hostile)]]
    assert drivers == [
        f"' {CALC}",
        f"'\"{CALC}",
        f"Rossi; '{CALC}",  # for a reader splitting at semicolons
        f"' {CALC}",  # the tab is a space now
        "'+39 333",
        "'@x",
        "''=1",
    ]
    assert rows[header + 1][5] == f"Alfa {CALC}"  # one line: no row starts inside a cell
    assert "# source: https://example.org/results" in text.split("\n")


@pytest.mark.parametrize(
    "text",
    [" =1", '"=1', "'=1", "\n=1", "\u00a0=1", "\uff1d1", "  @x", "\r", "\t", "=", "-x", "+x"],
)
def test_formula_starts_after_spaces_and_quotes(text):
    assert safe_cell(text) == "'" + text
    assert not looks_like_formula(safe_cell(text))
    one_line = safe_cell(text, one_line=True)
    assert not looks_like_formula(one_line)
    assert not any(char in one_line for char in "\t\r\n")


def test_plain_values_are_left_alone():
    for value, cell in (("Brescia", "Brescia"), ("a = b", "a = b"), (-2, "-2"), (1.5, "1.5")):
        assert safe_cell(value) == cell
    assert safe_cell(None) == "" and safe_cell(float("nan")) == ""
    assert metadata_cell("order", -1) == "# order: -1"
