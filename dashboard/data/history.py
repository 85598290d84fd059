"""The history of the speed race: data/history.json (built by tools/history_data.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class HistoryDataError(ValueError):
    pass


@dataclass(frozen=True)
class History:
    winners: pd.DataFrame  # one row per year 1927-1957: race, crew, car, marque, time, average_kmh
    story: tuple[dict, ...]

    def wins_by_marque(self, road_races_only: bool = False) -> pd.Series:
        """Wins per make; road_races_only leaves out 1940, the Gran Premio Brescia on a closed
        circuit, which the seed's winners list counts with the road races."""
        raced = self.winners[self.winners["race"]]
        if road_races_only:
            raced = raced[~raced["closed_circuit"]]
        return raced["marque"].value_counts().sort_values(ascending=False)

    def wins_by_driver(self) -> pd.Series:
        raced = self.winners[self.winners["race"]]
        drivers = raced["crew"].str.split(" / ").explode()
        return drivers.value_counts()


def load_history(path: Path | str) -> History:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        winners = pd.DataFrame(doc["winners"])
        story = tuple(doc["story"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise HistoryDataError(f"{path.name}: cannot be read as the history file ({err})") from err
    missing = {"year", "race", "crew", "car", "marque", "time", "average_kmh"} - set(
        winners.columns
    )
    if missing:
        raise HistoryDataError(f"{path.name}: winners lack {sorted(missing)}")
    winners = winners.sort_values("year").reset_index(drop=True)
    winners["average_kmh"] = pd.to_numeric(winners["average_kmh"])
    closed = winners.get("closed_circuit", False)
    winners["closed_circuit"] = pd.Series(closed, index=winners.index).fillna(False).astype(bool)
    for column in (
        "crew", "car", "marque", "time", "speed_note", "time_speed_source", "note", "note_source",
    ):  # fmt: skip
        if column in winners:
            winners[column] = winners[column].astype(object).where(winners[column].notna(), None)
    return History(winners=winners, story=story)
