"""Visible texts, per language, from dashboard/texts/<lang>.json; numbers and dates per language
(Babel, the CLDR locale data).

Layout code never holds a visible string: it asks `texts(lang)[key]`. Place names stay Italian.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import get_group_symbol, parse_pattern

LANGUAGES = ("en", "it")
DEFAULT_LANGUAGE = "en"


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
    """54171 -> '54,171' (en) / '54.171' (it), rounded to `decimals`; None, NaN or NA -> '–'."""
    try:
        missing = value is None or math.isnan(value)
    except TypeError:  # pandas' NA is neither a number nor None
        missing = True
    if missing:
        return "–"
    return _pattern(decimals).apply(value, _locale(lang))


@lru_cache(maxsize=8)
def _pattern(decimals: int):
    """Babel's parsed number pattern (parsing it again on every call costs most of the call)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@lru_cache(maxsize=len(LANGUAGES))
def _locale(lang: str) -> Locale:
    return Locale.parse(language(lang))


def number_formatter(lang: str) -> Callable[[int | None], str]:
    """format_number(value, lang) for whole numbers or None, for the thousands of chart labels
    of a view (format_decimal is too slow there, docs/performance.md): Python's thousands
    grouping with the language's group symbol from Babel; a test holds it to format_number."""
    group = get_group_symbol(language(lang))

    def number(value: int | None) -> str:
        return "–" if value is None else f"{value:,}".replace(",", group)

    return number


def format_date(value: str | date | None, lang: str, weekday: bool = True) -> str:
    """'2020-10-22' -> 'Thursday 22 October 2020' / 'giovedì 22 ottobre 2020'."""
    if not value:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    # one day-month-year order in both languages (CLDR's English 'full' is month first)
    return babel_format_date(day, "EEEE d MMMM y" if weekday else "d MMMM y", language(lang))
