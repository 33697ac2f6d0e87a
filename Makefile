# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: demo test test-fast lint bench install install-test browser-deps system-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	npm install --no-audit --no-fund --silent

install-test: $(BIN)/activate
	$(PY) -m pip install --quiet -e ".[test]"
	npm install --no-audit --no-fund --silent

# Debian's Chromium for the Playwright browser tests (Playwright cannot download its own here).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Pango, HarfBuzz and a font for WeasyPrint's PDFs (the renewal brief); installed only when missing.
system-deps:
	@libs="$$(PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p)"; \
	{ echo "$$libs" | grep -q libpangoft2-1.0.so.0 && echo "$$libs" | grep -q libharfbuzz-subset.so.0 \
	   && fc-list 2>/dev/null | grep -qi dejavu; } || { \
	  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core"; \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq $$pkgs >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$pkgs >/dev/null; fi; }

## Install and start the app with the demo company on SQLite.
demo: install system-deps
	$(BIN)/steward demo

## Install the test dependencies and run the whole suite (unit, API, views, import, browser).
test: install-test browser-deps system-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n 2 --dist loadgroup -q

lint: install-test
	$(BIN)/ruff check src tests benchmarks

bench: install-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
