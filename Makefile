# Limber: `make run` starts the app, `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app backend
PYTEST := $(BIN)/pytest
HOST ?= 127.0.0.1
PORT ?= 5000
# PostgreSQL server for the second test pass; each run creates its own database there.
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install lock vocab run test test-sqlite test-postgres test-browser reliability check lint types bench audit clean

# Installs come from uv.lock (every package, transitive ones too, pinned with hashes), by
# a pinned uv that is fetched once into .tools/. `make run` installs only what serving
# needs; `make install` (and every test or lint target) adds the dev tools.
UV_VERSION := 0.13.8
UV_HOME := .tools/uv-$(UV_VERSION)
UV := $(UV_HOME)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
LOCK_HINT := uv.lock does not match pyproject.toml: run `make lock` and commit uv.lock

$(UV_HOME)/bin/uv:
	@echo "==> Fetching uv $(UV_VERSION) into $(UV_HOME) (once per checkout)"
	python3 -m pip install --disable-pip-version-check --no-warn-script-location \
		--target $(UV_HOME) uv==$(UV_VERSION)

$(BIN)/.run-deps: $(UV) pyproject.toml uv.lock
	@echo "==> Installing what serving needs into $(VENV) (from uv.lock)"
	@$(UV) sync --locked --inexact || { echo "$(LOCK_HINT)" >&2; exit 1; }
	@touch $@

$(BIN)/.dev-deps: $(UV) pyproject.toml uv.lock
	@echo "==> Installing the app with its test and lint tools into $(VENV) (from uv.lock)"
	@$(UV) sync --locked --extra dev || { echo "$(LOCK_HINT)" >&2; exit 1; }
	@touch $@ $(BIN)/.run-deps

install: $(BIN)/.dev-deps

# After changing dependencies in pyproject.toml: resolve again, keeping every other pin.
lock: $(UV)
	$(UV) lock

run: $(BIN)/.run-deps
	@mkdir -p instance
	@echo "==> Migrating instance/ database, loading routines and demo accounts"
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo
	@echo "==> Limber is at http://$(HOST):$(PORT)  (API explorer: /api/docs)"
	LIMBER_HOST=$(HOST) LIMBER_PORT=$(PORT) $(BIN)/honcho start -f Procfile

# Four passes, two at a time on two cores: SQLite beside PostgreSQL, then the adversarial
# suite beside the browser. Each pass's output is printed whole when it ends
# (--output-sync); `make test TEST_JOBS=1` runs them one after another with live output.
TEST_JOBS ?= 2
SUBMAKE := $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target
test: install
	@$(SUBMAKE) test-sqlite test-postgres
	@$(SUBMAKE) reliability test-browser
	@echo "==> make test: the SQLite, PostgreSQL, reliability and browser passes all passed"

test-sqlite: install
	$(PYTEST) -q -m "not browser" --ignore=tests/reliability

test-postgres: install
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		TEST_DATABASE_URL=$(TEST_PG_URL) $(PYTEST) -q -m "not browser" --ignore=tests/reliability; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; \
	else \
		echo "PostgreSQL is not running on 127.0.0.1:5432: skipping the PostgreSQL pass."; \
	fi

# The adversarial suite (access matrix, Schemathesis, sync state machine, concurrency and
# faults against gunicorn) on SQLite and PostgreSQL; ends with one summary line.
FIGURES := .reliability.json
reliability: install
	rm -f $(FIGURES)
	RELIABILITY_FIGURES=$(FIGURES) $(PYTEST) -q -p no:cacheprovider tests/reliability
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		RELIABILITY_FIGURES=$(FIGURES) TEST_DATABASE_URL=$(TEST_PG_URL) \
			$(PYTEST) -q -p no:cacheprovider tests/reliability; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; \
	fi
	@$(BIN)/python -m tests.reliability.summary $(FIGURES)

test-browser: install
	@if [ -d tests/browser ]; then $(PYTEST) -q -m browser tests/browser; fi

# Front-end guard rails: ESLint and Prettier (pinned in package.json, `npm ci`), the
# vocabulary generated from the Python source, and the one served stylesheet.
NODE_BIN := node_modules/.bin
FRONT_LINT := frontend eslint.config.mjs

lint: install node_modules/.package-lock.json
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench
	$(BIN)/mypy
	$(BIN)/python -m backend.web.vocab --check
	node frontend/tools/css.mjs --check
	$(NODE_BIN)/eslint $(FRONT_LINT)
	$(NODE_BIN)/prettier --check $(FRONT_LINT)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci

# Rewrites frontend/js/vocab.js after a change to the run models, triage or plausibility.
vocab: install
	$(BIN)/python -m backend.web.vocab
	node frontend/tools/precache.mjs

types: install
	$(BIN)/mypy

check: lint types test

bench: install
	$(BIN)/python -m bench

# Lighthouse 12.2 (package.json) with Debian's Chromium on the shell and signed-in screens.
audit: install
	@[ -d node_modules/lighthouse ] || npm ci
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m bench.audit

clean:
	rm -rf $(VENV) .tools instance .pytest_cache .mypy_cache .ruff_cache .reliability.json
