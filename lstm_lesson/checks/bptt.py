"""Checkers for chapter 10: backpropagation through time."""

import numpy as np

from .backward import DC_FIX, STACK_FIX, _buggy_backward
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations, backward, bptt, fused, sequence

sequence_forward, sequence_backward = sequence.sequence_forward, bptt.sequence_backward

__all__ = ["check_sequence_backward", "check_input_gradient_norms",
           "check_fixed_sequence_backward", "check_decay_prediction",
           "check_truncated_backward"]

#: Sizes (T, D, H, N): one example, a batch, H = 1, one step, and D = H = N.
#: T differs from N wherever both exceed 1, so that dividing the gradients by
#: the batch size and dividing them by the number of steps are told apart.
SEQUENCES = [(5, 3, 2, 1), (4, 2, 3, 5), (6, 1, 1, 1), (1, 2, 2, 2), (2, 3, 3, 3)]


def _forward_cases(seed, sizes=SEQUENCES):
    """Fixed-seed ``(name, xs, W, b, h0, c0, rng)``, one per (T, D, H, N) of ``sizes``:
    biases spread so no gate sits at 1/2."""
    found = []
    for k, (T, D, H, N) in enumerate(sizes):
        rng = np.random.default_rng(seed + k)
        W, b = fused.init_fused(D, H, seed=seed + 20 + k)
        b = b + rng.normal(0, 1.5, b.shape)
        xs = rng.standard_normal((T, D, N))
        h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
        found.append((f"T={T}, D={D}, H={H}, N={N}", xs, W, b, h0, c0, rng))
    return found


def _backward_cases(seed=940, sizes=SEQUENCES):
    cases = []
    for name, xs, W, b, h0, c0, rng in _forward_cases(seed, sizes):
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
    carry_c: pass dc_prev on (True), the final dc_T again at every step
    (False), zeros ("zeros") or the hidden state's dh ("dh");
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
            dc_in = {True: dc, False: dc_T, "zeros": 0 * dc_T, "dh": dh}[carry_c]
            dx, dh_prev, dc_prev, dW_t, db_t = step(arriving, dc_in, cache[t])
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


# -- Find the bug: a loop that does not carry the cell state's gradient --------

#: The fix of the chapter's buggy loop.
CARRY_FIX = ("start from dc = dc_T, call each step with dc, then keep its dc_prev: "
             "dc = dc_prev")

FIXED_LOOP_MISTAKES = [
    Mistake(
        "bug still there: dc_T at every step",
        "Your loop still has the chapter's bug: every step receives the gradient of "
        "the final cell state, whatever the steps after it sent back.",
        f"The cell state's gradient travels back like the hidden state's: {CARRY_FIX}.",
        _buggy_bptt(carry_c=False),
    ),
    Mistake(
        "cell-state gradient set to zero",
        "The gradient the next step sends to the cell state is thrown away: each "
        "step starts from nothing on the cell state.",
        f"Pass the previous iteration's dc_prev on, not zeros: {CARRY_FIX}.",
        _buggy_bptt(carry_c="zeros"),
    ),
    Mistake(
        "dc_T dropped at the start",
        "The gradient is carried from step to step now, but the last step does not "
        "start from the gradient of the final cell state.",
        "Start the loop from dc = dc_T, not from zeros.",
        _buggy_bptt(use_dc_T=False),
    ),
    Mistake(
        "hidden state's gradient passed as the cell state's",
        "The step receives two different gradients, one for h and one for c; yours "
        "hands it the hidden state's twice.",
        "Call the step with (dhs[t] + dh, dc, cache[t]) and keep dh, dc = dh_prev, "
        "dc_prev.",
        _buggy_bptt(carry_c="dh"),
    ),
    # Slips of the whole loop a repair may bring in, as the Build it exercise's.
    *(mistake for mistake in SEQUENCE_BACKWARD_MISTAKES
      if mistake.name in ("recurrent gradient dropped", "upstream off by one step")),
]


