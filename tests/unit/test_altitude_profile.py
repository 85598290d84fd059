"""The altitude profile: the grid's bilinear sampling, the samples along a route's line, the
climb and highest point, the chart builder and the stage card's two rows, in both languages."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard.components.stage_card import stage_card
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.elevation import GRID_FILE, ElevationError, ElevationGrid, load_elevation
from dashboard.data.profile import (
    Highest,
    Profile,
    ProfilePlace,
    points_along,
    route_profile,
    smoothed,
    total_climb,
)
from dashboard.data.route import route_summary
from dashboard.figures.profile import (
    MARK_TRACE_META,
    is_pass,
    pass_height,
    place_tags,
    profile_figure,
)
from dashboard.i18n import texts


def tiny_grid() -> ElevationGrid:
    """3 x 3 cells of 1 degree, the north-west cell's centre at 46 N, 10 E."""
    heights = np.array([[0.0, 100.0, 200.0], [300.0, 400.0, 500.0], [600.0, 700.0, 800.0]])
    return ElevationGrid(heights, north_lat=46.0, west_lon=10.0, step=1.0)


def test_sampling_hits_cell_centres_and_interpolates_between_them():
    grid = tiny_grid()
    assert grid.sample([46.0, 45.0, 44.0], [10.0, 11.0, 12.0]).tolist() == [0.0, 400.0, 800.0]
    # halfway east of the first cell, halfway south of it, and in the middle of four cells
    assert grid.sample([46.0], [10.5]).tolist() == [50.0]
    assert grid.sample([45.5], [10.0]).tolist() == [150.0]
    assert grid.sample([45.5], [10.5]).tolist() == [200.0]  # (0 + 100 + 300 + 400) / 4
    assert grid.sample([44.25], [11.75]).tolist() == pytest.approx([700.0])


def test_sampling_outside_the_grid_is_nan():
    out = tiny_grid().sample([46.1, 43.9, 45.0, 45.0], [11.0, 11.0, 9.9, 12.1])
    assert np.isnan(out).all()


def test_the_shipped_grid_knows_the_apennines_from_the_po_valley_and_the_sea():
    grid = load_elevation(DEFAULT_DATA_DIR / GRID_FILE)
    cremona, cisa, sea = grid.sample([45.13, 44.47, 42.0], [10.03, 9.93, 10.5])
    assert 20 < cremona < 80 and 700 < cisa < 1300 and sea == 0
    assert not grid.heights.flags.writeable  # shared by every request


def test_a_file_that_is_not_a_grid_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "grid.npz"
    np.savez(bad, something=np.zeros(3))
    with pytest.raises(ElevationError, match="grid.npz"):
        load_elevation(bad)


def test_points_every_half_kilometre_along_the_geodesic_lengths():
    path = ((45.0, 10.0), (45.0, 10.1), (45.1, 10.1))
    cumulative = (0.0, 2.0, 3.2)  # km, as RouteData.cumulative_km gives them
    km, lat, lon = points_along(path, cumulative, 0.5)
    assert km.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2]  # the end included
    assert (lat[4], lon[4]) == (45.0, 10.1)  # a vertex where its km falls
    assert lon[2] == pytest.approx(10.05) and lat[2] == 45.0
    assert lat[6] == pytest.approx(45.0 + 0.1 * 1.0 / 1.2) and lon[6] == pytest.approx(10.1)


def test_climb_sums_the_rises_of_the_smoothed_line():
    # the smoothed line runs 100..500: the ends average fewer samples
    assert total_climb(np.array([0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0])) == 400.0
    flat_noise = np.array([100.0, 101.0, 100.0, 101.0, 100.0, 101.0, 100.0, 101.0, 100.0])
    assert total_climb(flat_noise) < 1.0  # one-metre jitter is no climb
    assert smoothed(np.array([0.0, 10.0, 20.0])).tolist() == [10.0, 10.0, 10.0]


