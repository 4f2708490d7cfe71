"""Chapter 14's checkers: readers' wrong answers are rejected, each with the
catalogued mistake it makes; right answers (several spellings) pass."""

import contextlib
import io

import numpy as np
import pytest

import lstm_lesson.fast
from lstm_lesson.checks.fast import (check_input_gradients, check_project_inputs,
                                     check_saved_megabytes, check_weight_gradient)


def run(checker, fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return checker(fn)


def weight_gradient_loop(das, zs):
    return sum(das[:, t] @ zs[:, t].T for t in range(das.shape[1]))


def weight_gradient_einsum(das, zs):
    return np.einsum("gtn,ktn->gk", das, zs)


@pytest.mark.parametrize("fn", [weight_gradient_loop, weight_gradient_einsum,
                                lstm_lesson.fast.weight_gradient])
def test_right_weight_gradients_pass(fn):
    assert run(check_weight_gradient, fn)


WRONG_WEIGHT_GRADIENTS = {
    "last step only": lambda das, zs: das[:, das.shape[1] - 1] @ zs[:, -1].T,
    "averaged over the steps": lambda das, zs: np.mean(
        [das[:, t] @ zs[:, t].T for t in range(das.shape[1])], axis=0),
    "averaged over the batch": lambda das, zs: np.einsum("gtn,ktn->gk", das, zs) / das.shape[2],
    "product in the wrong order": lambda das, zs: np.einsum("gtn,ktn->kg", das, zs),
    "columns of da and z in different orders": lambda das, zs: das.reshape(
        das.shape[0], -1) @ np.swapaxes(zs, 1, 2).reshape(zs.shape[0], -1).T,
}


@pytest.mark.parametrize("mistake", WRONG_WEIGHT_GRADIENTS)
def test_wrong_weight_gradients_are_named(mistake):
    result = run(check_weight_gradient, WRONG_WEIGHT_GRADIENTS[mistake])
    assert not result and result.mistake == mistake, result.message


def project_loop(W_x, xs):
    return np.stack([W_x @ x_t for x_t in xs], axis=1)


@pytest.mark.parametrize("fn", [project_loop, lstm_lesson.fast.project_inputs])
def test_right_projections_pass(fn):
    assert run(check_project_inputs, fn)


WRONG_PROJECTIONS = {
    "reshaped without moving D to the front": lambda W_x, xs: (
        W_x @ xs.reshape(xs.shape[1], xs.shape[0] * xs.shape[2])).reshape(
        W_x.shape[0], xs.shape[0], xs.shape[2]),
    "steps first in the result": lambda W_x, xs: np.stack([W_x @ x_t for x_t in xs]),
    "examples and steps swapped in the columns": lambda W_x, xs: (
        W_x @ np.moveaxis(xs, 1, 0).transpose(0, 2, 1).reshape(xs.shape[1], -1)).reshape(
        W_x.shape[0], xs.shape[0], xs.shape[2]),
}


@pytest.mark.parametrize("mistake", WRONG_PROJECTIONS)
def test_wrong_projections_are_named(mistake):
    result = run(check_project_inputs, WRONG_PROJECTIONS[mistake])
    assert not result and result.mistake == mistake, result.message


def test_input_gradients():
    assert run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das[:, t] for t in range(das.shape[1])]))
    result = run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das[:, t] for t in range(das.shape[1])], axis=1))
    assert not result and result.mistake == "result left as (D, T, N)"
    result = run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das.sum(axis=1)] * das.shape[1]))
    assert not result and result.mistake == "summed over the steps"


def test_predictions():
    assert run(check_saved_megabytes, 32.8) and run(check_saved_megabytes, 33)
    assert run(check_saved_megabytes, 65.5).mistake == "float64 bytes"
    assert run(check_saved_megabytes, 45.9).mistake == "the teaching cache's seven arrays"
    assert not run(check_saved_megabytes, 100.0)
    assert not run(check_saved_megabytes, None).attempted


def test_patching_the_package_cannot_fool_the_checkers(monkeypatch):
    wrong = WRONG_WEIGHT_GRADIENTS["last step only"]
    monkeypatch.setattr(lstm_lesson.fast, "weight_gradient", wrong)
    assert not run(check_weight_gradient, wrong)
    monkeypatch.setattr(lstm_lesson.fast, "project_inputs", WRONG_PROJECTIONS[
        "steps first in the result"])
    assert not run(check_project_inputs, WRONG_PROJECTIONS["steps first in the result"])
