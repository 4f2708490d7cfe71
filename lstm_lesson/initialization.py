"""Initial weights (chapter 11): where training starts, all drawn from a seed.

* **Uniform +-1/sqrt(H)**: every weight and bias uniform in [-1/sqrt(H), 1/sqrt(H)],
  as PyTorch initialises ``nn.LSTM`` and ``nn.RNN``; for the LSTM this is
  exactly the reference cell's draw (:func:`lstm_lesson.fused.init_fused`).
* **Glorot** (Glorot & Bengio 2010): each gate's block (H, H + D) uniform in
  +-sqrt(6 / (fan_in + fan_out)) with fan_in = H + D and fan_out = H, so that a
  unit's pre-activation has about the variance of its inputs; biases 0.
* **Orthogonal recurrent block** (Saxe et al. 2014): each gate's H x H block
  acting on h_{t-1} replaced by a random orthogonal matrix, whose singular values
  are all 1: repeated products neither shrink nor grow a vector at the start.
* **Forget bias** (Gers et al. 2000; Jozefowicz et al. 2015): the forget gate's
  biases set to a value such as 1, so that f_t starts near sigma(1) = 0.73 and
  the cell state (and its gradient, chapter 10) is carried from step to step.

Shapes: LSTM W (4H, H + D), b (4H, 1), blocks i, f, c~, o; plain RNN W (H, H + D),
b (H, 1); readout W_y (K, H), b_y (K, 1). Legend: D input size, H hidden size,
K outputs.
"""

import numbers

import numpy as np

from .fused import gate_slice, init_fused
from .shapes import check_size, expect, positive_int, seed_int

__all__ = ["SCHEMES", "orthogonal", "glorot_uniform", "init_lstm", "init_rnn",
           "init_readout", "with_forget_bias", "with_orthogonal_recurrence"]

#: The weight schemes :func:`init_lstm` and :func:`init_rnn` know.
SCHEMES = ("uniform", "glorot")


def _dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype: expected a floating-point dtype, received {dtype}")
    return dtype


def orthogonal(size, seed=0, dtype=np.float64):
    """A random orthogonal (size, size) matrix Q: ``Q.T @ Q`` is the identity.

    The Q of the QR factorisation of a matrix of standard normal numbers, its
    columns' signs fixed by R's diagonal so that Q is uniformly distributed
    over the orthogonal matrices.
    """
    size = positive_int("size", size)
    check_size(f"size={size}", (size, size))
    rng = np.random.default_rng(seed_int("seed", seed))
    q, r = np.linalg.qr(rng.standard_normal((size, size)))
    return (q * np.sign(np.diag(r))).astype(_dtype(dtype))


def glorot_uniform(rows, columns, rng):
    """A (rows, columns) block uniform in +-sqrt(6 / (rows + columns)), from ``rng``."""
    limit = np.sqrt(6 / (rows + columns))
    return rng.uniform(-limit, limit, (rows, columns))


