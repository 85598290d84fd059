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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, TypedDict

import numpy as np
import pandas as pd

from dashboard.data.rankings import COLUMNS, RankingFile
from dashboard.i18n import Moment, Words, refusal, say, texts

# message: the English (for logs and the API); words: the same by key, for each language
# message_it: a file's flag in Italian, as its '# flag_it:' line gives it (else empty)
WARNING_COLUMNS = ["checkpoint_id", "file", "kind", "message", "crew_id", "words", "message_it"]


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
        """The ranking of one checkpoint, by position (the table is kept in that order)."""
        seq = self.checkpoints["seq"].get(checkpoint_id)
        if seq is None:
            return self.table.iloc[0:0]
        bounds = self._bounds()
        return self.table.iloc[bounds[seq] : bounds[seq + 1]]

    def _bounds(self):
        """Row offsets of each checkpoint in the table (sorted by seq), computed once."""
        cached = self.__dict__.get("_row_bounds")
        if cached is None:
            seqs = self.table["seq"].to_numpy()
            cached = np.searchsorted(seqs, np.arange(len(self.checkpoints) + 1), side="left")
            object.__setattr__(self, "_row_bounds", cached)
        return cached

    def crew_rows(self, crew_ids: Iterable[str]) -> np.ndarray:
        """Positions in the table of these crews' rows, in event order (an index built once
        per model)."""
        index = self.__dict__.get("_rows_of_crew")
        if index is None:
            index = self.table.groupby("crew_id", sort=False).indices
            object.__setattr__(self, "_rows_of_crew", index)
        parts = [index[c] for c in crew_ids if c in index]
        return np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.intp)

    def values(self, name: str, rows) -> list:
        """One table column's values at these table positions, as plain Python values with
        missing ones as None: what chart and table builders read row by row."""
        return self.table[name].array[rows].to_numpy(dtype=object, na_value=None).tolist()

    def checkpoints_of(self, stages: Iterable[int] | None) -> pd.DataFrame:
        if stages is None:
            return self.checkpoints
        return self.checkpoints[self.checkpoints["stage"].isin(list(stages))]

    def checkpoint_ids(self, stages: Iterable[int] | None) -> list[str]:
        """The checkpoints of these stages (all when None), in event order; a fresh list,
        from lists built once per model."""
        key = None if stages is None else tuple(stages)
        cache = self.__dict__.setdefault("_checkpoint_ids", {})
        ids = cache.get(key)
        if ids is None:
            ids = cache[key] = self.checkpoints_of(stages)["checkpoint_id"].tolist()
        return list(ids)


# ---- one standings view per request: everything the standings section shows, as plain data


class RankingRow(TypedDict):
    """One crew in a checkpoint's ranking, as the table, the marker and the big screen show it."""

    crew_id: str
    position: int | None
    change: int | None  # places gained since the previous checkpoint
    car_number: int | None
    crew: str
    car: str
    car_year: int | None
    points: int | None
    points_derived: bool  # points worked out from the points behind the leader
    gap: int | None  # points behind the leader
    ahead: int | None  # points behind the crew one place ahead
    selected: bool
    # the name of the ranking the car number was taken from, where this ranking's source does
    # not give it (None: published here)
    car_number_from: str | None
    source: str | None  # this row's own source, where the file names one


@dataclass(frozen=True)
class CheckpointInfo:
    checkpoint_id: str
    label: str
    stage: int
    time: str | None
    place: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CrewLine:
    """One crew through the chart's checkpoints (None where it was not ranked)."""

    crew_id: str
    car_number: int | None
    crew: str
    position: list
    points: list
    gap: list


@dataclass(frozen=True)
class ChartSeries:
    checkpoints: tuple[CheckpointInfo, ...]  # the x axis, in event order
    current: int | None  # index of the shown checkpoint on the x axis
    highlight: str | None  # the selected crew
    lines: tuple[CrewLine, ...]  # the leaders, then the selected crew
    # index of the ranking whose points the gap chart marks: the shown one, or when it has no
    # points the last one before it that has (None: no ranking up to the shown one has points)
    points_from: int | None = None


@dataclass(frozen=True)
class Spelling:
    """One way a crew's names (or its car) were published, and the rankings that used it."""

    text: str
    rankings: tuple[str, ...]


@dataclass(frozen=True)
class CrewCard:
    crew_id: str
    crew: str  # the spelling most rankings published (ties: the one published first)
    car_number: int | None
    car: str
    car_year: int | None
    best_position: int
    here: RankingRow | None  # the crew in the shown ranking (None: not ranked there)
    rankings: tuple[str, ...]  # the labels of every ranking that lists the crew
    sources: tuple[str, ...]
    # every spelling of the crew's names and of its car, the one shown first
    crew_spellings: tuple[Spelling, ...] = ()
    car_spellings: tuple[Spelling, ...] = ()


