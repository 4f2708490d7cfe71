"""The assembled LSTM cell in fused form (chapter 7): one step forward.

    a   = W [h_{t-1}, x_t] + b             one matrix product for all four gates
    i_t = sigma(a_i),  f_t = sigma(a_f),  c~_t = tanh(a_c),  o_t = sigma(a_o)
    c_t = f_t * c_{t-1} + i_t * c~_t
    h_t = o_t * tanh(c_t)

W is (4H, H + D) and b is (4H, 1), blocks in the order i, f, c~, o
(:mod:`lstm_lesson.fused`). The forward pass returns a cache holding what the
backward pass (chapter 9) needs, so nothing is computed twice.

Shapes: x_t (D, N); h_prev, c_prev, h_t, c_t (H, N).
Legend: N batch, D input size, H hidden size.
"""

import numpy as np

from .activations import sigmoid, tanh
from .shapes import expect

__all__ = ["cell_forward"]


def cell_forward(x_t, h_prev, c_prev, W, b):
    """One LSTM step with fused parameters: return ``h_t, c_t, cache``.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
        Input at step t, one column per example.
    h_prev : array_like, shape (H, N)
        Hidden state h_{t-1}.
    c_prev : array_like, shape (H, N)
        Cell state c_{t-1}.
    W : array_like, shape (4H, H + D)
        Gate blocks W_i, W_f, W_c, W_o from top to bottom.
    b : array_like, shape (4H, 1)
        Blocks b_i, b_f, b_c, b_o.

    Returns
    -------
    h_t : ndarray, shape (H, N)
    c_t : ndarray, shape (H, N)
    cache : dict
        ``x_t`` (D, N); ``h_prev``, ``c_prev``, ``i``, ``f``, ``c_tilde``, ``o``,
        ``c_t``, ``tanh_c`` (H, N); ``W`` (4H, H + D).
    """
    # The parameters first: they fix H and D, so a wrongly sized input is the
    # argument blamed ("x_t: expected shape (D, N) with D = 3 (from W) ...").
    dims = {}
    W = expect("W", W, ("4H", "H+D"), dims)
    b = expect("b", b, ("4H", 1), dims)
    x_t = expect("x_t", x_t, ("D", "N"), dims)
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)
    c_prev = expect("c_prev", c_prev, ("H", "N"), dims)
    return _step(x_t, h_prev, c_prev, W, b)


def _step(x_t, h_prev, c_prev, W, b):
    """:func:`cell_forward` without the checks (the sequence loop checks once)."""
    H = h_prev.shape[0]
    a = W @ np.vstack([h_prev, x_t]) + b  # all four pre-activations, (4H, N)
    i = sigmoid(a[:H])  # i_t = sigma(W_i [h_{t-1}, x_t] + b_i)
    f = sigmoid(a[H:2 * H])  # f_t = sigma(W_f [h_{t-1}, x_t] + b_f)
    c_tilde = tanh(a[2 * H:3 * H])  # c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)
    o = sigmoid(a[3 * H:])  # o_t = sigma(W_o [h_{t-1}, x_t] + b_o)
    c_t = f * c_prev + i * c_tilde  # c_t = f_t * c_{t-1} + i_t * c~_t
    tanh_c = tanh(c_t)
    h_t = o * tanh_c  # h_t = o_t * tanh(c_t)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f,
             "c_tilde": c_tilde, "o": o, "c_t": c_t, "tanh_c": tanh_c, "W": W}
    return h_t, c_t, cache
