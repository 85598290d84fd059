"""The route map: MapLibre (go.Scattermap) over the shipped offline basemap.

One line trace per route, so the legend toggles each stage and historic course, and one
marker trace per kind of place (start/finish, lunch and dinner stops, time trials, passage
controls, towns). Historic courses are drawn dashed (a line broken into dashes). Town names
are symbol layers of the map's own style, drawn with the glyphs the app serves (no font is
fetched from elsewhere); MapLibre keeps them from colliding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from types import MappingProxyType
from urllib.parse import quote

from dashboard.data.basemap import ATTRIBUTION_TEXT, Basemap, layer_source
from dashboard.data.route import (
    HISTORIC_ROUTE_IDS,
    STAGE_CHOICES,
    STAGE_ROUTE_IDS,
    RouteData,
)
from dashboard.figures import colours
from dashboard.i18n import LANGUAGES, format_number, texts
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
# Map box assumed when fitting a route (the server does not know the real one): a phone's
# width (390 px) and a laptop's map height (768 px window: about 560 px, assets/style.css),
# less room for the end towns' names: either shows the whole route, neither much empty.
_FIT_WIDTH_PX, _FIT_HEIGHT_PX = 330, 480
_FIT_SOUTH_PX = 15  # the view's centre this far south: more room above the attribution
MAX_ZOOM = 9.0
TOWN_MAX_ZOOM = 9.0  # a town on the route: with the towns around it named
GLYPHS_URL = "glyphs"  # the key of the glyphs URL template in Basemap.urls (app.py sets it)
FONT = "DejaVu Sans"  # the one font stack shipped (tools/build_glyphs.py)
# Town names by rank: 1 at every zoom, 2 from a region's scale, 3 from a stage's close-up.
# Rank 1: the race's start and finish towns and the great cities on its courses. Both lists
# only rank names: a name is drawn only when it is a place of a shipped route (place_labels),
# and each listed name is one (tests/unit/test_place_labels.py), so no city looks like a race
# place that the race does not pass (Milano is on none of the shipped courses).
MAIN_CITIES = ("Brescia", "Roma", "Bologna", "Firenze", "Parma", "Cervia-Milano Marittima")
MAJOR_TOWNS = (
    "Verona", "Padova", "Ferrara", "Ravenna", "Rimini", "Ancona", "Pescara",
    "Perugia", "Siena", "Viterbo", "Lucca", "Mantova", "Bergamo", "Piacenza", "Modena",
    "Macerata", "Rieti", "Urbino", "San Marino", "L'Aquila", "Cremona", "Vicenza", "Treviso",
)  # fmt: skip
_RANK_OF_ROLE = {"start": 1, "finish": 1, "lunch": 2, "dinner": 2, "passage_control": 2}
LABEL_MINZOOM = {1: 0.0, 2: 6.2, 3: 7.4}
PLACE_LABELS = "place-labels"  # the style's label source; its layers are f"{PLACE_LABELS}-{rank}"
EDGE = "edge"  # and f"{PLACE_LABELS}-{rank}-{EDGE}": the names turned inwards at the map's edge


def place_category(role: str) -> str:
    return _CATEGORY_OF_ROLE[role]


def fit_view(
    points: Iterable[tuple[float, float]], max_zoom: float = MAX_ZOOM
) -> tuple[dict, float]:
    """Center and zoom that show all (lat, lon) points in the assumed map box."""
    lats, lons = zip(*points, strict=True)
    lat_min, lat_max, lon_min, lon_max = min(lats), max(lats), min(lons), max(lons)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(lon_max - lon_min, 0.05)
    y_span = max(mercator(lat_max) - mercator(lat_min), 0.001)
    # MapLibre: the world is 512 px wide at zoom 0
    zoom_x = math.log2(_FIT_WIDTH_PX * 360 / (512 * lon_span))
    zoom_y = math.log2(_FIT_HEIGHT_PX * 2 * math.pi / (512 * y_span))
    zoom = min(zoom_x, zoom_y, max_zoom)
    center_y = (mercator(lat_max) + mercator(lat_min)) / 2
    center_y -= _FIT_SOUTH_PX * 2 * math.pi / (512 * 2**zoom)
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
    GeoJSON itself. With town names they go under the names (the style's layers, else drawn
    first, under the land)."""
    below = _label_layer_ids()[0] if glyphs_url(basemap) else "traces"
    land = {"sourcetype": "geojson", "type": "fill", "below": below}
    return [
        {
            **land,
            "source": layer_source(basemap, "land"),
            "color": colours.LAND,
            "fill": {"outlinecolor": colours.COUNTRY_BORDER},
            "sourceattribution": texts(lang)[ATTRIBUTION_TEXT],
        },
        {
            **land,
            "source": layer_source(basemap, "italy"),
            "color": colours.LAND_ITALY,
            "fill": {"outlinecolor": colours.COUNTRY_BORDER},
        },
        *relief_layer(basemap, below),
        {
            "sourcetype": "geojson",
            "source": layer_source(basemap, "regions"),
            "type": "line",
            "color": colours.REGION_BORDER,
            "line": {"width": 0.8},
            "below": below,
            **relief_credit(basemap, lang),
        },
    ]