@dataclass(frozen=True)
class FileNote:
    """A file that is not (or not yet) on screen: refused, or still being written."""

    name: str
    status: str  # "refused" | "waiting"
    message: str = ""  # the English, with the file's name
    using_last_good: bool = False
    # the refusal as RankingError.as_dict() keeps it, for each language (i18n.refusal)
    error: Mapping | None = field(default=None, compare=False)

    def text(self, lang: str) -> str:
        """Why the file was refused, in `lang`, without its name (the note names it)."""
        return refusal(self.error, lang, with_file=False) if self.error else self.message


@dataclass(frozen=True)
class DataWarning:
    kind: str
    message: str  # the English; words (when the warning is ours, not a file's own text) say it
    file: str | None
    words: Words | None = None
    message_it: str | None = None  # a file's flag in the file's own Italian ('# flag_it:')

    def text(self, lang: str) -> str:
        """The warning in `lang`: the file's own Italian, its words, or the text as written."""
        if lang == "it" and self.message_it:
            return self.message_it
        return say(self.words, lang) if self.words is not None else self.message


@dataclass(frozen=True)
class StandingsView:
    version: str
    checkpoint: CheckpointInfo | None
    rows: list[RankingRow]  # the shown ranking, by position
    leader: RankingRow | None
    selected: RankingRow | None
    chart: ChartSeries
    crew: CrewCard | None
    files: tuple[FileNote, ...]
    warnings: tuple[DataWarning, ...]  # those of this ranking and of the whole event
    has_points: bool = True  # the shown ranking has points (a final classification may not)
    # the ranking whose points the charts show instead, when the shown one has none
    points_from: CheckpointInfo | None = None


class ViewOfStandings(Protocol):
    """What a standings view needs of the user's view (view_state.View has it)."""

    stage: str
    checkpoint: str | None
    crew: str | None
    # and lang, the language of its labels, where it has one (English otherwise)


# the checkpoint names the ranking files use in English, and the text of each in texts/*.json
_CHECKPOINT_NAMES = (
    (re.compile(r"end of stage (\d+)", re.I), "checkpoint.end_of_stage"),
    (re.compile(r"after time trial (\d+)", re.I), "checkpoint.after_time_trial"),
    (re.compile(r"final classification", re.I), "checkpoint.final"),
    (
        re.compile(r"end of the (first|second|third|fourth) day( \(intermediate\))?", re.I),
        "checkpoint.end_of_day",
    ),
)
# the column of the checkpoint table that holds a language's checkpoint names
_LABEL_COLUMN = {"it": "label_it"}


def checkpoint_label(name: str, lang: str) -> str:
    """A ranking file's English checkpoint name in a language's words, from the patterns the
    files use ('End of stage 3' -> 'Fine tappa 3'); a name of no known pattern as given."""
    labels = texts(lang)
    for pattern, key in _CHECKPOINT_NAMES:
        match = pattern.fullmatch(name.strip())
        if match is None:
            continue
        if key != "checkpoint.end_of_day":
            return labels[key].format(n=match.group(1) if match.groups() else "")
        return labels[key].format(
            day=labels[f"checkpoint.day.{match.group(1).lower()}"],
            intermediate=labels["checkpoint.intermediate"] if match.group(2) else "",
        )
    return name


def stages_of(stage_choice: str) -> list[int] | None:
    """The 2020 stages whose checkpoints a stage choice shows (None: all of them)."""
    return [int(stage_choice)] if stage_choice in ("1", "2", "3", "4") else None


def crew_tag(car_number, crew: str) -> str:
    """'#46 Vesco': what a chart line or a cue calls a crew."""
    number = f"#{int(car_number)} " if car_number is not None and pd.notna(car_number) else ""
    return f"{number}{short_name(crew)}"


def short_name(crew: str) -> str:
    """'Andrea Vesco / Roberto Vesco' -> 'Vesco'; 'Sergio Sisti / Anna Gualandi' -> 'Sisti/Gualandi'."""
    surnames = [part.split()[-1] for part in crew.split(" / ") if part.split()]
    unique = list(dict.fromkeys(surnames))
    return "/".join(unique) if unique else crew


def _plain(value):
    return None if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else value


def checkpoint_name(ranking: RankingFile, lang: str) -> str:
    """A ranking file's checkpoint name in a language: its '# checkpoint_it:' in Italian when
    it gives one, else checkpoint_label's words."""
    if lang == "it" and ranking.checkpoint_it:
        return ranking.checkpoint_it
    return checkpoint_label(ranking.checkpoint, lang)


def _checkpoint_infos(standings: Standings, checkpoint_ids: Sequence[str], lang: str = "en"):
    info = _checkpoint_info_of(standings, lang)
    return tuple(info[checkpoint_id] for checkpoint_id in checkpoint_ids)


