"""Checkers for chapter 10: backpropagation through time."""

import numpy as np

from .backward import DC_FIX, STACK_FIX, _buggy_backward
from .core import Case, Mistake, run_check
from .pristine import backward, bptt, fused, sequence

sequence_forward, sequence_backward = sequence.sequence_forward, bptt.sequence_backward

__all__ = ["check_sequence_backward", "check_input_gradient_norms"]

#: Sizes (T, D, H, N): one example, a batch, H = 1, one step, and D = H = N.
#: T differs from N wherever both exceed 1, so that dividing the gradients by
#: the batch size and dividing them by the number of steps are told apart.
SEQUENCES = [(5, 3, 2, 1), (4, 2, 3, 5), (6, 1, 1, 1), (1, 2, 2, 2), (2, 3, 3, 3)]


def _forward_cases(seed):
    """Fixed-seed ``(name, xs, W, b, h0, c0)``: biases spread so no gate sits at 1/2."""
    found = []
    for k, (T, D, H, N) in enumerate(SEQUENCES):
        rng = np.random.default_rng(seed + k)
        W, b = fused.init_fused(D, H, seed=seed + 20 + k)
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


def _buggy_bptt(step=backward.cell_backward, recurrent=True, carry_c=True, upstream="every",
                accumulate="sum", direction="backward", use_dh_T=True, use_dc_T=True,
                dxs_order="same", shift=False):
    """A reader's loop back through time with one slip; the defaults are right.

    recurrent: add the dh_prev of step t + 1 to the upstream of step t;
    carry_c: pass dc_prev on (else the final dc_T again at every step);
    upstream: "every" dhs[t] or "last" only; accumulate: dW as a "sum",
    the "last" step's only, or a "mean" over steps; direction: visit the
    steps backward or forward; use_dh_T / use_dc_T: start from the final
    gradients; dxs_order: store dx_t at t or reversed; shift: dhs[t] applied
    one step early. accumulate "batch mean" divides the sums by N instead.
    """

    def through_time(dhs, cache, dh_T, dc_T):
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
        if accumulate == "batch mean":
            dW, db = dW / N, db / N
        return np.stack(dxs), dh, dc, dW, db

    return through_time


SEQUENCE_BACKWARD_MISTAKES = [
    Mistake(
        "recurrent gradient dropped",
        "h_t is read twice: by the loss and by step t + 1. Your step t receives only "
        "the loss's part.",
        "Pass dhs[t] + dh_prev (from step t + 1) as step t's dh_next.",
        _buggy_bptt(recurrent=False),
    ),
    Mistake(
        "cell-state gradient not carried",
        "Step t's dc_prev is step t - 1's dc_next: pass it on, as with the hidden "
        "state.",
        "After each step keep dh, dc = dh_prev, dc_prev, and call the next step with dc.",
        _buggy_bptt(carry_c=False),
    ),
    Mistake(
        "upstream dhs ignored",
        "The loss reads every h_t, not only the last: the gradient arriving at each "
        "step is missing a part.",
        "Add dhs[t] to the gradient arriving at step t.",
        _buggy_bptt(upstream="last"),
    ),
    Mistake(
        "upstream off by one step",
        "dhs[t] belongs to hs[t], the output of the step that reads xs[t]: yours is "
        "applied one step off.",
        "Add dhs[t] at step t, the step that uses cache[t].",
        _buggy_bptt(shift=True),
    ),
    Mistake(
        "dW not summed over time",
        "The same W is used at every step: dW and db collect every step's "
        "contribution, not the last one's.",
        "dW += dW_t and db += db_t inside the loop.",
        _buggy_bptt(accumulate="last"),
    ),
    Mistake(
        "dW averaged over time",
        "The loss sums over the steps, so the gradients add up; yours are divided "
        "by the number of steps.",
        "Return the sums dW and db, without dividing by T.",
        _buggy_bptt(accumulate="mean"),
    ),
    Mistake(
        "gradients averaged over the batch",
        "The loss sums over the examples, so dW and db are sums over the batch; "
        "yours are divided by the batch size.",
        "Keep the step backward's sums (its dW = da @ z.T already adds up the N "
        "examples): no division by N.",
        _buggy_bptt(accumulate="batch mean"),
    ),
    Mistake(
        "steps visited forward",
        "Gradients flow from the end back to the start: your loop visits the steps "
        "in the wrong direction.",
        "Loop t = T - 1, ..., 0 (reversed(range(T))), so that step t + 1's dh_prev "
        "and dc_prev exist before step t.",
        _buggy_bptt(direction="forward"),
    ),
    Mistake(
        "dh_T ignored",
        "The final h is also read by the loss: your loop does not start from its "
        "gradient.",
        "Start the loop from dh = dh_T.",
        _buggy_bptt(use_dh_T=False),
    ),
    Mistake(
        "dc_T ignored",
        "The final c is read by the loss too: your loop does not start from its "
        "gradient.",
        "Start the loop from dc = dc_T.",
        _buggy_bptt(use_dc_T=False),
    ),
    Mistake(
        "dxs in reverse order",
        "dxs[t] belongs to xs[t]: the loop runs backward, but the inputs' gradients "
        "stay in time order.",
        "Store step t's dx at dxs[t] (or reverse the list you appended to).",
        _buggy_bptt(dxs_order="reversed"),
    ),
    Mistake(
        "missing dc path through h_t",
        "Inside each step, c_t reaches the loss twice: through dc_next and through "
        "h_t (chapter 9).",
        f"Inside the step: {DC_FIX}.",
        _buggy_bptt(step=_buggy_backward(h_path=False)),
    ),
    Mistake(
        "gradient blocks in the wrong order",
        "Inside each step, stack da in W's layout i, f, c~, o (chapter 9); yours "
        "follows another order.",
        f"Inside the step: {STACK_FIX}.",
        _buggy_bptt(step=_buggy_backward(order=("f", "i", "c", "o"))),
    ),
]


