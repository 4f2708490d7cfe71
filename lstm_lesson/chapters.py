"""Chapters named on the command line: by number (``3``, ``03``), name or path.

A reader types what they see: ``check 03``, ``check 3``, ``workbook --reset
03-forget-gate`` or a path from the file browser, ``workbook/03-forget-gate.ipynb``.
:func:`pick` turns each of those into one notebook of a folder, and a mistake
into a :class:`UsageError` that names the argument and lists what exists.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["UsageError", "chapter_files", "chapters_folder", "pick"]

#: Chapters are numbered files: ``03-forget-gate.ipynb``.
CHAPTER_GLOB = "[0-9][0-9]-*.ipynb"
#: Where the package's wheel carries copies of the chapters (the book's build
#: puts them there; a clone of the repository has none and uses notebooks/).
BUNDLED = Path(__file__).resolve().parent / "_chapters"


class UsageError(ValueError):
    """A command-line argument that names nothing usable (exit status 2)."""


def chapters_folder() -> Path:
    """The chapters with their solutions: the wheel's copies, or the repository's.

    Installed from the wheel that the book offers, the package carries the
    chapters in ``lstm_lesson/_chapters``; in a clone of the repository they
    are in ``notebooks/``, beside the package.
    """
    if chapter_files(BUNDLED):
        return BUNDLED
    return BUNDLED.parent.parent / "notebooks"


def chapter_files(folder) -> list[Path]:
    """The numbered chapter notebooks in ``folder``, in order."""
    return sorted(Path(folder).glob(CHAPTER_GLOB))


def pick(names, folder, *, what="chapter", allow_paths=True) -> list[Path]:
    """The notebooks of ``folder`` that ``names`` designate, in the order given.

    Each name is a chapter number (``3`` or ``03``), a file name with or without
    ``.ipynb`` (``03-forget-gate``), or, when ``allow_paths``, the path of an
    existing notebook anywhere (returned as it is). Duplicates are dropped.

    Raises
    ------
    UsageError
        For a name that matches no chapter of ``folder``; the message names the
        argument and lists the chapters there.
    """
    folder = Path(folder)
    chapters = chapter_files(folder)
    picked = []
    for name in names:
        path = _one(str(name), folder, chapters, what, allow_paths)
        if path not in picked:
            picked.append(path)
    return picked


def _one(name, folder, chapters, what, allow_paths):
    given = Path(name)
    if allow_paths and given.suffix == ".ipynb" and given.is_file():
        return given
    if re.fullmatch(r"\d{1,2}", name):
        found = [p for p in chapters if int(p.name[:2]) == int(name)]
    else:
        stem = given.name.removesuffix(".ipynb")
        found = [p for p in chapters if p.stem == stem]
    if len(found) == 1:
        return found[0]
    listing = (f"chapters there: {chapters[0].name[:2]} to {chapters[-1].name[:2]}, "
               f"e.g. {chapters[0].name}" if chapters else "it has no chapter notebooks")
    if not folder.is_dir():
        listing = "that folder does not exist"
    raise UsageError(f"{what} {name!r}: no such chapter in {folder}/ ({listing})")
