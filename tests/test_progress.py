"""lstm_lesson.verdicts and lstm_lesson.progress: `check` and `progress` as a student runs them."""

import io
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from lstm_lesson import progress
from lstm_lesson.answers import PLACEHOLDER, answer, answer_cell_source, book_solution
from lstm_lesson.progress import ChapterRun, format_table, format_verdicts
from lstm_lesson.verdicts import answer_of, is_checker, read_chapter
from lstm_lesson.workbook import make_workbook

from conftest import NOTEBOOKS, ROOT


new_code, new_markdown = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell

# A syntax error as the kernel reports it, colours and all.
SYNTAX_ERROR = nbformat.v4.new_output(
    "error", ename="SyntaxError", evalue="incomplete input (3370609169.py, line 3)",
    traceback=["  \x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[5]\x1b[39m\x1b[32m, line 3"
               "\x1b[39m\n\x1b[31m    \x1b[39m\x1b[31mreturn sigmoid(W_f @ z + b_f\x1b[39m\n"
               "                                ^\n\x1b[31mSyntaxError\x1b[39m\x1b[31m:\x1b[39m "
               "incomplete input\n"],
)


def name_error(name, count):
    return nbformat.v4.new_output(
        "error", ename="NameError", evalue=f"name '{name}' is not defined",
        traceback=["\x1b[31m-----\x1b[39m", f"\x1b[36mCell\x1b[39m In[{count}], line 1\n"
                   f"----> 1 check_x({name})\n", f"NameError: name '{name}' is not defined"],
    )


