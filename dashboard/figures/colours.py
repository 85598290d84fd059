"""Colours as data. Okabe–Ito palette: distinguishable with the common colour-vision deficiencies."""

ROUTE_COLOURS = {
    "2020-stage-1": "#0072B2",  # blue
    "2020-stage-2": "#E69F00",  # orange
    "2020-stage-3": "#009E73",  # bluish green
    "2020-stage-4": "#CC79A7",  # reddish purple
    "1927": "#D55E00",  # vermillion, dashed
    "1955": "#222222",  # near black, dashed
}

# Place categories: colour and size differ, so that colour is never the only cue.
PLACE_STYLE = {
    "start_finish": {"color": "#000000", "size": 15},
    "meal": {"color": "#D55E00", "size": 13},
    "time_trial": {"color": "#56B4E9", "size": 13},
    "passage_control": {"color": "#F0E442", "size": 11},
    "town": {"color": "#555555", "size": 8},
}

SEA = "#dce8f0"
LAND = "#f4f1ea"
LAND_ITALY = "#fbfaf6"
REGION_BORDER = "#c8c0b2"
COUNTRY_BORDER = "#8a8376"