def _checkpoint_info_of(standings: Standings, lang: str) -> dict[str, CheckpointInfo]:
    """Every checkpoint's CheckpointInfo in a language, built once per model (every view
    reads them; pandas row lookups per request cost more than the rest of the view)."""
    cache = standings.__dict__.setdefault("_checkpoint_info", {})
    info = cache.get(lang)
    if info is None:
        label = _LABEL_COLUMN.get(lang, "label")
        columns = ["checkpoint_id", label, "stage", "time", "place", "sources"]
        records = standings.checkpoints[columns].to_dict("records")
        info = cache[lang] = {
            r["checkpoint_id"]: CheckpointInfo(
                checkpoint_id=r["checkpoint_id"],
                label=r[label],
                stage=int(r["stage"]),
                time=_plain(r["time"]) or None,
                place=_plain(r["place"]) or None,
                sources=tuple(r["sources"]),
            )
            for r in records
        }
    return info


_ROW_SOURCE = {
    "crew_id": "crew_id",
    "position": "position",
    "change": "position_change",
    "car_number": "car_number",
    "crew": "crew",
    "car": "car",
    "car_year": "car_year",
    "points": "points",
    "points_derived": "points_derived",
    "gap": "gap_to_leader",
    "ahead": "gap_to_ahead",
    "car_number_from": "car_number_inferred_from",
    "source": "source",
}


def _row_texts(row: dict, names: dict[str, CheckpointInfo] | None) -> dict:
    """A row's optional texts as None where blank; the ranking a car number was taken from by
    its name in the view's language (as written when no such ranking is loaded)."""
    row["source"] = row["source"] or None
    taken_from = row["car_number_from"] or None
    if taken_from is not None and names is not None and taken_from in names:
        taken_from = names[taken_from].label
    row["car_number_from"] = taken_from
    return row


def ranking_rows(
    ranking: pd.DataFrame,
    selected: str | None = None,
    names: dict[str, CheckpointInfo] | None = None,
) -> list[RankingRow]:
    """A checkpoint's ranking (Standings.at) as plain rows, by position; names: the
    checkpoints by id (_checkpoint_info_of), to name the ranking a car number was taken from."""
    na = pd.NA
    columns = [
        [None if v is na else v for v in ranking[name].tolist()] for name in _ROW_SOURCE.values()
    ]
    keys = list(_ROW_SOURCE)
    rows = []
    for values in zip(*columns, strict=True):
        row = dict(zip(keys, values, strict=True))
        row["points_derived"] = bool(row["points_derived"])
        row["selected"] = row["crew_id"] == selected
        rows.append(_row_texts(row, names))
    return rows


def shown_ranking(
    standings: Standings, checkpoint_id: str, lang: str = "en", selected: str | None = None
) -> list[RankingRow]:
    """The table's rows of one checkpoint's ranking in a language, by position: the same for
    every view of that ranking but for `selected` (the browser draws the selection)."""
    names = _checkpoint_info_of(standings, lang)
    return ranking_rows(standings.at(checkpoint_id), selected, names)


def chart_crews(rows: list[RankingRow], selected: str | None, limit: int) -> list[str]:
    """The crews the charts draw: the leaders of the shown ranking, plus the selected crew."""
    crews = [row["crew_id"] for row in rows[:limit]]
    if selected and selected not in crews:
        crews.append(selected)
    return crews


def crew_series(
    standings: Standings, checkpoint_ids: Sequence[str], crew_ids: Iterable[str]
) -> dict[str, dict]:
    """Per crew ranked inside these checkpoints, its position, points and gap_to_leader at each
    of them (None where it was not ranked): one pass over the crews' rows as plain values."""
    x_of = {cid: i for i, cid in enumerate(checkpoint_ids)}
    n = len(checkpoint_ids)
    rows = standings.crew_rows(crew_ids)
    crews = standings.values("crew_id", rows)
    xs = [x_of.get(c) for c in standings.values("checkpoint_id", rows)]
    fields = ("position", "points", "gap_to_leader")
    values: dict[str, dict] = {c: {f: [None] * n for f in fields} for c in dict.fromkeys(crews)}
    for f in fields:
        for crew_id, x, value in zip(crews, xs, standings.values(f, rows), strict=True):
            if x is not None:  # None: a checkpoint outside the chart (another stage)
                values[crew_id][f][x] = value
    return {c: v for c, v in values.items() if any(p is not None for p in v["position"])}


def with_points(standings: Standings) -> np.ndarray:
    """Per checkpoint (by seq), whether its ranking gives any crew's points (built once per
    model): a final classification may give positions only."""
    cached = standings.__dict__.get("_with_points")
    if cached is None:
        known = standings.table["points"].notna().to_numpy()
        seqs = standings.table["seq"].to_numpy(dtype=np.int64)[known]
        cached = np.bincount(seqs, minlength=len(standings.checkpoints)) > 0
        object.__setattr__(standings, "_with_points", cached)
    return cached


