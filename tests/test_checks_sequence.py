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


# -- Chapter 8's new exercises: where the state settles, the run in chunks --------

def test_settled_state_accepts_a_rounded_prediction_and_explains_wrong_ones():
    from lstm_lesson.checks import check_settled_state
    from lstm_lesson.checks.sequence import settled_cell
    _, (h, _), _ = sequence_forward(*settled_cell())
    assert check_settled_state(0.38) and check_settled_state(np.tanh(1) / 2)
    assert abs(h.item() - np.tanh(1) / 2) < 1e-6
    readers = {  # what a reader who made each slip would write
        "one step only": 0.5 * np.tanh(0.5),
        "h_t without tanh": 0.5,
        "output gate left out": 0.76,
        "the cell state, not h": 1,
        "the memory fades to nothing": 0,
    }
    for slip, value in readers.items():
        result = check_settled_state(value)
        assert not result and result.mistake == slip, (slip, result.message)
        assert "0.38" not in result.message
    result = check_settled_state(0.6)
    assert not result and result.mistake is None and "follow the cell state" in result.message


def readers_chunks(xs, W, b, chunk, *, pass_h=True, pass_c=True, whole=True,
                   join="concatenate", last_only=False):
    h = c = None
    pieces = []
    T = len(xs)
    starts = range(0, T, chunk) if whole else [k * chunk for k in range(T // chunk)]
    for start in starts:
        hs, (h_end, c_end), _ = sequence_forward(
            xs[start:start + chunk], W, b, h0=h if pass_h else None, c0=c if pass_c else None)
        h, c = h_end, c_end
        pieces.append(hs)
    if last_only:
        return hs
    return {"concatenate": np.concatenate, "stack": np.stack, "hstack": np.hstack}[join](pieces)


def test_in_chunks_accepts_right_answers():
    from lstm_lesson.checks import check_in_chunks
    assert check_in_chunks(readers_chunks)
    assert check_in_chunks(lambda xs, W, b, chunk: sequence_forward(xs, W, b)[0])


def the_chapters_buggy_chunks(xs, W, b, chunk):
    h = None
    pieces = []
    for start in range(0, len(xs), chunk):
        hs, (h, c), _ = sequence_forward(xs[start:start + chunk], W, b, h0=h)
        pieces.append(hs)
    return np.concatenate(pieces)


@pytest.mark.parametrize("slip, fn", [
    ("c not carried between chunks", the_chapters_buggy_chunks),
    ("state not carried between chunks",
     lambda *args: readers_chunks(*args, pass_h=False, pass_c=False)),
    ("h not carried between chunks", lambda *args: readers_chunks(*args, pass_h=False)),
    ("last, shorter chunk left out", lambda *args: readers_chunks(*args, whole=False)),
    ("chunks not joined along time", lambda *args: readers_chunks(*args, join="stack")),
    ("chunks not joined along time", lambda *args: readers_chunks(*args, join="hstack")),
    ("last chunk only", lambda *args: readers_chunks(*args, last_only=True)),
])
def test_in_chunks_rejects_slips_with_their_own_hint(slip, fn):
    from lstm_lesson.checks import check_in_chunks
    result = check_in_chunks(fn)
    assert not result and result.mistake == slip, result.message
