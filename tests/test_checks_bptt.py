"""Checkers of chapter 10 accept right answers and explain wrong ones written as a
reader would (not the catalogue's own functions)."""

import functools

import numpy as np
import pytest

from lstm_lesson.activations import logit
from lstm_lesson.backward import cell_backward
from lstm_lesson.bptt import input_gradient_norms, sequence_backward
from lstm_lesson.checks import (check_decay_prediction, check_fixed_sequence_backward,
                                check_input_gradient_norms, check_sequence_backward,
                                check_truncated_backward)
from lstm_lesson.fused import gate_slice
from lstm_lesson.sequence import sequence_forward


def readers_bptt(dhs, cache, dh_T, dc_T, *, carry_h=True, carry_c=True, accumulate=True,
                 forward=False, reverse_dxs=False, use_dh_T=True):
    T = len(dhs)
    dh_next = dh_T.copy() if use_dh_T else np.zeros_like(dh_T)
    dc_next = dc_T.copy()
    dxs, dW, db = [], None, None
    order = range(T) if forward else range(T - 1, -1, -1)
    for t in order:
        arriving = dhs[t] + dh_next if carry_h else dhs[t] + (dh_T if t == T - 1 else 0)
        dx, dh_prev, dc_prev, dW_t, db_t = cell_backward(arriving, dc_next if carry_c else dc_T, cache[t])
        dxs.append(dx)
        if dW is None or not accumulate:
            dW, db = dW_t, db_t
        else:
            dW, db = dW + dW_t, db + db_t
        dh_next, dc_next = dh_prev, dc_prev
    if not forward and not reverse_dxs:
        dxs = dxs[::-1]
    return np.array(dxs), dh_next, dc_next, dW, db


def test_sequence_backward_accepts_right_answers():
    assert check_sequence_backward(sequence_backward)
    assert check_sequence_backward(readers_bptt)