def test_stage_3_climbs_to_the_cisa_and_marks_its_places(shipped_route):
    grid = load_elevation(DEFAULT_DATA_DIR / GRID_FILE)
    profile = route_profile(shipped_route, grid, "2020-stage-3")
    total = shipped_route.cumulative_km["2020-stage-3"][-1]
    assert profile.km[0] == 0.0 and profile.km[-1] == pytest.approx(total)
    assert np.allclose(np.diff(profile.km)[:-1], 0.5)
    names = [p.name for p in profile.places]
    assert names[0] == "Roma" and names[-1] == "Parma" and "Passo della Cisa" in names
    assert [p.km for p in profile.places] == sorted(p.km for p in profile.places)
    assert profile.highest.near == "Passo della Cisa" and 800 < profile.highest.elevation_m < 1300
    assert profile.highest.elevation_m == max(profile.elevation_m)
    assert 1000 < profile.climb_m < 10_000


def _profile() -> Profile:
    return Profile(
        route_id="2020-stage-3",
        km=(0.0, 0.5, 1.0),
        elevation_m=(100.0, 1040.4, 300.0),
        lat=(44.0, 44.1, 44.2),
        lon=(10.0, 10.1, 10.2),
        places=(
            ProfilePlace("Roma", "start", 1, 0.0, 100.0, "confirmed"),
            ProfilePlace("Passo della Cisa", "town", 2, 0.5, 1040.4, "confirmed"),
            ProfilePlace("Lucca", "town", 3, 0.7, 800.0, "confirmed"),
            ProfilePlace("Parma", "finish", 4, 1.0, 300.0, "confirmed"),
        ),
        climb_m=940.4,
        highest=Highest(0.5, 1040.4, 44.1, 10.1, "Passo della Cisa"),
    )


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_chart_marks_places_names_the_pass_with_its_height_and_says_what_it_is(lang):
    labels = texts(lang)
    figure = profile_figure([_profile()], lang)
    go.Figure(figure)  # valid as plotly sees it
    ground, places, highest, mark = figure["data"]
    assert ground["x"] == [0.0, 0.5, 1.0] and ground["customdata"][1] == [44.1, 10.1]
    height = "≈ 1,050 m" if lang == "en" else "≈ 1.050 m"  # the grid's 1,040.4 m, rounded
    tags = [a["text"] for a in figure["layout"]["annotations"][1:]]
    assert tags == ["Roma", f"Passo della Cisa {height}", "Parma"]
    assert places["x"] == [0.0, 0.5, 0.7, 1.0]
    assert highest["x"] == [0.5] and highest["text"] == [""]  # the pass's label says it
    assert mark["x"] == [] and mark["meta"] == {MARK_TRACE_META: True}
    layout = figure["layout"]
    assert layout["annotations"][0]["text"].replace("<br>", " · ") == labels["profile.note"]
    assert "GLOBE 30″" in labels["profile.note"]
    assert layout["xaxis"]["title"]["text"] == labels["profile.x_title"]
    assert layout["yaxis"]["title"]["text"] == labels["profile.y_title"]
    assert json.dumps(figure)  # plain data, no plotly objects


@pytest.mark.parametrize("lang", ["en", "it"])
def test_pass_heights_are_about_values_from_the_grid_never_cited_heights(lang):
    labels = texts(lang)
    places = profile_figure([_profile()], lang)["data"][1]
    cisa, lucca = places["hovertext"][1], places["hovertext"][2]
    # the pass: rounded, marked "≈", and the hover says where the figure comes from
    assert "≈ 1" in cisa and ("1,050 m" in cisa or "1.050 m" in cisa)
    note = labels["profile.pass_height"].split("{height}")[1].replace("{km}", "3")
    assert note in cisa and "GLOBE 30″" in cisa
    assert "1,040" not in cisa and "1.040" not in cisa  # no false precision
    # a town keeps the grid's figure, named as such
    assert "≈" not in lucca and "800 m (GLOBE 30″)" in lucca
    other = texts("en" if lang == "it" else "it")
    assert labels["profile.pass_height"] != other["profile.pass_height"]  # translated


