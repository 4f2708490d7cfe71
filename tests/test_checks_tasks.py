"""check_adding_problem: the generator as documented passes; readers' slips are named."""

import contextlib
import io

import numpy as np
import pytest

from lstm_lesson.checks import check_adding_problem


def run(answer):
    with contextlib.redirect_stdout(io.StringIO()):
        return check_adding_problem(answer)


def adding(T, N, seed):
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (T, N))
    first = rng.integers(0, T // 2, N)
    second = rng.integers(T // 2, T, N)
    markers = np.zeros((T, N))
    for n in range(N):
        markers[first[n], n] = markers[second[n], n] = 1
    xs = np.zeros((T, 2, N))
    xs[:, 0, :], xs[:, 1, :] = values, markers
    return xs, (values * markers).sum(axis=0, keepdims=True)


def test_accepts_right_answers():
    assert run(adding)


def slip(kind):
    def answer(T, N, seed):
        rng = np.random.default_rng(seed)
        if kind == "order":
            first, second = rng.integers(0, T // 2, N), rng.integers(T // 2, T, N)
            values = rng.uniform(0, 1, (T, N))
        else:
            values = rng.uniform(0, 1, (T, N))
            first = rng.integers(0, T // 2, N)
            low = {"anywhere": 0, "late": T // 2 + 1}.get(kind, T // 2)
            second = rng.integers(low, T, N)
        markers = np.zeros((T, N))
        if kind == "every column":
            markers[first, :] = 1
            markers[second, :] = 1
        else:
            markers[first, range(N)] = 1
            markers[second, range(N)] = 1
        target = values[first, range(N)] + values[second, range(N)]
        if kind == "all":
            target = values.sum(axis=0)
        xs = {"last axis": np.dstack([values, markers]), "time": np.array([values, markers]),
              "swap": np.stack([markers, values], axis=1)}.get(kind, np.stack([values, markers], 1))
        return xs, target if kind == "flat" else target[None, :]
    return answer


@pytest.mark.parametrize("kind, mistake", [
    ("last axis", "inputs stacked along the last axis"), ("time", "time not first"),
    ("swap", "rows swapped"), ("all", "sum of every number"), ("flat", "target as a flat array"),
    ("every column", "markers set for every sequence"), ("anywhere", "second marker anywhere"),
    ("late", "second half starts one step late"), ("order", "draws in another order"),
])
def test_rejects_typical_slips(kind, mistake):
    result = run(slip(kind))
    assert not result and result.mistake == mistake, result.message
