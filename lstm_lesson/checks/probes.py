"""Checkers for chapter 12: looking inside a trained LSTM.

The references come from the private copy of the package (``probes`` is loaded
there like every other module), so patching ``lstm_lesson.probes`` cannot fool
them; the catalogued mistakes are built on the private copy too.
"""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import _module, activations, bptt, cell, losses, network

probes = _module("probes")

__all__ = ["check_most_correlated", "check_clamped_forward", "check_leaky_count",
           "check_saliency", "check_gradient_times_input"]


# -- The unit most correlated with a signal -------------------------------------------

def _planted(seed, T, H, N, unit, sign, scales=None, padding=0, offset=0.0):
    """Values (T, H, N) with one unit following a signal (T, N), and a mask.

    Unit ``unit`` is ``sign`` times the signal plus a little noise, the others
    noise with a weaker share of the signal; ``scales`` multiplies each unit
    (so that covariance and correlation rank them differently); the last
    ``padding`` steps of every other sequence are padding, with large values
    that would change the answer if they were counted; ``offset`` is added to
    the signal (its mean is then far from 0).
    """
    rng = np.random.default_rng(seed)
    signal = rng.standard_normal((T, N)).cumsum(axis=0) + offset
    values = rng.standard_normal((T, H, N))
    share = rng.uniform(-0.6, 0.6, H)
    values += share[None, :, None] * (signal - offset)[:, None, :]
    values[:, unit] = sign * (signal - offset) + 0.3 * rng.standard_normal((T, N))
    if scales is not None:
        values *= np.asarray(scales, dtype=float)[None, :, None]
    mask = np.ones((T, N))
    if padding:
        mask[T - padding:, ::2] = 0
        decoy = (unit + 1) % H
        values[T - padding:, decoy, ::2] = 40 * signal[T - padding:, ::2]
        values[T - padding:, unit, ::2] = -40 * sign * signal[T - padding:, ::2]
    return values, signal, mask


def _correlation_cases():
    return [
        Case("a unit that counts up, T=12, H=5, N=4",
             _planted(1200, 12, 5, 4, unit=2, sign=1)),
        Case("a unit that counts down beside one weakly up, T=10, H=4, N=3",
             _planted(1201, 10, 4, 3, unit=1, sign=-1)),
        Case("padding masked out, T=9, H=4, N=6",
             _planted(1202, 9, 4, 6, unit=3, sign=1, padding=3)),
        Case("units on different scales, T=15, H=6, N=2",
             _planted(1203, 15, 6, 2, unit=4, sign=1, scales=[30, 1, 8, 0.2, 0.05, 12])),
        Case("a signal far from 0, T=8, H=3, N=5",
             _planted(1204, 8, 3, 5, unit=0, sign=-1, offset=25.0)),
    ]


def _entries(values, signal, mask):
    keep = np.asarray(mask) > 0
    return np.asarray(values).transpose(1, 0, 2)[:, keep], np.asarray(signal)[keep]


def _pearson(x, y):
    x = x - x.mean(axis=-1, keepdims=True)
    y = y - y.mean(axis=-1, keepdims=True)
    return (x * y).sum(axis=-1) / np.sqrt((x**2).sum(axis=-1) * (y**2).sum(axis=-1))


def _pick(scores, by_size=True):
    unit = int(np.argmax(np.abs(scores) if by_size else scores))
    return unit, float(scores[unit])


def _largest_r(values, signal, mask):
    x, y = _entries(values, signal, mask)
    return _pick(_pearson(x, y), by_size=False)


def _absolute_r(values, signal, mask):
    unit, r = probes.most_correlated(values, signal, mask)
    return unit, abs(r)


def _padding_counted(values, signal, mask):
    return probes.most_correlated(values, signal)


def _covariance(values, signal, mask, ddof=0):
    x, y = _entries(values, signal, mask)
    cov = ((x - x.mean(axis=1, keepdims=True)) * (y - y.mean())).sum(axis=1)
    return _pick(cov / (y.size - ddof))


def _not_centred(values, signal, mask):
    x, y = _entries(values, signal, mask)
    return _pick((x * y).sum(axis=1) / np.sqrt((x**2).sum(axis=1) * (y**2).sum()))


def _per_sequence(values, signal, mask):
    values, signal, keep = np.asarray(values), np.asarray(signal), np.asarray(mask) > 0
    r = np.mean([_pearson(values[keep[:, n], :, n].T, signal[keep[:, n], n])
                 for n in range(values.shape[2])], axis=0)
    return _pick(r)


