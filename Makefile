# 智改数转诊断平台 — the README's commands. Everything works on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
export FLASK_APP := app

.PHONY: run test test-sqlite test-postgres bench lint translations translations-update system-deps engine \
	clean-engine

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# The hot engine modules compiled with mypyc into build/engine/ (tools/build_engine.py); rebuilt when
# diagnosis/core changes. Without a fresh build the engine runs as pure Python (diagnosis/core/native.py).
ENGINE_STAMP := build/engine/stamp.json

engine: $(ENGINE_STAMP)

$(ENGINE_STAMP): $(shell find diagnosis/core -name '*.py') tools/build_engine.py $(VENV)/.installed
	$(PY) tools/build_engine.py

clean-engine:
	rm -rf build/engine*

# System libraries (WeasyPrint, CJK fonts, poppler, Chromium) when run as root on Debian.
system-deps:
	@./.ci/system-deps

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations >/dev/null

translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot . >/dev/null
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching >/dev/null
	$(FLASK) translations fill-identity
	-$(FLASK) translations check

run: system-deps $(VENV)/.installed translations engine
	$(FLASK) db upgrade
	$(FLASK) demo seed --once
	$(FLASK) run --host 127.0.0.1 --port 5000

test: system-deps $(VENV)/.installed translations engine
	TEST_DATABASE_URL= $(PY) -m pytest -q
	@echo "== the engine's tests again in pure Python"
	DIAGNOSIS_ENGINE=python $(PY) -m pytest -q tests/core
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "== again on $$TEST_DATABASE_URL"; $(PY) -m pytest -q -m "not sqlite_only" tests/store tests/web tests/reports; fi

bench: $(VENV)/.installed translations engine
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
