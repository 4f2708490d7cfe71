"""Checkers for chapter 14: making it fast.

The references come from the private copy of the package (``fast`` is loaded
there like every other module), so patching ``lstm_lesson.fast`` cannot fool
them.
"""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import _module

fast = _module("fast")

__all__ = ["check_weight_gradient", "check_project_inputs", "check_input_gradients",
           "check_saved_megabytes"]

#: Sizes (T, D, H, N): T, D and N all different wherever they can be, so that a
#: reshape that mixes steps, inputs and examples gives other numbers; one step;
#: one example; H = 1.
SIZES = [(3, 2, 4, 5), (4, 5, 2, 3), (1, 3, 2, 4), (6, 2, 3, 1), (2, 3, 1, 4)]


def _arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


def _name(T, D, H, N):
    return f"T={T}, D={D}, H={H}, N={N}"


# -- The weight gradient as one product --------------------------------------------

def _gradient_cases():
    return [Case(_name(T, D, H, N), tuple(_arrays(1400 + k, (4 * H, T, N), (H + D, T, N))))
            for k, (T, D, H, N) in enumerate(SIZES)]


def _flat(a):
    return a.reshape(a.shape[0], -1)


WEIGHT_GRADIENT_MISTAKES = [
    Mistake(
        "last step only",
        "W is shared by every step: its gradient collects all of them, not the last "
        "step's alone.",
        "Flatten the steps and the batch into the columns: das.reshape(4H, T N) @ "
        "zs.reshape(H + D, T N).T.",
        lambda das, zs: das[:, -1] @ zs[:, -1].T,
    ),
    Mistake(
        "averaged over the steps",
        "The loss adds the steps' contributions, so dW is their sum; yours is divided "
        "by the number of steps.",
        "Return the product itself, without dividing by T.",
        lambda das, zs: _flat(das) @ _flat(zs).T / das.shape[1],
    ),
    Mistake(
        "averaged over the batch",
        "Each example adds its own contribution: dW is a sum over the batch, not a mean.",
        "Return the product itself, without dividing by N.",
        lambda das, zs: _flat(das) @ _flat(zs).T / das.shape[2],
    ),
    Mistake(
        "product in the wrong order",
        "Your result is dW's transpose: the rows of dW belong to the 4H pre-activations, "
        "its columns to the H + D entries of z.",
        "Put da first: das.reshape(4H, -1) @ zs.reshape(H + D, -1).T.",
        lambda das, zs: _flat(zs) @ _flat(das).T,
    ),
    Mistake(
        "columns of da and z in different orders",
        "Column k of the flattened da must belong to the same step and example as "
        "column k of the flattened z: one of yours is ordered another way.",
        "Flatten both the same way: das.reshape(4H, -1) and zs.reshape(H + D, -1).",
        lambda das, zs: _flat(das) @ zs.transpose(0, 2, 1).reshape(zs.shape[0], -1).T,
    ),
    Mistake(
        "sums multiplied instead of a product",
        "dW pairs every pre-activation with every entry of z: that is a matrix product "
        "over the columns, not an elementwise one.",
        "Use @ between the flattened das and the transposed flattened zs.",
        lambda das, zs: _flat(das).sum(axis=1, keepdims=True) * _flat(zs).sum(axis=1),
    ),
]


def check_weight_gradient(weight_gradient_fn, hint=1):
    """Check ``weight_gradient(das, zs) -> dW``: das (4H, T, N), zs (H + D, T, N),
    dW (4H, H + D) = the sum over steps and examples of ``da_t z_t^T``."""
    return run_check(
        "check_weight_gradient", weight_gradient_fn, fast.weight_gradient, _gradient_cases(),
        WEIGHT_GRADIENT_MISTAKES,
        generic_hint="Put every step's columns side by side, for da and for z alike, "
        "and take one matrix product.",
        generic_fix="das.reshape(4H, T N) @ zs.reshape(H + D, T N).T.",
        rtol=1e-10, atol=1e-12, hint=hint, one_product=True,
    )


# -- The input projection in one product -----------------------------------------------

