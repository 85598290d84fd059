"""What plotly shows on hover over each point of a standings chart's line: its hover template
filled in from the point's text, y and customdata, as plotly.js does (for unit tests; a
browser test reads the drawn hover labels)."""

from __future__ import annotations

import re

_CUSTOM = re.compile(r"%\{customdata\[(\d+)\]\}")


def hover_texts(trace: dict) -> list[str | None]:
    """Each point's hover text, the crew's head included (None where the line has no point)."""
    template = trace["hovertemplate"].replace("<extra></extra>", "")
    texts: list[str | None] = []
    for i, y in enumerate(trace["y"]):
        if y is None:
            texts.append(None)
            continue
        custom = trace["customdata"][i]
        text = template.replace("%{text}", str(trace["text"][i])).replace("%{y}", str(y))
        texts.append(_CUSTOM.sub(lambda m, c=custom: str(c[int(m.group(1))]), text))
    return texts
