"""Checkers for chapter 7: fusing the gates into one W, and the fused step."""

import itertools

import numpy as np

from .cases import cell_inputs
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .lstm_step import _buggy_step, state_mistakes
from .pristine import activations, cell, fused, reference

sigmoid, tanh, GATE_ORDER = activations.sigmoid, activations.tanh, fused.GATE_ORDER

__all__ = ["check_fuse", "check_cell_forward", "check_parameter_count",
           "check_count_ratio", "check_step_via_fuse", "check_cell_forward_iofc"]

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


# -- Chapter 7: predict the count, find the bug, another order -------------------

#: The prediction of chapter 7: a cell with D inputs, its hidden size H doubled.
RATIO_SIZES = {"input_size": 10, "hidden_size": 20, "doubled": 40}


def _count_ratio():
    """parameter_count(D, 2H) / parameter_count(D, H) for :data:`RATIO_SIZES`."""
    D, H, H2 = RATIO_SIZES.values()
    return fused.parameter_count(D, H2) / fused.parameter_count(D, H)


#: The shapes that settle the ratio, shown by the second-tier hints.
RATIO_FIX = ("W is (4H, H + D) and b is (4H, 1): 80 rows of 30 columns plus 80 "
             "biases for H = 20, 160 rows of 50 columns plus 160 biases for H = 40.")

COUNT_RATIO_PREDICTIONS = [
    WrongPrediction(
        "doubles with H",
        2.0,
        "Doubling H doubles the rows of W, but each row grows too: it reads h_{t-1} "
        "as well as x_t.",
        "The rows double and the columns go from H + D to 2H + D. " + RATIO_FIX,
    ),
    WrongPrediction(
        "grows as H squared",
        4.0,
        "Only the columns that read h_{t-1} grow with H; the D columns that read x_t "
        "stay as they are.",
        "The count is not proportional to H squared while D is not small next to H. "
        + RATIO_FIX,
    ),
    WrongPrediction(
        "biases left out",
        (4 * 40 * 50) / (4 * 20 * 30),
        "Close: you counted the weights only; b has one bias per row of W.",
        "Add the 4H biases to the 4H (H + D) weights on both sides of the ratio. "
        + RATIO_FIX,
    ),
    WrongPrediction(
        "ratio upside down",
        (4 * 20 * 31) / (4 * 40 * 51),
        "You divided the smaller cell's count by the larger one's: the question asks "
        "how many times larger the cell with H of 40 is.",
        "Divide the count for H = 40 by the count for H = 20. " + RATIO_FIX,
    ),
]


def check_count_ratio(prediction, hint=1):
    """Check a prediction of ``parameter_count(10, 40) / parameter_count(10, 20)``."""
    return run_prediction(
        "check_count_ratio", prediction, _count_ratio(), COUNT_RATIO_PREDICTIONS,
        generic_hint="Write the shapes of W and b for each hidden size, count their "
        "entries, then divide.",
        generic_fix=RATIO_FIX, hint=hint,
    )


def _via_fuse(make):
    """``make(**slip)`` for a step on the reference cell's params that fuses them
    with the package's ``fuse`` and then has the slip of :func:`buggy_fused_step`."""

    def build(**slip):
        step = buggy_fused_step(**slip)

        def buggy(x_t, h_prev, c_prev, params):
            return step(x_t, h_prev, c_prev, *fused.fuse(params))

        return buggy

    return build


#: The fix of the chapter's buggy step: the names of the blocks of a = W z + b.
VIA_FUSE_FIX = "a_i, a_f, a_c, a_o = np.split(a, 4): fuse stacks i, f, c~, o."

STEP_VIA_FUSE_MISTAKES = [
    *order_mistakes(
        lambda order: _via_fuse(buggy_fused_step)(order=order),
        ("The bug is still there: your step names the blocks in the reference cell's "
         "order f, i, c, o, but fuse stacks them in the fused order. Which gate fills "
         "the first H rows?",
         VIA_FUSE_FIX),
        ("The names you give the four blocks are still out of order: compare them "
         "with the order fuse stacks, i, f, c~, o from the top.",
         "Rows k*H:(k+1)*H of a belong to gate k of i, f, c~, o: " + VIA_FUSE_FIX),
    ),
    # Slips made while rewriting the step: the fused step's own catalogue.
    *step_mistakes(_via_fuse(buggy_fused_step))[2:],
]


def _via_fuse_cases():
    return [Case(name, args) for name, args in cell_inputs(740, 750)]


def check_step_via_fuse(step_via_fuse, hint=1):
    """Check ``step_via_fuse(x_t, h_prev, c_prev, params) -> (h_t, c_t)``: the
    reference cell's step, computed with one fused product."""
    return run_check(
        "check_step_via_fuse", step_via_fuse, reference.step, _via_fuse_cases(),
        STEP_VIA_FUSE_MISTAKES,
        generic_hint="Print the four blocks of your pre-activation next to the "
        "reference cell's own pre-activations, one gate at a time.",
        generic_fix="W, b = fuse(params); a_i, a_f, a_c, a_o = np.split(W @ "
        "np.vstack([h_prev, x_t]) + b, 4); then the six equations of the step.",
        outputs=("h_t", "c_t"), hint=hint,
    )


