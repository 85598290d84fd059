"""The fans' page: the route map, the stage picker and the stage card."""

from __future__ import annotations

from collections.abc import Mapping

from dash import Dash, Input, Output, Patch, State, dcc, html

from dashboard import ids
from dashboard.components.stage_card import stage_card
from dashboard.data.basemap import Basemap
from dashboard.data.route import STAGE_CHOICES, RouteData, route_summary
from dashboard.figures.route_map import route_map, route_traces
from dashboard.i18n import texts
from dashboard.urls import make_search, parse_search

GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"filename": "1000-miglia-route"},
}


def layout(choice: str, lang: str, route: RouteData, basemap: Basemap) -> html.Div:
    labels = texts(lang)
    picker = dcc.RadioItems(
        id=ids.STAGE_PICKER,
        options=[{"label": labels[f"picker.{value}"], "value": value} for value in STAGE_CHOICES],
        value=choice,
        className="stage-picker",
        inputClassName="stage-picker-input",
        labelClassName="stage-picker-label",
    )
    return html.Div(
        className="explore",
        children=[
            html.Aside(
                className="side",
                children=[
                    html.Fieldset(
                        [
                            html.Legend(labels["picker.label"]),
                            picker,
                            html.P(labels["picker.help"], className="help"),
                        ],
                        className="picker-box",
                    ),
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
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.STAGE_PICKER, "value"),
        Input(ids.MAP_RESET, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_choice(choice: str, resets: int, search: str):
        """A stage picked (or the view reset): new traces and view, card, address."""
        if choice not in STAGE_CHOICES:
            choice = "all"
        lang = parse_search(search)["lang"]
        labels = texts(lang)
        traces, view = route_traces(route, choice, labels, lang)
        patch = Patch()
        patch["data"] = traces
        patch["layout"]["map"]["center"] = view["center"]
        patch["layout"]["map"]["zoom"] = view["zoom"]
        patch["layout"]["uirevision"] = f"{choice}-{resets or 0}"
        card = stage_card(route_summary(route, choice), labels, lang)
        return patch, card, make_search(choice, lang)


def header_links(lang: str, choice: str, path: str) -> Mapping[str, str]:
    other = "it" if lang == "en" else "en"
    return {"lang_href": path + make_search(choice, other)}
