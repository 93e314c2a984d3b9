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

.PHONY: install run test test-sqlite test-postgres test-browser reliability check lint types bench clean

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo
	@echo "Limber is at http://$(HOST):$(PORT)  (API explorer: /api/docs)"
	LIMBER_HOST=$(HOST) LIMBER_PORT=$(PORT) $(BIN)/honcho start -f Procfile

# The browser pass goes last so the run closes on a pytest summary line.
test: test-sqlite test-postgres reliability test-browser

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

lint: install
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench

types: install
	$(BIN)/mypy

check: lint types test

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .reliability.json
