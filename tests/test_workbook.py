"""lstm_lesson.workbook: reader copies without solutions, that run, and are never overwritten."""

import ast
import hashlib
import json
import subprocess
import sys

import nbclient
import nbformat
import pytest

from lstm_lesson.__main__ import main
from lstm_lesson.workbook import BACKUP, MANIFEST, make_workbook, strip_notebook, stub_source

from conftest import NOTEBOOKS, ROOT


def solution_code(nb):
    """Source of every code cell between solution-start and solution-end."""
    inside, found = False, []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "{solution-start}" in cell.source:
            inside = True
        elif cell.cell_type == "markdown" and "{solution-end}" in cell.source:
            inside = False
        elif inside and cell.cell_type == "code":
            found.append(cell.source)
    return found


def original_exercises(nb):
    return sum(c.source.count("{exercise}") for c in nb.cells if c.cell_type == "markdown")


def solution_bodies(source):
    """The body lines of each function in a solution (what must not leak)."""
    tree = ast.parse(source)
    bodies = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            start = 1 if ast.get_docstring(node) else 0
            bodies += [ast.unparse(stmt) for stmt in node.body[start:]]
    return bodies


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    directory = tmp_path_factory.mktemp("wb") / "workbook"
    report = make_workbook(directory)
    return directory, report


def test_every_chapter_has_solutions_to_strip():
    for path in NOTEBOOKS:
        assert len(solution_code(nbformat.read(path, as_version=4))) >= 2, path.name


def test_workbook_contains_no_solution_code(workbook):
    directory, report = workbook
    assert sorted(report.written) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        text = (directory / path.name).read_text()
        copy = nbformat.reads(text, as_version=4)
        assert "{solution" not in text and "{exercise}" not in text
        assert text.count("**Exercise: ") == original_exercises(original)
        assert '"execution"' not in text
        assert solution_code(copy) == []
        for source in solution_code(original):
            for line in solution_bodies(source):
                assert line not in "\n".join(
                    ast.unparse(ast.parse(c.source)) for c in copy.cells if c.cell_type == "code"
                ), f"{path.name}: solution line leaked: {line}"
        for cell in copy.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
        assert len(copy.cells) < len(original.cells)


def test_stub_keeps_signature_and_docstring():
    source = 'import numpy as np\n\ndef f(x, y=2):\n    """Doc."""\n    z = x + y\n    return z\n\nanswer = 0.5\nprint(answer)\n'
    stub = stub_source(source)
    namespace = {}
    exec(stub, namespace)
    assert namespace["f"].__doc__ == "Doc." and namespace["answer"] is None
    with pytest.raises(NotImplementedError):
        namespace["f"](1)
    assert "x + y" not in stub and "print" not in stub


def test_stub_of_tuple_assignments_and_classes_runs():
    stub = stub_source("a, b = 1, 2\nx = y = 3\nclass K:\n    def m(self):\n        return 1\n")
    namespace = {}
    exec(stub, namespace)
    assert [namespace[n] for n in "abxy"] == [None] * 4
    with pytest.raises(NotImplementedError):
        namespace["K"]().m()


def test_refuses_to_write_over_the_chapters(tmp_path, capsys):
    source = tmp_path / "chapters"
    source.mkdir()
    for path in NOTEBOOKS:
        (source / path.name).write_text(path.read_text())
    assert main(["workbook", str(source), "--source", str(source), "--force"]) == 2
    assert "is the chapters' own folder" in capsys.readouterr().err
    for path in NOTEBOOKS:
        assert (source / path.name).read_text() == path.read_text()


