"""Gradient checking: compare a backward pass with central differences.

A backward pass is a hand-written derivative, and a wrong one still returns
arrays of the right shape. The check: perturb one entry of an input by
+eps and -eps, evaluate the scalar loss both times, and compare

    (L(x + eps e_k) - L(x - eps e_k)) / (2 eps)

with entry k of the analytic gradient. The error of the central difference
is O(eps^2) from truncation plus about 1e-16 |L| / eps from rounding; with
eps = 1e-5 in float64 both are near 1e-10 relative, far below the 1e-7 that a
correct gradient must reach and far above nothing a wrong one can hide in.

All arrays are float64: in float32 rounding alone is about 1e-7 / eps.
"""

import numpy as np

from .shapes import as_float_array

__all__ = ["numerical_gradient", "relative_error", "gradient_check"]


def numerical_gradient(f, x, eps=1e-5):
    """The gradient of a scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number; ``x`` is an array of any shape.
    x : array_like, any shape
        The point. It is copied to float64 and never modified.
    eps : float
        The step.

    Returns
    -------
    ndarray, shape of ``x``, float64
        Entry k is ``(f(x + eps e_k) - f(x - eps e_k)) / (2 eps)``.
    """
    x = np.array(as_float_array("x", x), dtype=np.float64)  # a private copy
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + eps
        plus = float(f(x.copy()))  # f gets its own copy: it cannot keep ours
        x[k] = old - eps
        minus = float(f(x.copy()))
        x[k] = old
        grad[k] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """``||analytic - numeric|| / (||analytic|| + ||numeric||)``, 0 when both are 0.

    Norms are over the whole array (Frobenius). Normalizing by the array's
    size rather than entry by entry keeps entries that are zero (a saturated
    gate) from dividing rounding noise by nothing.
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"analytic: expected the shape of numeric, {numeric.shape}, "
            f"received {analytic.shape}"
        )
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def gradient_check(loss, inputs, grads, eps=1e-5):
    """Relative error of each analytic gradient against central differences.

    Parameters
    ----------
    loss : callable
        ``loss(**inputs)`` returns the scalar loss.
    inputs : dict of str to array_like
        The point, one array per argument of ``loss``.
    grads : dict of str to array_like
        The analytic gradients to check, keyed like ``inputs`` (a subset).
    eps : float
        The step of :func:`numerical_gradient`.

    Returns
    -------
    dict of str to float
        ``{name: relative_error(grads[name], numerical)}`` in the order of ``grads``.
    """
    inputs = {name: as_float_array(name, value) for name, value in inputs.items()}
    errors = {}
    for name, analytic in grads.items():
        if name not in inputs:
            raise KeyError(f"grads: {name!r} is not one of the inputs {list(inputs)}")
        numeric = numerical_gradient(
            lambda value, name=name: loss(**{**inputs, name: value}), inputs[name], eps
        )
        errors[name] = relative_error(analytic, numeric)
    return errors
