"""History charts: wins by make and winners' average speed by year (gaps where unknown)."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import format_number, texts

BAR = "#0072B2"
ALFA = "#D55E00"


def wins_by_marque_chart(wins: pd.Series, lang: str = "en") -> dict:
    labels = texts(lang)
    return {
        "data": [
            {
                "type": "bar",
                "x": wins.index.tolist(),
                "y": wins.tolist(),
                "marker": {"color": [ALFA if m == "Alfa Romeo" else BAR for m in wins.index]},
                "text": [str(v) for v in wins.tolist()],
                "textposition": "outside",
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 50, "r": 10, "t": 20, "b": 60},
            "yaxis": {
                "title": {"text": labels["history.wins"]},
                "dtick": 2,
                "range": [0, max(wins.tolist() or [1]) + 2],
            },
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "font": {"size": 13},
        },
    }


def speed_chart(winners: pd.DataFrame, lang: str = "en") -> dict:
    """One point per year with a published average; unknown years are gaps, not guesses."""
    labels = texts(lang)
    years = winners["year"].tolist()
    speeds = [None if pd.isna(v) else float(v) for v in winners["average_kmh"]]
    hover = [
        f"{y}: {format_number(s, lang, 3)} km/h<br>{c or ''}" if s is not None else None
        for y, s, c in zip(years, speeds, winners["crew"], strict=True)
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": years,
                "y": speeds,
                "connectgaps": False,
                "line": {"color": BAR, "width": 3},
                "marker": {"size": 10, "color": BAR},
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 60, "r": 10, "t": 20, "b": 40},
            "xaxis": {"range": [1926, 1958], "dtick": 5},
            "yaxis": {"title": {"text": labels["history.speed_axis"]}, "rangemode": "tozero"},
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "font": {"size": 13},
        },
    }
