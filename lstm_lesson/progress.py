"""Run workbook chapters and report on every exercise: ``check`` and ``progress``.

``python -m lstm_lesson check [CHAPTER ...]`` runs each chapter top to bottom
(as *Run All Cells* would, errors and all), saying which one it is running and
how long it took, then prints every checker's whole verdict under its exercise
and a table: exercises done, wrong and not attempted, and written questions
answered and not answered, chapter by chapter.
``python -m lstm_lesson progress [CHAPTER ...]`` prints the table only.

Runs are remembered in the workbook's ``.progress.json`` (only in a folder
that :func:`~lstm_lesson.workbook.make_workbook` made), keyed by the notebook's
code and the installed package: ``progress`` runs again only the chapters
changed since (``check`` always runs), and does not run a chapter whose cells
are as the workbook wrote them (every exercise of it is not attempted, every
written question not answered: the stubs raise ``NotImplementedError``).
Nothing is written into the reader's notebooks.

The exit status is 0 when every chapter ran, whatever its exercises say
(unfinished work is no error), 1 when a notebook could not be run at all (not
a notebook, a kernel that died, a cell over the time limit).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .verdicts import WRITTEN, ChapterVerdicts, is_checker, read_chapter
from .workbook import MANIFEST, is_as_made

__all__ = ["ChapterRun", "run_chapter", "run_chapters", "format_verdicts", "format_table"]

#: Seconds one cell may run before the chapter is given up (the slowest takes ~5 s).
CELL_TIMEOUT = 300
#: Seconds to wait for a kernel to start, generous for a busy machine.
STARTUP_TIMEOUT = 120
CACHE = ".progress.json"
_PACKAGE = Path(__file__).resolve().parent


@dataclass
class ChapterRun:
    """One chapter's run: its verdicts, or why it could not run."""

    path: Path
    verdicts: ChapterVerdicts | None = None
    seconds: float = 0.0
    failure: str | None = None
    cached: bool = False
    notebook: object = None  # the executed notebook (not for a remembered run)
    as_made: bool = False  # not run: the chapter is as the workbook wrote it


def _client_config():
    """Kernel settings for the runs: an encrypted channel to the kernel.

    Over plain TCP, ipykernel prints "Kernel is running over TCP without
    encryption" on the terminal for every chapter; jupyter_client provisions
    CurveZMQ keys instead when asked, if libzmq supports it.
    """
    import zmq
    from traitlets.config import Config

    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def run_chapter(path, timeout=CELL_TIMEOUT) -> ChapterRun:
    """Execute the notebook at ``path`` in memory and read its verdicts."""
    import nbclient
    import nbformat

    path = Path(path)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # any unreadable file is reported, not raised
        return ChapterRun(path, failure=f"not a notebook ({_one_line(err)})")
    client = nbclient.NotebookClient(
        nb, timeout=timeout, startup_timeout=STARTUP_TIMEOUT, allow_errors=True,
        config=_client_config(), resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except KeyboardInterrupt:
        raise
    except Exception as err:  # a dead kernel, a timeout: this chapter only
        return ChapterRun(path, seconds=time.perf_counter() - start,
                          failure=f"{type(err).__name__}: {_one_line(err)}")
    return ChapterRun(path, read_chapter(nb), seconds=time.perf_counter() - start, notebook=nb)


def untouched_chapter(path) -> ChapterRun | None:
    """A chapter as the workbook wrote it, read without running it, or None.

    Its stubs raise ``NotImplementedError`` and its predictions are ``None``, so
    every checker would say "not attempted", and every answer cell holds the
    placeholder; that is what is read from the notebook's cells (a fresh chapter
    runs without an error, as the tests check by running every one). None for a
    chapter the reader has changed, or outside a workbook that ``workbook`` made.
    """
    import nbformat

    path = Path(path)
    if not is_as_made(path):
        return None
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None
    for cell in nb.cells:
        if is_checker(cell):
            name = re.match(r"check_\w+", cell.source.strip())[0]
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text=f"… {name}: not attempted yet (not run: the "
                "chapter is as the workbook wrote it).\n")]
        elif cell.cell_type == "code":
            cell.outputs = []
    return ChapterRun(path, read_chapter(nb), as_made=True)


