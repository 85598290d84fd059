"""Fill in the deployment templates: every @NAME@ in a `.in` file becomes a value.

    python -m deploy.render site --listen 80 --server-name miglia.example.org \\
        --upstream 127.0.0.1:8050 --cache-dir /var/cache/nginx/miglia \\
        > /etc/nginx/sites-available/miglia

@NAME@ rather than $NAME or {name}: nginx's own variables are $name and its blocks use braces.
A name left unfilled is an error, never a silent hole in the configuration.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
SITE_TEMPLATE = DEPLOY / "miglia.nginx.conf.in"
MAIN_TEMPLATE = DEPLOY / "nginx-main.conf.in"
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")

SITE_DEFAULTS = {
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "UPSTREAM": "127.0.0.1:8050",
    "CACHE_DIR": "/var/cache/nginx/miglia",
    "ACCESS_LOG": "/var/log/nginx/miglia.access.log",
}


def render(template: Path, values: dict[str, str]) -> str:
    """The template with every @NAME@ replaced; ValueError names any that has no value."""
    text = template.read_text()
    missing = sorted({name for name in _PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise ValueError(f"{template.name}: no value for {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def site(**values: str) -> str:
    """The nginx site file; keyword names are the placeholders in lower case."""
    return render(SITE_TEMPLATE, SITE_DEFAULTS | {k.upper(): v for k, v in values.items()})


def standalone(prefix: Path, *, listen: str, upstream: str, workers: str = "1") -> Path:
    """A whole nginx configuration under `prefix` (site, cache, logs, temp folders), for a
    process of its own on loopback: run `nginx -p prefix -c returned_path`."""
    prefix.mkdir(parents=True, exist_ok=True)
    for folder in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / folder).mkdir(exist_ok=True)
    site_path = prefix / "miglia.conf"
    site_path.write_text(
        site(
            listen=listen,
            server_name="localhost",
            upstream=upstream,
            cache_dir=str(prefix / "cache"),
            access_log=str(prefix / "access.log"),
        )
    )
    main_path = prefix / "nginx.conf"
    main_path.write_text(
        render(
            MAIN_TEMPLATE,
            {
                "PREFIX": str(prefix),
                "SITE": str(site_path),
                "MIME_TYPES": "/etc/nginx/mime.types",
                "WORKER_PROCESSES": workers,
                "USER": getpass.getuser(),
            },
        )
    )
    return main_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    site_parser = sub.add_parser("site", help="the site file for /etc/nginx/sites-available/")
    for name, default in SITE_DEFAULTS.items():
        site_parser.add_argument("--" + name.lower().replace("_", "-"), default=default)
    args = parser.parse_args(argv)
    values = {name.lower(): getattr(args, name.lower()) for name in SITE_DEFAULTS}
    sys.stdout.write(site(**values))


if __name__ == "__main__":
    main()