def test_unedited_copy_follows_a_changed_chapter(tmp_path):
    source = tmp_path / "chapters"
    source.mkdir()
    for path in NOTEBOOKS:
        (source / path.name).write_text(path.read_text())
    directory = tmp_path / "wb"
    make_workbook(directory, source=source)
    chapter = source / NOTEBOOKS[0].name
    nb = nbformat.read(chapter, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new paragraph from the authors."))
    nbformat.write(nb, chapter)
    report = make_workbook(directory, source=source)
    assert report.written == [NOTEBOOKS[0].name] and report.skipped == []
    assert "A new paragraph from the authors." in (directory / NOTEBOOKS[0].name).read_text()


def test_unbalanced_gates_are_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex\n```"),
                nbformat.v4.new_code_cell("x = 1")]
    with pytest.raises(ValueError, match="solution-end"):
        strip_notebook(nb)


def test_workbook_notebooks_run_and_report_not_attempted(workbook):
    directory, _ = workbook
    for path in sorted(directory.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(directory)}}).execute()
        out = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        checks = [line for line in out.splitlines() if line[:1] and line[:1] in "✓✗…"]
        assert checks and all(line.startswith("… check_") and "not attempted yet" in line for line in checks), (path.name, checks)


def edit_first_chapter(directory, text="my own attempt"):
    """Change the first chapter's stub as a reader would; return its path and text."""
    target = directory / NOTEBOOKS[0].name
    edited = target.read_text().replace("your code here", text)
    assert edited != target.read_text()
    target.write_text(edited)
    return target, edited


def test_edited_notebook_survives_and_force_overwrites_with_a_backup(tmp_path, capsys):
    directory = tmp_path / "wb"
    assert main(["workbook", str(directory)]) == 0
    target, edited = edit_first_chapter(directory)

    assert main(["workbook", str(directory)]) == 0
    out = capsys.readouterr().out
    assert f"skipped {target}: you have changed it" in out and "--reset 01" in out
    assert target.read_text() == edited
    assert f"up to date {directory / NOTEBOOKS[1].name}" in out

    assert main(["workbook", str(directory), "--force"]) == 0
    out = capsys.readouterr().out
    assert "my own attempt" not in target.read_text()
    backups = list((directory / BACKUP).glob("*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == edited
    assert f"replaced {target} with a fresh copy;\n  your version is saved as {backups[0]}" in out
    assert "1 replaced" in out.splitlines()[-1]


@pytest.mark.parametrize("name", ["01", "1", NOTEBOOKS[0].name, NOTEBOOKS[0].stem,
                                  f"workbook/{NOTEBOOKS[0].name}"])
def test_reset_replaces_one_chapter_by_number_or_name(tmp_path, capsys, name):
    directory = tmp_path / "wb"
    make_workbook(directory)
    target, edited = edit_first_chapter(directory)
    other, other_edited = directory / NOTEBOOKS[1].name, None
    other.write_text(other.read_text().replace("your code here", "kept"))
    other_edited = other.read_text()

    assert main(["workbook", str(directory), "--reset", name]) == 0
    out = capsys.readouterr().out
    [backup] = (directory / BACKUP).glob(f"{target.stem}.*.ipynb")
    assert backup.read_text() == edited and "my own attempt" not in target.read_text()
    assert f"your version is saved as {backup}" in out
    assert other.read_text() == other_edited  # only the named chapter is touched
    assert NOTEBOOKS[1].name not in out


def test_two_resets_keep_two_backups(tmp_path):
    directory = tmp_path / "wb"
    make_workbook(directory)
    for attempt in ("first try", "second try"):
        edit_first_chapter(directory, attempt)
        make_workbook(directory, reset=["1"])
    backups = sorted((directory / BACKUP).glob("*.ipynb"))
    assert len(backups) == 2
    assert {"first try" in b.read_text() for b in backups} == {True, False}


def test_a_copy_only_opened_or_run_is_not_an_edit(tmp_path):
    """JupyterLab rewrites the kernel's display name on opening; running adds outputs."""
    directory = tmp_path / "wb"
    make_workbook(directory)
    target = directory / NOTEBOOKS[0].name
    nb = nbformat.read(target, as_version=4)
    nb.metadata.kernelspec.display_name = "Python 3 (ipykernel)"
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nbformat.write(nb, target)
    report = make_workbook(directory)
    assert report.skipped == [] and NOTEBOOKS[0].name in report.unchanged


def test_copy_names_the_installed_kernel_as_jupyterlab_would(workbook):
    from jupyter_client.kernelspec import KernelSpecManager

    directory, _ = workbook
    kernelspec = nbformat.read(directory / NOTEBOOKS[0].name, as_version=4).metadata.kernelspec
    assert kernelspec.display_name == KernelSpecManager().get_kernel_spec(kernelspec.name).display_name


def test_manifest_of_an_older_workbook_is_understood(tmp_path):
    """Older manifests hold the digest of the whole file, not of the cells."""
    directory = tmp_path / "wb"
    make_workbook(directory)
    manifest = {p.name: hashlib.sha256(p.read_text().encode()).hexdigest()
                for p in directory.glob("*.ipynb")}
    (directory / MANIFEST).write_text(json.dumps(manifest))
    target = directory / NOTEBOOKS[0].name
    nb = nbformat.read(target, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("an older text of the chapter"))
    nbformat.write(nb, target)
    manifest[target.name] = hashlib.sha256(target.read_text().encode()).hexdigest()
    (directory / MANIFEST).write_text(json.dumps(manifest))
    report = make_workbook(directory)  # a pristine old copy follows the chapter
    assert report.written == [target.name] and report.skipped == []


def test_unknown_file_in_workbook_is_not_overwritten(tmp_path):
    directory = tmp_path / "wb"
    directory.mkdir()
    mine = directory / NOTEBOOKS[0].name
    mine.write_text("{}")  # the reader's own file, written before any workbook
    report = make_workbook(directory)
    assert NOTEBOOKS[0].name in report.skipped and mine.read_text() == "{}"
    assert (directory / MANIFEST).exists()
    make_workbook(directory, reset=["01"])  # a broken file is backed up like any other
    [backup] = (directory / BACKUP).iterdir()
    assert backup.read_text() == "{}"


def test_missing_source_is_a_clear_error(tmp_path, capsys):
    assert main(["workbook", str(tmp_path / "wb"), "--source", str(tmp_path)]) == 2
    assert "no chapter notebooks" in capsys.readouterr().err


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "lstm_lesson", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["workbook", "wb/01-lstm-at-a-glance.ipynb", "--force"],
     "DIR: wb/01-lstm-at-a-glance.ipynb is a file, not a folder; to replace one chapter"),
    (["workbook", "03"], "DIR: 03 names a chapter, not a workbook folder"),
    (["workbook", "wb", "--reset", "42"], "--reset '42': no such chapter"),
    (["workbook", "wb", "--reset", "forget"], "--reset 'forget': no such chapter"),
    (["workbook", "wb", "--source", "nowhere"], "source: no chapter notebooks"),
    (["workbook", "wb", "--reset"], "expected at least one argument"),
    (["workbook", "wb", "--frce"], "unrecognized arguments: --frce"),
    (["check", "42", "--dir", "wb"], "chapter '42': no such chapter in wb/"),
    (["check", "--dir", "empty"], "no chapter notebooks in empty/; make your workbook first"),
    (["progress", "3", "--dir", "nowhere"], "that folder does not exist"),
    (["chek"], "invalid choice: 'chek'"),
])
def test_mistaken_invocations_get_a_clear_error_not_a_traceback(tmp_path, args, message):
    make_workbook(tmp_path / "wb")
    (tmp_path / "empty").mkdir()
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 2, run
    assert message in run.stderr and "Traceback" not in run.stderr + run.stdout
    assert len(list((tmp_path / "wb").glob("*.ipynb"))) == len(NOTEBOOKS)
    assert not (tmp_path / "03").exists() and not (tmp_path / "wb" / BACKUP).exists()


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "wb").write_text("")  # a file where the folder would go: mkdir fails
    run = run_cli("workbook", "locked/wb/inner", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("error: ")
    assert "Traceback" not in run.stderr


def make(*args):
    """`make` in the repository, without reinstalling (.venv/.installed taken as done)."""
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_make_reset_needs_a_chapter_and_passes_it_on():
    run = make("reset")
    assert run.returncode != 0 and "name the chapter: make reset CHAPTER=03" in run.stdout
    assert "-m lstm_lesson workbook --reset 03" in make("-n", "reset", "CHAPTER=03").stdout
