"""CSV export of a ranking: formula injection neutralised, figures as in the model."""

from pathlib import Path

from dashboard.data.export import ranking_csv, safe_cell
from dashboard.data.rankings import read_ranking
from dashboard.race import build_standings

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "rankings"


def test_formula_like_cells_are_neutralised():
    for text in ("=1+1", "+39 333", "-cmd", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Vesco") == "Vesco"
    assert safe_cell(-2) == "-2"  # numbers stay numbers
    assert safe_cell(None) == ""


def test_ranking_csv_of_time_trial_80():
    files = [read_ranking(p) for p in sorted(SHIPPED.glob("*.csv"))]
    standings = build_standings(files)
    checkpoint = standings.checkpoints.loc["2020-05-stage3-after-tt80"].to_dict()
    text = ranking_csv(standings.at("2020-05-stage3-after-tt80"), checkpoint)
    lines = text.splitlines()
    assert lines[0] == "# checkpoint: After time trial 80"
    header = lines.index(next(line for line in lines if line.startswith("position,")))
    assert lines[header + 1].startswith("1,0,46,Andrea Vesco,Roberto Vesco,")
    # no gap to the crew ahead, no car number taken from elsewhere, no row source
    assert lines[header + 1].endswith(",54171,0,,,")
