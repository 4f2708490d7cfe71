"""The reference LSTM cell, written straight from its six equations.

This is the class the project started from: four weight matrices acting on
the concatenation ``[h_{t-1}, x_t]`` (h first), column vectors, one bias
column per gate. Later chapters build faster, fused forms; each one is tested
against this class, so its numbers must never change: the weights are drawn
from ``np.random.default_rng(seed)`` in a fixed order (f, i, c, o; for each
gate W then b), uniform in [-1/sqrt(H), 1/sqrt(H)] as PyTorch initialises.

Shapes: D input size, H hidden size, N batch (one example is N = 1).
"""

from collections.abc import Mapping

import numpy as np

from .activations import sigmoid, tanh
from .shapes import check_size, expect, positive_int, seed_int

__all__ = ["LSTMCell", "GATES", "step"]

#: The reference cell's gate names, in the order the weights are drawn.
GATES = ("f", "i", "c", "o")


class LSTMCell:
    """One LSTM cell with separate gate parameters.

    Parameters
    ----------
    input_size : int
        D, the length of one input column ``x_t``.
    hidden_size : int
        H, the length of the hidden state ``h`` and the cell state ``c``.
    seed : int, optional
        Seed of ``np.random.default_rng`` for the initial weights (default 0).

    Attributes
    ----------
    W_f, W_i, W_c, W_o : ndarray, shape (H, H + D)
        Weights of the forget gate, input gate, candidate and output gate;
        the first H columns multiply ``h_{t-1}``, the last D multiply ``x_t``.
    b_f, b_i, b_c, b_o : ndarray, shape (H, 1)
        Bias columns.
    """

    def __init__(self, input_size, hidden_size, seed=0):
        self.input_size = positive_int("input_size", input_size)
        self.hidden_size = positive_int("hidden_size", hidden_size)
        D, H = self.input_size, self.hidden_size
        check_size(f"input_size={D}, hidden_size={H}", (4 * H, H + D))
        rng = np.random.default_rng(seed_int("seed", seed))
        bound = 1 / np.sqrt(H)
        for gate in GATES:
            setattr(self, f"W_{gate}", rng.uniform(-bound, bound, size=(H, H + D)))
            setattr(self, f"b_{gate}", rng.uniform(-bound, bound, size=(H, 1)))

    def parameters(self):
        """Return the eight arrays as a dict ``{"W_f": ..., "b_f": ..., ...}``."""
        return {
            f"{kind}_{gate}": getattr(self, f"{kind}_{gate}")
            for gate in GATES
            for kind in ("W", "b")
        }

    def forward(self, x_t, h_prev, c_prev):
        """One time step: return ``(h_t, c_t)``.

        Parameters
        ----------
        x_t : array_like, shape (D, N)
        h_prev, c_prev : array_like, shape (H, N)

        Returns
        -------
        h_t, c_t : ndarray, shape (H, N)
        """
        # Check against the cell's own sizes first, so that an input of the
        # wrong size is blamed on the input rather than on the weights.
        dims = {"D": (self.input_size, "input_size"), "H": (self.hidden_size, "hidden_size")}
        expect("x_t", x_t, ("D", "N"), dims)
        expect("h_prev", h_prev, ("H", "N"), dims)
        expect("c_prev", c_prev, ("H", "N"), dims)
        return step(x_t, h_prev, c_prev, self.parameters())

    def __repr__(self):
        return f"LSTMCell(input_size={self.input_size}, hidden_size={self.hidden_size})"


def step(x_t, h_prev, c_prev, params):
    """One LSTM step from the reference cell's six equations: return ``(h_t, c_t)``.

    Parameters
    ----------
    x_t : array_like, shape (D, N)
        Input at step t, one column per example.
    h_prev : array_like, shape (H, N)
        Hidden state h_{t-1}.
    c_prev : array_like, shape (H, N)
        Cell state c_{t-1}.
    params : dict
        ``W_f, W_i, W_c, W_o`` of shape (H, H + D) and ``b_f, b_i, b_c, b_o``
        of shape (H, 1), as :meth:`LSTMCell.parameters` returns them.

    Returns
    -------
    h_t : ndarray, shape (H, N)
    c_t : ndarray, shape (H, N)
    """
    dims = {}
    x_t = expect("x_t", x_t, ("D", "N"), dims)
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)
    c_prev = expect("c_prev", c_prev, ("H", "N"), dims)
    if not isinstance(params, Mapping):
        raise TypeError(
            "params: expected a dict with W_f, W_i, W_c, W_o and "
            f"b_f, b_i, b_c, b_o, received {type(params).__name__}"
        )
    missing = [f"{k}_{g}" for g in GATES for k in "Wb" if f"{k}_{g}" not in params]
    if missing:
        raise KeyError(f"params: missing {', '.join(missing)}")
    W = {g: expect(f"W_{g}", params[f"W_{g}"], ("H", "H+D"), dims) for g in GATES}
    b = {g: expect(f"b_{g}", params[f"b_{g}"], ("H", 1), dims) for g in GATES}

    z = np.vstack([h_prev, x_t])  # [h_{t-1}, x_t], shape (H + D, N)
    f = sigmoid(W["f"] @ z + b["f"])  # f_t = sigma(W_f [h_{t-1}, x_t] + b_f)
    i = sigmoid(W["i"] @ z + b["i"])  # i_t = sigma(W_i [h_{t-1}, x_t] + b_i)
    c_tilde = tanh(W["c"] @ z + b["c"])  # c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)
    c_t = f * c_prev + i * c_tilde  # c_t = f_t * c_{t-1} + i_t * c~_t
    o = sigmoid(W["o"] @ z + b["o"])  # o_t = sigma(W_o [h_{t-1}, x_t] + b_o)
    h_t = o * tanh(c_t)  # h_t = o_t * tanh(c_t)
    return h_t, c_t
