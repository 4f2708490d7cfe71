"""Shared by the gradient tests: random cells and sequences, and their gradient checks.

Each loss is the scalar the backward passes assume, L = sum(dh * h) + sum(dc * c)
with fixed random upstream gradients, so dL/d(input) is exactly what the
backward functions return.
"""

import numpy as np

from lstm_lesson.backward import cell_backward
from lstm_lesson.bptt import sequence_backward
from lstm_lesson.cell import cell_forward
from lstm_lesson.fused import init_fused
from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.sequence import sequence_forward

#: The largest relative error seen by any gradient check of the session (for the report).
LARGEST = {"error": 0.0, "where": None}


def _record(errors, where):
    worst = max(errors.values())
    if worst > LARGEST["error"]:
        LARGEST.update(error=worst, where=where)
    return errors


def cell_case(D, H, N, seed, bias_spread=1.0):
    """Random step inputs ``(x_t, h_prev, c_prev, W, b)`` and upstream ``(dh, dc)``."""
    rng = np.random.default_rng(seed)
    W, b = init_fused(D, H, seed=seed)
    b = b + rng.normal(0, bias_spread, b.shape)
    inputs = dict(x_t=rng.standard_normal((D, N)), h_prev=rng.uniform(-1, 1, (H, N)),
                  c_prev=rng.standard_normal((H, N)), W=W, b=b)
    return inputs, rng.standard_normal((H, N)), rng.standard_normal((H, N))


def cell_errors(D, H, N, seed, backward=cell_backward):
    """Relative errors of ``backward`` for x_t, h_prev, c_prev, W, b on one random case."""
    inputs, dh, dc = cell_case(D, H, N, seed)

    def loss(x_t, h_prev, c_prev, W, b):
        h_t, c_t, _ = cell_forward(x_t, h_prev, c_prev, W, b)
        return np.sum(dh * h_t) + np.sum(dc * c_t)

    _, _, cache = cell_forward(**inputs)
    dx, dh_prev, dc_prev, dW, db = backward(dh, dc, cache)
    grads = dict(x_t=dx, h_prev=dh_prev, c_prev=dc_prev, W=dW, b=db)
    return _record(gradient_check(loss, inputs, grads), ("cell", D, H, N, seed))


def sequence_errors(T, D, H, N, seed):
    """Relative errors of sequence_backward for xs, W, b, h0, c0 on one random case."""
    rng = np.random.default_rng(seed)
    W, b = init_fused(D, H, seed=seed)
    b = b + rng.normal(0, 1.0, b.shape)
    inputs = dict(xs=rng.standard_normal((T, D, N)), W=W, b=b,
                  h0=rng.uniform(-1, 1, (H, N)), c0=rng.standard_normal((H, N)))
    dhs = rng.standard_normal((T, H, N))
    dh_T, dc_T = rng.standard_normal((H, N)), rng.standard_normal((H, N))

    def loss(xs, W, b, h0, c0):
        hs, (h, c), _ = sequence_forward(xs, W, b, h0, c0)
        return np.sum(dhs * hs) + np.sum(dh_T * h) + np.sum(dc_T * c)

    _, _, cache = sequence_forward(**inputs)
    dxs, dh0, dc0, dW, db = sequence_backward(dhs, cache, dh_T, dc_T)
    grads = dict(xs=dxs, W=dW, b=db, h0=dh0, c0=dc0)
    return _record(gradient_check(loss, inputs, grads), ("sequence", T, D, H, N, seed))