def check_fixed_sequence_backward(fixed_sequence_backward, hint=1):
    """Check the fixed loop of chapter 10's find-the-bug exercise.

    ``fixed_sequence_backward(dhs, cache, dh_T, dc_T) -> (dxs, dh0, dc0, dW, db)``,
    the contract of ``sequence_backward``: the chapter's buggy version hands
    ``dc_T`` to every step instead of carrying the cell state's gradient back.
    """
    return run_check(
        "check_fixed_sequence_backward", fixed_sequence_backward, _bptt,
        _backward_cases(), FIXED_LOOP_MISTAKES,
        generic_hint="Walk the loop with a pencil for two steps: what does each step "
        "receive for h and for c, and where does it come from?",
        generic_fix="dh, dc = dh_T, dc_T; for t from T - 1 down to 0: dxs[t], dh, dc, "
        "dW_t, db_t = cell_backward(dhs[t] + dh, dc, cache[t]); add up dW and db.",
        outputs=("dxs", "dh0", "dc0", "dW", "db"), hint=hint,
    )


# -- Predict: ||dL/dc_0|| for a constant forget gate ---------------------------

#: The chapter's set-up: H units, D inputs, every weight 0, the forget gate at
#: FORGET in every unit and step, the loss sum(c_T), and the lengths asked about.
DECAY_H, DECAY_D, FORGET, DECAY_LENGTHS = 4, 3, 0.9, (5, 20, 50)


def _decay_norm(T):
    """||dL/dc_0|| of the chapter's cell after T steps (what the chapter's code prints)."""
    W = np.zeros((4 * DECAY_H, DECAY_H + DECAY_D))
    b = np.zeros((4 * DECAY_H, 1))
    b[fused.gate_slice("f", DECAY_H)] = activations.logit(FORGET)
    xs = np.random.default_rng(T).standard_normal((T, DECAY_D, 1))
    hs, (_, c_T), cache = sequence_forward(xs, W, b)
    dc0 = sequence_backward(np.zeros_like(hs), cache, None, np.ones_like(c_T))[2]
    return float(np.linalg.norm(dc0))


def _decay_predictions():
    lengths = np.array(DECAY_LENGTHS)
    start = np.sqrt(DECAY_H)  # ||dL/dc_T|| for L = sum(c_T)
    return [
        WrongPrediction(
            "no decay", [start] * len(lengths),
            "The carousel passes the gradient unchanged only through a gate that is "
            "fully open; this one keeps less than all of it at every step.",
            f"dc_(t-1) = f_t * dc_t with f_t = {FORGET}: after T steps the gradient is "
            f"{FORGET}^T times ||dL/dc_T|| = {FORGET}^T * 2."),
        WrongPrediction(
            "the starting norm left out", list(FORGET ** lengths),
            "You followed one unit from a gradient of 1. The norm is over all the "
            "units of dc_0, and it starts from the norm of dL/dc_T, not from 1.",
            f"||dL/dc_T|| = ||(1, 1, 1, 1)|| = 2, so ||dL/dc_0|| = 2 * {FORGET}^T."),
        WrongPrediction(
            "the forgotten fraction", list(start * (1 - FORGET) ** lengths),
            "Each step multiplies the gradient by the part the gate keeps, not by the "
            "part it forgets.",
            f"The factor per step is f_t = {FORGET}, not 1 - f_t: "
            f"||dL/dc_0|| = 2 * {FORGET}^T."),
        WrongPrediction(
            "one gate too many", list(start * FORGET ** (lengths + 1)),
            "Count the forget gates between the first cell state and the last: one per "
            "step, and there are T steps.",
            f"c_0 reaches c_T through T updates, each with its own f_t = {FORGET}: "
            f"||dL/dc_0|| = 2 * {FORGET}^T."),
    ]


#: Typical wrong predictions of the norms, with their hints.
DECAY_PREDICTIONS = _decay_predictions()


