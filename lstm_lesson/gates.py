"""The three gates and the candidate of one step, each a function of ``[h_{t-1}, x_t]``.

Chapter 3 builds the forget gate, chapter 4 the input gate and the candidate,
chapter 6 the output gate. All four share one shape:

    g_t = act(W_g [h_{t-1}, x_t] + b_g)

with ``act`` the sigmoid for the gates f, i, o (a fraction in (0, 1)) and tanh
for the candidate c~ (a value in (-1, 1)).

Shapes: x_t (D, N), h_prev (H, N), W_g (H, H + D), b_g (H, 1), result (H, N).
Legend: N batch, D input size, H hidden size.
"""

import numpy as np

from .activations import sigmoid, tanh
from .shapes import expect

__all__ = ["concat", "forget_gate", "input_gate", "candidate", "output_gate"]


def concat(h_prev, x_t):
    """The stacked input ``[h_{t-1}, x_t]`` of every gate, h on top.

    Parameters
    ----------
    h_prev : array_like, shape (H, N)
    x_t : array_like, shape (D, N)

    Returns
    -------
    z : ndarray, shape (H + D, N)
    """
    dims = {}
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)
    x_t = expect("x_t", x_t, ("D", "N"), dims)
    return np.vstack([h_prev, x_t])


def _gate(activation, x_t, h_prev, W, b, W_name, b_name):
    """``activation(W [h_prev, x_t] + b)`` after checking every shape."""
    # The parameters first: they fix H and D, so a wrongly sized input is the
    # argument blamed ("x_t: expected shape (D, N) with D = 3 (from W_f) ...").
    dims = {}
    W = expect(W_name, W, ("H", "H+D"), dims)
    b = expect(b_name, b, ("H", 1), dims)
    x_t = expect("x_t", x_t, ("D", "N"), dims)
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)
    z = np.vstack([h_prev, x_t])  # [h_{t-1}, x_t]: h first, (H + D, N)
    return activation(W @ z + b)  # (H, H + D) @ (H + D, N) + (H, 1) -> (H, N)


def forget_gate(x_t, h_prev, W_f, b_f):
    """The forget gate ``f_t = sigma(W_f [h_{t-1}, x_t] + b_f)``.

    The fraction of each unit's cell state kept from the previous step.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
        Input at step t.
    h_prev : array_like, shape (H, N)
        Hidden state h_{t-1}.
    W_f : array_like, shape (H, H + D)
        First H columns act on h_{t-1}, last D on x_t.
    b_f : array_like, shape (H, 1)

    Returns
    -------
    f : ndarray, shape (H, N), in (0, 1)
    """
    return _gate(sigmoid, x_t, h_prev, W_f, b_f, "W_f", "b_f")


def input_gate(x_t, h_prev, W_i, b_i):
    """The input gate ``i_t = sigma(W_i [h_{t-1}, x_t] + b_i)``.

    The fraction of the candidate written into each unit's cell state.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
    h_prev : array_like, shape (H, N)
    W_i : array_like, shape (H, H + D)
    b_i : array_like, shape (H, 1)

    Returns
    -------
    i : ndarray, shape (H, N), in (0, 1)
    """
    return _gate(sigmoid, x_t, h_prev, W_i, b_i, "W_i", "b_i")


def candidate(x_t, h_prev, W_c, b_c):
    """The candidate ``c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)``.

    The new values proposed for the cell state; tanh, so they can be negative.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
    h_prev : array_like, shape (H, N)
    W_c : array_like, shape (H, H + D)
    b_c : array_like, shape (H, 1)

    Returns
    -------
    c_tilde : ndarray, shape (H, N), in (-1, 1)
    """
    return _gate(tanh, x_t, h_prev, W_c, b_c, "W_c", "b_c")


def output_gate(x_t, h_prev, W_o, b_o):
    """The output gate ``o_t = sigma(W_o [h_{t-1}, x_t] + b_o)``.

    The fraction of each unit's squashed cell state shown as h_t.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
    h_prev : array_like, shape (H, N)
    W_o : array_like, shape (H, H + D)
    b_o : array_like, shape (H, 1)

    Returns
    -------
    o : ndarray, shape (H, N), in (0, 1)
    """
    return _gate(sigmoid, x_t, h_prev, W_o, b_o, "W_o", "b_o")