CORRELATION_FIX = ("keep = mask > 0; x = values.transpose(1, 0, 2)[:, keep]; y = "
                   "signal[keep]; center both, r = (x @ y) / sqrt(sum(x**2, axis=1) * "
                   "sum(y**2)); unit = argmax(abs(r)); return unit, r[unit]")

MOST_CORRELATED_MISTAKES = [
    Mistake(
        "largest r, not largest |r|",
        "A unit that falls as the signal rises tracks it just as well: rank the units by "
        "the size of r, whatever its sign.",
        "unit = int(np.argmax(np.abs(r))), then return r[unit] with its sign.",
        _largest_r,
    ),
    Mistake(
        "sign of r dropped",
        "The unit is right, but r lost its sign: a unit that counts down has a negative r.",
        "Return r[unit] itself, not abs(r[unit]).",
        _absolute_r,
    ),
    Mistake(
        "padding counted",
        "The padded steps (mask 0) were counted: their values say nothing about the signal.",
        "Keep only the entries where mask > 0: values.transpose(1, 0, 2)[:, mask > 0] and "
        "signal[mask > 0].",
        _padding_counted,
    ),
    Mistake(
        "covariance instead of correlation",
        "Without dividing by the spreads, a unit with large values wins however loosely it "
        "follows the signal.",
        "Divide the covariance by the standard deviations of the unit and of the signal.",
        _covariance,
        variants=(lambda values, signal, mask: _covariance(values, signal, mask, ddof=1),),
    ),
    Mistake(
        "means not subtracted",
        "The correlation compares deviations from the means; yours uses the raw values, "
        "which a signal far from 0 dominates.",
        "Subtract each unit's mean and the signal's mean before the products.",
        _not_centred,
    ),
    Mistake(
        "one r per sequence, averaged",
        "One correlation over every counted step of every sequence is asked for, not a mean "
        "of per-sequence correlations.",
        "Pool the counted entries of all sequences first: values.transpose(1, 0, 2)"
        "[:, mask > 0].",
        _per_sequence,
    ),
]


def check_most_correlated(most_correlated_fn, hint=1):
    """Check ``most_correlated(values, signal, mask) -> (unit, r)``: values (T, H, N),
    signal and mask (T, N); the unit with the largest ``|r|`` over the counted entries."""
    return run_check(
        "check_most_correlated", most_correlated_fn, probes.most_correlated,
        _correlation_cases(), MOST_CORRELATED_MISTAKES,
        generic_hint="Pool the entries where mask > 0, compute each unit's Pearson "
        "correlation with the signal over them, and pick the largest in size.",
        generic_fix=CORRELATION_FIX + ".",
        outputs=("unit", "r"), rtol=1e-7, atol=1e-9, hint=hint,
    )


# -- A forward pass with one unit clamped -------------------------------------------

def _clamp_cases():
    found = []
    for k, (T, D, H, K, N, unit, value) in enumerate([(4, 2, 3, 2, 4, 1, 0.7),
                                                       (5, 3, 4, 3, 2, 3, -1.5),
                                                       (3, 2, 2, 4, 1, 0, 2.0),
                                                       (6, 3, 5, 2, 6, 2, 0.3)]):
        params = network.init_network("lstm", D, H, K, seed=1210 + k)
        rng = np.random.default_rng(1220 + k)
        params["b"] = params["b"] + rng.normal(0, 1.0, params["b"].shape)
        xs = rng.standard_normal((T, D, N))
        found.append(Case(f"T={T}, D={D}, H={H}, K={K}, N={N}, unit {unit} at {value}",
                          (params, xs, unit, value)))
    return found


def _clamped(params, xs, unit, value):
    return probes.clamped_forward(params, xs, unit, value)[0]


def _buggy_clamp(where="row", h_from="clamped", when="after", steps="every", read="every"):
    """A reader's clamped forward pass with one slip; the defaults are right.

    where: clamp the unit's "row" of c, a "column" (an example), "all" units,
    or "h" (the hidden state instead of c); h_from: h_t from the "clamped" or
    the "unclamped" c_t; when: clamp "after" the update or "before" it (c_{t-1});
    steps: "every" step or the "first" only; read: "every" step or the "last".
    """

    def clamped(params, xs, unit, value):
        W, b, W_y, b_y = params["W"], params["b"], params["W_y"], params["b_y"]
        H, N = W.shape[0] // 4, xs.shape[2]
        h, c = np.zeros((H, N)), np.zeros((H, N))
        hs = []
        for t, x_t in enumerate(xs):
            active = steps == "every" or t == 0
            if when == "before" and active:
                c = c.copy()
                c[unit] = value
            h_new, c_new, step = cell.cell_forward(x_t, h, c, W, b)
            c_new = c_new.copy()
            if when == "after" and active:
                if where == "row":
                    c_new[unit] = value
                elif where == "column":
                    c_new[:, unit] = value
                elif where == "all":
                    c_new[:] = value
            if where == "h" and active:
                h_new = h_new.copy()
                h_new[unit] = value
            elif h_from == "clamped" and when == "after":
                h_new = step["o"] * activations.tanh(c_new)
            h, c = h_new, c_new
            hs.append(h)
        hs = np.stack(hs)
        return W_y @ (hs if read == "every" else hs[-1]) + b_y

    return clamped


