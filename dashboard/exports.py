"""A standalone HTML map of one route (folium / Leaflet) that works with no internet.

    route_map_html(route, basemap, "stage-3") -> the whole HTML file as a string

The file holds everything it needs: Leaflet's JS and CSS (vendored from the npm package
`leaflet` 1.9.4, BSD-2, in dashboard/vendor/leaflet) are inlined, the basemap is drawn from the
shipped GeoJSON, and there is no tile layer unless asked for (`online_tiles=True`, the one
thing that then goes to the network). folium's own CDN links (Leaflet, jQuery, Bootstrap,
awesome-markers, font-awesome) are dropped, and nothing used here needs them: places are
CircleMarkers (no icon images) and popups are bound by a small element of ours (folium's Popup
needs jQuery). Every text from the data is HTML-escaped.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import folium
from folium.elements import Element, MacroElement
from folium.template import Template

from dashboard.data.basemap import ATTRIBUTION_TEXT, Basemap
from dashboard.data.route import (
    ALL_2020,
    HISTORIC_ROUTE_IDS,
    STAGE_CHOICES,
    RouteData,
)
from dashboard.figures import colours
from dashboard.figures.route_map import PLACE_CATEGORIES, place_category
from dashboard.i18n import format_number, language, texts

# Route names of the command line (and of the exported file names) -> stage-picker choices.
ROUTE_CHOICES: dict[str, str] = {
    "stage-1": "1",
    "stage-2": "2",
    "stage-3": "3",
    "stage-4": "4",
    "2020": ALL_2020,
    "1927": "1927",
    "1955": "1955",
}

LEAFLET_DIR = Path(__file__).resolve().parent / "vendor" / "leaflet"

_EXTRA_CSS = f"""
.leaflet-container {{ background: {colours.SEA}; }}
.miglia-panel {{
  position: absolute; top: 10px; right: 10px; z-index: 1000; max-width: 300px;
  max-height: calc(100% - 60px); overflow: auto; background: rgba(255, 255, 255, 0.94);
  padding: 8px 12px; border-radius: 4px; box-shadow: 0 1px 5px rgba(0, 0, 0, 0.4);
  font: 13px/1.4 "Helvetica Neue", Arial, Helvetica, sans-serif; color: #222;
}}
.miglia-panel h1 {{ font-size: 16px; margin: 0 0 4px; }}
.miglia-panel ul {{ list-style: none; margin: 4px 0; padding: 0; }}
.miglia-panel ol {{ margin: 4px 0; padding-left: 22px; }}
.miglia-swatch {{
  display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  border: 1px solid #333; margin-right: 6px; vertical-align: -1px;
}}
.miglia-line {{
  display: inline-block; width: 22px; height: 0; border-top: 4px solid; margin-right: 6px;
  vertical-align: middle;
}}
.miglia-line.dashed {{ border-top-style: dashed; }}
@media (max-width: 600px) {{ .miglia-panel {{ max-width: 60%; font-size: 12px; }} }}
"""


class _Raw(Element):
    """A piece of HTML put in the page as it is.

    folium's Element(text) compiles its text as a Jinja template: Leaflet's code or a place
    name holding "{{", "{%" or "{#" would be read as template syntax. This one is never parsed.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def js_string(text: str) -> str:
    """A JavaScript string literal safe inside <script> and through folium's templates.

    JSON with <, >, &, ' escaped (nothing can close the script element), and { } escaped too:
    folium compiles the script a macro renders as a Jinja template once more, so "{{", "{%"
    or "{#" from the data must not reach it.
    """
    literal = json.dumps(text, ensure_ascii=False)
    for char in "<>&'{}\u2028\u2029":
        literal = literal.replace(char, f"\\u{ord(char):04x}")
    return literal


class _BindPopup(MacroElement):
    """Bind a popup and a tooltip (both HTML, already escaped) to the parent layer.

    folium's own Popup needs jQuery and puts its HTML in a JS template literal; this does not.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.popup_js }}, {maxWidth: 300});
            {{ this._parent.get_name() }}.bindTooltip({{ this.tooltip_js }});
        {% endmacro %}
        """
    )

    def __init__(self, popup_html: str, tooltip_html: str):
        super().__init__()
        self._name = "BindPopup"
        self.popup_js = js_string(popup_html)
        self.tooltip_js = js_string(tooltip_html)


