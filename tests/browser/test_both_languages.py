"""Both languages, completely: every page in Italian shows none of the English page's words
(names, numbers and a short list of words the two languages share aside), and the charts'
toolbar speaks Italian through plotly.js's Italian locale."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.history import load_history
from dashboard.data.rankings import read_ranking
from dashboard.data.route import load_route_data

PAGES = {
    "/": "#stage-card-title",
    # the rankings whose files carry a flag: its text shows in the data notes
    "/?stage=2&checkpoint=2020-03-stage2-end-of-second-day": "#stage-card-title",
    "/?stage=3&checkpoint=2020-06-stage3-end": "#stage-card-title",
    "/history": "table.winners",
    "/editor": "main h2",
    "/bigscreen": "#bs-checkpoint",
}
# words spelled the same in both languages: units, file formats, and words Italian uses as
# they are (app, link, offline...); "data" is Italian for date, "pos." the position column
SHARED = set(
    [
        "km",
        "h",
        "k",
        "mph",
        "mille",
        "miglia",
        "csv",
        "svg",
        "png",
        "html",
        "app",
        "script",
        "offline",
        "link",
        "pos",
        "data",
        "comune",
        "record",
        "italiano",
        "english",
        "file",
        "server",
        "token",
        "editor",
        "dashboard",
        "excel",
        "windows",
        "utf",
        # proper names in the history notes: the 1940 Gran Premio Brescia, the published "Baumer"
        "premio",
        "baumer",
    ]
)
# file names and folders (2020-05-stage3-after-tt80.csv, data/rankings/) are no text
FILE_NAME = re.compile(r"[\w./-]+\.(csv|json|geojson)\b|\bdata/\w+/?")
# names that are no word of either language: the map data's credits and the licence
# (the relief's is a citation: "GLOBE Task Team et al.", shown once the map has drawn)
CREDITS = (
    "Natural Earth",
    "ISTAT",
    "CC BY",
    "GLOBE Task Team et al.",
    "GLOBE",
    "NOAA",
    "NGDC",
    "MapLibre",
    "Plotly",
)
WORD = re.compile(r"[^\W\d_]+")
# "mura (city walls)", "outskirts: via Colombo": the words in brackets or before a colon
VENUE_ASIDE = re.compile(r"\(.*?\)|^[^:]*:")


def _names() -> set[str]:
    """Every word of a name the data holds: places, crews, cars, makes, winners."""
    route = load_route_data(DEFAULT_DATA_DIR / "stages.geojson")
    names = list(route.places["name"]) + list(route.routes["name"])
    # places named on a stage card but not on the map (the Strada della Romanella, Valdelsa)
    names += [u["name"] for listed in route.routes["unlocated_places"] for u in listed or ()]
    # venues as they are named ("via Veneto"), not the English said about them in brackets
    names += [VENUE_ASIDE.sub(" ", str(v)) for v in route.places["venue"] if v]
    for path in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv")):
        rows = read_ranking(path).rows
        names += [*rows["driver"], *rows["co_driver"], *rows["car"]]
    winners = load_history(DEFAULT_DATA_DIR / "history.json").winners
    names += [str(v) for column in ("crew", "car", "marque") for v in winners[column] if v]
    return {w.lower() for name in names for w in WORD.findall(str(name))}


def _words(page, url: str, lang: str) -> set[str]:
    """The words of the page's visible text, once its graphs, its map and the standings
    drawn after the map are there."""
    path = url.split("/", 3)[3] if url.count("/") > 2 else ""
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    path = "/" + path
    expect(page.locator(PAGES[path]).first).to_be_visible()
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
        " && document.querySelectorAll('.js-plotly-plot').length"
        " === document.querySelectorAll('.dash-graph').length"
        " && !document.querySelector('.map-stack:not(.map-ready), .later-note')"
    )
    text = page.locator("body").inner_text()
    for credit in CREDITS:
        text = text.replace(credit, " ")
    text = FILE_NAME.sub(" ", text)
    return {w.lower() for w in WORD.findall(text)}


@pytest.mark.parametrize("path", list(PAGES))
def test_the_italian_page_has_none_of_the_english_pages_words(shipped_server, watched, path):
    page = watched.page
    english = _words(page, shipped_server.url + path, "en")
    italian = _words(page, shipped_server.url + path, "it")
    left = sorted((english & italian) - _names() - SHARED)
    assert left == [], f"{path}: English words on the Italian page: {left}"
    assert watched.console_errors == []


def test_the_chart_toolbar_speaks_italian(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/history?lang=it")
    page.wait_for_function("() => window.Plotly && document.querySelector('#wins-chart .modebar')")
    titles = page.eval_on_selector_all(
        "#wins-chart .modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert "Scarica il grafico" in titles, titles
    page.goto(shipped_server.url + "/history?lang=en")
    page.wait_for_function("() => document.querySelector('#wins-chart .modebar')")
    titles = page.eval_on_selector_all(
        "#wins-chart .modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert "Download plot" in titles, titles
