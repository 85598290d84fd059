"""The stage card: what a fan wants to know about the chosen route, as a description list,
with its sources as links in a disclosure under it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from dash import html

from dashboard.data.profile import Profile
from dashboard.i18n import format_date, format_number, texts

# the card's rows that may carry a fan note or a "sources differ" flag, and their labels
NOTE_LABELS = {
    "start_time": "card.start_time",
    "arrival": "card.arrival",
    "cars_starting": "card.cars_starting",
    "official_length": "card.length_official",
}
_DURATION = re.compile(r"^(\d+)[h:](\d{2})[m:](\d{2})s?$")
CLIMB_ROUNDING_M = 10  # the grid is about 1 km a cell: metres beyond tens would be noise


def _row(term: str, *value, title: str | None = None) -> list:
    return [html.Dt(term, title=title), html.Dd(list(value))]


def _km(value: float | None, lang: str) -> str:
    return f"{format_number(value, lang)} km"


def note_words(entry: Mapping | None, lang: str, alone: bool = False) -> list:
    """A fact's short note (in brackets after a figure, plain when `alone`) and its "sources
    differ" flag, as children of its value."""
    if not entry:
        return []
    labels = texts(lang)
    words: list = []
    if entry.get("note"):
        note = entry["note"][lang]
        words.append(html.Span(note if alone else f" ({note})", className="note"))
    if entry.get("conflict"):
        words += [" ", html.Span(labels["card.sources_differ"], className="flag")]
    return words


def duration(value: str | None) -> str:
    """'21h04m48s' or '21:04:48' -> '21 h 04′ 48″' (the race's way, the same in both languages)."""
    match = _DURATION.match(value or "")
    if not match:
        return value or "–"
    hours, minutes, seconds = match.groups()
    return f"{int(hours)} h {minutes}′ {seconds}″"


def winner_text(winner: Mapping, lang: str) -> str:
    """Crew · car · car number · time · average speed, each only where known."""
    parts = [winner.get("crew"), winner.get("car")]
    if winner.get("car_number"):
        parts.append(f"#{winner['car_number']}")
    if winner.get("time"):
        parts.append(duration(winner["time"]))
    if winner.get("average_speed_kmh"):
        parts.append(f"{format_number(winner['average_speed_kmh'], lang, 3)} km/h")
    return " · ".join(p for p in parts if p)


def _link_text(url: str) -> str:
    host = urlsplit(url).netloc
    return host.removeprefix("www.") or url


def source_links(sources: Iterable[str], lang: str) -> list:
    """Links to the published sources, in first-seen order; sources without an address are
    counted in one sentence instead of named by their internal label."""
    labels = texts(lang)
    seen: list[str] = []
    unrecorded = False
    for source in sources:
        if source.startswith(("http://", "https://")):
            if source not in seen:
                seen.append(source)
        else:
            unrecorded = True
    items = [
        html.Li(html.A(_link_text(u), href=u, target="_blank", rel="noopener noreferrer"))
        for u in seen
    ]
    if unrecorded:
        items.append(html.Li(labels["card.unrecorded_source"], className="note"))
    return items


def sources_disclosure(
    sources: Iterable[str], notes: Mapping[str, Mapping], lang: str
) -> html.Details | None:
    """The "Sources" disclosure: where the sources differ, the detail; then the links."""
    labels = texts(lang)
    all_sources = list(sources)
    conflicts = []
    for field, entry in notes.items():
        if entry.get("conflict") and entry.get("detail"):
            label = labels[NOTE_LABELS.get(field, "card.notes")]
            conflicts.append(html.Li([html.Strong(f"{label}: "), entry["detail"][lang]]))
        all_sources += entry.get("sources") or []
    links = source_links(all_sources, lang)
    if not links and not conflicts:
        return None
    children: list = [html.Summary(labels["card.sources"])]
    if conflicts:
        children += [html.P(labels["card.sources_differ_intro"]), html.Ul(conflicts)]
    if links:
        children.append(html.Ul(links, className="source-links"))
    return html.Details(children, className="sources")