class _Attribution(MacroElement):
    """Leaflet's attribution control as plain text: the basemap's sources, no links."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_js }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text_js = js_string(html.escape(text))


@cache
def leaflet_assets() -> tuple[str, str]:
    """(JS, CSS) of the vendored Leaflet, ready to inline.

    The JS loses its sourceMappingURL comment (a browser with dev tools open would fetch the
    map). The CSS loses its url(images/...) references (marker icons and the collapsed
    layers-control button): the export uses neither, and a file:// page must request nothing.
    """
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = re.sub(r"url\(images/[^)]*\)", "none", css)
    return js, css


def _slim(collection: dict, keep: tuple[str, ...] = ()) -> dict:
    """The GeoJSON with only the properties the styles use (names are not shown)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: f["properties"][k] for k in keep if k in f["properties"]},
                "geometry": f["geometry"],
            }
            for f in collection["features"]
        ],
    }


def _inline_script(js: str) -> str:
    # "</script" inside the code would end the element early; Leaflet has none, but be safe.
    return "<script>" + js.replace("</script", "<\\/script") + "</script>"


def route_choice(route_name: str) -> str:
    """'stage-3' (or the picker's '3') -> the STAGE_CHOICES key; ValueError when unknown."""
    if route_name in ROUTE_CHOICES:
        return ROUTE_CHOICES[route_name]
    if route_name in STAGE_CHOICES:
        return route_name
    known = ", ".join(ROUTE_CHOICES)
    raise ValueError(f"unknown route {route_name!r}: expected one of {known}")


def export_filename(route_name: str) -> str:
    """The file name offered for a download: 'miglia-stage-3.html'."""
    choice = route_choice(route_name)
    name = next(name for name, value in ROUTE_CHOICES.items() if value == choice)
    return f"miglia-{name}.html"


def _title(choice: str, labels: Mapping[str, str]) -> str:
    if choice == ALL_2020:
        return f"{labels['app.heading']} · {labels['card.all.title']}"
    (route_id,) = STAGE_CHOICES[choice]
    return f"{labels['app.heading']} · {labels[f'route.{route_id}']}"


def place_popup(place: Mapping, route_name: str, lang: str) -> str:
    """Popup HTML of one place; every text from the data is escaped."""
    labels = texts(lang)
    e = html.escape
    head = f"<b>{e(str(place['name']))}</b>"
    if place.get("venue"):
        head += f" ({e(str(place['venue']))})"
    lines = [head, e(labels[f"role.{place['role']}"])]
    lines.append(f"{e(route_name)} · {e(labels['map.hover.order'])} {int(place['order'])}")
    km = place.get("km_from_start")
    if km is not None and not math.isnan(km):
        lines.append(f"{format_number(km, lang)} km {e(labels['map.hover.from_start'])}")
    planned, observed = place.get("planned_time"), place.get("observed_time")
    if planned:
        lines.append(f"{e(labels['map.hover.planned'])} {e(str(planned))}")
    if observed:
        lines.append(f"{e(labels['map.hover.observed'])} {e(str(observed))}")
    if place["certainty"] != "confirmed":
        key = f"certainty.{place['certainty']}"
        lines.append(f"⚠ {e(labels.get(key, str(place['certainty'])))}")
    return "<br>".join(lines)


def _panel(
    title: str,
    route_ids: tuple[str, ...],
    places: list[dict],
    labels: Mapping[str, str],
) -> str:
    """The title, the legend and the list of places (readable without the map)."""
    e = html.escape
    routes = "".join(
        f'<li><span class="miglia-line{" dashed" if rid in HISTORIC_ROUTE_IDS else ""}" '
        f'style="border-top-color: {colours.ROUTE_COLOURS[rid]}"></span>'
        f"{e(labels[f'route.{rid}'])}</li>"
        for rid in route_ids
    )
    present = {place_category(p["role"]) for p in places}
    kinds = "".join(
        f'<li><span class="miglia-swatch" style="background: '
        f'{colours.PLACE_STYLE[c]["color"]}"></span>{e(labels[f"map.legend.{c}"])}</li>'
        for c in PLACE_CATEGORIES
        if c in present
    )
    listed = "".join(
        f"<li>{e(str(p['name']))} · {e(labels['role.' + p['role']])}"
        + (
            f" ({e(labels.get('certainty.' + p['certainty'], p['certainty']))})"
            if p["certainty"] != "confirmed"
            else ""
        )
        + "</li>"
        for p in places
    )
    return (
        '<div class="miglia-panel">'
        f"<h1>{e(title)}</h1>"
        f"<ul>{routes}</ul><ul>{kinds}</ul>"
        f"<details><summary>{e(labels['map.legend.places'])} ({len(places)})</summary>"
        f"<ol>{listed}</ol></details>"
        "</div>"
    )


