"""The first moments of the fans' page, in headless Chromium: the still picture of the route
map is painted before any script has run, stays under the interactive map while that draws,
and gives way to it at the same place; without the interactive map it stays."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from dashboard.config import ASSETS_DIR
from tests.browser.conftest import axe_violations, screenshot, wait_in_browser

PLOTLY_BUNDLE = "**/_miglia/plotly-miglia.*"
RELIEF_CORNERS = ASSETS_DIR / "basemap" / "relief.json"
# the basemap's GeoJSON layers (the relief picture is also the still picture's: not held)
BASEMAP_LAYERS = "**/_miglia/basemap/*.geojson"
# when the browser painted the picture (Element Timing: its ground has elementtiming=...)
PICTURE_PAINTED = """() => new Promise(resolve => new PerformanceObserver((list, observer) => {
  const entry = list.getEntries().find(e => e.identifier === 'route-map-picture');
  if (entry) { observer.disconnect(); resolve(entry.renderTime); }
}).observe({type: 'element', buffered: true}))"""
CANVAS_VISIBILITY = "getComputedStyle(document.querySelector('.maplibregl-canvas')).visibility"

# where the centre of the map's view is on screen, and where the picture's centre is
CENTRES = """() => {
  const stack = document.querySelector('.map-stack');
  const gd = stack.querySelector('.js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const canvas = map.getCanvas().getBoundingClientRect();
  const view = map.project(map.getCenter());
  const box = stack.querySelector('.map-picture').getBoundingClientRect();  // its frame
  return {
    map: [canvas.left + view.x, canvas.top + view.y],
    picture: [box.left + box.width / 2, box.top + box.height / 2],
  };
}"""


# where the map puts the relief's north-west and south-east corners on screen, and where the
# picture's relief layer lies
RELIEF_EDGES = """([west, north, east, south]) => {
  const stack = document.querySelector('.map-stack');
  const map = stack.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
  const canvas = map.getCanvas().getBoundingClientRect();
  const nw = map.project([west, north]), se = map.project([east, south]);
  const relief = stack.querySelector('.map-picture img[src*="/basemap/relief."]')
    .getBoundingClientRect();
  return {
    map: [canvas.left + nw.x, canvas.top + nw.y, canvas.left + se.x, canvas.top + se.y],
    picture: [relief.left, relief.top, relief.right, relief.bottom],
  };
}"""


def test_the_route_picture_is_painted_first_and_the_map_takes_its_place(shipped_server, watched):
    page = watched.page
    held_script, held_layers = [], []  # held back, so each moment lasts until released
    page.route(PLOTLY_BUNDLE, lambda route: held_script.append(route))
    page.route(BASEMAP_LAYERS, lambda route: held_layers.append(route))
    page.goto(shipped_server.url + "/?stage=3", wait_until="commit")

    # 1. before any script: the boot screen's picture (its ground, relief and lines)
    boot = page.locator("#boot-message img[elementtiming]")
    expect(boot).to_be_visible()
    expect(boot).to_have_attribute(
        "alt", "Map of the route: Stage 3. The interactive map is loading."
    )
    # a function, not an expression: Playwright evals an expression, which the CSP forbids
    page.wait_for_function(
        "() => [...document.querySelectorAll('#boot-message img')].every(i => i.naturalWidth > 0)"
    )
    assert page.locator("#boot-message img").count() == 3
    painted_at = page.evaluate(PICTURE_PAINTED)
    assert painted_at > 0
    expect(page.locator("#boot-message")).to_contain_text("Loading the interactive map")
    assert held_script and page.locator(".map-stack").count() == 0  # no script has run
    screenshot(page, "first-paint-picture-1366x768")

    # 2. the page is up, the map not drawn yet: the picture where the map will be
    held_script[0].continue_()
    page.unroute(PLOTLY_BUNDLE)
    expect(page.locator("#boot-message")).to_have_count(0)
    page.wait_for_selector(".map-stack[data-watched]", state="attached")
    picture = page.locator(".map-stack .map-picture")
    expect(picture).to_be_visible()
    assert page.locator(".map-stack.map-ready").count() == 0
    assert page.evaluate(CANVAS_VISIBILITY) == "hidden"
    centres = page.evaluate(CENTRES)
    assert abs(centres["map"][0] - centres["picture"][0]) <= 2, centres
    assert abs(centres["map"][1] - centres["picture"][1]) <= 2, centres
    # the picture's relief where the map draws its own
    (west, north), _, (east, south), _ = json.loads(RELIEF_CORNERS.read_text())["coordinates"]
    edges = page.evaluate(RELIEF_EDGES, [west, north, east, south])
    assert all(abs(a - b) <= 2 for a, b in zip(edges["map"], edges["picture"], strict=True)), edges

    # 3. the basemap arrives: the map is drawn, and replaces the picture
    # MapLibre asks for the basemap layers: the map waits for them (3 GeoJSON layers)
    wait_in_browser(page, lambda: len(held_layers) == 3, what="the 3 basemap layers asked for")
    assert page.locator(".map-stack.map-ready").count() == 0
    for route in held_layers:
        route.continue_()
    page.unroute(BASEMAP_LAYERS)
    page.wait_for_selector(".map-stack.map-ready", state="attached")
    expect(picture).to_be_hidden()
    assert page.evaluate(CANVAS_VISIBILITY) == "visible"
    assert page.evaluate(
        """() => {
          const sub = document.querySelector('#route-map .js-plotly-plot')._fullLayout.map._subplot;
          return sub.layerList.length === 4  // with the relief picture
              && sub.layerList.every(l => sub.map.isSourceLoaded(l.idSource));
        }"""
    )
    assert axe_violations(page) == []
    assert watched.external_requests() == [] and watched.console_errors == []


def test_a_fan_who_moves_the_map_before_it_has_drawn_gets_the_map(shipped_server, watched):
    page = watched.page
    held = []  # the basemap held back: the map cannot finish drawing
    page.route(BASEMAP_LAYERS, lambda route: held.append(route))
    page.goto(shipped_server.url + "/?stage=4")
    page.wait_for_selector(".map-stack[data-watched]", state="attached")
    expect(page.locator(".map-stack .map-picture")).to_be_visible()
    assert page.locator(".map-stack.map-ready").count() == 0
    box = page.locator(".map-stack").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    page.mouse.wheel(0, -200)  # zoom in: the fan is using the map now
    page.wait_for_selector(".map-stack.map-ready", state="attached")
    expect(page.locator(".map-stack .map-picture")).to_be_hidden()
    assert page.evaluate(CANVAS_VISIBILITY) == "visible"
    for route in held:
        route.continue_()
    page.unroute(BASEMAP_LAYERS)


def test_without_the_interactive_map_the_route_picture_stays(shipped_server, watched):
    """No plotly.js (a blocked script, a browser it fails in): the fans still see the route."""
    page = watched.page
    refused = []  # the plotly.js loads that failed
    page.on("requestfailed", lambda r: "plotly" in r.url and refused.append(r.url))
    page.route(PLOTLY_BUNDLE, lambda route: route.abort())
    page.route("**/plotly*.min.js", lambda route: route.abort())  # nor Dash's full plotly.js
    page.goto(shipped_server.url + "/?stage=2")
    expect(page.locator("#stage-card")).to_contain_text("Stage 2")
    picture = page.locator(".map-stack .map-picture")
    expect(picture).to_be_visible()
    sources = page.evaluate(
        "() => [...document.querySelectorAll('.map-stack .map-picture img')]"
        ".filter(i => i.naturalWidth > 0).map(i => i.getAttribute('src'))"
    )
    assert len(sources) == 3 and "/route-map/2-ground." in sources[0]
    assert "/basemap/relief." in sources[1] and "/route-map/2-lines." in sources[2]
    # both plotly.js loads failed (the second once the map's component asked for its own):
    # no interactive map can come now, and the picture stays
    wait_in_browser(page, lambda: len(refused) >= 2, what="both plotly.js loads refused")
    expect(picture).to_be_visible()
    screenshot(page, "first-paint-no-plotly-1366x768")


# the GPU process's drawing reported unfinished until the test says so (a software renderer's
# first frame takes seconds); the fence polls counted
GPU_BUSY = """
window.__gpuBusy = true; window.__fencePolls = 0;
const status = WebGL2RenderingContext.prototype.getSyncParameter;
WebGL2RenderingContext.prototype.getSyncParameter = function (sync, name) {
  if (name === this.SYNC_STATUS && window.__gpuBusy) { window.__fencePolls += 1; return this.UNSIGNALED; }
  return status.call(this, sync, name);
};
"""


def test_the_map_replaces_the_picture_only_once_the_gpu_has_drawn_it(shipped_server, watched):
    page = watched.page
    page.add_init_script(GPU_BUSY)
    page.goto(shipped_server.url + "/?stage=3")
    # MapLibre has drawn every layer; the GPU process has not finished the drawing
    page.wait_for_function(
        """() => {
          const gd = document.querySelector('#route-map .js-plotly-plot');
          const map = gd && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
          return map && map.loaded() && window.__fencePolls >= 3;
        }"""
    )
    assert page.locator(".map-stack.map-ready").count() == 0
    expect(page.locator(".map-stack .map-picture")).to_be_visible()
    assert page.evaluate(CANVAS_VISIBILITY) == "hidden"
    page.evaluate("() => { window.__gpuBusy = false; }")
    page.wait_for_selector(".map-stack.map-ready", state="attached")
    expect(page.locator(".map-stack .map-picture")).to_be_hidden()
    assert page.evaluate(CANVAS_VISIBILITY) == "visible"
    assert watched.console_errors == []
