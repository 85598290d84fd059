"""What the HTML page shows before its scripts have run (written into the page's HTML, not a
Dash component): on the fans' map page the still picture of the chosen route's map, painted
at once; elsewhere a line of text. The page's first callback removes it (assets/page.js)."""

from __future__ import annotations

from html import escape

from dashboard.components.map_picture import MapPictures, picture_html
from dashboard.i18n import texts
from dashboard.view_state import view_from_search

MAP_PAGES = ("", "/explore")  # the addresses of the fans' map page, without a final slash


def boot_screen(
    path: str, query: str, pictures: MapPictures, map_files: tuple[str, ...] = ()
) -> str:
    """The boot screen's HTML; on the map page it also asks at once for `map_files`, which the
    interactive map would only ask for once its style is read (fetched as MapLibre fetches
    them, so the answers are reused)."""
    view = view_from_search(query)
    labels = texts(view.lang)
    if path.rstrip("/") not in MAP_PAGES:
        return (
            '<div id="boot-message" class="boot-message" role="status">'
            f"{escape(labels['boot.loading_page'])}</div>"
        )
    alt = labels["boot.picture_alt"].format(route=labels[f"picker.{view.stage}"])
    return (
        '<div id="boot-message" class="boot-message boot-map" role="status">'
        f'<div class="map-box">{picture_html(pictures, view.stage, alt)}</div>'
        f"<p>{escape(labels['boot.loading_map'])}</p></div>"
        + "".join(
            f'<link rel="preload" href="{escape(url)}" as="fetch" crossorigin="anonymous">'
            for url in map_files
        )
    )
