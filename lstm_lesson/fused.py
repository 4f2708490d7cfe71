"""The four gates as one matrix (chapter 7): ``W`` (4H, H + D) and ``b`` (4H, 1).

Stacking the gates' weights row-wise turns four matrix products into one:

    [a_i; a_f; a_c; a_o] = W [h_{t-1}, x_t] + b,   W = [W_i; W_f; W_c; W_o]

with the blocks in the order **i, f, c~, o** (PyTorch's and Keras's order).
Rows ``k*H:(k+1)*H`` of W and b belong to gate ``GATE_ORDER[k]``. The reference
cell draws and names its parameters per gate (``W_f, W_i, W_c, W_o``); :func:`fuse`
and :func:`unfuse` convert between the two forms without changing a number.

Shapes: W_g (H, H + D), b_g (H, 1); W (4H, H + D), b (4H, 1).
Legend: D input size, H hidden size.
"""

from collections.abc import Mapping

import numpy as np

from .reference import LSTMCell
from .shapes import expect, positive_int

__all__ = ["GATE_ORDER", "gate_slice", "fuse", "unfuse", "init_fused", "parameter_count"]

#: The order of the gate blocks in the fused W and b.
GATE_ORDER = ("i", "f", "c", "o")


def gate_slice(gate, H):
    """The rows of the fused ``W`` and ``b`` that belong to ``gate``.

    ``gate`` is one of ``"i", "f", "c", "o"``; ``W[gate_slice("f", H)]`` is W_f.
    """
    if gate not in GATE_ORDER:
        raise ValueError(f"gate: expected one of {', '.join(GATE_ORDER)}, received {gate!r}")
    k = GATE_ORDER.index(gate)
    return slice(k * H, (k + 1) * H)


def fuse(params):
    """Stack the reference cell's separate gate parameters into ``(W, b)``.

    Parameters
    ----------
    params : dict
        ``W_f, W_i, W_c, W_o`` of shape (H, H + D) and ``b_f, b_i, b_c, b_o`` of
        shape (H, 1), as :meth:`lstm_lesson.reference.LSTMCell.parameters` gives.

    Returns
    -------
    W : ndarray, shape (4H, H + D)
        Blocks W_i, W_f, W_c, W_o from top to bottom.
    b : ndarray, shape (4H, 1)
        Blocks b_i, b_f, b_c, b_o.
    """
    if not isinstance(params, Mapping):
        raise TypeError("params: expected a dict of W_g and b_g, received "
                        f"{type(params).__name__}")
    names = [f"{k}_{g}" for g in GATE_ORDER for k in "Wb"]
    missing = [name for name in names if name not in params]
    if missing:
        raise KeyError(f"params: missing {', '.join(missing)}")
    dims = {}  # W_i, the first, binds H (its rows) and D (the remaining columns)
    W = [expect(f"W_{g}", params[f"W_{g}"], ("H", "H+D"), dims) for g in GATE_ORDER]
    b = [expect(f"b_{g}", params[f"b_{g}"], ("H", 1), dims) for g in GATE_ORDER]
    return np.vstack(W), np.vstack(b)


def unfuse(W, b):
    """Split fused ``(W, b)`` into the reference cell's dict of ``W_g`` and ``b_g``.

    Parameters
    ----------
    W : array_like, shape (4H, H + D)
    b : array_like, shape (4H, 1)

    Returns
    -------
    dict
        ``W_g`` (H, H + D) and ``b_g`` (H, 1) for g in i, f, c, o (copies).
    """
    dims = {}
    b = expect("b", b, ("4H", 1), dims)
    W = expect("W", W, ("4H", "H+D"), dims)
    H = dims["H"][0]
    params = {}
    for g in GATE_ORDER:
        params[f"W_{g}"] = W[gate_slice(g, H)].copy()
        params[f"b_{g}"] = b[gate_slice(g, H)].copy()
    return params


def init_fused(input_size, hidden_size, seed=0, dtype=np.float64):
    """Fused ``(W, b)`` holding exactly the reference cell ``LSTMCell(input_size, hidden_size, seed)``.

    ``dtype`` (float64 or float32) is the precision of the arrays returned; the
    numbers are drawn in float64 either way, so float32 holds them rounded.

    Returns
    -------
    W : ndarray, shape (4H, H + D)
    b : ndarray, shape (4H, 1)
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype: expected a floating-point dtype, received {dtype}")
    W, b = fuse(LSTMCell(input_size, hidden_size, seed=seed).parameters())
    return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


def parameter_count(input_size, hidden_size):
    """The number of numbers in one cell's ``W`` and ``b``: 4H(H + D) + 4H.

    The same at every step and for any sequence length T.
    """
    D = positive_int("input_size", input_size)
    H = positive_int("hidden_size", hidden_size)
    return 4 * H * (H + D) + 4 * H
