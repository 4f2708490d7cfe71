"""Chapter notebooks: committed executed, in order, error-free, in the chapter shape.

nbval (run by the same pytest command) re-executes every notebook and compares
outputs, but it silently passes a cell that was never executed; these checks
close that gap and hold every chapter to the shape of COURSE.md.
"""

import re

import nbformat
import pytest
import yaml

from conftest import NOTEBOOKS, ROOT

SHAPE = [r"^## Idea\b", r"^## .*(Derivation|SymPy)", r"^## Implementation\b",
         r"^## Check\b", r"^## Summary\b", r"^## Exercises\b"]


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_shape(path):
    nb = load(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("## ")]
    positions = []
    for pattern in SHAPE:
        found = [k for k, h in enumerate(headings) if re.match(pattern, h)]
        assert found, f"missing section {pattern}"
        positions.append(found[0])
    assert positions == sorted(positions), f"sections out of order: {headings}"
    sources = "\n".join(c.source for c in code_cells(nb))
    assert "draw_cell(" in sources, "the Idea section shows the cell diagram"
    assert "show_source(" in sources, "the Implementation shows the package's own source"
    assert "to_numpy(" in sources or "lambdify(" in sources, "the Check compares with SymPy"


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_top_to_bottom_in_under_30_seconds(path):
    # A reader runs each chapter in seconds; the limit is the course's budget
    # per notebook on a 2-core machine, kernel start included.
    import time

    import nbclient
    nb = load(path)
    start = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"{path.name} took {elapsed:.1f} s"
