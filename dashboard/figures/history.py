"""History charts: wins by make and winners' average speed by year (gaps where unknown)."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import format_number, texts

BAR = "#0072B2"
ALFA = "#D55E00"
# the second series (wins without 1940): lighter and hatched, so the legend's two swatches
# say which bar is which for every make, in colour or not (Okabe-Ito sky blue)
BAR_LIGHT = "#56B4E9"


def wins_by_marque_chart(
    wins: pd.Series, lang: str = "en", road_races: pd.Series | None = None
) -> dict:
    """Bars of wins per make; with road_races (the same count without 1940, the closed-circuit
    Gran Premio Brescia) a second bar per make beside each, both named in the legend."""
    labels = texts(lang)

    def bars(counts: pd.Series, marker: dict, **extra) -> dict:
        counts = counts.reindex(wins.index, fill_value=0)
        return {
            "type": "bar",
            "x": wins.index.tolist(),
            "y": [int(v) for v in counts.tolist()],
            "marker": marker,
            "text": [str(int(v)) for v in counts.tolist()],
            "textposition": "outside",
            "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"
            if road_races is not None
            else "%{x}: %{y}<extra></extra>",
            **extra,
        }

    if road_races is None:  # one series: the most successful make stands out
        data = [bars(wins, {"color": [ALFA if m == "Alfa Romeo" else BAR for m in wins.index]})]
    else:  # two series: coloured by series, never by make, so the legend reads true
        data = [
            bars(wins, {"color": BAR}, name=labels["history.wins_all"]),
            bars(
                road_races,
                {"color": BAR_LIGHT, "pattern": {"shape": "/", "fgcolor": BAR, "solidity": 0.2}},
                name=labels["history.wins_road"],
            ),
        ]
    return {
        "data": data,
        "layout": {
            "margin": {"l": 50, "r": 10, "t": 20, "b": 60},
            "barmode": "group",
            "showlegend": road_races is not None,
            "legend": {"orientation": "h", "y": 1.12},
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
