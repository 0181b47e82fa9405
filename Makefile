# The two commands in the README: `make run` and `make test`. Both are idempotent: the virtualenv is
# rebuilt only when a lock file changes, and system packages are installed only when missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The second Python the suite runs on (`make test-py313`): python3.13 if it runs, else pyenv's.
PYTHON313 ?= $(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null \
  || echo "$$(pyenv prefix 3.13 2>/dev/null)/bin/python3.13")

# Local development defaults for the targets that start Django; production sets its own
# environment (see README, "Deploying"). The tests need none: tests/settings.py sets their own.
run fixtures import bench: export DEBUG ?= true
bench: export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: run test test-py313 suite lint format fixtures import bench audit image-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-test
	touch $@

$(VENV)/.installed-test: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@scripts/system-deps
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py loaddata day6-transformers-llms
	$(BIN)/python manage.py demo_accounts
	@# Background jobs run alongside and stop with runserver: django-tasks-db's worker (webhook
	@# deliveries as they are queued; reloads on code changes) and the periodic jobs (reminders,
	@# the webhook sweep, every minute).
	$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py periodic & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null; wait $$worker $$periodic 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-test
	@scripts/system-deps --browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r config accounts questionbank interviews api integrations -x '*/migrations/*' --severity-level high
	$(BIN)/pytest -q

# The suite on Python 3.13 as well, in its own virtualenv from the same lock files. The browser
# tests are left to `make test` (CI runs them on 3.11, on PostgreSQL and on SQLite): what a
# browser sees does not change with the server's Python.
test-py313:
	$(MAKE) --no-print-directory VENV=.venv-3.13 PYTHON="$(PYTHON313)" suite PYTEST_ARGS='-m "not browser"'

suite: $(VENV)/.installed-test
	$(BIN)/python --version
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the seed fixture from the Markdown bank and its reviewed mapping, in a scratch database.
fixtures: $(VENV)/.installed-run
	rm -f /tmp/interview-desk-fixtures.sqlite3
	DATABASE_URL=sqlite:////tmp/interview-desk-fixtures.sqlite3 sh -c '\
	  $(BIN)/python manage.py migrate --no-input -v 0 && \
	  $(BIN)/python manage.py import_bank fixtures/banks/day6-transformers-llms.md \
	    --mapping fixtures/banks/day6-transformers-llms.mapping.json && \
	  $(BIN)/python manage.py dumpdata questionbank --natural-foreign --natural-primary \
	    --indent 2 -o fixtures/day6-transformers-llms.json'

# make import BANK=path/to/bank.md [ARGS=--dry-run]
import: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py import_bank $(BANK) $(ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python bench/import_bank.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/dashboard.py --interviews 0

# Known vulnerabilities in the locked dependencies. pip-audit asks an online vulnerability
# database, which CI machines here cannot reach, so this is not part of `make test`.
# It runs from its own virtualenv so the project's locked one stays exactly as locked.
audit:
	test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install -q pip-audit)
	.venv-audit/bin/pip-audit --strict --require-hashes --disable-pip -r requirements.lock

# Build the production image here and run it as two replicas behind Caddy (root; see README,
# "Deploying"). Not part of `make test`: docker, debootstrap and a few minutes are needed.
image-check:
	scripts/image-check

clean:
	rm -rf $(VENV) .venv-3.13 staticfiles db.sqlite3