def relief_layer(basemap: Basemap, below: str = "traces") -> list[dict]:
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
            "below": below,
        }
    ]


def relief_url(basemap: Basemap) -> str | None:
    """The relief picture's address, when the maps draw it."""
    return (basemap.urls or {}).get("relief") if relief_layer(basemap) else None


def relief_credit(basemap: Basemap, lang: str = "en") -> dict:
    """The relief's credit, carried by a GeoJSON layer: MapLibre refuses an image source
    with an attribution (the source is then never added)."""
    if not relief_layer(basemap):
        return {}
    return {"sourceattribution": texts(lang)["map.relief_attribution"]}


def glyphs_url(basemap: Basemap) -> str | None:
    """The app's glyphs URL template, when the app serves glyphs (else no text on the map)."""
    return (basemap.urls or {}).get(GLYPHS_URL)


def first_map_files(basemap: Basemap) -> tuple[str, ...]:
    """The files MapLibre asks for only once it has read the map's style (the relief picture,
    the town names' Latin glyphs), so the page can ask for them at once instead."""
    relief = relief_url(basemap)
    template = glyphs_url(basemap)
    glyphs = (
        template.replace("{fontstack}", quote(FONT)).replace("{range}", "0-255")
        if template
        else None
    )
    return tuple(url for url in (relief, glyphs) if url)


def place_labels(route: RouteData) -> dict:
    """The town names as GeoJSON points: one per place name, ranked (see MAIN_CITIES)."""
    ranks: dict[str, tuple[int, float, float]] = {}
    for place in route.places[["name", "role", "route_id", "lat", "lon"]].itertuples(index=False):
        if place.name in MAIN_CITIES:
            rank = 1
        elif place.name in MAJOR_TOWNS:
            rank = 2
        else:
            # a historic course's controls are towns here: only 2020's are the race's now
            historic = place.role == "passage_control" and place.route_id in HISTORIC_ROUTE_IDS
            rank = 3 if historic else _RANK_OF_ROLE.get(place.role, 3)
        known = ranks.get(place.name)
        if known is None or rank < known[0]:
            ranks[place.name] = (rank, float(place.lat), float(place.lon))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            "properties": {"name": name, "rank": rank},
        }
        for name, (rank, lat, lon) in sorted(ranks.items(), key=lambda item: item[1][0])
    ]
    return {"type": "FeatureCollection", "features": features}


def _label_layer_ids() -> list[str]:
    # the least important first: MapLibre places the names of higher layers first
    return [
        layer_id
        for rank in sorted(LABEL_MINZOOM, reverse=True)
        for layer_id in (f"{PLACE_LABELS}-{rank}", f"{PLACE_LABELS}-{rank}-{EDGE}")
    ]


