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
# One BLAS thread per process: our matrices are small, and the build runs a kernel per core
# (plus forked frame renderers), where multithreaded OpenBLAS oversubscribes the cores and
# made one chapter 5x slower. Set for every target so all numbers come from the same setup.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
# Widget frames are reused between executions when nothing they depend on changed
# (lecnotes/frame_cache.py): the build, nbval and make lab share this store; make clean
# empties it. Set here (not ?=) so a build in another tree never uses this tree's store.
export LECNOTES_FRAME_CACHE := $(CURDIR)/_build/frame-cache

PY_STAMP := $(VENV)/.installed
# JupyterLab settings of the book (no news pop-up), installed where JupyterLab reads defaults.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/lecnotes.json5
JS_STAMP := node_modules/.installed
BOOK_STAMP := _build/.built
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
# The student edition: the chapters with the exercises' stubs of student/ (tools/student.py).
STUDENT_SOURCES := $(wildcard student/*.py) tools/student.py tools/exercise_cells.py
BOOK_SOURCES := _config.yml _toc.yml intro.md glossary.md bibliography.md references.bib $(CHAPTERS) \
	$(wildcard lecnotes/*.py) $(wildcard _static/*) $(wildcard _ext/*.py) $(wildcard _ext/*.js) \
	$(wildcard _templates/*/*.html) tools/execute.py tools/dependencies.py tools/render.py \
	$(STUDENT_SOURCES)

.PHONY: help deps book pdf serve lab execute student test check lint unit nbval nbval-second-env \
	site e2e bench clean distclean

help:
	@echo "make book     build the website into _build/html (installs what it needs)"
	@echo "make pdf      the whole book as one PDF, _build/pdf/book.pdf (Chromium, no LaTeX)"
	@echo "make test     lint, unit tests, nbval in two floating-point environments, the built site"
	@echo "make check    make test, then the end-to-end tests: Chromium, JupyterLab, builds (CI)"
	@echo "make serve    serve the built site on http://127.0.0.1:8000"
	@echo "make lab      JupyterLab on chapters/ with live sliders"
	@echo "make execute  re-execute every chapter in place (commit the outputs)"
	@echo "make student  the student edition: exercises to do, in _build/student-edition(.zip)"
	@echo "make bench    benchmarks, each a ratio to a yardstick: PERFORMANCE.md's table"
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

$(LAB_SETTINGS): tools/jupyterlab-settings.json5 $(PY_STAMP)
	install -D -m 644 $< $@

deps: $(PY_STAMP) $(JS_STAMP) $(LAB_SETTINGS)

NOTEBOOKS := intro.md $(CHAPTERS)
FULL_STAMP := _build/.full-rebuild

# Sphinx re-reads only changed pages, but cannot see a change to our extensions, templates,
# npm assets or the bibliography: then the next build starts from scratch.
$(FULL_STAMP): $(wildcard _ext/*.py) $(wildcard _ext/*.js) $(wildcard _templates/*/*.html) references.bib \
	$(JS_STAMP)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	@mkdir -p _build && touch $@

# 1. Execute the notebooks whose code, imported lecnotes modules or pinned libraries changed,
#    one kernel per core (tools/execute.py; a failing cell fails the build).
# 2. Render, alongside (--render, tools/render.py): Sphinx reads the changed pages (a
#    re-executed notebook counts as changed), each once its notebook is executed, and takes
#    outputs from the execution cache. Warnings fail the build; after a failure the
#    next build re-reads every page, so a warning cannot vanish because its page was not read.
$(BOOK_STAMP): $(PY_STAMP) $(JS_STAMP) $(BOOK_SOURCES) $(FULL_STAMP)
	python tools/execute.py --render "jupyter-book build . -W -n --keep-going" $(NOTEBOOKS) \
		|| { rm -rf _build/.doctrees; exit 1; }
	@touch $@

book: $(BOOK_STAMP)
	@echo "The book is in $(CURDIR)/_build/html/index.html (or run: make serve)"

