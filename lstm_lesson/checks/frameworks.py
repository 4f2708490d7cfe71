"""Checkers for chapter 15: the LSTM in the frameworks.

The references come from the private copy of the package, so patching
``lstm_lesson.frameworks`` cannot fool them.
"""

import functools

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import _module

frameworks = _module("frameworks")
fused = _module("fused")

__all__ = ["check_to_keras", "check_to_onnx", "check_torch_extra_count"]

#: (D, H): D and H different, so that a mix-up of the x and h columns shows in
#: the shapes; and D = H, where only the numbers can show it.
SIZES = [(3, 2), (2, 4), (1, 1), (4, 4), (5, 3)]


def _cases(seed):
    found = []
    for k, (D, H) in enumerate(SIZES):
        rng = np.random.default_rng(seed + k)
        W, b = fused.init_fused(D, H, seed=seed + k)
        W = W + rng.normal(0, 0.1, W.shape)
        b = b + rng.normal(0, 1.0, b.shape)
        # Each gate block shifted by its own amount: any two blocks differ.
        W = W + np.repeat(np.arange(4.0)[:, None], H, axis=0)
        found.append(Case(f"D={D}, H={H}", (W, b)))
    return found


def _blocks(M, order):
    """M's gate blocks (course order i, f, c, o) restacked in ``order``."""
    H = M.shape[0] // 4
    return np.concatenate([M["ifco".index(g) * H : ("ifco".index(g) + 1) * H] for g in order])


# -- Build: the Keras layout ------------------------------------------------------------


def _keras(order="ifco", swap=False, transpose=True, column_bias=False, exchanged=False):
    """A reader's to_keras with one slip; the defaults are right. ``swap`` takes the
    last H columns for h and the first D for x; ``exchanged`` returns the right
    two blocks in each other's place."""

    def to_keras(W, b):
        H = W.shape[0] // 4
        W_h, W_x = W[:, :H], W[:, H:]
        if swap:
            W_h, W_x = W[:, -H:], W[:, :-H]
        W_x, W_h, bias = _blocks(W_x, order), _blocks(W_h, order), _blocks(b, order)
        if transpose:
            W_x, W_h = W_x.T, W_h.T
        if exchanged:
            W_x, W_h = W_h, W_x
        return [W_x, W_h, bias if column_bias else bias[:, 0]]

    return to_keras


KERAS_FIX = (
    "kernel = W[:, H:].T (the x columns), recurrent_kernel = W[:, :H].T (the h "
    "columns), bias = b[:, 0]; Keras keeps the course's order i, f, c, o."
)

KERAS_MISTAKES = [
    Mistake(
        "x and h columns swapped",
        "W's first H columns act on h_{t-1} and the last D on x_t; the kernel "
        "is the one that acts on the input.",
        "kernel from W[:, H:] (the x columns), recurrent_kernel from W[:, :H].",
        _keras(swap=True),
    ),
    Mistake(
        "kernel and recurrent_kernel swapped",
        "Your two weight arrays are in each other's place: Keras's kernel is the one "
        "that multiplies the input x_t, its recurrent kernel the one that multiplies "
        "h_{t-1}.",
        "Return [W[:, H:].T, W[:, :H].T, b[:, 0]]: the x columns' block first, (D, 4H), "
        "then the h columns', (H, 4H).",
        _keras(exchanged=True),
    ),
    Mistake(
        "not transposed",
        "Keras multiplies a row of inputs by its kernel on the right: its arrays are "
        "the transposes of the course's blocks.",
        "Transpose both blocks: W[:, H:].T is (D, 4H), W[:, :H].T is (H, 4H).",
        _keras(transpose=False),
    ),
    Mistake(
        "bias kept as a column",
        "Keras's bias is one flat vector of 4H numbers, not a (4H, 1) column.",
        "bias = b[:, 0] (or b.ravel()), shape (4H,).",
        _keras(column_bias=True),
    ),
    Mistake(
        "ONNX's gate order",
        "i, o, f, c is ONNX's order; Keras stacks its gates as the course does.",
        "Keep the blocks in W's order, i, f, c, o: no reordering for Keras.",
        _keras(order="iofc"),
    ),
    Mistake(
        "CS231n's gate order",
        "i, f, o, g is the CS231n assignment's order; Keras stacks its gates as the course does.",
        "Leave the rows as they are: Keras's c block is the course's c~, third.",
        _keras(order="ifoc"),
    ),
]


