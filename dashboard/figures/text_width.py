"""How wide a line of chart text is drawn, at most, without a browser to measure it.

The charts' font is plotly's default, '"Open Sans", verdana, arial, sans-serif'. A fan's
browser draws it in Open Sans, Verdana or Arial where installed, and in DejaVu Sans on a
Linux desktop without them. Of these, Verdana and DejaVu Sans are the widest, and almost
equal: each character's width here is the wider of the two (from the fonts' advance widths,
in em). A wider font still gets its margins from plotly's automargin, at the cost of a redraw.
"""

from __future__ import annotations

import unicodedata

_EM = {
    " ": 0.352, "!": 0.394, '"': 0.459, "#": 0.838, "$": 0.636, "%": 1.076, "&": 0.780,
    "'": 0.275, "(": 0.454, ")": 0.454, "*": 0.636, "+": 0.838, ",": 0.364, "-": 0.454,
    ".": 0.364, "/": 0.454, ":": 0.454, ";": 0.454, "<": 0.838, "=": 0.838, ">": 0.838,
    "?": 0.545, "@": 1.000, "[": 0.454, "\\": 0.454, "]": 0.454, "^": 0.838, "_": 0.636,
    "`": 0.636, "{": 0.636, "|": 0.454, "}": 0.636, "~": 0.838,
    "A": 0.684, "B": 0.686, "C": 0.698, "D": 0.771, "E": 0.632, "F": 0.575, "G": 0.775,
    "H": 0.752, "I": 0.421, "J": 0.455, "K": 0.693, "L": 0.557, "M": 0.863, "N": 0.748,
    "O": 0.787, "P": 0.603, "Q": 0.787, "R": 0.695, "S": 0.684, "T": 0.616, "U": 0.732,
    "V": 0.684, "W": 0.989, "X": 0.685, "Y": 0.615, "Z": 0.685,
    "a": 0.613, "b": 0.635, "c": 0.550, "d": 0.635, "e": 0.615, "f": 0.352, "g": 0.635,
    "h": 0.634, "i": 0.278, "j": 0.344, "k": 0.592, "l": 0.278, "m": 0.974, "n": 0.634,
    "o": 0.612, "p": 0.635, "q": 0.635, "r": 0.427, "s": 0.521, "t": 0.394, "u": 0.634,
    "v": 0.592, "w": 0.818, "x": 0.592, "y": 0.592, "z": 0.525,
    "…": 1.000, "–": 0.636, "—": 1.000, "·": 0.364, "’": 0.275, "‘": 0.275,
}  # fmt: skip
_DIGIT_EM = 0.636
_OTHER_EM = 1.0  # a character of another script: as wide as a square


def _em(character: str) -> float:
    if character in _EM:
        return _EM[character]
    if character.isdigit():
        return _DIGIT_EM
    # an accented letter (è, É, ñ) is as wide as its letter
    base = unicodedata.normalize("NFD", character)[:1]
    return _EM.get(base, _OTHER_EM)


def text_px(text: str, size_px: float) -> float:
    """The width of `text` in one line at `size_px`, at least as wide as a browser draws it
    in the fonts above."""
    return size_px * sum(_em(character) for character in text)
