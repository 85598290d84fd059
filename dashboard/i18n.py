"""Visible texts, per language, from dashboard/texts/<lang>.json; numbers and dates per language.

Layout code never holds a visible string: it asks `texts(lang)[key]`. Place names stay Italian.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

LANGUAGES = ("en", "it")
DEFAULT_LANGUAGE = "en"

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
}
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
}


def language(value: str | None) -> str:
    """A supported language code from a URL parameter or stored preference."""
    value = (value or "").strip().lower()[:2]
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def texts(lang: str) -> Mapping[str, str]:
    """All visible texts of one language (read once per process, read-only)."""
    raw = resources.files("dashboard.texts").joinpath(f"{language(lang)}.json").read_text("utf-8")
    return MappingProxyType(json.loads(raw))


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """54171 -> '54,171' (en) / '54.171' (it); None -> '–'."""
    try:
        if value is None or value != value:  # None or NaN
            return "–"
    except TypeError:  # pandas' NA cannot be compared
        return "–"
    formatted = f"{value:,.{decimals}f}"
    if language(lang) == "it":
        formatted = formatted.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return formatted


_ITALIAN_SEPARATORS = str.maketrans({",": ".", ".": ","})


def number_formatter(lang: str):
    """A fast format_number(value, lang) for whole numbers or None (thousands of chart
    labels per view): 54171 -> '54,171' / '54.171'."""
    italian = language(lang) == "it"

    def number(value: int | None) -> str:
        if value is None:
            return "–"
        text = f"{value:,}"
        return text.translate(_ITALIAN_SEPARATORS) if italian else text

    return number


def format_date(value: str | date | None, lang: str, weekday: bool = True) -> str:
    """'2020-10-22' -> 'Thursday 22 October 2020' / 'giovedì 22 ottobre 2020'."""
    if not value:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    lang = language(lang)
    text = f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[lang][day.weekday()]} {text}" if weekday else text
