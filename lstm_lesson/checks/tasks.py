"""Checker for chapter 11: a task generator, the adding problem."""

import numpy as np

from .core import Case, Mistake, run_check
from .pristine import tasks

__all__ = ["check_adding_problem"]


def _cases():
    return [Case(f"T={T}, N={N}, default_rng({seed})", (T, N, seed))
            for T, N, seed in [(10, 4, 0), (7, 3, 5), (2, 1, 1), (30, 6, 42)]]


def _adding(T, N, seed):
    batch = tasks.adding_problem(T, N, seed)
    return batch.xs, batch.target


def _buggy_adding(layout="TDN", target="marked", halves=True, second_low=0, rows="values first",
                  columns=True, order="values first", target_shape="row"):
    """A reader's adding problem with one slip; the defaults are right."""

    def adding(T, N, seed):
        rng = np.random.default_rng(seed)
        if order == "values first":
            values = rng.uniform(0, 1, (T, N))
            first = rng.integers(0, T // 2, N)
            second = rng.integers(T // 2 + second_low, T, N) if halves else rng.integers(0, T, N)
        else:
            first = rng.integers(0, T // 2, N)
            second = rng.integers(T // 2, T, N)
            values = rng.uniform(0, 1, (T, N))
        markers = np.zeros((T, N))
        if columns:
            markers[first, np.arange(N)] = 1
            markers[second, np.arange(N)] = 1
        else:  # whole rows: every sequence gets every sequence's markers
            markers[first] = 1
            markers[second] = 1
        pair = [values, markers] if rows == "values first" else [markers, values]
        xs = np.stack(pair, axis={"TDN": 1, "TND": 2, "DTN": 0}[layout])
        if target == "marked":
            total = (values * markers).sum(axis=0)
        else:
            total = values.sum(axis=0)
        if not columns:
            total = values[first, np.arange(N)] + values[second, np.arange(N)]
        total = total.reshape(1, N) if target_shape == "row" else total
        return xs, total

    return adding


ADDING_FIX = ("values = rng.uniform(0, 1, (T, N)); first = rng.integers(0, T // 2, N); "
              "second = rng.integers(T // 2, T, N); markers[first, np.arange(N)] = 1 and "
              "the same for second; xs = np.stack([values, markers], axis=1); target = "
              "(values * markers).sum(axis=0).reshape(1, N)")

ADDING_MISTAKES = [
    Mistake(
        "inputs stacked along the last axis",
        "One step's inputs are a (D, N) batch, two rows (the number and its marker) "
        "by N columns: the sequence is (T, D, N), yours is (T, N, D).",
        "Stack the two rows along axis 1: np.stack([values, markers], axis=1).",
        _buggy_adding(layout="TND"),
    ),
    Mistake(
        "time not first",
        "xs[t] must be step t's batch: the steps come first, (T, D, N).",
        "np.stack([values, markers], axis=1), not axis=0.",
        _buggy_adding(layout="DTN"),
    ),
    Mistake(
        "rows swapped",
        "Row 0 of each step holds the number, row 1 its marker; yours has them the "
        "other way round.",
        "np.stack([values, markers], axis=1): values first.",
        _buggy_adding(rows="markers first"),
    ),
    Mistake(
        "sum of every number",
        "The target adds up only the two flagged numbers, not every number of the "
        "sequence.",
        "target = (values * markers).sum(axis=0), shaped (1, N).",
        _buggy_adding(target="all"),
    ),
    Mistake(
        "target as a flat array",
        "The target is shaped like a readout's output, one column per example with "
        "one row: (1, N), not a flat array of N numbers.",
        "target.reshape(1, N).",
        _buggy_adding(target_shape="flat"),
    ),
    Mistake(
        "markers set for every sequence",
        "A marker belongs to one sequence (one column); yours are set in every column "
        "of their step.",
        "markers[first, np.arange(N)] = 1: one entry per column.",
        _buggy_adding(columns=False),
    ),
    Mistake(
        "second marker anywhere",
        "The second marker's step is drawn from the second half of the sequence only.",
        "second = rng.integers(T // 2, T, N).",
        _buggy_adding(halves=False),
    ),
    Mistake(
        "second half starts one step late",
        "The upper end of the first half is exclusive, so the second half starts at "
        "the middle step itself.",
        "second = rng.integers(T // 2, T, N), not from T // 2 + 1.",
        _buggy_adding(second_low=1),
    ),
    Mistake(
        "draws in another order",
        "The generator draws the numbers first, then the two markers' steps; yours "
        "draws in another order, so the same generator gives other sequences.",
        "Draw the values, then first, then second, all from the one generator.",
        _buggy_adding(order="markers first"),
    ),
]


def check_adding_problem(adding_problem_fn, hint=1):
    """Check ``adding_problem(T, N, seed) -> (xs, target)``: xs (T, 2, N), target (1, N).

    The draws, from ``np.random.default_rng(seed)``: the numbers
    ``uniform(0, 1, (T, N))``, the first markers ``integers(0, T // 2, N)``, the
    second ``integers(T // 2, T, N)``.
    """
    return run_check(
        "check_adding_problem", adding_problem_fn, _adding, _cases(), ADDING_MISTAKES,
        generic_hint="Draw the numbers and the two markers' steps in the stated order, "
        "put numbers and markers as the two rows of each step's batch, and add up the "
        "two flagged numbers of each sequence.",
        generic_fix=ADDING_FIX + ".",
        outputs=("xs", "target"), hint=hint,
    )
