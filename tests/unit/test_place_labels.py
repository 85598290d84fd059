"""The map's town names are places of the shipped courses: a big city the race does not pass
is never labelled as if it were a race place."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.figures.route_map import MAIN_CITIES, MAJOR_TOWNS, place_labels


def _course_places(route) -> set[str]:
    shown = set(route.routes.index)
    return set(route.places.loc[route.places["route_id"].isin(shown), "name"])


@pytest.mark.parametrize("name", [*MAIN_CITIES, *MAJOR_TOWNS])
def test_every_ranked_city_is_a_place_of_a_shipped_course(shipped_route, name):
    assert name in _course_places(shipped_route), f"{name} is on none of the shipped courses"


def test_every_labelled_name_is_a_place_of_a_shipped_course(shipped_route):
    labels = place_labels(shipped_route)["features"]
    names = [f["properties"]["name"] for f in labels]
    assert names and set(names) <= _course_places(shipped_route)
    assert "Milano" not in names  # near the courses, on none of them
    # start and finish towns and the meal stops are all named
    stops = shipped_route.places.query("role in ['start', 'finish', 'lunch', 'dinner']")
    assert set(stops["name"]) <= set(names)


def test_a_city_off_the_courses_is_not_labelled_even_if_ranked(shipped_route):
    kept = shipped_route.places[shipped_route.places["name"] != "Bologna"]
    route = dataclasses.replace(shipped_route, places=kept)
    names = {f["properties"]["name"] for f in place_labels(route)["features"]}
    assert "Bologna" not in names and "Roma" in names
