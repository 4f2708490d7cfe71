"""The LSTM's relatives (chapter 13): peepholes, coupled gates, Greff's ablations, GRU.

Every LSTM variant is the cell of chapter 7 with one change, so they share one
step, :func:`variant_step`, steered by a :class:`Spec`:

    a   = W [h_{t-1}, x_t] + b            the variant's blocks, in the order i, f, c~, o
    i_t = sigma(a_i (+ p_i * c_{t-1}))   1 without an input gate; 1 - f_t when coupled
    f_t = sigma(a_f (+ p_f * c_{t-1}))   1 without a forget gate
    c~_t = tanh(a_c)                      a_c without an input activation
    c_t = f_t * c_{t-1} + i_t * c~_t
    o_t = sigma(a_o (+ p_o * c_t))        1 without an output gate
    h_t = o_t * tanh(c_t)                 o_t * c_t without an output activation

(the terms in brackets only with peepholes). The variants, by name:

========== ==================================================== ==================
kind       what changes (source)                                W, b rows; more
========== ==================================================== ==================
lstm       nothing: the cell of chapters 3-10                   4H: i, f, c~, o
peephole   c_{t-1} into i and f, c_t into o (Gers & Schmidhuber  4H; p (3H, 1):
           2000)                                                p_i, p_f, p_o
cifg       coupled input and forget gate, i = 1 - f              3H: f, c~, o
nfg        no forget gate, f = 1 (the 1997 cell; Greff's NFG)    3H: i, c~, o
nig        no input gate, i = 1 (Greff's NIG)                    3H: f, c~, o
nog        no output gate, o = 1 (Greff's NOG)                   3H: i, f, c~
niaf       no input activation, c~ = a_c (Greff's NIAF)          4H: i, f, c~, o
noaf       no output activation, h = o * c (Greff's NOAF)        4H: i, f, c~, o
========== ==================================================== ==================

and the gated recurrent unit (Cho et al. 2014), which has no cell state, in two
forms (:func:`gru_step`):

    r_t = sigma(a_r),  u_t = sigma(a_u)        [a_r; a_u] = W_ru [h_{t-1}, x_t] + b_ru
    gru:          n_t = tanh(W_n [r_t * h_{t-1}, x_t] + b_n)            (Cho et al.)
    gru_pytorch:  n_t = tanh(W_nx x_t + b_n + r_t * (W_nh h_{t-1} + b_hn))   (nn.GRU)
    h_t = (1 - u_t) * n_t + u_t * h_{t-1}

W is (3H, H + D) with blocks r, u, n (PyTorch's order r, z, n; the book calls
the update gate u, since z names [h_{t-1}, x_t]), b (3H, 1), and the PyTorch
form has one more bias, b_hn (H, 1), inside the reset product.

Parameters are a dict: ``W``, ``b``, and ``p`` (peephole) or ``b_hn``
(gru_pytorch). Peephole weights are diagonal: p_i * c_{t-1} is elementwise.

Shapes: x_t (D, N); h, c (H, N); xs (T, D, N); hs (T, H, N); W (GH, H + D),
b (GH, 1) with G the number of blocks. Legend: N batch, T steps, D input size,
H hidden size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid, tanh
from .shapes import expect, positive_int, seed_int

__all__ = ["Spec", "SPECS", "VARIANTS", "GRUS", "KINDS", "blocks", "extra_parameters",
           "init_variant", "parameter_count", "variant_step", "variant_step_backward",
           "gru_step", "gru_step_backward", "variant_forward", "variant_backward"]


@dataclass(frozen=True)
class Spec:
    """What an LSTM variant keeps: its gate blocks and its switches."""

    blocks: tuple = ("i", "f", "c", "o")  # the blocks of W and b, top to bottom
    peephole: bool = False  # c_{t-1} into i and f, c_t into o
    coupled: bool = False  # i = 1 - f
    input_activation: bool = True  # c~ = tanh(a_c), else a_c
    output_activation: bool = True  # h = o * tanh(c), else o * c


#: The LSTM variants, by name.
SPECS = {
    "lstm": Spec(),
    "peephole": Spec(peephole=True),
    "cifg": Spec(blocks=("f", "c", "o"), coupled=True),
    "nfg": Spec(blocks=("i", "c", "o")),
    "nig": Spec(blocks=("f", "c", "o")),
    "nog": Spec(blocks=("i", "f", "c")),
    "niaf": Spec(input_activation=False),
    "noaf": Spec(output_activation=False),
}
#: The LSTM variants and the two GRUs; every name the package trains.
VARIANTS = tuple(SPECS)
GRUS = ("gru", "gru_pytorch")
KINDS = VARIANTS + GRUS


def _kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {', '.join(map(repr, KINDS))}, "
                         f"received {kind!r}")
    return kind


def blocks(kind):
    """The names of the blocks of ``W`` and ``b``, top to bottom (H rows each)."""
    return ("r", "u", "n") if _kind(kind) in GRUS else SPECS[kind].blocks


def extra_parameters(kind):
    """The parameters besides ``W`` and ``b``: name -> rows in units of H."""
    _kind(kind)
    if kind == "gru_pytorch":
        return {"b_hn": 1}
    return {"p": 3} if kind in SPECS and SPECS[kind].peephole else {}


def parameter_count(kind, input_size, hidden_size):
    """How many numbers a variant's cell has: G H (H + D) + G H, plus p or b_hn.

    The LSTM: 4H(H + D) + 4H; a GRU: 3H(H + D) + 3H (+ H for PyTorch's b_hn).
    """
    D = positive_int("input_size", input_size)
    H = positive_int("hidden_size", hidden_size)
    G = len(blocks(kind))
    return G * H * (H + D) + G * H + sum(extra_parameters(kind).values()) * H


def init_variant(kind, input_size, hidden_size, seed=0, forget_bias=1.0,
                 dtype=np.float64):
    """A variant's parameters ``{"W", "b", ...}``, uniform in +-1/sqrt(H), from seed.

    As :func:`lstm_lesson.initialization.init_lstm` draws the LSTM's (PyTorch's
    scheme), for every block the variant has; the forget gate's bias is set to
    ``forget_bias`` where there is a forget gate (None keeps the draw).
    Peephole weights start at 0, PyTorch's b_hn with the rest.

    Returns
    -------
    dict
        ``W`` (G H, H + D), ``b`` (G H, 1), and ``p`` (3H, 1) or ``b_hn`` (H, 1).
    """
    D = positive_int("input_size", input_size)
    H = positive_int("hidden_size", hidden_size)
    rng = np.random.default_rng(seed_int("seed", seed))
    names = blocks(kind)
    bound = 1 / np.sqrt(H)
    params = {"W": rng.uniform(-bound, bound, (len(names) * H, H + D)),
              "b": rng.uniform(-bound, bound, (len(names) * H, 1))}
    if "f" in names and kind in SPECS and forget_bias is not None:
        k = names.index("f")
        params["b"][k * H:(k + 1) * H] = forget_bias
    for name, rows in extra_parameters(kind).items():
        params[name] = (np.zeros((rows * H, 1)) if name == "p"
                        else rng.uniform(-bound, bound, (rows * H, 1)))
    return {name: value.astype(dtype) for name, value in params.items()}


def _split(a, names):
    """The (H, N) blocks of a stacked (G H, N) array, by name."""
    H = a.shape[0] // len(names)
    return {name: a[k * H:(k + 1) * H] for k, name in enumerate(names)}


# -- The LSTM variants: one step forward and back ------------------------------

def variant_step(kind, x_t, h_prev, c_prev, params):
    """One step of an LSTM variant: return ``h_t, c_t, cache``.

    Parameters
    ----------
    kind : str
        One of :data:`VARIANTS` (the GRUs: :func:`gru_step`).
    x_t : ndarray, shape (D, N)
    h_prev, c_prev : ndarray, shape (H, N)
    params : dict
        ``W`` (G H, H + D) and ``b`` (G H, 1), blocks :func:`blocks(kind)
        <blocks>`; ``p`` (3H, 1), blocks p_i, p_f, p_o, for ``"peephole"``.

    Returns
    -------
    h_t, c_t : ndarray, shape (H, N)
    cache : dict
        What :func:`variant_step_backward` needs; a gate a variant lacks is the
        number 1.0 (``1 - f`` for the coupled input gate).
    """
    spec = SPECS[kind]
    W, b = params["W"], params["b"]
    a = _split(W @ np.vstack([h_prev, x_t]) + b, spec.blocks)
    if spec.peephole:
        p = _split(params["p"], ("i", "f", "o"))
        a["i"] = a["i"] + p["i"] * c_prev  # the gates see the cell they guard
        a["f"] = a["f"] + p["f"] * c_prev
    f = sigmoid(a["f"]) if "f" in a else 1.0
    if spec.coupled:
        i = 1 - f  # write exactly as much as is forgotten
    else:
        i = sigmoid(a["i"]) if "i" in a else 1.0
    c_tilde = tanh(a["c"]) if spec.input_activation else a["c"]
    c_t = f * c_prev + i * c_tilde
    if spec.peephole:
        a["o"] = a["o"] + p["o"] * c_t  # the output gate sees the new cell
    o = sigmoid(a["o"]) if "o" in a else 1.0
    squashed = tanh(c_t) if spec.output_activation else c_t
    h_t = o * squashed
    cache = {"kind": kind, "x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i,
             "f": f, "c_tilde": c_tilde, "o": o, "c_t": c_t, "squashed": squashed,
             "params": params}
    return h_t, c_t, cache


def _sigmoid_back(d, s):
    return d * s * (1 - s)  # sigma' = s (1 - s)


def variant_step_backward(dh_next, dc_next, cache):
    """Backward through one step of an LSTM variant.

    Parameters
    ----------
    dh_next, dc_next : ndarray, shape (H, N)
        dL/dh_t and dL/dc_t arriving from above.
    cache : dict
        What :func:`variant_step` returned.

    Returns
    -------
    dx : ndarray, shape (D, N)
    dh_prev, dc_prev : ndarray, shape (H, N)
    grads : dict
        ``W`` (G H, H + D), ``b`` (G H, 1) and ``p`` (3H, 1) for peepholes,
        summed over the batch.
    """
    spec = SPECS[cache["kind"]]
    params = cache["params"]
    i, f, c_tilde, o = cache["i"], cache["f"], cache["c_tilde"], cache["o"]
    c_prev, c_t, squashed = cache["c_prev"], cache["c_t"], cache["squashed"]
    da = {}
    # h_t = o_t * s(c_t), s = tanh or the identity
    do = dh_next * squashed
    ds = dh_next * o
    dc = dc_next + (ds * (1 - squashed**2) if spec.output_activation else ds)
    if "o" in spec.blocks:
        da["o"] = _sigmoid_back(do, o)
        if spec.peephole:  # a_o = ... + p_o * c_t
            dc = dc + params["p"][2 * len(c_t):] * da["o"]
    # c_t = f_t * c_{t-1} + i_t * c~_t
    df, di, dc_tilde, dc_prev = dc * c_prev, dc * c_tilde, dc * i, dc * f
    if spec.coupled:
        df = df - di  # i = 1 - f: f reaches c_t twice
    if "i" in spec.blocks:
        da["i"] = _sigmoid_back(di, i)
    if "f" in spec.blocks:
        da["f"] = _sigmoid_back(df, f)
    da["c"] = dc_tilde * (1 - c_tilde**2) if spec.input_activation else dc_tilde
    grads = {}
    if spec.peephole:  # a_i and a_f read c_{t-1}, a_o reads c_t
        H = c_t.shape[0]
        p_i, p_f = params["p"][:H], params["p"][H:2 * H]
        dc_prev = dc_prev + p_i * da["i"] + p_f * da["f"]
        grads["p"] = np.vstack([(da["i"] * c_prev).sum(axis=1, keepdims=True),
                                (da["f"] * c_prev).sum(axis=1, keepdims=True),
                                (da["o"] * c_t).sum(axis=1, keepdims=True)])
    da = np.vstack([da[name] for name in spec.blocks])
    dx, dh_prev, dW, db = _linear_back(da, cache["h_prev"], cache["x_t"], params["W"])
    return dx, dh_prev, dc_prev, {"W": dW, "b": db, **grads}


def _linear_back(da, h_prev, x_t, W):
    """Backward through ``a = W [h_{t-1}, x_t] + b``: ``dx, dh_prev, dW, db``."""
    H = h_prev.shape[0]
    dW = da @ np.vstack([h_prev, x_t]).T
    dz = W.T @ da
    return dz[H:], dz[:H], dW, da.sum(axis=1, keepdims=True)


# -- The GRU ----------------------------------------------------------------------

def gru_step(kind, x_t, h_prev, params):
    """One GRU step: return ``h_t, cache``.

    Parameters
    ----------
    kind : {"gru", "gru_pytorch"}
        Cho et al.'s reset (before the product with W_nh) or PyTorch's (after it).
    x_t : ndarray, shape (D, N)
    h_prev : ndarray, shape (H, N)
    params : dict
        ``W`` (3H, H + D), blocks W_r, W_u, W_n; ``b`` (3H, 1); and for
        ``"gru_pytorch"`` ``b_hn`` (H, 1).

    Returns
    -------
    h_t : ndarray, shape (H, N)
    cache : dict
    """
    W, b = params["W"], params["b"]
    H = h_prev.shape[0]
    a = W[:2 * H] @ np.vstack([h_prev, x_t]) + b[:2 * H]
    r, u = sigmoid(a[:H]), sigmoid(a[H:])  # reset and update gates
    W_nh, W_nx = W[2 * H:, :H], W[2 * H:, H:]
    if kind == "gru":  # Cho et al.: reset h_{t-1}, then the product
        m = None
        n = tanh(W_nh @ (r * h_prev) + W_nx @ x_t + b[2 * H:])
    else:  # PyTorch: the product, then reset
        m = W_nh @ h_prev + params["b_hn"]
        n = tanh(W_nx @ x_t + b[2 * H:] + r * m)
    h_t = (1 - u) * n + u * h_prev
    cache = {"kind": kind, "x_t": x_t, "h_prev": h_prev, "r": r, "u": u, "n": n, "m": m,
             "params": params}
    return h_t, cache


def gru_step_backward(dh_next, cache):
    """Backward through one GRU step: return ``dx, dh_prev, grads``.

    ``grads`` holds ``W`` (3H, H + D), ``b`` (3H, 1) and, for ``"gru_pytorch"``,
    ``b_hn`` (H, 1), summed over the batch.
    """
    params, h_prev, x_t = cache["params"], cache["h_prev"], cache["x_t"]
    r, u, n, m = cache["r"], cache["u"], cache["n"], cache["m"]
    W = params["W"]
    H = h_prev.shape[0]
    W_nh, W_nx = W[2 * H:, :H], W[2 * H:, H:]
    # h_t = (1 - u) * n + u * h_{t-1}
    da_n = dh_next * (1 - u) * (1 - n**2)
    du = dh_next * (h_prev - n)
    dh_prev = dh_next * u
    grads = {}
    if cache["kind"] == "gru":  # a_n = W_nh (r * h) + W_nx x + b_n
        drh = W_nh.T @ da_n
        dr = drh * h_prev
        dh_prev = dh_prev + drh * r
        dW_n = da_n @ np.vstack([r * h_prev, x_t]).T
    else:  # a_n = W_nx x + b_n + r * (W_nh h + b_hn)
        dr, dm = da_n * m, da_n * r
        dh_prev = dh_prev + W_nh.T @ dm
        dW_n = np.hstack([dm @ h_prev.T, da_n @ x_t.T])
        grads["b_hn"] = dm.sum(axis=1, keepdims=True)
    dx = W_nx.T @ da_n
    da_ru = np.vstack([_sigmoid_back(dr, r), _sigmoid_back(du, u)])
    dx_ru, dh_ru, dW_ru, db_ru = _linear_back(da_ru, h_prev, x_t, W[:2 * H])
    return dx + dx_ru, dh_prev + dh_ru, {
        "W": np.vstack([dW_ru, dW_n]),
        "b": np.vstack([db_ru, da_n.sum(axis=1, keepdims=True)]), **grads}


# -- Whole sequences ------------------------------------------------------------------

def _check_params(kind, params, xs, h0, c0):
    dims = {}
    G = len(blocks(kind))
    checked = {"W": expect("params['W']", params["W"], (f"{G}H", "H+D"), dims),
               "b": expect("params['b']", params["b"], (f"{G}H", 1), dims)}
    for name, rows in extra_parameters(kind).items():
        if name not in params:
            raise KeyError(f"params: a {kind} cell needs {name!r} ({rows}H, 1)")
        checked[name] = expect(f"params[{name!r}]", params[name], (f"{rows}H", 1), dims)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    H, N = dims["H"][0], dims["N"][0]
    zeros = np.zeros((H, N), dtype=np.result_type(xs, checked["W"]))
    h0 = zeros if h0 is None else expect("h0", h0, ("H", "N"), dims)
    if kind in GRUS and c0 is not None:
        raise ValueError("c0: the GRU has no cell state; leave c0 out")
    c0 = zeros if c0 is None else expect("c0", c0, ("H", "N"), dims)
    return checked, xs, h0, c0


def variant_forward(kind, params, xs, h0=None, c0=None):
    """Run a variant over a sequence: return ``hs, (h, c), caches``.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    params : dict
        ``W``, ``b`` and the variant's extra parameters (:func:`init_variant`).
    xs : array_like, shape (T, D, N)
    h0, c0 : array_like, shape (H, N), optional
        Initial states, zeros when omitted (the GRU has no c0).

    Returns
    -------
    hs : ndarray, shape (T, H, N)
    (h, c) : the final states, (H, N) each; c is None for the GRU
    caches : list of dict, one per step
    """
    params, xs, h, c = _check_params(_kind(kind), params, xs, h0, c0)
    hs = np.empty((xs.shape[0],) + h.shape, dtype=np.result_type(xs, h, params["W"]))
    caches = []
    for t, x_t in enumerate(xs):
        if kind in GRUS:
            h, cache = gru_step(kind, x_t, h, params)
        else:
            h, c, cache = variant_step(kind, x_t, h, c, params)
        hs[t] = h
        caches.append(cache)
    return hs, (h, None if kind in GRUS else c), caches


def variant_backward(dhs, caches):
    """Backpropagation through time for a variant: return ``dxs, dh0, dc0, grads``.

    Parameters
    ----------
    dhs : array_like, shape (T, H, N)
        dL/dhs[t] from the loss at every step (zeros where it reads nothing).
    caches : list of dict
        What :func:`variant_forward` returned.

    Returns
    -------
    dxs : ndarray, shape (T, D, N)
    dh0, dc0 : ndarray, shape (H, N); dc0 is None for the GRU
    grads : dict
        dL/d of each parameter, shaped like it, summed over steps and batch.
    """
    if not isinstance(caches, list) or not caches or "kind" not in caches[0]:
        raise TypeError("caches: expected the list of step caches of variant_forward")
    kind = caches[0]["kind"]
    H, N = caches[0]["h_prev"].shape
    D = caches[0]["x_t"].shape[0]
    dhs = expect("dhs", dhs, ("T", "H", "N"),
                 {"T": (len(caches), "caches"), "H": (H, "caches"), "N": (N, "caches")})
    dtype = np.result_type(dhs, caches[0]["params"]["W"])
    dh, dc = np.zeros((H, N), dtype), np.zeros((H, N), dtype)
    dxs = np.empty((len(caches), D, N), dtype)
    grads = {name: np.zeros_like(value, dtype=dtype)
             for name, value in caches[0]["params"].items()}
    for t in reversed(range(len(caches))):
        if kind in GRUS:
            dxs[t], dh, step = gru_step_backward(dhs[t] + dh, caches[t])
        else:
            dxs[t], dh, dc, step = variant_step_backward(dhs[t] + dh, dc, caches[t])
        for name, value in step.items():
            grads[name] += value  # the same parameters at every step
    return dxs, dh, None if kind in GRUS else dc, grads