def _label_layers() -> list[dict]:
    """Two symbol layers per rank, shown from its zoom on, with a white halo over lines and
    land. In the first, names sit beside their dot, on the side where they collide with
    nothing. MapLibre would place a name there even where it runs past the map's edge (it
    leaves room for panning): after each move assets/map_labels.js moves such names to the
    rank's edge layer (its filters' name lists) and anchors each on a side where it fits."""
    sizes = {1: (13, 17), 2: (12, 15), 3: (11.5, 14)}
    layers = []
    for layer_id in _label_layer_ids():
        rank = int(layer_id.removesuffix(f"-{EDGE}").rsplit("-", 1)[1])
        edge = layer_id.endswith(f"-{EDGE}")
        small, large = sizes[rank]
        # the names moved to the edge layer: none until the browser has measured them
        moved = ["in", ["get", "name"], ["literal", []]]
        anchors = (
            {"text-anchor": "left"}  # per name, set by assets/map_labels.js
            if edge
            else {"text-variable-anchor": ["left", "right", "top", "bottom"]}
        )
        layers.append(
            {
                "id": layer_id,
                "type": "symbol",
                "source": PLACE_LABELS,
                "minzoom": LABEL_MINZOOM[rank],
                "filter": ["all", ["==", ["get", "rank"], rank], moved if edge else ["!", moved]],
                "layout": {
                    "text-field": ["get", "name"],
                    "text-font": [FONT],
                    "text-size": ["interpolate", ["linear"], ["zoom"], 5, small, 10, large],
                    **anchors,
                    "text-radial-offset": 0.75,
                    "text-justify": "auto",
                    "text-max-width": 9,
                    "text-padding": 3,
                },
                "paint": {
                    "text-color": "#1d1d1f" if rank == 1 else "#3a3a3e",
                    "text-halo-color": "#ffffff",
                    "text-halo-width": 1.8,
                    "text-halo-blur": 0.4,
                },
            }
        )
    return layers


def map_style(glyphs: str | None = None, labels: dict | None = None) -> dict:
    """A MapLibre style with no remote source: the sea as background, the land drawn as layers,
    and, with the app's glyphs URL, the town names (`labels`, from place_labels)."""
    # "sources" must not be empty: plotly drops empty objects when it merges an updated
    # figure, and MapLibre then refuses the style ("missing required property sources").
    empty = {"type": "FeatureCollection", "features": []}
    style = {
        "version": 8,
        "name": "offline",
        "sources": {"none": {"type": "geojson", "data": empty}},
        "layers": [{"id": "sea", "type": "background", "paint": {"background-color": colours.SEA}}],
    }
    if glyphs and labels:
        style["glyphs"] = glyphs
        style["sources"][PLACE_LABELS] = {"type": "geojson", "data": labels}
        style["layers"] += _label_layers()
    return style


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
    # a time note is the research's own English (sources, seeds): fans read what it means
    note = str(place.get("time_note") or "")
    if place.get("planned_time"):
        lines.append(f"{labels['map.hover.planned']} {escape(place['planned_time'])}")
    if place.get("observed_time"):
        lines.append(f"{labels['map.hover.observed']} {escape(place['observed_time'])}")
    if note and not (place.get("planned_time") or place.get("observed_time")):
        lines.append(f"⚠ {labels['map.hover.time_unconfirmed']}")
    if note.upper().startswith("CONFLICT"):
        lines.append(f"⚠ {labels['map.hover.time_conflict']}")
    if place["certainty"] != "confirmed":
        lines.append(f"⚠ {labels['certainty.' + place['certainty']]}")
    return "<br>".join(lines)


RouteTraces = tuple[tuple[dict, ...], dict]  # a choice's traces and its fitted view


def route_lines(route: RouteData) -> dict[str, tuple[list, list]]:
    """Each route's line as (lats, lons); historic courses dashed."""
    return {
        route_id: dashed(route.paths[route_id])
        if route_id in HISTORIC_ROUTE_IDS
        else ([p[0] for p in route.paths[route_id]], [p[1] for p in route.paths[route_id]])
        for route_id in STAGE_ROUTE_IDS + HISTORIC_ROUTE_IDS
    }


def route_trace_table(route: RouteData) -> Mapping[tuple[str, str], RouteTraces]:
    """The route traces of every (stage choice, language), built once per app: the route is
    fixed data, and the page and the stage callback then only read them (the lines' lists are
    shared by every entry)."""
    lines = route_lines(route)
    return MappingProxyType(
        {
            (choice, lang): route_traces(route, choice, lang, lines)
            for choice in STAGE_CHOICES
            for lang in LANGUAGES
        }
    )