CLAMP_FIX = ("for each x_t: h, c, cache = cell_forward(x_t, h, c, W, b); c = c.copy(); "
             "c[unit] = value; h = cache['o'] * np.tanh(c); keep h; finally return "
             "W_y @ np.stack(hs) + b_y")

CLAMP_MISTAKES = [
    Mistake(
        "h_t from the unclamped c_t",
        "The clamp reaches the next step, but this step's hidden state was computed from "
        "the cell state before the clamp.",
        "After setting c[unit] = value, recompute h = cache['o'] * np.tanh(c).",
        _buggy_clamp(h_from="unclamped"),
    ),
    Mistake(
        "hidden state clamped instead of the cell state",
        "The unit to hold is in the cell state c_t; yours holds the hidden state h_t.",
        "Set c[unit] = value after each step and compute h_t from that c_t.",
        _buggy_clamp(where="h"),
    ),
    Mistake(
        "an example clamped instead of a unit",
        "c is (H, N): a unit is a row, in every example of the batch; yours set a column, "
        "one example's every unit.",
        "c[unit] = value (the row), not c[:, unit] = value.",
        _buggy_clamp(where="column"),
        variants=(_buggy_clamp(where="column", h_from="unclamped"),),
    ),
    Mistake(
        "every unit clamped",
        "Only one unit is held; yours sets the whole cell state.",
        "c[unit] = value: the row of that unit only.",
        _buggy_clamp(where="all"),
    ),
    Mistake(
        "clamped before the update",
        "The clamp holds c_t, the state after the step's update; yours sets c_{t-1} before "
        "it, so the update moves the unit again.",
        "Run the step first, then set c[unit] = value and compute h_t from it.",
        _buggy_clamp(when="before"),
    ),
    Mistake(
        "clamped at the first step only",
        "The unit is held at every step, not just the first: the update moves it again "
        "from step 2 on.",
        "Set c[unit] = value inside the loop, after every step.",
        _buggy_clamp(steps="first"),
    ),
    Mistake(
        "only the last step read",
        "The readout reads every step: logits (T, K, N), one prediction per step.",
        "Stack every h_t into hs (T, H, N) and return W_y @ hs + b_y.",
        _buggy_clamp(read="last"),
    ),
]


def check_clamped_forward(clamped_forward_fn, hint=1):
    """Check ``clamped_forward(params, xs, unit, value) -> logits`` (T, K, N): the LSTM
    with unit ``unit`` of c_t set to ``value`` after every step, h_t from that c_t."""
    return run_check(
        "check_clamped_forward", clamped_forward_fn, _clamped, _clamp_cases(),
        CLAMP_MISTAKES,
        generic_hint="Run the cell step by step; after each step set that unit's row of "
        "c_t to the value, compute h_t from the clamped c_t, and read every h_t.",
        generic_fix=CLAMP_FIX + ".",
        rtol=1e-9, atol=1e-12, hint=hint,
    )


# -- Predict: a counter that leaks ------------------------------------------------------

#: The prediction's setting: a constant forget gate, the write per symbol, the string.
LEAK, DELTA, N_A, N_B = 0.9, 0.1, 10, 5


def _leaky(f=LEAK, delta=DELTA, n_a=N_A, n_b=N_B):
    c = 0.0
    for symbol in "a" * n_a + "b" * n_b:
        c = f * c + (delta if symbol == "a" else -delta)
    return c


_AFTER_A = _leaky(n_b=0)
LEAK_FIX = ("After the ten a's, c = 0.1 (1 - 0.9^10) / (1 - 0.9) = 0.651; each b then "
            "keeps 0.9 of c and subtracts 0.1: c = 0.9^5 x 0.651 - 0.1 (1 - 0.9^5) / 0.1, "
            "about -0.025, below 0 although more a's than b's were read.")

