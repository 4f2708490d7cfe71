"""Checkers for chapter 5: the cell state update and the forget bias for a memory."""

import numpy as np

from .core import Case, Mistake, run_check
from .pristine import cell_state as cs

__all__ = ["check_cell_state", "check_forget_bias_for"]


def gate_values(seed, names):
    """Fixed-seed cases of gate values for functions of ``names``.

    f, i, o are fractions in (0, 1), c_tilde lies in (-1, 1), c_prev and c_t
    are unbounded. Sizes (H, N): (2, 1), (3, 4), (1, 1), and (3, 3), square,
    where a matrix product runs without an error and must be caught by value.
    """
    cases = []
    for k, (H, N) in enumerate([(2, 1), (3, 4), (1, 1), (3, 3)]):
        rng = np.random.default_rng(seed + k)
        values = {
            name: rng.uniform(-1, 1, (H, N)) if name == "c_tilde"
            else rng.standard_normal((H, N)) * 2 if name.startswith("c")
            else rng.uniform(0.05, 0.95, (H, N))
            for name in names
        }
        cases.append(Case(f"H={H}, N={N}", tuple(values[name] for name in names)))
    return cases


CELL_STATE_MISTAKES = [
    Mistake(
        "matrix product instead of elementwise",
        "The products in the cell state update are element by element, not matrix "
        "products: every unit gates its own cell.",
        "Use * (elementwise), not @ or np.dot: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: f @ c_prev + i @ c_tilde,
        variants=(lambda f, i, c_tilde, c_prev: np.dot(f, c_prev) + np.dot(i, c_tilde),),
    ),
    Mistake(
        "f and i swapped",
        "The two gates are exchanged: the forget gate scales the old state, the "
        "input gate the candidate.",
        "c_t = f * c_prev + i * c_tilde, not i * c_prev + f * c_tilde.",
        lambda f, i, c_tilde, c_prev: i * c_prev + f * c_tilde,
    ),
    Mistake(
        "forget gate missing",
        "Your update keeps the old state whole: the forget gate does not appear in it.",
        "Multiply c_prev by f: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: c_prev + i * c_tilde,
    ),
    Mistake(
        "input gate missing",
        "Your update writes the candidate whole: the input gate does not appear in it.",
        "Gate the candidate: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: f * c_prev + c_tilde,
    ),
]


def check_cell_state(cell_state, hint=1):
    """Check ``cell_state(f, i, c_tilde, c_prev) -> c_t``, all (H, N)."""
    return run_check(
        "check_cell_state", cell_state, cs.cell_state,
        gate_values(400, ("f", "i", "c_tilde", "c_prev")), CELL_STATE_MISTAKES,
        generic_hint="Compare your line with the cell state's equation in the chapter, "
        "term by term.",
        generic_fix="c_t = f * c_prev + i * c_tilde, with * elementwise.",
        hint=hint,
    )


def _bias_for_cases():
    rng = np.random.default_rng(410)
    return [
        Case("90% after 10 steps", (np.array(0.9), 10)),
        Case("random fractions, shape (2, 3), after 5 steps",
             (rng.uniform(0.05, 0.95, (2, 3)), 5)),
        Case("50% after 1 step", (np.array([0.5]), 1)),
        Case("1% after 100 steps", (np.array(0.01), 100)),
    ]


def _logit(p):
    return np.log(p) - np.log1p(-p)


FORGET_BIAS_MISTAKES = [
    Mistake(
        "fraction^steps instead of fraction^(1/steps)",
        "After k steps the state has been multiplied by the gate k times: the gate "
        "per step is the k-th root of the fraction, not its k-th power.",
        "b = logit(fraction ** (1 / steps)), with logit(p) = np.log(p) - np.log1p(-p).",
        lambda fraction, steps: _logit(fraction ** steps),
    ),
    Mistake(
        "steps ignored",
        "That bias keeps the fraction after one step; after k steps only its k-th "
        "power is left. Take the number of steps into account.",
        "Take the k-th root first: b = logit(fraction ** (1 / steps)).",
        lambda fraction, steps: _logit(np.asarray(fraction, dtype=float)),
    ),
    Mistake(
        "logit missing",
        "You found the gate's value per step; the question asks for the bias that "
        "gives that value.",
        "b = np.log(v / (1 - v)) with v = fraction ** (1 / steps).",
        lambda fraction, steps: fraction ** (1 / steps),
    ),
    Mistake(
        "log instead of logit",
        "The logarithm alone does not invert the sigmoid.",
        "sigma(b) = v gives b = log(v / (1 - v)), not log(v), with "
        "v = fraction ** (1 / steps).",
        lambda fraction, steps: np.log(fraction ** (1 / steps)),
    ),
    Mistake(
        "logit divided by steps",
        "The root applies to the fraction kept, before inverting the sigmoid, not "
        "to the bias after.",
        "logit(fraction ** (1 / steps)), not logit(fraction) / steps.",
        lambda fraction, steps: _logit(fraction) / steps,
    ),
]


def check_forget_bias_for(forget_bias_for, hint=1):
    """Check ``forget_bias_for(fraction, steps) -> b`` with ``sigmoid(b)**steps == fraction``."""
    return run_check(
        "check_forget_bias_for", forget_bias_for, cs.forget_bias_for, _bias_for_cases(),
        FORGET_BIAS_MISTAKES,
        generic_hint="Check your answer: the sigmoid of your b, to the power steps, "
        "should give the fraction back.",
        generic_fix="b = logit(fraction ** (1 / steps)); check that "
        "sigmoid(b) ** steps gives the fraction.",
        hint=hint,
    )
