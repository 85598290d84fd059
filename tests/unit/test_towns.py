"""'When do the cars pass my town?': the gazetteer search and the per-route answers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.config import ASSETS_DIR
from dashboard.data.route import ROUTE_IDS, RouteData, path_length_km
from dashboard.gazetteer import GazetteerError, Town, load_gazetteer, normalise
from dashboard.passage_times import COMPASS, THROUGH_KM, compass, route_answer, town_answer

COMUNI = ASSETS_DIR / "basemap" / "comuni.csv"

ROUTE_ANSWER_KEYS = {
    "route_id",
    "distance_km",
    "through_km",
    "passes",
    "nearest_point",
    "bearing_deg",
    "direction",
    "km_along",
    "route_length_km",
    "nearest_place",
    "place",
    "place_role",
    "time",
    "time_kind",
    "time_place",
    "time_note",
    "estimate_from",
    "estimate_times",
    "estimate_kinds",
    "estimate_km",
    "estimate_spans_stop",
}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(COMUNI)


def stage(answer: dict, route_id: str) -> dict:
    return next(a for a in answer["routes"] if a["route_id"] == route_id)


def answer_for(shipped_route, gazetteer, name: str) -> dict:
    town = gazetteer.find(name)
    assert town is not None, name
    return town_answer(shipped_route, town)


# --- normalising and searching ---------------------------------------------------------------


def test_normalise_forgives_case_accents_apostrophes_and_spaces():
    key = normalise("Castell'Arquato")
    assert key == "castellarquato"
    assert normalise("castellarquato") == normalise("Castell Arquato") == key
    assert normalise("  CASTELL’ARQUATO ") == key
    assert normalise("Forlì") == normalise("forli") == "forli"
    assert normalise("Cervia-Milano Marittima") == "cerviamilanomarittima"
    assert normalise("St. Ulrich") == "stulrich"


def test_the_gazetteer_has_every_comune(gazetteer):
    assert len(gazetteer) == 7899
    lodi = gazetteer.find("Lodi")
    assert lodi == Town("098031", "Lodi", "098", "LO", "Lombardia", 45.3146, 9.5034)
    assert lodi.label == "Lodi (LO)"
    assert gazetteer.get("098031") == lodi
    # A comune called "None" is a name, not a missing value.
    assert gazetteer.find("None").label == "None (TO)"


@pytest.mark.parametrize(
    "typed", ["castellarquato", "CASTELL ARQUATO", "Castel'arquato", "castell-arquato"]
)
def test_spellings_of_castell_arquato_find_it(gazetteer, typed):
    town = gazetteer.find(typed)
    assert town is not None
    assert town.label == "Castell'Arquato (PC)"
    assert gazetteer.search(typed)[0] == town


def test_a_typo_finds_its_town(gazetteer):
    assert gazetteer.find("Treviglo").name == "Treviglio"
    assert gazetteer.search("Treviglo")[0].name == "Treviglio"
    assert gazetteer.find("Reggio Emilia").name == "Reggio nell'Emilia"


def test_an_unknown_name_finds_nothing_and_search_does_not_fail(gazetteer):
    assert gazetteer.find("Xyzzyville") is None
    suggestions = gazetteer.search("Xyzzyville")
    assert isinstance(suggestions, list)
    assert all(isinstance(t, Town) for t in suggestions)
    # Not a town, and too far from "Massa Marittima" to be taken for it; still suggested.
    assert gazetteer.find("Milano Marittima") is None
    assert "Massa Marittima" in [t.name for t in gazetteer.search("Milano Marittima")]


def test_search_as_you_type_lists_exact_then_prefix_then_substring(gazetteer):
    names = [t.name for t in gazetteer.search("lod")]
    assert names[:2] == ["Lodè", "Lodi"]  # prefix matches, shortest first
    assert "Lodi Vecchio" in names
    assert len(gazetteer.search("s", limit=8)) == 8
    assert gazetteer.search("") == []
    assert gazetteer.search("Bozen")[0].name == "Bolzano/Bozen"


def test_same_named_comuni_are_listed_with_their_province(gazetteer):
    labels = [t.label for t in gazetteer.search("Castro")]
    assert labels[:2] == ["Castro (BG)", "Castro (LE)"]
    assert gazetteer.find("Castro").label == "Castro (BG)"  # the first, in ISTAT order
    assert gazetteer.find("Castro (LE)").label == "Castro (LE)"
    assert gazetteer.find("castro (le)").label == "Castro (LE)"
    assert gazetteer.find("Castro (075)").label == "Castro (LE)"
    assert [t.label for t in gazetteer.search("Castro (LE)")] == ["Castro (LE)"]
    assert gazetteer.find("Lodi (PC)") is None


def test_bilingual_names_are_found_by_either_part(gazetteer):
    assert gazetteer.find("Bolzano").name == "Bolzano/Bozen"
    assert gazetteer.find("bozen").name == "Bolzano/Bozen"
    assert gazetteer.find("Merano").name == "Merano/Meran"


def test_names_garbled_in_the_csv_are_repaired(gazetteer):
    names = {t.istat_code: t.name for t in gazetteer.towns}
    assert names["031019"] == "San Floriano del Collio-Števerjan"
    assert names["032001"] == "Duino Aurisina-Devin Nabrežina"
    assert names["031022"] == "Savogna d'Isonzo-Sovodnje ob Soči"


def test_every_comune_finds_itself(gazetteer):
    for town in gazetteer.towns:
        found = gazetteer.find(town.name)
        assert found is not None and found.key == town.key, town.label
        assert gazetteer.find(town.label) == town


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_search_and_find_never_fail(gazetteer, text):
    assert isinstance(gazetteer.search(text), list)
    found = gazetteer.find(text)
    assert found is None or isinstance(found, Town)


def test_a_bad_file_is_reported(tmp_path):
    with pytest.raises(GazetteerError, match="no such file"):
        load_gazetteer(tmp_path / "missing.csv")
    bad = tmp_path / "comuni.csv"
    bad.write_text("istat_code,name,lat,lon\n001001,Agliè,45.3,7.7\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="province_code"):
        load_gazetteer(bad)
    bad.write_text(
        "istat_code,name,province_code,region,lat,lon\n001001,Agliè,001,Piemonte,x,7.7\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="line 2"):
        load_gazetteer(bad)


# --- the answers on the shipped routes -------------------------------------------------------


def test_lodi_is_on_stage_4_at_the_planned_11_15(shipped_route, gazetteer):
    answer = answer_for(shipped_route, gazetteer, "Lodi")
    assert answer["summary"]["stages_through"] == ["2020-stage-4"]
    four = stage(answer, "2020-stage-4")
    assert set(four) == ROUTE_ANSWER_KEYS
    assert four["passes"] and four["distance_km"] <= THROUGH_KM
    assert four["place"] == "Lodi"
    assert (four["time"], four["time_kind"], four["time_place"]) == ("11:15", "planned", "Lodi")
    assert four["estimate_from"] is None


def test_treviglio_is_the_stage_4_lunch_stop_at_12_45(shipped_route, gazetteer):
    four = stage(answer_for(shipped_route, gazetteer, "Treviglio"), "2020-stage-4")
    assert four["passes"]
    assert (four["place"], four["place_role"]) == ("Treviglio", "lunch")
    assert (four["time"], four["time_kind"]) == ("12:45", "planned")


def test_pandino_gets_an_estimate_between_lodi_and_treviglio(shipped_route, gazetteer):
    answer = answer_for(shipped_route, gazetteer, "Pandino")
    assert answer["summary"]["stages_through"] == ["2020-stage-4"]
    four = stage(answer, "2020-stage-4")
    assert four["passes"]
    assert four["time_kind"] == "estimate"
    assert four["estimate_from"] == ("Lodi", "Treviglio")
    assert four["estimate_times"] == ("11:15", "12:45")
    assert "11:15" < four["time"] < "12:45"
    lodi_km, treviglio_km = four["estimate_km"]
    assert lodi_km < four["km_along"] < treviglio_km
    assert four["estimate_spans_stop"] == []


def test_cremona_is_off_the_2020_route_but_on_the_1955_course(shipped_route, gazetteer):
    answer = answer_for(shipped_route, gazetteer, "Cremona")
    summary = answer["summary"]
    assert summary["stages_through"] == [] and not summary["passes_2020"]
    assert summary["nearest_stage"] == "2020-stage-4"
    assert summary["nearest_stage_distance_km"] > THROUGH_KM
    four = stage(answer, "2020-stage-4")
    assert not four["passes"]
    assert four["distance_km"] == summary["nearest_stage_distance_km"]
    lat, lon = four["nearest_point"]
    assert 44.9 < lat < 45.2 and 9.6 < lon < 10.0  # the Piacenza - Lodi stretch, to the SW
    assert four["direction"] in ("SW", "W", "S")
    assert summary["historic_through"] == ["1955"]
    assert stage(answer, "1955")["passes"] and stage(answer, "1955")["place"] == "Cremona"
    assert not stage(answer, "1927")["passes"]


def test_answers_cover_all_routes_in_order(shipped_route, gazetteer):
    answer = answer_for(shipped_route, gazetteer, "Brescia")
    assert [a["route_id"] for a in answer["routes"]] == list(ROUTE_IDS)
    assert answer["town"].name == "Brescia"
    for each in answer["routes"]:
        assert set(each) == ROUTE_ANSWER_KEYS
        assert each["direction"] is None or each["direction"] in COMPASS
        assert 0 <= each["km_along"] <= each["route_length_km"] + 1e-9
    assert answer["summary"]["stages_through"] == ["2020-stage-1", "2020-stage-4"]
    assert answer["summary"]["historic_through"] == ["1927", "1955"]
    assert stage(answer, "2020-stage-1")["time"] == "14:00"
    assert stage(answer, "2020-stage-4")["time"] == "15:30"
    assert stage(answer, "1927")["time"] == "08:00"  # the start; the finish has no time


def test_a_place_of_the_route_passes_even_if_its_centroid_is_further(shipped_route, gazetteer):
    # Cervia's centroid is ~3 km from the line through the "Cervia-Milano Marittima" point.
    answer = answer_for(shipped_route, gazetteer, "Cervia")
    one = stage(answer, "2020-stage-1")
    assert one["distance_km"] > THROUGH_KM
    assert one["passes"] and one["place"] == "Cervia-Milano Marittima"
    assert (one["time"], one["time_kind"]) == ("22:00", "planned")
    assert stage(answer, "2020-stage-2")["time"] == "06:10"


def test_an_estimate_across_an_untimed_lunch_stop_says_so(shipped_route, gazetteer):
    mantova = stage(answer_for(shipped_route, gazetteer, "Mantova"), "2020-stage-1")
    assert mantova["time_kind"] == "estimate"
    assert mantova["estimate_from"] == ("Sirmione", "Ravenna")
    assert mantova["estimate_spans_stop"] == ["Ferrara"]


def test_historic_courses_without_times_give_distance_only(shipped_route, gazetteer):
    bologna = answer_for(shipped_route, gazetteer, "Bologna")
    for route_id in ("1927", "1955"):
        each = stage(bologna, route_id)
        assert each["passes"] and each["time"] is None and each["time_kind"] is None


# --- geometry on a made-up route -------------------------------------------------------------


def straight_route() -> RouteData:
    """A west-east line along 45 N from 9 E to 10 E, with a timed start and finish."""
    path = ((45.0, 9.0), (45.0, 9.5), (45.0, 10.0))
    km = path_length_km(path)
    places = pd.DataFrame(
        {
            "route_id": "test",
            "order": [1, 2, 3],
            "name": ["Ovest", "Centro", "Est"],
            "role": ["start", "town", "finish"],
            "planned_time": ["10:00", None, "11:00"],
            "lat": [p[0] for p in path],
            "lon": [p[1] for p in path],
            "km_from_start": km,
        }
    )
    return RouteData(routes=pd.DataFrame(), places=places, paths={"test": path})


def town_at(lat: float, lon: float) -> Town:
    return Town("000000", "Somewhere", "000", "XX", "Nowhere", lat, lon)


def test_direction_points_from_the_town_to_the_route():
    route = straight_route()
    north = route_answer(route, town_at(45.1, 9.25), "test")
    assert north["direction"] == "S"
    assert 180 - 1 < north["bearing_deg"] < 180 + 1
    assert north["distance_km"] == pytest.approx(11.1, abs=0.1)  # 0.1 deg of latitude
    assert not north["passes"]
    assert north["nearest_point"] == pytest.approx((45.0, 9.25))
    assert route_answer(route, town_at(44.9, 9.75), "test")["direction"] == "N"
    assert route_answer(route, town_at(45.0, 10.5), "test")["direction"] == "W"
    assert route_answer(route, town_at(45.3, 8.7), "test")["direction"] == "SE"
    on_line = route_answer(route, town_at(45.0, 9.25), "test")
    assert on_line["passes"] and on_line["direction"] is None and on_line["bearing_deg"] is None


def test_times_are_interpolated_by_distance_along_the_line():
    route = straight_route()
    middle = route_answer(route, town_at(45.01, 9.5), "test")
    assert middle["passes"]
    assert middle["km_along"] == pytest.approx(route.places["km_from_start"][1], abs=0.01)
    assert (middle["time"], middle["time_kind"]) == ("10:30", "estimate")
    assert middle["estimate_from"] == ("Ovest", "Est")
    assert middle["nearest_place"]["name"] == "Centro"
    # At the last timed place (not matched by name) the estimate is its time.
    end = route_answer(route, town_at(45.0, 10.2), "test")
    assert (end["time"], end["estimate_from"]) == ("11:00", ("Ovest", "Est"))
    # A town that is a named place of the route with a time gets the planned time.
    named = Town("000001", "Est", "000", "XX", "Nowhere", 45.005, 10.0)
    assert route_answer(route, named, "test")["time_kind"] == "planned"


def test_compass_sectors():
    assert [compass(b) for b in (0, 44, 46, 90, 135, 180, 225, 270, 315, 359)] == [
        "N",
        "NE",
        "NE",
        "E",
        "SE",
        "S",
        "SW",
        "W",
        "NW",
        "N",
    ]
    assert compass(22.4) == "N" and compass(22.6) == "NE"


def test_the_lazy_gazetteer_reads_the_file_once_on_first_use(monkeypatch, gazetteer, tmp_path):
    import threading

    from dashboard import gazetteer as towns

    calls = []
    real = towns.load_gazetteer

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(towns, "load_gazetteer", counting)
    lazy = towns.LazyGazetteer(COMUNI)
    assert calls == [] and "not read yet" in repr(lazy)  # the app starts without it
    threads = [threading.Thread(target=lazy.find, args=("Lodi",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1  # six first lookups at once, one read
    assert lazy.find("lodi") == gazetteer.find("lodi")
    assert lazy.search("castel arquato", limit=3) == gazetteer.search("castel arquato", limit=3)
    with pytest.raises(GazetteerError, match="no such file"):
        towns.LazyGazetteer(tmp_path / "missing.csv")  # a missing file still fails at start
