"""Visible texts, per language, from dashboard/texts/<lang>.json; numbers and dates per language
(Babel, the CLDR locale data).

Layout code never holds a visible string: it asks `texts(lang)[key]`. Place names stay Italian.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.lists import format_list
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


def format_moment(value: str | datetime | None, lang: str, seconds: bool = False) -> str:
    """'2020-10-23' -> '23 October 2020' / '23 ottobre 2020'; a date-time with its time
    ('23 October 2020, 15:30'); text that is neither is returned as it is."""
    if not value:
        return "–"
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(value, str) and "T" not in value and " " not in value.strip():
        return format_date(moment.date(), lang, weekday=False)
    pattern = "d MMMM y, HH:mm:ss" if seconds else "d MMMM y, HH:mm"
    return babel_format_datetime(moment, pattern, locale=language(lang))


def format_clock(moment: datetime, lang: str) -> str:
    """The time of day of a message: '5:34:35 PM' (en) / '17:34:35' (it)."""
    return babel_format_time(moment, "medium", locale=language(lang))


@dataclass(frozen=True)
class Moment:
    """A date or date-time (ISO text) among the parameters of Words: written per language."""

    value: str


@dataclass(frozen=True)
class Words:
    """A text by key (dashboard/texts/<lang>.json) and what fills it: what the data and the
    race logic say, to be written in the reader's language only where it is shown.

    Parameters: a whole number is written per language (format_number); a list or tuple as a
    list ('46 and 64' / '46 e 64'); a Words in its language; text as it is."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain JSON values (for the ingest's state and the API)."""
        return {"key": self.key, "params": {k: _plain(v) for k, v in self.params.items()}}

    @classmethod
    def of(cls, value: object) -> Words | None:
        """A Words from its as_dict() (or itself); None for anything else."""
        if isinstance(value, Words):
            return value
        if isinstance(value, Mapping) and isinstance(value.get("key"), str):
            params = value.get("params") or {}
            return cls(value["key"], params if isinstance(params, Mapping) else {})
        return None


def _plain(value: object) -> object:
    if isinstance(value, Moment):
        return {"moment": value.value}
    if isinstance(value, Words):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def say(words: Words | Mapping, lang: str) -> str:
    """The text of `words` in `lang`; a key the texts lack, or a parameter its text lacks,
    raises KeyError (tests/unit/test_words.py renders every key in both languages)."""
    words = Words.of(words)
    if words is None:
        raise KeyError("not a Words")
    template = texts(lang)[words.key]
    return template.format(**{k: _word(v, lang) for k, v in words.params.items()})


def _word(value: object, lang: str) -> str:
    nested = Words.of(value)
    if nested is not None:
        return say(nested, lang)
    if isinstance(value, Mapping) and "moment" in value:  # a Moment, as as_dict() keeps it
        value = Moment(str(value["moment"]))
    if isinstance(value, Moment):
        return format_moment(value.value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    if isinstance(value, list | tuple):
        return format_list([_word(v, lang) for v in value], locale=language(lang))
    return str(value)


def refusal(error: Mapping, lang: str, with_file: bool = True) -> str:
    """A refused ranking file's words in `lang`, from RankingError.as_dict() (or the same
    dict kept in the ingest's state): 'file, row, column: reason' (without the file where
    the page names it already). A dict without words (an older state, or a plain message)
    gives its message as it is."""
    words = error.get("words")
    if not isinstance(words, Mapping):
        return str(error.get("message") or error.get("reason") or "")
    labels = texts(lang)
    where = [labels["ranking.where.file"].format(file=error.get("file"))] if with_file else []
    if error.get("row") is not None:
        where.append(labels["ranking.where.row"].format(row=error["row"]))
    if error.get("column") is not None:
        where.append(labels["ranking.where.column"].format(column=error["column"]))
    reason = refusal_reason(words, lang)
    return ", ".join(where) + ": " + reason if where else reason


def refusal_reason(words: Mapping, lang: str) -> str:
    """The reason alone (no file, row or column): 'reason: expected X, found Y'."""
    labels = texts(lang)
    reason = Words.of(words.get("message"))
    text = say(reason, lang) if reason else ""
    if words.get("expected") is not None:
        found = words.get("found")
        # described in words, quoted as the file's own text is
        found = f"'{say(found, lang)}'" if Words.of(found) else str(found)
        pair = labels["ranking.expected_found"].format(
            expected=say(words["expected"], lang), found=found
        )
        text = labels["ranking.reason_and"].format(reason=text, detail=pair) if text else pair
    return text
