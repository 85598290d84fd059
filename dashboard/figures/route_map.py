"""The route map: MapLibre (go.Scattermap) over the shipped offline basemap.

One line trace per route, so the legend toggles each stage and historic course, and one
marker trace per kind of place (start/finish, lunch and dinner stops, time trials, passage
controls, towns). Historic courses are drawn dashed (a line broken into dashes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from dashboard.data.basemap import Basemap, layer_source
from dashboard.data.route import (
    HISTORIC_ROUTE_IDS,
    STAGE_CHOICES,
    STAGE_ROUTE_IDS,
    RouteData,
)
from dashboard.figures import colours
from dashboard.i18n import format_number, texts
from dashboard.race import StandingsView

PLACE_CATEGORIES = ("start_finish", "meal", "time_trial", "passage_control", "town")
_CATEGORY_OF_ROLE = {
    "start": "start_finish",
    "finish": "start_finish",
    "lunch": "meal",
    "dinner": "meal",
    "time_trial": "time_trial",
    "passage_control": "passage_control",
    "town": "town",
}
# Viewport assumed when fitting a route: small enough that a phone shows the whole route.
_FIT_WIDTH_PX, _FIT_HEIGHT_PX = 330, 260
MAX_ZOOM = 9.0


def place_category(role: str) -> str:
    return _CATEGORY_OF_ROLE[role]


def fit_view(points: Iterable[tuple[float, float]]) -> tuple[dict, float]:
    """Center and zoom that show all (lat, lon) points in a small viewport."""
    lats, lons = zip(*points, strict=True)
    lat_min, lat_max, lon_min, lon_max = min(lats), max(lats), min(lons), max(lons)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(lon_max - lon_min, 0.05)
    y_span = max(mercator(lat_max) - mercator(lat_min), 0.001)
    # MapLibre: the world is 512 px wide at zoom 0
    zoom_x = math.log2(_FIT_WIDTH_PX * 360 / (512 * lon_span))
    zoom_y = math.log2(_FIT_HEIGHT_PX * 2 * math.pi / (512 * y_span))
    zoom = min(zoom_x, zoom_y, MAX_ZOOM)
    center_y = (mercator(lat_max) + mercator(lat_min)) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(center_y)) - math.pi / 2)
    return {"lat": round(center_lat, 4), "lon": round((lon_min + lon_max) / 2, 4)}, round(zoom, 2)


def dashed(path: Sequence[tuple[float, float]], dash_km: float = 7.0, gap_km: float = 5.0):
    """Break a (lat, lon) path into dashes separated by gaps (None), for a dashed line trace."""
    lats: list[float | None] = []
    lons: list[float | None] = []
    drawing, left = True, dash_km
    lats.append(path[0][0])
    lons.append(path[0][1])
    for (lat1, lon1), (lat2, lon2) in zip(path, path[1:], strict=False):
        kx = 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
        seg = math.hypot((lat2 - lat1) * 110.57, (lon2 - lon1) * kx)
        done = 0.0
        while seg - done > left:
            done += left
            f = done / seg
            lat, lon = lat1 + (lat2 - lat1) * f, lon1 + (lon2 - lon1) * f
            if drawing:
                lats += [lat, None]
                lons += [lon, None]
            else:
                lats.append(lat)
                lons.append(lon)
            drawing = not drawing
            left = dash_km if drawing else gap_km
        left -= seg - done
        if drawing:
            lats.append(lat2)
            lons.append(lon2)
    return lats, lons


def _basemap_layers(basemap: Basemap, lang: str = "en") -> list[dict]:
    """Land (Italy lighter than its neighbours, borders as fill outlines), the shaded relief
    and region borders; sources are URLs the app serves (cached by the browser) or the
    GeoJSON itself."""
    land = {"sourcetype": "geojson", "type": "fill", "below": "traces"}
    return [
        {
            **land,
            "source": layer_source(basemap, "land"),
            "color": colours.LAND,
            "fill": {"outlinecolor": colours.COUNTRY_BORDER},
            "sourceattribution": basemap.attribution,
        },
        {
            **land,
            "source": layer_source(basemap, "italy"),
            "color": colours.LAND_ITALY,
            "fill": {"outlinecolor": colours.COUNTRY_BORDER},
        },
        *relief_layer(basemap, lang),
        {
            "sourcetype": "geojson",
            "source": layer_source(basemap, "regions"),
            "type": "line",
            "color": colours.REGION_BORDER,
            "line": {"width": 0.8},
            "below": "traces",
            **relief_credit(basemap, lang),
        },
    ]


def relief_layer(basemap: Basemap, lang: str = "en") -> list[dict]:
    """The shaded relief picture over the land, under the borders and routes; none when the
    app does not serve the picture (a picture in the figure itself would be resent each time)."""
    url = (basemap.urls or {}).get("relief")
    if not url or not basemap.relief_corners:
        return []
    return [
        {
            "sourcetype": "image",
            "source": url,
            "coordinates": [list(corner) for corner in basemap.relief_corners],
            "type": "raster",
            "below": "traces",
        }
    ]


def relief_credit(basemap: Basemap, lang: str = "en") -> dict:
    """The relief's credit, carried by a GeoJSON layer: MapLibre refuses an image source
    with an attribution (the source is then never added)."""
    if not relief_layer(basemap, lang):
        return {}
    return {"sourceattribution": texts(lang)["map.relief_attribution"]}


def map_style() -> dict:
    """A MapLibre style with no remote source: the sea as background, the land drawn as layers."""
    # "sources" must not be empty: plotly drops empty objects when it merges an updated
    # figure, and MapLibre then refuses the style ("missing required property sources").
    empty = {"type": "FeatureCollection", "features": []}
    return {
        "version": 8,
        "name": "offline",
        "sources": {"none": {"type": "geojson", "data": empty}},
        "layers": [{"id": "sea", "type": "background", "paint": {"background-color": colours.SEA}}],
    }


def place_hover(place: Mapping, route_name: str, lang: str) -> str:
    """Hover text of one place: name, role, stage, order, km from the start, time, certainty."""
    labels = texts(lang)
    lines = [f"<b>{escape(place['name'])}</b>"]
    if place.get("venue"):
        lines[0] += f" ({escape(place['venue'])})"
    lines.append(labels[f"role.{place['role']}"])
    lines.append(f"{route_name} · {labels['map.hover.order']} {place['order']}")
    km = format_number(place["km_from_start"], lang)
    lines.append(f"{km} km {labels['map.hover.from_start']}")
    if place.get("planned_time"):
        lines.append(f"{labels['map.hover.planned']} {place['planned_time']}")
    elif place.get("time_note"):
        lines.append(f"{labels['map.hover.planned']} {place['time_note']}")
    if place["certainty"] != "confirmed":
        lines.append(f"⚠ {labels['certainty.' + place['certainty']]}")
    return "<br>".join(lines)


def route_traces(route: RouteData, choice: str, lang: str = "en") -> tuple[list[dict], dict]:
    """The traces (plain dicts) and the fitted view for a stage-picker choice.

    The chosen routes are drawn bold and zoomed to; the other 2020 stages stay faint for
    context; historic courses not chosen start hidden (toggle them in the legend).
    """
    labels = texts(lang)
    chosen = STAGE_CHOICES[choice]
    traces: list[dict] = []
    for route_id in STAGE_ROUTE_IDS + HISTORIC_ROUTE_IDS:
        path = route.paths[route_id]
        is_chosen = route_id in chosen
        historic = route_id in HISTORIC_ROUTE_IDS
        if historic:
            lats, lons = dashed(path)
        else:
            lats, lons = [p[0] for p in path], [p[1] for p in path]
        traces.append(
            {
                "type": "scattermap",
                "lat": lats,
                "lon": lons,
                "mode": "lines",
                "name": labels[f"route.{route_id}"],
                "legendgroup": "routes",
                "legendgrouptitle": {"text": labels["map.legend.routes"]},
                "line": {
                    "color": colours.ROUTE_COLOURS[route_id],
                    "width": 5 if is_chosen else 2.5,
                },
                "opacity": 1.0 if is_chosen else 0.45,
                "visible": "legendonly" if historic and not is_chosen else True,
                "hoverinfo": "name",
                "meta": {"route_id": route_id},
            }
        )

    places = route.places_of(chosen)
    route_names = {rid: labels[f"route.{rid}"] for rid in route.paths}
    categories = places["role"].map(place_category)
    for category in PLACE_CATEGORIES:
        subset = places[categories == category]
        style = colours.PLACE_STYLE[category]
        hover = [
            place_hover(row, route_names[row["route_id"]], lang)
            for row in subset.to_dict("records")
        ]
        traces.append(
            {
                "type": "scattermap",
                "lat": subset["lat"].tolist(),
                "lon": subset["lon"].tolist(),
                "mode": "markers",
                "name": labels[f"map.legend.{category}"],
                "legendgroup": "places",
                "legendgrouptitle": {"text": labels["map.legend.places"]},
                "marker": {"color": style["color"], "size": style["size"]},
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "customdata": subset[["route_id", "order"]].values.tolist(),
                "meta": {"category": category},
            }
        )

    center, zoom = fit_view([p for rid in chosen for p in route.paths[rid]])
    return traces, {"center": center, "zoom": zoom}


def route_map(
    route: RouteData,
    basemap: Basemap,
    choice: str,
    lang: str = "en",
    marker: dict | None = None,
) -> dict:
    """The whole map figure (a plotly figure dict) for a picker choice ('all', '1'..'4', '1927',
    '1955'). A plain dict: validating the basemap layers as go.Figure is slow (see
    docs/performance.md); the tests validate it with go.Figure instead."""
    traces, view = route_traces(route, choice, lang)
    traces.append(marker or checkpoint_marker(route, None, lang))
    traces.append(town_trace(None, choice, lang))
    layout = dict(
        map={
            "style": map_style(),
            "center": view["center"],
            "zoom": view["zoom"],
            "layers": _basemap_layers(basemap, lang),
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={
            "orientation": "h",
            "x": 0,
            "y": -0.01,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 13},
            "groupclick": "toggleitem",
        },
        hoverlabel={"bgcolor": "white", "font": {"size": 13}},
        uirevision=f"{choice}-0",
        paper_bgcolor="rgba(0,0,0,0)",  # the still picture shows through until the map draws
    )
    return {"data": traces, "layout": layout}


CHECKPOINT_TRACE_INDEX = len(STAGE_ROUTE_IDS) + len(HISTORIC_ROUTE_IDS) + len(PLACE_CATEGORIES)


def checkpoint_place(route: RouteData, place: str | None, stage: int | None):
    """(lat, lon) of the place a ranking was taken, from the route data; None if unknown."""
    if not place:
        return None
    places = route.places[route.places["name"] == place]
    if places.empty:
        return None
    same_stage = places[places["stage"] == stage]
    row = (same_stage if not same_stage.empty else places).iloc[0]
    return float(row["lat"]), float(row["lon"])


def checkpoint_marker(
    route: RouteData,
    shown: StandingsView | None,
    lang: str = "en",
) -> dict:
    """The marker of where the shown ranking was taken (empty when its place is unknown).

    Its hover repeats the leader's and the selected crew's figures from the same standings
    view the table and charts draw.
    """
    labels = texts(lang)
    trace = {
        "type": "scattermap",
        "mode": "markers",
        "name": labels["map.legend.checkpoint"],
        "lat": [],
        "lon": [],
        "marker": {"size": 22, "color": "#000000", "opacity": 0.85},
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [],
        "meta": {"checkpoint": True},
        "showlegend": True,
    }
    checkpoint = shown.checkpoint if shown else None
    where = checkpoint_place(route, checkpoint.place, checkpoint.stage) if checkpoint else None
    if where is None:
        return trace
    lines = [f"<b>{escape(checkpoint.label)}</b>", escape(checkpoint.place)]
    if shown.leader:
        lines.append(
            f"{labels['map.hover.leader']}: {escape(shown.leader['crew'])} · "
            f"{format_number(shown.leader['points'], lang)} {labels['chart.points']}"
        )
    if shown.selected:
        row = shown.selected
        lines.append(
            f"{labels['map.hover.selected']}: {escape(row['crew'])} · {labels['table.position']} "
            f"{row['position']} · {labels['table.gap']} {format_number(row['gap'], lang)}"
        )
    trace.update(lat=[where[0]], lon=[where[1]], hovertext=["<br>".join(lines)])
    return trace


TOWN_TRACE_INDEX = CHECKPOINT_TRACE_INDEX + 1


def town_trace(answer: dict | None, choice: str, lang: str = "en") -> dict:
    """The fan's town, the nearest point of the shown route and the line between them."""
    labels = texts(lang)
    trace = {
        "type": "scattermap",
        "mode": "lines+markers",
        "name": labels["town.map_legend"],
        "lat": [],
        "lon": [],
        "line": {"color": "#111111", "width": 3},
        "marker": {"size": [18, 10], "color": ["#111111", "#F0E442"]},
        "hovertext": [],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "meta": {"town": True},
    }
    if not answer:
        return trace
    by_route = {a["route_id"]: a for a in answer["routes"]}
    chosen = STAGE_CHOICES[choice]
    shown = [by_route[r] for r in chosen if r in by_route]
    nearest = min(shown, key=lambda a: a["distance_km"]) if shown else None
    town = answer["town"]
    if nearest is None:
        return trace
    lat, lon = nearest["nearest_point"]
    trace.update(
        lat=[town.lat, lat],
        lon=[town.lon, lon],
        hovertext=[
            escape(town.label),
            f"{labels['route.' + nearest['route_id']]}: "
            f"{format_number(nearest['distance_km'], lang, 1)} km",
        ],
    )
    return trace
