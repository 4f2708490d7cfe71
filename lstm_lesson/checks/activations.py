"""Checkers for chapter 2: a stable sigmoid and the two derivatives."""

import numpy as np

from .pristine import activations
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction

__all__ = ["check_sigmoid", "check_sigmoid_derivative", "check_tanh_derivative",
           "check_naive_zero", "check_log_sigmoid"]


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


# -- Chapter 2, predict: where the textbook sigmoid returns exactly 0 -----------

#: The input of the prediction: the naive sigmoid at x = -100 in both precisions.
NAIVE_ZERO_AT = -100.0


def _naive_zero():
    """Which precision's textbook sigmoid returns exactly 0 at NAIVE_ZERO_AT:
    "float32", "float64", "both" or "neither"."""
    zero = {}
    with np.errstate(over="ignore"):
        for dtype in (np.float32, np.float64):
            value = activations.naive_sigmoid(np.array(NAIVE_ZERO_AT, dtype=dtype))
            zero[np.dtype(dtype).name] = bool(value == 0)
    if all(zero.values()):
        return "both"
    return next((name for name, is_zero in zero.items() if is_zero), "neither")


NAIVE_ZERO_PREDICTIONS = [
    WrongPrediction(
        "float64", "float64",
        "float64 has the wider range, so it is the last of the two to overflow, not "
        "the first.",
        "exp(100) is about 2.7e43: too large for float32 (largest about 3.4e38), small "
        "for float64. In float32 the formula gives 1 / (1 + inf) = 0.",
    ),
    WrongPrediction(
        "both", "both",
        "In one of the two precisions the exponential of 100 still fits, and the "
        "formula then returns a tiny number, not zero.",
        "In float64, 1 / (1 + exp(100)) is about 3.7e-44; only float32, where exp(100) "
        "overflows to inf, gives exactly 0.",
    ),
    WrongPrediction(
        "neither", "neither",
        "Where the exponential overflows to infinity, the formula divides one by "
        "infinity: NumPy warns, but still returns a number.",
        "1 / (1 + inf) is exactly 0.0: float32 returns it at x = -100 (with a "
        "RuntimeWarning), float64 returns about 3.7e-44.",
    ),
]


def check_naive_zero(my_prediction, hint=1):
    """Check a prediction: at x = -100, which precision's textbook sigmoid returns
    exactly 0? One of "float32", "float64", "both", "neither" (chapter 2)."""
    return run_prediction(
        "check_naive_zero", my_prediction, _naive_zero(), NAIVE_ZERO_PREDICTIONS,
        generic_hint="Write one of the words float32, float64, both or neither, after "
        "comparing 100 with the two overflow thresholds printed above.",
        generic_fix="exp(100) overflows in float32 (above 88.72) but not in float64 "
        "(above 709.78); an overflow makes the formula 1 / (1 + inf) = 0.",
        hint=hint,
    )


# -- Chapter 2, find the bug: the log of the stable sigmoid ---------------------

def _log_sigmoid(x):
    """The reference: log sigma(x) = min(x, 0) - log(1 + exp(-|x|)), in the
    input's precision; nothing overflows, and nothing underflows before the log."""
    x = np.asarray(x)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _log_sigmoid_cases():
    """Random inputs, then the edges, each telling one mistake apart: float32 at
    -100 (the log of an underflowing sigmoid loses digits, the textbook form
    overflows), -1000 (the sigmoid is 0: log gives -inf), +1000, and +50, where
    log sigma(x) is about -1.9e-22 and log(1 + e) rounds it to 0. Random float32
    inputs come last: there log(1 + e) is also off, as the textbook form is."""
    rng = np.random.default_rng(4)
    return [
        Case("random normal, shape (5, 3), float64", (rng.standard_normal((5, 3)),)),
        Case("x = 0.0", (np.array(0.0),)),
        Case("x = -100.0 (float32)", (np.array(-100.0, dtype=np.float32),)),
        Case("x = -1000.0 (float64)", (np.array(-1000.0),)),
        Case("x = 1000.0 (float64)", (np.array(1000.0),)),
        Case("x = 50.0 (float64), log sigma(x) about -1.9e-22", (np.array(50.0),)),
        Case("x = linspace(-1000, 1000, 9), float64", (np.linspace(-1000, 1000, 9),)),
        Case("random, shape (4, 1), float32", ((rng.standard_normal((4, 1)) * 3).astype(np.float32),)),
    ]


