"""Unrolling the cell over time (chapter 8): a whole sequence forward.

The same ``W`` and ``b`` are applied at every step; the state ``(h, c)``
carries information from one step to the next:

    h_t, c_t = cell(x_t, h_{t-1}, c_{t-1})    for t = 1, ..., T

starting from ``h_0`` and ``c_0`` (zeros unless given).

Shapes: xs (T, D, N); h0, c0, h, c (H, N); hs (T, H, N); W (4H, H + D);
b (4H, 1). Legend: N batch, T steps, D input size, H hidden size.
"""

import numpy as np

from .cell import _step
from .shapes import expect

__all__ = ["sequence_forward"]


def sequence_forward(xs, W, b, h0=None, c0=None):
    """Run the fused cell over a sequence: return ``hs, (h, c), cache``.

    Parameters
    ----------
    xs : array_like, shape (T, D, N)
        The inputs; ``xs[t]`` is one step's batch of N columns.
    W : array_like, shape (4H, H + D)
        Fused weights, blocks i, f, c~, o.
    b : array_like, shape (4H, 1)
        Fused biases.
    h0, c0 : array_like, shape (H, N), optional
        Initial hidden and cell states; zeros when omitted.

    Returns
    -------
    hs : ndarray, shape (T, H, N)
        Every hidden state h_1, ..., h_T (``hs[t]`` follows ``xs[t]``).
    (h, c) : tuple of ndarray, shape (H, N) each
        The final states h_T and c_T.
    cache : list of dict, length T
        ``cache[t]`` is the step cache of :func:`lstm_lesson.cell.cell_forward`
        for the step that reads ``xs[t]`` and returns ``hs[t]``; the backward
        pass walks it in reverse.
    """
    # The parameters first: they fix H and D, so a sequence of the wrong input
    # size is the argument blamed ("xs: expected shape (T, D, N) with D = 3
    # (from W) ...").
    dims = {}
    W = expect("W", W, ("4H", "H+D"), dims)
    b = expect("b", b, ("4H", 1), dims)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    H, N = dims["H"][0], dims["N"][0]
    # Default zeros take the inputs' dtype: float32 in, float32 states out.
    zeros = np.zeros((H, N), dtype=np.result_type(xs, W, b))
    h = zeros if h0 is None else expect("h0", h0, ("H", "N"), dims)
    c = zeros if c0 is None else expect("c0", c0, ("H", "N"), dims)
    hs = np.empty((xs.shape[0], H, N), dtype=np.result_type(xs, W, b, h, c))
    cache = []
    for t, x_t in enumerate(xs):
        # (h, c) carries on to the next step:
        h, c, step_cache = _step(x_t, h, c, W, b)
        hs[t] = h
        cache.append(step_cache)
    return hs, (h, c), cache
