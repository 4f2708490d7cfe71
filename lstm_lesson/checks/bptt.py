"""Checkers for chapter 10: backpropagation through time."""

import numpy as np

from ..backward import cell_backward
from ..bptt import input_gradient_norms, sequence_backward
from ..fused import init_fused
from ..sequence import sequence_forward
from .backward import _buggy_backward
from .core import Case, Mistake, run_check

__all__ = ["check_sequence_backward", "check_input_gradient_norms"]

#: Sizes (T, D, H, N): one example, a batch, H = 1, one step, and D = H = N.
SEQUENCES = [(5, 3, 2, 1), (4, 2, 3, 4), (6, 1, 1, 1), (1, 2, 2, 2), (3, 3, 3, 3)]


def _forward_cases(seed):
    """Fixed-seed ``(name, xs, W, b, h0, c0)``: biases spread so no gate sits at 1/2."""
    found = []
    for k, (T, D, H, N) in enumerate(SEQUENCES):
        rng = np.random.default_rng(seed + k)
        W, b = init_fused(D, H, seed=seed + 20 + k)
        b = b + rng.normal(0, 1.5, b.shape)
        xs = rng.standard_normal((T, D, N))
        h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
        found.append((f"T={T}, D={D}, H={H}, N={N}", xs, W, b, h0, c0, rng))
    return found


def _backward_cases():
    cases = []
    for name, xs, W, b, h0, c0, rng in _forward_cases(940):
        hs, _, cache = sequence_forward(xs, W, b, h0, c0)
        H, N = h0.shape
        dhs = rng.standard_normal(hs.shape)
        dh_T, dc_T = rng.standard_normal((H, N)), rng.standard_normal((H, N))
        cases.append(Case(name, (dhs, cache, dh_T, dc_T)))
    return cases


def _bptt(dhs, cache, dh_T, dc_T):
    """The reference, with the final-state gradients always given."""
    return sequence_backward(dhs, cache, dh_T, dc_T)


def _buggy_bptt(step=cell_backward, recurrent=True, carry_c=True, upstream="every",
                accumulate="sum", direction="backward", use_dh_T=True, use_dc_T=True,
                dxs_order="same", shift=False):
    """A reader's loop back through time with one slip; the defaults are right.

    recurrent: add the dh_prev of step t + 1 to the upstream of step t;
    carry_c: pass dc_prev on (else the final dc_T again at every step);
    upstream: "every" dhs[t] or "last" only; accumulate: dW as a "sum",
    the "last" step's only, or a "mean" over steps; direction: visit the
    steps backward or forward; use_dh_T / use_dc_T: start from the final
    gradients; dxs_order: store dx_t at t or reversed; shift: dhs[t] applied
    one step early.
    """

    def backward(dhs, cache, dh_T, dc_T):
        T = len(cache)
        H, N = cache[0]["c_t"].shape
        dh = dh_T if use_dh_T else np.zeros((H, N))
        dc = dc_T if use_dc_T else np.zeros((H, N))
        dxs = [None] * T
        dW, db = 0, 0
        steps = range(T - 1, -1, -1) if direction == "backward" else range(T)
        for t in steps:
            arriving = dhs[t]  # what the loss sends to h_t
            if shift:
                arriving = dhs[t - 1] if t > 0 else 0 * dhs[t]
            if upstream == "last":
                arriving = 0 * dhs[t]
            if recurrent:
                arriving = arriving + dh
            elif t == T - 1 and use_dh_T:
                arriving = arriving + dh_T
            dx, dh_prev, dc_prev, dW_t, db_t = step(arriving, dc if carry_c else dc_T, cache[t])
            dh, dc = dh_prev, dc_prev
            dxs[t if dxs_order == "same" else T - 1 - t] = dx
            if accumulate == "last":
                dW, db = dW_t, db_t
            else:
                dW, db = dW + dW_t, db + db_t
        if accumulate == "mean":
            dW, db = dW / T, db / T
        return np.stack(dxs), dh, dc, dW, db

    return backward


SEQUENCE_BACKWARD_MISTAKES = [
    Mistake(
        "recurrent gradient dropped",
        "h_t is read twice: by the loss (dhs[t]) and by step t + 1. Pass "
        "dhs[t] + dh_prev (from step t + 1) as step t's dh_next.",
        _buggy_bptt(recurrent=False),
    ),
    Mistake(
        "cell-state gradient not carried",
        "Step t's dc_prev is step t - 1's dc_next: keep it and pass it on, as you "
        "do with dh_prev.",
        _buggy_bptt(carry_c=False),
    ),
    Mistake(
        "upstream dhs ignored",
        "The loss reads every h_t: add dhs[t] to the gradient arriving at step t, "
        "not only dh_T at the end.",
        _buggy_bptt(upstream="last"),
    ),
    Mistake(
        "upstream off by one step",
        "dhs[t] belongs to hs[t], the output of the step that reads xs[t] and "
        "cache[t]: add dhs[t] at step t.",
        _buggy_bptt(shift=True),
    ),
    Mistake(
        "dW not summed over time",
        "The same W is used at every step, so dW (and db) is the sum of every step's "
        "contribution: dW += dW_t.",
        _buggy_bptt(accumulate="last"),
    ),
    Mistake(
        "dW averaged over time",
        "The loss sums over the steps, so the gradients add up: no division by T.",
        _buggy_bptt(accumulate="mean"),
    ),
    Mistake(
        "steps visited forward",
        "Gradients flow from the end back to the start: loop t = T - 1, ..., 0 "
        "(reversed(range(T))), so step t + 1's dh_prev and dc_prev exist before step t.",
        _buggy_bptt(direction="forward"),
    ),
    Mistake(
        "dh_T ignored",
        "Start the loop from dh = dh_T: the final h is also read by the loss.",
        _buggy_bptt(use_dh_T=False),
    ),
    Mistake(
        "dc_T ignored",
        "Start the loop from dc = dc_T: the final c is read by the loss too.",
        _buggy_bptt(use_dc_T=False),
    ),
    Mistake(
        "dxs in reverse order",
        "Store step t's dx at dxs[t] (the input it belongs to), even though the loop "
        "runs backward.",
        _buggy_bptt(dxs_order="reversed"),
    ),
    Mistake(
        "missing dc path through h_t",
        "Inside each step, c_t reaches the loss twice: through dc_next and through "
        "h_t. dc = dc_next + dh_next * o * (1 - tanh_c**2) (chapter 9).",
        _buggy_bptt(step=_buggy_backward(h_path=False)),
    ),
    Mistake(
        "gradient blocks in the wrong order",
        "Inside each step, stack da in W's layout i, f, c~, o (chapter 9).",
        _buggy_bptt(step=_buggy_backward(order=("f", "i", "c", "o"))),
    ),
]


