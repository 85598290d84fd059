"""The map as the page's centre: it fits the chosen route, and the town lookup zooms to the
town and the nearest point of the route, with the marker clear of the attribution."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot
from tests.browser.test_explore_page import wait_for_map

MAP_STATE = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const box = map.getCanvas().getBoundingClientRect();
  const onScreen = ([lon, lat]) => {
    const p = map.project([lon, lat]);
    return [box.left + p.x, box.top + p.y];
  };
  const town = gd.data.find(t => t.meta && t.meta.town);
  const route = gd.data.find(t => t.meta && t.meta.route_id === '2020-stage-4');
  const attribution = document.querySelector('#route-map .maplibregl-ctrl-attrib')
    .getBoundingClientRect();
  return {
    zoom: map.getZoom(),
    box: [box.left, box.top, box.right, box.bottom],
    town: town.lon.map((lon, i) => onScreen([lon, town.lat[i]])),
    route: route.lon.map((lon, i) => onScreen([lon, route.lat[i]])),
    attribution: [attribution.left, attribution.top, attribution.right, attribution.bottom],
  };
}"""

TOWN_DRAWN = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const town = gd.data.find(t => t.meta && t.meta.town);
  return town.lat.length === 2 && String(gd.layout.uirevision).endsWith('-Bergamo');
}"""


def _inside(point, box, margin=0):
    x, y = point
    return box[0] + margin <= x <= box[2] - margin and box[1] + margin <= y <= box[3] - margin


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_route_fills_the_map_and_a_town_lookup_zooms_to_the_town(
    shipped_server, browser, width, height
):
    watched = open_page(browser, width, height)
    page = watched.page
    try:
        page.goto(f"{shipped_server.url}/?stage=4")
        wait_for_map(page, "4")
        before = page.evaluate(MAP_STATE)
        box = before["box"]
        assert all(_inside(p, box) for p in before["route"])  # the whole stage is shown
        xs, ys = [p[0] for p in before["route"]], [p[1] for p in before["route"]]
        # tightly: the stage spans most of the map one way or the other
        fill = max((max(xs) - min(xs)) / (box[2] - box[0]), (max(ys) - min(ys)) / (box[3] - box[1]))
        assert fill > 0.6, fill
        box_input = page.get_by_label("Town (any Italian comune)")
        box_input.fill("Bergamo")
        box_input.press("Enter")
        page.wait_for_function(TOWN_DRAWN)
        wait_for_map(page, "4")
        after = page.evaluate(MAP_STATE)
        assert after["zoom"] > before["zoom"] + 0.5
        town, nearest = after["town"]
        box = after["box"]  # the page may have scrolled to the town's box meanwhile
        assert _inside(town, box, 40) and _inside(nearest, box, 40)
        assert not _inside(town, after["attribution"]) and not _inside(
            nearest, after["attribution"]
        )
        screenshot(page, f"map-town-bergamo-{width}x{height}")
        assert watched.external_requests() == [] and watched.console_errors == []
    finally:
        page.context.close()


def test_a_shared_link_with_a_town_opens_on_the_town(shipped_server, watched):
    page = watched.page
    page.goto(f"{shipped_server.url}/?stage=4&town=Bergamo")
    wait_for_map(page, "4")
    state = page.evaluate(MAP_STATE)
    assert state["zoom"] > 8
    assert all(_inside(p, state["box"], 40) for p in state["town"])
    # the reset button shows the whole stage again
    page.locator("#map-reset").click()
    page.wait_for_function(
        "() => !String(document.querySelector('#route-map .js-plotly-plot').layout.uirevision)"
        ".endsWith('Bergamo')"
    )
    wait_for_map(page, "4")
    assert page.evaluate(MAP_STATE)["zoom"] < state["zoom"] - 0.5
