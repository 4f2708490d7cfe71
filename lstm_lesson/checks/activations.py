"""Checkers for chapter 2: a stable sigmoid and the two derivatives."""

import numpy as np

from .pristine import activations
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
        "The textbook formula overflows for large negative x: exp(-x) is inf there "
        "(NumPy warns). Find a form that only ever takes exp of a number that is "
        "not positive.",
        "Compute e = np.exp(-np.abs(x)), which never exceeds 1, and use 1 / (1 + e) "
        "for x >= 0 and e / (1 + e) for x < 0.",
        _naive_sigmoid,
    ),
    Mistake(
        "sign of the exponent",
        "You computed sigma(-x): your values fall as x grows, but the sigmoid rises "
        "towards 1. Check the sign inside exp, and which branch gets which form.",
        "sigma(x) = 1 / (1 + exp(-x)): with e = np.exp(-np.abs(x)), use 1 / (1 + e) "
        "for x >= 0 and e / (1 + e) for x < 0.",
        lambda x: 1 / (1 + np.exp(x)),
    ),
    Mistake(
        "np.where evaluates both branches",
        "Choosing between two branches comes too late: NumPy's where computes both "
        "branches for every element before choosing, so the branch it throws away "
        "still overflows.",
        "Compute e = np.exp(-np.abs(x)) once and build both branches from it: "
        "np.where(x >= 0, 1 / (1 + e), e / (1 + e)).",
        lambda x: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))),
    ),
    Mistake(
        "exp(x) / (1 + exp(x)) everywhere",
        "That form is right only for negative x: for large positive x it divides "
        "inf by inf, which gives nan.",
        "Use exp(x) / (1 + exp(x)) only for x < 0 and 1 / (1 + exp(-x)) for x >= 0, "
        "both written with e = np.exp(-np.abs(x)).",
        lambda x: np.exp(x) / (1 + np.exp(x)),
    ),
    Mistake(
        "float32 promoted to float64",
        "A float32 input came back as float64: a float64 constant, a conversion or "
        "a Python math function widened it somewhere. Keep the input's precision.",
        "Use NumPy operations on x itself: no .astype(np.float64), math.exp, "
        "np.vectorize or float64 array constants (Python numbers such as 1 are fine: "
        "1 + e stays float32).",
        lambda x: activations.sigmoid(np.asarray(x, dtype=np.float64)),
    ),
    Mistake(
        "Python if on an array",
        "x is an array: an if statement asks one yes/no question about all its "
        "elements, which NumPy refuses. Choose element by element instead.",
        "Choose per element with np.where(x >= 0, ..., ...), after computing "
        "e = np.exp(-np.abs(x)).",
        lambda x: _scalar_sigmoid(x),
    ),
    Mistake(
        "tanh form loses the tails",
        "The tanh form is exact on paper but cancels to 0 for very negative x "
        "(below about -17 in float32, -38 in float64), where the sigmoid is tiny "
        "but still representable.",
        "For x < 0 use e / (1 + e) with e = np.exp(x): 0.5 * (1 + np.tanh(x / 2)) "
        "subtracts two nearly equal numbers there.",
        lambda x: 0.5 * (1 + np.tanh(x / 2)),
    ),
]

SIGMOID_DERIVATIVE_MISTAKES = [
    Mistake(
        "formula applied to x",
        "You applied the derivative's formula to the input x; the formula takes "
        "the sigmoid's value at x.",
        "s = sigmoid(x), then return s * (1 - s).",
        lambda x: x * (1 - x),
    ),
    Mistake(
        "tanh's form",
        "That is the form of tanh's derivative, not the sigmoid's.",
        "sigma'(x) = s * (1 - s) with s = sigmoid(x), not 1 - s**2.",
        lambda x: 1 - activations.sigmoid(x) ** 2,
    ),
    Mistake(
        "sigma itself",
        "You returned the sigmoid itself, not its derivative.",
        "sigma'(x) = sigma(x) * (1 - sigma(x)): s = sigmoid(x); return s * (1 - s).",
        activations.sigmoid,
    ),
    Mistake(
        "unstable quotient",
        "Your quotient is right on paper but gives inf over inf, so nan, for large "
        "negative x. Express the derivative through the sigmoid itself.",
        "Reuse a stable sigmoid: s = sigmoid(x); return s * (1 - s).",
        lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
    ),
]

