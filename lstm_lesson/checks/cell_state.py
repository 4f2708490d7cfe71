"""Checkers for chapter 5: the cell state update and the forget bias for a memory."""

import numpy as np

from .. import cell_state as cs
from .core import Case, Mistake, run_check

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
        "The products in c_t = f_t * c_{t-1} + i_t * c~_t are elementwise (*), not "
        "matrix products (@ or np.dot): every unit gates its own cell.",
        lambda f, i, c_tilde, c_prev: f @ c_prev + i @ c_tilde,
        variants=(lambda f, i, c_tilde, c_prev: np.dot(f, c_prev) + np.dot(i, c_tilde),),
    ),
    Mistake(
        "f and i swapped",
        "The forget gate scales the old state and the input gate the candidate: "
        "f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: i * c_prev + f * c_tilde,
    ),
    Mistake(
        "forget gate missing",
        "Without f_t the old state is always kept whole (c_prev + i * c_tilde): "
        "multiply c_prev by f.",
        lambda f, i, c_tilde, c_prev: c_prev + i * c_tilde,
    ),
    Mistake(
        "input gate missing",
        "The candidate is written only as far as the input gate lets it: "
        "i * c_tilde, not c_tilde alone.",
        lambda f, i, c_tilde, c_prev: f * c_prev + c_tilde,
    ),
]


def check_cell_state(cell_state):
    """Check ``cell_state(f, i, c_tilde, c_prev) -> c_t``, all (H, N)."""
    return run_check(
        "check_cell_state", cell_state, cs.cell_state,
        gate_values(400, ("f", "i", "c_tilde", "c_prev")), CELL_STATE_MISTAKES,
        generic_hint="Write c_t = f_t * c_{t-1} + i_t * c~_t with * elementwise.",
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
        "After k steps the state is sigma(b)^k c, so sigma(b)^k = fraction: the gate "
        "keeps fraction ** (1 / k) per step, not fraction ** k.",
        lambda fraction, steps: _logit(fraction ** steps),
    ),
    Mistake(
        "steps ignored",
        "That bias keeps the fraction after one step; after k steps only "
        "fraction^k is left. Take the k-th root first: fraction ** (1 / steps).",
        lambda fraction, steps: _logit(np.asarray(fraction, dtype=float)),
    ),
    Mistake(
        "logit missing",
        "fraction ** (1 / steps) is the gate's value per step; the bias b is what "
        "gives that value: solve sigma(b) = value, b = log(value / (1 - value)).",
        lambda fraction, steps: fraction ** (1 / steps),
    ),
    Mistake(
        "log instead of logit",
        "sigma(b) = f gives b = log(f / (1 - f)), not log(f).",
        lambda fraction, steps: np.log(fraction ** (1 / steps)),
    ),
    Mistake(
        "logit divided by steps",
        "The k-th root applies to the fraction kept, before the logit: "
        "logit(fraction ** (1 / k)), not logit(fraction) / k.",
        lambda fraction, steps: _logit(fraction) / steps,
    ),
]


def check_forget_bias_for(forget_bias_for):
    """Check ``forget_bias_for(fraction, steps) -> b`` with ``sigmoid(b)**steps == fraction``."""
    return run_check(
        "check_forget_bias_for", forget_bias_for, cs.forget_bias_for, _bias_for_cases(),
        FORGET_BIAS_MISTAKES,
        generic_hint="Check your answer: sigmoid(b) ** steps should give the fraction back.",
    )
