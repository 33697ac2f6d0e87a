# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Where `make demo` serves the demo: `make demo PORT=8080` (HOST=0.0.0.0 to reach it from other machines).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast lint bench install install-test browser-deps system-deps clean

$(BIN)/activate:
	@echo "==> Creating the virtual environment $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --progress-bar on --upgrade pip

install: $(BIN)/activate
	@echo "==> Installing Stack Steward and its Python packages into $(VENV) (a minute or two the first time)"
	$(PY) -m pip install --progress-bar on -e .
	@echo "==> Installing the front-end libraries (npm)"
	npm install --no-audit --no-fund

install-test: $(BIN)/activate
	@echo "==> Installing Stack Steward with its test packages into $(VENV) (a minute or two the first time)"
	$(PY) -m pip install --progress-bar on -e ".[test]"
	@echo "==> Installing the front-end libraries (npm)"
	npm install --no-audit --no-fund

# Debian's Chromium for the Playwright browser tests (Playwright cannot download its own here).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Pango, HarfBuzz and a font for WeasyPrint's PDFs (the renewal brief); installed only when missing.
system-deps:
	@echo "==> Checking the system libraries for PDFs (Pango, HarfBuzz, a font)"
	@libs="$$(PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p)"; \
	{ echo "$$libs" | grep -q libpangoft2-1.0.so.0 && echo "$$libs" | grep -q libharfbuzz-subset.so.0 \
	   && fc-list 2>/dev/null | grep -qi dejavu; } || { \
	  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core"; \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq $$pkgs >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$pkgs >/dev/null; fi; }

## Install and start the app with the demo company on SQLite (`make demo PORT=8080` for another port).
demo: install system-deps
	@echo "==> Starting the demo: migrations, the demo company, then the server on http://$(HOST):$(PORT)/"
	$(BIN)/steward demo --host $(HOST) --port $(PORT)

## Install the test dependencies and run the whole suite (unit, API, views, import, browser).
test: install-test browser-deps system-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n 2 --dist loadgroup -q

lint: install-test
	$(BIN)/ruff check src tests benchmarks

bench: install-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
