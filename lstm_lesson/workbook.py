"""Reader copies of the chapter notebooks, with the solutions taken out.

``python -m lstm_lesson workbook [DIR]`` writes one notebook per chapter into
DIR (default ``workbook/``):

* every solution, marked in the chapter by the gated directives
  ``{solution-start}`` ... ``{solution-end}``, is replaced by a stub: each
  function keeps its signature and docstring and raises
  ``NotImplementedError``; each assigned answer becomes ``None``;
* ``{solution}`` dropdowns in Markdown cells are removed, and ``{exercise}``
  blocks become plain Markdown, which JupyterLab renders;
* each written exercise (``:class: kind-written``, or one whose solution is a
  ``{solution}`` dropdown) is followed by an answer cell, in which the reader
  writes the answer and, running it, sees the book's (:mod:`lstm_lesson.answers`);
* every ``show_source(...)`` call is commented out, with a note: the package's
  version of an exercised function is for after the exercise, and a run of
  the whole notebook must not print it;
* all outputs and execution counts are cleared.

The checker cell after each exercise stays, so running a fresh workbook prints
"not attempted yet" for every exercise. A file that the reader has changed is
never overwritten silently: the hash of what was written (the cells' sources) is
kept in ``DIR/.workbook.json``, and a notebook whose cells differ from it is
skipped (and named). Only on request (``reset=["03"]`` for one chapter,
``force=True`` for all) is it replaced, after a copy of it is saved in
``DIR/.backup/``.
"""

from __future__ import annotations

import ast
import copy
import functools
import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .answers import SOLUTION_BLOCK, answer_cell_source
from .chapters import UsageError, chapter_files, chapters_folder, pick

__all__ = ["make_workbook", "strip_notebook", "stub_source", "default_source_dir",
           "is_as_made"]

MANIFEST = ".workbook.json"
#: Where a reader's version goes before a reset replaces it.
BACKUP = ".backup"

_GATE_START = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-start\}", re.M)
_GATE_END = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-end\}", re.M)
# An {exercise} block: its title on the fence line, options, then the text.
_EXERCISE_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\s*\{exercise\}(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.M | re.S,
)

STUB_MESSAGE = "your code here"
#: What replaces a call of show_source in the workbook (the call stays, commented).
SHOW_SOURCE_NOTE = (
    "# The package's version, which the book shows here, folded. To compare it with\n"
    "# yours once your checker says ✓, uncomment the line(s) below (Ctrl+/) and run.\n"
)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
_WRITTEN_CLASS = re.compile(r"^:class:.*\bkind-written\b", re.M)


def default_source_dir() -> Path:
    """The chapters: the repository's ``notebooks/``, or the wheel's own copies."""
    return chapters_folder()


def stub_source(source: str) -> str:
    """Turn solution code into a stub a reader can fill in.

    Functions (and the methods of classes) keep their signature and docstring;
    the body becomes ``raise NotImplementedError``. Each name assigned at the
    top level (``answer = ...``, ``a, b = ...``) becomes ``None``. Imports are
    kept; everything else is dropped.
    """
    tree = ast.parse(source)
    lines = ["# Your solution: replace the stub below, then run the checker cell."]
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lines.append(ast.unparse(ast.fix_missing_locations(_stub_definition(node))))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            lines.extend(f"{name} = None  # your answer" for name in dict.fromkeys(names))
    return "\n\n".join(lines) + "\n"


