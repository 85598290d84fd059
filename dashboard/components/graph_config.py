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
