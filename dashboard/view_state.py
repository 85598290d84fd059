"""What the user is looking at: stage, checkpoint, crew and language, and how user actions
change it. Pure functions of (view, event, standings): the callbacks only unpack and call.

The view lives in the browser (a dcc.Store, mirrored in the page address), never on the
server, so any worker can answer any request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from urllib.parse import parse_qs, urlencode

from dashboard.data.route import ALL_2020, STAGE_CHOICES
from dashboard.data.store import Snapshot
from dashboard.i18n import DEFAULT_LANGUAGE, language
from dashboard.race import Standings, stages_of


@dataclass(frozen=True)
class View:
    stage: str = ALL_2020
    checkpoint: str | None = None
    crew: str | None = None
    lang: str = DEFAULT_LANGUAGE
    playing: bool = False
    version: str = ""
    latest: str | None = None  # the newest checkpoint of the chosen stage when last shown
    nav: str = ""  # the last page address (query) navigated to and applied
    town: str | None = None  # what the fan asked for in "when do the cars pass my town?"
    not_found: str | None = None  # a crew search that matched no crew (until the next event)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> View:
        data = data or {}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def search(self) -> str:
        """The page address's query for this view (defaults left out)."""
        params = {}
        if self.stage != ALL_2020:
            params["stage"] = self.stage
        if self.checkpoint and self.checkpoint != self.latest:  # the latest: follow new data
            params["checkpoint"] = self.checkpoint
        if self.crew:
            params["crew"] = self.crew
        if self.town:
            params["town"] = self.town
        if self.lang != DEFAULT_LANGUAGE:
            params["lang"] = self.lang
        return "?" + urlencode(params) if params else ""


# ---- the page address: one parser for every page


BIGSCREEN_PANELS = ("map", "top10", "bump", "stage", "profile")
BIGSCREEN_PERIOD_S = 15.0
_PERIOD_RANGE_S = (2.0, 600.0)


@dataclass(frozen=True)
class Address:
    """Every parameter a page address may carry, typed and checked (each page reads its own);
    anything missing or not understood is the default."""

    stage: str = ALL_2020
    checkpoint: str | None = None
    crew: str | None = None
    town: str | None = None
    lang: str = DEFAULT_LANGUAGE
    panels: tuple[str, ...] = BIGSCREEN_PANELS  # the big screen's panels, in rotation order
    period: float = BIGSCREEN_PERIOD_S  # the big screen's seconds per panel


def parse_address(query: str | Mapping[str, str | Sequence[str]] | None) -> Address:
    """The address's parameters from its query string ("?stage=3&lang=it"), or from the
    mapping Dash Pages passes a layout (a repeated parameter as a list: the first counts)."""
    if query is None or isinstance(query, str):
        query = parse_qs((query or "").lstrip("?"), keep_blank_values=True)

    def first(key: str, limit: int = 200) -> str | None:
        value = query.get(key)
        if value is not None and not isinstance(value, str):
            value = next(iter(value), None)
        return str(value)[:limit] if value else None

    stage = first("stage")
    panels = [p for p in (first("panels") or "").split(",") if p in BIGSCREEN_PANELS]
    return Address(
        stage=stage if stage in STAGE_CHOICES else ALL_2020,
        checkpoint=first("checkpoint"),
        crew=first("crew"),
        town=first("town", 80),
        lang=language(first("lang")),
        panels=tuple(dict.fromkeys(panels)) or BIGSCREEN_PANELS,
        period=_period(first("period")),
    )


def _period(text: str | None) -> float:
    try:
        seconds = float(text) if text else BIGSCREEN_PERIOD_S
    except ValueError:
        return BIGSCREEN_PERIOD_S
    if not math.isfinite(seconds):  # "nan", "inf": not a rhythm
        return BIGSCREEN_PERIOD_S
    return min(max(seconds, _PERIOD_RANGE_S[0]), _PERIOD_RANGE_S[1])


def view_from_search(search: str | Mapping[str, str | Sequence[str]] | None) -> View:
    """The fans' page's view of an address."""
    address = parse_address(search)
    return View(
        stage=address.stage,
        checkpoint=address.checkpoint,
        crew=address.crew,
        town=address.town,
        lang=address.lang,
    )


def checkpoints_in_view(view: View, standings: Standings) -> list[str]:
    return standings.checkpoint_ids(stages_of(view.stage))


def resolve(view: View, standings: Standings) -> View:
    """A view that exists in these standings: a checkpoint of the chosen stage (the latest by
    default or when the chosen one is gone) and a crew that exists (else none)."""
    ids = checkpoints_in_view(view, standings)
    checkpoint = view.checkpoint if view.checkpoint in ids else (ids[-1] if ids else None)
    crew = view.crew if view.crew in standings.crews.index else None
    return replace(view, checkpoint=checkpoint, crew=crew, latest=ids[-1] if ids else None)