def printed(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def code(source, count, *outputs):
    cell = new_code(source)
    cell.execution_count, cell.outputs = count, list(outputs)
    return cell


WRONG = ("✗ check_b: case 'x = 0': values differ\n    expected: 1.0\n    received: 2.0\n"
         "    largest difference: 1.0\n  hint: Read it again.\n")


def executed_chapter():
    """A run chapter: one exercise done, one wrong, one with a syntax error, one written."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        new_markdown("# A chapter"),
        code("import numpy as np", 1),
        new_markdown("**Exercise: First**\n\nWrite `my_a`."),
        code("def my_a(x):\n    return x", 2),
        code("check_a(my_a)", 3, printed("✓ check_a: all 3 cases pass.\n")),
        new_markdown("More of the chapter's text."),
        code("print('the chapter goes on')", 4, printed("the chapter goes on\n")),
        new_markdown("**Exercise: Second**"),
        code("def my_b(x):\n    z = x\n    return sigmoid(W_f @ z + b_f\n", 5, SYNTAX_ERROR),
        code("check_b(my_b)", 6, name_error("my_b", 6)),
        new_markdown("**Exercise: Third**"),
        code("def my_c(x):\n    return 2 * x", 7),
        code("check_c(my_c)", 8, printed(WRONG)),
        new_markdown("**Exercise: Why?**\n\nA written question."),
    ]
    return nb


def test_each_exercise_gets_its_title_and_whole_verdict():
    found = read_chapter(executed_chapter())
    assert [(e.title, e.status) for e in found.exercises] == [
        ("First", "done"), ("Second", "wrong"), ("Third", "wrong"), ("Why?", None)]
    assert found.exercises[2].outputs == [WRONG.rstrip("\n")]  # every detail line kept
    assert found.counts() == {"done": 1, "wrong": 2, "not attempted": 0,
                              "answered": 0, "not answered": 0}
    assert found.chapter_error is None


def test_a_syntax_error_is_reported_once_under_its_exercise():
    second = read_chapter(executed_chapter()).exercises[1]
    assert second.outputs == []
    assert second.error.splitlines() == [
        "SyntaxError: incomplete input",
        "  in the cell starting: def my_b(x):",
        "  line 3:",
        "        return sigmoid(W_f @ z + b_f",
        "    " + "                                ^",  # the caret stays under the fault
    ]
    assert "NameError" not in second.error  # the checker's failure only repeats it


def test_an_error_in_the_chapters_own_code_is_not_an_exercise(tmp_path):
    nb = executed_chapter()
    nb.cells[6] = code("print(undefined)", 4, name_error("undefined", 4))
    nb.cells.insert(7, code("undefined + 1", 9, name_error("undefined", 9)))
    found = read_chapter(nb)
    assert found.chapter_error.startswith("NameError: name 'undefined' is not defined")
    assert found.later_errors == 1
    assert found.exercises[0].status == "done" and found.exercises[0].error is None
    # In the table: a mark, explained under it, within 88 columns for the longest name.
    run = ChapterRun(tmp_path / "10-backpropagation-through-time.ipynb", found, 1.0)
    table = format_table([run]).splitlines()
    assert table[1].endswith("  *")
    assert any(line.startswith("(* an error in the chapter's own code") for line in table)
    assert all(len(line) <= 88 for line in table)


def test_a_reader_note_between_exercise_and_checker_keeps_the_checker():
    nb = executed_chapter()
    nb.cells.insert(4, new_markdown("my own note"))
    assert read_chapter(nb).exercises[0].status == "done"


def test_an_error_under_a_written_question_is_shown_but_not_counted(tmp_path):
    nb = executed_chapter()
    nb.cells.append(code("1 / 0", 9, nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])))
    found = read_chapter(nb)
    assert found.exercises[3].status is None and found.counts()["wrong"] == 2
    text = format_verdicts(ChapterRun(tmp_path / "03-x.ipynb", found))
    assert "  Exercise: Why?\n    error in your code: ZeroDivisionError" in text


def test_a_stub_still_in_place_is_not_attempted():
    nb = executed_chapter()
    nb.cells[4] = code("check_a(my_a)", 3, printed("… check_a: not attempted yet.\n"))
    assert read_chapter(nb).exercises[0].status == "not attempted"


def test_the_chapters_own_myst_exercises_are_read_too():
    nb = nbformat.v4.new_notebook()
    nb.cells = [new_markdown("```{exercise} The forget gate\n:label: ex-f\n\nWrite it.\n```"),
                new_markdown("```{solution-start} ex-f\n```"), code("def my_f(): pass", 1),
                new_markdown("```{solution-end}\n```"),
                code("check_f(my_f)", 2, printed("✓ check_f: all 2 cases pass.\n"))]
    [exercise] = read_chapter(nb).exercises
    assert (exercise.title, exercise.status) == ("The forget gate", "done")


def test_verdicts_and_table_as_printed(tmp_path):
    run = ChapterRun(tmp_path / "03-forget-gate.ipynb", read_chapter(executed_chapter()), 4.2)
    text = format_verdicts(run)
    assert not re.search(r"cell \d", text)  # exercises are named, not numbered by cell
    assert "  Exercise: Third\n    ✗ check_b: case 'x = 0': values differ\n" \
           "        expected: 1.0\n        received: 2.0\n        largest difference: 1.0\n" \
           "      hint: Read it again." in text
    assert "  Exercise: Second\n    ✗ error in your code: SyntaxError: incomplete input" in text
    assert "Why?" not in text
    broken = ChapterRun(tmp_path / "04-input-gate.ipynb", failure="DeadKernelError: died")
    assert format_table([run, broken]).splitlines() == [
        "chapter         done  wrong  not attempted  answered  not answered",
        "03-forget-gate     1      2              0         0             0",
        "04-input-gate   could not run it: DeadKernelError: died",
        "total              1      2              0         0             0",
        "(and 1 written questions without an answer cell: compare your",
        " answers with the book's solutions)",
    ]


def with_answer_cells(*texts):
    """The executed chapter with an answer cell under its written question, and more
    written questions with theirs, holding ``texts``."""
    nb = executed_chapter()
    nb.cells.append(new_code(answer_cell_source("ex-why")))
    for k, text in enumerate(texts[1:]):
        nb.cells += [new_markdown(f"**Exercise: Question {k + 2}**"),
                     new_code(answer_cell_source(f"ex-{k + 2}"))]
    answer_cells = [c for c in nb.cells if answer_of(c) is not None]
    for cell, text in zip(answer_cells, texts):
        cell.source = cell.source.replace(PLACEHOLDER, text)
    return nb


def test_written_questions_count_as_answered_once_their_cell_holds_an_answer(tmp_path):
    nb = with_answer_cells(PLACEHOLDER, "  \n", "Because tanh is odd.\n" + PLACEHOLDER,
                           "Since $\\sigma$ is a fraction.")
    found = read_chapter(nb)
    assert [e.status for e in found.exercises[3:]] == [
        "not answered", "not answered", "answered", "answered"]
    counts = found.counts()
    assert (counts["answered"], counts["not answered"]) == (2, 2)
    run = ChapterRun(tmp_path / "03-forget-gate.ipynb", found, 1.0)
    text = format_verdicts(run)
    assert "  Exercise: Why?\n    … not answered yet (write it in the answer cell" in text
    # `check` writes no outputs into the workbook: the answer shows when the cell runs.
    assert "  Exercise: Question 4\n    ✎ answered (run your answer cell to see the book's " \
        "answer)" in text
    table = format_table([run]).splitlines()
    assert table[1].split() == ["03-forget-gate", "1", "2", "0", "2", "2"]
    assert table[-2].startswith("(answered: the written questions whose answer cell")
    # A reader who broke the string still wrote something: answered.
    nb.cells[-1].source = 'answer("ex-4", r"""It is "odd"""", """)'
    assert read_chapter(nb).exercises[-1].status == "answered"