def check_to_keras(to_keras_fn, hint=1):
    """Check ``to_keras(W, b) -> [kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,)]``
    (a list, as ``set_weights`` takes it; a tuple of the three passes too)."""
    return run_check(
        "check_to_keras",
        to_keras_fn,
        frameworks.to_keras,
        _cases(1500),
        KERAS_MISTAKES,
        generic_hint="Split W into the columns that read h_{t-1} and those that read "
        "x_t, transpose each for Keras's rows, and flatten b.",
        generic_fix=KERAS_FIX,
        outputs=("kernel", "recurrent_kernel", "bias"),
        returns="[kernel, recurrent_kernel, bias]",
        rtol=0,
        atol=0,
        hint=hint,
    )


# -- Debug: the ONNX layout --------------------------------------------------------


def _onnx(order="iofc", swap=False, recurrence_bias="zeros", flat=False, bias_order=None):
    """A reader's to_onnx with one slip, returning (W, R, B); the defaults are right.

    ``recurrence_bias`` is how b is shared between B's halves: "zeros" (all of
    it in the first), "halves" (half in each), "first zeros" (all in the
    second), all right; "b" (all of it in both) is a slip. ``bias_order``: b's
    blocks in another order than W's (default: the same).
    """

    def to_onnx(W, b):
        H = W.shape[0] // 4
        W_h, W_x = (W[:, H:], W[:, :H]) if swap else (W[:, :H], W[:, H:])
        bias = _blocks(b, bias_order or order)[:, 0]
        zeros = np.zeros_like(bias)
        B = np.concatenate({"zeros": [bias, zeros], "halves": [bias / 2, bias / 2],
                            "first zeros": [zeros, bias], "b": [bias, bias]}[recurrence_bias])
        arrays = _blocks(W_x, order), _blocks(W_h, order), B
        return arrays if flat else tuple(a[None] for a in arrays)

    return to_onnx


ONNX_FIX = (
    "Stack the blocks as i, o, f, c: rows [0:H], [3H:4H], [H:2H], [2H:3H] of W "
    "and b; W = that of W[:, H:], R = that of W[:, :H], B = [b, zeros] (or any "
    "two halves that add up to b, such as [b/2, b/2]), each with a leading axis of 1."
)


def _splits(**slip):
    """The slip ``slip`` with b shared between B's halves in the other right ways."""
    return tuple(_onnx(recurrence_bias=split, **slip) for split in ("halves", "first zeros"))

ONNX_MISTAKES = [
    Mistake(
        "CS231n's order i, f, o, c",
        "That is the order of the CS231n assignment; ONNX puts the output gate second.",
        "Order the blocks i, o, f, c: rows [0:H], [3H:4H], [H:2H], [2H:3H].",
        _onnx(order="ifoc"),
        variants=_splits(order="ifoc"),
    ),
    Mistake(
        "the course's order kept",
        "ONNX does not stack its gates as the course does.",
        ONNX_FIX,
        _onnx(order="ifco"),
        variants=_splits(order="ifco"),
    ),
    Mistake(
        "x and h columns swapped",
        "ONNX's W acts on the input and R on the previous hidden state; yours are "
        "the other way round.",
        "W from W[:, H:] (the x columns), R from W[:, :H] (the h columns).",
        _onnx(swap=True),
        variants=_splits(swap=True),
    ),
    Mistake(
        "b in both halves of B",
        "ONNX adds both halves of B, so your bias counts twice.",
        "The two halves of B must add up to b reordered: B = [b reordered, zeros], "
        "for instance.",
        _onnx(recurrence_bias="b"),
    ),
    Mistake(
        "b left in the course's order",
        "W and R are in ONNX's order, but the bias is not: its blocks must be "
        "reordered the same way as the rows of the weights.",
        "Reorder b's blocks as W's, i, o, f, c: rows [0:H], [3H:4H], [H:2H], [2H:3H] "
        "of b, then B = [that, zeros].",
        _onnx(bias_order="ifco"),
        variants=_splits(bias_order="ifco"),
    ),
    Mistake(
        "no leading axis of 1",
        "ONNX's arrays have a first axis for the direction: (1, 4H, D), (1, 4H, H), (1, 8H).",
        "Add the axis: W_x[None], R[None], B[None].",
        _onnx(flat=True),
        variants=_splits(flat=True),
    ),
]