def points_checkpoint(
    standings: Standings, checkpoint_ids: Sequence[str], current: str | None
) -> str | None:
    """The ranking whose points stand for the current one's: itself when it has points, else
    the last one before it (among these checkpoints) that has; None when none has."""
    if current not in checkpoint_ids:
        return None
    has = with_points(standings)
    seq_of = standings.checkpoints["seq"]
    upto = checkpoint_ids[: list(checkpoint_ids).index(current) + 1]
    return next((c for c in reversed(upto) if has[seq_of[c]]), None)


def chart_series(
    standings: Standings,
    checkpoint_ids: list[str],
    crew_ids: list[str],
    current: str | None,
    highlight: str | None,
    lang: str = "en",
) -> ChartSeries:
    """The chosen crews' lines through these checkpoints, in the order asked for."""
    series = crew_series(standings, checkpoint_ids, crew_ids)
    lines = []
    for crew_id in crew_ids:
        if crew_id not in series:
            continue  # no ranking of this crew inside the chart: no line
        info = _crew_info_of(standings)[crew_id]
        lines.append(
            CrewLine(
                crew_id=crew_id,
                car_number=info["car_number"],
                crew=info["crew"],
                position=series[crew_id]["position"],
                points=series[crew_id]["points"],
                gap=series[crew_id]["gap_to_leader"],
            )
        )
    points_from = points_checkpoint(standings, checkpoint_ids, current)
    return ChartSeries(
        checkpoints=_checkpoint_infos(standings, checkpoint_ids, lang),
        current=checkpoint_ids.index(current) if current in checkpoint_ids else None,
        highlight=highlight,
        lines=tuple(lines),
        points_from=None if points_from is None else checkpoint_ids.index(points_from),
    )


def crew_card(
    standings: Standings, crew_id: str | None, checkpoint_id: str | None, lang: str = "en"
):
    """The crew's facts, its figures in the shown ranking and every ranking that lists it."""
    crew = _crew_info_of(standings).get(crew_id) if crew_id is not None else None
    if crew is None:
        return None
    rows = standings.crew_rows([crew_id])
    ranked_ids = standings.values("checkpoint_id", rows)
    here = None
    names = _checkpoint_info_of(standings, lang)
    if checkpoint_id in ranked_ids:
        at = rows[ranked_ids.index(checkpoint_id)]
        here = {key: standings.values(name, [at])[0] for key, name in _ROW_SOURCE.items()}
        here["points_derived"] = bool(here["points_derived"])
        here["selected"] = True
        here = _row_texts(here, names)
    ranked_at = _checkpoint_infos(standings, ranked_ids, lang)
    # a row's own source stands for its ranking's sources
    row_sources = standings.values("source", rows)
    sources = [
        source
        for info, own in zip(ranked_at, row_sources, strict=True)
        for source in ((own,) if own else info.sources)
    ]
    labels = [info.label for info in ranked_at]
    return CrewCard(
        crew_id=crew_id,
        crew=crew["crew"],
        car_number=crew["car_number"],
        car=crew["car"],
        car_year=crew["car_year"],
        best_position=int(crew["best_position"]),
        here=here,
        rankings=tuple(labels),
        sources=tuple(dict.fromkeys(sources)),
        crew_spellings=_spellings(standings.values("crew", rows), labels, crew["crew"]),
        car_spellings=_spellings(standings.values("car", rows), labels, crew["car"]),
    )


def _spellings(texts_: list, labels: list[str], shown: str) -> tuple[Spelling, ...]:
    """Each distinct spelling with the rankings that published it, the shown one first, then
    by first publication."""
    by_text: dict[str, list[str]] = {}
    for text, label in zip(texts_, labels, strict=True):
        if text:
            by_text.setdefault(text, []).append(label)
    order = sorted(by_text, key=lambda text: text != shown)  # stable: first publication
    return tuple(Spelling(text, tuple(by_text[text])) for text in order)


def _crew_info_of(standings: Standings) -> dict[str, dict]:
    """Each crew's name, car number, car, year and best position as plain values, built once
    per model (looked up for every line and card of every view)."""
    info = standings.__dict__.get("_crew_info")
    if info is None:
        columns = ["crew", "car_number", "car", "car_year", "best_position"]
        frame = standings.crews[columns]
        info = {
            crew_id: {c: _plain(v) for c, v in zip(columns, values, strict=True)}
            for crew_id, values in zip(frame.index, frame.itertuples(index=False), strict=True)
        }
        object.__setattr__(standings, "_crew_info", info)
    return info