def test_an_answer_cell_shows_the_books_answer_only_under_an_answer(capsys):
    from lstm_lesson.workbook import written_labels

    label = next(label for path in NOTEBOOKS
                 for label in sorted(written_labels(nbformat.read(path, as_version=4)))
                 if book_solution(label))
    assert answer(label, f"\n{PLACEHOLDER}\n") is None
    out = capsys.readouterr().out
    assert out == (f"… {label}: not answered yet.\n  Write your answer in this cell, in place "
                   "of its first line, then run it.\n")
    assert answer(label, "My own answer.") is None  # no Out: under it
    out = capsys.readouterr().out
    assert out.startswith(f"✎ {label}: answered. The book's answer, to compare with yours:\n")
    assert out.endswith(book_solution(label) + "\n") and len(book_solution(label)) > 40
    assert not re.search(r"\{\w[\w:-]*\}`|^:\w+:", out, re.M)  # MyST made plain


def test_in_jupyter_the_books_answer_is_shown_as_markdown(tmp_path, monkeypatch, capsys):
    """In a kernel the answer is displayed (rendered, math included), not printed."""
    nb = nbformat.v4.new_notebook(cells=[new_markdown(
        "```{solution} ex-why\n:class: dropdown\n\nBecause $\\tanh$ is odd.\n```")])
    nbformat.write(nb, tmp_path / "03-x.ipynb")
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: object())  # as in a kernel
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    assert answer("ex-why", "Mine.", tmp_path) is None
    solution = "Because $\\tanh$ is odd."
    assert shown == [({"text/markdown": solution, "text/plain": solution}, True)]
    assert capsys.readouterr().out == ("✎ ex-why: answered. The book's answer, to compare "
                                       "with yours:\n")


def test_the_books_answer_is_read_from_the_chapters_wherever_they_are(tmp_path, capsys):
    nb = nbformat.v4.new_notebook(cells=[new_markdown(
        "```{exercise} Why?\n:label: ex-why\n:class: kind-written\n\nWhy?\n```\n\n"
        "```{solution} ex-why\n:class: dropdown\n\nA {term}`saturated <saturation>` gate "
        "passes almost no {term}`gradient` ({numref}`fig-03-gate`).\n```")])
    nbformat.write(nb, tmp_path / "03-x.ipynb")
    assert book_solution("ex-why", tmp_path) == \
        "A saturated gate passes almost no gradient (the figure)."
    assert book_solution("ex-none", tmp_path) is None
    assert answer("ex-none", "mine", tmp_path) is None
    assert "not found here" in capsys.readouterr().out


# ---- the commands, run on a whole workbook, once ----
#
# `check` runs every chapter of a workbook in which two chapters hold answers
# (right, wrong, a syntax error, a written one) and the others are as the
# workbook makes them: that one run is the session's run of every workbook
# chapter, and tells both what `check` prints and that a fresh chapter runs
# and reports nothing done.

EDITED = ("02-sigmoid-and-tanh.ipynb", "03-forget-gate.ipynb")


def solve(directory, chapter, function, source):
    """Replace the stub of ``function`` in a workbook chapter by ``source``."""
    path = directory / chapter
    nb = nbformat.read(path, as_version=4)
    [cell] = [c for c in nb.cells if c.cell_type == "code" and f"def {function}(" in c.source]
    cell.source = source
    nbformat.write(nb, path)