def route_map_html(
    route: RouteData,
    basemap: Basemap,
    route_name: str,
    lang: str = "en",
    online_tiles: bool = False,
) -> str:
    """The standalone HTML file (a string) of one route: 'stage-1'..'stage-4', '2020',
    '1927', '1955' (or a stage-picker value such as '3' or 'all')."""
    lang = language(lang)
    labels = texts(lang)
    choice = route_choice(route_name)
    route_ids = STAGE_CHOICES[choice]
    title = _title(choice, labels)

    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    # No CDN links: Leaflet is inlined below, and nothing here uses jQuery, Bootstrap or
    # awesome-markers. Instance attributes, so folium's shared class lists stay untouched.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    figure.title = title
    js, css = leaflet_assets()
    # In the header, ahead of everything folium adds; the map's own script ends the body.
    figure.header.add_child(_Raw(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    figure.header.add_child(_Raw(f"<style>{_EXTRA_CSS}</style>"), name="miglia_css", index=1)
    figure.header.add_child(_Raw(_inline_script(js)), name="leaflet_js_inline", index=2)

    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)

    def country_style(feature: dict) -> dict:
        italy = bool(feature["properties"].get("italy"))
        return {
            "fillColor": colours.LAND_ITALY if italy else colours.LAND,
            "fillOpacity": 0.0 if online_tiles else 1.0,
            "color": colours.COUNTRY_BORDER,
            "weight": 1.0,
        }

    def region_style(_feature: dict) -> dict:
        return {"fillOpacity": 0.0, "color": colours.REGION_BORDER, "weight": 0.7}

    folium.GeoJson(
        _slim(basemap.countries, keep=("italy",)),
        name="Natural Earth",
        style_function=country_style,
        interactive=False,
        control=online_tiles,
    ).add_to(m)
    folium.GeoJson(
        _slim(basemap.regions),
        name="ISTAT",
        style_function=region_style,
        interactive=False,
        control=online_tiles,
    ).add_to(m)
    m.add_child(_Attribution(labels[ATTRIBUTION_TEXT]))

    for route_id in route_ids:
        route_label = labels[f"route.{route_id}"]
        line = folium.PolyLine(
            [list(p) for p in route.paths[route_id]],
            color=colours.ROUTE_COLOURS[route_id],
            weight=4,
            opacity=0.9,
            dash_array="10 8" if route_id in HISTORIC_ROUTE_IDS else None,
        )
        label = html.escape(route_label)
        line.add_child(_BindPopup(f"<b>{label}</b>", label))
        line.add_to(m)

    places = route.places_of(route_ids).to_dict("records")
    for place in places:
        style = colours.PLACE_STYLE[place_category(place["role"])]
        route_label = labels[f"route.{place['route_id']}"]
        marker = folium.CircleMarker(
            location=[place["lat"], place["lon"]],
            radius=style["size"] / 2,
            color="#222222",
            weight=1.5,
            fill=True,
            fill_color=style["color"],
            fill_opacity=0.95,
        )
        tooltip = html.escape(f"{place['name']} · {labels['role.' + place['role']]}")
        marker.add_child(_BindPopup(place_popup(place, route_label, lang), tooltip))
        marker.add_to(m)

    if online_tiles:
        folium.LayerControl(position="topleft", collapsed=False).add_to(m)

    points = [p for rid in route_ids for p in route.paths[rid]]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(40, 40))

    figure.html.add_child(_Raw(_panel(title, route_ids, places, labels)), name="panel")
    page = figure.render()
    return page.replace("<html>", f'<html lang="{lang}">', 1)
