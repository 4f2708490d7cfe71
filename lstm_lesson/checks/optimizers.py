"""Checkers for chapter 11: an Adam step, clipping by global norm, Adam's first step."""

import functools
from collections.abc import Mapping

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import clipping, optimizers

__all__ = ["check_adam_step", "check_clip_by_global_norm", "check_adam_first_step"]


# -- One Adam step on one array ---------------------------------------------------

def _adam_cases():
    """The first step (m = v = 0, t = 1), later steps with running means, a tiny
    gradient (where eps counts), other learning rates and betas."""
    found = []
    rng = np.random.default_rng(1200)
    g = rng.standard_normal((3, 2))
    found.append(Case("first step (t = 1, m = v = 0), lr = 0.01",
                      (rng.standard_normal((3, 2)), g, np.zeros((3, 2)), np.zeros((3, 2)), 1,
                       0.01, 0.9, 0.999, 1e-8)))
    for k, (t, lr, beta1, beta2) in enumerate([(3, 0.001, 0.9, 0.999), (10, 0.05, 0.8, 0.99),
                                               (2, 0.1, 0.5, 0.9)]):
        rng = np.random.default_rng(1201 + k)
        p, g = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
        m, v = rng.standard_normal((2, 3)) * 0.1, rng.uniform(0.001, 0.1, (2, 3))
        found.append(Case(f"step t = {t}, lr = {lr}, beta1 = {beta1}, beta2 = {beta2}",
                          (p, g, m, v, t, lr, beta1, beta2, 1e-8)))
    rng = np.random.default_rng(1210)
    found.append(Case("first step with tiny gradients (about 1e-7), eps = 1e-6",
                      (rng.standard_normal((4, 1)), rng.standard_normal((4, 1)) * 1e-7,
                       np.zeros((4, 1)), np.zeros((4, 1)), 1, 0.01, 0.9, 0.999, 1e-6)))
    return found


def _adam(p, g, m, v, t, lr, beta1, beta2, eps):
    """The package's adam_step on one array: its state before the step is t - 1."""
    new, state = optimizers.adam_step({"p": p}, {"p": g}, {"t": t - 1, "m": {"p": m},
                                                          "v": {"p": v}}, lr, beta1, beta2, eps)
    return new["p"], state["m"]["p"], state["v"]["p"]


def _buggy_adam(correct=True, step_count=0, eps_inside=False, square=True, one_minus=True,
                swap=False, sign=1, root=True, corrected_state=False):
    """A reader's Adam step with one slip; the defaults are right."""

    def adam(p, g, m, v, t, lr, beta1, beta2, eps):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        m = b1 * m + ((1 - b1) if one_minus else 1) * g
        v = b2 * v + ((1 - b2) if one_minus else 1) * (g**2 if square else g)
        n = t + step_count
        m_hat = m / (1 - b1**n) if correct else m
        v_hat = v / (1 - b2**n) if correct else v
        if eps_inside:
            denominator = np.sqrt(v_hat + eps)
        else:
            denominator = (np.sqrt(v_hat) if root else v_hat) + eps
        p = p - sign * lr * m_hat / denominator
        return (p, m_hat, v_hat) if corrected_state else (p, m, v)

    return adam


ADAM_FIX = ("m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g**2; "
            "m_hat = m / (1 - beta1**t); v_hat = v / (1 - beta2**t); "
            "p = p - lr m_hat / (sqrt(v_hat) + eps); return p, m, v")

ADAM_MISTAKES = [
    Mistake(
        "no bias correction",
        "The running means start at zero, so early on they are too small: Adam divides "
        "each by one minus its beta to the power of the step count.",
        "m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t), then the step uses "
        "m_hat and v_hat.",
        _buggy_adam(correct=False),
    ),
    Mistake(
        "step count off by one",
        "t is this step's own number, 1 on the first step: the bias correction uses it "
        "as it is, not the next one.",
        "Use beta1**t and beta2**t with the t you are given.",
        _buggy_adam(step_count=1),
    ),
    Mistake(
        "eps inside the square root",
        "Kingma and Ba add eps after the square root, to the denominator; yours adds "
        "it under the root, which matters for tiny gradients.",
        "p - lr m_hat / (sqrt(v_hat) + eps), not sqrt(v_hat + eps).",
        _buggy_adam(eps_inside=True),
    ),
    Mistake(
        "gradient not squared in v",
        "v is the running mean of the squared gradient; yours averages the gradient "
        "itself (and can go negative).",
        "v = beta2 v + (1 - beta2) g**2.",
        _buggy_adam(square=False),
    ),
    Mistake(
        "the (1 - beta) factors missing",
        "A running mean weighs the old mean by beta and the new value by one minus "
        "beta; yours adds the new value at full weight.",
        "m = beta1 m + (1 - beta1) g and v = beta2 v + (1 - beta2) g**2.",
        _buggy_adam(one_minus=False),
    ),
    Mistake(
        "betas swapped",
        "beta1 belongs to the mean of the gradient, beta2 to the mean of its square; "
        "yours has them the other way round.",
        "m uses beta1, v uses beta2 (0.9 and 0.999 by default).",
        _buggy_adam(swap=True),
    ),
    Mistake(
        "step uphill",
        "Gradient descent steps against the gradient; your step goes with it.",
        "p - lr m_hat / (sqrt(v_hat) + eps): subtract the step.",
        _buggy_adam(sign=-1),
    ),
    Mistake(
        "square root missing",
        "The denominator is the root of v_hat, which has the units of a squared "
        "gradient; yours divides by v_hat itself.",
        "Divide by np.sqrt(v_hat) + eps.",
        _buggy_adam(root=False),
    ),
    Mistake(
        "corrected means kept as the state",
        "The bias-corrected means are only for this step's update; the state that "
        "carries on to the next step is the uncorrected m and v.",
        "Return p, m, v (not m_hat, v_hat).",
        _buggy_adam(corrected_state=True),
    ),
]


