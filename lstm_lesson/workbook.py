"""Reader copies of the chapter notebooks, with the solutions taken out.

``python -m lstm_lesson workbook [DIR]`` writes one notebook per chapter into
DIR (default ``workbook/``):

* every solution, marked in the chapter by the gated directives
  ``{solution-start}`` ... ``{solution-end}``, is replaced by a stub: each
  function keeps its signature and docstring and raises
  ``NotImplementedError``; each assigned answer becomes ``None``;
* ``{solution}`` dropdowns in Markdown cells are removed, and ``{exercise}``
  blocks become plain Markdown, which JupyterLab renders;
* all outputs and execution counts are cleared.

The checker cell after each exercise stays, so running a fresh workbook prints
"not attempted yet" for every exercise. A file that the reader has changed is
never overwritten: the hash of what was written is kept in
``DIR/.workbook.json``, and a notebook whose content differs from it is skipped
(and named) unless ``force=True``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["make_workbook", "strip_notebook", "stub_source", "default_source_dir"]

MANIFEST = ".workbook.json"

_GATE_START = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-start\}", re.M)
_GATE_END = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-end\}", re.M)
# A whole {solution} directive block: opening fence, body, the same fence.
_SOLUTION_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\s*\{solution\}.*?^(?P=fence)\s*$\n?", re.M | re.S
)
# An {exercise} block: its title on the fence line, options, then the text.
_EXERCISE_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\s*\{exercise\}(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.M | re.S,
)

STUB_MESSAGE = "your code here"


def default_source_dir() -> Path:
    """The repository's ``notebooks/`` folder (beside the installed package)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


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


def strip_notebook(nb):
    """Return a workbook copy of notebook ``nb`` (an nbformat node)."""
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    inside = False
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
                stub_source(source) if inside else source, metadata=metadata
            )
        elif cell.cell_type == "markdown":
            if inside:
                continue  # prose of a solution goes with it
            text = _EXERCISE_BLOCK.sub(_plain_exercise, _SOLUTION_BLOCK.sub("", source))
            new = nbformat.v4.new_markdown_cell(text.strip("\n"), metadata=metadata)
        else:
            new = nbformat.v4.new_raw_cell(source, metadata=metadata)
        new.id = cell.get("id", new.id)
        out.cells.append(new)
    if inside:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class WorkbookReport:
    """What :func:`make_workbook` did, file by file."""

    directory: Path
    written: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def __str__(self):
        lines = [f"wrote {self.directory / name}" for name in self.written]
        lines += [f"up to date {self.directory / name}" for name in self.unchanged]
        lines += [
            f"skipped {self.directory / name}: you have changed it "
            "(kept as it is; --force overwrites it)"
            for name in self.skipped
        ]
        lines.append(
            f"workbook in {self.directory}: {len(self.written)} written, "
            f"{len(self.unchanged)} up to date, {len(self.skipped)} kept because edited"
        )
        return "\n".join(lines)


def make_workbook(directory="workbook", source=None, force=False) -> WorkbookReport:
    """Write workbook copies of every chapter notebook into ``directory``.

    Parameters
    ----------
    directory : path
        Where the workbook goes; created if missing.
    source : path, optional
        Folder of chapter notebooks (default: the repository's ``notebooks/``).
    force : bool
        Overwrite notebooks the reader has changed.
    """
    directory = Path(directory)
    source = Path(source) if source is not None else default_source_dir()
    if directory.resolve() == source.resolve():
        raise ValueError(
            f"directory: {directory} is the chapters' own folder; the workbook "
            "must go elsewhere (it would replace the solutions with stubs)"
        )
    chapters = sorted(source.glob("[0-9][0-9]-*.ipynb"))
    if not chapters:
        raise FileNotFoundError(f"source: no chapter notebooks (NN-*.ipynb) in {source}")
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = WorkbookReport(directory)
    for chapter in chapters:
        text = nbformat.writes(strip_notebook(nbformat.read(chapter, as_version=4))) + "\n"
        target = directory / chapter.name
        if target.exists():
            current = _digest(target.read_text())
            if current == _digest(text):
                manifest[chapter.name] = current
                report.unchanged.append(chapter.name)
                continue
            if current != manifest.get(chapter.name) and not force:
                report.skipped.append(chapter.name)
                continue
        target.write_text(text)
        manifest[chapter.name] = _digest(text)
        report.written.append(chapter.name)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report
