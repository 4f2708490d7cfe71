"""What a reader downloads from the book runs: book/_ext/downloads.py.

Read from the strict book build of ``make test`` (the ``built_book`` fixture):
every chapter page links its notebook, its workbook copy and the package's
wheel, all in the built site; the wheel holds the package, its data files and
the chapters that the workbook's answer cells read; from the wheel alone (no
repository), an answer cell finds the book's answer and ``workbook`` writes a
workbook.
"""

import html
import html.parser
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from lstm_lesson.answers import book_solution
from lstm_lesson.workbook import strip_notebook, written_labels

from conftest import ROOT
from test_book import TOC_FILES

#: The chapters that are pages of the book (a draft outside the table of contents is not).
CHAPTERS = sorted(ROOT / f"{name}.ipynb" for name in TOC_FILES
                  if name.startswith("notebooks/") and (ROOT / f"{name}.ipynb").is_file())


@pytest.fixture(scope="module")
def site(built_book):
    returncode, log, built = built_book
    if not (built / "downloads").is_dir():
        pytest.fail(f"no downloads in the built book (build status {returncode}):\n{log[-3000:]}")
    return built


@pytest.fixture(scope="module")
def wheel(site):
    [found] = (site / "downloads").glob("lstm_lesson-*-py3-none-any.whl")
    return found


class _Links(html.parser.HTMLParser):
    """The links of the download line (``p.chapter-downloads``) of a page."""

    def __init__(self):
        super().__init__()
        self.inside, self.links = False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and "chapter-downloads" in (attrs.get("class") or ""):
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "p":
            self.inside = False


def test_every_chapter_page_links_its_downloads_and_every_link_resolves(site, wheel):
    for path in CHAPTERS:
        page = site / "notebooks" / f"{path.stem}.html"
        parser = _Links()
        parser.feed(page.read_text())
        assert len(parser.links) == 4, (page.name, parser.links)
        targets = {}
        for href in parser.links:
            target, _, anchor = href.partition("#")
            file = Path(posixpath.normpath(posixpath.join(str(page.parent), target)))
            assert file.is_file(), (page.name, href)
            if anchor:
                assert f'id="{anchor}"' in file.read_text(), (page.name, href)
            targets[file.relative_to(site).as_posix()] = file
        assert set(targets) == {f"downloads/chapters/{path.name}",
                                f"downloads/workbook/{path.name}",
                                f"downloads/{wheel.name}", "book/how-to-use.html"}


def test_the_downloads_are_the_chapter_and_its_workbook_copy(site):
    for path in CHAPTERS:
        assert (site / "downloads" / "chapters" / path.name).read_bytes() == path.read_bytes()
        chapter = nbformat.read(path, as_version=4)
        copy = nbformat.read(site / "downloads" / "workbook" / path.name, as_version=4)
        expected = strip_notebook(chapter)
        assert [(c.cell_type, c.source) for c in copy.cells] == \
               [(c.cell_type, c.source) for c in expected.cells], path.name
        assert "{solution" not in nbformat.writes(copy)


def test_the_how_to_page_says_how_to_install_the_wheel_and_open_a_chapter(site):
    page = (site / "book" / "how-to-use.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # highlighted code as plain text
    assert "pip install lstm_lesson-*.whl" in text and "jupyter lab 03-forget-gate.ipynb" in text


def tracked_package_files():
    run = subprocess.run(["git", "ls-files", "lstm_lesson"], capture_output=True, text=True,
                         cwd=ROOT)
    if run.returncode != 0:  # no git: what is on disk
        return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "lstm_lesson").rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    return run.stdout.split()


def test_the_wheel_holds_the_package_its_data_and_the_chapters(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names
                            if n.endswith(".dist-info/entry_points.txt"))
        bundled = {n: archive.read(n) for n in names if n.startswith("lstm_lesson/_chapters/")}
    missing = [name for name in tracked_package_files() if name not in names]
    assert not missing, missing  # every module, lstm_lesson/data/*, ...
    assert "lstm_lesson/data/course_prose.txt" in names
    assert sorted(bundled) == [f"lstm_lesson/_chapters/{p.name}" for p in CHAPTERS]
    for name, data in bundled.items():
        nb = nbformat.reads(data.decode(), as_version=4)
        assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code"), name
    assert "lstm-lesson = lstm_lesson.__main__:main" in entry_points


def test_from_the_wheel_alone_answer_cells_and_the_workbook_work(wheel, tmp_path):
    """The wheel unpacked on the path (as pip would install it), run far from the
    repository: the package found is the wheel's, with the chapters it carries."""
    unpacked = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    label = next(label for path in CHAPTERS
                 for label in sorted(written_labels(nbformat.read(path, as_version=4))))
    script = (
        "import lstm_lesson, lstm_lesson.answers as a\n"
        f"assert lstm_lesson.__file__.startswith({str(unpacked)!r}), lstm_lesson.__file__\n"
        "print(a.chapters_folder())\n"
        f"a.answer({label!r}, 'my answer')\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(unpacked))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=work, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == str(unpacked / "lstm_lesson" / "_chapters")
    assert book_solution(label) in run.stdout
    made = subprocess.run([sys.executable, "-m", "lstm_lesson", "workbook", "wb"],
                          capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (work / "wb").glob("*.ipynb")) == [p.name for p in CHAPTERS]
