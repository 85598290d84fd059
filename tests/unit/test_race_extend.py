"""Extending the standings model with new rankings (build_standings(files, previous=...))
gives exactly the model a full rebuild gives: on random events with partial rankings, ties,
missing points, crews without car numbers and odd identities, on the shipped 2020 data, and
in the cases that must fall back to a full rebuild."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import RankingFile, parse_ranking, read_ranking
from dashboard.race import Standings, build_standings

HEADER = "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader"


def assert_same_model(extended: Standings, rebuilt: Standings) -> None:
    pd.testing.assert_frame_equal(extended.checkpoints, rebuilt.checkpoints)
    pd.testing.assert_frame_equal(extended.table, rebuilt.table)
    pd.testing.assert_frame_equal(extended.crews, rebuilt.crews)
    pd.testing.assert_frame_equal(extended.warnings, rebuilt.warnings)
    for checkpoint_id in rebuilt.checkpoints.index:
        pd.testing.assert_frame_equal(extended.at(checkpoint_id), rebuilt.at(checkpoint_id))


def random_event(
    seed: int, crews: int = 25, rankings: int = 8, prefix: str = "synthetic"
) -> list[RankingFile]:
    """A SYNTHETIC event with the awkward cases real files have."""
    rng = random.Random(seed)
    people = [(f"Driver{i} Surname{i}", f"Codriver{i} Other{i}") for i in range(crews)]
    points = [0] * crews
    files = []
    for index in range(rankings):
        for crew in range(crews):
            points[crew] = max(
                0, points[crew] + rng.randint(0, 60) - (70 if rng.random() < 0.05 else 0)
            )
        present = [c for c in range(crews) if rng.random() < 0.85]  # partial rankings
        present.sort(key=lambda c: -points[c])
        lines = [
            f"# checkpoint: SYNTHETIC {index}",
            f"# stage: {1 + index * 4 // rankings}",
            f"# order: {index + 1}",
            HEADER,
        ]
        position = 0
        for rank, crew in enumerate(present):
            if not (rank and rng.random() < 0.1):  # sometimes a tie
                position += 1
            number = "" if crew % 7 == 3 and rng.random() < 0.5 else str(crew + 1)
            driver, co_driver = people[crew]
            if crew % 11 == 5 and rng.random() < 0.5:
                driver = driver.replace("Driver", "Drivr")  # a first name spelt two ways
            shown = "" if rng.random() < 0.05 else str(points[crew])
            car = "" if rng.random() < 0.1 else f"Car {crew % 5}"
            lines.append(
                f"{position},{number},{driver},{co_driver},{car},19{20 + crew % 30},{shown},"
            )
        files.append(parse_ranking(f"{prefix}-{index:02d}.csv", ("\n".join(lines) + "\n").encode()))
    return files


@pytest.mark.parametrize("seed", range(12))
def test_extending_by_new_rankings_gives_the_rebuilt_model(seed):
    files = random_event(seed)
    rebuilt = build_standings(files)
    for split in (1, len(files) // 2, len(files) - 1):
        previous = build_standings(files[:split])
        assert_same_model(build_standings(files, previous=previous), rebuilt)


def test_extending_one_ranking_at_a_time_gives_the_rebuilt_model():
    files = random_event(99, rankings=10)
    model = build_standings(files[:1])
    for count in range(2, len(files) + 1):
        model = build_standings(files[:count], previous=model)
    assert_same_model(model, build_standings(files))


def test_shipped_data_extended_file_by_file_gives_the_rebuilt_model():
    files = sorted(
        (read_ranking(p) for p in (DEFAULT_DATA_DIR / "rankings").glob("*.csv")),
        key=lambda f: (f.order, f.stage, f.name),
    )
    model = build_standings(files[:1])
    for count in range(2, len(files) + 1):
        model = build_standings(files[:count], previous=model)
    rebuilt = build_standings(files)
    assert_same_model(model, rebuilt)
    assert not rebuilt.warnings.empty  # the shipped data has flagged inconsistencies


def test_a_replaced_or_earlier_file_rebuilds_the_model():
    files = random_event(5)
    previous = build_standings(files[:-1])
    replaced = [*files[:2], random_event(6)[2], *files[3:]]  # same name, other content
    assert_same_model(build_standings(replaced, previous=previous), build_standings(replaced))
    earlier = random_event(7, rankings=3, prefix="extra")[0]
    inserted = [earlier, *files]  # order 1 again: sorts among the first
    assert_same_model(build_standings(inserted, previous=previous), build_standings(inserted))


def test_a_new_ranking_that_changes_who_is_who_rebuilds_the_model():
    first = parse_ranking(
        "a.csv",
        f"# checkpoint: A\n# stage: 1\n# order: 1\n{HEADER}\n1,,Ann Bee,Cid Dee,Car,1930,10,\n"
        "2,7,Eve Fox,Gil Hay,Car,1931,5,\n".encode(),
    )
    # the new file gives the unnumbered crew of file a its car number: its rows in file a
    # must now be that car too
    second = parse_ranking(
        "b.csv",
        f"# checkpoint: B\n# stage: 1\n# order: 2\n{HEADER}\n1,12,Ann Bee,Cid Dee,Car,1930,20,\n"
        "2,7,Eve Fox,Gil Hay,Car,1931,9,\n".encode(),
    )
    previous = build_standings([first])
    assert "crew:bee a|dee c" in set(previous.table["crew_id"])
    extended = build_standings([first, second], previous=previous)
    assert_same_model(extended, build_standings([first, second]))
    assert set(extended.table["crew_id"]) == {"12", "7"}


def test_points_that_go_down_across_the_join_are_flagged():
    rows = "1,1,Ann Bee,Cid Dee,Car,1930,{a},\n2,2,Eve Fox,Gil Hay,Car,1931,{b},\n"
    files = [
        parse_ranking(
            f"{name}.csv",
            (f"# checkpoint: {name}\n# stage: 1\n# order: {order}\n{HEADER}\n" + body).encode(),
        )
        for name, order, body in [
            ("a", 1, rows.format(a=50, b=40)),
            ("b", 2, "1,1,Ann Bee,Cid Dee,Car,1930,60,\n"),  # crew 2 missing here
            ("c", 3, rows.format(a=70, b=30)),  # crew 2 lost points since file a
        ]
    ]
    extended = build_standings(files, previous=build_standings(files[:2]))
    assert_same_model(extended, build_standings(files))
    down = extended.warnings[extended.warnings["kind"] == "points went down"]
    assert list(down["checkpoint_id"]) == ["c"] and list(down["crew_id"]) == ["2"]


def test_new_rankings_after_the_others_take_the_extending_path(tmp_path):
    """Not a silent full rebuild every time: the extension itself is used and is right."""
    from bench.synthetic_event import write_event
    from dashboard.race import _extend

    files = [read_ranking(p) for p in write_event(tmp_path, crews=30, rankings=6)]
    previous = build_standings(files[:4])
    extended = _extend(previous, files)
    assert extended is not None
    assert_same_model(extended, build_standings(files))
    assert _extend(previous, files[:3] + files[4:]) is None  # a file went away
