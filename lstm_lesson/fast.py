"""The fast path (chapter 14): the same sequence forward and backward, quicker.

:func:`sequence_forward` and :func:`sequence_backward` take and return exactly
what :func:`lstm_lesson.sequence.sequence_forward` and
:func:`lstm_lesson.bptt.sequence_backward` do (only the cache differs: a
:class:`FastCache` instead of a list of step dicts) and agree with them to
rounding (1e-12 in float64; the tests check). The teaching functions stay as
they are, one line per equation; here the same equations are arranged for the
machine, one change at a time, each measured in chapter 14:

1. **The input projection of all T steps in one matrix product.** Of
   ``a_t = W [h_{t-1}, x_t] + b``, the part ``W_x x_t + b`` does not depend on
   the previous step, so it is computed for every step at once:
   ``W_x [x_1 ... x_T]``, one (4H, D) x (D, T N) product. Only
   ``W_h h_{t-1}`` is left in the loop.
2. **The weight gradient as one product over all steps.** ``dW`` is the sum
   over t of ``da_t z_t^T``, which is ``[da_1 ... da_T] [z_1 ... z_T]^T``: one
   (4H, T N) x (T N, H + D) product after the loop, instead of T small
   products and T weight-sized temporaries inside it. The same holds for the
   inputs' gradients ``dx_t = W_x^T da_t``: one product for all steps.
3. **Preallocated buffers and in-place activations.** Every array the loops
   write is made once, before the loop, and each operation writes into it
   (``np.tanh(a, out=a)``) instead of returning a new array.
4. **float32 stays float32**: the arrays keep the inputs' precision.

Three more arrangements, invisible from outside. Inside, examples are
**rows**, as in the frameworks: step t's gates are one contiguous (N, 4H)
block of a (T, N, 4H) array, and so is everything the loops touch. The gate
blocks are reordered i, f, o, c~, so that the three sigmoid gates sit side
by side. And in float64 one ``1 / (1 + exp(.))`` squashes all four blocks:
the sigmoid rows of W and b are multiplied by -1 and the candidate's by -2
(exact scalings by powers of two), which gives sigma(a) and sigma(2a), and
tanh(a) = 2 sigma(2a) - 1. NumPy's float64 ``tanh`` is several times slower
than its ``exp`` on this kind of processor, and the pre-activations are
clipped to +-700 first, so ``exp`` can neither overflow nor underflow. In
float32, and for small steps (N H below 1024), where the number of NumPy calls
matters more, one ``np.tanh`` squashes them instead, with the sigmoid rows
halved: sigma(a) = (1 + tanh(a / 2)) / 2.

Memory saved for the backward pass: the four gates and the cell states, five
arrays of T x H x N (the teaching cache keeps seven per step, and a reference
to W in each). The backward pass recomputes ``tanh(c_t)`` and ``h_{t-1} =
o_{t-1} tanh(c_{t-1})`` from them, one ``tanh`` per step, as the forward did.

Shapes: xs (T, D, N); h0, c0, h, c (H, N); hs (T, H, N); W (4H, H + D);
b (4H, 1); dhs (T, H, N); dxs (T, D, N). Legend: N batch, T steps, D input
size, H hidden size.
"""

from dataclasses import dataclass

import numpy as np

from .shapes import expect

__all__ = ["FastCache", "sequence_forward", "sequence_backward", "internal_order",
           "project_inputs", "weight_gradient"]


def internal_order(H):
    """Row indices that reorder the blocks i, f, c~, o of W into i, f, o, c~.

    ``W[internal_order(H)]`` puts the three sigmoid gates first, as one block
    of 3H rows; ``np.argsort(internal_order(H))`` undoes it.
    """
    return np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]


def project_inputs(W_x, xs):
    """``W_x x_t`` for every step in one matrix product: return (4H, T, N).

    Parameters
    ----------
    W_x : ndarray, shape (4H, D)
        The columns of W that multiply the input.
    xs : ndarray, shape (T, D, N)

    Returns
    -------
    ndarray, shape (4H, T, N)
        ``out[:, t]`` is ``W_x @ xs[t]``. The steps' columns lie side by side,
        ``[x_1 ... x_T]`` is (D, T N), so that one product computes them all.
    """
    T, D, N = xs.shape
    columns = xs.transpose(1, 0, 2).reshape(D, T * N)  # [x_1 ... x_T], (D, T N)
    return (W_x @ columns).reshape(W_x.shape[0], T, N)


