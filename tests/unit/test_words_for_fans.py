"""Words for fans: every stage card and every part of /history shows clean figures and fan
words; raw program data and internal source labels never reach the page."""

from __future__ import annotations

import pytest
from dash import dcc

from dashboard.components.stage_card import duration, stage_card, winner_text
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.history import load_history
from dashboard.data.route import STAGE_CHOICES, route_summary
from dashboard.i18n import LANGUAGES
from dashboard.pages.history import content

# what a raw value or an internal source label looks like on the page
FORBIDDEN = ("{", "[", "'crew'", "seed", "wikipedia-derived", "NOT FOUND", "CONFLICT")


def visible_strings(component) -> list[str]:
    """The texts a fan can read in a component tree: children strings and title tooltips
    (a graph's figure is its own builder's business, tested with the figures)."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [s for child in component for s in visible_strings(child)]
    if isinstance(component, dcc.Graph):
        return []
    found = [component.title] if isinstance(getattr(component, "title", None), str) else []
    return found + visible_strings(getattr(component, "children", None))


def _raw(strings: list[str]) -> list[str]:
    return [s for s in strings if any(word in s.lower() for word in map(str.lower, FORBIDDEN))]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("choice", list(STAGE_CHOICES))
def test_every_stage_card_shows_only_fan_words(shipped_route, choice, lang):
    strings = visible_strings(stage_card(route_summary(shipped_route, choice), lang))
    assert strings
    assert _raw(strings) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_history_row_shows_only_fan_words(shipped_route, basemap, lang):
    history = load_history(DEFAULT_DATA_DIR / "history.json")
    strings = visible_strings(content(lang, shipped_route, basemap, history))
    assert len([s for s in strings if "/" in s]) >= len(history.winners[history.winners["race"]])
    assert _raw(strings) == []


def test_the_checker_catches_the_raw_winner_of_1927(shipped_route):
    raw = shipped_route.route("1927")["winner"]
    assert _raw(visible_strings([str(raw)])) != []
    assert _raw([winner_text(route_summary(shipped_route, "1927")["winner"], "en")]) == []


def test_the_1927_winner_reads_as_figures(shipped_route):
    text = winner_text(route_summary(shipped_route, "1927")["winner"], "it")
    assert (
        text
        == 'Ferdinando Minoia / Giuseppe Morandi · OM 665 "Superba" S · #14 · 21 h 04′ 48″ · 77,238 km/h'
    )
    assert duration("10:07:48") == "10 h 07′ 48″"


def _details(component) -> list:
    if isinstance(component, list | tuple):
        return [d for c in component for d in _details(c)]
    if getattr(component, "className", None) == "sources":
        return [component]
    return _details(getattr(component, "children", None) or [])


@pytest.mark.parametrize(
    ("choice", "lang", "flag"),
    [("1927", "en", "sources differ"), ("1955", "it", "le fonti divergono")],
)
def test_a_conflict_is_a_short_flag_with_its_detail_in_the_sources(
    shipped_route, choice, lang, flag
):
    card = stage_card(route_summary(shipped_route, choice), lang)
    (sources,) = _details(card)
    facts = visible_strings(card[1])
    assert flag in facts
    assert not any("1.628,2" in s or "1,628.2" in s or "521" in s for s in facts)
    inside = " ".join(visible_strings(sources))
    assert ("1,628.2 km" in inside) if choice == "1927" else ("521" in inside)
    links = [a for a in _walk(sources) if getattr(a, "href", None)]
    assert links and all(a.href.startswith("http") for a in links)


def _walk(component):
    if isinstance(component, list | tuple):
        for c in component:
            yield from _walk(c)
    elif hasattr(component, "children"):
        yield component
        yield from _walk(component.children)
