"""The route map as a still SVG picture: what the interactive map first shows, drawn at once.

The interactive map (MapLibre through plotly.js) needs megabytes of script and, without a
GPU, seconds of drawing before anything appears. This picture shows the same view (the same
centre and zoom, Web Mercator at MapLibre's 512 px tiles, the same colours, lines and
places) in a few kilobytes: the page shows it first and the interactive map replaces it when
it has drawn. Pure function: data in, SVG text out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape

from dashboard.data.basemap import Basemap
from dashboard.data.route import HISTORIC_ROUTE_IDS, STAGE_CHOICES, STAGE_ROUTE_IDS, RouteData
from dashboard.figures import colours
from dashboard.figures.route_map import PLACE_CATEGORIES, fit_view, place_category

# big enough to fill a large map panel at the fitted zoom; shown centred and cropped
WIDTH_PX, HEIGHT_PX = 2000, 1300
TILE_PX = 512  # MapLibre's world is 512 px wide at zoom 0


def _projector(center: dict, zoom: float):
    """(lat, lon) -> (x, y) pixels of the picture, Web Mercator as MapLibre draws it."""
    world = TILE_PX * 2**zoom

    def mercator_y(lat: float) -> float:
        lat = max(min(lat, 85.05), -85.05)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    cx = (center["lon"] + 180) / 360 * world
    cy = (1 - mercator_y(center["lat"]) / math.pi) / 2 * world

    def project(lat: float, lon: float) -> tuple[int, int]:
        x = (lon + 180) / 360 * world - cx + WIDTH_PX / 2
        y = (1 - mercator_y(lat) / math.pi) / 2 * world - cy + HEIGHT_PX / 2
        return round(x), round(y)

    return project


def _choice_projector(route: RouteData, choice: str):
    """The projector of a choice's picture: the interactive map's fitted view of its routes."""
    return _projector(*fit_view([p for rid in STAGE_CHOICES[choice] for p in route.paths[rid]]))


def _path_data(rings: Iterable[Sequence], project, close: bool) -> str:
    """SVG path data of rings of [lon, lat] points, in whole pixels: points that round to
    the previous one are dropped, and rings that shrink to a point or lie far outside the
    picture are left out (this keeps the picture small)."""
    parts: list[str] = []
    margin = 400
    for ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            point = project(lat, lon)
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 2:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if (
            max(xs) < -margin
            or min(xs) > WIDTH_PX + margin
            or max(ys) < -margin
            or min(ys) > HEIGHT_PX + margin
        ):
            continue
        # relative moves ("l dx dy ..."): small numbers, a third of the bytes
        steps = " ".join(
            f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False)
        )
        text = f"M{points[0][0]} {points[0][1]}l" + steps.replace(" -", "-")
        parts.append(text + ("z" if close else ""))
    return "".join(parts)


def _polygon_rings(geojson: dict, italy: bool | None = None, outer_only: bool = True):
    for feature in geojson["features"]:
        if italy is not None and bool(feature["properties"].get("italy")) is not italy:
            continue
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        for polygon in polygons:
            yield from polygon[:1] if outer_only else polygon


PICTURE_LAYERS = ("ground", "lines")  # under the shaded relief, and over it


def route_map_svg(route: RouteData, basemap: Basemap, choice: str, layer: str) -> str:
    """One layer of the picture of the map for a stage-picker choice ('all', '1'..'4',
    '1927', '1955'): "ground" (sea and land) or "lines" (borders, routes and places, on
    nothing). The page lays the shaded relief between them, as the interactive map does."""
    chosen = STAGE_CHOICES[choice]
    project = _choice_projector(route, choice)
    if layer == "ground":
        shapes = [
            f'<rect width="{WIDTH_PX}" height="{HEIGHT_PX}" fill="{colours.SEA}"/>',
            f'<path d="{_path_data(_polygon_rings(basemap.countries, italy=False), project, True)}"'
            f' fill="{colours.LAND}" stroke="{colours.COUNTRY_BORDER}" stroke-width="1"/>',
            f'<path d="{_path_data(_polygon_rings(basemap.countries, italy=True), project, True)}"'
            f' fill="{colours.LAND_ITALY}" stroke="{colours.COUNTRY_BORDER}" stroke-width="1"/>',
        ]
    elif layer == "lines":
        shapes = _lines(route, basemap, chosen, project)
    else:
        raise ValueError(f"no picture layer {layer!r}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_PX}" height="{HEIGHT_PX}"'
        f' viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}">' + "".join(shapes) + "</svg>"
    )


def _lines(route: RouteData, basemap: Basemap, chosen: Sequence[str], project) -> list[str]:
    shapes = [
        f'<path d="{_path_data(_polygon_rings(basemap.regions, outer_only=False), project, False)}"'
        f' fill="none" stroke="{colours.REGION_BORDER}" stroke-width="0.8"/>',
    ]
    # faint 2020 stages first, the chosen routes over them (as the interactive map draws)
    shown = [rid for rid in STAGE_ROUTE_IDS if rid not in chosen] + [
        rid for rid in STAGE_ROUTE_IDS + HISTORIC_ROUTE_IDS if rid in chosen
    ]
    for route_id in shown:
        is_chosen = route_id in chosen
        line = [(lon, lat) for lat, lon in route.paths[route_id]]
        dash = ' stroke-dasharray="12 9"' if route_id in HISTORIC_ROUTE_IDS else ""
        shapes.append(
            f'<path d="{_path_data([line], project, False)}" fill="none"'
            f' stroke="{colours.ROUTE_COLOURS[route_id]}" stroke-width="{5 if is_chosen else 2.5}"'
            f' stroke-opacity="{1 if is_chosen else 0.45}" stroke-linejoin="round"'
            f' stroke-linecap="round"{dash}/>'
        )
    places = route.places_of(chosen)
    categories = places["role"].map(place_category)
    for category in PLACE_CATEGORIES:  # in the interactive map's order: towns on top
        style = colours.PLACE_STYLE[category]
        radius = style["size"] / 2
        dots = []
        for lat, lon in zip(
            places.loc[categories == category, "lat"],
            places.loc[categories == category, "lon"],
            strict=True,
        ):
            x, y = project(lat, lon)
            dots.append(f'<circle cx="{x}" cy="{y}" r="{radius:g}"/>')
        if dots:
            shapes.append(f'<g fill="{escape(style["color"])}">{"".join(dots)}</g>')
    return shapes


def relief_box(route: RouteData, basemap: Basemap, choice: str) -> tuple[int, int, int, int] | None:
    """Where the shaded relief lies in the picture of a choice (left, top, width, height in
    its pixels): its corners projected as the map projects them (MapLibre draws an image
    source as a rectangle between its corners in Web Mercator). None without a relief."""
    if not basemap.relief_corners:
        return None
    project = _choice_projector(route, choice)
    (west, north), _, (east, south), _ = basemap.relief_corners
    left, top = project(north, west)
    right, bottom = project(south, east)
    return left, top, right - left, bottom - top
