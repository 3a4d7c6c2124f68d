# The two commands a newcomer needs: `make book` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Everything below runs the venv's tools first (jupyter, pytest, ruff, the kernel's python).
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

PY_STAMP := $(VENV)/.installed
JS_STAMP := node_modules/.installed
BOOK_STAMP := _build/.built
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
BOOK_SOURCES := _config.yml _toc.yml intro.md bibliography.md references.bib $(CHAPTERS) \
	$(wildcard lecnotes/*.py) $(wildcard _static/*) $(wildcard _ext/*.py)

.PHONY: help deps book serve lab execute test lint unit nbval site bench clean distclean

help:
	@echo "make book     build the website into _build/html (installs what it needs)"
	@echo "make test     lint, unit tests, nbval on every chapter, build, browser tests"
	@echo "make serve    serve the built site on http://127.0.0.1:8000"
	@echo "make lab      JupyterLab on chapters/ with live sliders"
	@echo "make execute  re-execute every chapter in place (commit the outputs)"
	@echo "make bench    benchmarks (numbers, not pass/fail tests)"
	@echo "make clean    remove build outputs; make distclean also removes .venv and node_modules"

# Python dependencies: reinstalled only when requirements.txt or pyproject.toml change.
$(PY_STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@# Build matplotlib's font cache now: on first use it prints a notice to stderr, which
	@# would show up as a cell output in the first notebook executed.
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	@touch $@

# JavaScript assets (MathJax), exactly as locked: reinstalled only when the lock changes.
$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(PY_STAMP) $(JS_STAMP)

# A full build from scratch whenever any source changed: every chapter is executed again,
# and warnings (including a failing cell) fail the build.
$(BOOK_STAMP): $(PY_STAMP) $(JS_STAMP) $(BOOK_SOURCES)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	jupyter-book build . --all -W -n --keep-going
	@touch $@

book: $(BOOK_STAMP)
	@echo "The book is in $(CURDIR)/_build/html/index.html (or run: make serve)"

serve: book
	python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

lab: deps
	jupyter lab --notebook-dir=chapters

# Re-execute chapters in place so that committed notebooks carry current outputs (nbval's
# expected results). Widget state is not stored: the outputs carry the static frames.
execute: deps
	jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.store_widget_state=False \
		$(CHAPTERS)

lint: deps
	ruff check .
	ruff format --check .

unit: deps
	python -m pytest -m "not site"

nbval: deps
	python -m pytest -p no:cacheprovider --nbval --nbval-current-env $(CHAPTERS)

site: book
	python -m pytest -m site

test: lint unit nbval site
	@echo "make test: all checks passed"

bench: book
	MPLBACKEND=Agg python bench/widgets.py

clean:
	rm -rf _build .pytest_cache .ruff_cache .jupyter_cache bench/results

distclean: clean
	rm -rf $(VENV) node_modules