def _one_line(err) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _package_fingerprint() -> str:
    """A digest of the package's code: a changed checker invalidates old runs."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(file.relative_to(_PACKAGE)).encode() + file.read_bytes())
    return digest.hexdigest()


def _run_key(path: Path, fingerprint: str) -> str | None:
    """What a run's result depends on: the notebook's code cells and the package."""
    try:
        cells = json.loads(path.read_text())["cells"]
        code = [c["source"] for c in cells if c["cell_type"] == "code"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(json.dumps([code, fingerprint]).encode()).hexdigest()


def _load_cache(folder: Path) -> dict:
    try:
        return json.loads((folder / CACHE).read_text())
    except (OSError, ValueError):
        return {}  # no cache, or a damaged one: run again


def run_chapters(paths, *, rerun=True, out=sys.stdout):
    """Run each notebook in turn; yield its :class:`ChapterRun` as soon as it is done.

    Says on ``out`` which chapter is running before it starts, and how long it
    took after. With ``rerun=False`` a chapter whose code and package are
    unchanged since its last run is not run again; its remembered verdicts are
    used; and a chapter as the workbook wrote it is not run at all
    (:func:`untouched_chapter`).
    """
    fingerprint = _package_fingerprint()
    for path in map(Path, paths):
        if not rerun:
            untouched = untouched_chapter(path)
            if untouched is not None:
                yield untouched
                continue
        cache = _load_cache(path.parent)
        key = _run_key(path, fingerprint)
        entry = cache.get(path.name, {})
        if not rerun and key is not None and entry.get("key") == key:
            yield ChapterRun(path, ChapterVerdicts.from_dict(entry["verdicts"]),
                             entry.get("seconds", 0.0), cached=True)
            continue
        print(f"running {path.name} ...", end=" ", file=out, flush=True)
        run = run_chapter(path)
        print(f"could not run it: {run.failure}" if run.failure
              else f"{run.seconds:.1f} s", file=out, flush=True)
        if run.verdicts is not None and key is not None and (path.parent / MANIFEST).exists():
            cache[path.name] = {"key": key, "seconds": round(run.seconds, 1),
                                "verdicts": run.verdicts.to_dict()}
            try:
                (path.parent / CACHE).write_text(json.dumps(cache, indent=1) + "\n")
            except OSError:
                pass  # a read-only folder: the next run just runs again
        yield run


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def format_verdicts(run: ChapterRun) -> str:
    """Every checked exercise of a chapter with its checkers' whole output.

    Printed under the line that says the chapter ran, so it does not name the
    chapter again; a chapter that could not run has nothing more to say.
    """
    lines = []
    verdicts = run.verdicts
    if verdicts is None:
        return ""
    if verdicts.chapter_error:
        lines.append("  ✗ an error in the chapter's own code (cells outside the exercises):")
        lines.append(_indent(verdicts.chapter_error, "      "))
        if verdicts.later_errors:
            lines.append(f"    ({verdicts.later_errors} later cell(s) outside the exercises "
                         "failed too, probably because of it)")
    for exercise in verdicts.exercises:
        if exercise.status is None and exercise.error is None:
            continue  # a written question without an answer cell: nothing to report
        lines.append(f"  Exercise: {exercise.title}")
        if exercise.status in WRITTEN:
            lines.append("    ✎ answered (run your answer cell to see the book's answer)"
                         if exercise.answered else
                         "    … not answered yet (write it in the answer cell under the question)")
        for output in exercise.outputs:
            lines.append(_indent(output, "    "))
        if exercise.error:
            # Without a verdict the error is why the checker could not run.
            label = ("and an error in your code:" if exercise.outputs
                     else "✗ error in your code:" if exercise.checked
                     else "error in your code:")
            lines.append(_indent(f"{label} {exercise.error}", "    "))
    return "\n".join(lines)


_COLUMNS = ("done", "wrong", "not attempted", *WRITTEN)


def format_table(runs) -> str:
    """Exercises done, wrong and not attempted, and written questions answered and
    not answered, one chapter a row, and the totals."""
    width = max([len("chapter")] + [len(run.path.stem) for run in runs])
    header = f"{'chapter':<{width}}  " + "  ".join(_COLUMNS)
    rows, totals, without_cell = [header], dict.fromkeys(_COLUMNS, 0), 0
    for run in runs:
        if run.verdicts is None:
            rows.append(f"{run.path.stem:<{width}}  could not run it: {run.failure}")
            continue
        counts = run.verdicts.counts()
        without_cell += sum(e.status is None for e in run.verdicts.exercises)
        cells = "  ".join(f"{counts[c]:>{len(c)}}" for c in _COLUMNS)
        note = "  *" if run.verdicts.chapter_error else ""
        rows.append(f"{run.path.stem:<{width}}  {cells}{note}")
        for column in _COLUMNS:
            totals[column] += counts[column]
    rows.append(f"{'total':<{width}}  " + "  ".join(f"{totals[c]:>{len(c)}}" for c in _COLUMNS))
    if any(run.verdicts and run.verdicts.chapter_error for run in runs):
        rows.append("(* an error in the chapter's own code, outside the exercises: see its\n"
                    " verdicts in check's output)")
    if totals["answered"] + totals["not answered"]:
        rows.append("(answered: the written questions whose answer cell you have filled in;"
                    "\n run that cell to compare your answer with the book's)")
    if without_cell:
        rows.append(f"(and {without_cell} written questions without an answer cell: "
                    "compare your\n answers with the book's solutions)")
    return "\n".join(rows)


def exit_status(runs) -> int:
    """0 when every chapter ran (unfinished exercises are no error), else 1."""
    return 1 if any(run.failure for run in runs) else 0
