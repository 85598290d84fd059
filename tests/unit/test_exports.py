"""The standalone HTML map export: every route, self-contained, escaped, and on the command line."""

from __future__ import annotations

import dataclasses
import html
import json
import re

import folium
import pytest

from dashboard import __main__ as cli
from dashboard.data.route import STAGE_CHOICES
from dashboard.exports import (
    ROUTE_CHOICES,
    export_filename,
    leaflet_assets,
    route_choice,
    route_map_html,
)
from dashboard.i18n import texts

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"
TEMPLATE = "{{ 7 * 7 }} {% if 1 %}jinja{% endif %} {# comment"


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
    assert basemap.attribution.split(" · ")[0] in page


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
