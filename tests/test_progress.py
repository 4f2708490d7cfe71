"""lstm_lesson.verdicts and lstm_lesson.progress: `check` and `progress` as a student runs them."""

import re
import subprocess
import sys

import nbformat
import pytest

from lstm_lesson.progress import ChapterRun, format_table, format_verdicts
from lstm_lesson.verdicts import read_chapter
from lstm_lesson.workbook import make_workbook

from conftest import ROOT

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
    assert found.counts() == {"done": 1, "wrong": 2, "not attempted": 0}
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


def test_an_error_in_the_chapters_own_code_is_not_an_exercise():
    nb = executed_chapter()
    nb.cells[6] = code("print(undefined)", 4, name_error("undefined", 4))
    nb.cells.insert(7, code("undefined + 1", 9, name_error("undefined", 9)))
    found = read_chapter(nb)
    assert found.chapter_error.startswith("NameError: name 'undefined' is not defined")
    assert found.later_errors == 1
    assert found.exercises[0].status == "done" and found.exercises[0].error is None


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
        "chapter         done  wrong  not attempted",
        "03-forget-gate     1      2              0",
        "04-input-gate   could not run it: DeadKernelError: died",
        "total              1      2              0",
        "(and 1 written questions, which have no checker: compare your answers with the "
        "book's solutions)",
    ]


# ---- the commands, run on a real workbook (two chapters, ~20 s) ----

def solve(directory, chapter, function, source):
    """Replace the stub of ``function`` in a workbook chapter by ``source``."""
    path = directory / chapter
    nb = nbformat.read(path, as_version=4)
    [cell] = [c for c in nb.cells if c.cell_type == "code" and f"def {function}(" in c.source]
    cell.source = source
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def half_done(tmp_path_factory):
    """A workbook with a right answer, a wrong one and a syntax error."""
    directory = tmp_path_factory.mktemp("half") / "workbook"
    make_workbook(directory)
    solve(directory, "02-sigmoid-and-tanh.ipynb", "my_sigmoid",
          "def my_sigmoid(x):\n    e = np.exp(-np.abs(x))\n"
          "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n")
    solve(directory, "02-sigmoid-and-tanh.ipynb", "my_tanh_derivative",
          "def my_tanh_derivative(x):\n    return 1 - x**2\n")
    solve(directory, "03-forget-gate.ipynb", "my_forget_gate",
          "def my_forget_gate(x_t, h_prev, W_f, b_f):\n"
          "    return sigmoid(W_f @ np.vstack([h_prev, x_t]) + b_f\n")
    return directory


def lstm_lesson(*args, cwd):
    return subprocess.run([sys.executable, "-m", "lstm_lesson", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def checked(half_done):
    """`check 2 03` run from the folder above the workbook, as `make check` runs."""
    return lstm_lesson("check", "2", "03", cwd=half_done.parent)


def test_check_says_what_it_runs_and_how_long_it_took(checked):
    lines = checked.stdout.splitlines()
    assert re.fullmatch(r"running 02-sigmoid-and-tanh\.ipynb \.\.\. \d+\.\d s", lines[0])
    [second] = [n for n, line in enumerate(lines) if line.startswith("running 03-")]
    assert re.fullmatch(r"running 03-forget-gate\.ipynb \.\.\. \d+\.\d s", lines[second])
    # Each chapter's verdicts come as soon as it has run, before the next one starts.
    assert any("check_sigmoid" in line for line in lines[1:second])


def test_check_prints_whole_verdicts_under_exercise_titles(checked):
    out = checked.stdout
    assert "  Exercise: A stable sigmoid\n    ✓ check_sigmoid: all 9 cases pass." in out
    assert "… check_sigmoid_derivative: not attempted yet" in out
    wrong = out[out.index("✗ check_tanh_derivative"):]
    for detail in ("expected:", "received:", "largest difference:", "hint:"):
        assert detail in wrong.split("\n\n")[0], detail
    assert "  Exercise: The forget gate\n    ✗ error in your code: SyntaxError" in out
    assert "cell 4" not in out and "NameError" not in out


def test_check_ends_with_the_table_and_succeeds_on_unfinished_work(checked):
    assert checked.returncode == 0, checked.stderr
    table = checked.stdout[checked.stdout.index("chapter  "):].splitlines()
    assert table[1].split() == ["02-sigmoid-and-tanh", "1", "1", "1"]
    assert table[2].split() == ["03-forget-gate", "0", "1", "1"]
    assert table[3].split() == ["total", "1", "2", "2"]


def test_check_prints_no_kernel_warning(checked):
    assert "without encryption" not in checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr


def test_progress_reuses_the_last_run_until_the_chapter_changes(half_done, checked):
    quick = lstm_lesson("progress", "02-sigmoid-and-tanh.ipynb", "3", cwd=half_done.parent)
    assert quick.returncode == 0 and "running" not in quick.stdout
    assert quick.stdout.startswith("chapter  ")
    assert checked.stdout.endswith(quick.stdout)  # the same table
    solve(half_done, "03-forget-gate.ipynb", "my_forget_gate",
          "def my_forget_gate(x_t, h_prev, W_f, b_f):\n"
          "    return sigmoid(W_f @ np.vstack([h_prev, x_t]) + b_f)\n")
    again = lstm_lesson("progress", "3", cwd=half_done.parent)
    assert again.stdout.startswith("running 03-forget-gate.ipynb ... ")
    assert again.stdout.splitlines()[2].split() == ["03-forget-gate", "1", "0", "1"]


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
