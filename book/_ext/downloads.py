"""Sphinx extension: what a reader downloads from a chapter runs.

Every chapter page gets a line under its title: *Download this chapter with
solutions, as a workbook, and the lstm_lesson package*. The files are made
at build time, from the repository as it is, so nothing here is kept in sync
by hand:

* ``downloads/chapters/NN-name.ipynb``: the chapter, solutions and outputs
  in place (the notebook of ``notebooks/``);
* ``downloads/workbook/NN-name.ipynb``: its workbook copy, as ``python -m
  lstm_lesson workbook`` writes it (solutions replaced by stubs, answer cells
  for written questions, outputs cleared);
* ``downloads/lstm_lesson-<version>-py3-none-any.whl``: the package, built
  offline with the environment's setuptools (``pip wheel --no-deps
  --no-build-isolation --no-index``, in the background while Sphinx reads
  the pages) from a staged copy that also carries the
  chapters, without their outputs, in ``lstm_lesson/_chapters/`` (the
  workbook's answer cells read the book's solutions there, and ``python -m
  lstm_lesson workbook`` makes a workbook from them) and the package's data
  files (``lstm_lesson/data/``).

``book/how-to-use.md`` explains how to install the wheel and open a chapter.
"""

import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes

#: Where the files go in the built site.
FOLDER = "downloads"
#: The how-to page's section on the downloads (its anchor).
HOW_TO = "book/how-to-use.html#download-a-chapter-and-run-it-anywhere"
#: Copied into the staged package: the package's data and the chapters.
MANIFEST = "recursive-include lstm_lesson/data *\nrecursive-include lstm_lesson/_chapters *.ipynb\n"


def _book_chapters(app):
    """The chapter notebooks the table of contents names (before the pages are read)."""
    site_map = getattr(app.config, "external_site_map", None)
    names = list(site_map.keys()) if site_map is not None else [
        f"notebooks/{p.stem}" for p in Path(app.srcdir, "notebooks").glob("*.ipynb")]
    return sorted(Path(app.srcdir, f"{name}.ipynb") for name in names
                  if name.startswith("notebooks/") and Path(app.srcdir, f"{name}.ipynb").is_file())


def _chapters(app):
    """The chapter notebooks that are pages of the book, once the pages are read."""
    return [Path(app.srcdir, f"{doc}.ipynb") for doc in sorted(app.env.found_docs)
            if doc.startswith("notebooks/") and Path(app.srcdir, f"{doc}.ipynb").is_file()]


def _stage(root: Path, chapters, staged: Path):
    """A copy of the package to build the wheel from, the chapters bundled without outputs."""
    import nbformat

    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, staged / name)
    shutil.copytree(root / "lstm_lesson", staged / "lstm_lesson",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_chapters"))
    bundled = staged / "lstm_lesson" / "_chapters"
    bundled.mkdir()
    for chapter in chapters:
        nb = nbformat.read(chapter, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, bundled / chapter.name)
    (staged / "MANIFEST.in").write_text(MANIFEST)


class _WheelBuild:
    """The package's wheel, built in the background while Sphinx reads the pages."""

    def __init__(self, root: Path, chapters):
        self.chapters = list(chapters)
        self.folder = Path(tempfile.mkdtemp(prefix="lstm-lesson-wheel-"))
        staged, self.out = self.folder / "staged", self.folder / "wheel"
        staged.mkdir()
        _stage(root, self.chapters, staged)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--no-index", "--disable-pip-version-check", "-q", "-w", str(self.out),
             str(staged)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=staged)

    def wheel(self) -> Path:
        """Wait for the build; the wheel's path."""
        log, _ = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"building the lstm_lesson wheel failed:\n{log}")
        [wheel] = self.out.glob("lstm_lesson-*.whl")
        return wheel

    def remove(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _start(app):
    """Start building the wheel as soon as the builder is ready (HTML only)."""
    app.downloads_build = app.downloads_wheel = None
    if app.builder.format == "html":
        app.downloads_build = _WheelBuild(Path(app.srcdir), _book_chapters(app))


def _prepare(app, env):
    """Once the pages are read, before they are written (they link to the wheel by
    name): the wheel, rebuilt if the pages read are not the chapters it carries."""
    build = getattr(app, "downloads_build", None)
    if build is None:
        return
    chapters = _chapters(app)
    if chapters != build.chapters:  # pragma: no cover - the table of contents said otherwise
        build.remove()
        build = app.downloads_build = _WheelBuild(Path(app.srcdir), chapters)
    app.downloads_wheel = build.wheel()


def _note(app, docname):
    """The download line of a chapter page, as HTML."""
    name = Path(docname).name
    here = posixpath.dirname(docname)

    def link(target):
        return posixpath.relpath(target, here)

    wheel = app.downloads_wheel.name
    return (
        '<p class="chapter-downloads" style="font-size: 0.9em">Download this chapter '
        f'<a href="{link(f"{FOLDER}/chapters/{name}.ipynb")}" download>with solutions</a>, '
        f'<a href="{link(f"{FOLDER}/workbook/{name}.ipynb")}" download>as a workbook</a> '
        "(exercises to do, without solutions), and the "
        f'<a href="{link(f"{FOLDER}/{wheel}")}" download><code>lstm_lesson</code> package</a> '
        f'it runs with (<a href="{link(HOW_TO)}">how to run them</a>).</p>'
    )


def _add_note(app, doctree, docname):
    if getattr(app, "downloads_wheel", None) is None or not docname.startswith("notebooks/"):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    titles = [k for k, child in enumerate(section.children) if isinstance(child, nodes.title)]
    at = titles[0] + 1 if titles else 0
    section.insert(at, nodes.raw("", _note(app, docname), format="html"))


def _write(app, exception):
    """Put the chapters, their workbook copies and the wheel into the built site."""
    if exception is not None or getattr(app, "downloads_wheel", None) is None:
        return
    import nbformat

    from lstm_lesson.workbook import strip_notebook

    out = Path(app.outdir) / FOLDER
    for sub in ("chapters", "workbook"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for chapter in _chapters(app):
        shutil.copy(chapter, out / "chapters" / chapter.name)
        workbook = strip_notebook(nbformat.read(chapter, as_version=4))
        (out / "workbook" / chapter.name).write_text(nbformat.writes(workbook) + "\n")
    for old in out.glob("lstm_lesson-*.whl"):
        old.unlink()
    shutil.copy(app.downloads_wheel, out / app.downloads_wheel.name)


def _clean(app, exception):
    build = getattr(app, "downloads_build", None)
    if build is not None:
        build.remove()


def setup(app):
    app.connect("builder-inited", _start)
    app.connect("env-updated", _prepare)
    app.connect("doctree-resolved", _add_note)
    app.connect("build-finished", _write)
    app.connect("build-finished", _clean, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
