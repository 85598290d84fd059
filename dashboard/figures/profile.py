"""The altitude profile chart: distance from the start on x, elevation on y, the listed places
marked on the ground line, the passes and the highest point named with their height.

Plain dict traces (no go.Figure validation per request). Several routes (all of 2020) are
drawn one after another, each from where the one before ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from dashboard.data.profile import NEAR_PLACE_KM, Profile
from dashboard.figures import colours
from dashboard.i18n import format_number, texts

PASS_WORDS = ("Passo ", "Valico ", "Colle ")  # a listed place named so is a mountain pass
LABELLED_ROLES = ("start", "finish", "lunch", "dinner")
MARK_TRACE_META = "profile_mark"  # the point a hover on the map marks (empty until then)
_SEPARATORS = {"en": ".,", "it": ",."}  # decimal, thousands: as Babel writes them
# A pass's point is recalled from memory (coordinates.csv) and the grid's cells are 1 km: its
# height is the line's highest ground near the point, rounded, an about-value, never cited.
PASS_ROUNDING_M = 50


def is_pass(name: str) -> bool:
    return name.startswith(PASS_WORDS)


def _metres(value: float, lang: str) -> str:
    return f"{format_number(round(value), lang)} m"


def about_height(value: float, lang: str) -> str:
    """A pass's height from the grid, e.g. "≈ 900 m": rounded, marked as approximate."""
    rounded = round(value / PASS_ROUNDING_M) * PASS_ROUNDING_M
    return texts(lang)["profile.about_height"].format(height=_metres(rounded, lang))


def pass_height(profile: Profile, place) -> float:
    """The highest ground along the line within NEAR_PLACE_KM of a pass's listed point (the
    road tops out at the pass; the point is approximate), as the card names its highest point."""
    near = [m for km, m in zip(profile.km, profile.elevation_m, strict=True)
            if abs(km - place.km) <= NEAR_PLACE_KM]  # fmt: skip
    return max([place.elevation_m, *near])


def profile_figure(profiles: Sequence[Profile], lang: str = "en") -> dict:
    """The chart (a plotly figure dict) of the profiles of the chosen routes, in order."""
    labels = texts(lang)
    traces: list[dict] = []
    places_x, places_y, places_label, places_hover, places_key = [], [], [], [], []
    tags_y = []  # where each name's leader line points: a pass's at its height, over its peak
    shapes, offset = [], 0.0
    single = len(profiles) == 1
    for index, profile in enumerate(profiles):
        name = labels[f"route.{profile.route_id}"]
        traces.append(_ground(profile, offset, name))
        for place in profile.places:
            places_x.append(round(offset + place.km, 3))
            places_y.append(place.elevation_m)
            height = pass_height(profile, place) if is_pass(place.name) else None
            tags_y.append(height or place.elevation_m)
            places_label.append(_place_label(place, single, lang, height))
            places_hover.append(_place_hover(place, name, lang, labels, height))
            places_key.append([profile.route_id, place.order])  # as the map's places carry
        if index:
            shapes.append(_boundary(offset))
        offset += profile.km[-1]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": labels["profile.places"],
            "x": places_x,
            "y": places_y,
            "cliponaxis": False,
            "marker": {"size": 7, "color": "#ffffff", "line": {"color": "#000000", "width": 1.5}},
            "hovertext": places_hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            # a hover on the same place on the map marks it here (assets/explore.js)
            "customdata": places_key,
            "meta": {"places": True},
        }
    )
    traces.append(_highest(profiles, lang, labels))
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [],
            "y": [],
            "hoverinfo": "skip",
            "showlegend": False,
            "marker": {
                "size": 14,
                "color": "#000000",
                "symbol": "circle-open",
                "line": {"width": 3},
            },
            "meta": {MARK_TRACE_META: True},
        }
    )
    top = max((max(p.elevation_m) for p in profiles), default=0.0)
    tags, levels = place_tags(places_x, tags_y, places_label, max(offset, 1.0))
    note = labels["profile.note"]
    layout = {
        "margin": {"l": 56, "r": 16, "t": 44, "b": 44},
        "xaxis": {
            "title": {"text": labels["profile.x_title"], "standoff": 4},
            "range": [0, max(offset, 1.0)],
            # its labels (at most 4 digits) fit the margins: none needs hiding, which
            # plotly would measure every label to find out
            "ticklabeloverflow": "allow",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        "yaxis": {
            "title": {"text": labels["profile.y_title"]},
            # room above the peaks for their names, one row of names above another
            "range": [0, max(top * (1.25 + 0.12 * levels), 200.0)],
            "gridcolor": "#e5e5e5",
            "zeroline": False,
            "fixedrange": True,
            "ticklabeloverflow": "allow",
        },
        "shapes": shapes,
        "annotations": [
            {
                "text": "<br>".join(note.split(" · ")),  # two lines: it fits a phone
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "yshift": 8,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 11, "color": "#444"},
            },
            *tags,
        ],
        "showlegend": False,
        "hovermode": "closest",
        "separators": _SEPARATORS.get(lang, ".,"),
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"size": 12},
    }
    return {"data": traces, "layout": layout}


