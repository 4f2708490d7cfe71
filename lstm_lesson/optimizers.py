"""Optimisers (chapter 11): one step of gradient descent, three ways.

Each optimiser is two small pure functions on a dict of parameter arrays
(``{"W": ..., "b": ..., "W_y": ..., "b_y": ...}``) and the dict of their
gradients with the same names:

* ``<name>_init(params)`` returns the optimiser's state (what it remembers
  between steps), all zeros;
* ``<name>_step(params, grads, state, lr, ...)`` returns ``(params, state)``,
  both new: nothing passed in is changed.

The three:

* **SGD**: ``p <- p - lr g``. No state.
* **Momentum** (PyTorch's form): ``v <- mu v + g``, ``p <- p - lr v``. The
  velocity v is a running sum of past gradients, decayed by mu per step.
* **Adam** (Kingma & Ba 2015, Algorithm 1): running means of the gradient and
  of its square, ``m <- beta1 m + (1 - beta1) g``, ``v <- beta2 v + (1 - beta2) g^2``;
  with the step count t (1 on the first step) their bias-corrected forms
  ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``; and the step
  ``p <- p - lr m_hat / (sqrt(v_hat) + eps)``. Each entry's step is about lr
  in size whatever the scale of its gradient.

Every array keeps the dtype of its parameter (float32 stays float32).
"""

import numbers
from collections.abc import Mapping

import numpy as np

from .shapes import as_float_array

__all__ = ["sgd_init", "sgd_step", "momentum_init", "momentum_step", "adam_init",
           "adam_step", "OPTIMIZERS"]


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a positive number, received {value!r}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name}: expected a positive number, received {value!r}")
    return float(value)


def _fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number in [0, 1), received {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name}: expected a number in [0, 1), received {value!r}")
    return float(value)


def _check(params, grads):
    """``params`` and ``grads``: dicts with the same names and shapes; return copies as arrays."""
    for name, value in (("params", params), ("grads", grads)):
        if not isinstance(value, Mapping):
            raise TypeError(f"{name}: expected a dict of name to array, received "
                            f"{type(value).__name__}")
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise KeyError("grads: expected the names of params" +
                       (f"; missing {missing}" if missing else "") +
                       (f"; not in params {extra}" if extra else ""))
    arrays, gradients = {}, {}
    for name in params:
        arrays[name] = as_float_array(f"params[{name!r}]", params[name])
        gradients[name] = as_float_array(f"grads[{name!r}]", grads[name])
        if gradients[name].shape != arrays[name].shape:
            raise ValueError(f"grads[{name!r}]: expected the shape of params[{name!r}], "
                             f"{arrays[name].shape}, received {gradients[name].shape}")
    return arrays, gradients


def _zeros(params):
    return {name: np.zeros_like(as_float_array(f"params[{name!r}]", p))
            for name, p in params.items()}


def sgd_init(params):
    """SGD remembers nothing: an empty state."""
    _check(params, params)
    return {}


def sgd_step(params, grads, state, lr):
    """One SGD step ``p - lr g`` for every parameter: return ``(params, state)``.

    Parameters
    ----------
    params, grads : dict of str to ndarray
        The parameters and their gradients, same names and shapes.
    state : dict
        From :func:`sgd_init` (empty).
    lr : float
        The learning rate, > 0.
    """
    params, grads = _check(params, grads)
    lr = _positive("lr", lr)
    return {name: (p - lr * grads[name]).astype(p.dtype, copy=False)
            for name, p in params.items()}, state


def momentum_init(params):
    """The velocity of every parameter, zeros: ``{"velocity": {name: zeros}}``."""
    return {"velocity": _zeros(params)}


def momentum_step(params, grads, state, lr, momentum=0.9):
    """One step with momentum: ``v <- momentum v + g``, ``p <- p - lr v``.

    Parameters
    ----------
    params, grads : dict of str to ndarray
    state : dict
        ``{"velocity": {name: array}}`` from :func:`momentum_init` or the last step.
    lr : float
        The learning rate, > 0.
    momentum : float
        The decay of the velocity per step, in [0, 1); 0 is SGD.

    Returns
    -------
    params, state : dict
        New dicts; the arguments are left as they were.
    """
    params, grads = _check(params, grads)
    lr, momentum = _positive("lr", lr), _fraction("momentum", momentum)
    velocity = {}
    new = {}
    for name, p in params.items():
        v = momentum * state["velocity"][name] + grads[name]
        velocity[name] = v.astype(p.dtype)
        new[name] = (p - lr * velocity[name]).astype(p.dtype, copy=False)
    return new, {"velocity": velocity}


def adam_init(params):
    """Adam's state before the first step: ``{"t": 0, "m": zeros, "v": zeros}``."""
    return {"t": 0, "m": _zeros(params), "v": _zeros(params)}


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma & Ba 2015, Algorithm 1): return ``(params, state)``.

    Parameters
    ----------
    params, grads : dict of str to ndarray
        The parameters and their gradients, same names and shapes.
    state : dict
        ``{"t": steps taken so far, "m": {name: array}, "v": {name: array}}``,
        from :func:`adam_init` or the previous step.
    lr : float
        The learning rate (the paper's alpha), > 0.
    beta1, beta2 : float
        Decay rates of the running means of g and g^2, in [0, 1).
    eps : float
        Added to sqrt(v_hat) so that the division is safe, > 0.

    Returns
    -------
    params, state : dict
        New dicts (``state["t"]`` one more); the arguments are left as they were.
    """
    params, grads = _check(params, grads)
    lr, eps = _positive("lr", lr), _positive("eps", eps)
    beta1, beta2 = _fraction("beta1", beta1), _fraction("beta2", beta2)
    t = state["t"] + 1  # this step's number: 1 on the first step
    m, v, new = {}, {}, {}
    for name, p in params.items():
        g = grads[name]
        m[name] = (beta1 * state["m"][name] + (1 - beta1) * g).astype(p.dtype)
        v[name] = (beta2 * state["v"][name] + (1 - beta2) * g**2).astype(p.dtype)
        m_hat = m[name] / (1 - beta1**t)  # the means started at 0: correct the bias
        v_hat = v[name] / (1 - beta2**t)
        step = lr * m_hat / (np.sqrt(v_hat) + eps)
        new[name] = (p - step).astype(p.dtype, copy=False)
    return new, {"t": t, "m": m, "v": v}


#: name: (init, step) for the training loop.
OPTIMIZERS = {"sgd": (sgd_init, sgd_step), "momentum": (momentum_init, momentum_step),
              "adam": (adam_init, adam_step)}
