# Harbor: `make run` to try it, `make test` to check it. `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM := /usr/bin/chromium
NPM := $(shell command -v npm)
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run test lint pytest pytest-unit pytest-browser translations extract outbox browser-deps screenshots bench audit mutation

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Harbor needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install Harbor with its test and benchmark tools

translations: install ## Compile the translation catalogs
	@$(BIN)/pybabel -q compile -d translations

extract: install ## Re-extract messages.pot and update the catalogs
	$(BIN)/pybabel extract --ignore-dirs ".*" -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i translations/messages.pot -d translations

run: translations ## Migrate, load the demo if empty, and serve on http://$(HOST):$(PORT)
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo "Harbor on http://$(HOST):$(PORT)  (emails are printed here; Ctrl-C stops)"
	@export BASE_URL="$${BASE_URL:-http://$(HOST):$(PORT)}"; trap 'kill 0' INT TERM EXIT; \
		$(FLASK) outbox --watch & $(FLASK) run --host $(HOST) --port $(PORT)

outbox: install ## Deliver pending emails once
	$(FLASK) outbox

lint: install ## ruff (lint and formatting), import-linter (layers) and mypy (types)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# npm ci again only when the lock file changes.
node_modules/.package-lock.json: package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

browser-deps: $(if $(NPM),node_modules/.package-lock.json) ## Debian's Chromium and axe-core (npm) for the browser tests
	@if [ ! -x $(CHROMIUM) ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium \
	      || echo "WARNING: installing chromium failed: the browser tests will be skipped (and fail under CI=true)"; \
	  else \
	    echo "WARNING: $(CHROMIUM) is missing and apt-get (as root) is not available:"; \
	    echo "WARNING: the browser tests will be skipped (and fail under CI=true)"; \
	  fi; \
	fi
	@$(if $(NPM),,echo "WARNING: npm is missing, so is axe-core: the browser tests will be skipped (and fail under CI=true)")

pytest: pytest-unit pytest-browser ## The test suite alone, browser tests included (TEST_DATABASE_URL switches it to PostgreSQL)

# Two processes on two cores; each test file stays in one of them (the authorization matrix
# builds its world once per file and checks its totals at the end).
pytest-unit: translations ## Every test except the browser ones, in $(TEST_WORKERS) processes
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not browser"

pytest-browser: translations browser-deps ## The browser tests (real Chromium), one at a time
	$(BIN)/pytest -q -m browser

screenshots: translations browser-deps ## Retake docs/screenshots/ (each role's dashboard, phone and desktop)
	HARBOR_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_journeys.py -k signs_in_to_their_dashboard

test: lint pytest ## Everything CI checks on SQLite

audit: install ## pip-audit --strict: known vulnerabilities in the installed packages (skipped offline)
	@BIN=$(BIN) bash .ci/audit

# mutmut copies app/ to mutants/ (afresh each run) and mutates app/policy/ there; each mutant
# runs the policy's unit tests that reach it. `$(BIN)/mutmut show NAME` shows a survivor.
mutation: install ## Mutation testing of app/policy over the policy tests, killed/survived
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(TEST_WORKERS)
	@$(BIN)/mutmut results
	@$(BIN)/mutmut export-cicd-stats >/dev/null
	@$(BIN)/python -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
		print("mutation: {killed} killed, {survived} survived, {no_tests} without tests, {timeout} timed out, of {total}".format(**s))'

bench: translations ## Pages/s and latency under gunicorn, SQLite and PostgreSQL (README: Benchmark)
	$(BIN)/python bench/run.py
