"""The big screen's pieces as plain functions over a copy of the shipped data (no browser)."""

from __future__ import annotations

import shutil

import pytest
from dash import html

from dashboard.app import create_app
from dashboard.app_data import AppData
from dashboard.config import DEFAULT_DATA_DIR, Config
from dashboard.pages.bigscreen import leader_strip, options, panel_outputs, ranking_time
from dashboard.race import standings_view
from dashboard.view_state import View, resolve

WITH_POINTS = """# checkpoint: After time trial 112 (unit test)
# stage: 4
# order: 8
# time: 2020-10-25 11:40
# place: Treviglio
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,80001,
2,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,79990,
"""


@pytest.fixture
def data(tmp_path) -> AppData:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder, ignore=shutil.ignore_patterns(".history", ".ingest"))
    app = create_app(Config(data_dir=folder))
    return app.server.extensions["miglia"]


def _text(children) -> str:
    if isinstance(children, str):
        return children
    if isinstance(children, list | tuple):
        return " ".join(" ".join(_text(c) for c in children).split())
    if isinstance(children, html.Br) or children is None:
        return ""
    return _text(getattr(children, "children", ""))


def _shown(data: AppData, lang: str = "en"):
    snapshot = data.store.snapshot()
    return standings_view(snapshot, resolve(View(lang=lang), snapshot.standings))


def test_the_strip_of_a_ranking_without_points_gives_positions_and_says_so(data):
    shown = _shown(data)
    assert not shown.has_points  # the shipped final classification has positions only
    text = _text(leader_strip(shown, "en"))
    assert "No points in this ranking: positions only" in text
    assert "1 #46 Vesco 2 #45 Sisti/Gualandi 3 #28 Fontanella/Covelli" in text
    assert "4 #44" not in text  # three: the strip is one line
    assert "25 October 2020" in text
    assert "Classifica senza punti" in _text(leader_strip(shown, "it"))


def test_the_strip_names_the_leader_its_car_and_the_gap_to_second(data):
    (data.config.data_dir / "rankings" / "2020-08-unit.csv").write_text(WITH_POINTS, "utf-8")
    data.store.publish_now()
    shown = _shown(data, "it")
    text = _text(leader_strip(shown, "it"))
    assert "#45 Sisti/Gualandi" in text
    assert "Lancia Lambda Spider Casaro" in text
    assert "distacco sul secondo: 11 punti" in text
    assert "25 ottobre 2020, 11:40" in text
    assert "gap to second: 11 points" in _text(leader_strip(_shown(data), "en"))


def test_only_the_panels_asked_for_are_built(data):
    opts = options("?panels=top10")
    out = panel_outputs(opts, data.route, [], data.store.snapshot())
    assert out["map"] == {} and out["bump"] == {} and out["stage"] == []
    assert "Vesco" in _text(out["top10"])


def test_ranking_times_per_language():
    assert ranking_time("2020-10-22", "it") == "22 ottobre 2020"
    assert ranking_time("2020-10-22T09:05", "en") == "22 October 2020, 09:05"
    assert ranking_time(None, "en") == ""


def _label_ys(figure) -> list[float]:
    crews = [a for a in figure["layout"]["annotations"] if a.get("name") == "crew"]
    return sorted(a["ay"] if a.get("showarrow") else a["y"] for a in crews)


def test_the_bump_charts_crew_labels_are_a_big_labels_height_apart(data):
    from dashboard.figures.bigscreen import BUMP_PLOT_PX, NAME_PX

    out = panel_outputs(options("?panels=bump"), data.route, [], data.store.snapshot())
    ys = _label_ys(out["bump"])
    low, high = sorted(out["bump"]["layout"]["yaxis"]["range"])
    need = (high - low) * NAME_PX / BUMP_PLOT_PX
    assert len(ys) >= 7
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= need
    sizes = {a["font"]["size"] for a in out["bump"]["layout"]["annotations"]}
    assert min(sizes) >= 22 and max(sizes) >= 28


def test_the_profile_panel_shows_the_latest_rankings_stage(data):
    opts = options("?panels=profile")
    out = panel_outputs(opts, data.route, [], data.store.snapshot(), data.profiles)
    grounds = [t for t in out["profile"]["data"] if "route_id" in (t.get("meta") or {})]
    assert [t["meta"]["route_id"] for t in grounds] == ["2020-stage-4"]
    assert all(a["font"]["size"] >= 28 for a in out["profile"]["layout"]["annotations"])


@pytest.mark.parametrize("lang", ["en", "it"])
def test_a_refused_file_is_told_in_the_screens_language(tmp_path, lang):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder, ignore=shutil.ignore_patterns(".history", ".ingest"))
    bad = WITH_POINTS.replace("80001", "80.5")  # no whole number of points
    (folder / "rankings" / "2020-08-bad.csv").write_text(bad, encoding="utf-8")
    data = create_app(Config(data_dir=folder)).server.extensions["miglia"]
    snapshot = data.store.snapshot()
    assert [f.name for f in snapshot.refused] == ["2020-08-bad.csv"]
    out = panel_outputs(options(f"?lang={lang}"), data.route, [], snapshot)
    line = _text(out["updated"])
    assert "2020-08-bad.csv" in line
    if lang == "it":
        assert "riga 7, colonna points" in line and "un numero intero" in line
        assert "row 7" not in line and "whole number" not in line
    else:
        assert "row 7, column points" in line and "whole number" in line