@pytest.mark.parametrize("slip, kwargs", [
    ("recurrent gradient dropped", dict(carry_h=False)),
    ("cell-state gradient not carried", dict(carry_c=False)),
    ("dW not summed over time", dict(accumulate=False)),
    ("steps visited forward", dict(forward=True)),
    ("dxs in reverse order", dict(reverse_dxs=True)),
    ("dh_T ignored", dict(use_dh_T=False)),
])
def test_sequence_backward_explains_slips(slip, kwargs):
    result = check_sequence_backward(lambda dhs, cache, dh_T, dc_T: readers_bptt(dhs, cache, dh_T, dc_T, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_sequence_backward_that_changes_the_cache_is_rejected():
    def scribbles(dhs, cache, dh_T, dc_T):
        result = sequence_backward(dhs, cache, dh_T, dc_T)
        cache[0]["c_t"][...] = 0  # destroys the caller's forward results
        return result
    result = check_sequence_backward(scribbles)
    assert not result and "changed `cache` in place" in result.message


def readers_norms(xs, W, b, *, every_step=False, reverse=False, l1=False, with_c=False):
    hs, (h, c), cache = sequence_forward(xs, W, b)
    dhs = np.ones_like(hs) if every_step else np.zeros_like(hs)
    dh_T = None if every_step else np.ones_like(h)  # the last h_t is in dhs already
    dxs = sequence_backward(dhs, cache, dh_T, np.ones_like(c) if with_c else None)[0]
    T = xs.shape[0]
    norms = np.array([np.abs(dxs[t]).sum() if l1 else np.sqrt(np.sum(dxs[t] ** 2)) for t in range(T)])
    return norms[::-1] if reverse else norms


def test_input_gradient_norms_accepts_right_answers():
    assert check_input_gradient_norms(input_gradient_norms)
    assert check_input_gradient_norms(readers_norms)


@pytest.mark.parametrize("slip, kwargs", [
    ("loss on every h_t", dict(every_step=True)),
    ("norms in reverse order", dict(reverse=True)),
    ("sum of absolute values", dict(l1=True)),
    ("c_T in the loss", dict(with_c=True)),
])
def test_input_gradient_norms_explains_slips(slip, kwargs):
    result = check_input_gradient_norms(lambda xs, W, b: readers_norms(xs, W, b, **kwargs))
    assert not result and result.mistake == slip, result.message


# -- Find the bug: the chapter's loop that does not carry dc -------------------

def buggy_sequence_backward(dhs, cache, dh_T, dc_T):
    """The chapter's buggy loop, as printed there."""
    grads_x, grad_W, grad_b = [], 0.0, 0.0
    grad_h = dh_T
    for t in reversed(range(len(cache))):
        step = cell_backward(dhs[t] + grad_h, dc_T, cache[t])
        grads_x.insert(0, step[0])
        grad_h = step[1]
        grad_W, grad_b = grad_W + step[3], grad_b + step[4]
    return np.array(grads_x), grad_h, step[2], grad_W, grad_b


def readers_repair(dhs, cache, dh_T, dc_T, *, dc_in="carried", start_c=True, carry_h=True,
                   shift=False):
    """A reader's repair of the buggy loop, one slip at a time."""
    T = len(cache)
    grad_h, grad_c = dh_T, (dc_T if start_c else np.zeros_like(dc_T))
    grads_x, grad_W, grad_b = [None] * T, 0.0, 0.0
    for t in reversed(range(T)):
        upstream = (dhs[t - 1] if t else 0 * dhs[t]) if shift else dhs[t]
        given = {"carried": grad_c, "zeros": np.zeros_like(grad_c), "h": grad_h}[dc_in]
        arriving = upstream + grad_h if carry_h else upstream + (dh_T if t == T - 1 else 0)
        grads_x[t], grad_h, grad_c, dW_t, db_t = cell_backward(arriving, given, cache[t])
        grad_W, grad_b = grad_W + dW_t, grad_b + db_t
    return np.array(grads_x), grad_h, grad_c, grad_W, grad_b


def test_the_fixed_loop_accepts_a_right_repair():
    assert check_fixed_sequence_backward(readers_repair)
    assert check_fixed_sequence_backward(sequence_backward)


@pytest.mark.parametrize("slip, answer", [
    ("bug still there: dc_T at every step", buggy_sequence_backward),
    ("cell-state gradient set to zero", functools.partial(readers_repair, dc_in="zeros")),
    ("dc_T dropped at the start", functools.partial(readers_repair, start_c=False)),
    ("hidden state's gradient passed as the cell state's",
     functools.partial(readers_repair, dc_in="h")),
    ("recurrent gradient dropped", functools.partial(readers_repair, carry_h=False)),
    ("upstream off by one step", functools.partial(readers_repair, shift=True)),
])
def test_the_fixed_loop_explains_slips(slip, answer):
    result = check_fixed_sequence_backward(answer)
    assert not result and result.mistake == slip, result.message


# -- Predict: ||dL/dc_0|| for a constant forget gate ---------------------------

def chapters_norm(T):
    """The chapter's cell_gradient_norm(T), written with the public package."""
    W, b = np.zeros((16, 7)), np.zeros((16, 1))
    b[gate_slice("f", 4)] = logit(0.9)
    xs = np.random.default_rng(T).standard_normal((T, 3, 1))
    hs, (h_T, c_T), cache = sequence_forward(xs, W, b)
    dc0 = sequence_backward(np.zeros_like(hs), cache, dc_T=np.ones_like(c_T))[2]
    return np.linalg.norm(dc0)


def test_the_decay_prediction_is_what_the_chapters_code_gives():
    norms = [chapters_norm(T) for T in (5, 20, 50)]
    np.testing.assert_allclose(norms, 2 * 0.9 ** np.array([5, 20, 50]), rtol=1e-12)
    for answer in (norms, np.round(norms, 4), [1.18, 0.243, 0.0103], np.array(norms)[:, None]):
        assert check_decay_prediction(answer)


@pytest.mark.parametrize("slip, answer", [
    ("no decay", [2, 2, 2]),
    ("the starting norm left out", [0.59, 0.1216, 0.00515]),
    ("the forgotten fraction", [2e-5, 0, 0]),
    ("one gate too many", [1.063, 0.2188, 0.00928]),
])
def test_the_decay_prediction_explains_wrong_ones(slip, answer):
    result = check_decay_prediction(answer)
    assert not result and result.mistake == slip, result.message
    assert "0.2432" not in result.message


# -- Change: truncated backpropagation through time -----------------------------

def readers_truncated(dhs, cache, dh_T, dc_T, k, *, cut="start", reset="hc", final=True,
                      stop=False):
    """A reader's truncated backward pass, one slip at a time."""
    T = len(cache)
    dh, dc = (dh_T, dc_T) if final else (0 * dh_T, 0 * dc_T)
    dxs = np.zeros((T, *cache[0]["x_t"].shape))
    dW = db = 0
    for t in range(T - 1, -1, -1):
        ends_a_chunk = {"start": (t + 1) % k == 0, "end": (T - 1 - t) % k == 0,
                        "off": t % k == 0, "none": False}[cut]
        if t < T - 1 and ends_a_chunk:
            if stop:
                dh, dc = 0 * dh, 0 * dc
                break
            dh = 0 * dh if "h" in reset else dh
            dc = 0 * dc if "c" in reset else dc
        dxs[t], dh, dc, dW_t, db_t = cell_backward(dhs[t] + dh, dc, cache[t])
        dW, db = dW + dW_t, db + db_t
    return dxs, dh, dc, dW, db


def test_truncated_backward_accepts_a_right_answer():
    assert check_truncated_backward(readers_truncated)


def test_truncation_to_the_whole_sequence_is_full_backpropagation():
    from lstm_lesson.checks.bptt import _backward_cases, _truncated
    for case in _backward_cases():
        dhs, cache, dh_T, dc_T = case.args
        full = sequence_backward(dhs, cache, dh_T, dc_T)
        for k in (len(cache), len(cache) + 3):
            for a, b in zip(_truncated(dhs, cache, dh_T, dc_T, k), full):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("slip, kwargs", [
    ("no truncation", dict(cut="none")),
    ("chunks counted from the end", dict(cut="end")),
    ("chunk boundaries one step off", dict(cut="off")),
    ("only dh reset", dict(reset="h")),
    ("only dc reset", dict(reset="c")),
    ("dh_T and dc_T dropped", dict(final=False)),
    ("only the last chunk", dict(stop=True)),
])
def test_truncated_backward_explains_slips(slip, kwargs):
    result = check_truncated_backward(functools.partial(readers_truncated, **kwargs))
    assert not result and result.mistake == slip, result.message