def route_traces(
    route: RouteData,
    choice: str,
    lang: str = "en",
    lines: Mapping[str, tuple[list, list]] | None = None,
) -> RouteTraces:
    """The traces (plain dicts, to be read, not changed) and the fitted view for a
    stage-picker choice; `lines` from route_lines.

    The chosen routes are drawn bold and zoomed to; the other 2020 stages stay faint for
    context; historic courses not chosen start hidden (toggle them in the legend).
    """
    labels = texts(lang)
    chosen = STAGE_CHOICES[choice]
    lines = lines if lines is not None else route_lines(route)
    traces: list[dict] = []
    for route_id in STAGE_ROUTE_IDS + HISTORIC_ROUTE_IDS:
        is_chosen = route_id in chosen
        historic = route_id in HISTORIC_ROUTE_IDS
        lats, lons = lines[route_id]
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
    return tuple(traces), {"center": center, "zoom": zoom}


def route_map(
    route: RouteData,
    basemap: Basemap,
    choice: str,
    lang: str = "en",
    marker: dict | None = None,
    traces: RouteTraces | None = None,
) -> dict:
    """The whole map figure (a plotly figure dict) for a picker choice ('all', '1'..'4', '1927',
    '1955'); `traces`: the choice's route_traces, when the caller holds them. A plain dict:
    validating the basemap layers as go.Figure is slow (see docs/performance.md); the tests
    validate it with go.Figure instead."""
    route_data, view = traces or route_traces(route, choice, lang)
    traces = list(route_data)  # the given traces are shared: never changed here
    traces.append(marker or checkpoint_marker(route, None, lang))
    glyphs = glyphs_url(basemap)
    traces.append(town_trace(None, choice, lang, labelled=glyphs is not None))
    traces.append(profile_mark_trace())
    layout = dict(
        map={
            "style": map_style(glyphs, place_labels(route)),
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
PROFILE_MARK_TRACE_INDEX = TOWN_TRACE_INDEX + 1  # the point a hover on the profile marks


def profile_mark_trace() -> dict:
    """Where the altitude profile is hovered, on the map: empty until then (assets/explore.js
    fills it in the browser, with no request)."""
    return {
        "type": "scattermap",
        "mode": "markers",
        "lat": [],
        "lon": [],
        "hoverinfo": "skip",
        "showlegend": False,
        "marker": {"size": 16, "color": "#000000", "opacity": 0.8},
        "meta": {"profile_mark": True},
    }


def _nearest_shown(answer: dict | None, choice: str) -> dict | None:
    """The answer's route of the choice that passes nearest the town (None if none is shown)."""
    if not answer:
        return None
    by_route = {a["route_id"]: a for a in answer["routes"]}
    shown = [by_route[r] for r in STAGE_CHOICES[choice] if r in by_route]
    return min(shown, key=lambda a: a["distance_km"]) if shown else None


def town_view(answer: dict | None, choice: str) -> dict | None:
    """Center and zoom that show the fan's town and the nearest point of the shown route, both
    well inside the map (away from the attribution in its corner); None without a town."""
    nearest = _nearest_shown(answer, choice)
    if nearest is None:
        return None
    town = answer["town"]
    center, zoom = fit_view([(town.lat, town.lon), tuple(nearest["nearest_point"])], TOWN_MAX_ZOOM)
    return {"center": center, "zoom": zoom}


def town_trace(answer: dict | None, choice: str, lang: str = "en", labelled: bool = False) -> dict:
    """The fan's town (a large dark dot, named when the map has glyphs: `labelled`), the
    nearest point of the shown route (yellow) and the line between them."""
    labels = texts(lang)
    trace = {
        "type": "scattermap",
        "mode": "lines+markers+text" if labelled else "lines+markers",
        "name": labels["town.map_legend"],
        "lat": [],
        "lon": [],
        "line": {"color": "#111111", "width": 3},
        "marker": {"size": [24, 13], "color": ["#111111", "#F0E442"], "opacity": 0.95},
        "hovertext": [],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "meta": {"town": True},
    }
    if labelled:
        trace.update(
            text=[],
            textposition="top center",
            textfont={"family": FONT, "size": 17, "color": "#111111"},
        )
    nearest = _nearest_shown(answer, choice)
    if nearest is None:
        return trace
    town = answer["town"]
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
    if labelled:
        trace["text"] = [town.label, ""]
    return trace
