"""Checkers for chapter 7: fusing the gates into one W, and the fused step."""

import itertools

import numpy as np

from .cases import cell_inputs
from .core import Case, Mistake, run_check
from .lstm_step import _buggy_step, state_mistakes
from .pristine import activations, cell, fused

sigmoid, tanh, GATE_ORDER = activations.sigmoid, activations.tanh, fused.GATE_ORDER

__all__ = ["check_fuse", "check_cell_forward", "check_parameter_count"]

#: Every order of the blocks but the right one; the reference cell's own order
#: comes first.
WRONG_ORDERS = [("f", "i", "c", "o")] + [
    order for order in itertools.permutations(GATE_ORDER)
    if order not in (GATE_ORDER, ("f", "i", "c", "o"))
]


def order_mistakes(make, reference_tiers, tiers, name="gate blocks in the wrong order"):
    """The two block-order slips of a fused layout, for any checker.

    ``make(order)`` builds the reader's function with the blocks in ``order``.
    The reference cell's own order f, i, c, o gets its own entry, with the hint
    and fix ``reference_tiers``; the other 22 wrong orders share one entry,
    ``name`` and ``tiers``.
    """
    return [
        Mistake("the reference cell's order f, i, c, o", *reference_tiers,
                make(WRONG_ORDERS[0])),
        Mistake(name, *tiers, make(WRONG_ORDERS[1]),
                variants=tuple(make(order) for order in WRONG_ORDERS[2:])),
    ]


def _stack(order, side_by_side=False, flat_b=False, transpose=False):
    """A reader's fuse with one slip."""

    def buggy(params):
        blocks = [params[f"W_{g}"].T if transpose else params[f"W_{g}"] for g in order]
        W = np.hstack(blocks) if side_by_side else np.vstack(blocks)
        b = np.concatenate([params[f"b_{g}"].ravel() for g in order]) if flat_b \
            else np.vstack([params[f"b_{g}"] for g in order])
        return W, b

    return buggy


ORDER_FIX = "np.vstack([W_i, W_f, W_c, W_o]), and the biases the same way."

FUSE_MISTAKES = [
    *order_mistakes(
        _stack,
        ("The reference cell draws its weights in the order f, i, c, o, but the "
         "fused layout (PyTorch's and Keras's) puts the input gate first.",
         "Stack i, f, c~, o from the top: " + ORDER_FIX),
        ("Your blocks are in the wrong order: compare your stacking with the fused "
         "layout, i, f, c~, o from top to bottom.",
         ORDER_FIX),
    ),
    Mistake(
        "blocks side by side",
        "W must have shape (4H, H + D), one block of H rows per gate: your blocks "
        "sit side by side.",
        "Stack with np.vstack (axis 0); np.hstack gives (H, 4(H + D)).",
        _stack(GATE_ORDER, side_by_side=True),
    ),
    Mistake(
        "b flattened",
        "b must stay a column of shape (4H, 1), so that it broadcasts over the batch; "
        "yours is flat.",
        "b = np.vstack([b_i, b_f, b_c, b_o]), not a concatenation of raveled biases.",
        _stack(GATE_ORDER, flat_b=True),
    ),
    Mistake(
        "blocks transposed",
        "Stack the weight matrices as they are, (H, H + D) each; yours are transposed.",
        "np.vstack([W_i, W_f, W_c, W_o]), without .T.",
        _stack(GATE_ORDER, transpose=True),
    ),
]


def _fuse_cases():
    return [Case(name, (params,)) for name, (_, _, _, params) in cell_inputs(700, 710)[:4]]


def check_fuse(fuse_fn, hint=1):
    """Check ``fuse(params) -> (W, b)``: W (4H, H + D), b (4H, 1), blocks i, f, c~, o."""
    return run_check(
        "check_fuse", fuse_fn, fused.fuse, _fuse_cases(), FUSE_MISTAKES,
        generic_hint="Print the shapes of your W and b, and compare the order of the "
        "blocks with the fused layout, i, f, c~, o from top to bottom.",
        generic_fix=ORDER_FIX, outputs=("W", "b"), rtol=0, atol=0, hint=hint,
    )


def _states(x_t, h_prev, c_prev, W, b):
    """The reference: the package's fused step without its cache."""
    h_t, c_t, _ = cell.cell_forward(x_t, h_prev, c_prev, W, b)
    return h_t, c_t


def buggy_fused_step(order=GATE_ORDER, transpose=False, **slip):
    """A fused step with one slip: split W in ``order``, then the reference
    cell's step with the slips of :func:`lstm_lesson.checks.lstm_step._buggy_step`."""
    step = _buggy_step(**slip)

    def buggy(x_t, h_prev, c_prev, W, b):
        if transpose:  # W.T @ [h, x]: the product itself fails
            return slip.get("matmul", np.matmul)(W.T, np.vstack([h_prev, x_t])), None
        H = h_prev.shape[0]
        params = {}
        for k, g in enumerate(order):
            params[f"W_{g}"], params[f"b_{g}"] = W[k * H:(k + 1) * H], b[k * H:(k + 1) * H]
        return step(x_t, h_prev, c_prev, params)

    return buggy


def _fused_cases():
    cases = []
    for name, (x_t, h_prev, c_prev, params) in cell_inputs(720, 730):
        W, b = fused.fuse(params)
        cases.append(Case(name, (x_t, h_prev, c_prev, W, b)))
    return cases


#: The fix for a fused step's blocks taken in the wrong order.
SPLIT_FIX = "i = a[:H], f = a[H:2H], c~ = a[2H:3H], o = a[3H:] with a = W @ z + b."