def weight_gradient(das, zs):
    """``sum_t da_t z_t^T`` as one product: return (4H, H + D).

    Parameters
    ----------
    das : ndarray, shape (4H, T, N)
        ``das[:, t]`` is step t's gradient at the pre-activations.
    zs : ndarray, shape (H + D, T, N)
        ``zs[:, t]`` is step t's ``z_t = [h_{t-1}, x_t]``.

    Returns
    -------
    ndarray, shape (4H, H + D)
        ``[da_1 ... da_T] [z_1 ... z_T]^T``, which is the sum over the steps
        (and the batch) of ``da_t z_t^T``.
    """
    rows, cols = das.shape[0], zs.shape[0]
    return das.reshape(rows, -1) @ zs.reshape(cols, -1).T


#: Pre-activations are clipped to +-this before ``exp`` (per dtype): exp stays
#: finite and normal, and sigma changes by less than 1e-30 (float64) or 1e-34
#: (float32) of its value, far below rounding.
_CLIP = {np.dtype(np.float64): 700.0, np.dtype(np.float32): 80.0}


def _weights(W, dtype, exp=True):
    """W in the internal order i, f, o, c~, its rows scaled (exactly: powers of two).

    With ``exp``, the sigmoid rows times -1 and the candidate's times -2, so that
    one ``1 / (1 + exp(.))`` squashes every block (:func:`_squash`): sigma(a),
    and sigma(2a) for the candidate, from which tanh(a) = 2 sigma(2a) - 1.
    Without, the sigmoid rows times 1/2, for sigma(a) = (1 + tanh(a / 2)) / 2
    (:func:`_squash_tanh`): fewer NumPy calls, for small steps.
    """
    H = W.shape[0] // 4
    scale = np.full((4 * H, 1), -1.0 if exp else 0.5, dtype)
    scale[3 * H:] = -2.0 if exp else 1.0
    return W[internal_order(H)].astype(dtype, copy=False) * scale, scale


def _squash(a, H, clip):
    """The gates from the scaled pre-activations, in place: (N, 4H), i, f, o, c~."""
    np.clip(a, -clip, clip, out=a)
    np.exp(a, out=a)
    a += 1
    np.reciprocal(a, out=a)  # sigma(a) for i, f, o; sigma(2a) for c~
    g = a[:, 3 * H:]
    g *= 2
    g -= 1  # c~ = tanh(a_c) = 2 sigma(2 a_c) - 1


def _squash_tanh(a, H):
    """:func:`_squash` for rows scaled by ``_weights(..., exp=False)``: 3 calls."""
    np.tanh(a, out=a)
    sig = a[:, :3 * H]
    sig *= 0.5
    sig += 0.5  # sigma(a) = (1 + tanh(a / 2)) / 2


#: Below this many numbers per step (N H), and in float32, the squashing uses
#: np.tanh: fewer calls, and float32's tanh is fast.
_SMALL = 1024


def _tanh(c, out, clip):
    """tanh(c) into ``out``. float64's ``np.tanh`` is slow (no vector code for it
    here), ``exp`` is not: tanh(c) = 2 / (1 + exp(-2c)) - 1."""
    if c.dtype != np.float64 or c.size < _SMALL:
        return np.tanh(c, out=out)
    np.multiply(c, -2.0, out=out)
    np.clip(out, -clip, clip, out=out)
    np.exp(out, out=out)
    out += 1
    np.divide(2.0, out, out=out)
    out -= 1
    return out


@dataclass
class FastCache:
    """What :func:`sequence_forward` keeps for :func:`sequence_backward`.

    Examples are stored as **rows** here, as the frameworks store them, so
    that each step's numbers are one contiguous block: ``gates`` (T, N, 4H),
    the gates i, f, o, c~ of every step (internal order); ``cs`` (T, N, H):
    c_1, ..., c_T. ``xs`` (T, D, N), ``h0`` and ``c0`` (H, N): the inputs, as
    given; ``W`` (4H, H + D) and ``b`` (4H, 1) as given (course order i, f, c~, o).

    A cache serves **one** backward pass: :func:`sequence_backward` writes the
    gradients at the pre-activations over the gates it has used (``gates`` is
    then None), so that the backward pass needs no second array of that size.
    """

    gates: np.ndarray
    cs: np.ndarray
    xs: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    W: np.ndarray
    b: np.ndarray

    @property
    def saved_arrays(self):
        """Arrays of T x H x N saved for the backward pass: 4 gates + c = 5."""
        return (4 * self.cs.size + self.cs.size) / self.cs.size

    @property
    def nbytes(self):
        """Bytes of the arrays this cache made (not the inputs it refers to)."""
        return 5 * self.cs.nbytes


