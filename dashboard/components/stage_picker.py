"""The stage picker: one link per route choice. The page address is the state, so a choice
is a navigation (the Back button returns to the previous stage) and every choice is a link
that can be opened in a new tab or shared."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.data.route import STAGE_CHOICES
from dashboard.i18n import texts
from dashboard.view_state import View


def stage_picker_links(choice: str, lang: str) -> list:
    labels = texts(lang)
    links = []
    for value in STAGE_CHOICES:
        selected = value == choice
        children = [labels[f"picker.{value}"]]
        if selected:
            children.append(html.Span(labels["picker.selected"], className="visually-hidden"))
        links.append(
            html.Li(
                dcc.Link(
                    children,
                    href="/" + View(stage=value, lang=lang).search(),
                    className="stage-link selected" if selected else "stage-link",
                )
            )
        )
    return links


def stage_picker(choice: str, lang: str) -> html.Nav:
    labels = texts(lang)
    return html.Nav(
        className="picker-box",
        **{"aria-labelledby": "stage-picker-heading"},
        children=[
            html.H2(labels["picker.label"], id="stage-picker-heading", className="picker-heading"),
            html.Ul(
                stage_picker_links(choice, lang),
                id=ids.STAGE_PICKER,
                className="stage-picker",
            ),
            html.P(labels["picker.help"], className="help"),
        ],
    )
