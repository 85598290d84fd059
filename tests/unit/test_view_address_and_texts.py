import json
from importlib import resources

import pytest

from dashboard.i18n import LANGUAGES, format_date, format_number, language, texts
from dashboard.pages.bigscreen import options
from dashboard.view_state import BIGSCREEN_PANELS, Address, View, parse_address, view_from_search


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", View()),
        ("?stage=3", View(stage="3")),
        ("?stage=1927&lang=it", View(stage="1927", lang="it")),
        ("?stage=9&lang=xx", View()),
        ("?stage=<script>", View()),
        (
            "?stage=3&crew=46&checkpoint=2020-05-stage3-after-tt80",
            View(stage="3", crew="46", checkpoint="2020-05-stage3-after-tt80"),
        ),
    ],
)
def test_view_from_the_address(search, expected):
    assert view_from_search(search) == expected


def test_view_address_round_trips_and_leaves_defaults_out():
    assert View().search() == ""
    assert View(stage="3", lang="it").search() == "?stage=3&lang=it"
    view = View(stage="1955", crew="crew:mola s|peli o", lang="it")
    assert view_from_search(view.search()) == view


def test_one_parser_reads_a_query_string_and_dash_pages_parameters_alike():
    search = "?stage=3&crew=46&crew=12&town=Siena&lang=it&panels=map&period=20&other=x"
    # what Dash Pages passes a layout: one value as text, a repeated one as a list
    params = {"stage": "3", "crew": ["46", "12"], "town": "Siena", "lang": "it",
              "panels": "map", "period": "20", "other": "x", "pathname": "/"}  # fmt: skip
    expected = Address(stage="3", crew="46", town="Siena", lang="it", panels=("map",), period=20)
    assert parse_address(search) == parse_address(params) == expected
    assert view_from_search(params) == view_from_search(search)
    assert parse_address(None) == parse_address("") == parse_address({}) == Address()
    assert parse_address("?crew=&town=" + "x" * 300).town == "x" * 80
    assert parse_address("?crew=").crew is None


@pytest.mark.parametrize(
    ("search", "panels", "period"),
    [
        ("", BIGSCREEN_PANELS, 15),
        ("?panels=bump,map,nope,map&period=30", ("bump", "map"), 30),
        ("?panels=nope&period=1", BIGSCREEN_PANELS, 2),
        ("?period=9999", BIGSCREEN_PANELS, 600),
        ("?period=abc", BIGSCREEN_PANELS, 15),
        ("?period=nan", BIGSCREEN_PANELS, 15),
        ("?period=inf", BIGSCREEN_PANELS, 15),
    ],
)
def test_the_big_screen_options_come_from_the_same_parser(search, panels, period):
    opts = options(search + ("&" if search else "?") + "stage=9&lang=it")
    assert opts == {"panels": list(panels), "period": period, "stage": "all", "lang": "it"}


def test_every_text_exists_in_every_language():
    keys = {lang: set(texts(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        missing = keys["en"] ^ keys[lang]
        assert not missing, f"keys not in both en and {lang}: {sorted(missing)}"
    for lang in LANGUAGES:
        assert all(value.strip() for value in texts(lang).values())


def test_text_files_are_valid_json_objects():
    for lang in LANGUAGES:
        raw = resources.files("dashboard.texts").joinpath(f"{lang}.json").read_text("utf-8")
        assert isinstance(json.loads(raw), dict)


def test_numbers_and_dates_per_language():
    assert format_number(54171, "en") == "54,171"
    assert format_number(54171, "it") == "54.171"
    assert format_number(444.18, "it", 1) == "444,2"
    assert format_number(None, "en") == "–"
    assert format_date("2020-10-22", "en") == "Thursday 22 October 2020"
    assert format_date("2020-10-22", "it") == "giovedì 22 ottobre 2020"
    assert language("IT-it") == "it" and language(None) == "en" and language("fr") == "en"
