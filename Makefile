# Harbor: `make run` to try it, `make test` to check it. `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install run test lint pytest translations extract outbox

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Harbor needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install Harbor with its test tools

translations: install ## Compile the translation catalogs
	@$(BIN)/pybabel -q compile -d translations

extract: install ## Re-extract messages.pot and update the catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i translations/messages.pot -d translations

run: translations ## Migrate, load the demo if empty, and serve on http://$(HOST):$(PORT)
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo "Harbor on http://$(HOST):$(PORT)  (emails are printed here; Ctrl-C stops)"
	@export BASE_URL="$${BASE_URL:-http://$(HOST):$(PORT)}"; trap 'kill 0' INT TERM EXIT; \
		$(FLASK) outbox --watch & $(FLASK) run --host $(HOST) --port $(PORT)

outbox: install ## Deliver pending emails once
	$(FLASK) outbox

lint: install ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: translations ## The test suite alone (TEST_DATABASE_URL switches it to PostgreSQL)
	$(BIN)/pytest -q

test: lint pytest ## Everything CI checks on SQLite
