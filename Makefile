# motcua — developer entry points (GNU make).
#
#   make setup   virtual environment + Python deps, npm packages, vendored front-end assets
#   make run     migrate, load the demo province if the database is empty, serve on :8000
#   make test    the whole CI: installs what a fresh Debian machine lacks (scripts/system_deps.sh),
#                starts a throw-away PostgreSQL (scripts/with_postgres.sh) unless
#                TEST_DATABASE_URL names one, then every gate on SQLite and PostgreSQL
#   make gates   ruff, mypy, Django checks, tests on SQLite (+ PostgreSQL when
#                TEST_DATABASE_URL is set); installs nothing, starts nothing
#   make bench   run bench/*_bench.py
#   make lint / make fmt / make clean
#
# See docs/installation.md (cài đặt) and docs/configuration.md (cấu hình).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

# Python 3.11 is required (pyproject.toml: requires-python >=3.11,<3.12).
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
NPM ?= npm

VENV := .venv
VENV_PY := $(VENV)/bin/python
VENV_BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
VENDOR_DIR := motcua/web/static/vendor
VENDOR_FILES := $(VENDOR_DIR)/htmx/htmx.min.js \
                $(VENDOR_DIR)/pico/pico.min.css \
                $(VENDOR_DIR)/chartjs/chart.umd.min.js

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two pytest-xdist workers (CI machines have 2 cores); each worker has its own test database.
TEST_WORKERS ?= 2
PYTEST := $(VENV_BIN)/pytest -p no:cacheprovider -q -n $(TEST_WORKERS) $(PYTEST_ARGS)
# The SQLite run and the static gates must never reach a database named in the caller's
# environment: with DATABASE_URL unset the settings pick SQLite and Django tests in memory.
NO_DB_URL := env -u DATABASE_URL

.PHONY: help setup run test gates lint fmt bench clean check-python

help:
	@echo "make setup  — cài đặt môi trường / install .venv, npm packages, vendored assets"
	@echo "make run    — chạy thử tại http://$(HOST):$(PORT)/ (migrate, demo data, serve)"
	@echo "make test   — the whole CI: system packages, throw-away PostgreSQL, every gate on SQLite and PostgreSQL"
	@echo "make gates  — ruff, mypy, Django checks, pytest on SQLite (+ PostgreSQL if TEST_DATABASE_URL)"
	@echo "make bench  — run bench/*_bench.py"
	@echo "make lint   — ruff check + ruff format --check"
	@echo "make fmt    — ruff format + ruff check --fix"
	@echo "make clean  — remove caches, node_modules and vendored assets (keeps .venv and var/)"

# ---------------------------------------------------------------------------- setup

setup: $(INSTALLED) $(VENDOR_FILES)

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
	  || { echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); motcua needs 3.11 (pass PYTHON=python3.11)" >&2; exit 1; }

$(VENV_PY):
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml is newer than the stamp (or the venv is new).
$(INSTALLED): pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NODE_STAMP): package-lock.json package.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "error: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR_FILES) &: $(NODE_STAMP) scripts/vendor_assets.py
	$(PYTHON) scripts/vendor_assets.py
	@touch $(VENDOR_FILES)

# ---------------------------------------------------------------------------- run

run: export MOTCUA_DEBUG = 1
# Background jobs run in the server process after each commit: no `motcua worker` needed here.
run: export MOTCUA_TASKS_BACKEND = immediate
run: setup
	$(VENV_BIN)/motcua migrate --noinput
	$(VENV_BIN)/motcua manage collectstatic --noinput -v 0
	$(VENV_BIN)/motcua demo --if-empty
	$(VENV_BIN)/motcua serve --dev --host $(HOST) --port $(PORT)

# ---------------------------------------------------------------------------- gates

lint: setup
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .

fmt: setup
	$(VENV_BIN)/ruff format .
	$(VENV_BIN)/ruff check --fix .

# On a fresh Debian machine `make test` alone passes: it installs what is missing, starts a
# throw-away PostgreSQL cluster when TEST_DATABASE_URL is not set, and runs the gates. The
# sub-makes re-read this file, so a Python or npm installed just now is found.
test:
	bash scripts/system_deps.sh
	@$(MAKE) --no-print-directory setup
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
	  $(MAKE) --no-print-directory gates; \
	else \
	  bash scripts/with_postgres.sh $(MAKE) --no-print-directory gates; \
	fi

# Each line stops the recipe on failure (.SHELLFLAGS has -e), so the first failing gate
# ends `make gates` with that gate's exit status.
gates: setup
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .
	$(NO_DB_URL) $(VENV_BIN)/mypy motcua
	$(NO_DB_URL) $(VENV_BIN)/motcua manage check
	$(NO_DB_URL) $(VENV_BIN)/motcua manage makemigrations --check --dry-run
	@echo "== tests on SQLite =="
	$(NO_DB_URL) $(PYTEST)
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
	  where=$$($(VENV_PY) -c 'import os, urllib.parse as u; p = u.urlsplit(os.environ["TEST_DATABASE_URL"]); print("{}://{}@{}:{}{}".format(p.scheme, p.username or "", p.hostname or "", p.port or "", p.path))'); \
	  echo "== tests on PostgreSQL ($$where) =="; \
	  DATABASE_URL="$$TEST_DATABASE_URL" MOTCUA_ONCE_TESTS_ELSEWHERE=1 $(PYTEST); \
	else \
	  echo "(TEST_DATABASE_URL not set: skipping the PostgreSQL run; make test starts one)"; \
	fi

# ---------------------------------------------------------------------------- bench

BENCH_STAMP := $(VENV)/.bench-installed

# The benchmarks' own dependencies (DuckDB, the physical-limit reference) stay out of `setup`.
$(BENCH_STAMP): pyproject.toml | $(INSTALLED)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	@touch $@

bench: setup $(BENCH_STAMP)
	$(VENV_PY) bench/run_all.py

# ---------------------------------------------------------------------------- clean

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache build dist node_modules $(VENDOR_DIR) var/static
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