def sequence_forward(xs, W, b, h0=None, c0=None):
    """The fast forward pass over a sequence: return ``hs, (h, c), cache``.

    The same arguments and results as
    :func:`lstm_lesson.sequence.sequence_forward` (``hs`` (T, H, N), the final
    ``(h, c)``), with a :class:`FastCache` for :func:`sequence_backward`.

    Parameters
    ----------
    xs : array_like, shape (T, D, N)
    W : array_like, shape (4H, H + D)
        Fused weights, blocks i, f, c~, o.
    b : array_like, shape (4H, 1)
    h0, c0 : array_like, shape (H, N), optional
        Zeros when omitted.
    """
    dims = {}
    W = expect("W", W, ("4H", "H+D"), dims)
    b = expect("b", b, ("4H", 1), dims)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    h0 = None if h0 is None else expect("h0", h0, ("H", "N"), dims)
    c0 = None if c0 is None else expect("c0", c0, ("H", "N"), dims)
    T, D, N = xs.shape
    H = dims["H"][0]
    dtype = np.result_type(xs, W, b, *(s for s in (h0, c0) if s is not None))
    h0 = np.zeros((H, N), dtype) if h0 is None else h0.astype(dtype, copy=False)
    c0 = np.zeros((H, N), dtype) if c0 is None else c0.astype(dtype, copy=False)
    clip = _CLIP.get(np.dtype(dtype), 80.0)
    by_exp = np.dtype(dtype) == np.float64 and N * H >= _SMALL
    W_int, scale = _weights(W, dtype, by_exp)  # once per call, not per step
    b_int = (b[internal_order(H)].astype(dtype, copy=False) * scale)[:, 0]

    # 1. The input projection of every step in one product, examples as rows:
    #    [x_1 ... x_T]^T W_x^T + b, (T N, D) x (D, 4H). Row block t is step t's.
    rows = np.ascontiguousarray(xs.transpose(0, 2, 1), dtype=dtype)  # (T, N, D)
    gates = (rows.reshape(T * N, D) @ W_int[:, H:].T).reshape(T, N, 4 * H)
    gates += b_int
    # 3. Every buffer made once, before the loop; each operation writes in place.
    hs = np.empty((T, H, N), dtype)  # the course's layout; the loop writes hs[t].T
    cs = np.empty((T, N, H), dtype)
    product = np.empty((N, 4 * H), dtype)
    scratch = np.empty((N, H), dtype)
    W_hT = np.ascontiguousarray(W_int[:, :H].T)  # (H, 4H), read at every step
    h, c = np.ascontiguousarray(h0.T), np.ascontiguousarray(c0.T)
    for t in range(T):
        a = gates[t]
        np.matmul(h, W_hT, out=product)
        a += product  # the step's scaled pre-activations
        _squash(a, H, clip) if by_exp else _squash_tanh(a, H)
        i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        c_prev, c = c, cs[t]
        np.multiply(f, c_prev, out=c)
        np.multiply(i, g, out=scratch)
        c += scratch  # c_t = f_t * c_{t-1} + i_t * c~_t
        _tanh(c, scratch, clip)
        h = hs[t].T  # (N, H), a view: rows for the next step's product
        np.multiply(o, scratch, out=h)  # h_t = o_t * tanh(c_t)
    cache = FastCache(gates=gates, cs=cs, xs=xs, h0=h0, c0=c0, W=W, b=b)
    return hs, (hs[-1].copy(), cs[-1].T.copy()), cache