def write_first_answer(directory, chapter, text):
    """Write ``text`` into the first answer cell of a workbook chapter, if it has one."""
    path = directory / chapter
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if answer_of(c) is not None]
    if cells:
        cells[0].source = cells[0].source.replace(PLACEHOLDER, text)
        nbformat.write(nb, path)
    return len(cells)


def exercises_in(directory, chapter):
    """(checker cells, answer cells) of a workbook chapter."""
    nb = nbformat.read(directory / chapter, as_version=4)
    return sum(map(is_checker, nb.cells)), sum(answer_of(c) is not None for c in nb.cells)


@pytest.fixture(scope="module")
def half_done(tmp_path_factory):
    """A workbook with a right answer, a wrong one, a syntax error and a written answer."""
    directory = tmp_path_factory.mktemp("half") / "workbook"
    make_workbook(directory)
    solve(directory, EDITED[0], "my_sigmoid",
          "def my_sigmoid(x):\n    e = np.exp(-np.abs(x))\n"
          "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n")
    solve(directory, EDITED[0], "my_tanh_derivative",
          "def my_tanh_derivative(x):\n    return 1 - x**2\n")
    solve(directory, EDITED[1], "my_forget_gate",
          "def my_forget_gate(x_t, h_prev, W_f, b_f):\n"
          "    return sigmoid(W_f @ np.vstack([h_prev, x_t]) + b_f\n")
    write_first_answer(directory, EDITED[1], "A fraction: keep some of it.")
    return directory


def lstm_lesson(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "lstm_lesson", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=3600, env=env)


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    """A copy of the package and the chapters, which the commands below run from.

    `progress` reuses a run only while the package is unchanged; in a tree that
    others edit while the tests run, a copy keeps the two commands on the same
    package. Returns the environment that puts the copy first on the path.
    """
    root = tmp_path_factory.mktemp("frozen")
    shutil.copytree(ROOT / "lstm_lesson", root / "lstm_lesson",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    return root, dict(os.environ, PYTHONPATH=str(root))


@pytest.fixture(scope="module")
def checked(half_done, frozen):
    """`check` run from the folder above the workbook, as `make check` runs; and its
    output cut into {chapter: its lines} and the table's lines."""
    run = lstm_lesson("check", cwd=half_done.parent, env=frozen[1])
    body, _, table = run.stdout.partition("\nchapter  ")
    sections, current = {}, None
    for line in body.splitlines():
        running = re.match(r"running (\S+\.ipynb) \.\.\. ", line)
        if running:
            current = running[1]
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return run, sections, ("chapter  " + table).splitlines()


def test_check_says_what_it_runs_and_how_long_it_took(checked, half_done):
    run, sections, _ = checked
    assert list(sections) == [p.name for p in sorted(half_done.glob("*.ipynb"))]
    for name, lines in sections.items():
        assert re.fullmatch(rf"running {re.escape(name)} \.\.\. \d+\.\d s", lines[0]), lines[0]
    # Each chapter's verdicts come as soon as it has run, before the next one starts.
    assert any("check_sigmoid" in line for line in sections[EDITED[0]])


def test_check_prints_whole_verdicts_under_exercise_titles(checked, half_done):
    _, sections, _ = checked
    out = "\n".join(sections[EDITED[0]] + sections[EDITED[1]])
    assert re.search(r"  Exercise: [^\n]+\n    ✓ check_sigmoid: all \d+ cases pass\.", out)
    assert re.search(r"    … check_\w+: not attempted yet\.\n      Your function still", out)
    wrong = out[out.index("✗ check_tanh_derivative"):]
    for detail in ("expected:", "received:", "largest difference:", "hint:"):
        assert detail in wrong.split("\n\n")[0], detail
    assert re.search(r"  Exercise: [^\n]+\n    ✗ error in your code: SyntaxError", out)
    if exercises_in(half_done, EDITED[1])[1]:
        # `check` writes nothing into the workbook: the book's answer shows once the
        # reader runs the answer cell.
        assert re.search(r"  Exercise: [^\n]+\n    ✎ answered \(run your answer cell to see "
                         r"the book's answer\)", out)
    assert "cell 4" not in out and "NameError" not in out


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in EDITED],
                         ids=lambda p: p.name)
