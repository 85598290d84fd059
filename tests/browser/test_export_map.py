"""The standalone HTML map, opened from disk in headless Chromium: it draws, its popups work,
and it requests nothing outside the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.route import STAGE_CHOICES
from dashboard.exports import ROUTE_CHOICES, route_map_html
from tests.browser.conftest import open_page, screenshot
from tests.unit.test_exports import HOSTILE, with_hostile_siena

# Tags every place marker's SVG path with its tooltip text, so a test can click it by name.
TAG_MARKERS = """() => {
  const name = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);
  const map = window[name];
  let tagged = 0;
  map.eachLayer(layer => {
    if (layer instanceof L.CircleMarker && layer.getTooltip()) {
      const probe = document.createElement('div');
      probe.innerHTML = layer.getTooltip().getContent();
      layer._path.setAttribute('data-place', probe.textContent);
      tagged += 1;
    }
  });
  return tagged;
}"""


@pytest.fixture
def page_of(browser, tmp_path):
    """Write an export to disk and open it as file://; the Watched page and the file's URL."""
    opened = []

    def open_export(route_data, basemap, name: str, **options):
        path = tmp_path / f"{name}.html"
        path.write_text(route_map_html(route_data, basemap, name, **options), encoding="utf-8")
        watched = open_page(browser)
        opened.append(watched)
        watched.page.on("dialog", lambda dialog: watched.console_errors.append("dialog opened"))
        url = path.resolve().as_uri()
        watched.page.goto(url)
        watched.page.wait_for_selector(".leaflet-container .leaflet-overlay-pane svg")
        return watched, url

    yield open_export
    for watched in opened:
        watched.page.context.close()


def outside_requests(watched, url: str) -> list[str]:
    return [r for r in watched.requests if r != url and not r.startswith(("data:", "blob:"))]


@pytest.mark.parametrize(
    ("name", "place", "role"),
    [("stage-3", "Siena", "Lunch stop"), ("1927", "Perugia", "Passage control")],
)
def test_export_draws_offline_and_popups_give_the_role(
    name, place, role, page_of, shipped_route, basemap
):
    watched, url = page_of(shipped_route, basemap, name)
    page = watched.page
    route_ids = STAGE_CHOICES[ROUTE_CHOICES[name]]
    n_places = len(shipped_route.places_of(route_ids))
    # one interactive path per place and per route line (the basemap is not interactive)
    assert page.locator("path.leaflet-interactive").count() == n_places + len(route_ids)
    assert page.locator(".leaflet-overlay-pane path").count() > n_places + 40  # basemap drawn
    assert page.evaluate(TAG_MARKERS) == n_places
    assert page.locator(".miglia-panel h1").inner_text().startswith("1000 Miglia")
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()

    page.locator(f'path[data-place="{place} · {role}"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert place in text and role in text
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    screenshot(page, f"export-map-{name}")

    assert outside_requests(watched, url) == []
    assert watched.console_errors == []


def test_whole_2020_route_in_italian(page_of, shipped_route, basemap):
    watched, url = page_of(shipped_route, basemap, "2020", lang="it")
    page = watched.page
    n_places = len(shipped_route.places_of(STAGE_CHOICES["all"]))
    assert page.locator("path.leaflet-interactive").count() == n_places + 4
    page.evaluate(TAG_MARKERS)
    page.locator('path[data-place="Siena · Sosta pranzo"]').first.click()
    assert "Sosta pranzo" in page.locator(".leaflet-popup-content").inner_text()
    assert outside_requests(watched, url) == []
    assert watched.console_errors == []


def test_hostile_place_name_is_shown_as_text(page_of, shipped_route, basemap):
    watched, url = page_of(with_hostile_siena(shipped_route), basemap, "stage-3")
    page = watched.page
    page.evaluate(TAG_MARKERS)
    page.locator("path[data-place$='· Lunch stop']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert HOSTILE in popup.inner_text()  # the markup is text, not an element
    assert page.locator(".leaflet-popup-content img, .miglia-panel img").count() == 0
    page.locator(".miglia-panel summary").click()
    assert HOSTILE in page.locator(".miglia-panel ol").inner_text()
    assert outside_requests(watched, url) == []
    assert watched.console_errors == []  # no alert dialog, no error


def test_download_the_map_from_the_page(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this map (HTML, works offline)").click()
    download = download_info.value
    assert download.suggested_filename == "miglia-stage-3.html"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "Siena" in text and "<script src=" not in text
