"""A plain (Elman) tanh RNN: the baseline that shows why the LSTM has gates.

    h_t = tanh(W [h_{t-1}, x_t] + b)

Same conventions as the LSTM: ``W`` is (H, H + D), its first H columns
``W_h = W[:, :H]`` act on ``h_{t-1}``; batches are columns. Backpropagating
from h_t to h_0 multiplies t Jacobians

    dh_t/dh_{t-1} = diag(1 - h_t^2) W_h,

and the norm of that product shrinks (or grows) geometrically with t: the
vanishing (exploding) gradient of chapter 1.
"""

import numpy as np

from .activations import tanh
from .shapes import expect

__all__ = ["rnn_step", "rnn_forward", "rnn_backward", "rnn_jacobian", "gradient_norms"]


def rnn_step(x_t, h_prev, W, b):
    """One step ``h_t = tanh(W [h_{t-1}, x_t] + b)``.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
    h_prev : array_like, shape (H, N)
    W : array_like, shape (H, H + D)
    b : array_like, shape (H, 1)

    Returns
    -------
    h_t : ndarray, shape (H, N)
    """
    dims = {}
    x_t = expect("x_t", x_t, ("D", "N"), dims)
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)
    W = expect("W", W, ("H", "H+D"), dims)
    b = expect("b", b, ("H", 1), dims)
    return tanh(W @ np.vstack([h_prev, x_t]) + b)


def rnn_forward(xs, h0, W, b):
    """Run :func:`rnn_step` over a sequence.

    Parameters
    ----------
    xs : array_like, shape (T, D, N)
        ``xs[t]`` is the batch of inputs at step t + 1.
    h0 : array_like, shape (H, N)
        Initial hidden state.
    W : array_like, shape (H, H + D)
    b : array_like, shape (H, 1)

    Returns
    -------
    hs : ndarray, shape (T, H, N)
        ``hs[t]`` is h_{t+1}; the initial state is not included.
    """
    dims = {}
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    h = expect("h0", h0, ("H", "N"), dims)
    W = expect("W", W, ("H", "H+D"), dims)
    b = expect("b", b, ("H", 1), dims)
    hs = np.empty((xs.shape[0],) + h.shape, dtype=np.result_type(xs, h, W, b))
    for t, x_t in enumerate(xs):
        h = rnn_step(x_t, h, W, b)
        hs[t] = h
    return hs


def rnn_backward(dhs, xs, h0, hs, W):
    """Backpropagation through time for the plain RNN (chapter 10's baseline).

    Parameters
    ----------
    dhs : array_like, shape (T, H, N)
        Upstream gradients ``dL/dhs[t]`` on every hidden state.
    xs : array_like, shape (T, D, N)
        The inputs given to :func:`rnn_forward`.
    h0 : array_like, shape (H, N)
        The initial state given to :func:`rnn_forward`.
    hs : array_like, shape (T, H, N)
        What :func:`rnn_forward` returned (the cache: tanh' = 1 - h_t^2).
    W : array_like, shape (H, H + D)

    Returns
    -------
    dxs : ndarray, shape (T, D, N)
    dh0 : ndarray, shape (H, N)
    dW : ndarray, shape (H, H + D)
        Summed over the steps and the batch.
    db : ndarray, shape (H, 1)
        Summed over the steps and the batch.
    """
    dims = {}
    W = expect("W", W, ("H", "H+D"), dims)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    h0 = expect("h0", h0, ("H", "N"), dims)
    hs = expect("hs", hs, ("T", "H", "N"), dims)
    dhs = expect("dhs", dhs, ("T", "H", "N"), dims)
    H = W.shape[0]
    dxs = np.empty(xs.shape, dtype=np.result_type(dhs, W))
    dW = np.zeros_like(W, dtype=dxs.dtype)
    db = np.zeros((H, 1), dtype=dxs.dtype)
    dh = np.zeros(h0.shape, dtype=dxs.dtype)
    for t in reversed(range(len(xs))):
        h_prev = h0 if t == 0 else hs[t - 1]
        da = (dhs[t] + dh) * (1 - hs[t] ** 2)  # h_t = tanh(a_t), tanh' = 1 - h_t^2
        dW += da @ np.vstack([h_prev, xs[t]]).T  # a_t = W [h_{t-1}, x_t] + b
        db += da.sum(axis=1, keepdims=True)
        dz = W.T @ da
        dh, dxs[t] = dz[:H], dz[H:]
    return dxs, dh, dW, db


def rnn_jacobian(h_t, W_h):
    """The Jacobian ``dh_t/dh_{t-1} = diag(1 - h_t^2) W_h`` of one step.

    Parameters
    ----------
    h_t : array_like, shape (H, 1)
        The step's output, one example (the Jacobian is per example).
    W_h : array_like, shape (H, H)
        The recurrent block ``W[:, :H]``.

    Returns
    -------
    ndarray, shape (H, H)
        Entry (j, k) is d h_t[j] / d h_{t-1}[k]: tanh'(a) = 1 - tanh(a)^2 =
        1 - h_t^2 scales row j of W_h.
    """
    dims = {}
    h_t = expect("h_t", h_t, ("H", 1), dims)
    W_h = expect("W_h", W_h, ("H", "H"), dims)
    return (1 - h_t**2) * W_h  # broadcasting a column over rows = diag(.) @ W_h


def gradient_norms(hs, W_h):
    """Spectral norms of ``dh_t/dh_0`` for t = 1..T, one example.

    Parameters
    ----------
    hs : array_like, shape (T, H, 1)
        Hidden states h_1..h_T from :func:`rnn_forward` with N = 1.
    W_h : array_like, shape (H, H)

    Returns
    -------
    ndarray, shape (T,)
        ``norms[t-1] = || dh_t/dh_{t-1} ... dh_1/dh_0 ||_2``, the factor by
        which a gradient arriving at h_t can grow or shrink on its way to h_0.
    """
    dims = {}
    hs = expect("hs", hs, ("T", "H", 1), dims)
    W_h = expect("W_h", W_h, ("H", "H"), dims)
    dtype = np.result_type(hs, W_h)
    jacobian = np.eye(W_h.shape[0], dtype=dtype)
    norms = np.empty(hs.shape[0], dtype=dtype)
    for t, h_t in enumerate(hs):
        jacobian = rnn_jacobian(h_t, W_h) @ jacobian  # chain rule, newest on the left
        norms[t] = np.linalg.norm(jacobian, 2)
    return norms