def test_a_fresh_workbook_chapter_runs_and_reports_nothing_done(checked, half_done, path):
    """Every chapter as the workbook makes it runs without an error, and every
    exercise is not attempted (or not predicted), every written one not answered."""
    _, sections, table = checked
    lines = sections[path.name]
    assert not [line for line in lines if "✗" in line or "error" in line], "\n".join(lines)
    titles = [k for k, line in enumerate(lines) if line.startswith("  Exercise: ")]
    assert all(lines[k + 1].startswith("    … ") for k in titles), "\n".join(lines)
    checkers, answers = exercises_in(half_done, path.name)
    [row] = [line.split() for line in table if line.startswith(path.stem + " ")]
    assert row == [path.stem, "0", "0", str(checkers), "0", str(answers)]


def test_check_ends_with_the_table_and_succeeds_on_unfinished_work(checked, half_done):
    run, sections, table = checked
    assert run.returncode == 0, run.stderr
    assert table[0].split() == ["chapter", "done", "wrong", "not", "attempted", "answered",
                                "not", "answered"]
    checkers, answers = exercises_in(half_done, EDITED[0])
    row_2 = [1, 1, checkers - 2, 0, answers]
    checkers, answers = exercises_in(half_done, EDITED[1])
    row_3 = [0, 1, checkers - 1, min(answers, 1), answers - min(answers, 1)]
    rows = {line.split()[0]: line.split()[1:] for line in table[1:] if line[:1].isalnum()}
    assert rows[EDITED[0][:-6]] == [*map(str, row_2)]
    assert rows[EDITED[1][:-6]] == [*map(str, row_3)]
    totals = [sum(int(row[k]) for name, row in rows.items() if name != "total")
              for k in range(5)]
    assert rows["total"] == [*map(str, totals)]
    ours = table + [line for lines in sections.values() for line in lines if line.startswith(
        ("running ", "  Exercise: ", "      Your function still", "    ✎", "    … not"))]
    assert all(len(line) <= 88 for line in ours), max(ours, key=len)


def test_check_prints_no_kernel_warning(checked):
    run, _, _ = checked
    assert "without encryption" not in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_progress_reuses_the_last_run(half_done, checked, frozen):
    run, _, _ = checked
    quick = lstm_lesson("progress", cwd=half_done.parent, env=frozen[1])
    assert quick.returncode == 0 and "running" not in quick.stdout
    assert quick.stdout.startswith("chapter  ")
    assert run.stdout.endswith(quick.stdout)  # the same table
    some = lstm_lesson("progress", EDITED[0], "3", cwd=half_done.parent, env=frozen[1])
    assert some.stdout.splitlines()[1].startswith(EDITED[0][:-6] + " ")


def test_progress_runs_again_only_a_chapter_changed_since(half_done, checked, frozen,
                                                         monkeypatch):
    """After `check`, an edit to chapter 3 makes `progress` run chapter 3 alone
    (in this process, the runs recorded instead of made: `check` above ran them)."""
    ran = []

    def record(path, timeout=None):
        ran.append(path.name)
        return ChapterRun(path, read_chapter(nbformat.read(path, as_version=4)), 0.1)

    monkeypatch.setattr(progress, "run_chapter", record)
    monkeypatch.setattr(progress, "_PACKAGE", frozen[0] / "lstm_lesson")  # as `check` ran
    chapters = [half_done / name for name in EDITED]
    assert all(run.cached for run in progress.run_chapters(chapters, rerun=False))
    solve(half_done, EDITED[1], "my_forget_gate",
          "def my_forget_gate(x_t, h_prev, W_f, b_f):\n"
          "    return sigmoid(W_f @ np.vstack([h_prev, x_t]) + b_f)\n")
    out = io.StringIO()
    runs = list(progress.run_chapters(chapters, rerun=False, out=out))
    assert ran == [EDITED[1]] and [r.cached for r in runs] == [True, False]
    assert out.getvalue().startswith("running 03-forget-gate.ipynb ... ")
    list(progress.run_chapters(chapters, rerun=True, out=io.StringIO()))
    assert ran == [EDITED[1], *EDITED]  # --rerun: all