def check_sequence_backward(sequence_backward_fn, hint=1):
    """Check ``sequence_backward(dhs, cache, dh_T, dc_T) -> (dxs, dh0, dc0, dW, db)``.

    dhs (T, H, N); cache the list from ``sequence_forward``; dh_T, dc_T (H, N).
    Returns dxs (T, D, N), dh0 and dc0 (H, N), dW (4H, H + D), db (4H, 1).
    """
    return run_check(
        "check_sequence_backward", sequence_backward_fn, _bptt, _backward_cases(),
        SEQUENCE_BACKWARD_MISTAKES,
        generic_hint="Start from the final gradients and walk the steps backward, "
        "passing each step's gradients for h and c on to the step before it; add up "
        "dW and db.",
        generic_fix="Start from dh = dh_T, dc = dc_T; for t from T - 1 down to 0 call "
        "the step backward with (dhs[t] + dh, dc, cache[t]), keep its dh_prev and "
        "dc_prev for the next iteration, store dx at dxs[t] and add up dW and db.",
        outputs=("dxs", "dh0", "dc0", "dW", "db"), hint=hint,
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


#: The norm the question asks for: Frobenius, one per step.
NORM_FIX = "np.linalg.norm(dxs, axis=(1, 2))"

NORM_MISTAKES = [
    Mistake(
        "loss on every h_t",
        "The loss reads only the final hidden state: every earlier h_t gets no "
        "upstream gradient.",
        "dhs = np.zeros_like(hs); dhs[-1] = 1.0.",
        _norms_with(loss="every h_t"),
    ),
    Mistake(
        "c_T in the loss",
        "The loss is the sum of h_T only: the final cell state gets no upstream "
        "gradient.",
        "Leave dc_T at zero (pass None).",
        _norms_with(loss="h_T and c_T"),
    ),
    Mistake(
        "mean instead of sum",
        "The loss sums the entries of h_T: its gradient is 1 in every entry, not "
        "one over their number.",
        "dhs[-1] = 1.0, not 1 / (H N).",
        _norms_with(loss="mean"),
    ),
    Mistake(
        "upstream gradient given twice",
        "The gradient at h_T arrives twice in your call, and the two add up.",
        "Give dL/dh_T once: either as dhs[-1] or as dh_T, not both.",
        _norms_with(scale=2.0),
    ),
    Mistake(
        "norms in reverse order",
        "norms[t] belongs to xs[t], and dxs is already in time order.",
        f"Return {NORM_FIX} as it comes, without [::-1].",
        _norms_with(reverse=True),
    ),
    Mistake(
        "squared norm",
        "The Frobenius norm is the square root of the sum of squares; you skipped "
        "the root.",
        f"{NORM_FIX}, not the sum of squares.",
        _norms_with(norm="squared"),
    ),
    Mistake(
        "sum of absolute values",
        "That is the L1 norm; the question asks for the Frobenius norm.",
        f"{NORM_FIX}: the square root of the sum of squares, not of absolute values.",
        _norms_with(norm="abs"),
    ),
    Mistake(
        "largest entry",
        "That is the max norm; the question asks for the Frobenius norm.",
        f"{NORM_FIX}, not the largest absolute entry.",
        _norms_with(norm="max"),
    ),
    Mistake(
        "one norm per example, added",
        "Take one norm over all the (D, N) entries of each step together, not one "
        "per example.",
        f"{NORM_FIX}: axis (1, 2) covers D and N at once.",
        _norms_with(norm="per example"),
    ),
]


def check_input_gradient_norms(input_gradient_norms_fn, hint=1):
    """Check ``input_gradient_norms(xs, W, b) -> norms`` (T,): ||dL/dxs[t]|| for L = sum(h_T)."""
    return run_check(
        "check_input_gradient_norms", input_gradient_norms_fn, bptt.input_gradient_norms,
        _norm_cases(), NORM_MISTAKES,
        generic_hint="Run the forward pass, send an upstream gradient of 1 to the final "
        "hidden state only, run the backward pass, and take the norm of each step's "
        "input gradient.",
        generic_fix="hs, _, cache = sequence_forward(xs, W, b); dhs = np.zeros_like(hs); "
        f"dhs[-1] = 1.0; dxs = sequence_backward(dhs, cache)[0]; return {NORM_FIX}.",
        hint=hint,
    )
