"""The still picture of the route map: built as SVG from the route and basemap
(dashboard/figures/static_map.py), served as a static file (tests/unit/test_static_files.py)
and shown by the HTML page before its scripts run (dashboard/components/boot_screen.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.data.route import STAGE_CHOICES
from dashboard.figures import colours
from dashboard.figures.route_map import fit_view
from dashboard.figures.static_map import (
    HEIGHT_PX,
    PICTURE_LAYERS,
    WIDTH_PX,
    _projector,
    relief_box,
    route_map_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("choice", list(STAGE_CHOICES))
def test_the_picture_is_svg_with_basemap_routes_and_places(shipped_route, basemap, choice):
    ground, lines = (
        route_map_svg(shipped_route, basemap, choice, layer) for layer in PICTURE_LAYERS
    )
    for svg in (ground, lines):
        root = ET.fromstring(svg)  # well-formed
        assert root.tag == f"{SVG}svg"
        assert (root.get("width"), root.get("height")) == (str(WIDTH_PX), str(HEIGHT_PX))
        assert len(svg) < 80_000  # whole pixels, relative moves, far-away rings left out
    # the ground: sea and land, under the relief
    root = ET.fromstring(ground)
    fills = [p.get("fill") for p in root.iter(f"{SVG}path")]
    assert colours.LAND_ITALY in fills and colours.LAND in fills
    assert [r.get("fill") for r in root.iter(f"{SVG}rect")] == [colours.SEA]
    assert not list(root.iter(f"{SVG}circle"))
    # the lines: borders, routes and places over the relief, on nothing
    root = ET.fromstring(lines)
    assert not list(root.iter(f"{SVG}rect"))
    assert {p.get("fill") for p in root.iter(f"{SVG}path")} == {"none"}
    strokes = [p.get("stroke") for p in root.iter(f"{SVG}path")]
    for route_id in STAGE_CHOICES[choice]:  # each chosen route, drawn bold
        bold = [
            p
            for p in root.iter(f"{SVG}path")
            if p.get("stroke") == colours.ROUTE_COLOURS[route_id] and p.get("stroke-width") == "5"
        ]
        assert len(bold) == 1 and len(re.findall(r"-?\d+", bold[0].get("d"))) >= 8
    assert colours.REGION_BORDER in strokes
    dots = list(root.iter(f"{SVG}circle"))
    assert len(dots) == len(shipped_route.places_of(STAGE_CHOICES[choice]))


def test_the_relief_lies_where_the_map_puts_its_corners(shipped_route, basemap):
    """MapLibre draws the relief as a rectangle between its corners in Web Mercator: the
    picture's relief box is those corners, projected as the picture projects the route."""
    for choice in STAGE_CHOICES:
        center, zoom = fit_view(
            [p for rid in STAGE_CHOICES[choice] for p in shipped_route.paths[rid]]
        )
        project = _projector(center, zoom)
        (west, north), _, (east, south), _ = basemap.relief_corners
        left, top, width, height = relief_box(shipped_route, basemap, choice)
        assert (left, top) == project(north, west)
        assert (left + width, top + height) == project(south, east)
        # the route lies on the relief
        for lat, lon in shipped_route.paths[STAGE_CHOICES[choice][0]]:
            x, y = project(lat, lon)
            assert left < x < left + width and top < y < top + height
    assert relief_box(shipped_route, replace(basemap, relief_corners=None), "all") is None


def test_the_picture_is_centred_and_scaled_like_the_interactive_map(shipped_route, basemap):
    """The map's own view (centre and zoom from fit_view, MapLibre's 512 px world at zoom
    0) puts the centre in the middle of the picture, and a degree of longitude spans
    512 * 2**zoom / 360 pixels, so the picture lines up with the map that replaces it."""
    route_ids = STAGE_CHOICES["3"]
    center, zoom = fit_view([p for rid in route_ids for p in shipped_route.paths[rid]])
    project = _projector(center, zoom)
    assert project(center["lat"], center["lon"]) == (WIDTH_PX // 2, HEIGHT_PX // 2)
    x1, _ = project(center["lat"], center["lon"] + 1)
    assert abs((x1 - WIDTH_PX // 2) - 512 * 2**zoom / 360) <= 1
    rome = shipped_route.places_of(route_ids).iloc[0]
    x, y = project(rome["lat"], rome["lon"])
    svg = route_map_svg(shipped_route, basemap, "3", "lines")
    assert f'cx="{x}" cy="{y}"' in svg  # the first place of the stage, where it belongs
    # the stage's line, written as relative moves, goes through its projected vertices
    (route_id,) = route_ids
    expected = []
    for lat, lon in shipped_route.paths[route_id]:
        point = project(lat, lon)
        if not expected or point != expected[-1]:
            expected.append(point)
    root = ET.fromstring(svg)
    line = next(
        p
        for p in root.iter(f"{SVG}path")
        if p.get("stroke") == colours.ROUTE_COLOURS[route_id] and p.get("stroke-width") == "5"
    )
    numbers = [int(n) for n in re.findall(r"-?\d+", line.get("d"))]
    points = [(numbers[0], numbers[1])]
    for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
        points.append((points[-1][0] + dx, points[-1][1] + dy))
    assert points == expected


def _boot(page: str) -> str:
    # the map page's boot screen ends with its line of text; the others are one line
    match = re.search(
        r'<div id="boot-message" class="boot-message boot-map".*?</p></div>', page, re.S
    )
    match = match or re.search(r'<div id="boot-message".*?</div>', page, re.S)
    assert match, "the page has no boot screen"
    return match.group(0)


def test_the_map_page_shows_the_picture_of_its_route_before_any_script(data_dir):
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    boot = _boot(client.get("/").get_data(as_text=True))
    # the ground, the relief the interactive map also draws, and the lines, in that order
    sources = re.findall(r'<img src="([^"]+)"', boot)
    assert len(sources) == 3
    assert re.fullmatch(r"/_miglia/route-map/all-ground\.[0-9a-f]{16}\.svg", sources[0])
    assert re.fullmatch(r"/_miglia/basemap/relief\.[0-9a-f]{16}\.png", sources[1])
    assert re.fullmatch(r"/_miglia/route-map/all-lines\.[0-9a-f]{16}\.svg", sources[2])
    assert 'alt="Map of the route: All of 2020. The interactive map is loading."' in boot
    assert boot.count('alt=""') == 2  # one description for the picture
    assert "Loading the interactive map" in boot
    assert all(client.get(src).status_code == 200 for src in sources)

    page = client.get("/?stage=2&lang=it").get_data(as_text=True)
    boot = _boot(page)
    assert re.search(r'src="/_miglia/route-map/2-ground\.[0-9a-f]{16}\.svg"', boot)
    assert "Mappa del percorso: Tappa 2" in boot
    # the picture comes before the scripts, so it is painted while they load
    assert page.index("<img") < page.index("<script")

    hostile = client.get('/?stage="><script>alert(1)</script>').get_data(as_text=True)
    assert "alert(1)" not in _boot(hostile) and "/route-map/all-ground." in _boot(hostile)

    for path in ("/history", "/editor", "/bigscreen", "/no-such-page"):
        boot = _boot(client.get(path).get_data(as_text=True))
        assert "<img" not in boot and "Loading the 1000 Miglia dashboard" in boot
