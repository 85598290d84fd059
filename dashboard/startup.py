"""Starting the app: kept light, so that it can be imported before the heavy imports."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """While the app imports and loads, the cyclic garbage collector stays off: loading makes
    hundreds of thousands of objects that live as long as the app (modules, basemap,
    gazetteer, the standings model), and each collection on the way would walk them all
    again. At the end they are frozen (gc.freeze: never walked again; with gunicorn
    --preload it also keeps the forked workers from copying those pages) and the collector
    is back on as it was. Nested uses leave it to the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
