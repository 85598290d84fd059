"""The shipped route file (data/stages.geojson) and its loader."""

from __future__ import annotations

import json

import pytest

from dashboard.data.route import (
    HISTORIC_ROUTE_IDS,
    ROUTE_IDS,
    STAGE_ROUTE_IDS,
    RouteDataError,
    load_route_data,
    route_summary,
)
from tests.conftest import SHIPPED_STAGES

# Orders of the places from ../shared/facts/1000-miglia-facts.md, sections 1.1-1.4 (places
# the facts list; the file may hold more between them, e.g. from the other facts files).
FACTS_ORDER = {
    "2020-stage-1": [
        "Brescia",
        "Desenzano del Garda",
        "Sirmione",
        "Villafranca di Verona",
        "Mantova",
        "Ferrara",
        "Ravenna",
        "Cervia-Milano Marittima",
    ],
    "2020-stage-2": [
        "Cervia-Milano Marittima",
        "Cesenatico",
        "Gambettola",
        "San Marino",
        "Urbino",
        "Pergola",
        "Arcevia",
        "Fabriano",
        "Macerata",
        "Fermo",
        "Offida",
        "Ascoli Piceno",
        "Amatrice",
        "Rieti",
        "Roma",
    ],
    "2020-stage-3": [
        "Roma",
        "Ronciglione",
        "Viterbo",
        "Radicofani",
        "Castiglione d'Orcia",
        "Siena",
        "Altopascio",
        "Lucca",
        "Viareggio",
        "Sarzana",
        "Passo della Cisa",
        "Fornovo di Taro",
        "Parma",
    ],
    "2020-stage-4": [
        "Parma",
        "Varano de' Melegari",
        "Salsomaggiore Terme",
        "Castell'Arquato",
        "Fiorenzuola d'Arda",
        "Cadeo",
        "Pontenure",
        "Piacenza",
        "Codogno",
        "Lodi",
        "Pandino",
        "Treviglio",
        "Bergamo",
        "Brescia",
    ],
    "1927": [
        "Brescia",
        "Montichiari",
        "Asola",
        "Canneto sull'Oglio",
        "Piadena",
        "Casalmaggiore",
        "Parma",
        "Reggio Emilia",
        "Modena",
        "Bologna",
        "Passo della Raticosa",
        "Passo della Futa",
        "Firenze",
        "San Casciano in Val di Pesa",
        "Poggibonsi",
        "Siena",
        "San Quirico d'Orcia",
        "Radicofani",
        "Bolsena",
        "Viterbo",
        "Monterosi",
        "Roma",
        "Civita Castellana",
        "Narni",
        "Terni",
        "Spoleto",
        "Foligno",
        "Perugia",
        "Gubbio",
        "Fossato di Vico",
        "Bologna",
        "Feltre",
        "Brescia",
    ],
    "1955": [
        "Brescia",
        "Verona",
        "Vicenza",
        "Padova",
        "Ravenna",
        "Popoli",
        "Roma",
        "Vetralla",
        "Siena",
        "Firenze",
        "Brescia",
    ],
}


@pytest.fixture(scope="module")
def geojson():
    return json.loads(SHIPPED_STAGES.read_text(encoding="utf-8"))


