"""Checkers for chapter 2: a stable sigmoid and the two derivatives."""

import numpy as np

from .. import activations
from .core import Case, Mistake, run_check

__all__ = ["check_sigmoid", "check_sigmoid_derivative", "check_tanh_derivative"]


def _cases():
    """Fixed-seed random inputs first, then the edges where formulas break.

    Scalars at +1000 come before -1000 so that each overflow mistake fails on
    the case that tells it apart from the others.
    """
    rng = np.random.default_rng(2)
    return [
        Case("random normal, shape (5, 3), float64", (rng.standard_normal((5, 3)),)),
        Case("random, shape (4, 1), float32", ((rng.standard_normal((4, 1)) * 3).astype(np.float32),)),
        Case("x = 0.0", (np.array(0.0),)),
        Case("x = 1000.0 (float64)", (np.array(1000.0),)),
        Case("x = -1000.0 (float64)", (np.array(-1000.0),)),
        Case("x = -100.0 (float32)", (np.array(-100.0, dtype=np.float32),)),
        Case("x = 100.0 (float32)", (np.array(100.0, dtype=np.float32),)),
        Case("x = linspace(-1000, 1000, 9), float64", (np.linspace(-1000, 1000, 9),)),
        Case("x = linspace(-50, 50, 11), float32", (np.linspace(-50, 50, 11, dtype=np.float32),)),
    ]


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _scalar_sigmoid(x):
    # A reader's scalar code applied to an array: the `if` raises ValueError.
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


SIGMOID_MISTAKES = [
    Mistake(
        "naive formula",
        "1 / (1 + np.exp(-x)) overflows: for x = -1000, exp(1000) is inf. Compute "
        "e = np.exp(-np.abs(x)), which never exceeds 1, and use 1 / (1 + e) for "
        "x >= 0 and e / (1 + e) for x < 0.",
        _naive_sigmoid,
    ),
    Mistake(
        "sign of the exponent",
        "You computed sigma(-x): sigma(x) = 1 / (1 + exp(-x)) tends to 1 as x grows. "
        "Check the sign inside exp (and which branch gets which form).",
        lambda x: 1 / (1 + np.exp(x)),
    ),
    Mistake(
        "np.where evaluates both branches",
        "np.where(cond, a, b) computes a and b for every element before choosing, "
        "so exp(x) or exp(-x) still overflows in the branch it throws away. "
        "Compute e = np.exp(-np.abs(x)) once and build both branches from e.",
        lambda x: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))),
    ),
    Mistake(
        "exp(x) / (1 + exp(x)) everywhere",
        "exp(x) / (1 + exp(x)) is inf / inf = nan for large positive x; it is the "
        "right form only for x < 0. Use 1 / (1 + exp(-x)) for x >= 0.",
        lambda x: np.exp(x) / (1 + np.exp(x)),
    ),
    Mistake(
        "float32 promoted to float64",
        "Keep the input's precision: float32 in, float32 out. A float64 array "
        "constant, .astype(np.float64), math.exp or np.vectorize all return "
        "float64; use NumPy operations on x itself.",
        lambda x: activations.sigmoid(np.asarray(x, dtype=np.float64)),
    ),
    Mistake(
        "Python if on an array",
        "x is an array: `if x >= 0:` asks one yes/no question about all its "
        "elements, which NumPy refuses. Choose per element with "
        "np.where(x >= 0, ..., ...), after computing e = np.exp(-np.abs(x)).",
        lambda x: _scalar_sigmoid(x),
    ),
    Mistake(
        "tanh form loses the tails",
        "0.5 (1 + tanh(x / 2)) is exact on paper, but 1 + tanh(x / 2) cancels to 0 "
        "once tanh(x / 2) rounds to -1 (x < -17 in float32, x < -38 in float64), "
        "while sigma(x) = exp(x) there is still representable. Use e / (1 + e) "
        "with e = exp(x) for x < 0.",
        lambda x: 0.5 * (1 + np.tanh(x / 2)),
    ),
]