def _relief_rows(profiles: Sequence[Profile], labels, lang: str) -> list:
    """Total climb and highest point of the chosen routes' altitude profiles."""
    if not profiles:
        return []
    climb = round(sum(p.climb_m for p in profiles) / CLIMB_ROUNDING_M) * CLIMB_ROUNDING_M
    offsets = [sum(p.km[-1] for p in profiles[:i]) for i in range(len(profiles))]
    best = max(range(len(profiles)), key=lambda i: profiles[i].highest.elevation_m)
    top = profiles[best].highest
    values = {
        "height": f"{format_number(round(top.elevation_m), lang)} m",
        "km": format_number(offsets[best] + top.km, lang),
        "place": top.near or "",
    }
    highest = labels["card.highest_near" if top.near else "card.highest_at"].format(**values)
    rows = _row(
        labels["card.climb"],
        f"{format_number(climb, lang)} m",
        title=labels["card.climb_help"],
    )
    return rows + _row(labels["card.highest"], highest, title=labels["card.climb_help"])


def _arrival_rows(summary: Mapping, notes: Mapping, labels: Mapping, lang: str) -> list:
    """The planned and the observed arrival, each labelled as such; the note on the last."""
    planned, observed = summary["planned_arrival"], summary.get("observed_arrival")
    note = notes.get("arrival")
    if not planned and not observed:
        return (
            _row(labels["card.arrival_reported"], *note_words(note, lang, alone=True))
            if note
            else []
        )
    rows = []
    if planned:
        rows += _row(labels["card.arrival"], planned, *([] if observed else note_words(note, lang)))
    if observed:
        rows += _row(labels["card.arrival_observed"], observed, *note_words(note, lang))
    return rows


def stage_card(summary: Mapping, lang: str, profiles: Sequence[Profile] = ()) -> list:
    """Children of the card section for a route_summary(); with the chosen routes' altitude
    profiles, their total climb and highest point too."""
    labels = texts(lang)
    notes: Mapping[str, Mapping] = summary.get("card_notes") or {}
    rows: list = []
    if summary["choice"] == "all":
        title = labels["card.all.title"]
        rows += _row(labels["card.date"], labels["card.all.dates"])
        rows += _row(labels["card.route"], f"{summary['start']} → {summary['finish']}")
        rows += _row(labels["card.stage_count"], str(summary["n_stages"]))
    else:
        route_id = summary["route_ids"][0]
        title = labels.get(f"card.title.{route_id}", labels[f"route.{route_id}"])
        rows += _row(labels["card.date"], format_date(summary["date"], lang))
        rows += _row(labels["card.route"], f"{summary['start']} → {summary['finish']}")
        if summary["start_time"]:
            kind = summary.get("start_time_kind")
            rows += _row(
                labels["card.start_time"],
                summary["start_time"],
                *([html.Span(f" · {labels[f'time.{kind}']}", className="note")] if kind else []),
                *note_words(notes.get("start_time"), lang),
            )
        rows += _arrival_rows(summary, notes, labels, lang)
    if summary.get("lunch"):
        rows += _row(labels["card.lunch"], summary["lunch"])
    if summary.get("dinner"):
        rows += _row(labels["card.dinner"], summary["dinner"])
    rows += _row(
        labels["card.length_drawn"],
        _km(summary["length_km"], lang),
        title=labels["card.length_drawn_help"],
    )
    if summary["choice"] != "all":
        official = summary["official_length_km"]
        rows += _row(
            labels["card.length_official"],
            _km(official, lang) if official else labels["card.not_published"],
            *(note_words(notes.get("official_length"), lang) if official else []),
        )
    rows += _relief_rows(profiles, labels, lang)
    rows += _row(labels["card.places"], str(summary["n_places"]))
    if summary.get("cars_starting"):
        rows += _row(
            labels["card.cars_starting"],
            format_number(summary["cars_starting"], lang),
            *note_words(notes.get("cars_starting"), lang),
        )
    if summary.get("winner"):
        rows += _row(labels["card.winner"], winner_text(summary["winner"], lang))
    uncertain = summary.get("uncertain_places") or []
    rows += _row(
        labels["card.uncertain"],
        ", ".join(uncertain) if uncertain else labels["card.none"],
        title=labels["card.uncertain_help"],
    )
    if summary.get("unlocated_places"):
        rows += _row(labels["card.unlocated"], ", ".join(summary["unlocated_places"]))
    children = [html.H2(title, id="stage-card-title"), html.Dl(rows, className="facts")]
    story = notes.get("notes", {}).get("note")
    if story:
        children.append(
            html.Details(
                [html.Summary(labels["card.notes"]), html.P(story[lang])], className="note"
            )
        )
    disclosure = sources_disclosure(summary.get("sources") or [], notes, lang)
    if disclosure is not None:
        children.append(disclosure)
    return children
