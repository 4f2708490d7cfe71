"""lstm_lesson.workbook: reader copies without solutions, that run, and are never overwritten."""

import ast
import subprocess
import sys

import nbclient
import nbformat
import pytest

from lstm_lesson.__main__ import main
from lstm_lesson.workbook import MANIFEST, make_workbook, strip_notebook, stub_source

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


def test_edited_notebook_survives_and_force_overwrites(tmp_path, capsys):
    directory = tmp_path / "wb"
    assert main(["workbook", str(directory)]) == 0
    target = directory / NOTEBOOKS[0].name
    edited = target.read_text().replace("your code here", "my own attempt")
    target.write_text(edited)

    assert main(["workbook", str(directory)]) == 0
    out = capsys.readouterr().out
    assert f"skipped {target}: you have changed it" in out
    assert target.read_text() == edited
    assert f"up to date {directory / NOTEBOOKS[1].name}" in out

    assert main(["workbook", str(directory), "--force"]) == 0
    assert target.read_text() != edited and "my own attempt" not in target.read_text()


def test_unknown_file_in_workbook_is_not_overwritten(tmp_path):
    directory = tmp_path / "wb"
    directory.mkdir()
    mine = directory / NOTEBOOKS[0].name
    mine.write_text("{}")  # the reader's own file, written before any workbook
    report = make_workbook(directory)
    assert NOTEBOOKS[0].name in report.skipped and mine.read_text() == "{}"
    assert (directory / MANIFEST).exists()


def test_missing_source_is_a_clear_error(tmp_path, capsys):
    assert main(["workbook", str(tmp_path / "wb"), "--source", str(tmp_path)]) == 2
    assert "no chapter notebooks" in capsys.readouterr().err


def test_check_command_names_a_missing_notebook(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.ipynb")]) == 2
    assert "no such notebook" in capsys.readouterr().err


def test_check_command_reports_a_solved_exercise(tmp_path):
    directory = tmp_path / "wb"
    make_workbook(directory)
    target = directory / "02-sigmoid-and-tanh.ipynb"
    nb = nbformat.read(target, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "def my_sigmoid(" in cell.source:
            cell.source = ("def my_sigmoid(x):\n    e = np.exp(-np.abs(x))\n"
                           "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n")
        if cell.cell_type == "code" and "def my_tanh_derivative(" in cell.source:
            cell.source = "def my_tanh_derivative(x):\n    return 1 - x**2\n"
    nbformat.write(nb, target)
    run = subprocess.run([sys.executable, "-m", "lstm_lesson", "check", str(target)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 1
    assert "✓ check_sigmoid: all 9 cases pass." in run.stdout
    assert "… check_sigmoid_derivative: not attempted yet" in run.stdout
    assert "✗ check_tanh_derivative" in run.stdout and "apply it to t = np.tanh(x)" in run.stdout
    assert "exercises: 1 correct, 1 wrong, 1 not attempted yet" in run.stdout