def check_decay_prediction(prediction, hint=1):
    """Check a prediction of ``[cell_gradient_norm(T) for T in (5, 20, 50)]``.

    The chapter's cell has every weight at 0 and the forget gate at 0.9 in each
    of its 4 units; the loss is sum(c_T). The prediction is three numbers, a
    list (any shape with three numbers).
    """
    from .backward import _three_numbers

    expected = np.array([_decay_norm(T) for T in DECAY_LENGTHS])
    return run_prediction(
        "check_decay_prediction", _three_numbers(prediction), expected,
        DECAY_PREDICTIONS,
        generic_hint="Nothing reaches the cell state through h here: follow the "
        "gradient of the final cell state back along the cell state alone, one forget "
        "gate per step.",
        generic_fix=f"dc_(t-1) = f_t * dc_t with f_t = {FORGET}, from ||dL/dc_T|| = 2: "
        f"||dL/dc_0|| = 2 * {FORGET}^T.",
        hint=hint)


# -- Change: truncated backpropagation through time -----------------------------

#: Sizes (T, D, H, N) and the chunk length k: T not a multiple of k (chunks
#: counted from the start differ from chunks counted from the end), k = 1,
#: k = T, and k > T (no truncation at all).
TRUNCATED = [(8, 2, 2, 1, 3), (7, 3, 2, 3, 2), (5, 1, 1, 1, 1), (4, 2, 3, 2, 4),
             (3, 2, 2, 2, 5)]


def _truncated_cases():
    """The cases of ``_backward_cases`` for the sizes of TRUNCATED, each with its k."""
    cases = _backward_cases(980, [size[:4] for size in TRUNCATED])
    return [Case(f"{case.name}, k={size[4]}", (*case.args, size[4]))
            for case, size in zip(cases, TRUNCATED)]


def _truncated(dhs, cache, dh_T, dc_T, k):
    """The reference: the package's sequence_backward on each chunk of k steps.

    Chunks are counted from the start, [0, k), [k, 2k), ...; the last chunk's
    backward pass starts from dh_T, dc_T, every earlier one from zeros.
    """
    T = len(cache)
    dxs, dW, db = np.empty((T, *cache[0]["x_t"].shape)), 0, 0
    for start in reversed(range(0, T, k)):
        end = min(start + k, T)
        last = end == T
        dh_end = dh_T if last else np.zeros_like(dh_T)
        dc_end = dc_T if last else np.zeros_like(dc_T)
        dxs[start:end], dh0, dc0, dW_c, db_c = sequence_backward(
            dhs[start:end], cache[start:end], dh_end, dc_end)
        dW, db = dW + dW_c, db + db_c
    return dxs, dh0, dc0, dW, db


def _truncated_with(cut="start", reset=("h", "c"), final=True, only_last=False):
    """A reader's truncated loop with one slip; the defaults are right.

    cut: where the chunks' boundaries are, "start" (after steps k - 1, 2k - 1,
    ...), "end" (counted from the last step), "shifted" (one step early) or
    "none"; reset: which gradients start from zero at a boundary; final: start
    from dh_T and dc_T; only_last: stop at the first boundary (the earlier
    steps get nothing).
    """

    def boundary(t, T, k):
        """Is there a boundary between step t and step t + 1?"""
        if t == T - 1:
            return False
        return {"start": (t + 1) % k == 0, "end": (T - 1 - t) % k == 0,
                "shifted": t % k == 0, "none": False}[cut]

    def truncated(dhs, cache, dh_T, dc_T, k):
        T = len(cache)
        dh = dh_T if final else np.zeros_like(dh_T)
        dc = dc_T if final else np.zeros_like(dc_T)
        dxs, dW, db = np.zeros((T, *cache[0]["x_t"].shape)), 0, 0
        for t in reversed(range(T)):
            if boundary(t, T, k):
                if only_last:
                    dh, dc = np.zeros_like(dh), np.zeros_like(dc)
                    break
                dh = np.zeros_like(dh) if "h" in reset else dh
                dc = np.zeros_like(dc) if "c" in reset else dc
            dxs[t], dh, dc, dW_t, db_t = backward.cell_backward(dhs[t] + dh, dc, cache[t])
            dW, db = dW + dW_t, db + db_t
        return dxs, dh, dc, dW, db

    return truncated


