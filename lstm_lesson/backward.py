"""Backward through one step of the fused cell (chapter 9).

The forward step (:func:`lstm_lesson.cell.cell_forward`) is two parts, and the
backward pass walks them in reverse:

1. the linear part ``a = W z + b`` with ``z = [h_{t-1}, x_t]``;
2. the elementwise part: the squashing functions, ``c_t`` and ``h_t``.

Given the gradients ``dh_next = dL/dh_t`` and ``dc_next = dL/dc_t`` that
arrive from above, :func:`elementwise_backward` returns ``da = dL/da`` and
``dc_prev``, :func:`linear_backward` turns ``da`` into ``dx, dh_prev, dW,
db``, and :func:`cell_backward` does both. Every line is one application of
the chain rule to one forward equation; the chapter derives each with SymPy.

Shapes: dh_next, dc_next, dh_prev, dc_prev (H, N); dx (D, N); da (4H, N);
dW (4H, H + D); db (4H, 1). Legend: N batch, D input size, H hidden size.
"""

import numpy as np

from .shapes import expect

__all__ = ["cell_backward", "elementwise_backward", "linear_backward", "check_cache"]


def cell_backward(dh_next, dc_next, cache):
    """Backward through one fused step: return ``dx, dh_prev, dc_prev, dW, db``.

    Parameters
    ----------
    dh_next : array_like, shape (H, N)
        dL/dh_t, the gradient arriving at this step's hidden state.
    dc_next : array_like, shape (H, N)
        dL/dc_t, the gradient arriving at this step's cell state directly
        (from the next step's c_{t+1} = f_{t+1} * c_t + ...).
    cache : dict
        What :func:`lstm_lesson.cell.cell_forward` returned for this step.

    Returns
    -------
    dx : ndarray, shape (D, N)
        dL/dx_t.
    dh_prev, dc_prev : ndarray, shape (H, N)
        dL/dh_{t-1} and dL/dc_{t-1}, to pass to the previous step.
    dW : ndarray, shape (4H, H + D)
        dL/dW, blocks i, f, c~, o like W, summed over the batch.
    db : ndarray, shape (4H, 1)
        dL/db, summed over the batch.
    """
    dh_next, dc_next = _check(dh_next, dc_next, cache)
    return _cell_backward(dh_next, dc_next, cache)


#: What :func:`lstm_lesson.cell.cell_forward` keeps for the backward pass.
CACHE_KEYS = ("x_t", "h_prev", "c_prev", "i", "f", "c_tilde", "o", "c_t", "tanh_c", "W")


def check_cache(cache, name="cache"):
    """Raise a clear error unless ``cache`` is a step cache of ``cell_forward``."""
    if not isinstance(cache, dict):
        raise TypeError(f"{name}: expected the dict returned by cell_forward, received "
                        f"{type(cache).__name__}")
    missing = [key for key in CACHE_KEYS if key not in cache]
    if missing:
        raise KeyError(f"{name}: missing {', '.join(map(repr, missing))}; expected the "
                       f"dict returned by cell_forward, with {', '.join(CACHE_KEYS)}")


def _check(dh_next, dc_next, cache):
    """The upstream gradients must have the shape of the states they belong to."""
    check_cache(cache)
    dims = {"H": (cache["c_t"].shape[0], "cache"), "N": (cache["c_t"].shape[1], "cache")}
    dh_next = expect("dh_next", dh_next, ("H", "N"), dims)
    dc_next = expect("dc_next", dc_next, ("H", "N"), dims)
    return dh_next, dc_next


def _cell_backward(dh_next, dc_next, cache):
    """:func:`cell_backward` without the checks (the sequence loop checks once).

    It uses only ``@``, ``*``, ``-``, ``.T``, ``np.vstack`` and ``.sum``, so it
    also runs on object arrays of SymPy expressions
    (:func:`lstm_lesson.symbolic.step_backward`).
    """
    da, dc_prev = _elementwise_backward(dh_next, dc_next, cache)
    dx, dh_prev, dW, db = _linear_backward(da, cache)
    return dx, dh_prev, dc_prev, dW, db


def elementwise_backward(dh_next, dc_next, cache):
    """From dL/dh_t and dL/dc_t to the pre-activations: return ``da, dc_prev``.

    Parameters
    ----------
    dh_next, dc_next : array_like, shape (H, N)
        dL/dh_t and dL/dc_t.
    cache : dict
        The step's cache from :func:`lstm_lesson.cell.cell_forward`.

    Returns
    -------
    da : ndarray, shape (4H, N)
        dL/da for the pre-activations ``a = W z + b``, blocks i, f, c~, o.
    dc_prev : ndarray, shape (H, N)
        dL/dc_{t-1}.
    """
    dh_next, dc_next = _check(dh_next, dc_next, cache)
    return _elementwise_backward(dh_next, dc_next, cache)


def _elementwise_backward(dh_next, dc_next, cache):
    i, f, c_tilde, o = cache["i"], cache["f"], cache["c_tilde"], cache["o"]
    c_prev, tanh_c = cache["c_prev"], cache["tanh_c"]
    # h_t = o_t * tanh(c_t)
    do = dh_next * tanh_c
    # c_t reaches the loss twice: directly (dc_next) and through h_t, where
    # d tanh(c)/dc = 1 - tanh(c)^2.
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    # c_t = f_t * c_{t-1} + i_t * c~_t
    df = dc * c_prev
    di = dc * c_tilde
    dc_tilde = dc * i
    dc_prev = dc * f  # the constant error carousel: dc_t/dc_{t-1} = diag(f_t)
    # Through the squashing functions, each derivative written with the
    # function's output: sigma' = s (1 - s), tanh' = 1 - t^2.
    da = np.vstack([
        di * i * (1 - i),  # a_i, i_t = sigma(a_i)
        df * f * (1 - f),  # a_f, f_t = sigma(a_f)
        dc_tilde * (1 - c_tilde**2),  # a_c, c~_t = tanh(a_c)
        do * o * (1 - o),  # a_o, o_t = sigma(a_o)
    ])
    return da, dc_prev


def linear_backward(da, cache):
    """Backward through ``a = W [h_{t-1}, x_t] + b``: return ``dx, dh_prev, dW, db``.

    Parameters
    ----------
    da : array_like, shape (4H, N)
        dL/da, blocks i, f, c~, o.
    cache : dict
        The step's cache from :func:`lstm_lesson.cell.cell_forward`.

    Returns
    -------
    dx : ndarray, shape (D, N)
    dh_prev : ndarray, shape (H, N)
    dW : ndarray, shape (4H, H + D)
        Summed over the batch (the product with z^T sums over the N columns).
    db : ndarray, shape (4H, 1)
        Summed over the batch.
    """
    check_cache(cache)
    W, x_t = cache["W"], cache["x_t"]
    dims = {"H": (W.shape[0] // 4, "cache"), "N": (x_t.shape[1], "cache")}
    da = expect("da", da, ("4H", "N"), dims)
    return _linear_backward(da, cache)


def _linear_backward(da, cache):
    W = cache["W"]
    H = cache["h_prev"].shape[0]
    z = np.vstack([cache["h_prev"], cache["x_t"]])  # z = [h_{t-1}, x_t], (H + D, N)
    # a = W z + b, one column per example: da/dW sums da z^T over the columns.
    dW = da @ z.T
    db = da.sum(axis=1, keepdims=True)
    dz = W.T @ da  # (H + D, N): the rows of W's transpose route da back to z
    dh_prev, dx = dz[:H], dz[H:]  # h came first in z
    return dx, dh_prev, dW, db
