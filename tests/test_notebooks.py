"""Chapter notebooks: committed executed, in order, error-free, in the chapter shape.

nbval (run by the same pytest command) re-executes every notebook and compares
outputs, but it silently passes a cell that was never executed; these checks
close that gap and hold every chapter to the shape of COURSE.md.
"""

import re
import subprocess
import sys

import nbformat
import pytest
import yaml

from conftest import MAX_BUDGET, NOTEBOOKS, ROOT, over_budget, time_budget

SHAPE = [r"^## Idea\b", r"^## .*(Derivation|SymPy)", r"^## Build it\b",
         r"^## Check\b", r"^## Summary\b", r"^## Exercises\b"]

#: The kinds of exercise, given as the ``:class:`` of each ``{exercise}``.
KINDS = ("build", "debug", "predict", "change", "written")
#: At most this many printed ``True``/``False`` verdict lines in a chapter's
#: visible output: the one check a section needs is shown, more are folded.
MAX_VISIBLE_VERDICTS = 6


def load(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_there_are_chapters_and_all_are_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = {entry["file"] for part in toc["parts"] for entry in part["chapters"]}
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in listed, path.name
    for name in listed | {toc["root"]}:
        assert (ROOT / f"{name}.md").exists() or (ROOT / f"{name}.ipynb").exists(), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_in_order_without_errors(path):
    nb = load(path)
    counts = [c.execution_count for c in code_cells(nb)]
    assert None not in counts, f"{counts.count(None)} code cell(s) never executed"
    assert counts == list(range(1, len(counts) + 1)), "re-run top to bottom"
    for number, cell in enumerate(nb.cells):
        assert cell.get("id"), f"cell {number} has no id"
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"cell {number}: {output.ename}"
            assert not (output.output_type == "stream" and output.name == "stderr"), \
                f"cell {number} wrote to stderr: {output.text[:200]}"
    assert nb.metadata.kernelspec.name == "python3"


def tags(cell):
    return cell.metadata.get("tags", [])


def folded(cell):
    """A cell whose output the book folds (or whose whole cell it hides)."""
    return bool({"hide-output", "hide-cell", "remove-output", "remove-cell"} & set(tags(cell)))


def exercises(nb):
    """(position, label, kind) of every ``{exercise}`` in the chapter."""
    found = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for block in re.findall(r"\{exercise\}[^\n]*\n((?::\w+:[^\n]*\n)*)", cell.source):
            label = re.search(r":label:\s*(\S+)", block)
            kind = re.search(r":class:\s*kind-(\w+)", block)
            found.append((k, label and label.group(1), kind and kind.group(1)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_shape(path):
    nb = load(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    first_code = code_cells(nb)[0]
    assert "hide-input" in tags(first_code) and "setup()" in first_code.source, \
        "the import cell is hidden (tag hide-input) and calls lstm_lesson.notebook.setup()"
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("## ")]
    positions = []
    for pattern in SHAPE:
        found = [k for k, h in enumerate(headings) if re.match(pattern, h)]
        assert found, f"missing section {pattern}"
        positions.append(found[0])
    assert positions == sorted(positions), f"sections out of order: {headings}"
    sources = "\n".join(c.source for c in code_cells(nb))
    assert "draw_cell(" in sources or "draw_unrolled(" in sources, "the Idea section shows the cell diagram"
    assert "to_numpy(" in sources or "lambdify(" in sources, "the Check compares with SymPy"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_reader_writes_a_function_before_the_book_shows_it(path):
    # COURSE.md: the reader meets a function as an exercise before the book
    # shows the package's version, which comes after the exercise, folded.
    nb = load(path)
    cells = nb.cells
    shown = [k for k, c in enumerate(cells) if c.cell_type == "code" and "show_source(" in c.source]
    assert shown, "the package's version is shown (show_source)"
    for k in shown:
        assert folded(cells[k]), f"cell {k}: show_source is folded (tag hide-output)"
    build_it = next(k for k, c in enumerate(cells) if c.cell_type == "markdown"
                    and re.search(r"^## Build it\b", c.source, re.M))
    first_exercise = min(k for k, _, _ in exercises(nb) if k >= build_it)
    first_checker = min(k for k, c in enumerate(cells) if k > first_exercise and c.cell_type == "code"
                        and re.match(r"check_\w+\(\w+", c.source))
    assert all(k > first_checker for k in shown), \
        "show_source comes after the Build it exercise and its checker"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_of_every_kind(path):
    found = exercises(load(path))
    assert all(label for _, label, _ in found), "every exercise has a :label:"
    assert all(kind in KINDS for _, _, kind in found), \
        f"every exercise has :class: kind-<{'|'.join(KINDS)}>: {found}"
    kinds = [kind for _, _, kind in found]
    assert "build" in kinds, "the Build it exercise"
    assert len({"debug", "predict", "change"} & set(kinds)) >= 2, \
        f"exercises that copying cannot answer (find the bug, predict, change): {kinds}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_chapter_reads_as_a_book_not_a_test_log(path):
    verdicts = 0
    for cell in code_cells(load(path)):
        if folded(cell):
            continue
        for output in cell.outputs:
            text = output.get("text", "") if output.output_type == "stream" else ""
            verdicts += len(re.findall(r"\b(True|False)\s*$", text, re.M))
    assert verdicts <= MAX_VISIBLE_VERDICTS, (
        f"{verdicts} printed True/False lines in view: keep the check that matters, "
        "fold the rest (tag hide-output) or move them to tests/")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lines_fit_the_text_column(path):
    # 88 characters of code and of printed output fit the column at 1280 px
    # (book/_static/course.css; the browser test measures the rendered page).
    long = []
    for number, cell in enumerate(code_cells(load(path))):
        long += [(number, line) for line in cell.source.splitlines() if len(line) > 88]
        for output in cell.outputs:
            if output.output_type == "stream":
                long += [(number, line) for line in output.text.splitlines() if len(line) > 88]
    assert not long, f"{len(long)} lines over 88 characters: {long[:5]}"


def test_the_code_cells_are_formatted_by_ruff():
    # One style in every chapter, within the 88 columns above (requirements.txt pins ruff).
    found = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "--diff",
                            "--line-length", "88", *map(str, NOTEBOOKS)],
                           capture_output=True, text=True, cwd=ROOT)
    assert found.returncode == 0, (found.stdout + found.stderr)[-3000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_coding_exercise_ends_with_a_checker(path):
    cells = load(path).cells
    ends = [k for k, c in enumerate(cells) if c.cell_type == "markdown" and "{solution-end}" in c.source]
    assert len(ends) >= 2, "at least two coding exercises"
    for k in ends:
        following = cells[k + 1]
        assert following.cell_type == "code" and re.match(r"check_\w+\(\w+\)\s*$", following.source), following.source
        assert any(line.startswith("✓ check_") for o in following.outputs for line in o.get("text", "").splitlines())
    starts = [c for c in cells if c.cell_type == "markdown" and "{solution-start}" in c.source]
    assert len(starts) == len(ends)
    assert all(":class: dropdown" in c.source for c in starts), "solutions are folded"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_randomness_is_seeded(path):
    sources = "\n".join(c.source for c in code_cells(load(path)))
    # Only seeded generators: np.random.default_rng(<seed>); no global state.
    uses = re.findall(r"np\.random\.(\w+)", sources)
    assert set(uses) <= {"default_rng"}, f"unseeded or global randomness: {uses}"
    assert not re.search(r"default_rng\(\s*(None)?\s*\)", sources), "default_rng() needs a seed"


#: A number at rounding level (1e-10 or below) printed on a line that measures a
#: discrepancy: its digits depend on the machine's last bits (BLAS kernels, SIMD
#: paths), so another machine prints others and nbval fails there.
_TINY = re.compile(r"\d\.\d+e-(?:1\d|[2-9]\d)\b")  # digits; a bare 1e-11 is an order
_DISCREPANCY = re.compile(r"error|differ|residual|deviation|\|[^|\n]*\s-\s[^|\n]*\|", re.I)
_BOUND = re.compile(r"(<|<=|below|under|than|at most)\s*$", re.I)


def rounding_level_numbers(text):
    """The lines of ``text`` that print a rounding-level discrepancy's digits.

    A bound ("below 1e-10", "< 1e-12") or an order of magnitude with no digits
    ("about 1e-11") is machine-independent and allowed.
    """
    found = []
    for line in text.splitlines():
        if not _DISCREPANCY.search(line):
            continue
        for match in _TINY.finditer(line):
            if not _BOUND.search(line[:match.start()]):
                found.append(line)
                break
    return found


def test_the_rounding_level_detector_tells_digits_from_bounds():
    assert rounding_level_numbers("    x_t    relative error 8.7e-14\nok") == [
        "    x_t    relative error 8.7e-14"]
    assert rounding_level_numbers("max |NumPy - SymPy|: 3.1e-16") != []
    assert rounding_level_numbers("max |NumPy - SymPy| < 1e-12: True") == []
    assert rounding_level_numbers("all relative errors below 1e-10: True") == []
    assert rounding_level_numbers("||dL/dx_1|| = 7.2e-19") == []  # a value, not a discrepancy
    assert rounding_level_numbers("||dL/dc_0|| = 3.3e-37, direct 1.8e-56, ||dL/dx_1|| = 1.7e-37") == []
    assert rounding_level_numbers("W relative error 1.6e-09") == []  # truncation-sized
    assert rounding_level_numbers("W relative error about 1e-11 (rounding)") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_printed_number_depends_on_the_last_bits(path):
    for number, cell in enumerate(code_cells(load(path))):
        for output in cell.outputs:
            text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
            assert not rounding_level_numbers(text), (
                f"code cell {number} prints rounding-level digits; print a bound "
                f"(below 1e-10) instead: {rounding_level_numbers(text)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_runs_within_its_time_budget(path):
    # Deselected when nbval runs the chapter in this session: then its last
    # cell makes this check (conftest.py). Here it runs the chapter itself.
    import time

    import nbclient
    nb = load(path)
    start = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    why = over_budget(path.name, time.perf_counter() - start, time_budget(nb))
    assert why is None, why


def test_a_chapter_over_its_budget_is_reported():
    assert over_budget("10-x.ipynb", 59.9, 30) is None
    why = over_budget("10-x.ipynb", 61.04, 30)
    assert why.startswith("10-x.ipynb took 61.0 s, over its limit of 60 s")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_budget_is_within_the_maximum(path):
    budget = time_budget(load(path))
    assert 0 < budget <= MAX_BUDGET, f"time budget {budget} s is not in (0, {MAX_BUDGET}] s"
