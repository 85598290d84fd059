"""The view state kept in the page address: ?stage=…&lang=… (so a shared link reopens it)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dashboard.data.route import ALL_2020, STAGE_CHOICES
from dashboard.i18n import DEFAULT_LANGUAGE, language


def parse_search(search: str | None) -> dict[str, str]:
    """'?stage=3&lang=it' -> {'stage': '3', 'lang': 'it'}; unknown values fall back to defaults."""
    query = parse_qs((search or "").lstrip("?"))
    stage = (query.get("stage") or [ALL_2020])[0]
    return {
        "stage": stage if stage in STAGE_CHOICES else ALL_2020,
        "lang": language((query.get("lang") or [DEFAULT_LANGUAGE])[0]),
    }


def make_search(stage: str, lang: str) -> str:
    """The inverse of parse_search, leaving defaults out so links stay short."""
    params = {}
    if stage and stage != ALL_2020:
        params["stage"] = stage
    if lang and lang != DEFAULT_LANGUAGE:
        params["lang"] = lang
    return "?" + urlencode(params) if params else ""
