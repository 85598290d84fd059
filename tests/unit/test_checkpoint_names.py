"""Checkpoint names in the view's language: '# checkpoint_it:' when the file gives it, the
translated pattern of the English name otherwise."""

from __future__ import annotations

import pytest

from dashboard.data.rankings import parse_ranking
from dashboard.race import build_standings, checkpoint_label, ranking_cues, standings_view
from dashboard.view_state import View


@pytest.mark.parametrize(
    ("english", "italian"),
    [
        ("End of stage 3", "Fine tappa 3"),
        ("After time trial 80", "Dopo la prova 80"),
        ("Final classification", "Classifica finale"),
        ("End of the second day (intermediate)", "Fine della seconda giornata (intermedia)"),
        ("End of the first day", "Fine della prima giornata"),
        ("Somewhere new", "Somewhere new"),
    ],
)
def test_the_files_names_have_italian_words(english, italian):
    assert checkpoint_label(english, "it") == italian
    assert checkpoint_label(english, "en") == english


def _file(name: str, checkpoint: str, extra: str = "") -> bytes:
    return (
        f"# checkpoint: {checkpoint}\n{extra}# stage: 1\n# order: 1\n"
        "position,car_number,driver,co_driver,car,car_year,points\n"
        "1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1500,1928,100\n"
    ).encode()


class _Snapshot:
    version = "v"
    files = ()

    def __init__(self, standings):
        self.standings = standings


@pytest.mark.parametrize(
    ("extra", "italian"),
    [("", "Fine tappa 1"), ("# checkpoint_it: Arrivo a Cervia\n", "Arrivo a Cervia")],
)
def test_the_standings_view_carries_the_label_of_its_language(extra, italian):
    ranking = parse_ranking("a.csv", _file("a.csv", "End of stage 1", extra))
    standings = build_standings([ranking])
    snapshot = _Snapshot(standings)
    for lang, label in (("en", "End of stage 1"), ("it", italian)):
        shown = standings_view(snapshot, View(stage="all", checkpoint="a", crew="46", lang=lang))
        assert shown.checkpoint.label == label
        assert [c.label for c in shown.chart.checkpoints] == [label]
        assert ranking_cues(standings, "a", lang=lang).checkpoint.label == label
