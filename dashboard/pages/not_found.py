"""The friendly page for an address that does not exist. Dash Pages draws it for any address
no page is registered at (it finds it by the name ending in "not_found_404"); dashboard/app.py
answers such an address with HTTP status 404."""

from __future__ import annotations

import dash
from dash import html

from dashboard.components.shell import shell
from dashboard.i18n import texts
from dashboard.view_state import View, view_from_search

MODULE = __name__ + "_404"  # the registry's name Dash Pages looks for
PATH = "/404"


def register() -> None:
    dash.register_page(MODULE, path=PATH, layout=layout)


def layout(pathname: str = PATH, **params) -> list:
    view = view_from_search(params)
    labels = texts(view.lang)
    body = html.Div(
        className="not-found",
        children=[
            html.H1(labels["notfound.heading"]),
            html.P(labels["notfound.body"].format(path=pathname)),
            html.A(
                labels["notfound.back"],
                href="/" + View(lang=view.lang).search(),
                className="button",
            ),
        ],
    )
    title = f"{labels['notfound.title']} · {labels['app.title']}"
    return shell(body, view, pathname, title)
