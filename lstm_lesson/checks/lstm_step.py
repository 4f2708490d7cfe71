"""Checker for chapter 1: one LSTM step written from the reference cell's equations."""

import numpy as np

from .cases import cell_inputs
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations, reference

sigmoid, tanh = activations.sigmoid, activations.tanh

__all__ = ["check_lstm_step", "check_fixed_step", "check_batch_shape"]


def _cases():
    """Fixed-seed cells of several sizes (H = 1, a batch of 4), then an edge:
    inputs of size 10^4 that saturate every gate, where an unstable sigmoid
    overflows."""
    return [Case(name, args) for name, args in cell_inputs(100, 10)]


def _buggy_step(concat_x_first=False, candidate=tanh, bias=True, transpose=False,
                h_source="c_t", squash_h=True, elementwise=True, matmul=np.matmul, gate=sigmoid,
                swap_outputs=False, output_gate=True):
    """One LSTM step with one deliberate slip, for diagnosing readers' answers."""

    def buggy(x_t, h_prev, c_prev, p):
        z = np.vstack([x_t, h_prev] if concat_x_first else [h_prev, x_t])

        def pre(g):
            W = p[f"W_{g}"].T if transpose else p[f"W_{g}"]
            return matmul(W, z) + (p[f"b_{g}"] if bias else 0)

        f, i, o = gate(pre("f")), gate(pre("i")), gate(pre("o"))
        c_tilde = candidate(pre("c"))
        if elementwise:
            c_t = f * c_prev + i * c_tilde
        else:
            c_t = matmul(f, c_prev) + matmul(i, c_tilde)
        source = c_t if h_source == "c_t" else c_prev
        h_t = (o if output_gate else 1) * (tanh(source) if squash_h else source)
        return (c_t, h_t) if swap_outputs else (h_t, c_t)

    return buggy


def state_mistakes(make):
    """The slips after the gates, shared by every step checker: ``make(**slip)``
    builds a step with that slip (the switches of :func:`_buggy_step`)."""
    return [
        Mistake(
            "c_{t-1} in h_t",
            "h_t uses the new cell state c_t, not c_prev.",
            "h_t = o * np.tanh(c_t), with the c_t computed on the line before.",
            make(h_source="c_prev"),
        ),
        Mistake(
            "tanh missing in h_t",
            "The cell state is gated as it is; it must be squashed first.",
            "h_t = o * np.tanh(c_t), not o * c_t.",
            make(squash_h=False),
        ),
        Mistake(
            "matrix product instead of elementwise",
            "The products in the cell state update are element by element, not "
            "matrix products: every unit gates its own cell.",
            "c_t = f * c_prev + i * c_tilde, with * (not @ or np.dot).",
            make(elementwise=False),
            variants=(make(elementwise=False, matmul=np.dot),),
        ),
        Mistake(
            "outputs swapped",
            "The two outputs come in the other order: the hidden state first.",
            "End with `return h_t, c_t`.",
            make(swap_outputs=True),
        ),
        Mistake(
            "unstable sigmoid in the gates",
            "The textbook sigmoid overflows for large negative pre-activations "
            "(saturated gates are common in trained networks): reuse the stable "
            "sigmoid of chapter 2.",
            "Use `sigmoid` from lstm_lesson.activations, not 1 / (1 + np.exp(-a)).",
            make(gate=activations.naive_sigmoid),
        ),
    ]


LSTM_STEP_MISTAKES = [
    Mistake(
        "[x, h] instead of [h, x]",
        "The reference cell stacks h first: the first H columns of each W multiply "
        "h_{t-1}, the last D multiply x_t. Check your concatenation.",
        "z = np.vstack([h_prev, x_t]).",
        _buggy_step(concat_x_first=True),
    ),
    Mistake(
        "sigmoid for the candidate",
        "The candidate can be negative, so it is squashed with tanh; only the three "
        "gates f, i, o use the sigmoid.",
        "c_tilde = np.tanh(W_c @ z + b_c).",
        _buggy_step(candidate=sigmoid),
    ),
    Mistake(
        "bias missing",
        "Each pre-activation has a bias term; yours have none.",
        "W_g @ z + b_g (b_g has shape (H, 1) and broadcasts over the N columns).",
        _buggy_step(bias=False),
    ),
    Mistake(
        "W transposed",
        "Compare the shapes: each W_g is (H, H + D) and z, the stacked h_prev and "
        "x_t, is (H + D, N). Which product of the two gives (H, N)?",
        "Compute W_g @ z, not W_g.T @ z.",
        _buggy_step(transpose=True),
        variants=(_buggy_step(transpose=True, matmul=np.dot),),
    ),
    *state_mistakes(_buggy_step),
]


def check_lstm_step(lstm_step, hint=1):
    """Check ``lstm_step(x_t, h_prev, c_prev, params) -> (h_t, c_t)``.

    ``params`` holds the reference cell's ``W_f, W_i, W_c, W_o`` (H, H + D) and
    ``b_f, b_i, b_c, b_o`` (H, 1); ``x_t`` is (D, N), ``h_prev`` and ``c_prev``
    are (H, N). Compared with :func:`lstm_lesson.reference.step` on four sizes
    and on saturating inputs.
    """
    return run_check(
        "check_lstm_step", lstm_step, reference.step, _cases(), LSTM_STEP_MISTAKES,
        generic_hint="Write one line per equation and compare each with the "
        "six equations above; print the shape of every intermediate value.",
        generic_fix="z = np.vstack([h_prev, x_t]); f, i, o = sigmoid(W_g @ z + b_g) "
        "for g in f, i, o; c_tilde = np.tanh(W_c @ z + b_c); "
        "c_t = f * c_prev + i * c_tilde; h_t = o * np.tanh(c_t).",
        outputs=("h_t", "c_t"), hint=hint,
    )


