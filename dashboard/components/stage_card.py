"""The stage card: what a fan wants to know about the chosen route, as a description list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html

from dashboard.data.profile import Profile
from dashboard.i18n import format_date, format_number, texts

CLIMB_ROUNDING_M = 10  # the grid is about 1 km a cell: metres beyond tens would be noise


def _row(term: str, *value, title: str | None = None) -> list:
    return [html.Dt(term, title=title), html.Dd(list(value))]


def _km(value: float | None, lang: str) -> str:
    return f"{format_number(value, lang)} km"


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


def stage_card(summary: Mapping, lang: str, profiles: Sequence[Profile] = ()) -> list:
    """Children of the card section for a route_summary(); with the chosen routes' altitude
    profiles, their total climb and highest point too."""
    labels = texts(lang)
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
            rows += _row(labels["card.start_time"], summary["start_time"])
        if summary["planned_arrival"] or summary["arrival_note"]:
            arrival = summary["planned_arrival"] or ""
            note = summary["arrival_note"]
            rows += _row(
                labels["card.arrival"],
                arrival,
                html.Span(f" ({note})" if arrival and note else note or "", className="note"),
            )
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
        official_text = _km(official, lang) if official else labels["card.not_published"]
        note = summary.get("official_length_note")
        rows += _row(
            labels["card.length_official"],
            official_text,
            html.Span(f" ({note})", className="note") if note and official else "",
        )
    rows += _relief_rows(profiles, labels, lang)
    rows += _row(labels["card.places"], str(summary["n_places"]))
    if summary.get("cars_starting"):
        note = summary.get("cars_starting_note")
        rows += _row(
            labels["card.cars_starting"],
            format_number(summary["cars_starting"], lang),
            html.Span(f" ({note})", className="note") if note else "",
        )
    if summary.get("winner"):
        rows += _row(labels["card.winner"], str(summary["winner"]))
    uncertain = summary.get("uncertain_places") or []
    rows += _row(
        labels["card.uncertain"],
        ", ".join(uncertain) if uncertain else labels["card.none"],
        title=labels["card.uncertain_help"],
    )
    if summary.get("unlocated_places"):
        rows += _row(labels["card.unlocated"], ", ".join(summary["unlocated_places"]))
    children = [html.H2(title, id="stage-card-title"), html.Dl(rows, className="facts")]
    if summary.get("notes"):
        children.append(
            html.Details(
                [html.Summary(labels["card.notes"]), html.P(summary["notes"])], className="note"
            )
        )
    return children
