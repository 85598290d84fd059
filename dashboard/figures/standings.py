"""Standings charts: positions through the checkpoints (bump chart) and points behind the
leader. Pure: the standings view's chart series in, plotly figure dicts out (plain dict
traces: go.Scatter objects are far slower to build, see docs/performance.md).

Readable with 400 crews: only the crews asked for are drawn (the leaders plus the selected
crew), each labelled at its line end; a missing ranking is a gap, never "last".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.i18n import number_formatter, texts
from dashboard.race import ChartSeries, crew_tag

HIGHLIGHT = "#D55E00"  # vermillion
OTHERS = "#4d6a85"  # muted blue-grey; lines are told apart by their end labels
STAGE_SHADES = (
    "rgba(0,114,178,0.06)",
    "rgba(230,159,0,0.08)",
    "rgba(0,158,115,0.07)",
    "rgba(204,121,167,0.08)",
)


def _stage_marks(stages: Sequence[int], labels: Mapping[str, str]) -> tuple[list, list]:
    """A shaded band and a title per stage along the x axis (stages: one per checkpoint)."""
    shapes, annotations = [], []
    start = 0
    for x in range(1, len(stages) + 1):
        if x < len(stages) and stages[x] == stages[start]:
            continue
        stage, x0, x1 = stages[start], start - 0.5, x - 1 + 0.5
        start = x
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


@dataclass(frozen=True)
class _ChartData:
    """What both standings charts draw, computed once per view."""

    x_of_current: int | None
    n: int
    top: int  # the lowest position drawn
    stage_marks: tuple[list, list]  # shapes and annotations of the stages
    tickvals: list[int]
    ticktext: list[str]
    tags: Mapping[str, str]
    heads: Mapping[str, str]  # the crew, once per line (in its hover template)
    hover: Mapping[str, list]  # the checkpoint, position, points and gap, per point


def _chart_data(chart: ChartSeries, labels: Mapping[str, str], lang: str) -> _ChartData:
    checkpoint_labels = [c.label for c in chart.checkpoints]
    n = len(checkpoint_labels)
    number = number_formatter(lang)
    position_word, points_word, gap_word = (
        labels["table.position"],
        labels["chart.points"],
        labels["table.gap"],
    )
    tags, heads, hover = {}, {}, {}
    for line in chart.lines:
        tags[line.crew_id] = tag = crew_tag(line.car_number, line.crew)
        heads[line.crew_id] = _template_text(f"<b>{tag}</b> · {line.crew}<br>")
        hover[line.crew_id] = [
            None
            if p is None
            else f"{checkpoint_labels[i]}<br>{position_word} {p} · "
            f"{number(line.points[i])} {points_word} · {gap_word} {number(line.gap[i])}"
            for i, p in enumerate(line.position)
        ]
    positions = [p for line in chart.lines for p in line.position if p is not None]
    return _ChartData(
        x_of_current=chart.current,
        n=n,
        top=max(positions, default=1),
        stage_marks=_stage_marks([c.stage for c in chart.checkpoints], labels),
        tickvals=(ticks := _tick_positions(n)),
        ticktext=[
            label if len(label) <= 22 else label[:21] + "…"
            for label in (checkpoint_labels[i] for i in ticks)
        ],
        tags=tags,
        heads=heads,
        hover=hover,
    )


MAX_TICKS = 16
MARKERS_UP_TO = 30  # checkpoints: beyond, only the selected crew's line has markers


def _tick_positions(n: int) -> list[int]:
    """Which checkpoints get a label on the x axis: all of them up to MAX_TICKS, else evenly
    spaced ones and the last (hover still names every point)."""
    if n <= MAX_TICKS:
        return list(range(n))
    step = -(-n // MAX_TICKS)
    ticks = list(range(0, n, step))
    if n - 1 - ticks[-1] < step / 2:
        ticks[-1] = n - 1
    else:
        ticks.append(n - 1)
    return ticks


def _template_text(text: str) -> str:
    """Text from a ranking file, safe inside a plotly hover template (where '%{...}' would
    be read as a placeholder)."""
    return text.replace("%{", "% {")


def _chart(chart: ChartSeries, data: _ChartData, field: str, y_title: str, uirevision: str) -> dict:
    n = data.n
    xs = list(range(n))
    highlight = chart.highlight
    traces, annotations = [], []
    # draw the highlighted crew last, so it is on top
    ordered = [line for line in chart.lines if line.crew_id != highlight] + [
        line for line in chart.lines if line.crew_id == highlight
    ]
    for line in ordered:
        crew_id = line.crew_id
        tag = data.tags[crew_id]
        hover = data.hover[crew_id]
        ys = getattr(line, field)
        selected = crew_id == highlight
        traces.append(
            {
                "type": "scatter",
                # markers on every point only while they stay few: at full event scale
                # thousands of SVG markers take longer to draw than the rest of the page
                "mode": "lines+markers" if selected or n <= MARKERS_UP_TO else "lines",
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
                "customdata": [crew_id] * n,  # a click on any point selects the crew
                "hovertext": hover,
                "hovertemplate": data.heads[crew_id] + "%{hovertext}<extra></extra>",
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
    shapes, stage_annotations = list(data.stage_marks[0]), data.stage_marks[1]
    if data.x_of_current is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": data.x_of_current,
                "x1": data.x_of_current,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#111", "width": 2, "dash": "dot"},
            }
        )
    tickvals, ticktext = data.tickvals, data.ticktext
    layout = {
        "margin": {"l": 56, "r": 130, "t": 28, "b": 90},
        "xaxis": {
            "tickvals": tickvals,
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
        top = data.top
        layout["yaxis"].update(
            {
                "range": [top + 0.7, 0.3],
                "autorange": False,
                "dtick": 1 if top <= 15 else None,
                "tick0": 1,
            }
        )
    return {"data": traces, "layout": layout}


_Y_AXIS = {"position": "chart.position_axis", "gap": "chart.gap_axis"}


def standings_charts(
    chart: ChartSeries, lang: str = "en", uirevision: str = ""
) -> tuple[dict, dict]:
    """Both charts of a view (bump chart, gap chart), sharing the work they have in common."""
    labels = texts(lang)
    data = _chart_data(chart, labels, lang)
    bump, gap = (
        _chart(chart, data, field, labels[_Y_AXIS[field]], uirevision)
        for field in ("position", "gap")
    )
    return bump, gap


def bump_chart(chart: ChartSeries, lang: str = "en", uirevision: str = "") -> dict:
    """Positions through the checkpoints, position 1 on top, stages shaded along the x axis."""
    labels = texts(lang)
    data = _chart_data(chart, labels, lang)
    return _chart(chart, data, "position", labels[_Y_AXIS["position"]], uirevision)
