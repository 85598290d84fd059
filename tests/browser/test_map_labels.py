"""Town names on the route map, offline: the glyphs come from the app, MapLibre draws the
names (queried from the map itself), and nothing is fetched from elsewhere."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot
from tests.browser.test_explore_page import wait_for_map

RENDERED_NAMES = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const layers = map.getStyle().layers.filter(l => l.id.startsWith('place-labels'))
                    .map(l => l.id);
  return [...new Set(map.queryRenderedFeatures({layers}).map(f => f.properties.name))];
}"""


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
@pytest.mark.parametrize("choice", ["3", "all"])
def test_town_names_are_drawn_with_the_apps_own_glyphs(
    shipped_server, browser, width, height, choice
):
    watched = open_page(browser, width, height)
    page = watched.page
    try:
        page.goto(f"{shipped_server.url}/?stage={choice}")
        wait_for_map(page, choice)
        page.wait_for_function(f"() => ({RENDERED_NAMES})().length > 3")
        names = page.evaluate(RENDERED_NAMES)
        # the start and finish towns, with the cities of the course
        expected = {"Roma", "Parma", "Siena"} if choice == "3" else {"Brescia", "Roma", "Bologna"}
        assert expected <= set(names), names
        if choice == "all":  # at Italy's scale, only the great names
            assert "Pontenure" not in names and len(names) <= 12, names
        glyphs = [url for url in watched.requests if "/_miglia/glyphs/" in url]
        assert glyphs and all(url.startswith(shipped_server.url) for url in glyphs)
        assert watched.external_requests() == []
        assert watched.console_errors == []
        screenshot(page, f"map-labels-{choice}-{width}x{height}")
    finally:
        page.context.close()
