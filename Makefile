# Kontakt. `make run` starts everything on the embedded default;
# `make test` runs the whole suite (PostgreSQL when DATABASE_URL is set).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test messages check bench clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

setup: $(STAMP)

messages: setup
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

run: setup messages
	DEBUG=$${DEBUG:-true} KONTAKT_DEMO=$${KONTAKT_DEMO:-true} KONTAKT_DEV_IDP=$${KONTAKT_DEV_IDP:-true} bash scripts/run-embedded.sh

test: setup messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: setup
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var/kontakt.sqlite3* var/broker var/cache var/media