TANH_DERIVATIVE_MISTAKES = [
    Mistake(
        "formula applied to x",
        "You applied the derivative's formula to the input x; the formula takes "
        "tanh's value at x.",
        "t = np.tanh(x), then return 1 - t**2.",
        lambda x: 1 - x**2,
    ),
    Mistake(
        "square missing",
        "Close: look at the power of tanh in the derivative.",
        "tanh'(x) = 1 - tanh(x)^2: return 1 - np.tanh(x)**2.",
        lambda x: 1 - np.tanh(x),
    ),
    Mistake(
        "sigmoid's form",
        "That is the form of the sigmoid's derivative, not tanh's.",
        "tanh'(x) = 1 - t**2 with t = np.tanh(x), not t * (1 - t).",
        lambda x: np.tanh(x) * (1 - np.tanh(x)),
    ),
    Mistake(
        "cosh overflows",
        "Your formula is right on paper, but cosh overflows for |x| above about 710 "
        "(NumPy warns). Express the derivative through tanh, which never overflows.",
        "Return 1 - np.tanh(x)**2 instead of 1 / np.cosh(x)**2.",
        lambda x: 1 / np.cosh(x) ** 2,
    ),
]


def check_sigmoid(sigmoid, hint=1):
    """Check a reader's stable sigmoid (``hint=2`` also shows the fix).

    It must match sigma(x) = 1 / (1 + exp(-x)) to 1e-6 relative error on
    random and extreme inputs (|x| up to 1000), keep float32 as float32, keep
    the shape, and never trigger a NumPy floating-point warning.
    """
    return run_check(
        "check_sigmoid", sigmoid, activations.sigmoid, _cases(),
        SIGMOID_MISTAKES,
        generic_hint="Try your function at 0, 1000 and -1000: the sigmoid gives 0.5, "
        "1.0 and 0.0 there.",
        generic_fix="sigma(x) = 1 / (1 + exp(-x)), computed from e = np.exp(-np.abs(x)): "
        "1 / (1 + e) for x >= 0, e / (1 + e) for x < 0.",
        check_dtype=True, rtol=1e-6, hint=hint,
    )


def check_sigmoid_derivative(sigmoid_derivative, hint=1):
    """Check d sigma/dx at the pre-activation x, on the same cases as sigmoid.

    The absolute tolerance 1e-7 lets a float32 input be answered in float32
    or in float64 (float32 rounds 1 - sigma(x) to about 6e-8).
    """
    return run_check(
        "check_sigmoid_derivative", sigmoid_derivative,
        activations.sigmoid_derivative, _cases(), SIGMOID_DERIVATIVE_MISTAKES,
        generic_hint="Try your function at 0, where the sigmoid's slope is 0.25, and "
        "far out (1000 or -1000), where it is 0.",
        generic_fix="sigma'(x) = sigma(x) (1 - sigma(x)): s = sigmoid(x); "
        "return s * (1 - s).",
        rtol=1e-5, atol=1e-7, hint=hint,
    )


def check_tanh_derivative(tanh_derivative, hint=1):
    """Check d tanh/dx at the pre-activation x, on the same cases as sigmoid."""
    return run_check(
        "check_tanh_derivative", tanh_derivative,
        activations.tanh_derivative, _cases(), TANH_DERIVATIVE_MISTAKES,
        generic_hint="Try your function at 0, where tanh's slope is 1, and far out "
        "(1000 or -1000), where it is 0.",
        generic_fix="tanh'(x) = 1 - tanh(x)^2: return 1 - np.tanh(x)**2.",
        rtol=1e-5, atol=1e-7, hint=hint,
    )
