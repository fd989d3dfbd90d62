# Involve — the two commands: `make run` (demo on http://127.0.0.1:5000, or PORT=…) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := core/static/build/involve.css
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint install assets services bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(ASSETS): frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*.scss)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

assets: $(ASSETS)

## Run the product on embedded defaults (SQLite under instance/, jobs in-process) with the demo.
## `make run PORT=8000` serves on another port. The log shows only warnings, errors and e-mailed links
## (set INVOLVE_LOG_LEVEL=INFO to see every request).
PORT ?= 5000
run: install assets
	$(FLASK) db upgrade --quiet
	$(FLASK) demo --port $(PORT)
	@echo "Serving Involve on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	INVOLVE_LOG_LEVEL=$${INVOLVE_LOG_LEVEL:-WARNING} $(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Lint, then the whole suite on SQLite and on PostgreSQL + Redis, side by side (scripts/run-tests.sh).
test: install assets lint
	bash scripts/run-tests.sh

## Start the local PostgreSQL and Redis if they are down (needs the machine's own services).
services:
	bash scripts/start-services.sh

## The performance table, quick and small (PostgreSQL and Redis up; the full run: python bench/all.py).
bench: install
	$(BIN)/python bench/all.py --quick

clean:
	rm -rf $(VENV) frontend/node_modules core/static/build core/static/govuk