def _to_onnx_tuple(W, b):
    arrays = frameworks.to_onnx(W, b)
    return arrays["W"], arrays["R"], arrays["B"]


def _bias_as_the_reference(fn):
    """``fn`` (a reader's to_onnx), its B replaced by the reference's when the two
    halves add up to the right bias: ONNX adds them, so any such split is right.

    Only a B of the right shape, (1, 8H), whose halves add up to the reference's
    (within rounding) is replaced; any other B, and W and R, are as returned, so
    that a wrong answer is shown as it is.
    """
    if not callable(fn):
        return fn

    @functools.wraps(fn)
    def to_onnx(W, b):
        right = _to_onnx_tuple(W.copy(), b.copy())[2]
        value = fn(W, b)
        if not (isinstance(value, (tuple, list)) and len(value) == 3):
            return value
        try:
            B = np.asarray(value[2], dtype=float)
        except (TypeError, ValueError):
            return value
        if B.shape != right.shape:
            return value
        half = right.shape[1] // 2
        if np.allclose(B[:, :half] + B[:, half:], right[:, :half], rtol=1e-12, atol=1e-12):
            return type(value)([value[0], value[1], right])
        return value

    return to_onnx


def check_to_onnx(to_onnx_fn, hint=1):
    """Check ``to_onnx(W, b) -> (W (1, 4H, D), R (1, 4H, H), B (1, 8H))``, gates i, o, f, c.

    ONNX adds B's two halves, so any B whose halves add up to b (reordered)
    is right: [b, 0], [0, b], [b/2, b/2].
    """
    return run_check(
        "check_to_onnx",
        _bias_as_the_reference(to_onnx_fn),
        _to_onnx_tuple,
        _cases(1600),
        ONNX_MISTAKES,
        generic_hint="Reorder the gate blocks to ONNX's i, o, f, c, split the x and h "
        "columns, and give B both of ONNX's biases, which ONNX adds.",
        generic_fix=ONNX_FIX,
        outputs=("W", "R", "B"),
        rtol=0,
        atol=0,
        hint=hint,
    )


# -- Predict: PyTorch's extra numbers ---------------------------------------------------

#: The question: nn.LSTM(input_size=10, hidden_size=20) against the course's W and b.
D_Q, H_Q = 10, 20

EXTRA_FIX = (
    "PyTorch stores two biases of 4H numbers where the course stores one: "
    "4 x 20 = 80 numbers more, the weights being the same 4H (H + D)."
)

EXTRA_PREDICTIONS = [
    WrongPrediction(
        "the same count",
        0,
        "The weights are the same numbers, but not every part of PyTorch's "
        "layout has a counterpart in the course's.",
        EXTRA_FIX,
    ),
    WrongPrediction(
        "both biases counted as extra",
        8 * H_Q,
        "One of PyTorch's two biases plays the role of the course's b; only the other is extra.",
        EXTRA_FIX,
    ),
    WrongPrediction(
        "one bias per gate, not per unit",
        4,
        "Each bias has one number per unit and gate, 4H of them, not one per gate.",
        EXTRA_FIX,
    ),
    WrongPrediction(
        "H extra", H_Q, "The extra bias covers all four gates, not one block of H.", EXTRA_FIX
    ),
]


def check_torch_extra_count(prediction, hint=1):
    """Check a prediction of (numbers in nn.LSTM(10, 20)) - (numbers in W and b)."""
    return run_prediction(
        "check_torch_extra_count",
        prediction,
        4 * H_Q,
        EXTRA_PREDICTIONS,
        generic_hint="List PyTorch's four arrays and their shapes, and the course's two, "
        "and compare.",
        generic_fix=EXTRA_FIX,
        rtol=0,
        atol=0.5,
        hint=hint,
    )
