"""Gradient clipping by global norm (chapter 11; Pascanu, Mikolov & Bengio 2013).

A recurrent network's gradient can be enormous for one batch (chapter 1's
exploding product of Jacobians): one step of gradient descent along it throws
the parameters far away. Clipping by the *global* norm rescales the whole
gradient, every array by the same factor, when its norm exceeds a threshold:

    n = sqrt(sum over arrays of sum(g^2))
    g <- g * max_norm / n      if n > max_norm, else unchanged.

The direction of the step is kept; only its length is capped. Clipping each
array on its own (by its own norm) would change the direction: the arrays'
gradients would no longer be in the proportions the loss asks for.
"""

import numbers
from collections.abc import Mapping

import numpy as np

from .shapes import as_float_array

__all__ = ["global_norm", "clip_by_global_norm"]


def _arrays(grads):
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads: expected a dict of name to gradient array, received "
                        f"{type(grads).__name__}")
    return {name: as_float_array(f"grads[{name!r}]", g) for name, g in grads.items()}


def global_norm(grads):
    """``sqrt(sum over arrays of sum(g^2))``: the norm of all gradients as one vector.

    Parameters
    ----------
    grads : dict of str to ndarray

    Returns
    -------
    float scalar (NumPy)
        In the dtype of the arrays (float32 stays float32).
    """
    grads = _arrays(grads)
    if not grads:
        raise ValueError("grads: expected at least one gradient array, received an "
                         "empty dict")
    return np.sqrt(sum((g**2).sum() for g in grads.values()))


def clip_by_global_norm(grads, max_norm):
    """Scale every gradient by ``max_norm / n`` if the global norm n exceeds it.

    Parameters
    ----------
    grads : dict of str to ndarray
        The gradients (of any shapes).
    max_norm : float
        The threshold, > 0.

    Returns
    -------
    clipped : dict of str to ndarray
        New arrays, the same names; the arguments are left as they were.
    norm : float scalar (NumPy)
        The global norm **before** clipping (worth logging: it shows the spikes).
    """
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real):
        raise TypeError(f"max_norm: expected a positive number, received {max_norm!r}")
    if not (max_norm > 0):
        raise ValueError(f"max_norm: expected a positive number, received {max_norm!r}")
    grads = _arrays(grads)
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0  # one factor for every array
    clipped = {name: (g * scale).astype(g.dtype, copy=False)  # float32 stays float32
               for name, g in grads.items()}
    return clipped, norm
