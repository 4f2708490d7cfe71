"""Checkers of chapter 8 (unrolling, the final state) accept right answers and
explain wrong ones written as a reader would."""

import numpy as np
import pytest

from lstm_lesson.cell import cell_forward
from lstm_lesson.checks import check_final_state, check_unroll
from lstm_lesson.sequence import sequence_forward


def readers_unroll(xs, W, b, h0, c0, *, carry=True, carry_c=True, store_before=False, order_slip=False):
    h, c = h0, c0
    hs, cs = [], []
    for x_t in xs:
        W_used = np.vstack(np.split(W, 4)[1::-1] + np.split(W, 4)[2:]) if order_slip else W
        b_used = np.vstack(np.split(b, 4)[1::-1] + np.split(b, 4)[2:]) if order_slip else b
        h_new, c_new, _ = cell_forward(x_t, h if carry else h0, c if carry and carry_c else c0, W_used, b_used)
        if store_before:
            hs.append(h)
            cs.append(c)
        h, c = h_new, c_new
        if not store_before:
            hs.append(h)
            cs.append(c)
    return np.array(hs), np.array(cs)


def test_unroll_accepts_right_answers():
    assert check_unroll(readers_unroll)

    def via_package(xs, W, b, h0, c0):
        hs, _, cache = sequence_forward(xs, W, b, h0, c0)
        return hs, np.array([step["c_t"] for step in cache])
    assert check_unroll(via_package)


@pytest.mark.parametrize("slip, kwargs", [
    ("state not carried", dict(carry=False)),
    ("only h carried", dict(carry_c=False)),
    ("states stored before the step", dict(store_before=True)),
    ("the reference cell's order f, i, c, o", dict(order_slip=True)),
])
def test_unroll_rejects_slips(slip, kwargs):
    result = check_unroll(lambda *args: readers_unroll(*args, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_unroll_stacked_on_the_wrong_axis_gets_a_shape_message():
    def last_axis(xs, W, b, h0, c0):
        hs, cs = readers_unroll(xs, W, b, h0, c0)
        return np.moveaxis(hs, 0, -1), np.moveaxis(cs, 0, -1)
    result = check_unroll(last_axis)
    assert not result and "shape (2, 1, 5), expected shape (5, 2, 1)" in result.message


def readers_final(xs, W, b, *, init=np.zeros, first=False, swap=False, carry=True):
    H, N = W.shape[0] // 4, xs.shape[2]
    h = c = init((H, N))
    h0, c0 = h, c
    for t, x_t in enumerate(xs):
        h, c, _ = cell_forward(x_t, h if carry else h0, c if carry else c0, W, b)
        if first:
            break
    return (c, h) if swap else (h, c)


def test_final_state_accepts_right_answers():
    assert check_final_state(readers_final)
    assert check_final_state(lambda xs, W, b: sequence_forward(xs, W, b)[1])


@pytest.mark.parametrize("slip, kwargs", [
    ("initial states not zero", dict(init=np.ones)),
    ("state not carried", dict(carry=False)),
    ("first step returned", dict(first=True)),
    ("outputs swapped", dict(swap=True)),
])
def test_final_state_rejects_slips(slip, kwargs):
    result = check_final_state(lambda *args: readers_final(*args, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_carried(xs, W, b, *, which="f", skip=None, combine="prod"):
    H, N = W.shape[0] // 4, xs.shape[2]
    h, c = np.zeros((H, N)), np.zeros((H, N))
    gates = []
    for t, x_t in enumerate(xs):
        h, c, cache = cell_forward(x_t, h, c, W, b)
        if t != skip:
            gates.append(cache[which])
    if combine == "sum":
        return sum(gates)
    out = np.ones((H, N))
    for g in gates:
        out = out * g
    return out


def test_carried_fraction_accepts_and_rejects():
    from lstm_lesson.checks import check_carried_fraction
    assert check_carried_fraction(readers_carried)
    slips = {
        "sum instead of product": dict(combine="sum"),
        "input gate instead of forget gate": dict(which="i"),
        "a step left out": dict(skip=0),
    }
    for slip, kwargs in slips.items():
        result = check_carried_fraction(lambda *args: readers_carried(*args, **kwargs))
        assert not result and result.mistake == slip, (slip, result.message)
    def from_zero_every_step(xs, W, b):
        H, N = W.shape[0] // 4, xs.shape[2]
        out = np.ones((H, N))
        for x_t in xs:
            out = out * cell_forward(x_t, np.zeros((H, N)), np.zeros((H, N)), W, b)[2]["f"]
        return out
    result = check_carried_fraction(from_zero_every_step)
    assert not result and result.mistake == "state not carried", result.message
    result = check_carried_fraction(lambda xs, W, b: sequence_forward(xs, W, b)[2][-1]["f"])
    assert not result and result.mistake == "last gate only", result.message
    result = check_carried_fraction(lambda xs, W, b: 1 - readers_carried(xs, W, b))
    assert not result and result.mistake is None
