"""Losses (chapter 11): how far a prediction is from the target, and its gradient.

* **Mean squared error**, for a number to predict (the adding problem):
  ``L = mean((y - target)^2)`` over every entry; ``dL/dy = 2 (y - target) / M``
  with M the number of entries.
* **Softmax cross-entropy**, for a class to predict (a symbol, a character):
  the K logits of a column become probabilities ``p = softmax(y)`` and the loss
  is ``-log p[label]``, averaged over the columns counted (a mask can leave
  steps out, such as the padding of a short string). Its gradient is
  ``dL/dy = (p - onehot(label)) / M``, M the number of columns counted: the
  chapter derives ``p - onehot`` with SymPy.

The classes run down the columns, as everywhere in the course: logits are
(K, N) for one step's batch, or (T, K, N) for every step of a sequence, and
``labels`` are whole numbers 0..K-1 of shape (N,) or (T, N).

:func:`log_softmax` never exponentiates a positive number (the care of
chapter 2's sigmoid): it subtracts each column's largest logit first, so the
largest term is ``exp(0) = 1``, and ``log(sum(exp(...)))`` lies in [0, log K].

Legend: N batch, T steps, K outputs (classes).
"""

import math
import numbers

import numpy as np

from .shapes import as_float_array

__all__ = ["log_softmax", "softmax", "mse_loss", "mse_backward", "softmax_cross_entropy",
           "softmax_cross_entropy_backward", "bits"]


def log_softmax(logits):
    """``log softmax(logits)`` down each column, computed without overflow.

    Parameters
    ----------
    logits : array_like, shape (K, N) or (T, K, N)
        Scores; the K classes are along the second-to-last axis.

    Returns
    -------
    ndarray, same shape and float dtype
        ``logits - max - log(sum(exp(logits - max)))`` per column: each column's
        exponentials sum to 1.
    """
    logits = as_float_array("logits", logits)
    if logits.ndim not in (2, 3):
        raise ValueError(f"logits: expected shape (K, N) or (T, K, N), received "
                         f"{logits.shape} ({logits.ndim}-D)")
    shifted = logits - logits.max(axis=-2, keepdims=True)  # the largest is now 0
    return shifted - np.log(np.exp(shifted).sum(axis=-2, keepdims=True))


def softmax(logits):
    """Probabilities ``exp(y_k) / sum_j exp(y_j)`` down each column (K, N) or (T, K, N)."""
    return np.exp(log_softmax(logits))


def _mean_over(count, name):
    if count == 0:
        raise ValueError(f"{name}: nothing to average (every entry is masked out)")
    return count


def _mask(mask, y):
    """A mask of shape (N,) or (T, N) for y (K, N) or (T, K, N), in y's dtype, or None."""
    if mask is None:
        return None
    batch_shape = y.shape[:-2] + y.shape[-1:]
    legend = "(N,)" if y.ndim == 2 else "(T, N)"
    mask = as_float_array("mask", mask)
    if mask.shape != batch_shape:
        raise ValueError(f"mask: expected shape {legend} = {batch_shape}, one weight per "
                         f"column, received {mask.shape}")
    return mask.astype(y.dtype, copy=False)


def mse_loss(y, target, mask=None):
    """Mean squared error ``mean((y - target)^2)``: return ``loss, cache``.

    Parameters
    ----------
    y : array_like, shape (K, N) or (T, K, N)
        The prediction.
    target : array_like, the shape of ``y``
    mask : array_like, shape (N,) or (T, N), optional
        Weight of each column (1 counts, 0 leaves it out); all ones when omitted.

    Returns
    -------
    loss : float scalar (NumPy, the dtype of ``y``)
        The mean over every entry counted: for K = 1 and one step, the mean
        over the batch of the squared error.
    cache : dict
        ``diff = y - target`` (masked), ``count`` (the number of entries
        counted), what :func:`mse_backward` needs.
    """
    y = as_float_array("y", y)
    if y.ndim not in (2, 3):
        raise ValueError(f"y: expected shape (K, N) or (T, K, N), received {y.shape} "
                         f"({y.ndim}-D)")
    target = as_float_array("target", target)
    if target.shape != y.shape:
        raise ValueError(f"target: expected the shape of y, {y.shape}, received "
                         f"{target.shape}")
    mask = _mask(mask, y)
    diff = y - target
    if mask is None:
        count = diff.size
    else:
        diff = diff * mask[..., None, :]  # a masked column neither errs nor learns
        count = _mean_over(mask.sum(), "mask") * y.shape[-2]
    return (diff**2).sum() / count, {"diff": diff, "count": count}


