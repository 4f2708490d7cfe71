"""Backpropagation through time (chapter 10): the backward pass of a sequence.

The forward pass applied one cell T times with the same W and b
(:func:`lstm_lesson.sequence.sequence_forward`). Backward, the steps are
visited in reverse, t = T, ..., 1, and each is :func:`lstm_lesson.backward.cell_backward`:

    dh = dL/dh_t  =  (upstream on h_t)  +  (dh_prev from step t + 1)
    dc            =  (dc_prev from step t + 1), the gradient along the cell state
    dx_t, dh_prev, dc_prev, dW_t, db_t = cell_backward(dh, dc, cache[t])

(``cell_backward`` adds the path through h_t = o_t * tanh(c_t) to ``dc``
itself, which gives the full dL/dc_t.)

Since W and b are shared by every step, dW and db are the sums of the
per-step dW_t and db_t. What is left after step 1 is dL/dh_0 and dL/dc_0.

Shapes: dhs (T, H, N); dh_T, dc_T, dh0, dc0 (H, N); dxs (T, D, N);
dW (4H, H + D); db (4H, 1). Legend: N batch, T steps, D input size, H hidden size.
"""

import numpy as np

from .backward import _cell_backward, check_cache
from .sequence import sequence_forward
from .shapes import expect

__all__ = ["sequence_backward", "input_gradient_norms"]


def sequence_backward(dhs, cache, dh_T=None, dc_T=None):
    """Backward through a whole sequence: return ``dxs, dh0, dc0, dW, db``.

    Parameters
    ----------
    dhs : array_like, shape (T, H, N)
        Upstream gradients on every hidden state: ``dhs[t] = dL/dhs[t]`` as
        used by the loss directly (zeros where the loss does not read h_t).
    cache : list of dict, length T
        What :func:`lstm_lesson.sequence.sequence_forward` returned.
    dh_T, dc_T : array_like, shape (H, N), optional
        Upstream gradients on the final state ``(h, c)`` that
        ``sequence_forward`` returned; zeros when omitted. ``dh_T`` adds to
        ``dhs[T-1]``, since the final h is the last entry of ``hs``.

    Returns
    -------
    dxs : ndarray, shape (T, D, N)
        dL/dx_t for every step (``dxs[t]`` belongs to ``xs[t]``).
    dh0, dc0 : ndarray, shape (H, N)
        dL/dh_0 and dL/dc_0, the gradients of the initial states.
    dW : ndarray, shape (4H, H + D)
        dL/dW, summed over the steps and the batch.
    db : ndarray, shape (4H, 1)
        dL/db, summed over the steps and the batch.
    """
    if not isinstance(cache, list) or not cache:
        raise TypeError(
            "cache: expected the list of step caches returned by sequence_forward, "
            f"received {type(cache).__name__}"
            + (" of length 0" if isinstance(cache, list) and not cache else "")
        )
    for t, step_cache in enumerate(cache):
        check_cache(step_cache, f"cache[{t}]")
    H, N = cache[0]["c_t"].shape
    D = cache[0]["x_t"].shape[0]
    dims = {"T": (len(cache), "cache"), "H": (H, "cache"), "N": (N, "cache")}
    dhs = expect("dhs", dhs, ("T", "H", "N"), dims)
    W = cache[0]["W"]
    dtype = np.result_type(dhs, W)  # float32 in, float32 gradients out
    # No gradient arrives from beyond the last step unless dh_T, dc_T are given.
    dh, dc = np.zeros((H, N), dtype), np.zeros((H, N), dtype)
    if dh_T is not None:
        dh = expect("dh_T", dh_T, ("H", "N"), dims)
    if dc_T is not None:
        dc = expect("dc_T", dc_T, ("H", "N"), dims)
    dxs = np.empty((len(cache), D, N), dtype=dtype)
    dW = np.zeros_like(W, dtype=dxs.dtype)
    db = np.zeros((W.shape[0], 1), dtype=dxs.dtype)
    for t in reversed(range(len(cache))):
        # h_t is read by the loss (dhs[t]) and by step t + 1 (dh from there).
        dxs[t], dh, dc, dW_t, db_t = _cell_backward(dhs[t] + dh, dc, cache[t])
        dW += dW_t  # the same W at every step: its gradient is the sum
        db += db_t
    return dxs, dh, dc, dW, db


def input_gradient_norms(xs, W, b):
    """How strongly the last hidden state depends on each input: ``||dL/dx_t||``.

    The loss is ``L = sum(h_T)``, the sum of the final hidden state's entries
    over units and examples, so the upstream gradient is 1 on ``h_T`` and 0 on
    every earlier ``h_t``. Chapter 10 plots these norms against t: a gradient
    that vanishes on its way back leaves the early inputs near 0.

    Parameters
    ----------
    xs : array_like, shape (T, D, N)
    W : array_like, shape (4H, H + D)
    b : array_like, shape (4H, 1)

    Returns
    -------
    ndarray, shape (T,)
        ``norms[t]`` is the Frobenius norm of ``dL/dxs[t]`` over its (D, N) entries.
    """
    hs, _, cache = sequence_forward(xs, W, b)
    dhs = np.zeros_like(hs)
    dhs[-1] = 1.0  # dL/dh_T = 1 for L = sum(h_T); no other h_t is read
    dxs = sequence_backward(dhs, cache)[0]
    return np.linalg.norm(dxs, axis=(1, 2))