LEAK_PREDICTIONS = [
    WrongPrediction("a perfect counter", DELTA * (N_A - N_B),
                    "That is what a unit with a forget gate of exactly 1 holds; this one "
                    "keeps only nine tenths of its state at every step.", LEAK_FIX),
    WrongPrediction("the value after the a's", _AFTER_A,
                    "That is the state after the a's; the five b's come after them.",
                    LEAK_FIX),
    WrongPrediction("b's only leak", LEAK**N_B * _AFTER_A,
                    "The b's do more than let the state leak away: each also writes "
                    "minus one tenth.", LEAK_FIX),
    WrongPrediction("the leak forgotten during the b's", _AFTER_A - DELTA * N_B,
                    "The forget gate acts at every step, during the b's too.", LEAK_FIX),
    WrongPrediction("the leak forgotten during the a's", LEAK**N_B * DELTA * N_A - DELTA * (
        1 - LEAK**N_B) / (1 - LEAK), "The forget gate acts at every step, during the a's "
        "too: ten a's do not add up to a full one.", LEAK_FIX),
]


def check_leaky_count(prediction, hint=1):
    """Check a prediction of c after a^10 b^5 for f = 0.9, i c~ = +-0.1, c_0 = 0."""
    return run_prediction(
        "check_leaky_count", prediction, _leaky(), LEAK_PREDICTIONS,
        generic_hint="Step through the update c_t = f c_{t-1} + i c~ symbol by symbol, or "
        "use the closed forms of the derivation: first the a's, then the b's.",
        generic_fix=LEAK_FIX, hint=hint,
    )


# -- Saliency: find the bug ---------------------------------------------------------------

def _saliency_cases():
    found = []
    for k, (T, D, H, K, N, t) in enumerate([(6, 4, 3, 4, 3, 3), (5, 3, 4, 3, 2, 4),
                                           (4, 5, 2, 5, 1, 1), (7, 3, 3, 3, 4, 0)]):
        params = network.init_network("lstm", D, H, K, seed=1230 + k)
        rng = np.random.default_rng(1240 + k)
        params = {name: p + rng.normal(0, 0.5, p.shape) for name, p in params.items()}
        xs = np.zeros((T, D, N))
        ids = rng.integers(0, D, (T, N))
        np.put_along_axis(xs, ids[:, None, :], 1.0, axis=1)  # one-hot symbols
        labels = rng.integers(0, K, N)
        found.append(Case(f"T={T}, D={D}, H={H}, K={K}, N={N}, the prediction at t={t}",
                          (params, xs, t, labels)))
    return found


def _buggy_saliency(steps="one", average=False, onehot=True, norm_axes=(1,), shift=0):
    """A reader's saliency with one slip; the defaults are right.

    steps: the gradient of the prediction at step t only ("one") or every
    step's output sending p - onehot ("every", the chapter's bug); average:
    divide by N; onehot: subtract the label's one-hot; norm_axes: over D, or
    over D and the batch; shift: use the prediction of step t + shift.
    """

    def saliency(params, xs, t, labels):
        logits, cache = network.network_forward(params, xs, "lstm", "every")
        T, K, N = logits.shape
        s = min(t + shift, T - 1)
        p = losses.softmax(logits)
        if steps == "every":
            dy = p.copy()
        else:
            dy = np.zeros_like(p)
            dy[s] = p[s]
        if onehot:
            dy[s, labels, np.arange(N)] -= 1
        if average:
            dy = dy / N
        dhs = params["W_y"].T @ dy
        dxs = bptt.sequence_backward(dhs, cache["steps"])[0]
        return np.linalg.norm(dxs, axis=norm_axes)

    return saliency


SALIENCY_FIX = ("dy = np.zeros_like(p); dy[t] = p[t]; dy[t, labels, np.arange(N)] -= 1; "
                "then dhs = W_y.T @ dy and the norm of each dxs[s] over its D entries")

SALIENCY_MISTAKES = [
    Mistake(
        "every step's prediction sends a gradient",
        "The loss is the prediction of step t alone, but every other step's output sends "
        "a gradient back too: the inputs after t get a saliency.",
        "Start from zeros and set only step t: dy = np.zeros_like(p); dy[t] = p[t]; "
        "dy[t, labels, np.arange(N)] -= 1.",
        _buggy_saliency(steps="every"),
    ),
    Mistake(
        "averaged over the batch",
        "Each sequence's own loss is explained: the gradient is not divided by the number "
        "of sequences.",
        "Leave out the division by N: each column is one sequence's gradient.",
        _buggy_saliency(average=True),
    ),
    Mistake(
        "the label's one-hot not subtracted",
        "The loss's gradient at the logits is p minus the one-hot of the label; yours "
        "keeps p alone.",
        "dy[t, labels, np.arange(N)] -= 1 after dy[t] = p[t].",
        _buggy_saliency(onehot=False),
    ),
    Mistake(
        "norm over the batch too",
        "One saliency per step and per sequence, (T, N): the norm runs over the D entries "
        "of each input only.",
        "np.linalg.norm(dxs, axis=1), not over axes (1, 2).",
        _buggy_saliency(norm_axes=(1, 2)),
    ),
    Mistake(
        "the next step's prediction",
        "The prediction made after reading xs[t] is the output of step t, logits[t]; "
        "yours takes the step after it.",
        "Use p[t] and dy[t], the output of the step that reads xs[t].",
        _buggy_saliency(shift=1),
    ),
]


