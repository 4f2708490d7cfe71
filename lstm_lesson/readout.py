"""A linear readout (chapter 11): from the hidden state to a prediction.

    y = W_y h + b_y

``W_y`` is (K, H) and ``b_y`` (K, 1): K outputs (one number for a regression,
one score, a *logit*, per class for a classification) from the H hidden units.
Applied to one step's batch ``h`` (H, N) it gives ``y`` (K, N); applied to a
whole sequence ``hs`` (T, H, N) it gives ``ys`` (T, K, N), the same ``W_y`` and
``b_y`` at every step.

Backward, with ``dy = dL/dy``:

    dh = W_y^T dy,   dW_y = dy h^T (summed over the batch and the steps),
    db_y = dy summed over the batch and the steps.

Shapes: h (H, N) or (T, H, N); W_y (K, H); b_y (K, 1); y (K, N) or (T, K, N).
Legend: N batch, T steps, H hidden size, K outputs.
"""

import numpy as np

from .shapes import expect

__all__ = ["readout_forward", "readout_backward"]


def _spec(array, last, name):
    """(H, N) or (T, H, N): the spec of a batch or a sequence, by dimensions."""
    ndim = np.ndim(array)
    if ndim == 3:
        return ("T", last, "N")
    if ndim == 2:
        return (last, "N")
    raise ValueError(f"{name}: expected shape ({last}, N) or (T, {last}, N), received "
                     f"{np.shape(array)} ({ndim}-D)")


def readout_forward(h, W_y, b_y):
    """The readout ``y = W_y h + b_y``: return ``y, cache``.

    Parameters
    ----------
    h : array_like, shape (H, N) or (T, H, N)
        One step's hidden states, or every step's (``hs`` of a sequence).
    W_y : array_like, shape (K, H)
    b_y : array_like, shape (K, 1)

    Returns
    -------
    y : ndarray, shape (K, N) or (T, K, N)
        The prediction (or the logits) for every column of ``h``.
    cache : dict
        ``h`` and ``W_y``, what :func:`readout_backward` needs.
    """
    dims = {}
    W_y = expect("W_y", W_y, ("K", "H"), dims)
    b_y = expect("b_y", b_y, ("K", 1), dims)
    h = expect("h", h, _spec(h, "H", "h"), dims)
    y = W_y @ h + b_y  # with h (T, H, N), @ applies W_y at every step
    return y, {"h": h, "W_y": W_y}


def readout_backward(dy, cache):
    """Backward through the readout: return ``dh, dW_y, db_y``.

    Parameters
    ----------
    dy : array_like, shape (K, N) or (T, K, N)
        dL/dy, shaped like the ``y`` that :func:`readout_forward` returned.
    cache : dict
        What :func:`readout_forward` returned.

    Returns
    -------
    dh : ndarray, shape (H, N) or (T, H, N)
        dL/dh, shaped like ``h``.
    dW_y : ndarray, shape (K, H)
        Summed over the batch (and the steps).
    db_y : ndarray, shape (K, 1)
        Summed over the batch (and the steps).
    """
    if not isinstance(cache, dict) or not {"h", "W_y"} <= set(cache):
        raise TypeError("cache: expected the dict returned by readout_forward, with "
                        f"'h' and 'W_y', received {type(cache).__name__}")
    h, W_y = cache["h"], cache["W_y"]
    K, H = W_y.shape
    dims = {"K": (K, "cache"), "N": (h.shape[-1], "cache")}
    if h.ndim == 3:
        dims["T"] = (h.shape[0], "cache")
    dy = expect("dy", dy, ("T", "K", "N") if h.ndim == 3 else ("K", "N"), dims)
    dh = W_y.T @ dy
    if h.ndim == 3:  # the same W_y at every step: its gradient is the sum
        dW_y = sum(dy[t] @ h[t].T for t in range(h.shape[0]))
        db_y = dy.sum(axis=(0, 2)).reshape(K, 1)
    else:
        dW_y = dy @ h.T  # sums over the N columns
        db_y = dy.sum(axis=1, keepdims=True)
    return dh, dW_y, db_y