def _stub_definition(node):
    """A function with its body replaced, or a class with stubbed methods."""
    stub = copy.copy(node)  # same name, signature, decorators and annotations
    docstring = node.body[:1] if ast.get_docstring(node, clean=False) is not None else []
    if isinstance(node, ast.ClassDef):
        methods = [_stub_definition(item) for item in node.body
                   if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
        stub.body = docstring + methods or [ast.Pass()]
    else:
        raise_stub = ast.parse(f"raise NotImplementedError({STUB_MESSAGE!r})").body[0]
        stub.body = docstring + [raise_stub]
    return stub


def _plain_exercise(match):
    """A MyST {exercise} block as plain Markdown that JupyterLab renders."""
    body = [line for line in match["body"].splitlines() if not line.startswith(":")]
    title = match["title"].strip()
    heading = f"**Exercise: {title}**" if title else "**Exercise**"
    return heading + "\n\n" + "\n".join(body).strip() + "\n"


def written_labels(nb) -> set:
    """Labels of the written exercises of a chapter.

    Those with ``:class: kind-written``, and any whose solution is a
    ``{solution}`` dropdown (the chapters before their rework give no kind).
    """
    labels = set()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        labels.update(m["label"] for m in SOLUTION_BLOCK.finditer(cell.source))
        for block in _EXERCISE_BLOCK.finditer(cell.source):
            label = _LABEL.search(block["body"])
            if label and _WRITTEN_CLASS.search(block["body"]):
                labels.add(label[1])
    return labels


def _split_after_written(text, written):
    """``text`` cut after each written exercise: [(markdown, label or None), ...]."""
    pieces, start = [], 0
    for block in _EXERCISE_BLOCK.finditer(text):
        label = _LABEL.search(block["body"])
        if label and label[1] in written:
            pieces.append((text[start:block.end()], label[1]))
            start = block.end()
    pieces.append((text[start:], None))
    return [(piece, label) for piece, label in pieces if piece.strip() or label]


def _without_show_source(source):
    """``source`` with every statement that calls show_source commented out."""
    if "show_source(" not in source:
        return source
    lines = source.splitlines()
    try:
        statements = ast.parse(source).body
    except SyntaxError:  # pragma: no cover - the chapters' cells parse
        return SHOW_SOURCE_NOTE + "\n".join("# " + line for line in lines)
    hidden = set()
    for node in statements:
        if "show_source(" in ast.get_source_segment(source, node):
            hidden.update(range(node.lineno - 1, node.end_lineno))
    body = "\n".join(f"# {line}" if k in hidden else line for k, line in enumerate(lines))
    return SHOW_SOURCE_NOTE + body


def _kernel_display_name(kernelspec):
    """The name JupyterLab shows for the notebook's kernel, as installed here.

    JupyterLab writes the installed kernel's name into a notebook it opens; a
    copy that already carries it does not open marked as changed.
    """
    return _installed_display_name(kernelspec["name"]) or kernelspec.get("display_name")


@functools.lru_cache(maxsize=8)
def _installed_display_name(name):
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec(name).display_name
    except Exception:  # no such kernel here, or no jupyter_client: keep the chapter's
        return None


def strip_notebook(nb):
    """Return a workbook copy of notebook ``nb`` (an nbformat node)."""
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    if "name" in out.metadata.get("kernelspec", {}):
        out.metadata.kernelspec.display_name = _kernel_display_name(out.metadata.kernelspec)
    inside = False
    written = written_labels(nb)
    for cell in nb.cells:
        source = cell.source
        if cell.cell_type == "markdown" and _GATE_START.search(source):
            if _GATE_END.search(source):  # pragma: no cover - one-cell gates are not used
                continue
            inside = True
            continue
        if cell.cell_type == "markdown" and _GATE_END.search(source):
            inside = False
            continue
        # Keep tags and the like, not the authors' execution timestamps.
        metadata = {k: v for k, v in cell.metadata.items() if k != "execution"}
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(
                stub_source(source) if inside else _without_show_source(source),
                metadata=metadata,
            )
        elif cell.cell_type == "markdown":
            if inside:
                continue  # prose of a solution goes with it
            pieces = _split_after_written(SOLUTION_BLOCK.sub("", source), written)
            for k, (text, label) in enumerate(pieces):
                text = _EXERCISE_BLOCK.sub(_plain_exercise, text)
                new = nbformat.v4.new_markdown_cell(text.strip("\n"), metadata=metadata)
                new.id = cell.get("id", new.id) + (f"-{k + 1}" if k else "")
                out.cells.append(new)
                if label:
                    answer = nbformat.v4.new_code_cell(answer_cell_source(label))
                    answer.id = f"answer-{label}"[:64]
                    out.cells.append(answer)
            continue
        else:
            new = nbformat.v4.new_raw_cell(source, metadata=metadata)
        new.id = cell.get("id", new.id)
        out.cells.append(new)
    if inside:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _work_digest(text: str) -> str | None:
    """Digest of what a reader writes in a notebook: its cells' types and sources.

    Outputs, execution counts and metadata are left out, so a copy that was only
    opened (JupyterLab updates the kernel's display name) or run still counts as
    untouched. None for a file that is not a notebook any more.
    """
    try:
        cells = json.loads(text)["cells"]
        parts = [[c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list)
                  else c["source"]] for c in cells]
    except (ValueError, KeyError, TypeError):
        return None
    return _digest(json.dumps(parts))


def _is_pristine(text: str, recorded: str | None) -> bool:
    """Whether ``text`` is a copy as written, per the manifest's ``recorded`` digest.

    Manifests from before the work digest hold the digest of the whole file;
    both are accepted.
    """
    return recorded is not None and recorded in (_work_digest(text), _digest(text))


