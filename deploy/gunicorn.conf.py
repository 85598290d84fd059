"""gunicorn's settings behind nginx (deploy/miglia.nginx.conf.in); `make serve` uses the same
numbers on the command line. Read by `gunicorn -c deploy/gunicorn.conf.py
'dashboard.app:create_server()'` (deploy/run-gunicorn.sh, deploy/miglia.service).

The environment may override where it listens and how many it runs (the bench does)."""

import os

bind = os.environ.get("MIGLIA_BIND", "127.0.0.1:8050")
# one worker per core: the callbacks are CPU-bound Python (docs/deployment.md)
workers = int(os.environ.get("MIGLIA_WORKERS", "2"))
threads = int(os.environ.get("MIGLIA_THREADS", "4"))
worker_class = "gthread"
preload_app = True
timeout = 60
# longer than nginx's upstream keepalive_timeout (60 s): nginx, not gunicorn, closes an idle
# connection, so a request is never sent on one gunicorn is closing (a 502 for a POST)
keepalive = 75
graceful_timeout = 30
accesslog = os.environ.get("MIGLIA_ACCESS_LOG") or None
errorlog = "-"
