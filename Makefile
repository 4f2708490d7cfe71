# The two commands of the quick start are `make book` and `make test`.
# Each creates .venv on first use and installs requirements.txt and lstm_lesson.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test portability lab workbook reset check progress clean

$(INSTALLED): requirements.txt pyproject.toml etc/ipython/ipython_kernel_config.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	@# Build matplotlib's font cache now: its one-time notice on stderr would
	@# otherwise land in the first notebook run (and fail the strict build).
	$(BIN)/python -c "import matplotlib.font_manager"
	@# Quiets the kernels' "running over TCP without encryption" warning (see the file).
	install -D -m 644 etc/ipython/ipython_kernel_config.py $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $(INSTALLED)

## book: build the book into _build/html (offline, warnings are errors)
book: $(INSTALLED)
	$(BIN)/jupyter-book build -W -n --keep-going --all .
	@echo "The book is built. Open its front page: $(CURDIR)/_build/html/index.html"

## test: unit tests, every notebook re-run by nbval, the strict book build, the browser test
## (one process per core, pytest-xdist: tests/conftest.py says in which order)
test: $(INSTALLED)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

## portability: every chapter re-run by nbval as a machine of another x86-64 kind
## would run it (OpenBLAS's generic kernels, NumPy without its AVX2 paths): a
## printed number that depends on the last bits of a result fails here.
portability: $(INSTALLED)
	OPENBLAS_CORETYPE=Prescott NPY_DISABLE_CPU_FEATURES=X86_V3 $(BIN)/python -m pytest notebooks

## lab: open JupyterLab on your workbook (made first if missing); the chapters,
## with solutions, are in notebooks/. More JupyterLab options: make lab LAB_ARGS=--no-browser
lab: $(INSTALLED)
	$(BIN)/python -m lstm_lesson lab $(LAB_ARGS)

## workbook: write your exercise copies into workbook/ (never overwrites your edits)
workbook: $(INSTALLED)
	$(BIN)/python -m lstm_lesson workbook

## reset: a fresh copy of one chapter of your workbook, yours kept in workbook/.backup/
## (make reset CHAPTER=03)
reset: $(INSTALLED)
	@test -n "$(CHAPTER)" || { echo "name the chapter: make reset CHAPTER=03"; exit 2; }
	$(BIN)/python -m lstm_lesson workbook --reset $(CHAPTER)

## check: run your workbook, print every checker's verdict and the progress table
## (all chapters, or some: make check CHAPTERS="03 05")
check: $(INSTALLED)
	$(BIN)/python -m lstm_lesson check $(CHAPTERS)

## progress: the table of exercises done, wrong and not attempted, chapter by chapter
progress: $(INSTALLED)
	$(BIN)/python -m lstm_lesson progress $(CHAPTERS)

clean:
	rm -rf _build