def is_as_made(path) -> bool:
    """Whether the workbook notebook at ``path`` is as :func:`make_workbook` wrote it:
    its cells' sources unchanged (outputs of a run do not count), per the
    workbook's manifest. False when there is no manifest or no entry for it, or
    either cannot be read."""
    path = Path(path)
    try:
        manifest = json.loads((path.parent / MANIFEST).read_text())
        text = path.read_text(errors="replace")
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and _is_pristine(text, manifest.get(path.name))


@dataclass
class WorkbookReport:
    """What :func:`make_workbook` did, file by file.

    ``replaced`` pairs each notebook the reader had changed, and that was
    overwritten on request, with the backup of the reader's version.
    """

    directory: Path
    written: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    replaced: list = field(default_factory=list)  # (name, backup path)

    def __str__(self):
        lines = [f"wrote {self.directory / name}" for name in self.written]
        lines += [f"up to date {self.directory / name}" for name in self.unchanged]
        lines += [
            f"skipped {self.directory / name}: you have changed it (kept as it is;\n"
            f"  --reset {name[:2]} replaces it with a fresh copy, keeping yours)"
            for name in self.skipped
        ]
        lines += [
            f"replaced {self.directory / name} with a fresh copy;\n"
            f"  your version is saved as {backup}"
            for name, backup in self.replaced
        ]
        lines.append(
            f"workbook in {self.directory}: {len(self.written)} written, "
            f"{len(self.unchanged)} up to date, {len(self.skipped)} kept because edited"
            + (f", {len(self.replaced)} replaced (backups in {self.directory / BACKUP})"
               if self.replaced else "")
        )
        return "\n".join(lines)


def _backup(target: Path) -> Path:
    """Copy ``target`` into the workbook's backup folder under a new, dated name."""
    folder = target.parent / BACKUP
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{target.stem}.{stamp}{target.suffix}"
    count = 1
    while backup.exists():  # two resets in one second must not overwrite a backup
        count += 1
        backup = folder / f"{target.stem}.{stamp}-{count}{target.suffix}"
    shutil.copy2(target, backup)
    return backup


def _check_directory(directory: Path, source: Path):
    """Refuse a workbook folder that would lose the reader's or the authors' work."""
    looks_like_chapter = directory.suffix == ".ipynb" or re.fullmatch(r"\d{1,2}", directory.name)
    reset = (f"to replace one chapter of your workbook with a fresh copy, name it with "
             f"--reset, e.g. --reset {directory.name[:2]}")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"DIR: {directory} is a file, not a folder"
                         + (f"; {reset}" if looks_like_chapter else ""))
    if not directory.exists() and looks_like_chapter:
        # Not made into a new folder: the reader surely meant a chapter.
        raise UsageError(f"DIR: {directory} names a chapter, not a workbook folder; {reset}")
    if directory.resolve() == source.resolve():
        raise UsageError(
            f"DIR: {directory} is the chapters' own folder; the workbook "
            "must go elsewhere (it would replace the solutions with stubs)"
        )


def make_workbook(directory="workbook", source=None, force=False, reset=()) -> WorkbookReport:
    """Write workbook copies of the chapter notebooks into ``directory``.

    Parameters
    ----------
    directory : path
        Where the workbook goes; created if missing.
    source : path, optional
        Folder of chapter notebooks (default: the repository's ``notebooks/``).
    force : bool
        Replace every notebook the reader has changed.
    reset : list of str
        Chapters to replace even if the reader has changed them, named by number
        (``"03"``, ``"3"``) or file name; only these are written.

    A changed notebook that is replaced is first copied to
    ``directory/.backup/<name>.<date-time>.ipynb``; the report names the copy.
    """
    directory = Path(directory)
    source = Path(source) if source is not None else default_source_dir()
    _check_directory(directory, source)
    chapters = chapter_files(source)
    if not chapters:
        raise FileNotFoundError(f"source: no chapter notebooks (NN-*.ipynb) in {source}")
    if reset:
        chapters = pick(reset, source, what="--reset", allow_paths=False)
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = WorkbookReport(directory)
    for chapter in chapters:
        text = nbformat.writes(strip_notebook(nbformat.read(chapter, as_version=4))) + "\n"
        target = directory / chapter.name
        backup = None
        if target.exists():
            current = target.read_text(errors="replace")
            if _work_digest(current) == _work_digest(text):
                manifest[chapter.name] = _work_digest(text)
                report.unchanged.append(chapter.name)
                continue
            if not _is_pristine(current, manifest.get(chapter.name)):
                if not (force or reset):
                    report.skipped.append(chapter.name)
                    continue
                backup = _backup(target)
        target.write_text(text)
        manifest[chapter.name] = _work_digest(text)
        if backup is None:
            report.written.append(chapter.name)
        else:
            report.replaced.append((chapter.name, backup))
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report
