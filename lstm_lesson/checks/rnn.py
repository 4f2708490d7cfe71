"""Checker for chapter 1: the Jacobian of one plain-RNN step."""

import numpy as np

from .core import Case, Mistake, run_check
from .pristine import rnn

__all__ = ["check_rnn_jacobian"]


def _cases():
    """Random states, then the edges: h_t = 0 (slope 1) and saturated h_t = +-1."""
    cases = []
    for k, H in enumerate([1, 3, 4]):
        rng = np.random.default_rng(200 + k)
        h_t = rng.uniform(-0.95, 0.95, (H, 1))
        W_h = rng.standard_normal((H, H))
        cases.append(Case(f"H={H}", (h_t, W_h)))
    W_h = np.random.default_rng(210).standard_normal((3, 3))
    cases.append(Case("H=3, h_t = 0", (np.zeros((3, 1)), W_h)))
    cases.append(Case("H=3, h_t saturated (1, -1, 0.5)", (np.array([[1.0], [-1.0], [0.5]]), W_h)))
    return cases


#: The Jacobian, broadcast: row j of W_h scaled by 1 - h_t[j]^2.
JACOBIAN_FIX = "(1 - h_t**2) * W_h"

RNN_JACOBIAN_MISTAKES = [
    Mistake(
        "np.diag of a column",
        "NumPy's diag of an (H, 1) array returns its diagonal, a single number, not "
        "a diagonal matrix.",
        f"Use np.diag(h_t[:, 0]) ... or simply broadcast: {JACOBIAN_FIX} scales row j "
        "by 1 - h_t[j]^2.",
        lambda h_t, W_h: np.diag(1 - h_t**2) @ W_h,
        variants=(lambda h_t, W_h: np.diag(1 - h_t**2) * W_h,
                  lambda h_t, W_h: np.dot(np.diag(1 - h_t**2), W_h)),
    ),
    Mistake(
        "tanh' forgotten",
        "h_t is tanh of a_t, so the chain rule brings tanh's derivative: yours is "
        "missing.",
        f"diag(1 - h_t^2) W_h, not W_h alone: {JACOBIAN_FIX}.",
        lambda h_t, W_h: W_h,
    ),
    Mistake(
        "diag on the right",
        "The diagonal multiplies from the left: it scales the rows of W_h (output "
        "unit j), not its columns.",
        f"Broadcast the column (H, 1): {JACOBIAN_FIX}, not W_h * (1 - h_t**2).T.",
        lambda h_t, W_h: W_h * (1 - h_t**2).T,
    ),
    Mistake(
        "square missing",
        "Close: look at the power of h_t in tanh's derivative.",
        f"tanh'(a) = 1 - tanh(a)^2 = 1 - h_t^2: {JACOBIAN_FIX}.",
        lambda h_t, W_h: (1 - h_t) * W_h,
    ),
    Mistake(
        "sigmoid's derivative",
        "That is the sigmoid's derivative; the RNN squashes with tanh.",
        f"{JACOBIAN_FIX}, not h_t * (1 - h_t) * W_h.",
        lambda h_t, W_h: h_t * (1 - h_t) * W_h,
    ),
    Mistake(
        "W_h transposed",
        "Entry (j, k) is the derivative of h_t[j] by h_{t-1}[k]: it uses W_h as it "
        "is, not transposed.",
        f"{JACOBIAN_FIX}, not (1 - h_t**2) * W_h.T.",
        lambda h_t, W_h: (1 - h_t**2) * W_h.T,
    ),
]


def check_rnn_jacobian(rnn_jacobian_fn, hint=1):
    """Check ``rnn_jacobian(h_t, W_h) -> (H, H)`` for h_t (H, 1), W_h (H, H)."""
    return run_check(
        "check_rnn_jacobian", rnn_jacobian_fn, rnn.rnn_jacobian, _cases(),
        RNN_JACOBIAN_MISTAKES,
        generic_hint="The Jacobian is an (H, H) matrix: tanh's derivative at each "
        "unit, times the row of W_h that feeds it.",
        generic_fix=f"dh_t/dh_{{t-1}} = diag(1 - h_t^2) W_h: {JACOBIAN_FIX}.",
        hint=hint,
    )
