"""The shaded relief under the fans' map and the altitude profile under it, in headless
Chromium: the relief picture comes from the app, the profile follows the stage picker, and
nothing leaves 127.0.0.1 or errs in the console."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_explore_page import pick, wait_for_map

RELIEF_URL = re.compile(r"^http://127\.0\.0\.1:\d+/_miglia/basemap/relief\.[0-9a-f]{16}\.png$")

RELIEF_DRAWN = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const image = Object.entries(map.getStyle().sources).find(([, s]) => s.type === 'image');
  if (!image) return false;
  const source = map.getSource(image[0]);
  // the picture is loaded and its layer lies under the routes' layers
  const layers = map.getStyle().layers.map(l => l.id);
  const relief = layers.findIndex(id => map.getLayer(id).source === image[0]);
  const route = layers.findIndex(id => id.startsWith('plotly-trace-layer'));
  return Boolean(source.loaded() && source.image) && relief >= 0 && relief < route;
}"""

PROFILE_ROUTES = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  return gd && gd.data ? gd.data.filter(t => t.meta && t.meta.route_id)
      .map(t => t.meta.route_id) : [];
}"""


def test_relief_under_stage_3_and_its_profile_with_the_cisa(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=1")
    wait_for_map(page, "1")
    page.wait_for_function(RELIEF_DRAWN)
    assert [url for url in watched.requests if RELIEF_URL.match(url)], watched.requests
    profile = page.locator("#altitude-profile")
    expect(profile).to_be_visible()
    pick(page, "Stage 3")
    wait_for_map(page, "3")
    page.wait_for_function(f"() => ({PROFILE_ROUTES})().join() === '2020-stage-3'")
    expect(profile.locator(".annotation", has_text="Passo della Cisa")).to_be_visible()
    expect(profile).to_contain_text("Along the line through the listed places")
    card = page.locator("#stage-card")
    expect(card).to_contain_text("Total climb")
    expect(card).to_contain_text("near Passo della Cisa")
    profile.scroll_into_view_if_needed()
    screenshot(page, "profile-stage3-1366x768")
    assert watched.external_requests() == []
    assert watched.console_errors == []


def test_the_profile_and_its_note_in_italian_on_a_phone(shipped_server, phone):
    page = phone.page
    page.goto(shipped_server.url + "/?stage=1927&lang=it")
    wait_for_map(page, "1927")
    page.wait_for_function(RELIEF_DRAWN)
    profile = page.locator("#altitude-profile")
    page.wait_for_function(f"() => ({PROFILE_ROUTES})().join() === '1927'")
    expect(profile).to_contain_text("Lungo la linea tra le località elencate")
    expect(profile).to_contain_text("km dalla partenza")
    expect(profile.locator(".annotation", has_text="Passo della Futa")).to_be_visible()
    expect(page.locator("#stage-card")).to_contain_text("Dislivello in salita")
    box = profile.bounding_box()
    assert box and box["width"] <= 390  # fits the phone's width
    assert phone.external_requests() == []
    assert phone.console_errors == []


MAP_MARK = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const mark = gd.data.find(t => t.meta && t.meta.profile_mark);
  return mark ? [mark.lat.length, mark.lat[0], mark.lon[0]] : null;
}"""

PROFILE_MARK = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  const mark = gd.data.find(t => t.meta && t.meta.profile_mark);
  return mark ? mark.x.length : null;
}"""

# the screen position of a point of stage 3's ground line, 60 % along it
GROUND_ON_SCREEN = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  const ground = gd.data.find(t => t.meta && t.meta.route_id);
  const i = Math.floor(ground.x.length * 0.6);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(ground.x[i]), box.top + ya._offset + ya.l2p(ground.y[i])];
}"""

# the screen position of one of the map's places (stage 3's lunch stop, Siena)
SIENA_ON_SCREEN = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const siena = gd.data.find(t => t.meta && t.meta.category === 'meal'
      && (t.hovertext || []).some(h => h.includes('Siena')));
  const i = siena.hovertext.findIndex(h => h.includes('Siena'));
  const map = gd._fullLayout.map._subplot.map;
  const p = map.project([siena.lon[i], siena.lat[i]]);
  const box = map.getCanvas().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}"""


def test_the_profile_and_the_map_mark_each_other_when_hovered(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page, "3")
    page.wait_for_function(f"() => ({PROFILE_ROUTES})().join() === '2020-stage-3'")
    assert page.evaluate(MAP_MARK)[0] == 0
    # the profile hovered: the point under the mouse is marked on the map, in Italy
    page.locator("#altitude-profile").scroll_into_view_if_needed()
    x, y = page.evaluate(GROUND_ON_SCREEN)
    page.mouse.move(x, y)
    page.wait_for_function(f"() => ({MAP_MARK})()[0] === 1")
    _, lat, lon = page.evaluate(MAP_MARK)
    assert 41 < lat < 45 and 9 < lon < 13
    page.mouse.move(5, 5)  # leaving the profile clears the mark
    page.wait_for_function(f"() => ({MAP_MARK})()[0] === 0")
    # a place hovered on the map: the same place is marked on the profile
    page.locator("#route-map").scroll_into_view_if_needed()
    x, y = page.evaluate(SIENA_ON_SCREEN)
    page.mouse.move(x, y)
    page.wait_for_function(f"() => ({PROFILE_MARK})() === 1")
    assert watched.console_errors == []
    assert watched.external_requests() == []
