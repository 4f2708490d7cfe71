"""The two squashing functions of the LSTM and their derivatives (chapter 2).

``sigmoid`` squashes a gate's pre-activation into (0, 1): how much to let
through. ``tanh`` squashes the candidate and the cell state into (-1, 1).
All functions are elementwise: any shape in, the same shape out, and float32
stays float32.
"""

import numpy as np

from .shapes import as_float_array

__all__ = [
    "sigmoid",
    "naive_sigmoid",
    "tanh",
    "sigmoid_derivative",
    "tanh_derivative",
    "logit",
]


def naive_sigmoid(x):
    """The textbook formula ``1 / (1 + exp(-x))``, kept to show why it fails.

    For large negative ``x``, ``exp(-x)`` overflows to ``inf`` (from x = -710 in
    float64, x = -89 in float32) and NumPy warns, although the answer, 0, is
    perfectly representable. Use :func:`sigmoid` instead.
    """
    x = as_float_array("x", x)
    return 1 / (1 + np.exp(-x))


def sigmoid(x):
    """Numerically stable logistic sigmoid, sigma(x) = 1 / (1 + exp(-x)).

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations. Integers are promoted to float64.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``, values in [0, 1].

    Only ``exp(-|x|)`` is ever computed, which lies in (0, 1], so nothing can
    overflow: for x >= 0 we use 1 / (1 + e), for x < 0 the equal form
    e / (1 + e) with e = exp(-|x|) = exp(x).
    """
    x = as_float_array("x", x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def tanh(x):
    """Hyperbolic tangent, tanh(x) = 2 sigma(2x) - 1, elementwise.

    ``np.tanh`` is already stable for any input; this wrapper only adds the
    type check shared by the package. Same shape and float dtype as ``x``.
    """
    return np.tanh(as_float_array("x", x))


def sigmoid_derivative(x):
    """d sigma(x) / dx = sigma(x) (1 - sigma(x)), evaluated at ``x``.

    The argument is the pre-activation ``x``; the formula is applied to the
    sigmoid's *output*. Since 1 - sigma(x) = sigma(-x) exactly, we compute
    sigma(x) sigma(-x): the subtraction 1 - s would cancel for large x (s is
    within an ulp of 1) and lose every significant digit of a tiny result.
    Same shape and float dtype as ``x``.
    """
    x = as_float_array("x", x)
    return sigmoid(x) * sigmoid(-x)


def tanh_derivative(x):
    """d tanh(x) / dx = 1 - tanh(x)^2, evaluated at the pre-activation ``x``.

    For large |x|, tanh(x)^2 is within an ulp of 1 and 1 - t^2 cancels, so we
    use the equal form 1 - tanh(x)^2 = sech(x)^2 = 4 e / (1 + e)^2 with
    e = exp(-2|x|) in (0, 1]: no cancellation and no overflow. Same shape and
    float dtype as ``x``.
    """
    x = as_float_array("x", x)
    e = np.exp(-2 * np.abs(x))
    return 4 * e / (1 + e) ** 2


def logit(p):
    """The sigmoid's inverse, ``logit(p) = log(p / (1 - p))``, for p in (0, 1).

    The pre-activation (a bias, with the weights at zero) that opens a gate to
    ``p``: ``sigmoid(logit(p)) == p``. Same shape as ``p``; values outside
    (0, 1) raise ``ValueError``.
    """
    p = as_float_array("p", p)
    if np.any(~((p > 0) & (p < 1))):
        raise ValueError(f"p: expected values in (0, 1), received {p}")
    return np.log(p) - np.log1p(-p)  # log1p keeps digits for p near 0