#: ONNX's order of the gate blocks (its LSTM operator's W[iofc]).
IOFC = ("i", "o", "f", "c")


def _states_iofc(x_t, h_prev, c_prev, W, b):
    """The reference: the fused step with the blocks of W and b in ONNX's order."""
    H = h_prev.shape[0]
    rows = np.concatenate([np.arange(k * H, (k + 1) * H)
                           for k in (IOFC.index(g) for g in GATE_ORDER)])
    return _states(x_t, h_prev, c_prev, W[rows], b[rows])


def _iofc(order=IOFC, **slip):
    return buggy_fused_step(order=order, **slip)


#: The blocks of ONNX's W taken with the inverse of the permutation that puts them
#: in the package's order: block k is gate INVERSE_ORDER[k].
INVERSE_ORDER = ("i", "c", "o", "f")

#: The 20 orders that are neither ONNX's, the package's, the reference cell's nor
#: the inverse reordering.
OTHER_ORDERS = [order for order in WRONG_ORDERS + [GATE_ORDER]
                if order not in (IOFC, GATE_ORDER, WRONG_ORDERS[0], INVERSE_ORDER)]

IOFC_FIX = "a_i, a_o, a_f, a_c = np.split(a, 4): i, o, f, c~ from the top."

IOFC_MISTAKES = [
    Mistake(
        "the package's order i, f, c~, o",
        "Your step still reads the blocks in the package's order; in ONNX's order "
        "another gate comes second.",
        "Read the blocks as i, o, f, c~: " + IOFC_FIX,
        _iofc(order=GATE_ORDER),
    ),
    Mistake(
        "the reference cell's order f, i, c, o",
        "You read the blocks in the reference cell's order; ONNX's starts with the "
        "input gate, then the output gate.",
        "Block 0 is i, block 1 is o, block 2 is f, block 3 is c~: " + IOFC_FIX,
        _iofc(order=WRONG_ORDERS[0]),
    ),
    Mistake(
        "the inverse reordering",
        "You moved the blocks with the inverse of the permutation you need: write "
        "down which gate each block of ONNX's W holds, then where it must go.",
        "To the package's order i, f, c~, o take ONNX's blocks 0, 2, 3, 1 "
        "(not 0, 3, 1, 2), or read " + IOFC_FIX,
        _iofc(order=INVERSE_ORDER),
    ),
    Mistake(
        "gate blocks in the wrong order",
        "The rows of W and b are shared out among the gates in an order that is "
        "neither ONNX's nor the package's: compare with i, o, f, c~ from the top.",
        "Rows k*H:(k+1)*H belong to gate k of i, o, f, c~: " + IOFC_FIX,
        _iofc(order=OTHER_ORDERS[0]),
        variants=tuple(_iofc(order=order) for order in OTHER_ORDERS[1:]),
    ),
    Mistake(
        "sigmoid for the candidate",
        "The candidate, the last block in ONNX's order, is squashed with tanh, not "
        "the sigmoid.",
        "c_tilde = np.tanh(a[3*H:]); the gates i, o, f use the sigmoid.",
        _iofc(candidate=sigmoid),
    ),
    Mistake(
        "tanh for the gates",
        "The gates i, o, f are fractions in (0, 1): they use the sigmoid, not tanh.",
        "i, o, f = sigmoid(a[:H]), sigmoid(a[H:2*H]), sigmoid(a[2*H:3*H]); tanh only "
        "for the candidate.",
        _iofc(gate=tanh),
    ),
    Mistake(
        "[x, h] instead of [h, x]",
        "Only the order of the blocks changes: the first H columns of W still "
        "multiply h_{t-1}, the last D multiply x_t.",
        "Stack h first, as before: z = np.vstack([h_prev, x_t]).",
        _iofc(concat_x_first=True),
    ),
    Mistake(
        "bias missing",
        "The pre-activation of your step has no bias term.",
        "a = W @ z + b, then the four blocks of a.",
        _iofc(bias=False),
    ),
]


def _iofc_cases():
    cases = []
    for name, (x_t, h_prev, c_prev, params) in cell_inputs(760, 770):
        W, b = fused.fuse(params)  # any numbers will do; read in ONNX's order
        cases.append(Case(name, (x_t, h_prev, c_prev, W, b)))
    return cases


def check_cell_forward_iofc(cell_forward_iofc, hint=1):
    """Check ``cell_forward_iofc(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)`` with the
    blocks of W (4H, H + D) and b (4H, 1) in ONNX's order i, o, f, c~."""
    return run_check(
        "check_cell_forward_iofc", cell_forward_iofc, _states_iofc, _iofc_cases(),
        IOFC_MISTAKES,
        generic_hint="Write down which gate each block of H rows holds in ONNX's "
        "order, then compare with the blocks your step reads.",
        generic_fix="a = W @ np.vstack([h_prev, x_t]) + b; " + IOFC_FIX
        + " Then the same equations as the fused step.",
        outputs=("h_t", "c_t"), hint=hint,
    )
