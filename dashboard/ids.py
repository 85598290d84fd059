"""Every component id, in one place."""

URL = "url"
PAGE = "page"
PAGE_TITLE = "page-title"
LANG = "lang"

STAGE_PICKER = "stage-picker"
ROUTE_MAP = "route-map"
MAP_RESET = "map-reset"
STAGE_CARD = "stage-card"
