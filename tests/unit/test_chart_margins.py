"""The standings charts' margins are set wide enough for their tick labels, so plotly's
automargin has nothing to push and draws each chart once (no browser)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import read_ranking
from dashboard.figures.standings import MARGIN, TICK_FONT_PX, standings_charts
from dashboard.figures.text_width import text_px
from dashboard.race import build_standings, standings_view
from dashboard.view_state import View

# widths Chromium measured at 13 px in DejaVu Sans (a canvas' measureText), the font it
# draws the charts in on Debian
MEASURED_13PX = {
    "Cervia-Milano Marittima": 156,
    "Passo della Futa": 104,
    "MMMMMMMMMMMMMMMMMMMMM…": 249,
    "iiiiiiiiiiiiiiiiiiiiii": 79,
    "PC 12 Ferrara": 88,
    "Lunch: Rome – Villa B…": 153,
    "Brescia": 47,
    "A": 9,
    "400": 25,
    "1.234.567": 66,
}


@pytest.mark.parametrize("text", MEASURED_13PX)
def test_text_is_never_narrower_than_chromium_draws_it_nor_much_wider(text):
    measured = MEASURED_13PX[text]
    estimate = text_px(text, 13)
    assert measured - 0.5 <= estimate <= measured * 1.06 + 1


def test_accented_letters_and_other_scripts_have_a_width():
    assert text_px("Città", 13) == text_px("Citta", 13)
    assert text_px("東京", 10) == 20  # a square each


def charts_for(rankings: list[tuple[str, list[tuple[int, str, int]]]], folder):
    """Both charts of the last of `rankings` (checkpoint name, rows of car number, crew,
    points), written as ranking files."""
    paths = []
    for order, (checkpoint, rows) in enumerate(rankings, start=1):
        lines = [
            f"# checkpoint: {checkpoint}",
            "# stage: 1",
            f"# order: {order}",
            "position,car_number,driver,co_driver,car,car_year,points",
        ]
        for position, (number, driver, points) in enumerate(rows, start=1):
            lines.append(f"{position},{number},{driver},Co Driver,Alfa Romeo,1929,{points}")
        path = folder / f"2020-{order:02d}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    snapshot = SimpleNamespace(
        version="t", standings=build_standings([read_ranking(p) for p in paths]), files=()
    )
    return standings_charts(standings_view(snapshot, View()).chart)


ROWS = [(46, "Andrea Vesco", 9000), (45, "Sergio Sisti", 8000), (28, "Gianmaria Fontanella", 10)]


def test_short_labels_keep_the_charts_own_margins(tmp_path):
    for figure in charts_for([("Brescia", ROWS), ("Roma", ROWS)], tmp_path):
        margin = figure["layout"]["margin"]
        assert margin == MARGIN


def test_long_checkpoint_names_widen_the_bottom_and_right_margins(tmp_path):
    long_name = "CONTROLLO ORARIO MONTEPULCIANO WEST"  # cut to 22 characters on the axis
    short, long = (
        charts_for([("Brescia", ROWS), (name, ROWS)], tmp_path)[0]["layout"]
        for name in ("Roma", long_name)
    )
    widest = max(text_px(t, TICK_FONT_PX) for t in long["xaxis"]["ticktext"])
    # half the slanted label's width below the axis, the tick, a line and plotly's 12 px
    assert long["margin"]["b"] >= widest / 2 + 28
    assert long["margin"]["b"] > short["margin"]["b"]
    # the last label, slanted, reaches right of its tick by cos(30 degrees) of its width
    last = text_px(long["xaxis"]["ticktext"][-1], TICK_FONT_PX)
    assert long["margin"]["r"] >= last * 0.866 + 15 > short["margin"]["r"] == MARGIN["r"]
    # so no label needs hiding, which plotly would measure every label to find out
    assert long["xaxis"]["ticklabeloverflow"] == "allow"


def test_big_gaps_widen_the_gap_charts_left_margin_only(tmp_path):
    rows = [(46, "Andrea Vesco", 2_500_000), (45, "Sergio Sisti", 10)]
    bump, gap = charts_for([("Brescia", rows), ("Roma", rows)], tmp_path)
    top = gap["layout"]["yaxis"]["range"][0]
    assert gap["layout"]["margin"]["l"] >= text_px(f"{top:,.0f}", TICK_FONT_PX) + 30
    assert bump["layout"]["margin"]["l"] == MARGIN["l"]


def test_the_shipped_gap_chart_has_room_for_its_thousands():
    files = [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]
    snapshot = SimpleNamespace(version="t", standings=build_standings(files), files=())
    view = View(checkpoint="2020-06-stage3-end")  # the last ranking with points
    bump, gap = standings_charts(standings_view(snapshot, view).chart)
    assert gap["layout"]["yaxis"]["range"][0] > 1_000
    assert gap["layout"]["margin"]["l"] > MARGIN["l"]
    # automargin stays on, for a font wider than the estimate
    assert all(f["layout"][axis]["automargin"] for f in (bump, gap) for axis in ("xaxis", "yaxis"))