def after_data_change(view: View, standings: Standings, version: str) -> View:
    """New data: someone watching the latest ranking follows on to the newest one; anyone
    else keeps their ranking (and everyone keeps their stage and crew)."""
    ids = checkpoints_in_view(view, standings)
    if ids and (view.checkpoint is None or view.checkpoint == view.latest):
        view = replace(view, checkpoint=ids[-1])
    return replace(resolve(view, standings), version=version)


def step(view: View, standings: Standings, delta: int) -> View:
    """Move the scrubber by delta checkpoints; playing stops at the last one."""
    ids = checkpoints_in_view(view, standings)
    if not ids:
        return replace(view, playing=False)
    index = ids.index(view.checkpoint) if view.checkpoint in ids else len(ids) - 1
    new_index = min(max(index + delta, 0), len(ids) - 1)
    playing = view.playing and new_index < len(ids) - 1
    return replace(view, checkpoint=ids[new_index], playing=playing)


def find_crew(standings: Standings, text: str) -> str | None:
    """A crew for a search: a car number, else the first crew whose names or car, in any
    published spelling, contain it."""
    text = (text or "").strip().lstrip("#").lower()
    if not text:
        return None
    crews = standings.crews
    if text in crews.index:
        return text
    haystack = crews["spellings"].fillna("").str.lower()  # every published spelling
    matches = crews.index[haystack.str.contains(text, regex=False)]
    if len(matches) == 0:
        return None
    best = crews.loc[matches].sort_values("best_position")
    return str(best.index[0])


# ---- the reducer: one user action or data change -> the next view

EVENT_KINDS = (
    "address",  # the page address was opened or changed (value: its query string)
    "new_data",  # the published data changed (the snapshot carries the version)
    "stage",  # a stage picked on the map (value: the stage choice)
    "crew",  # a crew picked by its table row or its chart line (value: crew id or None)
    "search",  # the crew search submitted (value: the text)
    "clear",  # the selected crew cleared
    "scrubber",  # the scrubber moved (value: the index of the checkpoint in view)
    "play",  # play or pause pressed
    "previous",
    "next",
    "tick",  # the play timer
    "town",  # "when do the cars pass my town?" asked (value: the text)
)


@dataclass(frozen=True)
class Event:
    kind: str
    value: object = None

    def __post_init__(self):
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown view event {self.kind!r}")


def apply(view: View, event: Event, snapshot: Snapshot) -> View:
    """The view after one event, in a snapshot of the data. Newer data is taken in first,
    whatever the event (several inputs may have changed since the browser last asked)."""
    standings = snapshot.standings
    view = replace(view, not_found=None)
    if snapshot.version != view.version:
        view = after_data_change(view, standings, snapshot.version)
    handle = _HANDLERS.get(event.kind)
    if handle is not None:
        view = handle(view, event.value, standings)
    return resolve(replace(view, version=snapshot.version), standings)


def _opened(view: View, search, _standings: Standings) -> View:
    """A stage link, Back or Forward: the address's view, keeping the crew, town and language
    it does not name. The same address again changes nothing."""
    search = search or ""
    if search == view.nav:
        return view
    linked = view_from_search(search)
    return View(
        stage=linked.stage,
        checkpoint=linked.checkpoint,
        crew=linked.crew or view.crew,
        town=linked.town or view.town,
        lang=view.lang,
        version=view.version,
        nav=search,
    )


def _stage(view: View, choice, _standings: Standings) -> View:
    if choice not in STAGE_CHOICES or choice == view.stage:
        return view
    return replace(view, stage=choice, checkpoint=None)


def _crew(view: View, crew_id, _standings: Standings) -> View:
    return replace(view, crew=crew_id) if crew_id else view


def _search(view: View, text, standings: Standings) -> View:
    crew = find_crew(standings, str(text or ""))
    if crew is None:
        return replace(view, not_found=str(text or "")[:60])
    return replace(view, crew=crew)


def _scrubber(view: View, index, standings: Standings) -> View:
    in_view = checkpoints_in_view(view, standings)
    if isinstance(index, int) and 0 <= index < len(in_view):
        return replace(view, checkpoint=in_view[index], playing=False)
    return view


def _play(view: View, _value, standings: Standings) -> View:
    """Pause, or play from the shown ranking (from the first when at the last one)."""
    if view.playing:
        return replace(view, playing=False)
    in_view = checkpoints_in_view(view, standings)
    if not in_view:
        return view
    start = in_view[0] if view.checkpoint in (None, in_view[-1]) else view.checkpoint
    return replace(view, playing=True, checkpoint=start)


def _tick(view: View, _value, standings: Standings) -> View:
    return step(view, standings, 1) if view.playing else view


def _town(view: View, text, _standings: Standings) -> View:
    return replace(view, town=str(text or "").strip()[:80] or None)


_HANDLERS = {
    "address": _opened,
    "stage": _stage,
    "crew": _crew,
    "search": _search,
    "clear": lambda view, _value, _standings: replace(view, crew=None),
    "scrubber": _scrubber,
    "play": _play,
    "previous": lambda view, _value, standings: step(replace(view, playing=False), standings, -1),
    "next": lambda view, _value, standings: step(replace(view, playing=False), standings, 1),
    "tick": _tick,
    "town": _town,
}
