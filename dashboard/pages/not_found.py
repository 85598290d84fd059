"""The friendly page for an address that does not exist."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from dashboard.view_state import View


def layout(path: str, lang: str, labels: Mapping[str, str]) -> html.Main:
    return html.Main(
        className="not-found",
        id="main",
        children=[
            html.H1(labels["notfound.heading"]),
            html.P(labels["notfound.body"].format(path=path)),
            html.A(
                labels["notfound.back"], href="/" + View(lang=lang).search(), className="button"
            ),
        ],
    )
