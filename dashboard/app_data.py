"""The data one app serves (route, basemap, rankings...), kept on its own Flask server: Dash
Pages calls a page's layout with the address's parameters only, and the layout finds its
app's data here. Several apps in one process (the tests build many) each keep their own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # types only: this module sits below everything it names
    from dashboard.components.map_picture import MapPictures
    from dashboard.config import Config
    from dashboard.data.basemap import Basemap
    from dashboard.data.elevation import ElevationGrid
    from dashboard.data.history import History
    from dashboard.data.profile import Profile
    from dashboard.data.route import RouteData
    from dashboard.data.store import RankingStore
    from dashboard.figures.route_map import RouteTraces
    from dashboard.gazetteer import LazyGazetteer

_EXTENSION = "miglia"
PAGES_LOCATION = "_pages_location"  # the address Dash Pages routes by (in dash.page_container)


@dataclass(frozen=True)
class AppData:
    config: Config
    route: RouteData
    basemap: Basemap
    history: History
    store: RankingStore
    gazetteer: LazyGazetteer
    pictures: MapPictures  # the still pictures of the route map, by stage choice
    elevation: ElevationGrid  # for the altitude profiles
    profiles: Mapping[str, Profile]  # each route's altitude profile, built once per app
    # the route map's traces and fitted view per (stage choice, language), built once per app
    route_traces: Mapping[tuple[str, str], RouteTraces]


def install(server: Flask, data: AppData) -> None:
    server.extensions[_EXTENSION] = data


def current() -> AppData:
    """The data of the app answering the current request."""
    return current_app.extensions[_EXTENSION]
