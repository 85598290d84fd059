"""Command line: `python -m dashboard` / `miglia`.

    miglia [run] [--host H] [--port P] [--data DIR] [--debug]   run the dashboard (the default)
    miglia validate FILE... [--json]                            check ranking files
    miglia export-map --route ROUTE -o FILE [--lang L] [--online-tiles] [--data DIR]
                                                                standalone HTML map of a route

validate exits 0 when every file would be accepted (with or without warnings), 1 when any is
refused (a missing or unreadable file counts as refused), 2 on a usage error.
export-map exits 0 when the file is written, 2 when the route data cannot be read or the file
cannot be written (and on a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys

from dashboard.config import Config

COMMANDS = """commands:
  run                 run the dashboard (the default when no command is given)
  validate FILE...    check ranking files as the app would load them (see: miglia validate -h)
  export-map          write a standalone HTML map of a route (see: miglia export-map -h)
"""


def build_parser(prog: str = "miglia") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="1000 Miglia route dashboard (Plotly Dash)",
        epilog=COMMANDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="folder with stages.geojson and rankings/ (default: the repository's data/)",
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development only)")
    return parser


def build_validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="miglia validate",
        description="Check ranking files exactly as the app loads them (docs/ranking-files.md).",
        epilog="exit status: 0 all files accepted, 1 a file refused (or missing), 2 usage error",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="ranking files (.csv)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON list")
    return parser


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def validate(argv: list[str]) -> int:
    from dashboard.validate import validate_files

    args = build_validate_parser().parse_args(argv)
    results = validate_files(args.files)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            path = result["file"]
            for error in result["errors"]:
                row = error["row"] if error["row"] is not None else "-"
                print(f"{path}:{row}:{error['column'] or '-'}: {error['reason']}")
            for warning in result["warnings"]:
                print(f"warning: {path}: {warning}")
            if result["status"] != "refused":
                accepted = "ok" if result["status"] == "ok" else "ok with warnings"
                print(
                    f"{path}: {accepted}, {_plural(result['rows'], 'row')}, "
                    f"stage {result['stage']}, order {result['order']}, "
                    f"checkpoint '{result['checkpoint']}'"
                )
        counts = {s: sum(r["status"] == s for r in results) for s in ("ok", "warnings", "refused")}
        print(
            f"{_plural(len(results), 'file')}, {counts['ok']} ok, "
            f"{counts['warnings']} with warnings, {counts['refused']} refused"
        )
    return 1 if any(r["status"] == "refused" for r in results) else 0


def build_export_map_parser() -> argparse.ArgumentParser:
    from dashboard.exports import ROUTE_CHOICES
    from dashboard.i18n import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="miglia export-map",
        description=(
            "Write a standalone HTML map of a route (folium/Leaflet, everything inlined): "
            "it opens with no internet connection."
        ),
        epilog="exit status: 0 file written, 2 route data unusable, file not writable or usage error",
    )
    parser.add_argument(
        "--route", required=True, choices=list(ROUTE_CHOICES), help="the route to draw"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the HTML file to write"
    )
    parser.add_argument(
        "--lang", choices=list(LANGUAGES), default="en", help="language of the texts (default en)"
    )
    parser.add_argument(
        "--online-tiles",
        action="store_true",
        help="add an OpenStreetMap tile layer (the only thing that then needs the internet)",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="folder with stages.geojson (default: the repository's data/)",
    )
    return parser


def export_map(argv: list[str]) -> int:
    from pathlib import Path

    from dashboard.data.basemap import load_basemap
    from dashboard.data.route import RouteDataError, load_route_data
    from dashboard.exports import route_map_html

    args = build_export_map_parser().parse_args(argv)
    config = Config.from_env(args.data)
    try:
        route = load_route_data(config.stages_path)
    except RouteDataError as err:
        print(f"error: the route data cannot be used: {err}", file=sys.stderr)
        return 2
    page = route_map_html(
        route,
        load_basemap(config.basemap_dir),
        args.route,
        lang=args.lang,
        online_tiles=args.online_tiles,
    )
    output = Path(args.output).expanduser()
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as err:
        print(f"error: cannot write {output}: {err.strerror or err}", file=sys.stderr)
        return 2
    size_kb = len(page.encode("utf-8")) / 1024
    print(f"wrote {output} ({args.route}, {size_kb:.0f} KB; data: {config.data_dir})")
    return 0


def run(argv: list[str], prog: str = "miglia") -> int:
    args = build_parser(prog).parse_args(argv)
    config = Config.from_env(args.data)
    if not config.stages_path.is_file():
        print(f"error: no route file at {config.stages_path} (check --data)", file=sys.stderr)
        return 2
    from dashboard.startup import loading

    with loading():  # the imports too make long-lived objects
        from dashboard.app import create_app
        from dashboard.data.route import RouteDataError

    try:
        with loading():
            app = create_app(config)
    except RouteDataError as err:
        print(f"error: the route data cannot be used: {err}", file=sys.stderr)
        return 2
    print(f"1000 Miglia dashboard on http://{args.host}:{args.port}/  (data: {config.data_dir})")
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["validate"]:
        return validate(argv[1:])
    if argv[:1] == ["export-map"]:
        return export_map(argv[1:])
    if argv[:1] == ["run"]:
        return run(argv[1:], prog="miglia run")
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
