# The two commands of the quick start are `make book` and `make test`.
# Each creates .venv on first use and installs requirements.txt and lstm_lesson.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test portability lab workbook check clean

$(INSTALLED): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	@# Build matplotlib's font cache now: its one-time notice on stderr would
	@# otherwise land in the first notebook run (and fail the strict build).
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $(INSTALLED)

## book: build the book into _build/html (offline, warnings are errors)
book: $(INSTALLED)
	$(BIN)/jupyter-book build -W -n --keep-going --all .
	@echo "The book is built. Open its front page: $(CURDIR)/_build/html/index.html"

## test: unit tests, every notebook re-run by nbval, the strict book build, the browser test
test: $(INSTALLED)
	$(BIN)/python -m pytest

## portability: every chapter re-run by nbval as a machine of another x86-64 kind
## would run it (OpenBLAS's generic kernels, NumPy without its AVX2 paths): a
## printed number that depends on the last bits of a result fails here.
portability: $(INSTALLED)
	OPENBLAS_CORETYPE=Prescott NPY_DISABLE_CPU_FEATURES=X86_V3 $(BIN)/python -m pytest notebooks

## lab: open the chapter notebooks in JupyterLab
lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks

## workbook: write your exercise copies into workbook/ (never overwrites your edits)
workbook: $(INSTALLED)
	$(BIN)/python -m lstm_lesson workbook

## check: run every workbook notebook and print each checker's verdict
check: $(INSTALLED)
	$(BIN)/python -m lstm_lesson check

clean:
	rm -rf _build