LABEL_ROW_PX = 14
END_SHARE = 0.06
LABEL_CHAR_PX, LABEL_PLOT_PX = 6.5, 320  # a label's width, as a share of a phone's chart


def _anchor(x: float, x_span: float, half: float = 0.0) -> str:
    """A name near either end of the axis (or too long to centre there) reaches inwards,
    not off the chart."""
    if x < max(x_span * END_SHARE, half):
        return "left"
    return "right" if x > x_span - max(x_span * END_SHARE, half) else "center"


def place_tags(xs, ys, names, x_span: float) -> tuple[list[dict], int]:
    """The places' names as annotations on short leader lines; a name that would overlap the
    one before it goes one row higher, its line reaching as high as the names under it (rows
    are counted in pixels above the line's end). Returns the annotations and the rows used."""
    ends: list[float] = []  # per row, where its last name ends (km)
    spans: list[tuple[float, float]] = []  # (where a name ends, the height its line ends at)
    tags = []
    for x, y, name in sorted(zip(xs, ys, names, strict=True)):
        if not name:
            continue
        half = len(name) * LABEL_CHAR_PX / LABEL_PLOT_PX * x_span / 2
        row = next((i for i, end in enumerate(ends) if end < x - half), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = x + half
        if row:
            y = max([y, *(top for end, top in spans if end >= x - half)])
        spans.append((x + half, y))
        tags.append(
            {
                "x": x,
                "y": y,
                "text": name,
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": "#666",
                "ax": 0,
                "ay": -(16 + LABEL_ROW_PX * row),
                "xanchor": _anchor(x, x_span, half),
                "font": {"size": 11, "color": "#222"},
                "bgcolor": "rgba(255,255,255,0.75)",
            }
        )
    return tags, len(ends)


def _ground(profile: Profile, offset: float, name: str) -> dict:
    colour = colours.ROUTE_COLOURS[profile.route_id]
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [round(offset + km, 3) for km in profile.km],
        "y": [round(m) for m in profile.elevation_m],
        "line": {"color": colour, "width": 2},
        "fill": "tozeroy",
        "fillcolor": "rgba(120, 104, 72, 0.18)",  # the relief's brown, faint
        # where on the map each sample is: the map marks it when the profile is hovered
        "customdata": [[lat, lon] for lat, lon in zip(profile.lat, profile.lon, strict=True)],
        "hovertemplate": "%{x:,.1f} km · %{y:,.0f} m<extra>" + escape(name) + "</extra>",
        "meta": {"route_id": profile.route_id, "offset_km": offset},
    }


def _place_label(place, single: bool, lang: str, height: float | None = None) -> str:
    """Passes by name and about-height; start, finish and meal stops by name, on one route
    only."""
    if height is not None:
        return f"{escape(place.name)} {about_height(height, lang)}"
    if single and place.role in LABELLED_ROLES:
        return escape(place.name)
    return ""


def _place_hover(place, route_name: str, lang: str, labels, height: float | None = None) -> str:
    if height is not None:
        height = labels["profile.pass_height"].format(
            height=about_height(height, lang), km=format_number(NEAR_PLACE_KM, lang)
        )
    else:
        height = f"{_metres(place.elevation_m, lang)} ({labels['profile.globe']})"
    return "<br>".join(
        [
            f"<b>{escape(place.name)}</b>",
            labels[f"role.{place.role}"],
            f"{route_name} · {format_number(place.km, lang)} km",
            height,
        ]
    )


def _highest(profiles: Sequence[Profile], lang: str, labels) -> dict:
    offsets = [sum(p.km[-1] for p in profiles[:i]) for i in range(len(profiles))]
    best = max(range(len(profiles)), key=lambda i: profiles[i].highest.elevation_m, default=None)
    trace = {
        "type": "scatter",
        "mode": "markers+text",
        "name": labels["profile.highest"],
        "x": [],
        "y": [],
        "text": [],
        "textposition": "top center",
        "textfont": {"size": 12, "color": "#000"},
        "cliponaxis": False,
        "marker": {"size": 11, "color": "#000000", "symbol": "triangle-up"},
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [],
        "meta": {"highest": True},
    }
    if best is None:
        return trace
    top = profiles[best].highest
    height = _metres(top.elevation_m, lang)
    near = f" · {escape(top.near)}" if top.near else ""
    # beside a pass the pass's own label is enough (two labels would overlap)
    text = "" if top.near and is_pass(top.near) else height
    trace.update(
        x=[round(offsets[best] + top.km, 3)],
        y=[round(top.elevation_m)],
        text=[text],
        hovertext=[
            f"<b>{labels['profile.highest']}</b>: {height}{near}<br>"
            f"{format_number(top.km, lang)} km ({labels['profile.globe']})"
        ],
    )
    return trace


def _boundary(x: float) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#777", "width": 1, "dash": "dot"},
    }
