"""A whole network (chapter 11): a recurrent layer, then a linear readout.

    h_1, ..., h_T = LSTM (or plain tanh RNN) over x_1, ..., x_T, from h_0 = c_0 = 0
    y = W_y h_T + b_y                 read="last":  one prediction per sequence
    y_t = W_y h_t + b_y, every t      read="every": one prediction per step

The parameters are one dict, ``{"W", "b", "W_y", "b_y"}``, the form the
optimisers (:mod:`lstm_lesson.optimizers`) and the clipping
(:mod:`lstm_lesson.clipping`) work on. The recurrent layer is the package's
teaching code: :func:`lstm_lesson.sequence.sequence_forward` and
:func:`lstm_lesson.bptt.sequence_backward` for the LSTM (chapters 8 and 10),
:func:`lstm_lesson.rnn.rnn_forward` and :func:`lstm_lesson.rnn.rnn_backward` for
the RNN (chapter 1's baseline).

The forward cache keeps every step: :func:`states` returns the LSTM's
i, f, c~, o, c, h (or the RNN's h) of every step as (T, H, N) arrays, to look
inside a trained network.

Chapter 13's variants (:mod:`lstm_lesson.variants`: peepholes, CIFG, Greff's
ablations, the GRU) train the same way: ``kind`` is then one of their names, the
recurrent layer is :func:`lstm_lesson.variants.variant_forward` and
:func:`lstm_lesson.variants.variant_backward`, and the dict has the variant's
parameters (``W``, ``b`` and ``p`` or ``b_hn``) beside the readout's.

Shapes: xs (T, D, N); LSTM W (4H, H + D), b (4H, 1); RNN W (H, H + D), b (H, 1);
W_y (K, H), b_y (K, 1); y (K, N) for read="last", (T, K, N) for read="every".
Legend: N batch, T steps, D input size, H hidden size, K outputs.
"""

from collections.abc import Mapping

import numpy as np

from .bptt import sequence_backward
from .initialization import init_lstm, init_readout, init_rnn
from .readout import readout_backward, readout_forward
from .rnn import rnn_backward, rnn_forward
from .sequence import sequence_forward
from .shapes import expect
from .variants import KINDS as VARIANT_KINDS
from .variants import blocks, extra_parameters, init_variant, variant_backward, variant_forward

__all__ = ["KINDS", "READS", "init_network", "network_forward", "network_backward", "states"]

#: The recurrent layers, and where the readout reads.
KINDS, READS = ("lstm", "rnn"), ("last", "every")
#: Chapter 13's variants, trained through :mod:`lstm_lesson.variants`.
VARIANTS = tuple(kind for kind in VARIANT_KINDS if kind not in KINDS)
KINDS = KINDS + VARIANTS


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, allowed))}, "
                         f"received {value!r}")
    return value


def init_network(kind, input_size, hidden_size, output_size, seed=0, scheme="uniform",
                 forget_bias=1.0, orthogonal_recurrent=False, dtype=np.float64):
    """Parameters ``{"W", "b", "W_y", "b_y"}`` of a network, drawn from ``seed``.

    Parameters
    ----------
    kind : {"lstm", "rnn"} or one of :data:`VARIANTS`
    input_size, hidden_size, output_size : int
        D, H and K.
    seed : int
        The recurrent layer's weights come from ``seed``, the readout's from
        ``seed + 1``.
    scheme, orthogonal_recurrent :
        As in :func:`lstm_lesson.initialization.init_lstm`.
    forget_bias : float or None
        The LSTM's forget-gate bias (1 by default; None keeps the scheme's draw).
        Ignored for the RNN, which has no gates.
    dtype : float64 or float32
    """
    _choice("kind", kind, KINDS)
    if kind in VARIANTS:  # chapter 13: uniform +-1/sqrt(H), the forget bias as given
        W_y, b_y = init_readout(hidden_size, output_size, seed + 1, dtype)
        return {**init_variant(kind, input_size, hidden_size, seed, forget_bias, dtype),
                "W_y": W_y, "b_y": b_y}
    if kind == "lstm":
        W, b = init_lstm(input_size, hidden_size, scheme, forget_bias, orthogonal_recurrent,
                         seed, dtype)
    else:
        W, b = init_rnn(input_size, hidden_size, scheme, orthogonal_recurrent, seed, dtype)
    W_y, b_y = init_readout(hidden_size, output_size, seed + 1, dtype)
    return {"W": W, "b": b, "W_y": W_y, "b_y": b_y}


def _params(params, kind):
    if not isinstance(params, Mapping):
        raise TypeError(f"params: expected a dict with W, b, W_y, b_y, received "
                        f"{type(params).__name__}")
    missing = [name for name in ("W", "b", "W_y", "b_y") if name not in params]
    if missing:
        raise KeyError(f"params: missing {', '.join(missing)}")
    dims = {}
    rows = "4H" if kind == "lstm" else "H"
    if kind in VARIANTS:
        rows = f"{len(blocks(kind))}H"
        for name, size in extra_parameters(kind).items():
            if name not in params:
                raise KeyError(f"params: missing {name} (a {kind} cell has it)")
            expect(f"params[{name!r}]", params[name], (f"{size}H", 1), dims)
    W = expect("params['W']", params["W"], (rows, "H+D"), dims)
    b = expect("params['b']", params["b"], (rows, 1), dims)
    W_y = expect("params['W_y']", params["W_y"], ("K", "H"), dims)
    b_y = expect("params['b_y']", params["b_y"], ("K", 1), dims)
    return W, b, W_y, b_y, dims