SIGMOID_DERIVATIVE_MISTAKES = [
    Mistake(
        "formula applied to x",
        "sigma'(x) = sigma(x) (1 - sigma(x)): apply the formula to s = sigma(x), "
        "not to x itself.",
        lambda x: x * (1 - x),
    ),
    Mistake(
        "tanh's form",
        "1 - s^2 is the form of tanh's derivative; the sigmoid's is s (1 - s) "
        "with s = sigma(x).",
        lambda x: 1 - activations.sigmoid(x) ** 2,
    ),
    Mistake(
        "sigma itself",
        "You returned sigma(x); its derivative is sigma(x) (1 - sigma(x)).",
        activations.sigmoid,
    ),
    Mistake(
        "unstable quotient",
        "exp(-x) / (1 + exp(-x))^2 is right on paper but gives inf / inf = nan for "
        "large negative x. Reuse a stable sigmoid: s = sigmoid(x); s * (1 - s).",
        lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
    ),
]

TANH_DERIVATIVE_MISTAKES = [
    Mistake(
        "formula applied to x",
        "tanh'(x) = 1 - tanh(x)^2: apply it to t = np.tanh(x), not to x itself.",
        lambda x: 1 - x**2,
    ),
    Mistake(
        "square missing",
        "The derivative is 1 - tanh(x)^2: the tanh is squared.",
        lambda x: 1 - np.tanh(x),
    ),
    Mistake(
        "sigmoid's form",
        "t (1 - t) is the form of the sigmoid's derivative; tanh's is 1 - t^2 "
        "with t = tanh(x).",
        lambda x: np.tanh(x) * (1 - np.tanh(x)),
    ),
    Mistake(
        "cosh overflows",
        "1 / cosh(x)^2 is right on paper, but cosh overflows for |x| > 710 "
        "(NumPy warns). Use 1 - np.tanh(x)**2, which never overflows.",
        lambda x: 1 / np.cosh(x) ** 2,
    ),
]


def check_sigmoid(sigmoid):
    """Check a reader's stable sigmoid.

    It must match sigma(x) = 1 / (1 + exp(-x)) to 1e-6 relative error on
    random and extreme inputs (|x| up to 1000), keep float32 as float32, keep
    the shape, and never trigger a NumPy warning.
    """
    return run_check(
        "check_sigmoid", sigmoid, activations.sigmoid, _cases(),
        SIGMOID_MISTAKES,
        generic_hint="sigma(x) = 1 / (1 + exp(-x)); test your function at "
        "x = 0 (0.5), x = 1000 (1.0) and x = -1000 (0.0).",
        check_dtype=True, rtol=1e-6,
    )


def check_sigmoid_derivative(sigmoid_derivative):
    """Check d sigma/dx at the pre-activation x, on the same cases as sigmoid.

    The absolute tolerance 1e-7 lets a float32 input be answered in float32
    or in float64 (float32 rounds 1 - sigma(x) to about 6e-8).
    """
    return run_check(
        "check_sigmoid_derivative", sigmoid_derivative,
        activations.sigmoid_derivative, _cases(), SIGMOID_DERIVATIVE_MISTAKES,
        generic_hint="sigma'(x) = sigma(x) (1 - sigma(x)); at x = 0 it is 0.25.",
        rtol=1e-5, atol=1e-7,
    )


def check_tanh_derivative(tanh_derivative):
    """Check d tanh/dx at the pre-activation x, on the same cases as sigmoid."""
    return run_check(
        "check_tanh_derivative", tanh_derivative,
        activations.tanh_derivative, _cases(), TANH_DERIVATIVE_MISTAKES,
        generic_hint="tanh'(x) = 1 - tanh(x)^2; at x = 0 it is 1.",
        rtol=1e-5, atol=1e-7,
    )