def check_adam_step(adam_step_fn, hint=1):
    """Check ``adam_step(p, g, m, v, t, lr, beta1, beta2, eps) -> (p, m, v)`` on one array.

    ``t`` is this step's number (1 on the first); ``m`` and ``v`` are the running
    means before it; the new ``p``, ``m`` and ``v`` are returned.
    """
    return run_check(
        "check_adam_step", adam_step_fn, _adam, _adam_cases(), ADAM_MISTAKES,
        generic_hint="Update the two running means, correct their bias for the step "
        "count, then step against the mean gradient scaled by the root of the mean "
        "square.",
        generic_fix=ADAM_FIX + ".",
        outputs=("p", "m", "v"), hint=hint,
    )


# -- Clipping by global norm --------------------------------------------------------

#: Every case's gradients have these names, so that each is one named output.
NAMES = ("W", "b", "W_y", "b_y")


def _clip_cases():
    """Gradients far above the threshold (with arrays of very different norms,
    so that clipping each on its own is told apart), just above, below, and a
    threshold other than 1."""
    found = []
    for k, (scale, max_norm, what) in enumerate([(5.0, 1.0, "far above max_norm = 1"),
                                                 (1.0, 2.5, "above max_norm = 2.5"),
                                                 (0.05, 1.0, "below max_norm = 1"),
                                                 (3.0, 0.5, "above max_norm = 0.5")]):
        rng = np.random.default_rng(1300 + k)
        grads = {"W": rng.standard_normal((8, 5)) * scale, "b": rng.standard_normal((8, 1)) * scale,
                 "W_y": rng.standard_normal((1, 2)) * scale * 0.1,
                 "b_y": rng.standard_normal((1, 1)) * scale * 0.1}
        found.append(Case(f"gradients {what}", (grads, max_norm)))
    return found


def flat(fn, names, what="clipped", expected="(clipped, norm): a dict of the "
         "gradients' names and the global norm before clipping"):
    """``fn``, which returns ``(a dict, something)``, as a function returning a tuple
    of arrays: the dict's entries ``names`` in that order, then the something.

    The checkers compare arrays, and a reader's function returns a dict; anything
    other than the expected pair is reported as what it is, with what was expected.
    A ``fn`` that is not callable is returned as it is (the checker says so).
    """
    if not callable(fn):
        return fn

    @functools.wraps(fn)
    def flattened(*args):
        value = fn(*args)
        if value is None:
            return None
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Mapping)):
            raise TypeError(f"it returned {type(value).__name__}; expected a tuple {expected}")
        found, rest = value
        missing = [name for name in names if name not in found]
        if missing:
            raise KeyError(f"the {what} dict misses {', '.join(missing)}")
        return (*(found[name] for name in names), rest)

    return flattened


def _clip(grads, max_norm):
    clipped, norm = clipping.clip_by_global_norm(grads, max_norm)
    return clipped, norm


def _norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def _buggy_clip(norm="global", always=False, inverted=False, report="before"):
    """A reader's clipping with one slip; the defaults are right."""

    def clip(grads, max_norm):
        total = _norm(grads)
        if norm == "squared":
            total = sum(np.sum(g**2) for g in grads.values())
        clipped = {}
        for name, g in grads.items():
            n = np.sqrt(np.sum(g**2)) if norm == "each" else total
            factor = max_norm / n
            if inverted:
                factor = n / max_norm
            clipped[name] = g * factor if (always or n > max_norm) else g
        if norm == "value":
            clipped = {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}
        shown = min(total, max_norm) if report == "after" else total
        return clipped, shown

    return clip


CLIP_FIX = ("n = sqrt(sum of every array's sum of squares); if n > max_norm, multiply "
            "every array by max_norm / n; return the clipped dict and n")

