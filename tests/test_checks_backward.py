"""Checkers of chapter 9 accept right answers and explain wrong ones written as a
reader would (not the catalogue's own functions)."""

import numpy as np
import pytest

from lstm_lesson.backward import cell_backward
from lstm_lesson.checks import (check_cell_backward, check_cell_state_backward,
                                check_numerical_gradient, check_output_gate_backward)


def readers_output_gate(dh_next, cache, *, deriv=True, wrong_value=False, use_c=False):
    o, c = cache["o"], cache["c_t"]
    squash = c if use_c else np.tanh(c)
    d_o = dh_next * squash
    if not deriv:
        return d_o
    if wrong_value:
        s = 1 / (1 + np.exp(-o))
        return d_o * s * (1 - s)
    return d_o * o * (1 - o)


def test_output_gate_accepts_a_right_answer():
    assert check_output_gate_backward(readers_output_gate)


@pytest.mark.parametrize("slip, kwargs", [
    ("sigmoid derivative forgotten", dict(deriv=False)),
    ("sigmoid derivative applied to o_t", dict(wrong_value=True)),
    ("c_t instead of tanh(c_t)", dict(use_c=True)),
])
def test_output_gate_explains_slips(slip, kwargs):
    result = check_output_gate_backward(lambda dh, cache: readers_output_gate(dh, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_dc_prev(dh_next, dc_next, cache, *, through_h=True, direct=True, tanh_at_c=False):
    o, f, c = cache["o"], cache["f"], cache["c_t"]
    t = c if tanh_at_c else np.tanh(c)
    total = np.zeros_like(c)
    if direct:
        total += dc_next
    if through_h:
        total += dh_next * o * (1 - t * t)
    return f * total


def test_cell_state_accepts_a_right_answer():
    assert check_cell_state_backward(readers_dc_prev)


@pytest.mark.parametrize("slip, kwargs", [
    ("missing dc path through h_t", dict(through_h=False)),
    ("direct path dc_next forgotten", dict(direct=False)),
    ("tanh derivative taken at c_t", dict(tanh_at_c=True)),
])
def test_cell_state_explains_slips(slip, kwargs):
    result = check_cell_state_backward(lambda dh, dc, cache: readers_dc_prev(dh, dc, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_backward(dh_next, dc_next, cache, *, through_h=True, sig_deriv="right", order="ifco",
                     transpose=True, batch="sum", split="hx"):
    """A reader's step backward, written from the chapter's equations."""
    x, h, c_prev = cache["x_t"], cache["h_prev"], cache["c_prev"]
    i, f, g, o, c = cache["i"], cache["f"], cache["c_tilde"], cache["o"], cache["c_t"]
    H = h.shape[0]
    tc = np.tanh(c)
    dc = dc_next + (dh_next * o * (1 - tc ** 2) if through_h else 0)

    def dsig(s):
        if sig_deriv == "none":
            return 1
        if sig_deriv == "twice":
            return (1 / (1 + np.exp(-s))) * (1 - 1 / (1 + np.exp(-s)))
        return s * (1 - s)

    parts = {"i": dc * g * dsig(i), "f": dc * c_prev * dsig(f), "c": dc * i * (1 - g ** 2),
             "o": dh_next * tc * dsig(o)}
    da = np.concatenate([parts[k] for k in order], axis=0)
    z = np.concatenate([h, x], axis=0)
    if batch == "sum":
        dW, db = np.dot(da, z.T), np.sum(da, axis=1, keepdims=True)
    elif batch == "loop-overwrite":  # the loop keeps only the last example
        for n in range(da.shape[1]):
            dW = np.outer(da[:, n], z[:, n])
        db = np.sum(da, axis=1, keepdims=True)
    else:
        dW, db = np.dot(da, z.T), da
    dz = np.dot(cache["W"].T, da) if transpose else np.dot(cache["W"], da)
    dh_prev, dx = (dz[:H], dz[H:]) if split == "hx" else (dz[-H:], dz[:-H])
    return dx, dh_prev, dc * f, dW, db


def test_cell_backward_accepts_right_answers():
    assert check_cell_backward(cell_backward)
    assert check_cell_backward(readers_backward)


@pytest.mark.parametrize("slip, kwargs", [
    ("missing dc path through h_t", dict(through_h=False)),
    ("sigmoid derivative forgotten", dict(sig_deriv="none")),
    ("sigmoid derivative applied to the gate's output", dict(sig_deriv="twice")),
    ("the reference cell's order f, i, c, o", dict(order="fico")),
    ("gradient blocks in the wrong order", dict(order="ofci")),
    ("missing transpose in dz", dict(transpose=False)),
    ("db not summed over the batch", dict(batch="none")),
    ("dx and dh_prev swapped", dict(split="xh")),
])
def test_cell_backward_explains_slips(slip, kwargs):
    result = check_cell_backward(lambda dh, dc, cache: readers_backward(dh, dc, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_dW_of_one_example_only_is_rejected():
    # Keeping only the last example's outer product is a summing slip the catalogue
    # spells differently (the first example); the verdict still fails with the values.
    result = check_cell_backward(lambda dh, dc, cache: readers_backward(dh, dc, cache, batch="loop-overwrite"))
    assert not result and "dW: values differ" in result.message


def readers_numerical_gradient(f, x, eps=1e-5, *, one_sided=False, divisor=2.0, restore=True):
    x = x if not restore else x.astype(float)
    grad = np.zeros_like(x, dtype=float)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + eps
        up = f(x)
        flat[k] = keep if one_sided else keep - eps
        down = f(x)
        if restore:
            flat[k] = keep
        g[k] = (up - down) / (eps if one_sided else divisor * eps)
    return grad


def test_numerical_gradient_accepts_a_right_answer():
    from lstm_lesson.gradcheck import numerical_gradient
    assert check_numerical_gradient(numerical_gradient)
    assert check_numerical_gradient(readers_numerical_gradient)


@pytest.mark.parametrize("slip, kwargs", [
    ("one-sided difference", dict(one_sided=True)),
    ("divided by eps instead of 2 eps", dict(divisor=1.0)),
    ("perturbation left in x", dict(restore=False)),
])
def test_numerical_gradient_explains_slips(slip, kwargs):
    result = check_numerical_gradient(lambda f, x, eps=1e-5: readers_numerical_gradient(f, x, eps, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_a_traceback_becomes_a_message():
    def broken(dh_next, dc_next, cache):
        return cache["W"] @ dh_next  # shapes do not match
    result = check_cell_backward(broken)
    assert not result and "raised ValueError" in result.message and "Traceback" not in result.message
