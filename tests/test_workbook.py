"""lstm_lesson.workbook: reader copies without solutions, that give nothing away,
and are never overwritten.

The workbook copies are made once here (``workbook``); ``tests/test_progress.py``
runs them all once, through ``check``, and reads from that run that a fresh
workbook runs and reports every exercise as not attempted. The leak check
(``tests/leaks.py``) needs no run: what a kept cell prints is the chapter's
stored output, which nbval proves equal to a fresh run.
"""

import ast
import hashlib
import json
import subprocess
import sys

import nbformat
import pytest

from lstm_lesson.__main__ import main
from lstm_lesson.answers import PLACEHOLDER
from lstm_lesson.verdicts import answer_of
from lstm_lesson.workbook import (BACKUP, MANIFEST, SHOW_SOURCE_NOTE, is_as_made,
                                  make_workbook, strip_notebook, stub_source,
                                  written_labels)

from conftest import NOTEBOOKS, ROOT
import leaks


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
        for cell in copy.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
                # show_source only in a comment, under the note that says how to see it
                live = [line for line in cell.source.splitlines()
                        if "show_source(" in line and not line.startswith("#")]
                assert not live, (path.name, cell.source)
                if "show_source(" in cell.source:
                    assert cell.source.startswith(SHOW_SOURCE_NOTE)
        assert len(solution_code(original)) > 0 and len(copy.cells) < len(original.cells) + 9


#: Written exercises with an answer cell, per chapter (printed for the record).
WRITTEN = {}


def test_every_written_exercise_has_an_answer_cell_under_it(workbook):
    directory, _ = workbook
    for path in NOTEBOOKS:
        labels = written_labels(nbformat.read(path, as_version=4))
        copy = nbformat.read(directory / path.name, as_version=4)
        found = []
        for k, cell in enumerate(copy.cells):
            if answer_of(cell) is not None:
                label = ast.literal_eval(ast.parse(cell.source).body[-1].value.args[0])
                above = copy.cells[k - 1]
                assert above.cell_type == "markdown" and "**Exercise: " in above.source, \
                    f"{path.name}: the answer cell of {label} is right under its exercise"
                assert PLACEHOLDER in cell.source and answer_of(cell) is False
                found.append(label)
        assert sorted(found) == sorted(labels), path.name
        WRITTEN[path.stem] = len(found)
    print("written exercises with an answer cell:", WRITTEN)
    assert sum(WRITTEN.values()) >= 11


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_workbook_gives_no_answer_away(path, workbook):
    """No solution line or key expression, no package source of an exercised function,
    no prediction and no solution prose in the workbook's code, Markdown or output
    (tests/leaks.py says what is compared)."""
    directory, _ = workbook
    chapter = nbformat.read(path, as_version=4)
    copy = nbformat.read(directory / path.name, as_version=4)
    found = leaks.find_leaks(chapter, copy, name=path.stem)
    assert not found, "\n".join(map(str, found))


#: What the issue names, found in the chapters as they were at commit 836333e:
#: (chapter, what gives the answer away, the exercise whose answer it is).
LEAKS_AT_836333E = [
    ("04-input-gate-and-candidate", "b_c = np.arctanh(0.5 / gate)", "ex-candidate-bias-for"),
    ("06-output-gate-and-hidden-state", "`np.arctanh(h / o)`", "ex-output-gate-ceiling"),
    ("07-assembled-cell", "The count is $4H(H + D) + 4H$", "ex-fused-parameter-count"),
    ("08-unrolling-over-time", 'np.prod([step["f"] for step in cache_k], axis=0)',
     "ex-unroll-carried-fraction"),
]


def expect_the_issues_leaks(findings):
    for chapter, excerpt, label in LEAKS_AT_836333E:
        assert any(f.chapter == chapter and excerpt in f.excerpt and f.secret.label == label
                   for f in findings), (chapter, excerpt, "\n".join(map(str, findings)))