def test_every_shipped_pass_has_an_approximate_point_as_its_hover_says(shipped_route):
    passes = shipped_route.places[shipped_route.places["name"].map(is_pass)]
    assert {"Passo della Cisa", "Passo della Futa", "Valico della Somma"} <= set(passes["name"])
    # the hover's "at an approximate point" stays true only while none is surveyed
    assert set(passes["coord_certainty"]) == {"approximate"}


def test_a_pass_takes_the_highest_ground_near_its_approximate_point_as_its_height():
    # the listed point lies beside the peak (as the Cisa's does); a higher peak 5 km on is another
    profile = dataclasses.replace(
        _profile(),
        km=(0.0, 0.5, 1.0, 6.0, 7.0),
        elevation_m=(100.0, 1040.4, 300.0, 1500.0, 300.0),
        lat=(44.0, 44.1, 44.2, 44.3, 44.4),
        lon=(10.0, 10.1, 10.2, 10.3, 10.4),
    )
    lower = dataclasses.replace(profile.places[1], km=0.6, elevation_m=875.0)
    profile = dataclasses.replace(profile, places=(profile.places[0], lower, *profile.places[2:]))
    assert pass_height(profile, lower) == 1040.4
    figure = profile_figure([profile], "en")
    cisa = next(a for a in figure["layout"]["annotations"] if "Cisa" in a["text"])
    # the pass's name over its peak, with that peak's rounded height (the card's highest point)
    assert cisa["text"] == "Passo della Cisa ≈ 1,050 m"
    assert cisa["x"] == 0.6 and cisa["y"] == 1040.4


def test_a_long_name_near_an_end_reaches_inwards_not_off_the_chart():
    tags, _ = place_tags([5, 374, 200, 420], [1, 1, 1, 1], ["Roma", "Passo della Cisa ≈ 900 m",
                         "Siena", "Parma"], 425)  # fmt: skip
    assert [t["xanchor"] for t in tags] == ["left", "center", "right", "right"]


def test_a_name_one_row_up_starts_as_high_as_the_name_under_it():
    # the Raticosa's line ends higher than the Futa's next to it: the Futa's row counts from there
    tags, rows = place_tags([215, 222], [949, 925], ["Raticosa ≈ 950 m", "Futa ≈ 900 m"], 1360)
    assert [(t["y"], t["ay"]) for t in tags] == [(949, -16), (949, -30)] and rows == 2


def test_names_that_would_overlap_go_one_row_higher():
    tags, rows = place_tags([0, 10, 14, 300], [1, 1, 1, 1], ["Futa", "Raticosa", "", "Somma"], 1400)
    assert [t["text"] for t in tags] == ["Futa", "Raticosa", "Somma"]
    assert [t["ay"] for t in tags] == [-16, -30, -16] and rows == 2


def test_several_routes_follow_one_another_on_the_x_axis(shipped_route):
    grid = load_elevation(DEFAULT_DATA_DIR / GRID_FILE)
    ids = ["2020-stage-1", "2020-stage-2"]
    profiles = [route_profile(shipped_route, grid, r) for r in ids]
    figure = profile_figure(profiles, "en")
    first, second = figure["data"][:2]
    assert second["x"][0] == pytest.approx(first["x"][-1])
    assert [t["meta"]["route_id"] for t in figure["data"][:2]] == ids
    assert len(figure["layout"]["shapes"]) == 1  # the boundary between the stages


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_stage_card_shows_total_climb_and_highest_point(shipped_route, lang):
    grid = load_elevation(DEFAULT_DATA_DIR / GRID_FILE)
    profile = route_profile(shipped_route, grid, "2020-stage-3")
    card = stage_card(route_summary(shipped_route, "3"), lang, [profile])
    text = json.dumps(
        [c.to_plotly_json() for c in card], default=lambda o: o.to_plotly_json(), ensure_ascii=False
    )
    labels = texts(lang)
    assert labels["card.climb"] in text and labels["card.highest"] in text
    assert "Passo della Cisa" in text
    without = stage_card(route_summary(shipped_route, "3"), lang)
    assert labels["card.climb"] not in json.dumps(
        [c.to_plotly_json() for c in without], default=lambda o: o.to_plotly_json()
    )
