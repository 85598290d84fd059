"""The route-map figure builder: traces, hover fields, view, offline style."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from dashboard.data.route import ROUTE_IDS, STAGE_CHOICES
from dashboard.figures.route_map import PLACE_CATEGORIES, dashed, fit_view, route_map, route_traces
from dashboard.i18n import texts

EN = texts("en")


def _by_meta(fig, key, value):
    return next(t for t in fig["data"] if t["meta"].get(key) == value)


@pytest.mark.parametrize("choice", list(STAGE_CHOICES))
def test_figure_is_valid_plotly_with_one_trace_per_route_and_category(
    shipped_route, basemap, choice
):
    fig = route_map(shipped_route, basemap, choice)
    go.Figure(fig)  # raises on any invalid property
    routes = [t["meta"]["route_id"] for t in fig["data"] if "route_id" in t["meta"]]
    categories = [t["meta"]["category"] for t in fig["data"] if "category" in t["meta"]]
    assert routes == list(ROUTE_IDS)
    assert categories == list(PLACE_CATEGORIES)
    assert all(t["type"] == "scattermap" for t in fig["data"])


def test_chosen_stage_is_bold_and_historic_courses_start_hidden(shipped_route, basemap):
    fig = route_map(shipped_route, basemap, "3")
    stage3 = _by_meta(fig, "route_id", "2020-stage-3")
    stage1 = _by_meta(fig, "route_id", "2020-stage-1")
    assert stage3["line"]["width"] > stage1["line"]["width"]
    assert stage3["opacity"] == 1 and stage1["opacity"] < 1
    assert _by_meta(fig, "route_id", "1927")["visible"] == "legendonly"
    course = route_map(shipped_route, basemap, "1927")
    assert _by_meta(course, "route_id", "1927")["visible"] is True
    assert fig["layout"]["uirevision"] != course["layout"]["uirevision"]


def test_stage_3_places_and_hover_fields(shipped_route, basemap):
    fig = route_map(shipped_route, basemap, "3")
    meals = _by_meta(fig, "category", "meal")
    assert len(meals["hovertext"]) == 1
    siena = meals["hovertext"][0]
    assert "<b>Siena</b>" in siena and "Lunch stop" in siena and "Stage 3" in siena
    assert "km from the start" in siena and "place 7" in siena
    towns = _by_meta(fig, "category", "town")
    vico = next(h for h in towns["hovertext"] if "Lago di Vico" in h)
    assert "unverified" in vico
    start = _by_meta(fig, "category", "start_finish")["hovertext"]
    assert any("Roma" in h and "06:30" in h for h in start)
    # only stage 3's places are drawn
    all_places = sum(len(t["lat"]) for t in fig["data"] if "category" in t["meta"])
    assert all_places == len(shipped_route.places_of(["2020-stage-3"]))


def test_hover_in_italian(shipped_route):
    traces, _ = route_traces(shipped_route, "4", "it")
    meals = next(t for t in traces if t["meta"].get("category") == "meal")
    assert "Sosta pranzo" in meals["hovertext"][0] and "12:45" in meals["hovertext"][0]
    trial = next(t for t in traces if t["meta"].get("category") == "time_trial")
    assert "Varano" in trial["hovertext"][0] and "Prova cronometrata" in trial["hovertext"][0]


def test_offline_style_has_no_remote_source(shipped_route, basemap):
    fig = route_map(shipped_route, basemap, "all")
    style = fig["layout"]["map"]["style"]
    text = json.dumps(style)
    assert "http" not in text
    assert all(source["type"] == "geojson" for source in style["sources"].values())
    assert "glyphs" not in style and "sprite" not in style
    # no trace draws text on the map (that would need glyphs from a server)
    assert all("text" not in t["mode"] for t in fig["data"])
    layers = fig["layout"]["map"]["layers"]
    assert all(
        layer["sourcetype"] == "geojson" and isinstance(layer["source"], dict) for layer in layers
    )
    assert "ISTAT" in layers[0]["sourceattribution"]


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_map_credits_its_sources_in_the_page_language(shipped_route, basemap, lang):
    fig = route_map(shipped_route, basemap, "3", lang)
    credits = " ".join(
        layer.get("sourceattribution", "") for layer in fig["layout"]["map"]["layers"]
    )
    assert texts(lang)["map.basemap_attribution"] in credits
    other = texts("en" if lang == "it" else "it")["map.basemap_attribution"]
    assert other not in credits
    # the licence names stay as the licensors spell them, in both languages
    assert "Natural Earth (" in credits and "ISTAT (CC BY 4.0)" in credits


def test_fit_view_contains_the_route():
    center, zoom = fit_view([(41.9, 12.5), (44.8, 10.3)])
    assert 41.9 < center["lat"] < 44.8 and 10.3 < center["lon"] < 12.5
    assert 4 < zoom < 8
    _, zoom_near = fit_view([(45.0, 10.0), (45.1, 10.1)])
    assert zoom_near > zoom


def test_dashed_line_has_gaps_and_stays_on_the_line():
    path = [(44.0, 10.0), (45.0, 10.0)]  # about 111 km due north
    lats, lons = dashed(path, dash_km=7, gap_km=5)
    assert lats.count(None) >= 8
    assert all(lon is None or lon == 10.0 for lon in lons)
    drawn = [lat for lat in lats if lat is not None]
    assert min(drawn) == 44.0 and max(drawn) <= 45.0
