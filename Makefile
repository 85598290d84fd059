# Two commands for a fresh machine (Python 3.11, pip, root):
#   make run    set up .venv and serve the dashboard on http://127.0.0.1:8050
#   make test   set up .venv, Chromium, nginx and axe-core, then lint and run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8050
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve test test-fast lint chromium nginx clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# brotli twins of the static scripts, the basemap layers and the shipped route-map pictures
# (tools/build_twins.py): ~20 s once, then instant
TWINS  := dashboard/vendor/precompressed/.built
$(TWINS): $(STAMP) tools/build_twins.py dashboard/vendor/plotly/plotly-miglia.min.js \
          dashboard/static_files.py dashboard/app.py dashboard/figures/static_map.py \
          data/stages.geojson $(wildcard assets/basemap/*)
	$(PY) -m tools.build_twins
	touch $@

# bytecode of the app's own modules (an editable install has none, and this environment may
# set PYTHONDONTWRITEBYTECODE): about 0.1 s off every start; instant when up to date
run: $(STAMP) $(TWINS)
	$(PY) -m compileall -q dashboard
	$(PY) -m dashboard --host $(HOST) --port $(PORT)

# Production server (see docs/deployment.md): gunicorn, 2 workers x 4 threads
serve: $(STAMP) $(TWINS)
	$(PY) -m pip install --quiet -e '.[prod]'
	$(PY) -m compileall -q dashboard
	$(VENV)/bin/gunicorn --preload --workers 2 --threads 4 --bind $(HOST):$(PORT) --timeout 60 'dashboard.app:create_server()'

# Browser tests drive Debian's Chromium; install it when missing and fail loudly if that fails.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Chromium not found: installing Debian's chromium (apt-get)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "ERROR: chromium is required for the browser tests and could not be installed" >&2; exit 1; }

# The deployment's test runs Debian's nginx in front of gunicorn (deploy/); installed likewise.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "nginx not found: installing Debian's nginx-light (apt-get)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    nginx-light >/dev/null; }
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "ERROR: nginx is required for the deployment's test and could not be installed" >&2; exit 1; }

# axe-core (accessibility checks injected into pages by the browser tests)
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(STAMP)
	$(PY) -m ruff check dashboard tests tools bench

test: $(STAMP) chromium nginx node_modules/axe-core/axe.min.js lint
	@$(PY) -m pytest -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

# the unit tier only (no process, no server, no browser): under a minute
test-fast: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests/unit -q

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache dashboard/vendor/precompressed
