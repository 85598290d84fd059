import json
from importlib import resources

import pytest

from dashboard.i18n import LANGUAGES, format_date, format_number, language, texts
from dashboard.urls import make_search, parse_search


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", {"stage": "all", "lang": "en"}),
        ("?stage=3", {"stage": "3", "lang": "en"}),
        ("?stage=1927&lang=it", {"stage": "1927", "lang": "it"}),
        ("?stage=9&lang=xx", {"stage": "all", "lang": "en"}),
        ("?stage=<script>", {"stage": "all", "lang": "en"}),
    ],
)
def test_parse_search(search, expected):
    assert parse_search(search) == expected


def test_make_search_round_trips_and_leaves_defaults_out():
    assert make_search("all", "en") == ""
    assert make_search("3", "it") == "?stage=3&lang=it"
    assert parse_search(make_search("1955", "it")) == {"stage": "1955", "lang": "it"}


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
