"""Open the workbook in JupyterLab: ``python -m lstm_lesson lab [DIR]``.

JupyterLab serves one folder and nothing above it, so it starts at the
repository root (the current folder, where ``make lab`` runs), with the file
browser on the workbook: the reader's copies are where it opens, and the
chapters with their solutions are one click away in ``notebooks/``. A workbook
that does not exist yet is made first. When DIR is outside the current folder,
JupyterLab starts on DIR itself.

It runs offline: no news feed, no update check (and no question about them). As root (a container, CI)
JupyterLab refuses to start without ``--allow-root``, which is then added.
Further arguments go to JupyterLab as they are (``--no-browser``, ``--port``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .chapters import chapter_files
from .workbook import make_workbook

__all__ = ["lab_command", "ensure_workbook"]

#: Keep JupyterLab from reaching the internet (there may be none, and a course
#: should not phone home): no news feed and no update check.
OFFLINE = ["--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
#: Default settings for the course's JupyterLab (``overrides.json``): news set to
#: "never", so it does not ask "Would you like to get notified about official
#: Jupyter news?" on every start. A reader's own settings still win.
SETTINGS = Path(__file__).resolve().parent.parent / "etc" / "jupyterlab"


def ensure_workbook(directory) -> str | None:
    """Make the workbook in ``directory`` if it has no chapter yet; say what was done."""
    if chapter_files(directory):
        return None
    report = make_workbook(directory)
    return str(report).splitlines()[-1]


def lab_command(directory="workbook", extra=(), cwd=None) -> list[str]:
    """The command that starts JupyterLab with its file browser on ``directory``."""
    cwd = Path(cwd or Path.cwd()).resolve()
    directory = Path(directory).resolve()
    try:
        root, opened = cwd, directory.relative_to(cwd).as_posix()
    except ValueError:  # a workbook elsewhere: serve it alone
        root, opened = directory, ""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
               f"--LabApp.default_url=/lab/tree/{opened}".rstrip("/"), *OFFLINE]
    if (SETTINGS / "overrides.json").is_file():
        command.append(f"--LabApp.app_settings_dir={SETTINGS}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command + list(extra)


def open_lab(directory="workbook", extra=()) -> None:
    """Make the workbook if needed, then replace this process by JupyterLab."""
    made = ensure_workbook(directory)
    if made:
        print(made, flush=True)
    command = lab_command(directory, extra)
    print(f"starting JupyterLab on {directory}/ (Ctrl-C twice to stop it)", flush=True)
    # exec, not a child process: Ctrl-C and the exit status are JupyterLab's own.
    os.execv(command[0], command)
