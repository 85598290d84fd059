"""The fans' page as a new fan meets it, on a laptop (1366x768) and a phone (390x844), in
English and Italian: one page load per combination, the first view and then stage 3 picked
with the stage picker. Each shows the shaded relief (a raster layer of the map's own style,
its picture from the app), the town names (MapLibre's rendered symbols, queried from the map),
the altitude profile linked to the map both ways, no request beyond 127.0.0.1, no console
error and no serious or critical axe-core violation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from dashboard.i18n import texts
from tests.browser.conftest import Watched, axe_violations, open_page, screenshot
from tests.browser.test_explore_page import pick, wait_for_map

RELIEF_URL = re.compile(r"^http://127\.0\.0\.1:\d+/_miglia/basemap/relief\.[0-9a-f]{16}\.png$")

RELIEF_DRAWN = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const image = Object.entries(map.getStyle().sources).find(([, s]) => s.type === 'image');
  if (!image) return false;
  const source = map.getSource(image[0]);
  // the picture is loaded and its raster layer lies under the routes' layers
  const layers = map.getStyle().layers;
  const relief = layers.findIndex(l => l.source === image[0] && l.type === 'raster');
  const route = layers.findIndex(l => l.id.startsWith('plotly-trace-layer'));
  return Boolean(source.loaded() && source.image) && relief >= 0 && relief < route;
}"""

# the town names MapLibre has drawn (after its own collision pass) in the place-labels layers
RENDERED_NAMES = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const layers = map.getStyle().layers.filter(l => l.id.startsWith('place-labels'))
                    .map(l => l.id);
  return [...new Set(map.queryRenderedFeatures({layers}).map(f => f.properties.name))];
}"""

PROFILE_ROUTES = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  return gd && gd.data ? gd.data.filter(t => t.meta && t.meta.route_id)
      .map(t => t.meta.route_id) : [];
}"""

MAP_MARK = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const mark = gd.data.find(t => t.meta && t.meta.profile_mark);
  return mark ? [mark.lat.length, mark.lat[0], mark.lon[0]] : null;
}"""

PROFILE_MARK = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  const mark = gd.data.find(t => t.meta && t.meta.profile_mark);
  return mark ? [mark.x.length, mark.x[0]] : null;
}"""

# the screen position of a point of stage 3's ground line, 60 % along it, and its km
GROUND_ON_SCREEN = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  const ground = gd.data.find(t => t.meta && t.meta.route_id);
  const i = Math.floor(ground.x.length * 0.6);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(ground.x[i]),
          box.top + ya._offset + ya.l2p(ground.y[i])];
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

# Siena's km on stage 3's profile: where a hover on the map's Siena must put the mark
SIENA_ON_PROFILE = """() => {
  const gd = document.querySelector('#altitude-profile .js-plotly-plot');
  const places = gd.data.find(t => t.meta && t.meta.places);
  return places.x[places.hovertext.findIndex(h => h.includes('Siena'))];
}"""

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
COMBINATIONS = [(size, lang) for size in SIZES for lang in ("en", "it")]


@dataclass
class FansPage:
    """One page load of a combination; stage 3 is picked once, as a user does."""

    watched: Watched
    size: str
    lang: str
    picked: bool = False

    @property
    def page(self):
        return self.watched.page

    def stage_3(self):
        if not self.picked:  # once: the picked link's name then says it is shown
            pick(self.page, texts(self.lang)["picker.3"])
            self.picked = True
        wait_for_map(self.page, "3")
        self.page.wait_for_function(f"() => ({PROFILE_ROUTES})().join() === '2020-stage-3'")
        return self.page


@pytest.fixture(
    scope="class", params=COMBINATIONS, ids=[f"{size}-{lang}" for size, lang in COMBINATIONS]
)
def fans(request, shipped_server, browser):
    size, lang = request.param
    width, height = SIZES[size]
    watched = open_page(browser, width, height)
    watched.page.goto(f"{shipped_server.url}/?lang={lang}")
    wait_for_map(watched.page)
    yield FansPage(watched, size, lang)
    watched.page.context.close()


class TestFansPage:
    def test_first_view_shows_the_relief_and_the_great_names(self, fans):
        page = fans.page
        page.wait_for_function(RELIEF_DRAWN)
        assert [url for url in fans.watched.requests if RELIEF_URL.match(url)]
        page.wait_for_function(f"() => ({RENDERED_NAMES})().length > 3")
        names = set(page.evaluate(RENDERED_NAMES))
        assert {"Brescia", "Roma", "Bologna"} <= names, names
        assert "Pontenure" not in names and len(names) <= 12, names  # Italy's scale: great only
        glyphs = [url for url in fans.watched.requests if "/_miglia/glyphs/" in url]
        assert glyphs and all(url.startswith("http://127.0.0.1") for url in glyphs)
        if fans.size == "phone":
            assert page.locator("#route-map").bounding_box()["y"] < 844 - 200  # first screen

    def test_stage_3_shows_the_relief_its_towns_and_its_profile(self, fans):
        page = fans.stage_3()
        labels = texts(fans.lang)
        page.wait_for_function(RELIEF_DRAWN)
        page.wait_for_function(f"() => ({RENDERED_NAMES})().includes('Siena')")
        names = set(page.evaluate(RENDERED_NAMES))
        assert {"Roma", "Parma", "Siena"} <= names, names
        assert "Milano" not in names  # near, but on none of the courses
        profile = page.locator("#altitude-profile")
        expect(profile.locator(".annotation", has_text="Passo della Cisa ≈")).to_be_visible()
        expect(profile).to_contain_text(labels["profile.note"].split(" · ")[0])
        card = page.locator("#stage-card")
        expect(card).to_contain_text(labels["card.climb"])
        expect(card).to_contain_text("Passo della Cisa")  # the highest point is near it
        screenshot(page, f"fans-stage3-{fans.size}-{fans.lang}")

    def test_hovering_the_profile_marks_the_point_on_the_map(self, fans):
        page = fans.stage_3()
        assert page.evaluate(MAP_MARK)[0] == 0
        page.locator("#altitude-profile").scroll_into_view_if_needed()
        x, y = page.evaluate(GROUND_ON_SCREEN)
        page.mouse.move(x, y, steps=3)
        page.wait_for_function(f"() => ({MAP_MARK})()[0] === 1")
        _, lat, lon = page.evaluate(MAP_MARK)
        assert 41 < lat < 45 and 9 < lon < 13  # on stage 3, in Italy
        page.mouse.move(1, 1)  # leaving the profile clears the mark
        page.wait_for_function(f"() => ({MAP_MARK})()[0] === 0")

    def test_hovering_a_place_on_the_map_marks_it_on_the_profile(self, fans):
        page = fans.stage_3()
        page.locator("#route-map").scroll_into_view_if_needed()
        wait_for_map(page, "3")
        x, y = page.evaluate(SIENA_ON_SCREEN)
        page.mouse.move(x, y, steps=3)
        page.wait_for_function(f"() => ({PROFILE_MARK})()[0] === 1")
        assert page.evaluate(PROFILE_MARK)[1] == pytest.approx(page.evaluate(SIENA_ON_PROFILE))
        page.mouse.move(1, 1)

    def test_no_serious_or_critical_accessibility_violation(self, fans):
        assert axe_violations(fans.stage_3()) == []

    def test_nothing_left_the_machine_and_the_console_is_clean(self, fans):
        fans.stage_3()
        assert fans.watched.external_requests() == []
        assert fans.watched.console_errors == []
