"""The route map's traces per (stage choice, language), built once per app (AppData) and only
read by the page's layout and the stage callback: complete, equal to a fresh build, shared
lines, and never changed by a figure built from them."""

from __future__ import annotations

import copy
import shutil

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.config import DEFAULT_DATA_DIR, Config
from dashboard.data.route import ROUTE_IDS, STAGE_CHOICES
from dashboard.figures.route_map import (
    CHECKPOINT_TRACE_INDEX,
    route_map,
    route_trace_table,
    route_traces,
)
from dashboard.i18n import LANGUAGES
from dashboard.pages import explore
from dashboard.view_state import View


@pytest.fixture(scope="module")
def table(shipped_route):
    return route_trace_table(shipped_route)


def test_the_table_holds_every_stage_choice_in_every_language(table):
    assert set(table) == {(choice, lang) for choice in STAGE_CHOICES for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("choice", list(STAGE_CHOICES))
def test_each_entry_is_what_route_traces_builds(shipped_route, table, choice, lang):
    assert table[choice, lang] == route_traces(shipped_route, choice, lang)


def test_the_table_cannot_be_changed_and_its_entries_share_the_route_lines(table):
    with pytest.raises(TypeError):
        table["all", "en"] = table["3", "it"]  # type: ignore[index]
    assert isinstance(table["all", "en"][0], tuple)
    first = table["all", "en"][0][: len(ROUTE_IDS)]
    other = table["3", "it"][0][: len(ROUTE_IDS)]
    assert all(a["lat"] is b["lat"] and a["lon"] is b["lon"] for a, b in zip(first, other, strict=True))


def test_a_map_built_from_the_table_equals_one_built_without_it_and_leaves_it_alone(
    shipped_route, basemap, table
):
    before = copy.deepcopy(table["3", "it"])
    figure = route_map(shipped_route, basemap, "3", "it", None, table["3", "it"])
    figure["data"][CHECKPOINT_TRACE_INDEX] = {"changed": True}
    assert route_map(shipped_route, basemap, "3", "it") != figure
    assert table["3", "it"] == before
    assert route_map(shipped_route, basemap, "3", "it", None, table["3", "it"]) == route_map(
        shipped_route, basemap, "3", "it"
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("traces") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns(".history", ".ingest"))
    return create_app(Config(data_dir=data))


def _route_map_figure(component) -> dict | None:
    if getattr(component, "id", None) == ids.ROUTE_MAP:
        return component.figure
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _route_map_figure(child)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize(("choice", "lang"), [("all", "en"), ("3", "it"), ("1927", "en")])
def test_the_page_draws_the_apps_table_of_traces_without_building_them(app, choice, lang):
    data = app.server.extensions["miglia"]
    kept = copy.deepcopy(data.route_traces[choice, lang])
    with app.server.test_request_context("/"):
        page = explore.content(View(stage=choice, lang=lang), data)
    traces, view = data.route_traces[choice, lang]
    figure = _route_map_figure(page)
    assert figure is not None
    assert all(a is b for a, b in zip(figure["data"], traces, strict=False))
    assert figure["layout"]["map"]["zoom"] == view["zoom"]
    assert data.route_traces[choice, lang] == kept
