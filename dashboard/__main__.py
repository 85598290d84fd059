"""Command line: `python -m dashboard` / `miglia` runs the dashboard."""

from __future__ import annotations

import argparse
import sys

from dashboard.config import Config


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="miglia", description="1000 Miglia route dashboard (Plotly Dash)"
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = Config.from_env(args.data)
    if not config.stages_path.is_file():
        print(f"error: no route file at {config.stages_path} (check --data)", file=sys.stderr)
        return 2
    from dashboard.app import create_app
    from dashboard.data.route import RouteDataError

    try:
        app = create_app(config)
    except RouteDataError as err:
        print(f"error: the route data cannot be used: {err}", file=sys.stderr)
        return 2
    print(f"1000 Miglia dashboard on http://{args.host}:{args.port}/  (data: {config.data_dir})")
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