# The whole book as one PDF, printed by Chromium (tools/pdf.py; see ARCHITECTURE.md, "The
# printed book"). The chapters' outputs come from the executor step of `make book`, which
# executes nothing when `make book` has run; the single page has its own build folder.
PDF := _build/pdf/book.pdf
$(PDF): $(PY_STAMP) $(JS_STAMP) $(BOOK_SOURCES) tools/pdf.py tools/pdf_print.py tools/chromium.py \
		tools/pdf.js tools/pdf.css
	python tools/execute.py $(NOTEBOOKS)
	python tools/pdf.py

pdf: $(PDF)

serve: book
	python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# The chapters' MyST (admonitions, dropdowns, math, citations) renders through jupyterlab-myst.
lab: deps
	jupyter lab --notebook-dir=chapters

# Re-execute chapters in place so that committed notebooks carry current outputs (nbval's
# expected results). Widget state is not stored: the outputs carry the static frames.
execute: deps
	python tools/execute.py --inplace $(CHAPTERS)

# The student edition from the committed chapters (no execution): _build/student-edition/ and
# its zip, which make book also puts on the site. Exits 1 when a stub does not fit its solution.
STUDENT_ZIP := _build/student-edition.zip
$(STUDENT_ZIP): $(PY_STAMP) $(CHAPTERS) $(STUDENT_SOURCES) _ext/downloads.py _config.yml \
		pyproject.toml requirements.txt $(wildcard lecnotes/*.py)
	python tools/student.py

student: $(STUDENT_ZIP)

lint: deps
	ruff check .
	ruff format --check .

unit: deps
	python -m pytest -m "not site" -n 2

# nbval compares every chapter's printed outputs with the stored ones, one notebook per worker.
NBVAL := python -m pytest -p no:cacheprovider --nbval --nbval-current-env -n 2 --dist loadfile
# A second floating-point environment: numpy's SIMD loops limited to the x86-64 baseline and
# OpenBLAS forced to its old Nehalem kernels, so sums are rounded in other orders than natively
# (see CONTRIBUTING.md). A printed number that changes here would change on some reader's CPU.
# With two OpenBLAS threads, as a reader's kernel started outside make has (one per core):
# a timing check must hold with them too (chapters 2, 4 and 5 hold BLAS to one thread).
SECOND_FP_ENV := NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR" \
	OPENBLAS_CORETYPE=Nehalem OPENBLAS_NUM_THREADS=2

nbval: deps
	$(NBVAL) $(NBVAL_ARGS) $(CHAPTERS)

nbval-second-env: deps
	@if [ "$$(uname -m)" = x86_64 ]; then \
		echo "nbval in the second floating-point environment: $(SECOND_FP_ENV)"; \
		$(SECOND_FP_ENV) $(NBVAL) $(NBVAL_ARGS) $(CHAPTERS); \
	else \
		echo "nbval-second-env: skipped on $$(uname -m): its settings are x86-64 specific"; \
	fi

# The built site's files: every page offline, downloads, glossary links, PyTorch blocks.
site: book
	python -m pytest -m "site and not e2e"

# End to end: Chromium on every page (axe-core, sliders, links), JupyterLab, builds of a
# scratch book, the downloads in a fresh venv. A test file stays in one worker (its
# module-scoped pages); each worker sends its part of the axe report to the summary.
e2e: book
	python -m pytest -m e2e -n 2 --dist loadfile

test: lint unit nbval nbval-second-env site
	@echo "make test: all checks passed"

# Everything: what CI runs.
check: test e2e
	@echo "make check: all checks passed"

# Every time as a ratio to a yardstick measured in the same run (bench/report.py): builds in
# a throwaway copy of the tree beside a plain Jupyter Book build, widgets, each chapter's
# Run All, JupyterLab, compute. Writes bench/results/bench.json and PERFORMANCE.md's table;
# exits 1 when a ratio exceeds its budget. About 15 min; SKIP=build,widgets,chapters,lab,compute
# leaves parts out, SKIP= also runs make test (4 more minutes).
SKIP ?= test
bench: deps
	MPLBACKEND=Agg python bench/run.py --skip "$(SKIP)"

clean:
	rm -rf _build .pytest_cache .ruff_cache bench/results

distclean: clean
	rm -rf $(VENV) node_modules
