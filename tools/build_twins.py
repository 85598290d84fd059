"""Build step: the brotli twins (level 11) of the static files, compressed once ahead of time.

Usage (from the repository root; `make run` and `make serve` run it):
    python -m tools.build_twins [--dir FOLDER] [--data DIR]

The first visit of the fans' page downloads about 3 MB of JavaScript before compression.
Brotli at level 11 sends it about a quarter smaller than gzip, but takes seconds per large
file, far too slow for a request. So this step writes `<sha256 of the file>.br` for Dash's
production component scripts and for every file the app registers with its static-file
layer (dashboard/static_files.py: the plotly.js bundle, the basemap layers, the still
pictures of the route map of the data folder): it builds the app and asks its registry, so
the twins are of exactly what the server sends. The server finds a twin by the content, so
a file changed since the build is compressed on the fly instead, never sent stale.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli

from dashboard import static_files
from dashboard.config import PRECOMPRESSED_DIR, Config

MIN_BYTES = 4_000  # smaller files gain too little to be worth a twin
MAX_BYTES = 6_000_000  # the development builds (8 MB) are never served in production
# the packages whose files Dash serves under /_dash-component-suites/, and what of them
PACKAGE_FOLDERS = {
    "dash": ("deps", "dash-renderer/build", "dcc", "html", "dash_table"),
    "dash_ag_grid": ("",),
}
SKIP_NAMES = (".dev.", "demo.js", "async-enterprise", "async-mathjax")


def component_scripts() -> list[Path]:
    """The production JavaScript and CSS files of Dash's components that the app may serve."""
    found: list[Path] = []
    for package, folders in PACKAGE_FOLDERS.items():
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        root = Path(spec.origin).parent
        for folder in folders:
            for path in sorted((root / folder).glob("*")):
                if path.suffix not in (".js", ".css") or any(s in path.name for s in SKIP_NAMES):
                    continue
                if folder == "deps" and ".min." not in path.name:
                    continue  # React's development builds: served only in debug mode
                found.append(path)
    return [p for p in found if p.is_file() and MIN_BYTES <= p.stat().st_size <= MAX_BYTES]


def app_files(config: Config) -> list[bytes]:
    """The body of every file the app built over `config` registers (pictures made now)."""
    from dashboard.app import create_app

    files = static_files.of(create_app(config).server)
    return [files.body(name) for name in files.names()]


def _compress_into(args: tuple[str, str]) -> tuple[str, int, int, bool]:
    source, directory = args
    body = Path(source).read_bytes()
    target = Path(directory) / static_files.twin_name(body)
    if target.exists():
        return source, len(body), target.stat().st_size, False
    packed = brotli.compress(body, quality=11)
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
        handle.write(packed)
    os.replace(handle.name, target)  # atomic: a running server never reads half a file
    return source, len(body), len(packed), True


def build(
    directory: Path, sources: Iterable[Path] = (), bodies: Iterable[bytes] = (), workers: int = 0
) -> list[tuple]:
    """Write the brotli twin of every source file and body that lacks one; drop twins of
    nothing. Returns (source, bytes, compressed bytes, made now) per source and body.
    workers=1 compresses in this process; 0, one process per core."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = list(sources)
    with tempfile.TemporaryDirectory() as tmp:  # bodies go through files, like the rest
        for index, body in enumerate(bodies):
            path = Path(tmp) / f"body-{index}"
            path.write_bytes(body)
            sources.append(path)
        jobs = [(str(p), str(directory)) for p in sources]
        workers = workers or max(1, min(len(jobs), os.cpu_count() or 1))
        if workers == 1:
            results = [_compress_into(job) for job in jobs]
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(_compress_into, jobs))
        wanted = {static_files.twin_name(Path(p).read_bytes()) for p in sources}
    for stale in directory.glob("*" + static_files.TWIN_SUFFIX):
        if stale.name not in wanted:
            stale.unlink()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.build_twins",
        description="Compress the static files once with brotli (level 11) for the server.",
    )
    parser.add_argument("--dir", type=Path, default=PRECOMPRESSED_DIR, help="where the twins go")
    parser.add_argument("--data", type=Path, help="the data folder (default: the shipped one)")
    args = parser.parse_args(argv)
    config = Config.from_env(args.data)
    results = build(args.dir, component_scripts(), app_files(config))
    made = sum(1 for r in results if r[3])
    raw = sum(r[1] for r in results)
    packed = sum(r[2] for r in results)
    print(
        f"{len(results)} static files, {made} compressed now: "
        f"{raw / 1e6:.1f} MB -> {packed / 1e6:.2f} MB brotli, in {args.dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
