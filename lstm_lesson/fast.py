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

Two more arrangements, invisible from outside: the gate blocks are reordered
i, f, o, c~ inside (so the three sigmoid gates are one contiguous block), and
the sigmoid is computed as ``sigma(a) = (1 + tanh(a / 2)) / 2``, stable for
every ``a``, with the halving folded into the sigmoid rows of W and b (an exact
scaling by a power of two). One ``np.tanh`` then squashes all four blocks.

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


@dataclass
class FastCache:
    """What :func:`sequence_forward` keeps for :func:`sequence_backward`.

    ``gates`` (4H, T, N): the gates i, f, o, c~ of every step (internal
    order); ``cs`` (T, H, N): c_1, ..., c_T; ``xs`` (T, D, N), ``h0`` and
    ``c0`` (H, N): the inputs, as given; ``W`` (4H, H + D) and ``b`` (4H, 1)
    as given (course order i, f, c~, o).
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
        """How many arrays of T x H x N are saved for the backward pass: 4 gates + c = 5."""
        return (self.gates.size + self.cs.size) / self.cs.size

    @property
    def nbytes(self):
        """Bytes of the arrays this cache made (not the inputs it refers to)."""
        return self.gates.nbytes + self.cs.nbytes


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

    # Once per call: W and b in the internal order i, f, o, c~, the sigmoid rows halved.
    half = np.ones((4 * H, 1), dtype)
    half[:3 * H] = 0.5
    order = internal_order(H)
    W_int = W[order].astype(dtype, copy=False) * half
    W_h, W_x = W_int[:, :H], W_int[:, H:]

    # 1. The input projection of all steps in one product; the gates of step t
    #    are then computed in place, in gates[:, t], over its projection.
    gates = project_inputs(W_x, xs.astype(dtype, copy=False))
    gates += (b[order].astype(dtype, copy=False) * half)[:, :, None]  # + b, every step
    # 3. Every buffer made once, before the loop.
    hs = np.empty((T, H, N), dtype)
    cs = np.empty((T, H, N), dtype)
    product = np.empty((4 * H, N), dtype)
    scratch = np.empty((H, N), dtype)
    h, c = h0, c0
    for t in range(T):
        a = gates[:, t]
        np.matmul(W_h, h, out=product)
        a += product  # a / 2 on the sigmoid rows, a on the candidate's
        np.tanh(a, out=a)
        sig = a[:3 * H]
        sig *= 0.5
        sig += 0.5  # sigma(a) = (1 + tanh(a / 2)) / 2
        i, f, o, g = a[:H], a[H:2 * H], a[2 * H:3 * H], a[3 * H:]
        c_prev, c = c, cs[t]
        np.multiply(f, c_prev, out=c)
        np.multiply(i, g, out=scratch)
        c += scratch  # c_t = f_t * c_{t-1} + i_t * c~_t
        np.tanh(c, out=scratch)
        h = hs[t]
        np.multiply(o, scratch, out=h)  # h_t = o_t * tanh(c_t)
    cache = FastCache(gates=gates, cs=cs, xs=xs, h0=h0, c0=c0, W=W, b=b)
    return hs, (hs[-1].copy(), cs[-1].copy()), cache


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
                        f"lstm_lesson.fast.sequence_forward, received {type(cache).__name__}")
    gates, cs, xs = cache.gates, cache.cs, cache.xs
    T, D, N = xs.shape
    H = cs.shape[1]
    dims = {"T": (T, "cache"), "H": (H, "cache"), "N": (N, "cache")}
    dhs = expect("dhs", dhs, ("T", "H", "N"), dims)
    dh_T = None if dh_T is None else expect("dh_T", dh_T, ("H", "N"), dims)
    dc_T = None if dc_T is None else expect("dc_T", dc_T, ("H", "N"), dims)
    dtype = np.result_type(dhs, gates, *(g for g in (dh_T, dc_T) if g is not None))

    order = internal_order(H)
    W_int = cache.W[order].astype(dtype, copy=False)  # the true W: da is dL/da, not dL/d(a/2)
    W_hT = W_int[:, :H].T  # (H, 4H), a view: BLAS reads it transposed

    das = np.empty((4 * H, T, N), dtype)  # da_t in das[:, t]
    zs = np.empty((H + D, T, N), dtype)  # z_t = [h_{t-1}, x_t] in zs[:, t]
    zs[H:] = xs.transpose(1, 0, 2)
    zs[:H, 0] = cache.h0
    dh_next = np.zeros((H, N), dtype) if dh_T is None else dh_T.astype(dtype)  # from step t + 1
    dc = np.zeros((H, N), dtype) if dc_T is None else dc_T.astype(dtype)  # dL/dc_t, in place
    dh = np.empty((H, N), dtype)
    scratch = np.empty((H, N), dtype)
    slope = np.empty((3 * H, N), dtype)
    tanh_c = np.tanh(cs[T - 1])
    for t in range(T - 1, -1, -1):
        a, da = gates[:, t], das[:, t]
        i, f, o, g = a[:H], a[H:2 * H], a[2 * H:3 * H], a[3 * H:]
        np.add(dhs[t], dh_next, out=dh)  # h_t is read by the loss and by step t + 1
        do = da[2 * H:3 * H]
        np.multiply(dh, tanh_c, out=do)
        # dc += dh * o * (1 - tanh(c_t)^2), written as o * (dh - do * tanh(c_t))
        np.multiply(do, tanh_c, out=scratch)
        np.subtract(dh, scratch, out=scratch)
        scratch *= o
        dc += scratch
        np.multiply(dc, g, out=da[:H])  # di
        np.multiply(dc, cs[t - 1] if t else cache.c0, out=da[H:2 * H])  # df
        np.multiply(g, g, out=scratch)
        np.subtract(1, scratch, out=scratch)
        scratch *= i
        np.multiply(dc, scratch, out=da[3 * H:])  # da_c = dc * i * (1 - c~^2)
        np.subtract(1, a[:3 * H], out=slope)
        slope *= a[:3 * H]
        da[:3 * H] *= slope  # sigma' = s (1 - s) for i, f, o at once
        dc *= f  # dc_prev: the constant error carousel
        np.matmul(W_hT, da, out=dh_next)  # dh_prev = W_h^T da_t
        if t > 0:  # h_{t-1} for dW, and tanh(c_{t-1}) for the next iteration
            np.tanh(cs[t - 1], out=tanh_c)
            np.multiply(gates[2 * H:3 * H, t - 1], tanh_c, out=zs[:H, t])

    # 2. One product each for dW and for every step's dx, after the loop.
    back = np.argsort(order)
    dW = weight_gradient(das, zs)[back]
    db = das.reshape(4 * H, -1).sum(axis=1, keepdims=True)[back]
    dxs = (W_int[:, H:].T @ das.reshape(4 * H, -1)).reshape(D, T, N)
    return np.ascontiguousarray(dxs.transpose(1, 0, 2)), dh_next, dc, dW, db