LOG_SIGMOID_MISTAKES = [
    # Before the given bug: at x = 50 both give 0, and this one passes every
    # earlier case, so it is the better explanation there.
    Mistake(
        "log instead of log1p",
        "Close: for large positive x the small number added to one is lost before the "
        "logarithm sees it. NumPy has a logarithm made for one plus a small number.",
        "Use np.log1p(e), not np.log(1 + e): np.minimum(x, 0) - np.log1p(e).",
        lambda x: np.minimum(x, 0) - np.log(1 + np.exp(-np.abs(x))),
    ),
    Mistake(
        "log of the sigmoid",
        "The bug is still there: the sigmoid underflows to 0 (or to a number with few "
        "digits) for very negative x before the logarithm sees it. Take the log first, "
        "on paper, and simplify.",
        "log sigma(x) = -log(1 + exp(-x)); written with e = np.exp(-np.abs(x)) it is "
        "np.minimum(x, 0) - np.log1p(e), which never underflows or overflows.",
        lambda x: np.log(activations.sigmoid(x)),
    ),
    Mistake(
        "textbook formula",
        "The form on paper overflows: the exponential of minus x is infinite for very "
        "negative x (NumPy warns). Build it from the exponential of minus the absolute "
        "value, as the stable sigmoid is.",
        "Use e = np.exp(-np.abs(x)) and np.minimum(x, 0) - np.log1p(e), not "
        "-np.log(1 + np.exp(-x)).",
        lambda x: -np.log1p(np.exp(-x)),
        variants=(lambda x: -np.log(1 + np.exp(-x)),),
    ),
    Mistake(
        "np.where evaluates both branches",
        "Right values, but NumPy warned: where computes both branches for every "
        "element before choosing, and the branch it throws away overflows.",
        "Compute e = np.exp(-np.abs(x)) once; then no branch is needed: "
        "np.minimum(x, 0) - np.log1p(e).",
        lambda x: np.where(x >= 0, -np.log1p(np.exp(-x)), x - np.log1p(np.exp(x))),
    ),
    Mistake(
        "log(1 - sigma(x))",
        "Your values are the log of one minus the sigmoid: they fall as x grows, while "
        "the log of the sigmoid rises towards 0.",
        "log sigma(x) = np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))): the minimum is "
        "of x and 0, not of -x and 0.",
        lambda x: np.minimum(-x, 0) - np.log1p(np.exp(-np.abs(x))),
    ),
    Mistake(
        "maximum instead of minimum",
        "For large positive x the log of the sigmoid goes to 0, and for very negative x "
        "it follows x: check which of x and 0 you keep.",
        "Use np.minimum(x, 0), not np.maximum(x, 0).",
        lambda x: np.maximum(x, 0) - np.log1p(np.exp(-np.abs(x))),
    ),
    Mistake(
        "float32 promoted to float64",
        "A float32 input came back as float64: a conversion or a float64 constant "
        "widened it. Keep the input's precision.",
        "Use NumPy operations on x itself (np.minimum(x, 0), np.exp(-np.abs(x))), "
        "without .astype(np.float64) or float64 array constants.",
        lambda x: _log_sigmoid(np.asarray(x, dtype=np.float64)),
    ),
]


def check_log_sigmoid(log_sigmoid, hint=1):
    """Check a repaired ``log_sigmoid(x)``: log sigma(x) for an array of any shape.

    It must match to 1e-6 relative error (also where the value is about 1e-22),
    for |x| up to 1000, keep float32 as float32, and never make NumPy warn.
    """
    return run_check(
        "check_log_sigmoid", log_sigmoid, _log_sigmoid, _log_sigmoid_cases(),
        LOG_SIGMOID_MISTAKES,
        generic_hint="Try your function at 0, -1000 and 50: the log of the sigmoid is "
        "about -0.693, -1000 and -1.9e-22 there.",
        generic_fix="log sigma(x) = -log(1 + exp(-x)) = min(x, 0) - log(1 + exp(-|x|)): "
        "np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))).",
        check_dtype=True, rtol=1e-6, atol=0.0, hint=hint,
    )
