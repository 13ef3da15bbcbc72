# Kontakt. `make run` starts everything on the embedded default;
# `make test` runs the whole suite (PostgreSQL when DATABASE_URL is set);
# `make check` runs every check CI runs before the tests (CONTRIBUTING.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Local runs keep the test database between runs (pass --create-db after a
# new migration); CI sets PYTEST_ARGS itself and starts from a fresh database.
PYTEST_ARGS ?= --reuse-db

# Production-like variables for `manage.py check --deploy`: what a real
# installation sets (README, "Production").
DEPLOY_ENV := DEBUG=false KONTAKT_DEV_IDP=false KONTAKT_DEMO=false \
	SECRET_KEY=deploy-check-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ \
	SITE_URL=https://kontakt.example.se ALLOWED_HOSTS=kontakt.example.se \
	BEHIND_PROXY=true SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 \
	SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true

CHECKS := check-lint check-format check-layers check-local-imports check-types check-django check-migrations check-deploy

.PHONY: setup run test fuzz messages check $(CHECKS) bench clean

# Development and test: the production lock plus the test and check tools.
$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

setup: $(STAMP)

messages: setup
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

run: setup messages
	DEBUG=$${DEBUG:-true} KONTAKT_DEMO=$${KONTAKT_DEMO:-true} KONTAKT_DEV_IDP=$${KONTAKT_DEV_IDP:-true} bash scripts/run-embedded.sh

test: setup messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The property-based bad-input tests with 10,000 fresh random examples each
# (the "fuzz" hypothesis profile, tests/conftest.py); CI runs 200 fixed ones.
fuzz: setup messages
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest $(PYTEST_ARGS) tests/integration/core/test_bad_input.py tests/integration/core/test_bad_input_loop.py

# Every check; `make -k check` runs them all even when one fails.
check: $(CHECKS)

check-lint: setup
	$(BIN)/ruff check .

check-format: setup
	$(BIN)/ruff format --check .

check-layers: setup
	$(BIN)/lint-imports --no-cache

check-local-imports: setup
	$(BIN)/python scripts/check_local_imports.py

check-types: setup
	$(BIN)/mypy

check-django: setup
	$(BIN)/python manage.py check --fail-level WARNING

check-migrations: setup
	DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run --settings=kontakt.settings_test

check-deploy: setup
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Every benchmark in one run and one table (bench/all.py; README,
# "Benchmarks"). Fills BENCH_DATABASE_URL, never DATABASE_URL: the run
# empties the database's cases first.
BENCH_CASES ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kontakt_bench
BENCH_ARGS ?=
bench: setup messages
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/all.py --cases $(BENCH_CASES) $(BENCH_ARGS)

clean:
	rm -rf var/kontakt.sqlite3* var/broker var/cache var/media
