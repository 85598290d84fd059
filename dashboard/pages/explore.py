"""The fans' page: the route map, the stage picker and the stage card."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, dcc, html

from dashboard import ids
from dashboard.components.stage_card import stage_card
from dashboard.components.stage_picker import stage_picker, stage_picker_links
from dashboard.data.basemap import Basemap
from dashboard.data.route import RouteData, route_summary
from dashboard.figures.route_map import route_map, route_traces
from dashboard.i18n import texts
from dashboard.urls import parse_search

GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"filename": "1000-miglia-route"},
}


def layout(choice: str, lang: str, route: RouteData, basemap: Basemap) -> html.Div:
    labels = texts(lang)
    return html.Div(
        className="explore",
        children=[
            html.Aside(
                className="side",
                children=[
                    stage_picker(choice, lang, labels),
                    html.Section(
                        stage_card(route_summary(route, choice), labels, lang),
                        id=ids.STAGE_CARD,
                        className="card",
                        **{"aria-live": "polite", "aria-labelledby": "stage-card-title"},
                    ),
                ],
            ),
            html.Section(
                className="map-panel",
                id="map",
                **{"aria-label": labels["map.region_label"]},
                children=[
                    dcc.Loading(
                        dcc.Graph(
                            id=ids.ROUTE_MAP,
                            figure=route_map(route, basemap, choice, labels, lang),
                            config=GRAPH_CONFIG,
                            className="route-map",
                        ),
                        delay_show=250,
                        type="circle",
                        color="#0072B2",
                    ),
                    html.Div(
                        className="map-tools",
                        children=[
                            html.P(labels["map.help"], className="help"),
                            html.Button(
                                labels["map.reset"],
                                id=ids.MAP_RESET,
                                n_clicks=0,
                                className="button secondary",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def register_callbacks(app: Dash, route: RouteData) -> None:
    @app.callback(
        Output(ids.ROUTE_MAP, "figure"),
        Output(ids.STAGE_CARD, "children"),
        Output(ids.STAGE_PICKER, "children"),
        Input(ids.URL, "search"),
        Input(ids.MAP_RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def show_choice(search: str, resets: int):
        """A stage picked (the address changed) or the view reset: traces, view, card, picker."""
        view = parse_search(search)
        choice, lang = view["stage"], view["lang"]
        labels = texts(lang)
        traces, view = route_traces(route, choice, labels, lang)
        patch = Patch()
        patch["data"] = traces
        patch["layout"]["map"]["center"] = view["center"]
        patch["layout"]["map"]["zoom"] = view["zoom"]
        patch["layout"]["uirevision"] = f"{choice}-{resets or 0}"
        card = stage_card(route_summary(route, choice), labels, lang)
        return patch, card, stage_picker_links(choice, lang, labels)