def sequence_backward(dhs, cache, dh_T=None, dc_T=None):
    """The fast backward pass: return ``dxs, dh0, dc0, dW, db``.

    The same arguments and results as :func:`lstm_lesson.bptt.sequence_backward`,
    with the :class:`FastCache` of :func:`sequence_forward`.

    Parameters
    ----------
    dhs : array_like, shape (T, H, N)
        Upstream gradients on every hidden state.
    cache : FastCache
    dh_T, dc_T : array_like, shape (H, N), optional
        Upstream gradients on the final state; zeros when omitted.

    Returns
    -------
    dxs (T, D, N), dh0 (H, N), dc0 (H, N), dW (4H, H + D), db (4H, 1).
    """
    if not isinstance(cache, FastCache):
        raise TypeError("cache: expected the FastCache returned by "
                        "lstm_lesson.fast.sequence_forward, received "
                        f"{type(cache).__name__}")
    if cache.gates is None:
        raise RuntimeError("cache: this cache has served a backward pass already, "
                           "which reused its memory; run fast.sequence_forward "
                           "again (PyTorch frees what a forward pass saved in the "
                           "same way)")
    gates, cs, xs = cache.gates, cache.cs, cache.xs
    T, D, N = xs.shape
    H = cs.shape[2]
    dims = {"T": (T, "cache"), "H": (H, "cache"), "N": (N, "cache")}
    dhs = expect("dhs", dhs, ("T", "H", "N"), dims)
    dh_T = None if dh_T is None else expect("dh_T", dh_T, ("H", "N"), dims)
    dc_T = None if dc_T is None else expect("dc_T", dc_T, ("H", "N"), dims)
    dtype = np.result_type(dhs, gates, *(g for g in (dh_T, dc_T) if g is not None))
    clip = _CLIP.get(np.dtype(dtype), 80.0)

    W_int = cache.W[internal_order(H)].astype(dtype, copy=False)  # W, unscaled
    W_h = np.ascontiguousarray(W_int[:, :H])  # (4H, H): dh_{t-1} = da_t W_h
    # da_t goes where step t's gates were, once they have been used: the cache
    # serves one backward pass, and no second (T, N, 4H) array is needed.
    das = gates if gates.dtype == dtype else np.empty((T, N, 4 * H), dtype)
    cache.gates = None
    da = np.empty((N, 4 * H), dtype)  # step t's da, copied into das[t] at the end
    zs = np.empty((T, N, H + D), dtype)  # z_t = [h_{t-1}, x_t], rows, in zs[t]
    zs[:, :, H:] = xs.transpose(0, 2, 1)
    zs[0, :, :H] = cache.h0.T
    dh_next = np.zeros((N, H), dtype) if dh_T is None else dh_T.T.astype(dtype)
    dc = np.zeros((N, H), dtype) if dc_T is None else dc_T.T.astype(dtype)
    c0 = cache.c0.T
    dh = np.empty((N, H), dtype)
    scratch = np.empty((N, H), dtype)
    slope = np.empty((N, 3 * H), dtype)
    tanh_c = _tanh(cs[T - 1], np.empty((N, H), dtype), clip)
    for t in range(T - 1, -1, -1):
        a = gates[t]
        i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        np.add(dhs[t].T, dh_next, out=dh)  # read by the loss and by step t + 1
        do = da[:, 2 * H:3 * H]
        np.multiply(dh, tanh_c, out=do)
        # dc += dh * o * (1 - tanh(c_t)^2), written as o * (dh - do * tanh(c_t))
        np.multiply(do, tanh_c, out=scratch)
        np.subtract(dh, scratch, out=scratch)
        scratch *= o
        dc += scratch
        np.multiply(dc, g, out=da[:, :H])  # di
        np.multiply(dc, cs[t - 1] if t else c0, out=da[:, H:2 * H])  # df
        np.multiply(g, g, out=scratch)
        np.subtract(1, scratch, out=scratch)
        scratch *= i
        np.multiply(dc, scratch, out=da[:, 3 * H:])  # da_c = dc * i * (1 - c~^2)
        np.subtract(1, a[:, :3 * H], out=slope)
        slope *= a[:, :3 * H]
        da[:, :3 * H] *= slope  # sigma' = s (1 - s) for i, f, o at once
        dc *= f  # dc_prev: the constant error carousel
        np.matmul(da, W_h, out=dh_next)  # dh_prev = W_h^T da_t, as rows
        das[t] = da
        if t > 0:  # h_{t-1} for dW, and tanh(c_{t-1}) for the next iteration
            _tanh(cs[t - 1], tanh_c, clip)
            np.multiply(gates[t - 1, :, 2 * H:3 * H], tanh_c, out=zs[t, :, :H])

    # 2. One product each for dW and for every step's dx, after the loop.
    back = np.argsort(internal_order(H))
    flat = das.reshape(T * N, 4 * H)
    dW = (flat.T @ zs.reshape(T * N, H + D))[back]  # sum_t da_t z_t^T
    db = flat.sum(axis=0)[back][:, None]
    dxs = (flat @ W_int[:, H:]).reshape(T, N, D)  # every dx_t = W_x^T da_t
    dxs = np.ascontiguousarray(dxs.transpose(0, 2, 1))
    return dxs, dh_next.T.copy(), dc.T.copy(), dW, db