def test_the_leak_check_finds_what_gave_answers_away_at_836333e():
    """The chapters' cells of issue 10's examples, as they were at commit 836333e
    (tests/fixtures/leaks-836333e.json, so that a shallow clone runs this too)."""
    stored = json.loads((ROOT / "tests" / "fixtures" / "leaks-836333e.json").read_text())
    findings = []
    for name, notebook in sorted(stored.items()):
        notebook = nbformat.reads(json.dumps(notebook), as_version=4)
        findings += leaks.find_leaks(notebook, name=name.removesuffix(".ipynb"))
    expect_the_issues_leaks(findings)


def test_the_leak_check_on_every_chapter_at_836333e(tmp_path):
    """All ten chapters at commit 836333e, from git: the issue's examples and more."""
    names = subprocess.run(["git", "ls-tree", "--name-only", "836333e", "notebooks/"],
                           capture_output=True, text=True, cwd=ROOT)
    if names.returncode != 0:
        pytest.skip("commit 836333e is not in this clone (shallow?)")
    for name in names.stdout.split():
        if name.endswith(".ipynb"):
            shown = subprocess.run(["git", "show", f"836333e:{name}"], capture_output=True,
                                   cwd=ROOT, check=True)
            (tmp_path / name.split("/")[-1]).write_bytes(shown.stdout)
    findings = leaks.check_folder(tmp_path)
    print("\n".join(map(str, findings)))
    expect_the_issues_leaks(findings)
    assert len({f.chapter for f in findings}) >= 6


def chapter(*cells):
    """A notebook from (cell_type, source) pairs, with ids."""
    nb = nbformat.v4.new_notebook()
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb.cells = [make[kind](source) for kind, source in cells]
    for k, cell in enumerate(nb.cells):
        cell.id = f"c{k}"
    return nb


BUILD = [
    ("markdown", "```{exercise} The hidden state\n:label: ex-h\n:class: kind-build\n\n"
                 "Write `my_h(o, c)`.\n```"),
    ("markdown", "```{solution-start} ex-h\n:class: dropdown\n```"),
    ("code", "def my_h(o, c):\n    squashed = np.tanh(c)\n    return o * squashed\n"),
    ("markdown", "```{solution-end}\n```"),
    ("code", "check_h(my_h)"),
]


def test_the_leak_check_catches_each_way_of_giving_an_answer_away():
    clean = chapter(*BUILD, ("markdown", "The gate scales what `tanh` gives."),
                    ("code", "h = hidden_state(o_t, c_t)\nprint(h.round(3))"))
    assert leaks.find_leaks(clean) == []
    for leak, where in [
        (("code", "h_demo = o_t * np.tanh(c_demo)"), "code"),  # the same shape, other names
        (("markdown", "In code: `o * np.tanh(c)`."), "markdown"),
        (("markdown", "```python\nh = gate * np.tanh(memory)\n```"), "markdown"),
    ]:
        [found] = leaks.find_leaks(chapter(*BUILD, leak))
        assert (found.secret.label, found.where, found.cell) == ("ex-h", where, 5), found

    predict = chapter(
        ("markdown", "```{exercise} Predict\n:label: ex-p\n:class: kind-predict\n\nGuess.\n```"),
        ("markdown", "```{solution-start} ex-p\n```"), ("code", "my_prediction = -0.671"),
        ("markdown", "```{solution-end}\n```"), ("code", "check_p(my_prediction)"),
        ("code", "print(write)"))
    predict.cells[5].outputs = [nbformat.v4.new_output("stream", text="-0.6708\n")]
    assert leaks.find_leaks(predict) == []  # the cell after the checker shows it: fine
    predict.cells.insert(1, nbformat.v4.new_code_cell("print(write)", id="early"))
    predict.cells[1].outputs = [nbformat.v4.new_output("stream", text="write: -0.6708\n")]
    [found] = leaks.find_leaks(predict)
    assert (found.secret.kind, found.where) == ("prediction", "output")

    written = chapter(
        ("markdown", "```{exercise} Why?\n:label: ex-w\n:class: kind-written\n\nWhy?\n```\n\n"
                     "```{solution} ex-w\n:class: dropdown\n\nBecause the candidate proposes "
                     "values of either sign, the memory can go down as well as up.\n```"),
        ("markdown", "Recall: the candidate proposes values of either sign, the memory can go "
                     "down as well as up."))
    [found] = leaks.find_leaks(written)
    assert (found.secret.kind, found.cell) == ("solution prose", 1)