def test_a_notebook_that_cannot_run_is_named_and_fails(tmp_path):
    directory = tmp_path / "workbook"
    directory.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[new_code("print(1)")]),
                   directory / "01-tiny.ipynb")
    (directory / "05-cell-state.ipynb").write_text("{not json")
    run = lstm_lesson("check", cwd=tmp_path)
    assert run.returncode == 1
    assert "running 05-cell-state.ipynb ... could not run it: not a notebook" in run.stdout
    assert "05-cell-state  could not run it: not a notebook" in run.stdout
    assert "01-tiny 0 0 0" in " ".join(run.stdout.split())  # the other one ran
    assert "Traceback" not in run.stdout + run.stderr
    # Runs are remembered only in a workbook that `workbook` made, never elsewhere
    # (not in notebooks/, say).
    assert not (directory / ".progress.json").exists()


def test_make_check_and_progress_pass_the_chapters_on():
    from test_workbook import make

    assert "-m lstm_lesson check 03 5" in make("-n", "check", "CHAPTERS=03 5").stdout
    assert "-m lstm_lesson progress 03" in make("-n", "progress", "CHAPTERS=03").stdout
    assert make("-n", "check").stdout.split()[-3:] == ["-m", "lstm_lesson", "check"]


# ---- `progress` does not run a chapter that is as the workbook wrote it ----

def test_progress_reads_an_untouched_chapter_without_running_it(tmp_path, monkeypatch):
    """A fresh chapter's stubs all raise NotImplementedError: every exercise is not
    attempted, every written question not answered, without a kernel. A chapter
    the reader edited runs; `--rerun` (and `check`) run every one."""
    directory = tmp_path / "workbook"
    make_workbook(directory)
    ran = []

    def record(path, timeout=None):
        ran.append(path.name)
        return ChapterRun(path, read_chapter(nbformat.read(path, as_version=4)), 0.1)

    monkeypatch.setattr(progress, "run_chapter", record)
    chapters = sorted(directory.glob("*.ipynb"))
    runs = list(progress.run_chapters(chapters, rerun=False, out=io.StringIO()))
    assert ran == [] and all(run.as_made and run.failure is None for run in runs)
    for run, path in zip(runs, chapters):
        checkers, answers = exercises_in(directory, path.name)
        assert run.verdicts.counts() == {"done": 0, "wrong": 0, "not attempted": checkers,
                                         "answered": 0, "not answered": answers}, path.name
        assert run.verdicts.chapter_error is None
    assert sum(run.verdicts.counts()["not attempted"] for run in runs) > 40
    # Running it in Jupyter (outputs, counts) does not make it edited.
    nb = nbformat.read(chapters[1], as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nbformat.write(nb, chapters[1])
    solve(directory, EDITED[0], "my_sigmoid", "def my_sigmoid(x):\n    return 0 * x\n")
    out = io.StringIO()
    runs = list(progress.run_chapters(chapters, rerun=False, out=out))
    assert ran == [EDITED[0]] and out.getvalue() == f"running {EDITED[0]} ... 0.1 s\n"
    assert [run.as_made for run in runs].count(False) == 1
    list(progress.run_chapters(chapters, rerun=True, out=io.StringIO()))
    assert ran == [EDITED[0], *(path.name for path in chapters)]


def test_a_chapter_outside_a_workbook_is_run(tmp_path, monkeypatch):
    """Without the workbook's manifest nothing says the chapter is untouched."""
    ran = []
    monkeypatch.setattr(progress, "run_chapter", lambda path, timeout=None: (
        ran.append(path.name) or ChapterRun(path, read_chapter(nbformat.read(path, 4)))))
    chapter = NOTEBOOKS[2]
    shutil.copy(chapter, tmp_path / chapter.name)
    list(progress.run_chapters([tmp_path / chapter.name], rerun=False, out=io.StringIO()))
    assert ran == [chapter.name]
    assert progress.untouched_chapter(tmp_path / chapter.name) is None


def test_progress_on_a_fresh_workbook_runs_nothing(tmp_path):
    make_workbook(tmp_path / "workbook")
    quick = lstm_lesson("progress", cwd=tmp_path)
    assert quick.returncode == 0, quick.stderr
    assert "running" not in quick.stdout and quick.stdout.startswith("chapter  ")
    rows = [line.split() for line in quick.stdout.splitlines()[1:] if line[:1].isdigit()]
    assert len(rows) == len(NOTEBOOKS)
    for row in rows:
        checkers, answers = exercises_in(tmp_path / "workbook", row[0] + ".ipynb")
        assert row[1:] == ["0", "0", str(checkers), "0", str(answers)]
