"""Shared fixtures and hooks: the built book, nbval's sanitizer, chapter run times.

``make test`` runs the chapters once, through nbval (strict: every stored
output must equal a fresh run). Everything else reuses that run instead of
executing the chapters again:

* the book is built from the stored outputs that nbval proves current
  (``execute_notebooks: "off"`` in a copy of ``_config.yml``), with warnings
  as errors, exactly as ``make book`` builds it otherwise;
* the time each chapter took under nbval is recorded here and checked
  against its time budget when its last cell has run: that cell fails if the
  chapter took too long. (``tests/test_notebooks.py::
  test_every_chapter_runs_within_its_time_budget`` makes the same check when
  nbval is not running the chapter in the session; it runs it itself.)

``make test`` spreads the tests over the machine's cores with pytest-xdist,
one test file or chapter per process at a time (``--dist loadfile``), in the
order below (the longest first); plain ``pytest`` runs them in one process.
"""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"

# The README's build command, pointed at a temporary output folder.
BUILD_COMMAND = ["jupyter-book", "build", "-W", "-n", "--keep-going", "--all"]

#: The test that times a chapter when nbval does not run it in the session.
BUDGET_TEST = "test_every_chapter_runs_within_its_time_budget"


def sanitize_patterns():
    """nbval's (regex, replacement) pairs from ``tests/nbval_sanitize.cfg``.

    Parsed with nbval's own function, so any comparison of printed text in the
    tests uses exactly the rules nbval uses.
    """
    from nbval.plugin import get_sanitize_patterns

    return get_sanitize_patterns(SANITIZE_FILE.read_text())


def sanitize(text):
    """``text`` with nbval's sanitizer applied (timings, addresses)."""
    for regex, replacement in sanitize_patterns():
        text = re.sub(regex, replacement, text)
    return text


def stored_output_config(path):
    """Write a copy of ``_config.yml`` that builds from the stored outputs."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    # Jupyter Book resolves these folders against the config file's own folder.
    extensions = config.get("sphinx", {}).get("local_extensions", {})
    for name, folder in extensions.items():
        extensions[name] = str(ROOT / folder)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the book with warnings as errors; return (returncode, log, html dir).

    The chapters are not executed again here: nbval, in the same ``make
    test``, re-runs every one of them and fails if a stored output differs
    from a fresh run, so the stored outputs are the fresh ones.
    """
    out = tmp_path_factory.mktemp("book")
    config = stored_output_config(out / "_config.yml")
    exe = Path(sys.executable).parent / "jupyter-book"
    command = [str(exe) if exe.exists() else BUILD_COMMAND[0], *BUILD_COMMAND[1:],
               str(ROOT), "--path-output", str(out), "--config", str(config)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    return run.returncode, run.stdout + run.stderr, out / "_build" / "html"


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


# -- Chapter run times, taken from the nbval run -------------------------------

#: notebook file name -> seconds nbval spent on it (setup and every cell).
CHAPTER_SECONDS = {}
_STARTED = {}


def _notebook_of(item):
    path = Path(str(item.fspath))
    return path.name if path.suffix == ".ipynb" else None


#: A chapter's budget on a quiet 2-core machine, in seconds, unless its metadata
#: sets ``lstm_lesson.time_budget`` (at most MAX_BUDGET): a reader runs each
#: chapter in seconds, not minutes.
DEFAULT_BUDGET, MAX_BUDGET = 30, 60
#: ``make test`` must also pass with both cores busy (two CPU-bound processes
#: beside it roughly double a chapter's wall-clock time), so the check allows
#: this factor over the budget; the budgets themselves are measured quiet.
LOAD_ALLOWANCE = 2


def time_budget(nb):
    """The chapter's time budget in seconds (``nb`` a notebook node); a test in
    tests/test_notebooks.py keeps every chapter's at most MAX_BUDGET."""
    return nb.metadata.get("lstm_lesson", {}).get("time_budget", DEFAULT_BUDGET)


def over_budget(name, seconds, budget):
    """Why a chapter that took ``seconds`` is over its ``budget``, or None."""
    limit = budget * LOAD_ALLOWANCE
    if seconds < limit:
        return None
    return (f"{name} took {seconds:.1f} s, over its limit of {limit} s "
            f"(time budget {budget} s x {LOAD_ALLOWANCE} for a busy machine)")


def _is_budget(item):
    return getattr(item, "originalname", item.name) == BUDGET_TEST


#: Run first, so that under pytest-xdist neither process is left with a long
#: file at the end: the workbook run (test_progress.py's fixture), the book's
#: build and browser test, then the chapters.
FIRST = ["test_progress.py", "test_book.py"]

#: notebook file name -> node id of its last cell (where its time is checked).
_LAST_CELL = {}


def _rank(item):
    name = Path(str(item.fspath)).name
    if name in FIRST:
        return FIRST.index(name)
    return len(FIRST) if _notebook_of(item) else len(FIRST) + 1


def pytest_collection_modifyitems(session, config, items):
    """Order the tests (the longest files first, each file's own order kept) and
    deselect the budget test of every chapter nbval runs in this session (its
    last cell makes the check)."""
    items[:] = sorted(items, key=_rank)  # stable: each file's order is kept
    for item in items:
        if _notebook_of(item):
            _LAST_CELL[_notebook_of(item)] = item.nodeid
    budget = [item for item in items if _is_budget(item)
              and item.callspec.params["path"].name in _LAST_CELL]
    if budget:
        config.hook.pytest_deselected(items=budget)
        items[:] = [item for item in items if item not in budget]


class _ChapterBudget:
    """The chapter's last cell fails when the whole chapter ran over its budget.

    A plugin, not a hook of this file: pytest calls a conftest's report hooks
    only for the tests under its folder, and the chapters are in notebooks/."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        name = _notebook_of(item)
        if name and call.when == "call" and report.passed and _LAST_CELL.get(name) == item.nodeid:
            import nbformat
            seconds = time.perf_counter() - _STARTED[name]
            why = over_budget(name, seconds, time_budget(nbformat.read(str(item.fspath), as_version=4)))
            if why:
                report.outcome, report.longrepr = "failed", why


def pytest_configure(config):
    config.pluginmanager.register(_ChapterBudget(), "lstm-lesson-chapter-budget")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Wall-clock time per notebook, kernel start included: from the start of
    # its first cell's protocol to the end of its last.
    name = _notebook_of(item)
    if name is not None:
        _STARTED.setdefault(name, time.perf_counter())
    yield
    if name is not None:
        CHAPTER_SECONDS[name] = time.perf_counter() - _STARTED[name]


def pytest_sessionfinish(session):
    # In a pytest-xdist worker: hand the chapters' times to the main process.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["chapter_seconds"] = dict(CHAPTER_SECONDS)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: the main process, a worker done
def pytest_testnodedown(node, error):
    CHAPTER_SECONDS.update(getattr(node, "workeroutput", {}).get("chapter_seconds", {}))


def pytest_terminal_summary(terminalreporter):
    if CHAPTER_SECONDS:
        terminalreporter.write_sep("-", "chapter run times under nbval (kernel start included)")
        for name, seconds in sorted(CHAPTER_SECONDS.items()):
            terminalreporter.write_line(f"{seconds:6.1f} s  {name}")
