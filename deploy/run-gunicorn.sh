#!/bin/sh
# gunicorn for nginx to sit in front of (docs/deployment.md), from the repository's root:
#   MIGLIA_DATA_DIR=/srv/miglia-data MIGLIA_EDITOR_TOKEN=... deploy/run-gunicorn.sh
set -eu
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/python" -m compileall -q dashboard
exec "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py 'dashboard.app:create_server()'