def file_notes(files) -> tuple[FileNote, ...]:
    notes = []
    for f in files:
        if f.status == "refused":
            notes.append(
                FileNote(f.name, "refused", f.error["message"], f.using_last_good, f.error)
            )
        elif f.status == "waiting":
            notes.append(FileNote(f.name, "waiting"))
    return tuple(notes)


def warnings_of(standings: Standings, checkpoint_id: str | None) -> tuple[DataWarning, ...]:
    """The warnings of the whole event, then those of this checkpoint (grouped once per model)."""
    by_checkpoint = standings.__dict__.get("_warnings_by_checkpoint")
    if by_checkpoint is None:
        by_checkpoint = {}
        for row in standings.warnings.itertuples():
            where = _plain(row.checkpoint_id)
            words = row.words if isinstance(row.words, Words) else None
            italian = row.message_it if isinstance(row.message_it, str) else None
            warning = DataWarning(row.kind, row.message, _plain(row.file) or None, words, italian)
            by_checkpoint.setdefault(where, []).append((row.Index, warning))
        object.__setattr__(standings, "_warnings_by_checkpoint", by_checkpoint)
    mine = by_checkpoint.get(None, []) + (
        by_checkpoint.get(checkpoint_id, []) if checkpoint_id is not None else []
    )
    return tuple(warning for _, warning in sorted(mine, key=lambda pair: pair[0]))


def standings_view(snapshot, view: ViewOfStandings, chart_limit: int = 10) -> StandingsView:
    """Everything the standings section shows for one view of one snapshot: the table, the
    charts, the crew card, the marker's figures and the notes all come from these rows."""
    standings: Standings = snapshot.standings
    in_view = standings.checkpoint_ids(stages_of(view.stage))
    checkpoint = view.checkpoint if view.checkpoint in in_view else None
    lang = getattr(view, "lang", "en")
    rows = shown_ranking(standings, checkpoint, lang, view.crew) if checkpoint else []
    selected = next((row for row in rows if row["crew_id"] == view.crew), None)
    leader = next((row for row in rows if row["position"] == 1), None)
    card = crew_card(standings, view.crew, checkpoint, lang)
    chart = chart_series(
        standings, in_view, chart_crews(rows, view.crew, chart_limit), checkpoint, view.crew, lang
    )
    has_points = chart.points_from is not None and chart.points_from == chart.current
    return StandingsView(
        version=snapshot.version,
        checkpoint=_checkpoint_infos(standings, [checkpoint], lang)[0] if checkpoint else None,
        rows=rows,
        leader=leader,
        selected=selected,
        chart=chart,
        crew=card,
        files=file_notes(snapshot.files),
        warnings=warnings_of(standings, checkpoint),
        has_points=has_points or checkpoint is None,
        points_from=None
        if has_points or chart.points_from is None
        else chart.checkpoints[chart.points_from],
    )


@dataclass(frozen=True)
class RankingCues:
    """What a commentator reads out when a ranking comes in, against the ranking before it."""

    checkpoint: CheckpointInfo
    new_leader: RankingRow | None  # the leader, when another crew led the ranking before
    gainers: tuple[RankingRow, ...]  # most places gained, the biggest first
    losers: tuple[RankingRow, ...]  # most places lost, the biggest first
    # crews ranked in both rankings (a partial ranking says nothing of those it leaves out)
    entered_top: tuple[RankingRow, ...]  # in the top ten now, below it before
    left_top: tuple[RankingRow, ...]  # in the top ten before (as it was then), below it now


def ranking_cues(
    standings: Standings,
    checkpoint_id: str | None,
    movers: int = 3,
    top: int = 10,
    lang: str = "en",
) -> RankingCues | None:
    """The cues of a ranking: a new leader, the biggest movers, who entered or left the top."""
    seq = standings.checkpoints["seq"].get(checkpoint_id) if checkpoint_id else None
    if seq is None:
        return None
    rows = ranking_rows(standings.at(checkpoint_id))
    before = ranking_rows(standings.at(standings.checkpoints.index[seq - 1])) if seq else []
    leader = next((row for row in rows if row["position"] == 1), None)
    leaders_before = {row["crew_id"] for row in before if row["position"] == 1}
    moved = [row for row in rows if row["change"]]

    def in_top(row: RankingRow) -> bool:
        return row["position"] is not None and row["position"] <= top

    top_now = {row["crew_id"] for row in rows if in_top(row)}
    top_before = {row["crew_id"] for row in before if in_top(row)}
    ranked_now = {row["crew_id"] for row in rows}
    ranked_before = {row["crew_id"] for row in before}
    return RankingCues(
        checkpoint=_checkpoint_infos(standings, [checkpoint_id], lang)[0],
        new_leader=leader
        if leader and leaders_before and leader["crew_id"] not in leaders_before
        else None,
        gainers=tuple(sorted((r for r in moved if r["change"] > 0), key=lambda r: -r["change"]))[
            :movers
        ],
        losers=tuple(sorted((r for r in moved if r["change"] < 0), key=lambda r: r["change"]))[
            :movers
        ],
        entered_top=tuple(r for r in rows if r["crew_id"] in top_now & ranked_before - top_before),
        left_top=tuple(r for r in before if r["crew_id"] in top_before & ranked_now - top_now),
    )


