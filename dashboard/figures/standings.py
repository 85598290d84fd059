"""Standings charts: positions through the checkpoints (bump chart) and points behind the
leader. Pure: the standings view's chart series in, plotly figure dicts out (plain dict
traces: go.Scatter objects are far slower to build, see docs/performance.md).

Readable with 400 crews: only the crews asked for are drawn (the leaders plus the selected
crew), each labelled at its line end; a missing ranking is a gap, never "last". End labels
that would touch are moved apart, with a leader line back to their line's end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.figures.text_width import text_px
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
                "name": "stage",  # shortened on phones (assets/chart_narrow.js)
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
    labels: list[str]  # the checkpoints' names, the same list on every line (its `text`)
    # per chart (position, gap): the hover template after the crew (checkpoint, position,
    # points, gap), and each crew's customdata: per point the crew id, then the numbers
    # the template reads (points and gap in words; the bump chart's position is its y)
    hover: Mapping[str, str]
    heads: Mapping[str, str]  # the crew, once per line (in its hover template)
    custom: Mapping[str, Mapping[str, list]]


def _chart_data(chart: ChartSeries, labels: Mapping[str, str], lang: str) -> _ChartData:
    checkpoint_labels = [c.label for c in chart.checkpoints]
    n = len(checkpoint_labels)
    number = number_formatter(lang)
    position_word, points_word, gap_word = (
        labels["table.position"],
        labels["chart.points"],
        labels["table.gap"],
    )
    tags, heads = {}, {}
    custom: dict[str, dict[str, list]] = {"position": {}, "gap": {}}
    for line in chart.lines:
        crew_id = line.crew_id
        tags[crew_id] = tag = crew_tag(line.car_number, line.crew)
        heads[crew_id] = _template_text(f"<b>{tag}</b> · {line.crew}<br>")
        # points and gap as format_number writes them (Babel's grouping, '–' for none):
        # plotly's own number format would print a missing one as 0 or NaN
        words = [
            None if p is None else (number(line.points[i]), number(line.gap[i]))
            for i, p in enumerate(line.position)
        ]
        custom["position"][crew_id] = [[crew_id, *w] if w else [crew_id] for w in words]
        custom["gap"][crew_id] = [
            [crew_id, p, *w] if w else [crew_id] for p, w in zip(line.position, words, strict=True)
        ]

    def hover(position: str, points: str, gap: str) -> str:
        return (
            f"%{{text}}<br>{_template_text(position_word)} {position} · {points} "
            f"{_template_text(points_word)} · {_template_text(gap_word)} {gap}<extra></extra>"
        )

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
        labels=checkpoint_labels,
        hover={
            "position": hover("%{y}", "%{customdata[1]}", "%{customdata[2]}"),
            "gap": hover("%{customdata[1]}", "%{customdata[2]}", "%{customdata[3]}"),
        },
        heads=heads,
        custom=custom,
    )


MAX_TICKS = 16
MARKERS_UP_TO = 30  # checkpoints: beyond, only the selected crew's line has markers
LABEL_PX = 15  # the height a crew's end label needs (11-13 px type and a little air)
# the smallest plot area the page gives a chart (a phone's 380 px chart less its margins):
# labels spread for it never touch on a taller one
PLOT_PX = 240
LEADER_PX = 22  # how far right of its line's end a moved label starts
MARGIN = {"l": 56, "r": 130, "t": 48, "b": 90}  # t: the toolbar's row above the stage titles
TICK_FONT_PX = 13  # the layout's font size, which the tick labels take


def spread_labels(
    targets: Sequence[float], gap: float, low: float | None = None, high: float | None = None
) -> list[float]:
    """Positions for labels on one axis (chart units), in the order given: each as near its
    target as can be with at least `gap` between any two, kept within [low, high] where they
    fit. Labels that crowd are spaced evenly around the mean of their targets."""
    order = sorted(range(len(targets)), key=lambda i: (targets[i], i))
    clusters: list[tuple[float, list[int]]] = []  # (first position, members in order)
    for i in order:
        clusters.append((targets[i], [i]))
        while len(clusters) > 1:
            (start, members), (next_start, more) = clusters[-2], clusters[-1]
            if start + gap * len(members) <= next_start:
                break
            joined = members + more
            mean = sum(targets[j] for j in joined) / len(joined)
            clusters[-2:] = [(mean - gap * (len(joined) - 1) / 2, joined)]
    placed = [(start + k * gap, i) for start, members in clusters for k, i in enumerate(members)]
    ys = [y for y, _ in placed]
    count = len(ys)
    if high is not None:  # from the far end back: the last ones below high, keeping the gap
        for k in range(count - 1, -1, -1):
            ys[k] = min(
                ys[k], high - (count - 1 - k) * gap, ys[k + 1] - gap if k + 1 < count else ys[k]
            )
    if low is not None:
        for k in range(count):
            ys[k] = max(ys[k], low + k * gap, ys[k - 1] + gap if k else ys[k])
    result = [0.0] * count
    for y, (_, i) in zip(ys, placed, strict=True):
        result[i] = y
    return result


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


def _chart(
    chart: ChartSeries,
    data: _ChartData,
    field: str,
    y_title: str,
    uirevision: str,
    hover_ticks: bool = True,
) -> dict:
    n = data.n
    xs = list(range(n))
    highlight = chart.highlight
    traces, ends = [], []
    # draw the highlighted crew last, so it is on top
    ordered = [line for line in chart.lines if line.crew_id != highlight] + [
        line for line in chart.lines if line.crew_id == highlight
    ]
    for line in ordered:
        crew_id = line.crew_id
        tag = data.tags[crew_id]
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
                # a click on any point selects the crew (customdata[0]); the hover fills
                # one template per line from the point's numbers and checkpoint name
                "customdata": data.custom[field][crew_id],
                "text": data.labels,
                "hovertemplate": data.heads[crew_id] + data.hover[field],
                "meta": {"crew_id": crew_id},
            }
        )
        last = max((i for i, y in enumerate(ys) if y is not None), default=None)
        if last is not None:
            ends.append((last, ys[last], tag, selected))
    if hover_ticks and len(data.tickvals) < n:
        traces.append(_checkpoint_ticks(chart, xs))
    y_range = _y_range(chart, data, field)
    annotations = _end_labels(ends, y_range)
    shapes, stage_annotations = list(data.stage_marks[0]), data.stage_marks[1]
    # the gap chart marks the ranking whose points it shows (the shown one, or the last with
    # points before it); the bump chart the shown one
    marked = chart.points_from if field == "gap" else data.x_of_current
    if marked is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": marked,
                "x1": marked,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#111", "width": 2, "dash": "dot"},
            }
        )
    tickvals, ticktext = data.tickvals, data.ticktext
    layout = {
        "margin": _margin(ticktext, str(data.top) if field == "position" else f"{y_range[0]:,.0f}"),
        "xaxis": {
            "tickvals": tickvals,
            "ticktext": ticktext,
            "range": [-0.5, max(n - 0.5, 0.5)],
            # slanted down to the right: the first checkpoint's label never reaches past the
            # chart's left edge (plotly hides a label that would), the last one ends in the
            # margin kept for the crew labels
            "tickangle": 30,
            # the margins fit every label (_margin), so none needs hiding: plotly would
            # measure each one to find out
            "ticklabeloverflow": "allow",
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "fixedrange": False,
        },
        "yaxis": {
            "title": {"text": y_title},
            "range": list(y_range),
            "autorange": False,
            "zeroline": False,
            "gridcolor": "#e5e5e5",
            "automargin": True,  # the title never clipped by wide tick numbers
            "ticklabeloverflow": "allow",
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
        layout["yaxis"].update({"dtick": 1 if data.top <= 15 else None, "tick0": 1})
    else:
        # gaps grouped from 1000 up as the table writes them (2.000, 10.000; not 2000, 10k),
        # with the page's separators (plotly's locale on the Italian page)
        layout["yaxis"].update({"separatethousands": True, "exponentformat": "none"})
    if traces and traces[-1]["meta"].get("checkpoint_ticks"):
        # the checkpoints' ticks sit on the bottom edge of an axis of their own
        layout["yaxis2"] = {
            "overlaying": "y",
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
        }
    return {"data": traces, "layout": layout}


def _margin(ticktext: Sequence[str], widest_y_tick: str) -> dict:
    """Margins wide enough for the tick labels, so plotly's automargin has nothing to push:
    a push draws the whole chart a second time (docs/performance.md). automargin stays on,
    for a font wider than text_px allows for."""
    # a label slanted 30 degrees reaches down half its width and right cos(30) of it, past
    # its tick, plus a line's height; the y axis' title sits left of its widest tick label;
    # plotly keeps 12 px of air beyond either (all fitted in Chromium)
    widths = [text_px(text, TICK_FONT_PX) for text in ticktext] or [0.0]
    y_label = text_px(widest_y_tick, TICK_FONT_PX)
    return {
        **MARGIN,
        "b": max(MARGIN["b"], math.ceil(max(widths) / 2 + 30)),
        "l": max(MARGIN["l"], math.ceil(y_label + 32)),
        "r": max(MARGIN["r"], math.ceil(widths[-1] * 0.866 + 17)),
    }


def _checkpoint_ticks(chart: ChartSeries, xs: list[int]) -> dict:
    """A tick on the x axis at every checkpoint, its name on hover: where the checkpoints are
    too many to label them all, each one can still be found by name."""
    return {
        "type": "scatter",
        "mode": "markers",
        "x": xs,
        "y": [0] * len(xs),
        "yaxis": "y2",
        "cliponaxis": False,
        "showlegend": False,
        "line": {"width": 0},
        "marker": {"symbol": "line-ns-open", "size": 9, "color": "#777", "line": {"width": 1}},
        "hovertext": [c.label for c in chart.checkpoints],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "meta": {"checkpoint_ticks": True},
    }


def _y_range(chart: ChartSeries, data: _ChartData, field: str) -> tuple[float, float]:
    """The y axis, reversed (the leader on top): set here, not by plotly, so the end labels
    can be spread in its units."""
    if field == "position":
        return data.top + 0.7, 0.3
    gaps = [g for line in chart.lines for g in line.gap if g is not None]
    most = max(gaps, default=0)
    pad = most * 0.06 if most > 0 else 1
    return most + pad, -pad


def _end_labels(ends: list[tuple], y_range: tuple[float, float]) -> list[dict]:
    """A crew's tag at its line's end; tags that would touch are moved apart (at least a
    label's height on the smallest chart), each moved one with a leader line to its end."""
    bottom, top = y_range
    gap = abs(bottom - top) * LABEL_PX / PLOT_PX
    ys = spread_labels(
        [float(y) for _x, y, _tag, _selected in ends],
        gap,
        low=min(top, bottom),
        high=max(top, bottom),
    )
    annotations = []
    for (x, y, tag, selected), label_y in zip(ends, ys, strict=True):
        moved = abs(label_y - y) > gap * 1e-6
        annotation = {
            "x": x,
            "y": y,
            "xref": "x",
            "yref": "y",
            "text": tag,
            "name": "crew",  # shortened to the car number on phones (assets/chart_narrow.js)
            "showarrow": False,
            "xanchor": "left",
            "xshift": 8,
            "font": {"size": 13 if selected else 11, "color": HIGHLIGHT if selected else "#333"},
        }
        if moved:
            # the label sits at (LEADER_PX px right, label_y); the arrow, without a head, is
            # the leader line back to the line's end
            annotation.update(
                {
                    "showarrow": True,
                    "arrowhead": 0,
                    "arrowwidth": 1,
                    "arrowcolor": "#888",
                    "standoff": 3,
                    "axref": "pixel",
                    "ax": LEADER_PX,
                    "ayref": "y",
                    "ay": label_y,
                    "xshift": 0,
                }
            )
        annotations.append(annotation)
    return annotations


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
    # no hover ticks: the big screen is watched, not pointed at
    return _chart(chart, data, "position", labels[_Y_AXIS["position"]], uirevision, False)
