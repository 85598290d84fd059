"""The race's own logic: one standings model (checkpoint × crew) that every view reads.

build_standings(files) turns the parsed ranking files into:
- checkpoints: one row per ranking moment in event order (seq 0..n-1);
- table: one row per crew per checkpoint: position, points, gap to the leader, gap to the crew
  ahead, position change since the previous checkpoint;
- crews: one row per crew;
- warnings: data-quality warnings shown to users next to the data.

Crew identity: by car number where given; otherwise by the crew's names, normalised (see
crew_name_key). Rankings are partial: a crew missing from a ranking is unknown there, not last.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dashboard.data.rankings import COLUMNS, RankingFile

WARNING_COLUMNS = ["checkpoint_id", "file", "kind", "message", "crew_id"]


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """'Gianmario Fontanella' and 'Gianmaria Fontanella' -> 'fontanella g'.

    The rule: accents, case and punctuation are ignored, and a person is their surname (last
    word) plus the initial of their first name, so spelling variants of a first name do not
    split one crew in two.
    """
    text = unicodedata.normalize("NFKD", name or "").lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z\s]", " ", text).split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{words[-1]} {words[0][0]}"


def crew_name_key(driver: str, co_driver: str) -> str:
    """One key per crew whatever the order of the names: 'covelli a|fontanella g'."""
    return "|".join(sorted(k for k in (person_key(driver), person_key(co_driver)) if k))


def crew_label(driver: str, co_driver: str) -> str:
    return " / ".join(n for n in (driver, co_driver) if n)


@dataclass(frozen=True)
class Standings:
    checkpoints: pd.DataFrame
    table: pd.DataFrame
    crews: pd.DataFrame
    warnings: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.checkpoints.empty

    def at(self, checkpoint_id: str) -> pd.DataFrame:
        """The ranking of one checkpoint, by position."""
        rows = self.table[self.table["checkpoint_id"] == checkpoint_id]
        return rows.sort_values(["position", "crew"], kind="stable")

    def checkpoints_of(self, stages: Iterable[int] | None) -> pd.DataFrame:
        if stages is None:
            return self.checkpoints
        return self.checkpoints[self.checkpoints["stage"].isin(list(stages))]


def _assign_crews(rows: pd.DataFrame) -> tuple[pd.Series, list[dict]]:
    """crew_id per row (car number where known, else the name key) and identity warnings."""
    warnings: list[dict] = []
    numbered = rows.dropna(subset=["car_number"])
    numbers_of_name = numbered.groupby("name_key")["car_number"].unique()
    names_of_number = numbered.groupby("car_number")["name_key"].unique()
    for key, numbers in numbers_of_name.items():
        if key and len(numbers) > 1:
            label = rows.loc[rows["name_key"] == key, "crew"].iloc[0]
            listed = " and ".join(str(n) for n in sorted(numbers))
            warnings.append(
                {
                    "kind": "crew with two car numbers",
                    "message": f"{label} appears with car numbers {listed}",
                    "crew_id": None,
                    "checkpoint_id": None,
                    "file": None,
                }
            )
    for number, keys in names_of_number.items():
        keys = [k for k in keys if k]
        if len(keys) > 1:
            labels = rows[(rows["car_number"] == number)].drop_duplicates("name_key")["crew"]
            warnings.append(
                {
                    "kind": "car number with two crews",
                    "message": f"car {number} appears with different crews: " + "; ".join(labels),
                    "crew_id": str(number),
                    "checkpoint_id": None,
                    "file": None,
                }
            )

    # the car number where given; else the one number this crew's names have elsewhere;
    # else the names themselves
    single = numbers_of_name[numbers_of_name.map(len) == 1].map(lambda n: str(int(n[0])))
    by_name = rows["name_key"].map(single).astype(object)
    by_name = by_name.where(by_name.notna(), "crew:" + rows["name_key"].astype(object))
    numbers = rows["car_number"].astype("Int64")
    by_number = numbers.astype(str).where(numbers.notna(), None)
    return by_number.fillna(by_name).astype(str), warnings


def _quality_warnings(table: pd.DataFrame, checkpoints: pd.DataFrame) -> list[dict]:
    """Vectorised over the whole table: only flagged rows are visited in Python."""
    warnings: list[dict] = []
    file_of = checkpoints["file"]
    ranked = table.sort_values(["seq", "position"], kind="stable")

    duplicated = ranked[ranked.duplicated(["seq", "position"], keep=False)]
    for (checkpoint_id, position), group in duplicated.groupby(["checkpoint_id", "position"]):
        warnings.append(
            {
                "checkpoint_id": checkpoint_id,
                "file": file_of[checkpoint_id],
                "kind": "duplicate position",
                "message": f"position {position} is held by {len(group)} crews: "
                + "; ".join(group["crew"]),
                "crew_id": None,
            }
        )

    known = ranked.dropna(subset=["points"])
    by_checkpoint = known.groupby("seq", sort=False)
    lowest_above = by_checkpoint["points"].cummin().groupby(known["seq"]).shift(1)
    is_lowest = known["points"] == by_checkpoint["points"].cummin()
    holder = known["position"].where(is_lowest).groupby(known["seq"]).ffill()
    holder = holder.groupby(known["seq"]).shift(1)
    flagged = known[(known["points"] > lowest_above).fillna(False)]
    for row in flagged.itertuples():
        low, above = lowest_above[row.Index], holder[row.Index]
        warnings.append(
            {
                "checkpoint_id": row.checkpoint_id,
                "file": file_of[row.checkpoint_id],
                "kind": "positions do not match points",
                "message": f"position {row.position} ({row.crew}, {row.points:,} points) "
                f"has more points than position {int(above)} above it ({int(low):,})",
                "crew_id": row.crew_id,
            }
        )

    by_time = known.sort_values("seq", kind="stable")
    drops = by_time[(by_time.groupby("crew_id")["points"].diff() < 0).fillna(False)]
    for row in drops.itertuples():
        warnings.append(
            {
                "checkpoint_id": row.checkpoint_id,
                "file": file_of[row.checkpoint_id],
                "kind": "points went down",
                "message": f"{row.crew} has fewer points ({row.points:,}) than at an earlier "
                "checkpoint although points only add up",
                "crew_id": row.crew_id,
            }
        )
    return warnings


def _order_warnings(checkpoints: pd.DataFrame) -> list[dict]:
    warnings = []
    for order, group in checkpoints[checkpoints["order"].duplicated(keep=False)].groupby("order"):
        warnings.append(
            {
                "checkpoint_id": None,
                "file": ", ".join(group["file"]),
                "kind": "checkpoint out of order",
                "message": f"{len(group)} files have order {order}: " + ", ".join(group["file"]),
                "crew_id": None,
            }
        )
    previous = None
    for checkpoint_id, row in checkpoints.iterrows():
        if previous is not None:
            if row["stage"] < previous["stage"]:
                warnings.append(
                    {
                        "checkpoint_id": checkpoint_id,
                        "file": row["file"],
                        "kind": "checkpoint out of order",
                        "message": f"stage {row['stage']} comes after stage {previous['stage']} "
                        f"in the order of the event ({previous['file']})",
                        "crew_id": None,
                    }
                )
            if row["time"] and previous["time"] and str(row["time"]) < str(previous["time"]):
                warnings.append(
                    {
                        "checkpoint_id": checkpoint_id,
                        "file": row["file"],
                        "kind": "checkpoint out of order",
                        "message": f"time {row['time']} is earlier than {previous['time']} "
                        f"of the checkpoint before it ({previous['file']})",
                        "crew_id": None,
                    }
                )
        previous = row
    return warnings


def empty_standings() -> Standings:
    return build_standings([])


def build_standings(files: list[RankingFile]) -> Standings:
    """The one standings model, from the accepted ranking files."""
    files = sorted(files, key=lambda f: (f.order, f.stage, f.name))
    checkpoints = pd.DataFrame(
        [
            {
                "checkpoint_id": f.checkpoint_id,
                "label": f.checkpoint,
                "stage": f.stage,
                "order": f.order,
                "time": f.time,
                "place": f.place,
                "file": f.name,
                "sources": list(f.sources),
                "notes": list(f.notes),
                "flags": list(f.flags),
                "seq": seq,
            }
            for seq, f in enumerate(files)
        ],
        columns=[
            "checkpoint_id",
            "label",
            "stage",
            "order",
            "time",
            "place",
            "file",
            "sources",
            "notes",
            "flags",
            "seq",
        ],
    ).set_index("checkpoint_id", drop=False)
    for column in ("time", "place"):  # None, not NaN, where a file does not say
        checkpoints[column] = (
            checkpoints[column].astype(object).where(checkpoints[column].notna(), None)
        )

    frames = []
    for seq, f in enumerate(files):
        rows = f.rows.copy()
        rows["checkpoint_id"] = f.checkpoint_id
        rows["seq"] = seq
        rows["stage"] = f.stage
        frames.append(rows)
    columns = [
        "checkpoint_id",
        "seq",
        "stage",
        "row",
        *COLUMNS,
    ]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    pairs = list(zip(table["driver"], table["co_driver"], strict=True))
    labels_of = {pair: crew_label(*pair) for pair in set(pairs)}
    keys_of = {pair: crew_name_key(*pair) for pair in labels_of}
    table["crew"] = [labels_of[pair] for pair in pairs]
    table["name_key"] = [keys_of[pair] for pair in pairs]
    crew_ids, identity_warnings = _assign_crews(table) if len(table) else (pd.Series(dtype=str), [])
    table["crew_id"] = crew_ids

    # points, gaps (Int64: missing stays missing)
    for column in ("position", "car_number", "car_year", "points", "points_behind_leader"):
        table[column] = table[column].astype("Int64")
    leader_points = table[table["position"] == 1].groupby("checkpoint_id")["points"].first()
    leader = table["checkpoint_id"].map(leader_points).astype("Int64")
    derived = table["points"].isna() & table["points_behind_leader"].notna() & leader.notna()
    table["points_derived"] = derived
    table["points"] = table["points"].mask(derived, leader - table["points_behind_leader"])
    table["gap_to_leader"] = (leader - table["points"]).fillna(table["points_behind_leader"])
    table.loc[table["position"] == 1, "gap_to_leader"] = table.loc[
        table["position"] == 1, "gap_to_leader"
    ].fillna(0)
    table = table.sort_values(["seq", "position", "crew"], kind="stable").reset_index(drop=True)
    # the crew ahead is the one exactly one position up (the last of them if tied), so crews
    # tied at one position all get the same gap
    ahead = table.drop_duplicates(["seq", "position"], keep="last")[["seq", "position", "points"]]
    ahead = ahead.assign(position=ahead["position"] + 1).rename(columns={"points": "ahead_points"})
    table = table.merge(ahead, on=["seq", "position"], how="left")
    table["gap_to_ahead"] = (table["ahead_points"] - table["points"]).astype("Int64")
    table = table.drop(columns=["ahead_points"])
    previous = table[["seq", "crew_id", "position"]].drop_duplicates(["seq", "crew_id"])
    previous = previous.assign(seq=previous["seq"] + 1).rename(
        columns={"position": "previous_position"}
    )
    table = table.merge(previous, on=["seq", "crew_id"], how="left")
    table["previous_position"] = table["previous_position"].astype("Int64")
    table["position_change"] = (table["previous_position"] - table["position"]).astype("Int64")

    latest = table.sort_values("seq").groupby("crew_id").last()
    crews = pd.DataFrame(
        {
            "crew": latest["crew"] if len(table) else pd.Series(dtype=str),
            "car_number": latest["car_number"] if len(table) else pd.Series(dtype="Int64"),
            "car": table.groupby("crew_id")["car"].agg(
                lambda s: next((c for c in reversed(s.tolist()) if c), "")
            ),
            "car_year": table.groupby("crew_id")["car_year"].max()
            if len(table)
            else pd.Series(dtype="Int64"),
            "best_position": table.groupby("crew_id")["position"].min()
            if len(table)
            else pd.Series(dtype="Int64"),
            "rankings": table.groupby("crew_id").size() if len(table) else pd.Series(dtype=int),
        }
    )

    warnings = identity_warnings + _order_warnings(checkpoints)
    if len(table):
        warnings += _quality_warnings(table, checkpoints)
    for f in files:
        for flag in f.flags:
            warnings.append(
                {
                    "checkpoint_id": f.checkpoint_id,
                    "file": f.name,
                    "kind": "flagged in the file",
                    "message": flag,
                    "crew_id": None,
                }
            )
        for text in f.warnings:
            warnings.append(
                {
                    "checkpoint_id": f.checkpoint_id,
                    "file": f.name,
                    "kind": "file",
                    "message": text,
                    "crew_id": None,
                }
            )
    return Standings(
        checkpoints=checkpoints,
        table=table.drop(columns=["name_key"]),
        crews=crews,
        warnings=pd.DataFrame(warnings, columns=WARNING_COLUMNS),
    )