def network_forward(params, xs, kind="lstm", read="last", h0=None, c0=None):
    """Run the network on a batch of sequences: return ``y, cache``.

    Parameters
    ----------
    params : dict
        ``W``, ``b`` (the recurrent layer), ``W_y``, ``b_y`` (the readout).
    xs : array_like, shape (T, D, N)
    kind : {"lstm", "rnn"}
    read : {"last", "every"}
        Read the last hidden state only, or every one.
    h0, c0 : array_like, shape (H, N), optional
        Initial states (zeros when omitted; the RNN has no c0).

    Returns
    -------
    y : ndarray, shape (K, N) for read="last", (T, K, N) for read="every"
    cache : dict
        ``kind``, ``read``, ``xs``, ``h0``, ``hs`` (T, H, N), ``state`` (the final
        ``(h, c)``, or ``(h, None)`` for the RNN), ``steps`` (the LSTM's step
        caches, None for the RNN), ``W`` and the readout's cache.
    """
    _choice("kind", kind, KINDS)
    _choice("read", read, READS)
    W, b, W_y, b_y, dims = _params(params, kind)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    H, N = dims["H"][0], dims["N"][0]
    zeros = np.zeros((H, N), dtype=np.result_type(xs, W))
    h0 = zeros if h0 is None else expect("h0", h0, ("H", "N"), dims)
    if kind in VARIANTS:
        hs, state, steps = variant_forward(
            kind, {name: params[name] for name in ("W", "b", *extra_parameters(kind))},
            xs, h0, c0)
    elif kind == "lstm":
        c0 = zeros if c0 is None else expect("c0", c0, ("H", "N"), dims)
        hs, state, steps = sequence_forward(xs, W, b, h0, c0)
    else:
        if c0 is not None:
            raise ValueError("c0: the plain RNN has no cell state; leave c0 out")
        hs, steps = rnn_forward(xs, h0, W, b), None
        state = (hs[-1], None)
    y, readout_cache = readout_forward(hs[-1] if read == "last" else hs, W_y, b_y)
    cache = {"kind": kind, "read": read, "xs": xs, "h0": h0, "hs": hs, "state": state,
             "steps": steps, "W": W, "readout": readout_cache}
    return y, cache


def network_backward(dy, cache):
    """Backward through readout and recurrent layer: return the gradients' dict.

    Parameters
    ----------
    dy : array_like, shape of the ``y`` that :func:`network_forward` returned
        dL/dy, from the loss's backward function.
    cache : dict
        What :func:`network_forward` returned.

    Returns
    -------
    dict
        ``{"W", "b", "W_y", "b_y"}``: dL/d of each parameter, shaped like it,
        summed over the batch and the steps (the loss's own averaging is in dy).
    """
    if not isinstance(cache, dict) or "readout" not in cache or "hs" not in cache:
        raise TypeError("cache: expected the dict returned by network_forward")
    dh, dW_y, db_y = readout_backward(dy, cache["readout"])
    hs = cache["hs"]
    if cache["read"] == "last":  # only h_T is read: no gradient arrives at the others
        dhs = np.zeros(hs.shape, dtype=dh.dtype)
        dhs[-1] = dh
    else:
        dhs = dh
    if cache["kind"] in VARIANTS:
        return {**variant_backward(dhs, cache["steps"])[3], "W_y": dW_y, "b_y": db_y}
    if cache["kind"] == "lstm":
        _, _, _, dW, db = sequence_backward(dhs, cache["steps"])
    else:
        _, _, dW, db = rnn_backward(dhs, cache["xs"], cache["h0"], hs, cache["W"])
    return {"W": dW, "b": db, "W_y": dW_y, "b_y": db_y}


def states(cache):
    """Every step's activations, as (T, H, N) arrays, from a forward cache.

    For the LSTM: ``i``, ``f``, ``c_tilde``, ``o`` (the gates and the
    candidate), ``c`` (the cell state) and ``h``; for the RNN: ``h`` only.
    ``states(cache)["f"][t, j, n]`` is unit j's forget gate at step t + 1 of
    sequence n.
    """
    if not isinstance(cache, dict) or "hs" not in cache or "steps" not in cache:
        raise TypeError("cache: expected the dict returned by network_forward")
    found = {"h": cache["hs"]}
    if cache["kind"] in VARIANTS:  # chapter 13's variants: the hidden states only
        return found
    if cache["steps"] is not None:
        for name, key in (("i", "i"), ("f", "f"), ("c_tilde", "c_tilde"), ("o", "o"),
                          ("c", "c_t")):
            found[name] = np.stack([step[key] for step in cache["steps"]])
    return found