def step_mistakes(make):
    """The catalogue of a fused step's slips; ``make(**slip)`` builds a buggy
    function with the checked function's signature."""
    return [
        *order_mistakes(
            lambda order: make(order=order),
            ("The fused blocks are i, f, c~, o from the top (the first H rows are the "
             "input gate), not the reference cell's f, i, c, o.",
             SPLIT_FIX),
            ("The rows of W and b are shared out among the gates in the wrong order: "
             "compare with the fused layout, i, f, c~, o from the top.",
             "Rows k*H:(k+1)*H belong to gate k of i, f, c~, o: " + SPLIT_FIX),
        ),
        Mistake(
            "[x, h] instead of [h, x]",
            "The first H columns of W multiply h_{t-1}, the last D multiply x_t: check "
            "the order of your concatenation.",
            "Stack h first: z = np.vstack([h_prev, x_t]).",
            make(concat_x_first=True),
        ),
        Mistake(
            "sigmoid for the candidate",
            "The candidate block (rows 2H to 3H) is squashed with tanh, not the sigmoid.",
            "c_tilde = np.tanh(a[2*H:3*H]); the gates i, f, o use sigmoid.",
            make(candidate=sigmoid),
        ),
        Mistake(
            "tanh for the gates",
            "The gates i, f, o are fractions in (0, 1): they use the sigmoid, not tanh.",
            "i, f, o = sigmoid(a[:H]), sigmoid(a[H:2*H]), sigmoid(a[3*H:]); tanh only "
            "for the candidate.",
            make(gate=tanh),
        ),
        Mistake(
            "bias missing",
            "The pre-activation has no bias term.",
            "a = W @ z + b (b is (4H, 1)), before splitting into the four blocks.",
            make(bias=False),
        ),
        Mistake(
            "W transposed",
            "Compare the shapes: W is (4H, H + D) and z, the stacked h_prev and x_t, is "
            "(H + D, N). Which product of the two gives (4H, N)?",
            "Compute W @ z, not W.T @ z.",
            make(transpose=True),
            variants=(make(transpose=True, matmul=np.dot),),
        ),
        *state_mistakes(make),
    ]


CELL_FORWARD_MISTAKES = step_mistakes(buggy_fused_step)


def check_cell_forward(cell_forward_fn, hint=1):
    """Check ``cell_forward(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)``, fused W (4H, H + D)."""
    return run_check(
        "check_cell_forward", cell_forward_fn, _states, _fused_cases(),
        CELL_FORWARD_MISTAKES,
        generic_hint="Compute the pre-activation once, split it into the four blocks "
        "of H rows each, then write the six equations; compare each line with the "
        "chapter.",
        generic_fix="a = W @ np.vstack([h_prev, x_t]) + b; the blocks a[:H], "
        "a[H:2H], a[2H:3H], a[3H:] through sigmoid, sigmoid, tanh, sigmoid give i, f, "
        "c~, o; c_t = f * c_prev + i * c~; h_t = o * np.tanh(c_t).",
        outputs=("h_t", "c_t"), hint=hint,
    )


def _count_cases():
    return [Case(f"D={D}, H={H}", (D, H)) for D, H in [(10, 20), (3, 2), (1, 1), (128, 256)]]


COUNT_MISTAKES = [
    Mistake(
        "biases forgotten",
        "You counted W but not b.",
        "Add 4H, one bias per row of W: 4H (H + D) + 4H.",
        lambda input_size, hidden_size: 4 * hidden_size * (hidden_size + input_size),
    ),
    Mistake(
        "one gate only",
        "You counted one gate's parameters; W and b stack four blocks, one per gate.",
        "W is (4H, H + D) and b is (4H, 1): 4H (H + D + 1).",
        lambda input_size, hidden_size: hidden_size * (hidden_size + input_size) + hidden_size,
    ),
    Mistake(
        "recurrent weights forgotten",
        "W acts on both h_{t-1} and x_t: the columns that multiply h_{t-1} are "
        "parameters too.",
        "W has H + D columns: 4H (H + D) + 4H.",
        lambda input_size, hidden_size: 4 * hidden_size * input_size + 4 * hidden_size,
    ),
    Mistake(
        "two biases (PyTorch's layout)",
        "You counted two bias vectors, as PyTorch stores them; the course's fused "
        "form has one.",
        "One b of shape (4H, 1): 4H (H + D) + 4H, not 4H (H + D) + 8H.",
        lambda input_size, hidden_size: 4 * hidden_size * (hidden_size + input_size) + 8 * hidden_size,
    ),
    Mistake(
        "arguments swapped",
        "The arguments come in the order (input_size, hidden_size): D first, then H.",
        "def parameter_count(input_size, hidden_size): with H = hidden_size and "
        "D = input_size, return 4 * H * (H + D + 1).",
        lambda input_size, hidden_size: 4 * input_size * (input_size + hidden_size) + 4 * input_size,
    ),
    Mistake(
        "W taken as square",
        "W is not square: count its rows and its columns separately.",
        "W is (4H, H + D): 4H (H + D) weights, plus 4H biases.",
        lambda input_size, hidden_size: (4 * hidden_size) ** 2 + 4 * hidden_size,
    ),
]


def check_parameter_count(parameter_count, hint=1):
    """Check ``parameter_count(input_size, hidden_size) -> int``: the numbers in W and b.

    The count must be exact; any integer-valued number passes (``int``,
    ``np.int32``, or a float such as ``4.0 * ...``): the value is what is asked.
    """
    return run_check(
        "check_parameter_count", parameter_count, fused.parameter_count, _count_cases(),
        COUNT_MISTAKES,
        generic_hint="Count W's rows times its columns, then add b's rows.",
        generic_fix="4 * hidden_size * (hidden_size + input_size) + 4 * hidden_size.",
        rtol=0, atol=0, hint=hint,
    )