# -- Chapter 1, find the bug: a step whose h_t reads the old cell state --------

FIXED_STEP_MISTAKES = [
    Mistake(
        "bug still there: c_{t-1} in h_t",
        "The bug is still there: h_t squashes the cell state the step received, "
        "not the one it has just computed.",
        "Compute c_t first, then h_t = o * np.tanh(c_t) from that new c_t.",
        _buggy_step(h_source="c_prev"),
    ),
    Mistake(
        "tanh removed instead",
        "h_t now reads the new cell state, but the squashing around it went "
        "missing in the fix.",
        "Keep the tanh: h_t = o * np.tanh(c_t), not o * c_t.",
        _buggy_step(squash_h=False),
    ),
    Mistake(
        "output gate removed",
        "h_t lets all of the squashed cell state through: the output gate that "
        "scales it went missing in the fix.",
        "Keep the output gate: h_t = o * np.tanh(c_t), not np.tanh(c_t).",
        _buggy_step(output_gate=False),
    ),
    Mistake(
        "outputs swapped",
        "The values are right but come back in the other order: the hidden state "
        "first, then the cell state.",
        "End with `return h_t, c_t`, as the buggy step did.",
        _buggy_step(swap_outputs=True),
    ),
]


def check_fixed_step(fixed_step, hint=1):
    """Check the repaired step of chapter 1's find-the-bug exercise.

    ``fixed_step(x_t, h_prev, c_prev, p) -> (h_t, c_t)`` with the reference
    cell's parameters ``p``; compared with :func:`lstm_lesson.reference.step`
    on the cases of :func:`check_lstm_step`.
    """
    return run_check(
        "check_fixed_step", fixed_step, reference.step, _cases(), FIXED_STEP_MISTAKES,
        generic_hint="Change only the line with the bug; compare every other line "
        "with the six equations, and print the shape of each value.",
        generic_fix="The bug is in h_t: compute c_t = f * c_prev + i * g first, then "
        "h_t = o * np.tanh(c_t), and return h_t, c_t.",
        outputs=("h_t", "c_t"), hint=hint,
    )


# -- Chapter 1, predict: the shape of h_t for a batch --------------------------

#: The batch of the prediction: D = 3 inputs, H = 2 units, N = 5 examples.
BATCH_SIZES = {"D": 3, "H": 2, "N": 5}


def _batch_h_shape():
    """The shape of h_t when the reference cell (D = 3, H = 2) reads 5 examples."""
    D, H, N = BATCH_SIZES["D"], BATCH_SIZES["H"], BATCH_SIZES["N"]
    cell = reference.LSTMCell(D, H, seed=0)
    h_t, _ = cell.forward(np.zeros((D, N)), np.zeros((H, N)), np.zeros((H, N)))
    return tuple(int(n) for n in h_t.shape)


BATCH_SHAPE_PREDICTIONS = [
    WrongPrediction(
        "one row per example", (5, 2),
        "The course stacks examples side by side as columns, not as rows.",
        "h_t is (H, N): H = 2 rows, one per unit, and N = 5 columns, one per example.",
    ),
    WrongPrediction(
        "the input's size", (3, 5),
        "h_t has one row per unit of the cell, whatever the size of the input.",
        "Each weight matrix is (H, H + D) and maps the stacked (H + D, N) input to "
        "(H, N): the input size D disappears in the product.",
    ),
    WrongPrediction(
        "one example", (2, 1),
        "All five examples go through the step at once, each in its own column.",
        "A batch of N = 5 columns in gives N = 5 columns out.",
    ),
    WrongPrediction(
        "the stacked input", (5, 5),
        "The stacked input has H + D rows, but each gate's weight matrix maps them "
        "back to one row per unit.",
        "W_o is (2, 5) and [h_{t-1}, x_t] is (5, 5): o_t, and with it h_t, is (2, 5).",
    ),
    WrongPrediction(
        "the four gates stacked", (8, 5),
        "The gates are computed side by side, but h_t is not their stack: it is one "
        "value per unit.",
        "h_t = o_t * tanh(c_t) is elementwise, so it has the shape of o_t: (H, N).",
    ),
]


def check_batch_shape(my_prediction, hint=1):
    """Check a prediction of the shape of h_t for a batch (chapter 1).

    The cell has D = 3 inputs and H = 2 units; ``x_t`` is a batch of N = 5
    examples, (3, 5). The prediction is a tuple of two whole numbers.
    """
    return run_prediction(
        "check_batch_shape", my_prediction, _batch_h_shape(), BATCH_SHAPE_PREDICTIONS,
        generic_hint="Follow the shapes through one gate: a weight matrix has H rows "
        "and H + D columns, the stacked input H + D rows and one column per example.",
        generic_fix="(H, H + D) times (H + D, N) gives (H, N); every later operation "
        "is elementwise, so h_t is (H, N) with H = 2, N = 5.",
        hint=hint,
    )
