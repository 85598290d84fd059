"""Big-screen figures: an SVG map (plotly cartesian axes in degrees, equal-area look at Italian
latitudes) so that labels use the screen's own fonts and need no glyph server, and a dark,
large-type restyle of the standings charts and the altitude profile. Pure functions: data in,
figure dicts out.

Every size here (type, lines, markers, margins) is in pixels of a 1920x1080 screen: the browser
scales each figure to its screen (assets/bigscreen.js), so 4K gets twice all of it.
"""

from __future__ import annotations

import math

from dashboard.data.basemap import Basemap
from dashboard.data.route import HISTORIC_ROUTE_IDS, STAGE_CHOICES, RouteData
from dashboard.figures import colours
from dashboard.figures.standings import spread_labels

DARK_SEA = "#0c1117"
DARK_LAND = "#262b33"
DARK_LAND_ITALY = "#313742"
DARK_BORDER = "#5a6270"
INK = "#f2f2f2"
ROUTE_ON_DARK = {**colours.ROUTE_COLOURS, "1955": "#bbbbbb"}
LABEL_ROLES = ("start", "finish", "lunch", "dinner", "time_trial")
NAME_PX = 28  # names and figures at 1080p (crews, places, positions, heights)
TEXT_PX = 22  # anything else at 1080p (axis titles, checkpoint names, stage titles)
# the bump chart's plot height at 1080p, at least (the panel less the chart's margins):
# crew labels spread for it never touch on a taller plot
BUMP_PLOT_PX = 520
LEADER_PX = 40  # how far right of its line's end a moved crew label starts


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
    """A standings chart restyled for a TV across a studio: dark, large type, thick lines, and
    the crews' end labels spread again for their larger type."""
    layout = dict(figure["layout"])
    layout.update(
        {
            "paper_bgcolor": DARK_SEA,
            "plot_bgcolor": DARK_SEA,
            "font": {"size": TEXT_PX, "color": INK},
            "margin": {"l": 90, "r": 360, "t": 60, "b": 190},
        }
    )
    layout["xaxis"] = {**layout["xaxis"], "tickfont": {"size": TEXT_PX, "color": INK}}
    layout["yaxis"] = {
        **layout["yaxis"],
        "gridcolor": "#333a44",
        "tickfont": {"size": NAME_PX},
        "title": {**layout["yaxis"].get("title", {}), "font": {"size": TEXT_PX}},
    }
    layout["shapes"] = [
        {**s, "fillcolor": s.get("fillcolor", "").replace("0.0", "0.1")}
        if s.get("type") == "rect"
        else {**s, "line": {**s.get("line", {}), "color": INK}}
        for s in layout.get("shapes", [])
    ]
    crews = [a for a in layout.get("annotations", []) if a.get("name") == "crew"]
    others = [
        {**a, "font": {**a.get("font", {}), "size": TEXT_PX, "color": INK}}
        for a in layout.get("annotations", [])
        if a.get("name") != "crew"
    ]
    layout["annotations"] = others + _crew_labels(crews, layout["yaxis"]["range"])
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


def _crew_labels(crews: list[dict], y_range) -> list[dict]:
    """The crews' tags at their lines' ends, at least a big label's height apart (the fans'
    spread_labels, with the big screen's type and plot height); a moved one gets a leader line
    back to its line's end."""
    low, high = min(y_range), max(y_range)
    gap = (high - low) * (NAME_PX + 8) / BUMP_PLOT_PX
    ys = spread_labels([float(a["y"]) for a in crews], gap, low=low, high=high)
    labels = []
    for a, label_y in zip(crews, ys, strict=True):
        label = {
            key: value
            for key, value in a.items()
            if key not in ("showarrow", "arrowhead", "arrowwidth", "arrowcolor", "standoff")
            and key not in ("axref", "ax", "ayref", "ay")
        }
        label.update({"xshift": 10, "showarrow": False, "font": {"size": NAME_PX, "color": INK}})
        if abs(label_y - float(a["y"])) > gap * 1e-6:
            label.update(
                {
                    "showarrow": True,
                    "arrowhead": 0,
                    "arrowwidth": 2,
                    "arrowcolor": "#8a929e",
                    "standoff": 4,
                    "axref": "pixel",
                    "ax": LEADER_PX,
                    "ayref": "y",
                    "ay": label_y,
                    "xshift": 0,
                }
            )
        labels.append(label)
    return labels


PROFILE_ROW_PX = 36  # one row of place names above another, at 1080p


def bigscreen_profile(figure: dict) -> dict:
    """The fans' altitude profile restyled for the big screen: dark, large type, its place
    names lifted row by row to clear their larger type."""
    layout = dict(figure["layout"])
    tags = [a for a in layout["annotations"] if a.get("showarrow")]
    rows = max((round((-a["ay"] - 16) / 14) for a in tags), default=-1) + 1
    top = layout["yaxis"]["range"][1] / (1.25 + 0.12 * rows)  # the highest ground
    layout.update(
        {
            "paper_bgcolor": DARK_SEA,
            "plot_bgcolor": DARK_SEA,
            "font": {"size": TEXT_PX, "color": INK},
            "margin": {"l": 120, "r": 40, "t": 30, "b": 100},
            # no note above the chart: the fans' caption is for reading close up
            "annotations": [
                {
                    **a,
                    "ay": -(44 + PROFILE_ROW_PX * round((-a["ay"] - 16) / 14)),
                    "arrowwidth": 2,
                    "arrowcolor": "#8a929e",
                    "bgcolor": "rgba(12,17,23,0.8)",
                    "font": {"size": NAME_PX, "color": INK},
                }
                for a in tags
            ],
        }
    )
    layout["xaxis"] = {
        **layout["xaxis"],
        "tickfont": {"size": NAME_PX},
        "title": {**layout["xaxis"]["title"], "font": {"size": TEXT_PX}},
    }
    layout["yaxis"] = {
        **layout["yaxis"],
        "gridcolor": "#333a44",
        "tickfont": {"size": NAME_PX},
        "title": {**layout["yaxis"]["title"], "font": {"size": TEXT_PX}},
        "range": [0, max(top * (1.3 + 0.22 * rows), 200.0)],
    }
    data = []
    for trace in figure["data"]:
        trace = dict(trace)
        meta = trace.get("meta") or {}
        if "route_id" in meta:
            trace["line"] = {**trace["line"], "width": 5}
            trace["fillcolor"] = "rgba(200, 180, 140, 0.22)"
        elif meta.get("places"):
            trace["marker"] = {
                "size": 14,
                "color": INK,
                "line": {"color": DARK_SEA, "width": 3},
            }
        elif meta.get("highest"):
            trace["marker"] = {**trace["marker"], "size": 24, "color": "#F0E442"}
            trace["textfont"] = {"size": NAME_PX, "color": "#F0E442"}
        data.append(trace)
    return {"data": data, "layout": layout}
