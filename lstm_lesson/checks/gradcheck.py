"""Checker for chapter 9's gradient checker: central differences.

The reference is not another finite difference but the exact gradient of
each test function, so the tolerance separates the methods: a central
difference with eps = 1e-5 is off by about 1e-10, a one-sided one by about
eps |f''| / 2, some 1e-6.
"""

import numpy as np

from ..cell import cell_forward
from ..backward import cell_backward
from ..fused import init_fused
from .core import Case, Mistake, run_check

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
    W, b = init_fused(2, 2, seed=seed)
    x_t, h_prev, c_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    dh, dc = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))

    def value(W):
        h_t, c_t, _ = cell_forward(x_t, h_prev, c_prev, W, b)
        return float(np.sum(dh * h_t) + np.sum(dc * c_t))

    def gradient(W):
        _, _, cache = cell_forward(x_t, h_prev, c_prev, W, b)
        return cell_backward(dh, dc, cache)[3]

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


MISTAKES = [
    Mistake(
        "one-sided difference",
        "(f(x + eps) - f(x)) / eps is off by about eps * f''(x) / 2. Evaluate on both "
        "sides: (f(x + eps) - f(x - eps)) / (2 * eps), whose error shrinks like eps^2.",
        _differences(kind="forward"),
    ),
    Mistake(
        "divided by eps instead of 2 eps",
        "The two points x + eps and x - eps are 2 * eps apart: divide by 2 * eps.",
        _differences(divisor=1),
    ),
    Mistake(
        "every entry perturbed at once",
        "Move one entry at a time (x[k] + eps, all others unchanged): moving all of "
        "them gives the derivative along (1, 1, ...), the same number in every entry.",
        _differences(together=True),
    ),
    Mistake(
        "perturbation left in x",
        "Put each entry back (x[k] = old) before moving on to the next one, and work "
        "on a copy (x = np.array(x, dtype=float)) so the caller's x is untouched.",
        _differences(restore=False),
    ),
    Mistake(
        "gradient flattened",
        "Return the gradient in x's shape: np.zeros_like(x) (or x.shape) for the "
        "result, and np.ndindex(x.shape) to visit every entry.",
        _differences(flat=True),
    ),
    Mistake(
        "float32 arithmetic",
        "In float32 the rounding error of f is about 1e-7 |f|, and dividing by 2 eps "
        "magnifies it to ~1e-2: compute in float64.",
        _differences(dtype=np.float32),
    ),
]


def check_numerical_gradient(numerical_gradient):
    """Check ``numerical_gradient(f, x, eps=1e-5) -> grad`` (shape of x).

    Compared with the exact gradient of four functions (a vector, a matrix, a
    single entry, and one LSTM step's loss as a function of W) to within 1e-7
    relative: close enough that a one-sided difference fails.
    """
    return run_check(
        "check_numerical_gradient", numerical_gradient, _exact, _cases(), MISTAKES,
        generic_hint="For each entry k: remember x[k], set x[k] = old + eps and "
        "evaluate f, set x[k] = old - eps and evaluate f, restore x[k], and divide "
        "the difference by 2 * eps.",
        rtol=1e-7, atol=1e-9,
    )
