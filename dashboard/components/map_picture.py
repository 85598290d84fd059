"""The still picture of the route map, as the page lays it out: the ground (sea and land),
the shaded relief over it, and the borders, routes and places over that, the layers of the
interactive map in its order. One frame of the picture's size holds them, so the page (CSS,
assets/map_picture.js) places and crops them as one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from dash import html

from dashboard.figures.static_map import HEIGHT_PX, PICTURE_LAYERS, WIDTH_PX
from dashboard.static_files import Folder


@dataclass(frozen=True)
class MapPictures:
    files: Folder  # route-map/<choice>-<layer>.svg
    relief_url: str | None  # the interactive map's own relief picture (one download)
    relief_boxes: Mapping[str, tuple[int, int, int, int]]  # per choice: left, top, w, h

    def url(self, choice: str, layer: str) -> str:
        return self.files.url(f"{choice}-{layer}")

    def layers(self, choice: str) -> list[tuple[str, dict]]:
        """Each layer's address and where it lies in the frame, bottom first."""
        ground, lines = (self.url(choice, layer) for layer in PICTURE_LAYERS)
        whole = {"left": "0", "top": "0", "width": f"{WIDTH_PX}px", "height": f"{HEIGHT_PX}px"}
        layers = [(ground, whole)]
        box = self.relief_boxes.get(choice)
        if self.relief_url and box:
            left, top, width, height = box
            place = {"left": f"{left}px", "top": f"{top}px"}
            layers.append(
                (self.relief_url, {**place, "width": f"{width}px", "height": f"{height}px"})
            )
        return [*layers, (lines, whole)]


def picture_html(pictures: MapPictures, choice: str, alt: str) -> str:
    """The picture in the HTML page itself, before any script (the boot screen): the ground
    is the page's first large paint, so it carries the element timing and the priority."""
    images = []
    for index, (src, place) in enumerate(pictures.layers(choice)):
        style = ";".join(f"{key}:{value}" for key, value in place.items())
        first = index == 0
        images.append(
            f'<img src="{escape(src)}" alt="{escape(alt) if first else ""}" style="{style}"'
            + (' elementtiming="route-map-picture" fetchpriority="high"' if first else "")
            + ">"
        )
    return f'<div class="map-picture">{"".join(images)}</div>'


def picture(pictures: MapPictures, choice: str) -> html.Div:
    """The picture under the interactive map until it has drawn (assets/map_picture.js); the
    map itself says it all to a screen reader, so the picture is hidden from it."""
    return html.Div(
        [html.Img(src=src, alt="", style=place) for src, place in pictures.layers(choice)],
        className="map-picture",
        **{"aria-hidden": "true"},
    )
