# Heard: run `make help` for the list of targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 5000
export FLASK_APP := survey
LOCALES := pl ur
QTRANS := questionnaires/translations

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core for the browser tests, pinned in package-lock.json. Without npm the rest still
# installs, and the browser tests fail saying what is missing.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests need axe-core (apt-get install npm, then make install)" >&2; fi

install: $(STAMP) $(NODE_STAMP) ## Create .venv and install Heard with its development tools (and axe-core)

run: $(STAMP) ## Create the SQLite database, load the demo and serve on http://127.0.0.1:$(PORT)
	$(BIN)/heard init-db
	$(BIN)/heard demo
	$(BIN)/heard serve --host 127.0.0.1 --port $(PORT)

# Tests run in parallel (pytest-xdist; each worker has its own database): WORKERS=0 runs
# them in one process.
WORKERS ?= 2

test: $(STAMP) $(NODE_STAMP) ## Install what is missing and run every test (WORKERS=2 processes)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(WORKERS)

test-fast: $(STAMP) ## Every test but the browser ones, on every core (no Chromium needed)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto -m "not browser"

test-browser: $(STAMP) $(NODE_STAMP) ## Only the browser tests (headless Chromium: axe, keyboard, reflow, page weight)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/browser

report-preview: $(STAMP) ## The demo's QA and board reports, and a PNG of each QA report page, in build/report-preview/ (needs pdftoppm)
	$(BIN)/python tools/report_preview.py build/report-preview

page-weight: $(STAMP) ## Bytes on the wire for each respondent page (benchmarks/page_weight.py)
	$(BIN)/python benchmarks/page_weight.py

# The browser tests (axe, keyboard, reflow, page weight) check pages, not the database: they
# run on SQLite in `make test`, and on PostgreSQL only with BROWSER=1.
PG_MARK = $(if $(BROWSER),db,db and not browser)
test-postgres: $(STAMP) $(NODE_STAMP) ## Run every test that uses the database against TEST_DATABASE_URL (BROWSER=1: the browser ones too)
	@test -n "$$TEST_DATABASE_URL" || { echo "Set TEST_DATABASE_URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/heard_test"; exit 2; }
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(WORKERS) -m "$(PG_MARK)"

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/mypy_baseline.py  # mypy over survey/ and analysis/: strict cores clean, no error beyond tools/mypy-baseline.txt

i18n-extract: $(STAMP) ## Extract interface and questionnaire strings into their .pot templates
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --omit-header --sort-output --no-location -o survey/translations/messages.pot .
	@# one catalogue per questionnaire id, from every version of it (<id>.yaml, <id>.v2.yaml ...)
	@for id in $$(for f in questionnaires/*.yaml; do basename $$f | sed -E 's/(\.v[0-9]+)?\.yaml$$//'; done | sort -u); do \
	  mkdir -p $(QTRANS)/$$id; \
	  $(BIN)/pybabel extract -F questionnaires/babel.cfg --omit-header --no-location -o $(QTRANS)/$$id/messages.pot \
	    $$(ls questionnaires/$$id.yaml questionnaires/$$id.v*.yaml 2>/dev/null) || exit 1; done

i18n-update: $(STAMP) ## Merge new strings from the .pot templates into every language's .po file
	$(BIN)/pybabel update -i survey/translations/messages.pot -d survey/translations --no-fuzzy-matching
	@for pot in $(QTRANS)/*/messages.pot; do dir=$$(dirname $$pot); for lang in $(LOCALES); do \
	  if [ -f $$dir/$$lang.po ]; then $(BIN)/pybabel update -i $$pot -o $$dir/$$lang.po -l $$lang --no-fuzzy-matching; \
	  else $(BIN)/pybabel init -i $$pot -o $$dir/$$lang.po -l $$lang; fi || exit 1; done; done

i18n-compile: $(STAMP) ## Compile the interface .po files into the .mo files Flask-Babel reads
	$(BIN)/pybabel compile -d survey/translations --statistics

i18n-check: $(STAMP) ## Fail when the committed messages.pot is stale
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --omit-header --sort-output --no-location -o /tmp/heard-messages.pot . 2>/dev/null
	diff -u survey/translations/messages.pot /tmp/heard-messages.pot

evaluate: $(STAMP) ## Score the analysis engine on ../shared/data (prints figures beside the baselines)
	$(BIN)/python benchmarks/evaluate_analysis.py

benchmark: $(STAMP) ## Speed benchmarks of the analysis engine
	$(BIN)/python benchmarks/analysis_speed.py

clean: ## Remove the virtualenv and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info

.PHONY: help install run test test-fast test-browser page-weight report-preview test-postgres lint i18n-extract i18n-update i18n-compile i18n-check evaluate benchmark clean
