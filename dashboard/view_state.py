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
from dashboard.i18n import DEFAULT_LANGUAGE, language
from dashboard.race import Standings, stages_of

MAX_CREWS_IN_CHARTS = 10


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


BIGSCREEN_PANELS = ("map", "top10", "bump", "stage")
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
    """A crew for a search: a car number, else the first crew whose names or car contain it."""
    text = (text or "").strip().lstrip("#").lower()
    if not text:
        return None
    crews = standings.crews
    if text in crews.index:
        return text
    haystack = (crews["crew"].fillna("") + " " + crews["car"].fillna("")).str.lower()
    matches = crews.index[haystack.str.contains(text, regex=False)]
    if len(matches) == 0:
        return None
    best = crews.loc[matches].sort_values("best_position")
    return str(best.index[0])


def crews_in_charts(
    view: View, standings: Standings, limit: int = MAX_CREWS_IN_CHARTS
) -> list[str]:
    """The leaders (top `limit`) at the current checkpoint, plus the selected crew."""
    if view.checkpoint is None:
        return []
    ranking = standings.at(view.checkpoint)
    crews = ranking["crew_id"].head(limit).tolist()
    if view.crew and view.crew not in crews:
        crews.append(view.crew)
    return crews
