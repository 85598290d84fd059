"""The standings model (dashboard/race.py) on small rankings and on the shipped data (the
rankings folder and its ingest: tests/integration/test_ingest.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import RankingFile, parse_ranking, read_ranking
from dashboard.i18n import say
from dashboard.race import (
    Standings,
    build_standings,
    crew_label,
    crew_name_key,
    empty_standings,
    person_key,
)

RANKINGS_DIR = DEFAULT_DATA_DIR / "rankings"
HEADER = "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader"

VESCO = "Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929"
FONTANELLA = "Gianmario Fontanella,Anna Maria Covelli,Lancia Lambda Casaro VII Series,1927"
SISTI = "Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929"
ALIVERTI = "Alberto Aliverti,Stefano Valente,Alfa Romeo 6C 1750 SS Zagato,1929"


def ranking(
    name: str,
    rows: str,
    *,
    stage: int = 1,
    order: int = 1,
    meta: str = "",
    header: str = HEADER,
) -> RankingFile:
    text = f"# checkpoint: {name}\n# stage: {stage}\n# order: {order}\n{meta}{header}\n{rows}"
    return parse_ranking(f"{name}.csv", text.encode())


def cell(standings: Standings, checkpoint_id: str, crew_id: str, column: str):
    rows = standings.table[
        (standings.table["checkpoint_id"] == checkpoint_id)
        & (standings.table["crew_id"] == crew_id)
    ]
    assert len(rows) == 1, (checkpoint_id, crew_id)
    value = rows.iloc[0][column]
    return None if pd.isna(value) else value


def column_of(standings: Standings, checkpoint_id: str, column: str) -> list:
    return [None if pd.isna(v) else v for v in standings.at(checkpoint_id)[column]]


def kinds(standings: Standings) -> list[str]:
    return sorted(standings.warnings["kind"])


# --- crew identity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Gianmario Fontanella", "fontanella g"),
        ("Gianmaria Fontanella", "fontanella g"),
        ("  GIANMARIO   fontanella ", "fontanella g"),
        ("Nicolò Bellò", "bello n"),
        ("Micheline Houtkamp-Van Bussel", "bussel m"),
        ("Anna Maria Covelli", "covelli a"),
        ("Vesco", "vesco"),
        ("", ""),
        ("123", ""),
    ],
)
def test_person_key(name, key):
    assert person_key(name) == key


def test_crew_name_key_ignores_order_accents_case_and_first_name_spelling():
    key = crew_name_key("Gianmario Fontanella", "Anna Maria Covelli")
    assert key == "covelli a|fontanella g"
    assert crew_name_key("Gianmaria Fontanella", "Anna Maria Covelli") == key
    assert crew_name_key("Anna Maria Covelli", "Gianmario Fontanella") == key
    assert crew_name_key("ANNA MARÍA COVELLI", "gianmarió fontanella") == key
    assert crew_name_key("Andrea Vesco", "") == "vesco a"
    assert crew_label("Andrea Vesco", "") == "Andrea Vesco"
    assert crew_label("Andrea Vesco", "Roberto Vesco") == "Andrea Vesco / Roberto Vesco"


def test_crews_are_matched_by_car_number_across_files():
    first = ranking("a", f"1,28,{FONTANELLA},100,\n", order=1)
    final = ranking(
        "b",
        "1,28,Gianmaria Fontanella,Anna Maria Covelli,Lancia Lambda Casaro VII Serie,1927,200,\n",
        order=2,
    )
    standings = build_standings([first, final])
    assert set(standings.table["crew_id"]) == {"28"}
    assert len(standings.crews) == 1
    # one ranking each: the spelling published first names the crew (issue 17: not the latest)
    assert standings.crews.loc["28", "crew"] == "Gianmario Fontanella / Anna Maria Covelli"
    assert standings.crews.loc["28", "rankings"] == 2
    assert standings.warnings.empty  # same crew by names too: no 'two crews' warning


def test_crews_without_car_number_are_matched_by_normalised_names():
    rows = [
        "1,,Gianmario Fontanella,Anna Maria Covelli,Lancia,1927,100,\n",
        "2,,Gianmaria Fontanella,Anna Maria Covelli,Lancia,1927,190,\n",
        "1,,Anna Maria Covelli,Gianmario Fontanella,Lancia,1927,300,\n",  # swapped order
        "1,,GIANMARÌA FONTANELLA,ANNA MARIA COVELLI,Lancia,1927,400,\n",  # accents, case
    ]
    files = [ranking(f"c{i}", r, order=i + 1) for i, r in enumerate(rows)]
    standings = build_standings(files)
    assert set(standings.table["crew_id"]) == {"crew:covelli a|fontanella g"}
    assert list(standings.table["position"]) == [1, 2, 1, 1]
    assert list(standings.table["position_change"].astype("object").fillna(-99)) == [-99, -1, 1, 0]
    assert standings.warnings.empty


def test_a_row_without_number_joins_the_crew_of_its_names_number():
    numbered = ranking("a", f"1,28,{FONTANELLA},100,\n", order=1)
    unnumbered = ranking(
        "b", "3,,Gianmaria Fontanella,Anna Maria Covelli,Lancia,1927,150,\n", order=2
    )
    standings = build_standings([numbered, unnumbered])
    assert set(standings.table["crew_id"]) == {"28"}
    assert cell(standings, "b", "28", "position_change") == -2


def test_a_car_number_given_in_a_later_file_names_the_crew_in_the_earlier_ones():
    first = ranking("a", f"1,,{FONTANELLA},10,\n2,7,{SISTI},5,\n", order=1)
    second = ranking("b", f"1,12,{FONTANELLA},20,\n2,7,{SISTI},9,\n", order=2)
    assert "crew:covelli a|fontanella g" in set(build_standings([first]).table["crew_id"])
    standings = build_standings([first, second])
    assert set(standings.table["crew_id"]) == {"12", "7"}
    assert cell(standings, "a", "12", "points") == 10


def test_different_people_stay_different_crews():
    files = [
        ranking(
            "a",
            "1,,Andrea Vesco,Roberto Vesco,Alfa,1929,100,\n"
            "2,,Andrea Belometti,Massimo Bettinsoli,Lancia,1929,90,\n",
        )
    ]
    standings = build_standings(files)
    assert len(standings.crews) == 2


# --- gaps and position changes -------------------------------------------------------------


def test_gap_to_leader_and_to_the_crew_ahead():
    end2 = ranking(
        "end2",
        f"1,46,{VESCO},43837,\n2,28,{FONTANELLA},42913,\n3,45,{SISTI},42672,\n5,51,{ALIVERTI},40287,\n",
    )
    standings = build_standings([end2])
    assert column_of(standings, "end2", "gap_to_leader") == [0, 924, 1165, 3550]
    # crew ahead = exactly one position up: 5th has no gap, the 4th is not known
    assert column_of(standings, "end2", "gap_to_ahead") == [None, 924, 241, None]
    assert column_of(standings, "end2", "points_derived") == [False] * 4


def test_points_derived_from_points_behind_leader():
    end1 = ranking(
        "end1",
        f"1,46,{VESCO},13779,\n2,28,{FONTANELLA},,39\n3,45,{SISTI},13691,\n4,51,{ALIVERTI},,\n",
    )
    standings = build_standings([end1])
    assert column_of(standings, "end1", "points") == [13779, 13740, 13691, None]
    assert column_of(standings, "end1", "points_derived") == [False, True, False, False]
    assert column_of(standings, "end1", "gap_to_leader") == [0, 39, 88, None]
    assert column_of(standings, "end1", "gap_to_ahead") == [None, 39, 49, None]


def test_gap_to_leader_from_points_behind_leader_when_no_points_are_known():
    header = "position,car_number,driver,co_driver,car,car_year,points_behind_leader"
    gaps = ranking(
        "gaps",
        f"1,46,{VESCO},\n2,28,{FONTANELLA},39\n3,45,{SISTI},88\n",
        header=header,
    )
    standings = build_standings([gaps])
    assert column_of(standings, "gaps", "points") == [None, None, None]
    assert column_of(standings, "gaps", "gap_to_leader") == [0, 39, 88]
    assert column_of(standings, "gaps", "gap_to_ahead") == [None, None, None]


def test_position_change_since_the_previous_checkpoint():
    first = ranking(
        "a", f"1,45,{SISTI},7326,\n2,46,{VESCO},,54\n3,28,{FONTANELLA},7087,\n", order=1
    )
    second = ranking(
        "b", f"1,46,{VESCO},13779,\n2,28,{FONTANELLA},,39\n3,45,{SISTI},13691,\n", order=2
    )
    third = ranking("c", f"1,28,{FONTANELLA},35165,\n4,51,{ALIVERTI},32277,\n", order=3)
    standings = build_standings([third, first, second])  # the order line decides, not the list
    assert list(standings.checkpoints["checkpoint_id"]) == ["a", "b", "c"]
    assert list(standings.checkpoints["seq"]) == [0, 1, 2]
    assert column_of(standings, "a", "position_change") == [None, None, None]  # first ranking
    assert column_of(standings, "b", "position_change") == [1, 1, -2]
    assert column_of(standings, "b", "previous_position") == [2, 3, 1]
    # Aliverti is not in 'b': unknown there, so his change at 'c' is unknown, not from last
    assert column_of(standings, "c", "position_change") == [1, None]
    assert column_of(standings, "c", "previous_position") == [2, None]


def test_a_crew_missing_from_the_previous_ranking_has_no_change_even_if_seen_before():
    files = [
        ranking("a", f"5,51,{ALIVERTI},100,\n", order=1),
        ranking("b", f"1,46,{VESCO},200,\n", order=2),
        ranking("c", f"4,51,{ALIVERTI},300,\n1,46,{VESCO},400,\n", order=3),
    ]
    standings = build_standings(files)
    assert cell(standings, "c", "51", "position_change") is None
    assert cell(standings, "c", "46", "position_change") == 0


def test_partial_rankings_list_only_the_crews_named():
    files = [
        ranking(
            "a", f"1,45,{SISTI},7326,\n33,43,Silvia Marini,Francesca Ruggeri,Bugatti T40,1929,,\n"
        ),
        ranking("b", f"1,46,{VESCO},13779,\n", order=2),
    ]
    standings = build_standings(files)
    assert column_of(standings, "a", "crew_id") == ["45", "43"]
    assert column_of(standings, "b", "crew_id") == ["46"]
    assert cell(standings, "a", "43", "gap_to_leader") is None  # points unknown: gap unknown
    assert cell(standings, "a", "43", "gap_to_ahead") is None
    assert set(standings.crews.index) == {"43", "45", "46"}
    assert standings.crews.loc["43", "best_position"] == 33
    assert standings.warnings.empty


def test_empty_standings():
    standings = empty_standings()
    assert standings.empty
    assert standings.table.empty and standings.crews.empty and standings.warnings.empty
    assert list(standings.warnings.columns) == [
        "checkpoint_id",
        "file",
        "kind",
        "message",
        "crew_id",
        "words",
        "message_it",
    ]


def test_checkpoints_of_stages():
    files = [
        ranking("a", f"1,46,{VESCO},1,\n"),
        ranking("b", f"1,46,{VESCO},2,\n", stage=2, order=2),
    ]
    standings = build_standings(files)
    assert list(standings.checkpoints_of([2])["checkpoint_id"]) == ["b"]
    assert len(standings.checkpoints_of(None)) == 2


# --- warnings ------------------------------------------------------------------------------


def test_positions_that_do_not_match_points():
    rows = f"1,46,{VESCO},300,\n2,45,{SISTI},100,\n3,28,{FONTANELLA},200,\n4,51,{ALIVERTI},50,\n"
    standings = build_standings([ranking("a", rows)])
    assert kinds(standings) == ["positions do not match points"]
    warning = standings.warnings.iloc[0]
    assert warning["crew_id"] == "28"
    assert warning["file"] == "a.csv" and warning["checkpoint_id"] == "a"
    assert "position 3" in warning["message"] and "position 2" in warning["message"]


def test_duplicate_positions():
    rows = f"1,46,{VESCO},300,\n2,45,{SISTI},200,\n2,28,{FONTANELLA},200,\n"
    standings = build_standings([ranking("a", rows)])
    assert kinds(standings) == ["duplicate position"]
    message = standings.warnings.iloc[0]["message"]
    assert "position 2" in message and "2 crews" in message
    assert "Sergio Sisti" in message and "Gianmario Fontanella" in message
    # both tied crews are one position behind the leader; neither is 'ahead' of the other
    assert column_of(standings, "a", "gap_to_ahead") == [None, 100, 100]
    rows = f"1,46,{VESCO},300,\n1,45,{SISTI},300,\n2,28,{FONTANELLA},200,\n"
    assert column_of(build_standings([ranking("b", rows)]), "b", "gap_to_ahead") == [
        None,
        None,
        100,
    ]


def test_a_crew_with_two_car_numbers():
    files = [
        ranking("a", f"1,46,{VESCO},100,\n", order=1),
        ranking("b", f"1,64,{VESCO},200,\n", order=2),
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["crew with two car numbers"]
    assert "46 and 64" in standings.warnings.iloc[0]["message"]
    assert set(standings.table["crew_id"]) == {"46", "64"}  # kept apart, and reported


def test_a_car_number_with_two_crews():
    files = [
        ranking("a", f"1,46,{VESCO},100,\n", order=1),
        ranking("b", f"1,46,{SISTI},200,\n", order=2),
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["car number with two crews"]
    warning = standings.warnings.iloc[0]
    assert warning["crew_id"] == "46"
    assert "Andrea Vesco" in warning["message"] and "Sergio Sisti" in warning["message"]


def test_checkpoints_with_the_same_order():
    files = [
        ranking("a", f"1,46,{VESCO},100,\n", order=3),
        ranking("b", f"1,46,{VESCO},200,\n", order=3),
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["checkpoint out of order"]
    assert standings.warnings.iloc[0]["file"] == "a.csv, b.csv"


def test_stage_going_backwards():
    files = [
        ranking("a", f"1,46,{VESCO},100,\n", stage=2, order=1),
        ranking("b", f"1,46,{VESCO},200,\n", stage=1, order=2),
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["checkpoint out of order"]
    warning = standings.warnings.iloc[0]
    assert warning["checkpoint_id"] == "b"
    assert "stage 1 comes after stage 2" in warning["message"]


def test_time_going_backwards():
    files = [
        ranking("a", f"1,46,{VESCO},100,\n", order=1, meta="# time: 2020-10-24\n"),
        ranking("b", f"1,46,{VESCO},200,\n", order=2, meta="# time: 2020-10-23\n"),
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["checkpoint out of order"]
    # the times written as dates of the reader's language (i18n.format_moment)
    assert "23 October 2020" in standings.warnings.iloc[0]["message"]
    assert "23 ottobre 2020" in say(standings.warnings.iloc[0]["words"], "it")


def test_points_going_down():
    files = [
        ranking("a", f"1,46,{VESCO},13779,\n", order=1),
        ranking("b", f"1,46,{VESCO},13000,\n", order=2),
        ranking("c", f"1,46,{VESCO},,\n", order=3),  # unknown points: no comparison
    ]
    standings = build_standings(files)
    assert kinds(standings) == ["points went down"]
    warning = standings.warnings.iloc[0]
    assert warning["checkpoint_id"] == "b" and warning["crew_id"] == "46"


def test_points_going_down_are_compared_with_the_last_ranking_that_had_the_crew():
    files = [
        ranking("a", f"1,1,{VESCO},50,\n2,2,{SISTI},40,\n", order=1),
        ranking("b", f"1,1,{VESCO},60,\n", order=2),  # crew 2 missing here
        ranking("c", f"1,1,{VESCO},70,\n2,2,{SISTI},30,\n", order=3),
    ]
    down = build_standings(files).warnings
    down = down[down["kind"] == "points went down"]
    assert list(down["checkpoint_id"]) == ["c"] and list(down["crew_id"]) == ["2"]


def test_flags_and_file_warnings_are_shown():
    flagged = ranking(
        "a",
        f"1,46,{VESCO},100,\n",
        meta="# flag: the source prints 614736 points, a typo\n# avviso: second flag\n",
        header=HEADER + ",Team",
    )
    standings = build_standings([flagged])
    warnings = standings.warnings
    flags = warnings[warnings["kind"] == "flagged in the file"]
    assert list(flags["message"]) == ["the source prints 614736 points, a typo", "second flag"]
    assert set(flags["file"]) == {"a.csv"} and set(flags["checkpoint_id"]) == {"a"}
    assert list(warnings[warnings["kind"] == "file"]["message"]) == ["columns ignored: Team"]
    assert list(standings.checkpoints.loc["a", "flags"]) == list(flags["message"])


def test_a_clean_race_has_no_warnings():
    files = [
        ranking(
            "a", f"1,46,{VESCO},100,\n2,45,{SISTI},90,\n", order=1, meta="# time: 2020-10-22\n"
        ),
        ranking(
            "b", f"1,45,{SISTI},200,\n2,46,{VESCO},190,\n", order=2, meta="# time: 2020-10-22\n"
        ),
    ]
    assert build_standings(files).warnings.empty


# --- the shipped data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Standings:
    return build_standings([read_ranking(path) for path in sorted(RANKINGS_DIR.glob("*.csv"))])


def test_shipped_checkpoints(shipped):
    assert list(shipped.checkpoints["checkpoint_id"]) == [
        "2020-01-stage1-after-tt11",
        "2020-02-stage1-end",
        "2020-03-stage2-end-of-second-day",
        "2020-04-stage2-end",
        "2020-05-stage3-after-tt80",
        "2020-06-stage3-end",
        "2020-07-final",
    ]
    assert list(shipped.checkpoints["stage"]) == [1, 1, 2, 2, 3, 3, 4]


def test_shipped_warnings_are_the_known_problems_only(shipped):
    warnings = shipped.warnings
    assert sorted(warnings["kind"]) == [
        "flagged in the file",
        "flagged in the file",
        "positions do not match points",
        "positions do not match points",
    ]
    flagged = warnings[warnings["kind"] == "flagged in the file"]
    assert set(flagged["checkpoint_id"]) == {
        "2020-03-stage2-end-of-second-day",
        "2020-06-stage3-end",
    }


def test_shipped_time_trial_80_positions_do_not_match_points(shipped):
    """6th 48,278 has fewer points than 7th 49,153 and 8th 48,996 (facts §7), kept as published."""
    warnings = shipped.warnings[shipped.warnings["kind"] == "positions do not match points"]
    assert set(warnings["checkpoint_id"]) == {"2020-05-stage3-after-tt80"}
    assert set(warnings["file"]) == {"2020-05-stage3-after-tt80.csv"}
    assert list(warnings["crew_id"]) == ["4", "3"]  # Turelli 7th, Riboldi 8th
    first, second = warnings["message"]
    assert first.startswith("position 7 ") and "49,153" in first
    assert second.startswith("position 8 ") and "48,996" in second
    for message in (first, second):
        assert "position 6 above it (48,278)" in message


def test_shipped_identity(shipped):
    crews = shipped.crews
    # 13 crews, and three named by autorace.it alone, without a car number: Giuliano Canè
    # (15th at the end of stage 1, 21st at the end of stage 2), Salvinelli (9th at the end of
    # stage 2) and Domenico Battagliola (10th at the end of stage 3)
    assert len(crews) == 16
    assert {"crew:cane g", "crew:salvinelli", "crew:battagliola d"} <= set(crews.index)
    cane = shipped.table[shipped.table["crew_id"] == "crew:cane g"]
    assert list(cane["position"]) == [15, 21]
    # Fontanella/Covelli: "Gianmario" in six rankings, "Gianmaria" in the final: one crew
    fontanella = shipped.table[shipped.table["crew_id"] == "28"]
    assert len(fontanella) == 7
    assert set(fontanella["driver"]) == {"Gianmario Fontanella", "Gianmaria Fontanella"}
    # Turelli: the names in either order are one crew
    assert len(shipped.table[shipped.table["crew_id"] == "4"]) == 5
    # Peli/Mola has no car number anywhere: by names, in two rankings
    peli = shipped.table[shipped.table["crew_id"] == "crew:mola s|peli o"]
    assert list(peli["position"]) == [26, 16]
    assert cell(shipped, "2020-02-stage1-end", "crew:mola s|peli o", "position_change") == 10


def test_shipped_gaps_and_changes(shipped):
    end1 = "2020-02-stage1-end"
    assert cell(shipped, end1, "46", "points") == 13779
    assert cell(shipped, end1, "28", "points") == 13740  # 13779 - 39, derived
    assert cell(shipped, end1, "28", "points_derived")
    assert cell(shipped, end1, "28", "gap_to_leader") == 39
    assert cell(shipped, end1, "45", "gap_to_ahead") == 49
    assert cell(shipped, end1, "44", "position_change") == 7  # 13th -> 6th
    assert cell(shipped, end1, "3", "position_change") is None  # not in the ranking before
    end3 = "2020-06-stage3-end"
    assert cell(shipped, end3, "46", "points") == 67276
    assert cell(shipped, end3, "45", "gap_to_leader") == 2235
    assert cell(shipped, end3, "45", "points") == 65041
    assert cell(shipped, end3, "28", "gap_to_ahead") == 90
    assert cell(shipped, end3, "4", "gap_to_leader") is None  # the typo'd figure left empty
    day2 = "2020-03-stage2-end-of-second-day"
    assert column_of(shipped, day2, "crew_id")[0] == "28"
    assert cell(shipped, day2, "28", "points") == 35165
    tt80 = "2020-05-stage3-after-tt80"
    assert cell(shipped, tt80, "46", "points") == 54171
    assert cell(shipped, tt80, "45", "gap_to_ahead") == 1118
    assert cell(shipped, tt80, "43", "gap_to_leader") == 54171 - 40244
    assert cell(shipped, tt80, "43", "gap_to_ahead") is None  # 26th is not known
    final = "2020-07-final"
    assert column_of(shipped, final, "crew_id") == ["46", "45", "28", "44", "51", "31", "43"]
    assert cell(shipped, final, "46", "gap_to_leader") == 0
    assert cell(shipped, final, "45", "gap_to_leader") is None  # no final points published