TRUNCATED_MISTAKES = [
    Mistake(
        "no truncation",
        "Your loop runs back through the whole sequence: at the end of every earlier "
        "chunk the gradients arriving from the later chunk must be dropped.",
        "Before step t, if t + 1 is a multiple of k (and t is not the last step), set "
        "dh and dc to zeros.",
        _truncated_with(cut="none"),
    ),
    Mistake(
        "chunks counted from the end",
        "Your chunks are counted back from the last step; they start at the first "
        "step, so the last chunk may be the short one.",
        "The boundaries lie after steps k - 1, 2k - 1, ...: reset when (t + 1) % k == 0.",
        _truncated_with(cut="end"),
    ),
    Mistake(
        "chunk boundaries one step off",
        "Your boundaries sit one step from where they belong: a chunk of k steps ends "
        "after its k-th step.",
        "Reset before step t when (t + 1) % k == 0, not when t % k == 0.",
        _truncated_with(cut="shifted"),
    ),
    Mistake(
        "only dh reset",
        "At a boundary the hidden state's gradient starts again from zero, but the "
        "cell state's still crosses into the earlier chunk.",
        "Reset both: dh, dc = np.zeros_like(dh), np.zeros_like(dc).",
        _truncated_with(reset=("h",)),
    ),
    Mistake(
        "only dc reset",
        "At a boundary the cell state's gradient starts again from zero, but the "
        "hidden state's still crosses into the earlier chunk.",
        "Reset dh too: dh, dc = np.zeros_like(dh), np.zeros_like(dc).",
        _truncated_with(reset=("c",)),
    ),
    Mistake(
        "dh_T and dc_T dropped",
        "The last chunk starts from the gradients of the final state, as in full "
        "backpropagation through time; only the earlier chunks start from zero.",
        "Start from dh, dc = dh_T, dc_T; reset only at the boundaries.",
        _truncated_with(final=False),
    ),
    Mistake(
        "only the last chunk",
        "Your loop stops at the first boundary. Every chunk gets its own backward "
        "pass: the earlier steps' losses still send gradients to their inputs and to W.",
        "Do not break at a boundary: reset dh and dc to zeros and go on to step 0, "
        "adding every step's dW_t and db_t.",
        _truncated_with(only_last=True),
    ),
]


def check_truncated_backward(truncated_backward, hint=1):
    """Check ``truncated_backward(dhs, cache, dh_T, dc_T, k) -> (dxs, dh0, dc0, dW, db)``.

    Truncated backpropagation through time: the steps are cut into chunks of
    ``k`` from the start, [0, k), [k, 2k), ...; the backward pass of each
    chunk starts from zeros at its end (the last chunk from ``dh_T``, ``dc_T``)
    and stops at its beginning. dW and db add up every chunk's; dh0 and dc0
    are the first chunk's.
    """
    return run_check(
        "check_truncated_backward", truncated_backward, _truncated, _truncated_cases(),
        TRUNCATED_MISTAKES,
        generic_hint="Start from your full loop back through time and add one thing: "
        "at the end of each earlier chunk, the gradients arriving from the later "
        "chunk are dropped.",
        generic_fix="dh, dc = dh_T, dc_T; for t from T - 1 down to 0: if t < T - 1 and "
        "(t + 1) % k == 0, set dh and dc to zeros; then step backward as before and "
        "add up dW and db.",
        outputs=("dxs", "dh0", "dc0", "dW", "db"), hint=hint,
    )
