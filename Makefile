# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: demo test test-fast lint bench install install-test browser-deps clean

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

## Install and start the app with the demo company on SQLite.
demo: install
	$(BIN)/steward demo

## Install the test dependencies and run the whole suite (unit, API, views, import, browser).
test: install-test browser-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n 2 --dist loadgroup -q

lint: install-test
	$(BIN)/ruff check src tests benchmarks

bench: install-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
