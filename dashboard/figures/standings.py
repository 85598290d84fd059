"""Standings charts: positions through the checkpoints (bump chart) and points behind the
leader. Pure: the standings model in, plotly figure dicts out (plain dict traces: building
hundreds of go.Scatter objects costs ~200 ms per callback, dicts ~15 ms).

Readable with 400 crews: only the crews asked for are drawn (the leaders plus the selected
crew), each labelled at its line end; a missing ranking is a gap, never "last".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.i18n import format_number
from dashboard.race import Standings

HIGHLIGHT = "#D55E00"  # vermillion
OTHERS = "#4d6a85"  # muted blue-grey; lines are told apart by their end labels
STAGE_SHADES = (
    "rgba(0,114,178,0.06)",
    "rgba(230,159,0,0.08)",
    "rgba(0,158,115,0.07)",
    "rgba(204,121,167,0.08)",
)


def short_name(crew: str) -> str:
    """'Andrea Vesco / Roberto Vesco' -> 'Vesco'; 'Sergio Sisti / Anna Gualandi' -> 'Sisti/Gualandi'."""
    surnames = [part.split()[-1] for part in crew.split(" / ") if part.split()]
    unique = list(dict.fromkeys(surnames))
    return "/".join(unique) if unique else crew


def crew_tag(car_number, crew: str) -> str:
    number = f"#{int(car_number)} " if pd.notna(car_number) else ""
    return f"{number}{short_name(crew)}"


def _stage_marks(checkpoints: pd.DataFrame, labels: Mapping[str, str]) -> tuple[list, list]:
    shapes, annotations = [], []
    xs = list(range(len(checkpoints)))
    for stage, group in checkpoints.assign(x=xs).groupby("stage", sort=False):
        x0, x1 = group["x"].min() - 0.5, group["x"].max() + 0.5
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": STAGE_SHADES[(int(stage) - 1) % 4],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": (x0 + x1) / 2,
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
                "text": labels["chart.stage"].format(stage=stage),
                "font": {"size": 12, "color": "#333"},
            }
        )
    return shapes, annotations


def _frame(standings: Standings, checkpoint_ids: Sequence[str], crew_ids: Sequence[str]):
    checkpoints = standings.checkpoints.loc[list(checkpoint_ids)]
    x_of = {cid: i for i, cid in enumerate(checkpoint_ids)}
    rows = standings.table[
        standings.table["checkpoint_id"].isin(x_of) & standings.table["crew_id"].isin(crew_ids)
    ]
    return checkpoints, x_of, rows


def _crew_series(rows: pd.DataFrame, x_of: Mapping[str, int], n: int, field: str):
    values: list = [None] * n
    for cid, value in zip(rows["checkpoint_id"], rows[field], strict=True):
        values[x_of[cid]] = None if pd.isna(value) else int(value)
    return values


def _chart(
    standings: Standings,
    checkpoint_ids: Sequence[str],
    crew_ids: Sequence[str],
    highlight: str | None,
    current: str | None,
    labels: Mapping[str, str],
    lang: str,
    field: str,
    y_title: str,
    uirevision: str,
) -> dict:
    checkpoints, x_of, rows = _frame(standings, checkpoint_ids, crew_ids)
    n = len(checkpoint_ids)
    xs = list(range(n))
    traces, annotations = [], []
    checkpoint_labels = checkpoints["label"].tolist()
    by_crew = dict(tuple(rows.groupby("crew_id", sort=False)))
    # draw the highlighted crew last, so it is on top
    ordered = [c for c in crew_ids if c != highlight] + (
        [highlight] if highlight in crew_ids else []
    )
    for crew_id in ordered:
        crew_rows = by_crew.get(crew_id)
        if crew_rows is None:
            continue
        info = standings.crews.loc[crew_id]
        tag = crew_tag(info["car_number"], info["crew"])
        ys = _crew_series(crew_rows, x_of, n, field)
        positions = _crew_series(crew_rows, x_of, n, "position")
        points = _crew_series(crew_rows, x_of, n, "points")
        gaps = _crew_series(crew_rows, x_of, n, "gap_to_leader")
        selected = crew_id == highlight
        hover = [
            None
            if p is None
            else f"<b>{tag}</b> · {info['crew']}<br>{checkpoint_labels[i]}<br>"
            f"{labels['table.position']} {p} · {format_number(points[i], lang)} {labels['chart.points']}"
            f" · {labels['table.gap']} {format_number(gaps[i], lang)}"
            for i, p in enumerate(positions)
        ]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": xs,
                "y": ys,
                "name": tag,
                "showlegend": False,
                "connectgaps": False,
                "line": {"color": HIGHLIGHT if selected else OTHERS, "width": 5 if selected else 2},
                "marker": {
                    "size": 11 if selected else 7,
                    "color": HIGHLIGHT if selected else OTHERS,
                    "line": {"color": "white", "width": 1},
                },
                "opacity": 1 if selected or not highlight else 0.55,
                "customdata": [[crew_id, checkpoint_ids[i]] for i in xs],
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "meta": {"crew_id": crew_id},
            }
        )
        last = max((i for i, y in enumerate(ys) if y is not None), default=None)
        if last is not None:
            annotations.append(
                {
                    "x": last,
                    "y": ys[last],
                    "xref": "x",
                    "yref": "y",
                    "text": tag,
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 8,
                    "font": {
                        "size": 13 if selected else 11,
                        "color": HIGHLIGHT if selected else "#333",
                    },
                }
            )
    shapes, stage_annotations = _stage_marks(checkpoints, labels)
    if current in x_of:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x_of[current],
                "x1": x_of[current],
                "y0": 0,
                "y1": 1,
                "line": {"color": "#111", "width": 2, "dash": "dot"},
            }
        )
    ticktext = [label if len(label) <= 22 else label[:21] + "…" for label in checkpoints["label"]]
    layout = {
        "margin": {"l": 56, "r": 130, "t": 28, "b": 90},
        "xaxis": {
            "tickvals": xs,
            "ticktext": ticktext,
            "range": [-0.5, max(n - 0.5, 0.5)],
            "tickangle": -30,
            "showgrid": False,
            "fixedrange": False,
        },
        "yaxis": {
            "title": {"text": y_title},
            "autorange": "reversed",
            "zeroline": False,
            "gridcolor": "#e5e5e5",
        },
        "shapes": shapes,
        "annotations": stage_annotations + annotations,
        "hovermode": "closest",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"size": 13},
        "uirevision": uirevision,
        "dragmode": "pan",
    }
    if field == "position":
        top = int(rows["position"].max()) if len(rows) else 1
        layout["yaxis"].update(
            {
                "range": [top + 0.7, 0.3],
                "autorange": False,
                "dtick": 1 if top <= 15 else None,
                "tick0": 1,
            }
        )
    return {"data": traces, "layout": layout}


def bump_chart(
    standings, checkpoint_ids, crew_ids, highlight, current, labels, lang="en", uirevision=""
) -> dict:
    """Positions through the checkpoints, position 1 on top, stages shaded along the x axis."""
    return _chart(
        standings,
        checkpoint_ids,
        crew_ids,
        highlight,
        current,
        labels,
        lang,
        "position",
        labels["chart.position_axis"],
        uirevision,
    )


def gap_chart(
    standings, checkpoint_ids, crew_ids, highlight, current, labels, lang="en", uirevision=""
) -> dict:
    """Points behind the leader through the checkpoints, the leader (0) on top."""
    return _chart(
        standings,
        checkpoint_ids,
        crew_ids,
        highlight,
        current,
        labels,
        lang,
        "gap_to_leader",
        labels["chart.gap_axis"],
        uirevision,
    )
