"""Checker for chapter 9's gradient checker: central differences.

The reference is not another finite difference but the exact gradient of
each test function, so the tolerance separates the methods: a central
difference with eps = 1e-5 is off by about 1e-10, a one-sided one by about
eps |f''| / 2, some 1e-6.
"""

import numpy as np

from .core import Case, Mistake, run_check
from .pristine import backward, cell, fused

__all__ = ["check_numerical_gradient"]


class _Scalar:
    """A scalar test function of an array that also knows its exact gradient."""

    def __init__(self, name, value, gradient):
        self.name, self._value, self._gradient = name, value, gradient

    def __call__(self, x):
        return self._value(np.asarray(x, dtype=np.float64))

    def gradient(self, x):
        return self._gradient(np.asarray(x, dtype=np.float64))

    def __repr__(self):
        return self.name


def _lstm_loss(seed):
    """L(W) = sum(dh * h_t) + sum(dc * c_t) of one cell step, as a function of W."""
    rng = np.random.default_rng(seed)
    W, b = fused.init_fused(2, 2, seed=seed)
    x_t, h_prev, c_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    dh, dc = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))

    def value(W):
        h_t, c_t, _ = cell.cell_forward(x_t, h_prev, c_prev, W, b)
        return float(np.sum(dh * h_t) + np.sum(dc * c_t))

    def gradient(W):
        _, _, cache = cell.cell_forward(x_t, h_prev, c_prev, W, b)
        return backward.cell_backward(dh, dc, cache)[3]

    return _Scalar("one LSTM step's loss as a function of W", value, gradient), W


def _cases():
    rng = np.random.default_rng(930)
    weights = rng.standard_normal((2, 3))
    cubic = _Scalar("sum(x**3) / 3 + sum(sin(x))",
                    lambda x: float(np.sum(x**3) / 3 + np.sum(np.sin(x))),
                    lambda x: x**2 + np.cos(x))
    mixed = _Scalar("sum(w * exp(x)) + prod(x)",
                    lambda x: float(np.sum(weights * np.exp(x)) + np.prod(x)),
                    lambda x: weights * np.exp(x) + np.prod(x) / x)
    single = _Scalar("tanh(3 x)", lambda x: float(np.sum(np.tanh(3 * x))),
                     lambda x: 3 * (1 - np.tanh(3 * x) ** 2))
    lstm, W = _lstm_loss(931)
    return [
        Case("f = sum(x**3) / 3 + sum(sin(x)), x of shape (4,), eps = 1e-5",
             (cubic, rng.uniform(-2, 2, 4), 1e-5)),
        Case("f = sum(w * exp(x)) + prod(x), x of shape (2, 3), eps = 1e-5",
             (mixed, rng.uniform(0.5, 1.5, (2, 3)), 1e-5)),
        Case("f = tanh(3 x), x of shape (1, 1), eps = 1e-6", (single, np.array([[0.2]]), 1e-6)),
        Case("f = one LSTM step's loss as a function of W (8, 4), eps = 1e-5", (lstm, W, 1e-5)),
    ]


def _exact(f, x, eps=1e-5):
    """The reference: the exact gradient, which a central difference matches to ~1e-10."""
    return f.gradient(x)


def _differences(kind="central", divisor=2, together=False, restore=True, flat=False,
                 dtype=np.float64):
    """A reader's finite-difference gradient with one slip."""

    def numerical_gradient(f, x, eps=1e-5):
        work = x if not restore else np.array(x, dtype=dtype)
        grad = np.zeros(x.shape, dtype=dtype)
        if together:  # every entry moved at once: a directional derivative
            grad[...] = (f(x + eps) - f(x - eps)) / (2 * eps)
            return grad.ravel() if flat else grad
        for k in np.ndindex(x.shape):
            old = work[k]
            work[k] = old + eps
            plus = f(work)
            work[k] = old - eps if kind != "forward" else old
            minus = f(work)
            if restore:
                work[k] = old
            step = eps if kind == "forward" else divisor * eps
            grad[k] = (plus - minus) / step
        return grad.ravel() if flat else grad

    return numerical_gradient


#: The central difference for one entry k.
CENTRAL_FIX = "grad[k] = (f(x + eps at k) - f(x - eps at k)) / (2 * eps)"

MISTAKES = [
    Mistake(
        "one-sided difference",
        "Your difference is one-sided: its error grows in proportion to eps and the "
        "second derivative, far above the tolerance. Evaluate on both sides of x.",
        f"{CENTRAL_FIX}, whose error shrinks like eps^2.",
        _differences(kind="forward"),
    ),
    Mistake(
        "divided by eps instead of 2 eps",
        "Check the divisor: how far apart are the two points where you evaluate f?",
        "x + eps and x - eps are 2 * eps apart: divide by 2 * eps.",
        _differences(divisor=1),
    ),
    Mistake(
        "every entry perturbed at once",
        "Move one entry at a time, the others unchanged: moving them all gives the "
        "derivative along (1, 1, ...), the same number in every entry.",
        f"for k in np.ndindex(x.shape): change x[k] only; {CENTRAL_FIX}.",
        _differences(together=True),
    ),
    Mistake(
        "perturbation left in x",
        "Each entry must be put back before the next one moves, and the caller's x "
        "must stay untouched.",
        "Work on a copy, x = np.array(x, dtype=float), and set x[k] = old after the "
        "two evaluations.",
        _differences(restore=False),
    ),
    Mistake(
        "gradient flattened",
        "The gradient has x's shape; yours is flat.",
        "grad = np.zeros_like(x), and visit every entry with np.ndindex(x.shape).",
        _differences(flat=True),
    ),
    Mistake(
        "float32 arithmetic",
        "In float32 the rounding error of f, magnified by the division by a small "
        "step, swamps the derivative: compute in float64.",
        "Make the copy of x and the gradient float64: np.array(x, dtype=np.float64).",
        _differences(dtype=np.float32),
    ),
]


def check_numerical_gradient(numerical_gradient, hint=1):
    """Check ``numerical_gradient(f, x, eps=1e-5) -> grad`` (shape of x).

    Compared with the exact gradient of four functions (a vector, a matrix, a
    single entry, and one LSTM step's loss as a function of W) to within 1e-7
    relative: close enough that a one-sided difference fails.
    """
    return run_check(
        "check_numerical_gradient", numerical_gradient, _exact, _cases(), MISTAKES,
        generic_hint="For each entry: remember it, evaluate f a step above and a step "
        "below, put it back, and divide the difference by the distance between the "
        "two points.",
        generic_fix="old = x[k]; x[k] = old + eps; up = f(x); x[k] = old - eps; "
        "down = f(x); x[k] = old; grad[k] = (up - down) / (2 * eps).",
        rtol=1e-7, atol=1e-9, hint=hint,
    )
