# 智改数转诊断平台 — the README's commands. Everything works on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
export FLASK_APP := app

.PHONY: run test bench lint typecheck translations translations-update system-deps

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# System libraries (WeasyPrint, CJK fonts, poppler, Chromium) when run as root on Debian.
system-deps:
	@./.ci/system-deps

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations >/dev/null

translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot . >/dev/null
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching >/dev/null
	$(FLASK) translations fill-identity
	-$(FLASK) translations check

# The report worker runs in the background beside the server and stops with it.
run: system-deps $(VENV)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) demo seed --once
	@$(FLASK) report worker --workers 2 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 0' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite on SQLite, then the tests that use the database again on PostgreSQL when
# TEST_DATABASE_URL is set (CI sets it), with the tests that need PostgreSQL's row locks; two pytest
# workers each (pytest-xdist).
test: system-deps $(VENV)/.installed translations
	TEST_DATABASE_URL= $(PY) -m pytest -q -n 2 -m "not postgres_only"
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "== again on $$TEST_DATABASE_URL"; \
		$(PY) -m pytest -q -n 2 -m "database and not sqlite_only"; fi

bench: $(VENV)/.installed translations
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy
