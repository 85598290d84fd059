"""The history data (data/history.json) and its charts."""

import plotly.graph_objects as go

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.history import load_history
from dashboard.figures.history import speed_chart, wins_by_marque_chart

HISTORY = load_history(DEFAULT_DATA_DIR / "history.json")


def test_winners_from_the_seed_with_no_race_years():
    winners = HISTORY.winners.set_index("year")
    assert list(winners.index) == list(range(1927, 1958))
    no_race = winners.index[~winners["race"]].tolist()
    assert no_race == [1939, 1941, 1942, 1943, 1944, 1945, 1946]
    assert winners.loc[1955, "crew"] == "Stirling Moss / Denis Jenkinson"
    assert winners.loc[1927, "car"] == "OM 665 S"
    assert winners.loc[1927, "average_kmh"] == 77.238
    assert winners.loc[1955, "average_kmh"] == 157.650
    assert winners.loc[1955, "time"] == "10:07:48"


def test_counts_match_the_seed_story_points():
    assert HISTORY.wins_by_marque()["Alfa Romeo"] == 11
    drivers = HISTORY.wins_by_driver()
    assert drivers.index[0] == "Clemente Biondetti" and drivers.iloc[0] == 4
    keys = [s["key"] for s in HISTORY.story]
    assert {"start_numbers", "record_1955", "most_wins"} <= set(keys)
    for story in HISTORY.story:
        assert story["en"]["text"] and story["it"]["text"] and story["source"]


def test_speed_chart_leaves_gaps_where_no_source_gives_a_figure():
    figure = speed_chart(HISTORY.winners, "en")
    go.Figure(figure)
    trace = figure["data"][0]
    speeds = dict(zip(trace["x"], trace["y"], strict=True))
    assert speeds[1927] == 77.238 and speeds[1955] == 157.65
    assert speeds[1932] is None and speeds[1939] is None  # unknown and no race: gaps
    assert trace["connectgaps"] is False
    published = {y for y, s in speeds.items() if s is not None}
    assert published == {1927, 1928, 1929, 1930, 1936, 1955}


def test_wins_chart():
    figure = wins_by_marque_chart(HISTORY.wins_by_marque(), "it")
    go.Figure(figure)
    bar = figure["data"][0]
    assert bar["x"][0] == "Alfa Romeo" and bar["y"][0] == 11
    assert sum(bar["y"]) == 24


def test_speed_chart_hover_numbers_follow_the_language():
    hover = dict(
        zip(
            speed_chart(HISTORY.winners, "it")["data"][0]["x"],
            speed_chart(HISTORY.winners, "it")["data"][0]["hovertext"],
            strict=True,
        )
    )
    assert hover[1955].startswith("1955: 157,650 km/h")
    english = speed_chart(HISTORY.winners, "en")["data"][0]["hovertext"]
    assert any(h and h.startswith("1955: 157.650 km/h") for h in english)


def test_the_two_series_of_wins_are_coloured_by_series_so_the_legend_reads_true():
    everything = HISTORY.wins_by_marque()
    road = HISTORY.wins_by_marque(road_races_only=True)
    figure = wins_by_marque_chart(everything, "en", road_races=road)
    markers = [trace["marker"] for trace in figure["data"]]
    # one colour per series (a legend swatch stands for every bar of it), and the two differ
    assert all(isinstance(m["color"], str) for m in markers)
    assert markers[0]["color"] != markers[1]["color"]
    assert "pattern" in markers[1] and "pattern" not in markers[0]