def _projection_cases():
    return [Case(_name(T, D, H, N), tuple(_arrays(1500 + k, (4 * H, D), (T, D, N))))
            for k, (T, D, H, N) in enumerate(SIZES)]


def _bad_projection(columns, shape="4H,T,N"):
    def project(W_x, xs):
        T, D, N = xs.shape
        out = W_x @ columns(xs)
        if shape == "T,4H,N":
            return out.reshape(W_x.shape[0], T, N).transpose(1, 0, 2)
        return out.reshape(W_x.shape[0], T, N)
    return project


PROJECTION_MISTAKES = [
    Mistake(
        "reshaped without moving D to the front",
        "xs is (T, D, N): a reshape to (D, T N) keeps the memory order, so its rows "
        "are not the D inputs; move the input axis to the front first.",
        "columns = xs.transpose(1, 0, 2).reshape(D, T * N), then (W_x @ columns)"
        ".reshape(4H, T, N).",
        _bad_projection(lambda xs: xs.reshape(xs.shape[1], -1)),
    ),
    Mistake(
        "examples and steps swapped in the columns",
        "Your columns run over the examples first and the steps second, but the result "
        "is read back as (4H, T, N): steps first.",
        "columns = xs.transpose(1, 0, 2).reshape(D, T * N): axis order D, T, N.",
        _bad_projection(lambda xs: xs.transpose(1, 2, 0).reshape(xs.shape[1], -1)),
    ),
    Mistake(
        "steps first in the result",
        "The result is asked as (4H, T, N), the projection of step t in out[:, t]; yours "
        "puts the steps first.",
        "Reshape the product (4H, T N) to (4H, T, N) and return it without transposing.",
        _bad_projection(lambda xs: xs.transpose(1, 0, 2).reshape(xs.shape[1], -1),
                        shape="T,4H,N"),
    ),
]


def check_project_inputs(project_inputs_fn, hint=1):
    """Check ``project_inputs(W_x, xs) -> (4H, T, N)``: W_x (4H, D), xs (T, D, N);
    ``out[:, t] == W_x @ xs[t]``."""
    return run_check(
        "check_project_inputs", project_inputs_fn, fast.project_inputs, _projection_cases(),
        PROJECTION_MISTAKES,
        generic_hint="Lay the steps' inputs side by side as the columns of one "
        "(D, T N) matrix, multiply once, and give the result the shape (4H, T, N).",
        generic_fix="columns = xs.transpose(1, 0, 2).reshape(D, T * N); return "
        "(W_x @ columns).reshape(4H, T, N).",
        rtol=1e-10, atol=1e-12, hint=hint, one_product=True,
    )


# -- Every dx_t in one product (a change: the same idea, for the inputs' gradients) ---

def input_gradients(W_x, das):
    """``dx_t = W_x^T da_t`` for every step at once: W_x (4H, D), das (4H, T, N)
    -> dxs (T, D, N)."""
    _, T, N = das.shape
    return (W_x.T @ _flat(das)).reshape(W_x.shape[1], T, N).transpose(1, 0, 2)


def _input_gradient_cases():
    return [Case(_name(T, D, H, N), tuple(_arrays(1600 + k, (4 * H, D), (4 * H, T, N))))
            for k, (T, D, H, N) in enumerate(SIZES)]


INPUT_GRADIENT_MISTAKES = [
    Mistake(
        "result left as (D, T, N)",
        "dxs is (T, D, N), like xs: step t's gradient in dxs[t]. Yours keeps the input "
        "axis first.",
        "Reshape the product to (D, T, N), then .transpose(1, 0, 2).",
        lambda W_x, das: (W_x.T @ _flat(das)).reshape(W_x.shape[1], *das.shape[1:]),
    ),
    Mistake(
        "reshaped instead of transposed",
        "A reshape of the (D, T N) product to (T, D, N) keeps the memory order and mixes "
        "inputs, steps and examples; the axes must be moved.",
        "(W_x.T @ das.reshape(4H, -1)).reshape(D, T, N).transpose(1, 0, 2).",
        lambda W_x, das: (W_x.T @ _flat(das)).reshape(das.shape[1], W_x.shape[1],
                                                     das.shape[2]),
    ),
    Mistake(
        "summed over the steps",
        "Each step has its own input, so each gets its own gradient: nothing is summed "
        "over t (unlike dW).",
        "Keep the T steps apart: reshape the product to (D, T, N) and transpose.",
        lambda W_x, das: np.repeat((W_x.T @ das.sum(axis=1))[None], das.shape[1], axis=0),
    ),
]


