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


def weight_gradient_for_loop(das, zs):
    dW = 0
    for t in range(das.shape[1]):
        dW = dW + das[:, t] @ zs[:, t].T
    return dW


def weight_gradient_einsum(das, zs):
    return np.einsum("gtn,ktn->gk", das, zs)


def weight_gradient_product(das, zs):
    Delta = das.reshape(das.shape[0], -1)  # the book's answer
    Z = zs.reshape(zs.shape[0], -1)
    return Delta @ Z.T


@pytest.mark.parametrize("fn", [weight_gradient_product, weight_gradient_einsum,
                                lstm_lesson.fast.weight_gradient])
def test_right_weight_gradients_pass(fn):
    result = run(check_weight_gradient, fn)
    assert result and result.message == "✓ check_weight_gradient: all 5 cases pass."


# -- "One matrix product and no loop": right values with a loop over the steps fail ---

LOOP = ": the exercise asks for one product."


@pytest.mark.parametrize("fn, loop", [
    (weight_gradient_loop, "(das[:, t] @ zs[:, t].T for t in range(das.shape[1]))"),
    (weight_gradient_for_loop, "for t in range(das.shape[1])"),
])
def test_a_weight_gradient_with_a_loop_has_the_right_values_and_fails(fn, loop):
    result = run(check_weight_gradient, fn)
    assert not result and result.attempted and result.mistake == "a loop over the steps"
    assert result.message.splitlines()[0] == (
        f"✗ check_weight_gradient: right values, but with a loop over the steps (`{loop}`)"
        + LOOP)
    assert "hint: Put every step's columns side by side" in result.message


def project_map(W_x, xs):
    return np.stack(list(map(lambda x_t: W_x @ x_t, xs)), axis=1)


def project_while(W_x, xs):
    out, t = np.empty((W_x.shape[0], xs.shape[0], xs.shape[2])), 0
    while t < len(xs):
        out[:, t] = W_x @ xs[t]
        t += 1
    return out


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


def project_product(W_x, xs):
    T, D, N = xs.shape  # the book's answer
    return (W_x @ xs.transpose(1, 0, 2).reshape(D, T * N)).reshape(W_x.shape[0], T, N)


@pytest.mark.parametrize("fn", [project_product, lstm_lesson.fast.project_inputs,
                                lambda W_x, xs: np.einsum("gd,tdn->gtn", W_x, xs)])
def test_right_projections_pass(fn):
    assert run(check_project_inputs, fn)


@pytest.mark.parametrize("fn, loop", [
    (project_loop, "[W_x @ x_t for x_t in xs]"),
    (project_map, "map(lambda x_t: W_x @ x_t, xs)"),
    (project_while, "while t < len(xs)"),
    (lambda W_x, xs: np.stack([W_x @ x for x in xs], 1), "[W_x @ x for x in xs]"),
])
def test_a_projection_with_a_loop_has_the_right_values_and_fails(fn, loop):
    result = run(check_project_inputs, fn)
    assert not result and result.mistake == "a loop over the steps"
    assert result.message.splitlines()[0] == (
        f"✗ check_project_inputs: right values, but with a loop over the steps (`{loop}`)"
        + LOOP)
    assert "more help: check_project_inputs(" in result.message
    assert "hint: Lay the steps' inputs side by side" in result.message


def test_a_loop_is_let_pass_when_the_source_cannot_be_read():
    """A function whose source inspect cannot find (made by exec, as in a plain
    `python -c`) is given the benefit of the doubt: its values decide."""
    space = {"np": np}
    exec("def project(W_x, xs):\n    return np.stack([W_x @ x for x in xs], axis=1)\n", space)
    assert run(check_project_inputs, space["project"])
    exec("def wrong(W_x, xs):\n    return np.stack([W_x @ x for x in xs])\n", space)
    assert not run(check_project_inputs, space["wrong"])  # wrong values still fail


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
    assert run(check_input_gradients, lambda W_x, das: (W_x.T @ das.reshape(
        das.shape[0], -1)).reshape(W_x.shape[1], *das.shape[1:]).transpose(1, 0, 2))
    # "Change the loop into one product": the loop itself has the right values, and fails.
    result = run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das[:, t] for t in range(das.shape[1])]))
    assert not result and result.mistake == "a loop over the steps", result.message
    result = run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das[:, t] for t in range(das.shape[1])], axis=1))
    assert not result and result.mistake == "result left as (D, T, N)"
    result = run(check_input_gradients, lambda W_x, das: np.stack(
        [W_x.T @ das.sum(axis=1)] * das.shape[1]))
    assert not result and result.mistake == "summed over the steps"


def test_predictions():
    assert run(check_saved_megabytes, 32.8) and run(check_saved_megabytes, 33)
    assert run(check_saved_megabytes, 65.5).mistake == "float64 bytes"
    for in_bytes in (32768000, 32.8e6, 3.28e7):
        result = run(check_saved_megabytes, in_bytes)
        assert result.mistake == "bytes, not megabytes", result.message
        assert "the question asks for megabytes" in result.message
        assert "expected a number" not in result.message  # it is a number
    assert run(check_saved_megabytes, 31.25).mistake == "mebibytes"
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
