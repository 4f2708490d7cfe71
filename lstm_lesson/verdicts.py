"""What an executed workbook notebook says about each exercise.

After a workbook notebook has run, :func:`read_chapter` walks its cells and
gathers, exercise by exercise (an exercise starts at its ``**Exercise: title**``
heading), the whole printed output of each checker cell (a code cell whose
source is a single call ``check_<name>(...)``) and the first error raised in the
reader's own cells. An error is reported once, under the exercise it belongs
to: the checker after a cell with a syntax error fails with a ``NameError``,
which only repeats the cause and is not reported again. A written exercise's
answer cell (a call ``answer("ex-...", ...)``, see :mod:`lstm_lesson.answers`)
makes it "answered" or "not answered", read from the cell's source: an edited
answer counts even before the cell is run.

Nothing here parses a checker's detail lines (expected, received, hints): only
the first character of its verdict (``✓``, ``✗`` or ``…``) is read, and the
output is shown as printed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field

from .answers import is_answered

__all__ = ["Exercise", "ChapterVerdicts", "read_chapter", "STATUS_OF_MARK", "WRITTEN"]

#: The first character of a checker's verdict, and what it means.
STATUS_OF_MARK = {"✓": "done", "✗": "wrong", "…": "not attempted"}
#: The states of a written question with an answer cell.
WRITTEN = ("answered", "not answered")

# The workbook's plain heading, or the chapter's MyST directive (so that the
# chapters themselves, solutions in place, can be checked too).
_HEADING = re.compile(
    r"^(?:\*\*Exercise(?::\s*(?P<plain>.*?))?\*\*|(?:`{3,}|:{3,})\s*\{exercise\}(?P<myst>.*?))\s*$",
    re.M,
)
_CHECKER = re.compile(r"check_\w+\(.*\)", re.S)
_ANSWER = re.compile(r"^answer\(\s*[\"'](?P<label>[^\"']+)[\"']", re.M)
_VERDICT = re.compile(r"^[✓✗…] check_\w+", re.M)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"^\s*Cell In\[(?P<count>\d+)\], line (?P<line>\d+)")
_WHERE = re.compile(r" [(][^()]*, line \d+[)]$")  # "(3370609169.py, line 2)"
_SYNTAX = ("SyntaxError", "IndentationError", "TabError")


@dataclass
class Exercise:
    """One exercise of a chapter, as the run left it.

    ``outputs`` holds the whole printed output of each checker cell, in order;
    ``error`` the description of the first error raised in the exercise's
    cells (None if there was none). ``checked`` is False for a written
    question, which has no checker cell; ``answered`` is whether its answer
    cell holds an answer (None when there is no answer cell: a coding
    exercise, or a written question in a chapter or in an older workbook).
    """

    title: str
    outputs: list = field(default_factory=list)
    error: str | None = None
    checked: bool = False
    answered: bool | None = None

    @property
    def status(self) -> str | None:
        """"done", "wrong" or "not attempted" for an exercise with a checker;
        "answered" or "not answered" for a written one with an answer cell;
        None for any other.

        The last checker's verdict decides; an exercise whose checker printed
        none (because the reader's code failed first) is wrong.
        """
        if not self.checked:
            return None if self.answered is None else WRITTEN[not self.answered]
        for output in reversed(self.outputs):
            verdict = _VERDICT.search(output)
            if verdict:
                return STATUS_OF_MARK[verdict[0][0]]
        return "wrong"


@dataclass
class ChapterVerdicts:
    """Every exercise of one chapter, and errors in the chapter's own code."""

    exercises: list = field(default_factory=list)
    chapter_error: str | None = None  # the first error outside the exercises
    later_errors: int = 0  # further errors outside the exercises (likely consequences)

    def counts(self) -> dict:
        """Exercises per status: done, wrong, not attempted, answered, not answered."""
        counts = dict.fromkeys((*STATUS_OF_MARK.values(), *WRITTEN), 0)
        for exercise in self.exercises:
            if exercise.status is not None:
                counts[exercise.status] += 1
        return counts

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> "ChapterVerdicts":
        return cls(exercises=[Exercise(**e) for e in data["exercises"]],
                   chapter_error=data["chapter_error"], later_errors=data["later_errors"])


def is_checker(cell) -> bool:
    """A checker cell: a code cell that is one call ``check_<name>(...)``."""
    return cell.cell_type == "code" and bool(_CHECKER.fullmatch(cell.source.strip()))


def answer_of(cell) -> bool | None:
    """For a written exercise's answer cell, whether it holds an answer; else None."""
    if cell.cell_type != "code" or not _ANSWER.search(cell.source):
        return None
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:  # the reader's text broke the string: it was edited
        return True
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "answer"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
            return is_answered(node.args[1].value)
    return True  # the call was rewritten: the reader wrote something


def read_chapter(nb) -> ChapterVerdicts:
    """The exercises of an executed notebook ``nb`` (an nbformat node)."""
    found = ChapterVerdicts()
    current = None  # the exercise whose cells we are in
    closed = True  # True once a markdown cell follows the current exercise's checker
    counts = {cell.get("execution_count"): cell for cell in nb.cells if cell.cell_type == "code"}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = _HEADING.search(cell.source)
            if heading:
                title = (heading["plain"] or heading["myst"] or "").strip()
                current = Exercise(title=title or "(untitled)")
                found.exercises.append(current)
                closed = False
            elif current is not None and (current.checked or current.answered is not None
                                          or cell.source.startswith("#")):
                closed = True  # the chapter's text goes on after the exercise
            continue
        if cell.cell_type != "code":
            continue
        error = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
        answered = answer_of(cell)
        if answered is not None and current is not None:
            current.answered = answered
            if error is not None and current.error is None:
                current.error = describe_error(error, counts, cell.source)
            closed = False
        elif is_checker(cell) and current is not None:
            # A checker belongs to the last exercise even when the reader put a
            # note between the exercise and it.
            current.checked = True
            printed = _printed(cell)
            if printed:
                current.outputs.append(printed)
            if error is not None and current.error is None:
                current.error = describe_error(error, counts, cell.source)
            closed = False
        elif error is not None and current is not None and not closed:
            if current.error is None:
                current.error = describe_error(error, counts, cell.source)
        elif error is not None:
            if found.chapter_error is None:
                found.chapter_error = describe_error(error, counts, cell.source)
            else:
                found.later_errors += 1
    return found


def _printed(cell) -> str:
    """Everything a cell printed (stdout and stderr, in order)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.output_type == "stream").rstrip("\n")


def _first_line(source: str) -> str:
    """The first line of a cell that is not blank or a comment, to name the cell."""
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return source.strip().splitlines()[0] if source.strip() else "(empty cell)"


def describe_error(output, cells_by_count, source) -> str:
    """An error output as a few lines a reader can act on, without a traceback.

    Names the error, the cell (by its first line; readers do not see cell
    numbers) and the line in it, with the caret for a syntax error.
    ``cells_by_count`` maps execution counts to cells, to find the cell of a
    frame; ``source`` is the failing cell's own source, the fallback.
    """
    frames = [_ANSI.sub("", part) for part in output.get("traceback", [])]
    message = f"{output.ename}: {output.evalue}"
    if output.ename in _SYNTAX:
        # IPython puts the file name and line in evalue; the frame says it better.
        message = f"{output.ename}: {_WHERE.sub('', output.evalue)}"
    located = [(m, frame) for frame in frames for m in [_FRAME.match(frame)] if m]
    if not located:
        return f"{message}\n  in the cell starting: {_first_line(source)}"
    match, frame = located[-1]
    cell = cells_by_count.get(int(match["count"]))
    cell_source = cell.source if cell is not None else source
    number = int(match["line"])
    lines = [message, f"  in the cell starting: {_first_line(cell_source)}"]
    if output.ename in _SYNTAX:
        body = frame.splitlines()[1:]
        # The code line and the caret, as IPython printed them, without the message.
        snippet = [line for line in body if line.strip() and not line.startswith(output.ename)]
        lines.append(f"  line {number}:")
        lines += [f"    {line}" for line in snippet]
    else:
        code = cell_source.splitlines()
        if 0 < number <= len(code):
            lines.append(f"  line {number}: {code[number - 1].strip()}")
    return "\n".join(lines)
