"""Gradient checking: compare a backward pass with central differences.

A backward pass is a hand-written derivative, and a wrong one still returns
arrays of the right shape. The check: perturb one entry of an input by
+eps and -eps, evaluate the scalar loss both times, and compare

    (L(x + eps e_k) - L(x - eps e_k)) / (2 eps)

with entry k of the analytic gradient. Its error is O(eps^2) from truncation
plus about 1e-16 |L| / eps from rounding: near 1e-11 absolute at eps = 1e-5
for a loss of size 1. That is tiny against a gradient of size 1, but not
against one that happens to be 1e-4, where it is already 1e-7 relative.

:func:`gradient_check` therefore uses the four-point central difference

    (-L(x + 2 eps) + 8 L(x + eps) - 8 L(x - eps) + L(x - 2 eps)) / (12 eps)

whose truncation error is O(eps^4), so a larger step, eps = 1e-3, keeps both
errors near 1e-13 absolute; on the chapters' cells the relative errors are
1e-12 or below, some ten to a hundred times below the two-point quotient's
best. Both stencils are central: they sample symmetrically.

All arrays are float64: in float32 rounding alone is about 1e-7 / eps.
"""

import numbers
from collections.abc import Mapping

import numpy as np

from .shapes import as_float_array

__all__ = ["numerical_gradient", "relative_error", "gradient_check"]


#: Offsets (in steps of eps) and weights of the central stencils, per number of points.
STENCILS = {2: ((1, -1), (1 / 2, -1 / 2)),
            4: ((2, 1, -1, -2), (-1 / 12, 8 / 12, -8 / 12, 1 / 12))}


def numerical_gradient(f, x, eps=1e-5, points=2):
    """The gradient of a scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number; ``x`` is an array of any shape.
    x : array_like, any shape
        The point. It is copied to float64 (float32 rounding would swamp the
        difference quotient) and never modified.
    eps : float
        The step.
    points : {2, 4}
        The stencil: 2 gives ``(f(x + eps e_k) - f(x - eps e_k)) / (2 eps)``,
        error O(eps^2); 4 gives ``(-f(x + 2 eps e_k) + 8 f(x + eps e_k) -
        8 f(x - eps e_k) + f(x - 2 eps e_k)) / (12 eps)``, error O(eps^4).

    Returns
    -------
    ndarray, shape and float dtype of ``x``
        Entry k is the difference quotient for entry k, computed in float64.
    """
    return _differences(f, x, eps, points, name="f")


def _differences(f, x, eps, points, name):
    """:func:`numerical_gradient`, naming the function ``name`` in errors."""
    _check_function(name, f)
    eps = _check_step(eps)
    if points not in STENCILS:
        raise ValueError(f"points: expected 2 or 4, received {points!r}")
    offsets, weights = STENCILS[points]
    x = as_float_array("x", x)
    dtype = x.dtype
    x = np.array(x, dtype=np.float64)  # a private copy, in float64 (module docstring)
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        old = x[k]
        total = 0.0
        for offset, weight in zip(offsets, weights):
            x[k] = old + offset * eps
            total += weight * _scalar(name, f(x.copy()))  # f gets its own copy: it cannot keep ours
        x[k] = old
        grad[k] = total / eps
    return grad.astype(dtype, copy=False)  # computed in float64, returned as x came


def _check_function(name, f):
    if not callable(f):
        raise TypeError(f"{name}: expected a function that returns the scalar loss, "
                        f"received {type(f).__name__}")


def _check_step(eps):
    """A step must be a positive, finite real number."""
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps: expected a positive number (the step), received {eps!r}")
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps: expected a positive number (the step), received {eps!r}")
    return float(eps)


def _scalar(name, value):
    """The loss as a float; an array of several numbers is not a loss."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a function that returns a number (the scalar "
                        f"loss), it returned {type(value).__name__}") from None
    if array.size != 1:
        raise ValueError(f"{name}: expected a function that returns a number (the scalar "
                         f"loss), it returned an array of shape {array.shape}; "
                         "sum it into one number")
    return float(array.reshape(()))


def relative_error(analytic, numeric):
    """``||analytic - numeric|| / (||analytic|| + ||numeric||)``, 0 when both are 0.

    Norms are over the whole array (Frobenius). Normalizing by the arrays'
    norms rather than entry by entry keeps entries that are zero (a saturated
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


def gradient_check(loss, inputs, grads, eps=1e-3, points=4):
    """Relative error of each analytic gradient against central differences.

    Parameters
    ----------
    loss : callable
        ``loss(**inputs)`` returns the scalar loss.
    inputs : dict of str to array_like
        The point, one array per argument of ``loss``.
    grads : dict of str to array_like
        The analytic gradients to check, keyed like ``inputs`` (a subset).
    eps, points : float, int
        The step and the stencil of :func:`numerical_gradient`; the default
        four-point stencil with eps = 1e-3 keeps the check's own error far
        below the two-point quotient's (module docstring).

    Returns
    -------
    dict of str to float
        ``{name: relative_error(grads[name], numerical)}`` in the order of ``grads``.
    """
    _check_function("loss", loss)
    for name, value in (("inputs", inputs), ("grads", grads)):
        if not isinstance(value, Mapping):
            raise TypeError(f"{name}: expected a dict of argument name to array, "
                            f"received {type(value).__name__}")
    inputs = {name: as_float_array(name, value) for name, value in inputs.items()}
    errors = {}
    for name, analytic in grads.items():
        if name not in inputs:
            raise KeyError(f"grads: {name!r} is not one of the inputs {list(inputs)}")
        numeric = _differences(
            lambda value, name=name: loss(**{**inputs, name: value}), inputs[name], eps,
            points, name="loss",
        )
        analytic = as_float_array(f"grads[{name!r}]", analytic)
        if analytic.shape != numeric.shape:
            raise ValueError(f"grads[{name!r}]: expected the shape of inputs[{name!r}], "
                             f"{numeric.shape}, received {analytic.shape}")
        errors[name] = relative_error(analytic, numeric)
    return errors