CLIP_MISTAKES = [
    Mistake(
        "each array clipped on its own",
        "Clipping by global norm scales every array by one and the same factor, from "
        "the norm of all the gradients together; yours clips each array by its own "
        "norm, which changes the direction of the step.",
        "Compute n once over all arrays, then scale each by max_norm / n.",
        _buggy_clip(norm="each"),
        variants=(_buggy_clip(norm="each", always=True),),
    ),
    Mistake(
        "rescaled even below the threshold",
        "Gradients whose norm is already below max_norm stay as they are; yours are "
        "stretched up to max_norm.",
        "Scale only if n > max_norm.",
        _buggy_clip(always=True),
    ),
    Mistake(
        "square root missing",
        "The norm is the square root of the sum of squares; yours compares the sum of "
        "squares itself with max_norm.",
        "n = np.sqrt(sum(np.sum(g**2) for g in grads.values())).",
        _buggy_clip(norm="squared"),
    ),
    Mistake(
        "clipped by value",
        "Cutting each entry to the interval from minus max_norm to max_norm is "
        "clipping by value: it bends the direction and ignores the global norm.",
        "Scale every array by max_norm / n (n the global norm) when n > max_norm.",
        _buggy_clip(norm="value"),
    ),
    Mistake(
        "factor inverted",
        "Above the threshold the gradients must shrink; your factor makes them grow.",
        "Multiply by max_norm / n, not n / max_norm.",
        _buggy_clip(inverted=True),
    ),
    Mistake(
        "norm reported after clipping",
        "The norm to return is the one measured before clipping (it shows how large "
        "the gradient really was); yours is capped.",
        "Return n as computed from the unclipped gradients.",
        _buggy_clip(report="after"),
    ),
]


def check_clip_by_global_norm(clip_fn, hint=1):
    """Check ``clip_by_global_norm(grads, max_norm) -> (clipped, norm)``.

    ``grads`` is a dict of arrays (here W, b, W_y, b_y); ``clipped`` a dict of the
    same names; ``norm`` the global norm before clipping.
    """
    return run_check(
        "check_clip_by_global_norm", flat(clip_fn, NAMES), flat(_clip, NAMES), _clip_cases(),
        [Mistake(m.name, m.hint, m.fix, flat(m.fn, NAMES),
                 tuple(flat(v, NAMES) for v in m.variants)) for m in CLIP_MISTAKES],
        generic_hint="Measure the norm of all the gradients as one long vector; only if "
        "it exceeds the threshold, scale every array by the same factor.",
        generic_fix=CLIP_FIX + ".",
        outputs=tuple(f"clipped[{name!r}]" for name in NAMES) + ("norm",), hint=hint,
    )


# -- Prediction: the size of Adam's first step -------------------------------------------

#: The question: a gradient of 1e-6 at Adam's first step, lr = 0.01, eps = 1e-8.
FIRST_STEP = {"g": 1e-6, "lr": 0.01, "eps": 1e-8}


def _first_step():
    new, _ = optimizers.adam_step({"p": np.zeros(1)}, {"p": np.full(1, FIRST_STEP["g"])},
                                  optimizers.adam_init({"p": np.zeros(1)}), FIRST_STEP["lr"],
                                  eps=FIRST_STEP["eps"])
    return float(abs(new["p"][0]))


FIRST_STEP_FIX = ("At t = 1, m_hat = g and v_hat = g**2 exactly, so the step is "
                  "lr g / (|g| + eps) = 0.01 x 1e-6 / (1e-6 + 1e-8), about lr: Adam's "
                  "first step has the size lr whatever the gradient's scale (until g "
                  "approaches eps).")

ADAM_FIRST_STEP_PREDICTIONS = [
    WrongPrediction(
        "a gradient-descent step",
        FIRST_STEP["lr"] * FIRST_STEP["g"],
        "That is about zero, the step of plain gradient descent (the learning rate "
        "times the gradient); Adam divides by the root of the running mean square, so "
        "a tiny gradient still moves the parameter.",
        FIRST_STEP_FIX,
    ),
    WrongPrediction(
        "no bias correction",
        FIRST_STEP["lr"] * 0.1 / np.sqrt(0.001),  # m / sqrt(v), eps left out
        "You used the running means before their bias correction: after one step they "
        "are one minus beta times their final size.",
        FIRST_STEP_FIX,
    ),
    WrongPrediction(
        "the sign of the change",
        -0.0099,
        "The question asks for the size of the step, a positive number.",
        FIRST_STEP_FIX,
    ),
]


def check_adam_first_step(prediction, hint=1):
    """Check a prediction of the size of Adam's first step for a gradient of 1e-6."""
    return run_prediction(
        "check_adam_first_step", prediction, _first_step(), ADAM_FIRST_STEP_PREDICTIONS,
        generic_hint="Write m and v after one step from zero, correct their bias, and "
        "divide.",
        generic_fix=FIRST_STEP_FIX, rtol=0.05, atol=1e-4, hint=hint,
    )
