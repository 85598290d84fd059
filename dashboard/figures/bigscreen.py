"""Big-screen figures: an SVG map (plotly cartesian axes in degrees, equal-area look at Italian
latitudes) so that labels use the screen's own fonts and need no glyph server, and a dark,
large-type restyle of the standings charts. Pure functions: data in, figure dicts out.
"""

from __future__ import annotations

import math

from dashboard.data.basemap import Basemap
from dashboard.data.route import HISTORIC_ROUTE_IDS, STAGE_CHOICES, RouteData
from dashboard.figures import colours

DARK_SEA = "#0c1117"
DARK_LAND = "#262b33"
DARK_LAND_ITALY = "#313742"
DARK_BORDER = "#5a6270"
INK = "#f2f2f2"
ROUTE_ON_DARK = {**colours.ROUTE_COLOURS, "1955": "#bbbbbb"}
LABEL_ROLES = ("start", "finish", "lunch", "dinner", "time_trial")


def _rings(geojson: dict, only_italy: bool | None = None):
    """x (lon), y (lat) lists of every outer ring, separated by None."""
    xs: list = []
    ys: list = []
    for feature in geojson["features"]:
        if only_italy is not None and bool(feature["properties"].get("italy")) is not only_italy:
            continue
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else []
        )
        for polygon in polygons:
            ring = polygon[0]
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _lines(geojson: dict):
    xs: list = []
    ys: list = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for ring in polygon:
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
    return xs, ys


def basemap_traces(basemap: Basemap) -> list[dict]:
    """The basemap as three SVG traces (built once per app; it never changes)."""
    land_x, land_y = _rings(basemap.countries, only_italy=False)
    italy_x, italy_y = _rings(basemap.countries, only_italy=True)
    region_x, region_y = _lines(basemap.regions)
    common = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False}
    return [
        {
            **common,
            "x": land_x,
            "y": land_y,
            "fill": "toself",
            "fillcolor": DARK_LAND,
            "line": {"color": DARK_BORDER, "width": 1},
        },
        {
            **common,
            "x": italy_x,
            "y": italy_y,
            "fill": "toself",
            "fillcolor": DARK_LAND_ITALY,
            "line": {"color": DARK_BORDER, "width": 1.5},
        },
        {**common, "x": region_x, "y": region_y, "line": {"color": "#474e5a", "width": 1}},
    ]


def bigscreen_map(
    route: RouteData,
    basemap_layer: list[dict],
    choice: str,
    checkpoint_place: tuple[float, float] | None,
    checkpoint_label: str | None,
) -> dict:
    """The chosen route(s), thick, with large labels on the places that matter."""
    chosen = STAGE_CHOICES[choice]
    traces = list(basemap_layer)
    for route_id in chosen:
        path = route.paths[route_id]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [p[1] for p in path],
                "y": [p[0] for p in path],
                "hoverinfo": "skip",
                "showlegend": False,
                "line": {
                    "color": ROUTE_ON_DARK[route_id],
                    "width": 9,
                    "dash": "dash" if route_id in HISTORIC_ROUTE_IDS else "solid",
                },
            }
        )
    places = route.places_of(chosen)
    key = places[places["role"].isin(LABEL_ROLES)].drop_duplicates(["name", "role"])
    key = key.drop_duplicates("name")
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": key["lon"].tolist(),
            "y": key["lat"].tolist(),
            "text": [f"{n}" for n in key["name"]],
            "textposition": "middle right",
            "hoverinfo": "skip",
            "showlegend": False,
            "textfont": {"size": 30, "color": INK},
            "marker": {"size": 22, "color": INK, "line": {"color": DARK_SEA, "width": 3}},
        }
    )
    if checkpoint_place:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [checkpoint_place[1]],
                "y": [checkpoint_place[0]],
                "text": [checkpoint_label or ""],
                "textposition": "top center",
                "hoverinfo": "skip",
                "showlegend": False,
                "textfont": {"size": 34, "color": "#F0E442"},
                "marker": {
                    "size": 44,
                    "color": "rgba(240,228,66,0.25)",
                    "line": {"color": "#F0E442", "width": 6},
                },
            }
        )
    lats = [p[0] for rid in chosen for p in route.paths[rid]]
    lons = [p[1] for rid in chosen for p in route.paths[rid]]
    if checkpoint_place:
        lats.append(checkpoint_place[0])
        lons.append(checkpoint_place[1])
    pad = 0.6
    mid_lat = (min(lats) + max(lats)) / 2
    return {
        "data": traces,
        "layout": {
            "paper_bgcolor": DARK_SEA,
            "plot_bgcolor": DARK_SEA,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {
                "range": [min(lons) - pad * 2, max(lons) + pad * 2],
                "visible": False,
                "fixedrange": True,
            },
            "yaxis": {
                "range": [min(lats) - pad, max(lats) + pad],
                "visible": False,
                "scaleanchor": "x",
                "scaleratio": 1 / math.cos(math.radians(mid_lat)),
                "fixedrange": True,
            },
            "showlegend": False,
            "uirevision": choice,
        },
    }


def bigscreen_chart(figure: dict) -> dict:
    """A standings chart restyled for a TV across a studio: dark, large type, thick lines."""
    layout = dict(figure["layout"])
    layout.update(
        {
            "paper_bgcolor": DARK_SEA,
            "plot_bgcolor": DARK_SEA,
            "font": {"size": 26, "color": INK},
            "margin": {"l": 110, "r": 330, "t": 60, "b": 170},
        }
    )
    layout["xaxis"] = {**layout["xaxis"], "tickfont": {"size": 22, "color": INK}}
    layout["yaxis"] = {
        **layout["yaxis"],
        "gridcolor": "#333a44",
        "tickfont": {"size": 24},
        "title": {**layout["yaxis"].get("title", {}), "font": {"size": 26}},
    }
    layout["shapes"] = [
        {**s, "fillcolor": s.get("fillcolor", "").replace("0.0", "0.1")}
        if s.get("type") == "rect"
        else {**s, "line": {**s.get("line", {}), "color": INK}}
        for s in layout.get("shapes", [])
    ]
    layout["annotations"] = [
        {
            **a,
            "font": {
                **a.get("font", {}),
                "size": 26,
                "color": "#F0E442" if a.get("font", {}).get("color") == "#D55E00" else INK,
            },
        }
        for a in layout.get("annotations", [])
    ]
    data = []
    for trace in figure["data"]:
        selected = trace["line"]["width"] > 3
        data.append(
            {
                **trace,
                "line": {
                    **trace["line"],
                    "width": 8 if selected else 5,
                    "color": "#F0E442" if selected else "#56B4E9",
                },
                "marker": {
                    **trace["marker"],
                    "size": 16,
                    "color": "#F0E442" if selected else "#56B4E9",
                },
                "opacity": 1,
            }
        )
    return {"data": data, "layout": layout}