def _positions(geometry):
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def test_file_is_an_rfc7946_feature_collection(geojson):
    assert geojson["type"] == "FeatureCollection"
    assert "crs" not in geojson
    assert geojson["features"]
    for feature in geojson["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] in ("Point", "LineString")
        if geometry["type"] == "LineString":
            assert len(geometry["coordinates"]) >= 2
        for position in _positions(geometry):
            assert len(position) == 2
            lon, lat = position
            # [longitude, latitude] order, and inside Italy and its neighbours
            assert 6.0 <= lon <= 19.0 and 36.0 <= lat <= 47.5, feature["properties"]


def test_every_route_is_there_once(shipped_route):
    assert list(shipped_route.routes.index) == list(ROUTE_IDS)
    assert shipped_route.routes.loc["2020-stage-3", "date"] == "2020-10-24"
    assert shipped_route.routes.loc["2020-stage-1", "start_time"] == "14:00"


@pytest.mark.parametrize("route_id", ROUTE_IDS)
def test_places_follow_the_order_of_the_facts(shipped_route, route_id):
    names = shipped_route.places_of([route_id]).sort_values("order")["name"].tolist()
    position = -1
    for expected in FACTS_ORDER[route_id]:
        later = names[position + 1 :]
        assert expected in later, f"{expected} missing or out of order in {route_id}: {names}"
        position += 1 + later.index(expected)


@pytest.mark.parametrize("route_id", ROUTE_IDS)
def test_line_goes_through_the_places_in_order(shipped_route, route_id):
    places = shipped_route.places_of([route_id]).sort_values("order")
    assert places["order"].tolist() == list(range(1, len(places) + 1))
    line = shipped_route.paths[route_id]
    assert [(round(a, 4), round(b, 4)) for a, b in line] == [
        (round(a, 4), round(b, 4)) for a, b in zip(places["lat"], places["lon"], strict=True)
    ]
    roles = places["role"].tolist()
    assert roles[0] == "start" and roles[-1] == "finish"


def test_the_2020_stages_chain(shipped_route):
    routes = shipped_route.routes
    for this, following in zip(STAGE_ROUTE_IDS, STAGE_ROUTE_IDS[1:], strict=False):
        assert routes.loc[this, "finish"] == routes.loc[following, "start"]
        assert shipped_route.paths[this][-1] == shipped_route.paths[following][0]
    assert routes.loc["2020-stage-1", "start"] == "Brescia"
    assert routes.loc["2020-stage-4", "finish"] == "Brescia"
    assert [routes.loc[r, "finish"] for r in STAGE_ROUTE_IDS] == [
        "Cervia-Milano Marittima",
        "Roma",
        "Parma",
        "Brescia",
    ]


def test_1927_crosses_its_eight_at_bologna(shipped_route):
    places = shipped_route.places_of(["1927"])
    bologna = places[places["name"] == "Bologna"].sort_values("order")
    assert len(bologna) == 2
    first, second = bologna["km_from_start"].tolist()
    assert 0 < first < second < shipped_route.routes.loc["1927", "length_km"]


def test_stops_times_and_controls_from_the_facts(shipped_route):
    places = shipped_route.places.set_index(["route_id", "name"])
    assert places.loc[("2020-stage-3", "Siena"), "role"] == "lunch"
    assert places.loc[("2020-stage-1", "Ferrara"), "role"] == "dinner"
    assert places.loc[("2020-stage-4", "Treviglio"), "role"] == "lunch"
    assert places.loc[("2020-stage-4", "Treviglio"), "planned_time"] == "12:45"
    assert places.loc[("2020-stage-4", "Lodi"), "planned_time"] == "11:15"
    assert places.loc[("2020-stage-4", "Castell'Arquato"), "planned_time"] == "09:40"
    assert places.loc[("2020-stage-4", "Varano de' Melegari"), "role"] == "time_trial"
    assert places.loc[("2020-stage-2", "Pergola"), "role"] == "passage_control"
    assert "Cremona" in shipped_route.places_of(["1955"])["name"].tolist()


def test_uncertain_items_are_kept_and_marked(shipped_route):
    places = shipped_route.places.set_index(["route_id", "name"])
    assert places.loc[("2020-stage-3", "Lago di Vico"), "certainty"] == "unverified"
    assert places.loc[("2020-stage-1", "Valeggio sul Mincio"), "certainty"] == "unverified"
    for row in shipped_route.places.itertuples():
        assert row.source or row.certainty != "confirmed", row.name
    unlocated = shipped_route.routes.loc["2020-stage-2", "unlocated_places"]
    assert "Strada della Romanella" in [u["name"] for u in unlocated]


def test_lengths_are_positive_and_plausible(shipped_route):
    routes = shipped_route.routes
    for route_id in STAGE_ROUTE_IDS:
        # through the listed places: a lower bound of a day's road distance (the whole
        # race was "more than 1700 km"; the longest stage "over 550 km")
        assert 150 < routes.loc[route_id, "length_km"] < 560
    assert (
        routes.loc["2020-stage-3", "length_km"]
        == routes.loc[list(STAGE_ROUTE_IDS), "length_km"].max()
    )
    assert 1000 < routes.loc[list(STAGE_ROUTE_IDS), "length_km"].sum() < 1700
    for route_id in HISTORIC_ROUTE_IDS:
        drawn, official = routes.loc[route_id, ["length_km", "official_length_km"]]
        assert 0.75 * official < drawn < official
    assert routes.loc["1927", "official_length_km"] == 1618
    assert routes.loc["1955", "official_length_km"] == 1597


def test_km_from_start_grows_along_each_route(shipped_route):
    for route_id in ROUTE_IDS:
        km = shipped_route.places_of([route_id]).sort_values("order")["km_from_start"]
        assert km.iloc[0] == 0
        assert km.is_monotonic_increasing
        assert km.iloc[-1] == pytest.approx(shipped_route.routes.loc[route_id, "length_km"])


def test_stage_summary_for_the_card(shipped_route):
    summary = route_summary(shipped_route, "3")
    assert (summary["start"], summary["finish"]) == ("Roma", "Parma")
    assert summary["lunch"] == "Siena"
    assert summary["date"] == "2020-10-24"
    assert summary["n_places"] == len(shipped_route.places_of(["2020-stage-3"]))
    assert summary["official_length_km"] is None
    assert "Lago di Vico" in summary["uncertain_places"]
    everything = route_summary(shipped_route, "all")
    assert (everything["start"], everything["finish"]) == ("Brescia", "Brescia")
    assert everything["n_stages"] == 4
    assert route_summary(shipped_route, "1955")["official_length_km"] == 1597


def _write(tmp_path, doc):
    path = tmp_path / "stages.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_errors_name_the_file_feature_and_property(tmp_path, geojson):
    broken = json.loads(json.dumps(geojson))
    index = next(i for i, f in enumerate(broken["features"]) if f["properties"]["kind"] == "place")
    broken["features"][index]["properties"]["role"] = "picnic"
    with pytest.raises(RouteDataError) as err:
        load_route_data(_write(tmp_path, broken))
    message = str(err.value)
    assert "stages.geojson" in message and f"feature {index}" in message
    assert "'role'" in message and "picnic" in message


def test_errors_for_swapped_or_missing_things(tmp_path, geojson):
    no_routes = {"type": "FeatureCollection", "features": []}
    with pytest.raises(RouteDataError, match="missing"):
        load_route_data(_write(tmp_path, no_routes))
    with pytest.raises(RouteDataError, match="FeatureCollection"):
        load_route_data(_write(tmp_path, {"type": "Feature"}))
    bad = json.loads(json.dumps(geojson))
    bad["features"][0]["geometry"]["coordinates"][0] = [200, 45]
    with pytest.raises(RouteDataError, match="feature 0 position 0"):
        load_route_data(_write(tmp_path, bad))
    (tmp_path / "stages.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(RouteDataError, match="UTF-8 JSON"):
        load_route_data(tmp_path / "stages.geojson")
    with pytest.raises(RouteDataError, match="no such file"):
        load_route_data(tmp_path / "missing.geojson")


def test_the_geodesics_along_each_line_are_computed_once_and_shared(shipped_route):
    from dashboard.data.route import path_length_km

    for route_id, line in shipped_route.paths.items():
        cumulative = shipped_route.cumulative_km[route_id]
        assert list(cumulative) == path_length_km(line)
        assert shipped_route.routes.loc[route_id, "length_km"] == cumulative[-1]
        places = shipped_route.places_of([route_id])
        assert set(places["km_from_start"]) <= set(cumulative)  # places are line vertices
