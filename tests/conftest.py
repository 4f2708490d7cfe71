"""Shared fixtures and hooks: the built book, nbval's sanitizer, chapter run times.

``make test`` runs the chapters once, through nbval (strict: every stored
output must equal a fresh run). Everything else reuses that run instead of
executing the chapters again:

* the book is built from the stored outputs that nbval proves current
  (``execute_notebooks: "off"`` in a copy of ``_config.yml``), with warnings
  as errors, exactly as ``make book`` builds it otherwise;
* the time each chapter took under nbval is recorded here, and
  ``tests/test_notebooks.py::test_every_chapter_runs_within_its_time_budget``
  (moved to the end of the session) checks it.
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

#: The test that reads the chapters' nbval run times; it runs last.
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


def pytest_collection_modifyitems(session, config, items):
    """Run the time-budget test after nbval has run the chapters."""
    is_budget = lambda item: getattr(item, "originalname", item.name) == BUDGET_TEST  # noqa: E731
    items[:] = [item for item in items if not is_budget(item)] + [
        item for item in items if is_budget(item)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Wall-clock time per notebook, kernel start included: from the start of
    # its first cell's protocol to the end of its last.
    name = _notebook_of(item)
    start = time.perf_counter()
    yield
    if name is not None:
        _STARTED.setdefault(name, start)
        CHAPTER_SECONDS[name] = time.perf_counter() - _STARTED[name]


def pytest_terminal_summary(terminalreporter):
    if CHAPTER_SECONDS:
        terminalreporter.write_sep("-", "chapter run times under nbval (kernel start included)")
        for name, seconds in sorted(CHAPTER_SECONDS.items()):
            terminalreporter.write_line(f"{seconds:6.1f} s  {name}")