def _warning(
    kind: str,
    words: Words,
    checkpoint_id: str | None = None,
    file: str | None = None,
    crew_id: str | None = None,
) -> dict:
    """One warning row: its words, and their English as the message (for logs and the API)."""
    return {
        "checkpoint_id": checkpoint_id,
        "file": file,
        "kind": kind,
        "message": say(words, "en"),
        "crew_id": crew_id,
        "words": words,
    }


def _identity_pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """The distinct (name_key, car_number) pairs in order of first appearance, with the crew
    label of that first appearance: a few hundred rows for a whole event."""
    return rows[["name_key", "car_number", "crew"]].drop_duplicates(["name_key", "car_number"])


def _identity_rules(identities: pd.DataFrame) -> tuple[dict, list[dict]]:
    """name_key -> the one car number it has (where it has exactly one), and the identity
    warnings (a crew with two car numbers, a car number with two crews). Vectorised: only
    the rare conflicting names and numbers are visited one by one."""
    warnings: list[dict] = []
    numbered = identities.dropna(subset=["car_number"])
    several = numbered.duplicated("name_key", keep=False)
    for key, group in numbered[several].groupby("name_key", sort=True):
        if not key:
            continue
        label = identities["crew"].iloc[int((identities["name_key"] == key).to_numpy().argmax())]
        numbers = [str(n) for n in sorted(group["car_number"].tolist())]
        warnings.append(
            _warning(
                "crew with two car numbers",
                Words("warning.says.two_car_numbers", {"crew": label, "numbers": numbers}),
            )
        )
    named = numbered[numbered["name_key"] != ""]
    shared = named[named.duplicated("car_number", keep=False)]
    for number, group in shared.groupby("car_number", sort=True):
        words = Words("warning.says.two_crews", {"car": str(number), "crews": list(group["crew"])})
        warnings.append(_warning("car number with two crews", words, crew_id=str(number)))
    one = numbered[~several]
    single = dict(
        zip(
            one["name_key"].tolist(), (str(int(n)) for n in one["car_number"].tolist()), strict=True
        )
    )
    return single, warnings


def _crew_ids(rows: pd.DataFrame, crew_of_name: dict) -> pd.Series:
    """crew_id per row: the car number where given; else the one number this crew's names have
    elsewhere; else the names themselves."""
    by_name = rows["name_key"].map(crew_of_name).astype(object)
    by_name = by_name.where(by_name.notna(), "crew:" + rows["name_key"].astype(object))
    numbers = rows["car_number"].astype("Int64")
    by_number = numbers.astype(str).where(numbers.notna(), None)
    return by_number.fillna(by_name).astype(str)


