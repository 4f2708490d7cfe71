"""Checkers of chapter 10 accept right answers and explain wrong ones written as a
reader would (not the catalogue's own functions)."""

import numpy as np
import pytest

from lstm_lesson.backward import cell_backward
from lstm_lesson.bptt import input_gradient_norms, sequence_backward
from lstm_lesson.checks import check_input_gradient_norms, check_sequence_backward
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
