"""Written answers in the workbook, and the book's answer once you have written yours.

A written exercise (a question answered in words, ``:class: kind-written`` in
the chapter) gets an answer cell in the workbook::

    from lstm_lesson.answers import answer

    answer("ex-write-reach", r'''
    Write your answer here, in words, in place of this line; then run the cell.
    ''')

The reader writes the answer in the string and runs the cell. "After trying"
means the answer cell was edited: as long as the string holds only the
placeholder line (or nothing), :func:`answer` says "not answered yet" and shows
nothing of the book's answer; once anything else is written there, it prints
that the question is answered and displays the book's solution to compare
with. ``check`` and ``progress`` count a written question as answered when its
cell holds an answer, whether or not the cell was run (:func:`is_answered`).

The book's solution is read from the chapter notebooks (the ``{solution}``
dropdown of the exercise's label): those beside the package in a clone of the
repository, or the copies bundled in the package's wheel. So the answer cell
works from a workbook anywhere on disk.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .chapters import chapter_files, chapters_folder

__all__ = ["answer", "is_answered", "book_solution", "PLACEHOLDER", "answer_cell_source"]

#: The line an answer cell starts with; an answer is anything else.
PLACEHOLDER = "Write your answer here, in words, in place of this line; then run the cell."

#: A whole {solution} block (a written exercise's dropdown): fence, label,
#: options, body, the same fence, and the line's end.
SOLUTION_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\s*\{solution\}\s*(?P<label>\S+)[^\n]*\n(?P<body>.*?)"
    r"^(?P=fence)\s*$\n?",
    re.M | re.S,
)
# MyST roles the notebook front ends do not know: {term}`text <target>`, {numref}`x`.
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`<]*?)\s*(?:<[^`>]*>)?`")
#: What a reference to a label (a figure, an equation, a section) reads as.
_TARGET = {"numref": "the figure", "eq": "the equation", "ref": "the section"}


def answer_cell_source(label: str) -> str:
    """The source of the workbook's answer cell for the exercise ``label``."""
    return ("from lstm_lesson.answers import answer\n\n"
            f'answer("{label}", r"""\n{PLACEHOLDER}\n""")')


def is_answered(text) -> bool:
    """Whether ``text`` holds an answer: anything but the placeholder and blanks."""
    if not isinstance(text, str):
        return False
    return bool(text.replace(PLACEHOLDER, "").strip())


def _plain(body: str) -> str:
    """A solution's MyST as Markdown any notebook front end renders."""
    lines = [line for line in body.splitlines() if not re.match(r"^:\w+:", line)]
    def plain(match):
        if match["role"] in _TARGET and "<" not in match[0]:
            return _TARGET[match["role"]]
        return match["text"]

    return _ROLE.sub(plain, "\n".join(lines)).strip()


@lru_cache(maxsize=4)
def _solutions(folder: str, stamp: tuple) -> dict:
    """Every ``{solution}`` dropdown of the chapters in ``folder``, by label."""
    found = {}
    for path in chapter_files(folder):
        try:
            cells = json.loads(path.read_text())["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "markdown":
                continue
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for match in SOLUTION_BLOCK.finditer(source):
                found[match["label"]] = _plain(match["body"])
    return found


def book_solution(label: str, folder=None) -> str | None:
    """The book's answer to the written exercise ``label``, or None if not found."""
    folder = Path(folder) if folder is not None else chapters_folder()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in chapter_files(folder))
    return _solutions(str(folder), stamp).get(label)


def answer(label: str, text: str, folder=None) -> None:
    """Record a written answer and, once it is written, show the book's answer.

    Prints one line: ``… <label>: not answered yet ...`` while ``text`` is the
    placeholder or blank, ``✎ <label>: answered ...`` after; then displays the
    book's solution (rendered Markdown in Jupyter, plain text elsewhere).
    Returns None, so that Jupyter shows no ``Out:`` under the book's answer;
    :func:`is_answered` tells whether a text is an answer.
    """
    if not is_answered(text):
        print(f"… {label}: not answered yet.\n"
              "  Write your answer in this cell, in place of its first line, then run it.")
        return None
    solution = book_solution(label, folder)
    if solution is None:
        print(f"✎ {label}: answered. The book's answer is not found here: it is under\n"
              "  this exercise in the book, in a folded dropdown.")
        return None
    print(f"✎ {label}: answered. The book's answer, to compare with yours:")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the package
        get_ipython = None
    if get_ipython is None or get_ipython() is None:  # a plain Python: as text
        print(solution)
    else:  # rendered, math included
        display({"text/markdown": solution, "text/plain": solution}, raw=True)
    return None