def mse_backward(cache):
    """``dL/dy = 2 (y - target) / M`` for :func:`mse_loss`, M = the number of entries counted.

    Returns an ndarray shaped like ``y``.
    """
    if not isinstance(cache, dict) or not {"diff", "count"} <= set(cache):
        raise TypeError("cache: expected the dict returned by mse_loss")
    return 2 * cache["diff"] / cache["count"]  # a mean: the gradient divides the same way


def _labels(labels, logits, mask):
    """Check the labels (and mask) against the logits; return labels, mask."""
    batch_shape = logits.shape[:-2] + logits.shape[-1:]  # (N,) or (T, N)
    legend = "(N,)" if logits.ndim == 2 else "(T, N)"
    if isinstance(labels, numbers.Integral) and logits.ndim == 2 and logits.shape[1] == 1:
        labels = [labels]
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels: expected whole numbers (class indices 0..K-1), "
                        f"received dtype {labels.dtype}")
    if labels.shape != batch_shape:
        raise ValueError(f"labels: expected shape {legend} = {batch_shape} (from logits "
                         f"{logits.shape}), received {labels.shape}")
    K = logits.shape[-2]
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        raise ValueError(f"labels: expected classes 0..{K - 1} (K = {K} from logits), "
                         f"received values from {labels.min()} to {labels.max()}")
    mask = _mask(mask, logits)
    return labels, mask


def softmax_cross_entropy(logits, labels, mask=None):
    """Softmax cross-entropy, averaged over the columns: return ``loss, cache``.

    Parameters
    ----------
    logits : array_like, shape (K, N) or (T, K, N)
        Scores from the readout; classes down the columns.
    labels : array_like of int, shape (N,) or (T, N)
        The right class of each column, 0..K-1.
    mask : array_like, shape of ``labels``, optional
        Weight of each column in the loss: 1 counts, 0 leaves it out (padding,
        steps where nothing is to be predicted). All ones when omitted.

    Returns
    -------
    loss : float scalar (NumPy, the dtype of ``logits``)
        ``sum(mask * -log p[label]) / sum(mask)``: nats per counted prediction.
    cache : dict
        ``p`` (the probabilities), ``labels``, ``mask``, ``count`` (the sum of the
        mask), what :func:`softmax_cross_entropy_backward` needs.
    """
    logits = as_float_array("logits", logits)
    if logits.ndim not in (2, 3):
        raise ValueError(f"logits: expected shape (K, N) or (T, K, N), received "
                         f"{logits.shape} ({logits.ndim}-D)")
    labels, mask = _labels(labels, logits, mask)
    logp = log_softmax(logits)
    # log p of the right class in each column: pick row labels[n] of column n.
    picked = np.take_along_axis(logp, labels[..., None, :], axis=-2)[..., 0, :]
    weights = np.ones_like(picked) if mask is None else mask
    count = _mean_over(weights.sum(), "mask")
    loss = -(weights * picked).sum() / count
    return loss, {"p": np.exp(logp), "labels": labels, "mask": weights, "count": count}


def softmax_cross_entropy_backward(cache):
    """``dL/dlogits = mask * (p - onehot(labels)) / sum(mask)`` for the loss above.

    Returns an ndarray shaped like the logits, (K, N) or (T, K, N).
    """
    if not (isinstance(cache, dict) and {"p", "labels", "mask", "count"} <= set(cache)):
        raise TypeError("cache: expected the dict returned by softmax_cross_entropy")
    p, labels = cache["p"], cache["labels"]
    onehot = np.zeros_like(p)
    np.put_along_axis(onehot, labels[..., None, :], 1, axis=-2)
    # Each counted column: p - y (derived in chapter 11), weighted as in the loss.
    return (p - onehot) * cache["mask"][..., None, :] / cache["count"]


def bits(nats):
    """A loss in nats (natural log) in bits: ``nats / ln 2``.

    A cross-entropy per character in bits is the number of binary digits per
    character an ideal code built on the model's probabilities would need.
    """
    return nats / math.log(2)

