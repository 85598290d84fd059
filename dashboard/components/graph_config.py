"""Plotly's options for the route maps (mode bar, zoom, image export), shared by the pages
that draw one."""

from __future__ import annotations

ROUTE_MAP_CONFIG = {
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"filename": "1000-miglia-route"},
}


def localized(config: dict, lang: str) -> dict:
    """A graph's options in the page's language: on Italian pages plotly's Italian locale
    (assets/plotly-locale-it.js) words the toolbar's tooltips and the axes' dates and numbers."""
    return {**config, "locale": lang} if lang != "en" else dict(config)