def with_forget_bias(b, value=1.0):
    """A copy of the fused LSTM bias ``b`` (4H, 1) with the forget gate's block set to ``value``."""
    b = expect("b", b, ("4H", 1), {})
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value: expected a number (the forget bias), received {value!r}")
    b = b.copy()
    b[gate_slice("f", b.shape[0] // 4)] = value
    return b


def with_orthogonal_recurrence(W, gates=4, seed=0):
    """A copy of ``W`` whose recurrent blocks (the columns acting on h_{t-1}) are orthogonal.

    Parameters
    ----------
    W : array_like, shape (gates * H, H + D)
        An LSTM's fused W (4H, H + D), each of its four gate blocks getting its
        own orthogonal (H, H) block, or a plain RNN's W (H, H + D) with ``gates=1``.
    gates : int
        How many blocks of H rows ``W`` stacks: 4 for the LSTM, 1 for the RNN.
    seed : int
        Seed of the orthogonal blocks (block k from ``seed + k``).
    """
    gates = positive_int("gates", gates)
    W = np.array(expect("W", W, (f"{gates}H", "H+D"), {}))
    H = W.shape[0] // gates
    seed = seed_int("seed", seed)
    for k in range(gates):
        W[k * H:(k + 1) * H, :H] = orthogonal(H, seed + k, W.dtype)
    return W


def init_lstm(input_size, hidden_size, scheme="uniform", forget_bias=None,
              orthogonal_recurrent=False, seed=0, dtype=np.float64):
    """Fused LSTM parameters ``(W, b)`` drawn from ``seed``.

    Parameters
    ----------
    input_size, hidden_size : int
        D and H.
    scheme : {"uniform", "glorot"}
        ``"uniform"``: the reference cell's (and PyTorch's) +-1/sqrt(H) for W and
        b; ``"glorot"``: Glorot-uniform gate blocks, zero biases.
    forget_bias : float, optional
        If given, the forget gate's biases are set to it (1 is the usual choice).
    orthogonal_recurrent : bool
        Replace each gate's recurrent (H, H) block by an orthogonal matrix.
    seed : int
    dtype : float64 or float32

    Returns
    -------
    W : ndarray, shape (4H, H + D)
    b : ndarray, shape (4H, 1)
    """
    D, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    dtype = _dtype(dtype)
    if scheme == "uniform":
        W, b = init_fused(D, H, seed=seed)
    elif scheme == "glorot":
        check_size(f"input_size={D}, hidden_size={H}", (4 * H, H + D))
        rng = np.random.default_rng(seed_int("seed", seed))
        W = np.vstack([glorot_uniform(H, H + D, rng) for _ in range(4)])
        b = np.zeros((4 * H, 1))
    else:
        raise ValueError(f"scheme: expected one of {', '.join(SCHEMES)}, received {scheme!r}")
    if orthogonal_recurrent:
        W = with_orthogonal_recurrence(W, gates=4, seed=seed)
    if forget_bias is not None:
        b = with_forget_bias(b, forget_bias)
    return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


def init_rnn(input_size, hidden_size, scheme="uniform", orthogonal_recurrent=False, seed=0,
             dtype=np.float64):
    """Plain-RNN parameters ``(W, b)``, W (H, H + D) and b (H, 1), drawn from ``seed``.

    ``scheme`` as in :func:`init_lstm`: ``"uniform"`` (+-1/sqrt(H), PyTorch's
    ``nn.RNN``, for W and b) or ``"glorot"`` (zero bias).
    """
    D, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    check_size(f"input_size={D}, hidden_size={H}", (H, H + D))
    dtype = _dtype(dtype)
    rng = np.random.default_rng(seed_int("seed", seed))
    if scheme == "uniform":
        bound = 1 / np.sqrt(H)
        W, b = rng.uniform(-bound, bound, (H, H + D)), rng.uniform(-bound, bound, (H, 1))
    elif scheme == "glorot":
        W, b = glorot_uniform(H, H + D, rng), np.zeros((H, 1))
    else:
        raise ValueError(f"scheme: expected one of {', '.join(SCHEMES)}, received {scheme!r}")
    if orthogonal_recurrent:
        W = with_orthogonal_recurrence(W, gates=1, seed=seed)
    return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


def init_readout(hidden_size, output_size, seed=0, dtype=np.float64):
    """Readout ``(W_y, b_y)``, (K, H) and (K, 1), uniform in +-1/sqrt(H) (PyTorch's ``nn.Linear``)."""
    H, K = positive_int("hidden_size", hidden_size), positive_int("output_size", output_size)
    check_size(f"hidden_size={H}, output_size={K}", (K, H))
    rng = np.random.default_rng(seed_int("seed", seed))
    bound = 1 / np.sqrt(H)
    W_y, b_y = rng.uniform(-bound, bound, (K, H)), rng.uniform(-bound, bound, (K, 1))
    return W_y.astype(_dtype(dtype)), b_y.astype(_dtype(dtype))