def check_input_gradients(input_gradients_fn, hint=1):
    """Check ``input_gradients(W_x, das) -> dxs``: W_x (4H, D), das (4H, T, N),
    dxs (T, D, N) with ``dxs[t] == W_x.T @ das[:, t]``."""
    return run_check(
        "check_input_gradients", input_gradients_fn, input_gradients,
        _input_gradient_cases(), INPUT_GRADIENT_MISTAKES,
        generic_hint="The steps' da side by side are one (4H, T N) matrix: one product "
        "with W_x's transpose gives every dx_t; then give it the shape of xs.",
        generic_fix="(W_x.T @ das.reshape(4H, -1)).reshape(D, T, N).transpose(1, 0, 2).",
        rtol=1e-10, atol=1e-12, hint=hint, one_product=True,
    )


# -- Predict: the cache's size ------------------------------------------------------

#: The chapter's question: (N, D, H, T) of the large shape, in float32.
LARGE = (64, 256, 512, 50)


def _saved_megabytes(N=LARGE[0], D=LARGE[1], H=LARGE[2], T=LARGE[3], itemsize=4):
    return 5 * T * H * N * itemsize / 1e6


SAVED_FIX = ("Four gates and c_t, each T H N numbers: 5 x 50 x 512 x 64 numbers of 4 "
             "bytes (float32), about 32.8 million bytes.")

SAVED_PREDICTIONS = [
    WrongPrediction("float64 bytes", _saved_megabytes(itemsize=8),
                    "The arrays keep their inputs' precision: float32 numbers take 4 "
                    "bytes each, not 8.", SAVED_FIX),
    WrongPrediction("the teaching cache's seven arrays", 7 * _saved_megabytes() / 5,
                    "That is the teaching cache's count; the fast path keeps fewer "
                    "arrays and recomputes tanh(c_t) and h_{t-1}.", SAVED_FIX),
    WrongPrediction("numbers, not bytes", _saved_megabytes(itemsize=1),
                    "You counted numbers; the question asks for bytes.", SAVED_FIX),
    WrongPrediction("bytes, not megabytes", _saved_megabytes() * 1e6,
                    "That is the count in bytes; the question asks for megabytes, "
                    "millions of bytes.", SAVED_FIX + " In megabytes, divide by a million."),
    WrongPrediction("mebibytes", _saved_megabytes() * 1e6 / 2**20,
                    "That is in mebibytes, units of 1024 x 1024 bytes; the question's "
                    "megabytes are millions of bytes.",
                    SAVED_FIX + " Divide the bytes by a million, not by 1024 x 1024."),
    WrongPrediction("the gates only", 4 * _saved_megabytes() / 5,
                    "The gates are four of the arrays; one more is kept for the backward "
                    "pass.", SAVED_FIX),
    WrongPrediction("the inputs counted too",
                    _saved_megabytes() + LARGE[3] * LARGE[1] * LARGE[0] * 4 / 1e6,
                    "The cache refers to xs, the caller's array: it makes no copy of it.",
                    SAVED_FIX),
]


def check_saved_megabytes(prediction, hint=1):
    """Check a prediction of ``cache.nbytes / 1e6`` for the large shape in float32."""
    return run_prediction(
        "check_saved_megabytes", prediction, _saved_megabytes(), SAVED_PREDICTIONS,
        generic_hint="List the arrays the fast forward keeps for the backward pass, their "
        "shapes, and the bytes of one float32 number.",
        generic_fix=SAVED_FIX, hint=hint,
    )
