"""The cell state update and the constant error carousel (chapter 5).

    c_t = f_t * c_{t-1} + i_t * c~_t        (* is elementwise)

Each unit keeps the fraction f_t of its old value and adds the fraction i_t of
the candidate. Along this path, ``dc_t / dc_{t-1} = diag(f_t)``: the gradient
is only scaled by the forget gate, never squashed by a derivative of tanh or
sigma, so with f_t near 1 it survives many steps (the constant error carousel).

Shapes: f, i, c_tilde, c_prev, c_t (H, N). Legend: N batch, H hidden size.
"""

import numpy as np

from .shapes import as_float_array, expect, positive_int

__all__ = ["cell_state", "cell_state_jacobian", "retention", "forget_bias_for"]


def cell_state(f, i, c_tilde, c_prev):
    """The new cell state ``c_t = f_t * c_{t-1} + i_t * c~_t``.

    Parameters
    ----------
    f : array_like, shape (H, N)
        Forget gate f_t.
    i : array_like, shape (H, N)
        Input gate i_t.
    c_tilde : array_like, shape (H, N)
        Candidate c~_t.
    c_prev : array_like, shape (H, N)
        Cell state c_{t-1}.

    Returns
    -------
    c_t : ndarray, shape (H, N)
    """
    dims = {}
    f = expect("f", f, ("H", "N"), dims)
    i = expect("i", i, ("H", "N"), dims)
    c_tilde = expect("c_tilde", c_tilde, ("H", "N"), dims)
    c_prev = expect("c_prev", c_prev, ("H", "N"), dims)
    return f * c_prev + i * c_tilde  # keep part of the old, write part of the new


def cell_state_jacobian(f):
    """``dc_t / dc_{t-1}`` for every example: the diagonal matrix diag(f_t).

    Parameters
    ----------
    f : array_like, shape (H, N)
        Forget gate f_t.

    Returns
    -------
    J : ndarray, shape (N, H, H)
        ``J[n]`` is the Jacobian of example n,
        ``J[n, j, k] = dc_t[j] / dc_{t-1}[k]``: ``f[j, n]`` on the diagonal and 0
        elsewhere (unit j's cell state depends on no other unit's c_{t-1} directly).
    """
    f = expect("f", f, ("H", "N"), {})
    H, N = f.shape
    J = np.zeros((N, H, H), dtype=f.dtype)
    J[:, np.arange(H), np.arange(H)] = f.T  # only the diagonal is non-zero
    return J


def retention(forget_bias, steps):
    """The fraction of a cell state left after ``steps`` steps of forgetting.

    When ``W_f [h_{t-1}, x_t]`` is near zero, ``f_t = sigma(b_f)`` every step,
    so ``c_{t+k} = sigma(b_f)^k c_t`` when nothing new is written.

    Parameters
    ----------
    forget_bias : float or array_like
        b_f, any shape.
    steps : int
        k >= 1.

    Returns
    -------
    ndarray, the shape of ``forget_bias``: ``sigma(b_f) ** k``.
    """
    steps = positive_int("steps", steps)
    # sigma(b)^k = exp(k log sigma(b)) with log sigma(b) = -log(1 + exp(-b)),
    # computed by logaddexp(0, -b), which neither overflows nor loses digits.
    b = as_float_array("forget_bias", forget_bias)
    return np.exp(-steps * np.logaddexp(0, -b))


def forget_bias_for(fraction, steps):
    """The forget bias that keeps ``fraction`` of a cell state for ``steps`` steps.

    Solves ``sigma(b)^k = fraction``: the gate must keep ``fraction^(1/k)`` per
    step, and the bias is the sigmoid's inverse (the logit) of that.

    Parameters
    ----------
    fraction : float or array_like, in (0, 1)
    steps : int
        k >= 1.

    Returns
    -------
    ndarray, the shape of ``fraction``: b with ``retention(b, steps) == fraction``.
    """
    steps = positive_int("steps", steps)
    fraction = as_float_array("fraction", fraction)
    if np.any(~((fraction > 0) & (fraction < 1))):
        raise ValueError(
            f"fraction: expected values in (0, 1), received {fraction}")
    # The gate must keep f = fraction^(1/k) per step; the bias is logit(f) =
    # log f - log(1 - f). With log f = log(fraction) / k, 1 - f = -expm1(log f)
    # keeps every digit even when f is within 1e-12 of 1.
    log_f = np.log(fraction) / steps
    return log_f - np.log(-np.expm1(log_f))