def test_code_a_find_the_bug_exercise_gives_is_no_leak():
    debug = chapter(*BUILD, ("code", "def buggy_h(o, c):\n    return o * np.tanh(c) + 1\n"),
                    ("markdown", "```{exercise} Find the bug\n:label: ex-d\n:class: kind-debug"
                                 "\n\nWhat is wrong with `buggy_h`?\n```"))
    assert leaks.find_leaks(debug) == []
    debug.cells[6].source = debug.cells[6].source.replace("kind-debug", "kind-change")
    assert [f.cell for f in leaks.find_leaks(debug)] == [5]


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


def test_is_as_made_tells_a_copy_as_written_from_an_edited_one(tmp_path):
    """What `progress` relies on to skip a chapter: the cells' sources as written
    (outputs of a run do not count); nothing is known without the manifest."""
    directory = tmp_path / "wb"
    make_workbook(directory)
    target = directory / NOTEBOOKS[1].name
    assert is_as_made(target)
    nb = nbformat.read(target, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs, code.execution_count = [nbformat.v4.new_output("stream", text="1\n")], 1
    nbformat.write(nb, target)
    assert is_as_made(target)  # run, not edited
    code.source += "\nx = 1"
    nbformat.write(nb, target)
    assert not is_as_made(target)
    other = directory / NOTEBOOKS[2].name
    (directory / MANIFEST).unlink()
    assert not is_as_made(other) and not is_as_made(directory / "99-none.ipynb")


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


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A folder with a workbook ``wb`` and an empty folder ``empty``, made once."""
    folder = tmp_path_factory.mktemp("cli")
    make_workbook(folder / "wb")
    (folder / "empty").mkdir()
    return folder


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
def test_mistaken_invocations_get_a_clear_error_not_a_traceback(made, monkeypatch, capsys,
                                                                 args, message):
    """In this process (the command line's own entry is run once, below)."""
    monkeypatch.chdir(made)
    before = {p: p.stat().st_mtime_ns for p in (made / "wb").glob("*.ipynb")}
    try:
        status = main(args)
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert message in err and "Traceback" not in err + out
    assert {p: p.stat().st_mtime_ns for p in (made / "wb").glob("*.ipynb")} == before
    assert not (made / "03").exists() and not (made / "wb" / BACKUP).exists()


def test_the_command_line_reports_mistakes_without_a_traceback(made):
    for args, message in [(["check", "42", "--dir", "wb"], "chapter '42': no such chapter"),
                          (["chek"], "invalid choice: 'chek'")]:
        run = run_cli(*args, cwd=made)
        assert run.returncode == 2 and message in run.stderr, run
        assert "Traceback" not in run.stderr + run.stdout


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "wb").write_text("")  # a file where the folder would go: mkdir fails
    assert main(["workbook", str(locked / "wb" / "inner")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def make(*args):
    """`make` in the repository, without reinstalling (.venv/.installed taken as done)."""
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_make_reset_needs_a_chapter_and_passes_it_on():
    run = make("reset")
    assert run.returncode != 0 and "name the chapter: make reset CHAPTER=03" in run.stdout
    assert "-m lstm_lesson workbook --reset 03" in make("-n", "reset", "CHAPTER=03").stdout
