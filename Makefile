# Keepwell: `make run` starts the desk, `make test` runs every check.
SHELL := /bin/bash
UV := ./scripts/uv
VENV := .venv/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/keepwell
PYTEST_ARGS ?=

.PHONY: run test deps-run deps-test services lint typecheck test-sqlite test-postgres test-browser bench clean

run: deps-run
	$(VENV)/keepwell migrate --noinput -v 0
	$(VENV)/keepwell demo --if-empty
	$(VENV)/keepwell serve

deps-run:
	$(UV) sync --frozen --no-dev

deps-test:
	$(UV) sync --frozen

services:
	./scripts/test-services.sh

lint: deps-test
	$(VENV)/ruff check src tests bench
	$(VENV)/ruff format --check src tests bench

typecheck: deps-test
	$(VENV)/mypy

test-sqlite: deps-test
	$(VENV)/pytest -m "not browser" $(PYTEST_ARGS)

# The same tests against PostgreSQL; pure modules were already covered by the SQLite run.
test-postgres: deps-test services
	DATABASE_URL=$(PG_TEST_URL) KEEPWELL_DB_TESTS_ONLY=1 $(VENV)/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: deps-test services
	$(VENV)/pytest -m browser $(PYTEST_ARGS)

test: deps-test services lint typecheck test-sqlite test-postgres test-browser

bench: deps-test
	$(VENV)/python bench/inbox.py --json

clean:
	rm -rf .venv test-artifacts .mypy_cache .ruff_cache