def check_sequence_backward(sequence_backward_fn):
    """Check ``sequence_backward(dhs, cache, dh_T, dc_T) -> (dxs, dh0, dc0, dW, db)``.

    dhs (T, H, N); cache the list from ``sequence_forward``; dh_T, dc_T (H, N).
    Returns dxs (T, D, N), dh0 and dc0 (H, N), dW (4H, H + D), db (4H, 1).
    """
    return run_check(
        "check_sequence_backward", sequence_backward_fn, _bptt, _backward_cases(),
        SEQUENCE_BACKWARD_MISTAKES,
        generic_hint="Start from dh = dh_T, dc = dc_T; for t from T - 1 down to 0 call "
        "the step backward with (dhs[t] + dh, dc, cache[t]), keep its dh_prev and "
        "dc_prev for the next iteration, store dx at dxs[t] and add up dW and db.",
        outputs=("dxs", "dh0", "dc0", "dW", "db"),
    )


def _norm_cases():
    return [Case(name, (xs, W, b)) for name, xs, W, b, *_ in _forward_cases(950)]


def _norms_with(loss="h_T", norm="fro", reverse=False, scale=1.0):
    """A reader's gradient norms with one slip."""

    def norms(xs, W, b):
        hs, _, cache = sequence_forward(xs, W, b)
        dhs = np.zeros_like(hs)
        dc_T = None
        if loss == "every h_t":
            dhs[:] = 1.0
        elif loss == "mean":
            dhs[-1] = 1.0 / hs[-1].size
        else:
            dhs[-1] = scale
        if loss == "h_T and c_T":
            dc_T = np.ones_like(hs[-1])
        dxs = sequence_backward(dhs, cache, None, dc_T)[0]
        values = {"fro": lambda: np.linalg.norm(dxs, axis=(1, 2)),
                  "squared": lambda: np.sum(dxs**2, axis=(1, 2)),
                  "abs": lambda: np.sum(np.abs(dxs), axis=(1, 2)),
                  "max": lambda: np.max(np.abs(dxs), axis=(1, 2)),
                  "per example": lambda: np.linalg.norm(dxs, axis=1).sum(axis=1)}[norm]()
        return values[::-1] if reverse else values

    return norms


NORM_MISTAKES = [
    Mistake(
        "loss on every h_t",
        "L = sum(h_T) reads only the final hidden state: the upstream gradient is 1 "
        "on hs[-1] and 0 on every earlier h_t.",
        _norms_with(loss="every h_t"),
    ),
    Mistake(
        "c_T in the loss",
        "The loss is the sum of h_T only; leave dc_T at zero.",
        _norms_with(loss="h_T and c_T"),
    ),
    Mistake(
        "mean instead of sum",
        "L sums the entries of h_T, so dL/dh_T is 1 in every entry, not 1 / (H N).",
        _norms_with(loss="mean"),
    ),
    Mistake(
        "upstream gradient given twice",
        "Give dL/dh_T once: either as dhs[-1] or as dh_T, not both (they add up).",
        _norms_with(scale=2.0),
    ),
    Mistake(
        "norms in reverse order",
        "norms[t] belongs to xs[t]: dxs is already in time order, so no reversal.",
        _norms_with(reverse=True),
    ),
    Mistake(
        "squared norm",
        "The Frobenius norm is the square root of the sum of squares: "
        "np.linalg.norm(dxs, axis=(1, 2)).",
        _norms_with(norm="squared"),
    ),
    Mistake(
        "sum of absolute values",
        "That is the L1 norm; use the Frobenius norm (square root of the sum of "
        "squares) over each step's (D, N) entries.",
        _norms_with(norm="abs"),
    ),
    Mistake(
        "largest entry",
        "That is the max norm; use the Frobenius norm over each step's (D, N) entries.",
        _norms_with(norm="max"),
    ),
    Mistake(
        "one norm per example, added",
        "Take one norm over all (D, N) entries of dxs[t] together: "
        "np.linalg.norm(dxs, axis=(1, 2)).",
        _norms_with(norm="per example"),
    ),
]


def check_input_gradient_norms(input_gradient_norms_fn):
    """Check ``input_gradient_norms(xs, W, b) -> norms`` (T,): ||dL/dxs[t]|| for L = sum(h_T)."""
    return run_check(
        "check_input_gradient_norms", input_gradient_norms_fn, input_gradient_norms,
        _norm_cases(), NORM_MISTAKES,
        generic_hint="Run sequence_forward, set the upstream gradient to 1 on the final "
        "hidden state and 0 elsewhere, run sequence_backward, and take the norm of "
        "each dxs[t] over its (D, N) entries.",
    )
