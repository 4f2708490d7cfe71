"""Shared fixtures: the built book (built once per test session)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))

# The README's build command, pointed at a temporary output folder.
BUILD_COMMAND = ["jupyter-book", "build", "-W", "-n", "--keep-going", "--all"]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the book with warnings as errors; return (returncode, log, html dir)."""
    out = tmp_path_factory.mktemp("book")
    exe = Path(sys.executable).parent / "jupyter-book"
    command = [str(exe) if exe.exists() else BUILD_COMMAND[0], *BUILD_COMMAND[1:],
               str(ROOT), "--path-output", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    return run.returncode, run.stdout + run.stderr, out / "_build" / "html"


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None