def check_saliency(saliency_fn, hint=1):
    """Check ``saliency(params, xs, t, labels) -> (T, N)``: the norm over D of
    dL/dxs[s] for L = -log p_t[label], each sequence's own loss."""
    return run_check(
        "check_saliency", saliency_fn, probes.saliency, _saliency_cases(),
        SALIENCY_MISTAKES,
        generic_hint="Only the prediction of step t is differentiated: its gradient "
        "p_t - onehot(label) enters at h_t through W_y, then goes back through time.",
        generic_fix=SALIENCY_FIX + ".",
        rtol=1e-7, atol=1e-10, hint=hint,
    )


# -- Change: gradient times input ----------------------------------------------------------

def _input_gradients(params, xs, t, labels, average=False):
    """dL/dxs (T, D, N) for the prediction at step t (each sequence's own loss)."""
    logits, cache = network.network_forward(params, xs, "lstm", "every")
    N = xs.shape[2]
    dy = np.zeros_like(logits)
    dy[t] = losses.softmax(logits[t])
    dy[t, labels, np.arange(N)] -= 1
    if average:
        dy /= N
    return bptt.sequence_backward(params["W_y"].T @ dy, cache["steps"])[0]


def gradient_times_input(params, xs, t, labels):
    """``(xs * dL/dxs).sum(axis=1)``: (T, N), for the loss of the prediction at step t."""
    return (np.asarray(xs) * _input_gradients(params, xs, t, labels)).sum(axis=1)


def _times_input_cases():
    cases = _saliency_cases()
    case = cases[0]
    params, xs, t, labels = case.args
    rng = np.random.default_rng(1250)
    return [*cases, Case(case.name.replace("T=", "inputs not one-hot, T="),
                         (params, xs + rng.normal(0, 0.5, xs.shape), t, labels))]


TIMES_INPUT_FIX = ("dxs as in saliency; return (xs * dxs).sum(axis=1), one number per step "
                   "and sequence")

TIMES_INPUT_MISTAKES = [
    Mistake(
        "the gradient's norm, not its product with the input",
        "That is the saliency itself: the change multiplies the gradient by the input "
        "entry by entry and adds up, keeping the sign.",
        "(xs * dxs).sum(axis=1) instead of np.linalg.norm(dxs, axis=1).",
        lambda params, xs, t, labels: np.linalg.norm(
            _input_gradients(params, xs, t, labels), axis=1),
    ),
    Mistake(
        "absolute value taken",
        "The sign says whether the input raised or lowered the loss: keep it.",
        "Return (xs * dxs).sum(axis=1) without abs.",
        lambda params, xs, t, labels: np.abs(gradient_times_input(params, xs, t, labels)),
    ),
    Mistake(
        "gradient summed without the input",
        "Each entry of the gradient is weighted by the input's entry: for a one-hot input "
        "only the symbol actually read counts.",
        "Multiply by xs before summing over axis 1.",
        lambda params, xs, t, labels: _input_gradients(params, xs, t, labels).sum(axis=1),
    ),
    Mistake(
        "averaged over the batch",
        "Each sequence's own loss is explained: the gradient is not divided by the number "
        "of sequences.",
        "Leave out the division by N.",
        lambda params, xs, t, labels: (np.asarray(xs) * _input_gradients(
            params, xs, t, labels, average=True)).sum(axis=1),
    ),
]


def check_gradient_times_input(gradient_times_input_fn, hint=1):
    """Check ``gradient_times_input(params, xs, t, labels) -> (T, N)``: the sum over D
    of xs[s] * dL/dxs[s] for the loss of the prediction at step t."""
    return run_check(
        "check_gradient_times_input", gradient_times_input_fn, gradient_times_input,
        _times_input_cases(), TIMES_INPUT_MISTAKES,
        generic_hint="Compute dL/dxs as the saliency does, then multiply it by xs entry "
        "by entry and add up over the D entries of each input.",
        generic_fix=TIMES_INPUT_FIX + ".",
        rtol=1e-7, atol=1e-10, hint=hint,
    )