def _quality_warnings(table: pd.DataFrame, checkpoints: pd.DataFrame) -> list[dict]:
    """Vectorised over the whole table: only flagged rows are visited in Python."""
    warnings: list[dict] = []
    file_of = checkpoints["file"]
    ranked = table.sort_values(["seq", "position"], kind="stable")

    duplicated = ranked[ranked.duplicated(["seq", "position"], keep=False)]
    for (checkpoint_id, position), group in duplicated.groupby(["checkpoint_id", "position"]):
        words = Words(
            "warning.says.duplicate_position",
            {"position": str(position), "count": len(group), "crews": list(group["crew"])},
        )
        warnings.append(
            _warning("duplicate position", words, checkpoint_id, file_of[checkpoint_id])
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
        words = Words(
            "warning.says.points_order",
            {
                "position": str(row.position),
                "crew": row.crew,
                "points": int(row.points),
                "above": str(int(above)),
                "above_points": int(low),
            },
        )
        warnings.append(
            _warning(
                "positions do not match points",
                words,
                row.checkpoint_id,
                file_of[row.checkpoint_id],
                row.crew_id,
            )
        )

    by_time = known.sort_values("seq", kind="stable")
    earlier_points = by_time.groupby("crew_id")["points"].shift(1)
    drops = by_time[(by_time["points"] < earlier_points).fillna(False)]
    for row in drops.itertuples():
        words = Words("warning.says.points_down", {"crew": row.crew, "points": int(row.points)})
        warnings.append(
            _warning(
                "points went down",
                words,
                row.checkpoint_id,
                file_of[row.checkpoint_id],
                row.crew_id,
            )
        )
    return warnings


def _order_warnings(checkpoints: pd.DataFrame) -> list[dict]:
    warnings = []
    for order, group in checkpoints[checkpoints["order"].duplicated(keep=False)].groupby("order"):
        words = Words(
            "warning.says.same_order",
            {"count": len(group), "order": int(order), "files": list(group["file"])},
        )
        warnings.append(_warning("checkpoint out of order", words, file=", ".join(group["file"])))
    previous = None
    for row in checkpoints[["checkpoint_id", "stage", "time", "file"]].to_dict("records"):
        checkpoint_id = row["checkpoint_id"]
        if previous is not None:
            if row["stage"] < previous["stage"]:
                words = Words(
                    "warning.says.stage_order",
                    {
                        "stage": str(row["stage"]),
                        "before": str(previous["stage"]),
                        "file": previous["file"],
                    },
                )
                warnings.append(
                    _warning("checkpoint out of order", words, checkpoint_id, row["file"])
                )
            if row["time"] and previous["time"] and str(row["time"]) < str(previous["time"]):
                words = Words(
                    "warning.says.time_order",
                    {
                        "time": Moment(str(row["time"])),
                        "before": Moment(str(previous["time"])),
                        "file": previous["file"],
                    },
                )
                warnings.append(
                    _warning("checkpoint out of order", words, checkpoint_id, row["file"])
                )
        previous = row
    return warnings


def empty_standings() -> Standings:
    return build_standings([])


def _checkpoint_rows(files: list[RankingFile]) -> pd.DataFrame:
    """The files' rows as one frame, with checkpoint, seq, stage, crew label and name key."""
    if not files:
        columns = ["checkpoint_id", "seq", "stage", "row", *COLUMNS, "crew", "name_key"]
        return pd.DataFrame(columns=columns)
    lengths = [len(f.rows) for f in files]
    table = pd.concat([f.rows for f in files], ignore_index=True)
    table.insert(0, "stage", np.repeat([f.stage for f in files], lengths))
    table.insert(0, "seq", np.repeat(np.arange(len(files)), lengths))
    table.insert(0, "checkpoint_id", np.repeat([f.checkpoint_id for f in files], lengths))
    pairs = list(
        zip(
            table["driver"].to_numpy(dtype=object),
            table["co_driver"].to_numpy(dtype=object),
            strict=True,
        )
    )
    labels_of = {pair: crew_label(*pair) for pair in set(pairs)}
    keys_of = {pair: crew_name_key(*pair) for pair in labels_of}
    table["crew"] = [labels_of[pair] for pair in pairs]
    table["name_key"] = [keys_of[pair] for pair in pairs]
    return table


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Points, gaps and position changes of rows that carry crew_id (Int64: missing stays
    missing)."""
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
    # joins on integer keys (seq and position, seq and crew): maps, not merges
    seq = table["seq"].to_numpy(dtype=np.int64)
    position = table["position"].to_numpy(dtype=np.float64, na_value=np.nan)
    # the crew ahead is the one exactly one position up (the last of them if tied), so crews
    # tied at one position all get the same gap
    span = int(np.nanmax(position, initial=0)) + 2
    at_position = pd.Series(seq * span + np.nan_to_num(position, nan=-1), dtype=np.int64)
    points_at = pd.Series(table["points"].to_numpy(), index=at_position)
    points_at = points_at[~points_at.index.duplicated(keep="last")]
    ahead_points = (at_position - 1).map(points_at).astype("Int64")
    ahead_points[np.isnan(position)] = pd.NA
    table["gap_to_ahead"] = (ahead_points - table["points"]).astype("Int64")
    crew_code, crews = pd.factorize(table["crew_id"])
    at_crew = pd.Series(seq * len(crews) + crew_code, dtype=np.int64)
    first_position = pd.Series(table["position"].to_numpy(), index=at_crew)
    first_position = first_position[~first_position.index.duplicated(keep="first")]
    table["previous_position"] = (at_crew - len(crews)).map(first_position).astype("Int64")
    table["position_change"] = (table["previous_position"] - table["position"]).astype("Int64")
    return table


def most_published(rows: pd.DataFrame, column: str) -> pd.Series:
    """Per crew, the spelling of `column` that most of its rankings published; a tie goes to
    the one published first (a later ranking never renames a crew on a tie). Blank ones are
    left out. rows: sorted by seq."""
    known = rows.loc[rows[column].fillna("") != "", ["crew_id", column, "seq"]]
    counted = known.groupby(["crew_id", column], sort=False).agg(
        times=("seq", "size"), first=("seq", "min")
    )
    counted = counted.reset_index().sort_values(
        ["crew_id", "times", "first"], ascending=[True, False, True], kind="stable"
    )
    return counted.drop_duplicates("crew_id").set_index("crew_id")[column]


def _crews(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per crew, from rows sorted by seq: the most published name and car
    (most_published), the latest number, the best position and the number of rankings."""
    if not len(rows):
        return pd.DataFrame(
            {
                "crew": pd.Series(dtype=str),
                "car_number": pd.Series(dtype="Int64"),
                "car": pd.Series(dtype=str),
                "car_year": pd.Series(dtype="Int64"),
                "best_position": pd.Series(dtype="Int64"),
                "rankings": pd.Series(dtype=int),
                "spellings": pd.Series(dtype=str),
            }
        )

    def latest(frame: pd.DataFrame, column: str) -> pd.Series:
        return frame.drop_duplicates("crew_id", keep="last").set_index("crew_id")[column]

    by_crew = rows.groupby("crew_id", sort=True)
    crews = pd.DataFrame(
        {
            "crew": most_published(rows, "crew"),
            "car_number": latest(rows.dropna(subset=["car_number"]), "car_number"),
            "car": most_published(rows, "car"),
            "car_year": by_crew["car_year"].max(),
            "best_position": by_crew["position"].min(),
            "rankings": by_crew.size(),
        }
    )
    crews["car"] = crews["car"].fillna("")
    crews["crew"] = crews["crew"].fillna("")  # a crew known by its car number only
    # every published spelling of the names and the car, so a search finds any of them
    texts_ = pd.concat(
        [rows[["crew_id", "crew"]], rows[["crew_id", "car"]].set_axis(["crew_id", "crew"], axis=1)]
    )
    texts_ = texts_[texts_["crew"].fillna("") != ""].drop_duplicates()
    crews["spellings"] = texts_.groupby("crew_id")["crew"].agg(" · ".join)
    crews["spellings"] = crews["spellings"].fillna("")
    return crews


def _checkpoint_table(files: list[RankingFile]) -> pd.DataFrame:
    checkpoints = pd.DataFrame(
        [
            {
                "checkpoint_id": f.checkpoint_id,
                "label": f.checkpoint,
                "label_it": f.checkpoint_it or checkpoint_label(f.checkpoint, "it"),
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
            "label_it",
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
    return checkpoints


def _file_warnings(files: Iterable[RankingFile]) -> list[dict]:
    warnings = []
    for f in files:
        for flag, italian in zip(f.flags, f.flags_it or [None] * len(f.flags), strict=True):
            warnings.append(
                {
                    "checkpoint_id": f.checkpoint_id,
                    "file": f.name,
                    "kind": "flagged in the file",
                    "message": flag,
                    "crew_id": None,
                    # the editor's own words: in Italian, its translation, else said to be
                    # the file's text as written (the page does not silently mix languages)
                    "words": None
                    if italian
                    else Words("warning.says.flag_as_written", {"text": flag}),
                    "message_it": italian,
                }
            )
        words = f.warning_words if len(f.warning_words) == len(f.warnings) else ()
        for index, text in enumerate(f.warnings):
            warnings.append(
                {
                    "checkpoint_id": f.checkpoint_id,
                    "file": f.name,
                    "kind": "file",
                    "message": text,
                    "crew_id": None,
                    "words": words[index] if words else None,
                }
            )
    return warnings


def _by_checkpoint(warnings: list[dict], checkpoints: pd.DataFrame) -> list[dict]:
    """Warnings in event order of their checkpoints (stable within one checkpoint)."""
    seq_of = dict(zip(checkpoints["checkpoint_id"], checkpoints["seq"], strict=True))
    return sorted(warnings, key=lambda w: seq_of[w["checkpoint_id"]])


def _event_order(f: RankingFile) -> tuple:
    return (f.order, f.stage, f.name)


# text columns that repeat a few values over every ranking: kept as categorical codes (at
# 1,000 crews x 200 rankings the table shrinks by about half; docs/performance.md)
CODED_COLUMNS = (
    "checkpoint_id",
    "crew_id",
    "crew",
    "driver",
    "co_driver",
    "car",
    "car_number_inferred_from",
    "source",
)


def _coded(table: pd.DataFrame) -> pd.DataFrame:
    for name in CODED_COLUMNS:
        if name in table:
            table[name] = table[name].astype("category")
    return table


def build_standings(files: Iterable[RankingFile]) -> Standings:
    """The one standings model, from the accepted ranking files (built once per snapshot)."""
    files = sorted(files, key=_event_order)
    checkpoints = _checkpoint_table(files)
    table = _checkpoint_rows(files)
    crew_of_name, identity_warnings = _identity_rules(_identity_pairs(table))
    table["crew_id"] = _crew_ids(table, crew_of_name)
    table = _ranked(table)
    warnings = (
        identity_warnings
        + _order_warnings(checkpoints)
        + _by_checkpoint(_quality_warnings(table, checkpoints), checkpoints)
        + _file_warnings(files)
    )
    return Standings(
        checkpoints=checkpoints,
        table=_coded(table.drop(columns=["name_key"])),
        crews=_crews(table),
        warnings=pd.DataFrame(warnings, columns=WARNING_COLUMNS),
    )
