"""Checkers for chapter 7: fusing the gates into one W, and the fused step."""

import itertools

import numpy as np

from ..activations import sigmoid, tanh
from ..cell import cell_forward
from ..fused import GATE_ORDER, fuse
from ..fused import parameter_count as fused_parameter_count
from .core import Case, Mistake, run_check
from .cases import cell_inputs
from .lstm_step import _buggy_step, state_mistakes

__all__ = ["check_fuse", "check_cell_forward", "check_parameter_count"]

#: Every order of the blocks but the right one; the seed's own order comes first.
WRONG_ORDERS = [("f", "i", "c", "o")] + [
    order for order in itertools.permutations(GATE_ORDER)
    if order not in (GATE_ORDER, ("f", "i", "c", "o"))
]


def order_mistakes(make, seed_hint, hint, name="gate blocks in the wrong order"):
    """The two block-order slips of a fused layout, for any checker.

    ``make(order)`` builds the reader's function with the blocks in ``order``.
    The seed's own order f, i, c, o gets its own entry and ``seed_hint``; the
    other 22 wrong orders share one entry, ``name`` and ``hint``.
    """
    return [
        Mistake("the seed's order f, i, c, o", seed_hint, make(WRONG_ORDERS[0])),
        Mistake(name, hint, make(WRONG_ORDERS[1]),
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


ORDER_HINT = ("The blocks go in the order i, f, c~, o from top to bottom: "
              "np.vstack([W_i, W_f, W_c, W_o]), and the biases the same way.")

FUSE_MISTAKES = [
    *order_mistakes(
        _stack,
        "The seed draws its weights in the order f, i, c, o, but the fused layout "
        "(PyTorch's and Keras's) is i, f, c~, o: input gate first.",
        ORDER_HINT,
    ),
    Mistake(
        "blocks side by side",
        "Stack the blocks on top of each other (np.vstack, axis 0): W has shape "
        "(4H, H + D), one block of H rows per gate; np.hstack gives (H, 4(H + D)).",
        _stack(GATE_ORDER, side_by_side=True),
    ),
    Mistake(
        "b flattened",
        "Keep b a column of shape (4H, 1) (np.vstack of the (H, 1) biases), so that "
        "W @ z + b broadcasts over the batch.",
        _stack(GATE_ORDER, flat_b=True),
    ),
    Mistake(
        "blocks transposed",
        "Stack the W_g as they are, (H, H + D) each; transposing them gives "
        "(4(H + D), H).",
        _stack(GATE_ORDER, transpose=True),
    ),
]


def _fuse_cases():
    return [Case(name, (params,)) for name, (_, _, _, params) in cell_inputs(700, 710)[:4]]


def check_fuse(fuse_fn):
    """Check ``fuse(params) -> (W, b)``: W (4H, H + D), b (4H, 1), blocks i, f, c~, o."""
    return run_check(
        "check_fuse", fuse_fn, fuse, _fuse_cases(), FUSE_MISTAKES,
        generic_hint=ORDER_HINT, outputs=("W", "b"), rtol=0, atol=0,
    )


def _states(x_t, h_prev, c_prev, W, b):
    """The reference: the package's fused step without its cache."""
    h_t, c_t, _ = cell_forward(x_t, h_prev, c_prev, W, b)
    return h_t, c_t


def buggy_fused_step(order=GATE_ORDER, transpose=False, **slip):
    """A fused step with one slip: split W in ``order``, then the seed's step
    with the slips of :func:`lstm_lesson.checks.lstm_step._buggy_step`."""
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
        W, b = fuse(params)
        cases.append(Case(name, (x_t, h_prev, c_prev, W, b)))
    return cases


def step_mistakes(make):
    """The catalogue of a fused step's slips; ``make(**slip)`` builds a buggy
    function with the checked function's signature."""
    return [
        *order_mistakes(
            lambda order: make(order=order),
            "The fused blocks are i, f, c~, o from the top (rows 0:H are the input "
            "gate), not the seed's f, i, c, o.",
            "Rows k*H:(k+1)*H of W and b belong to gate k of i, f, c~, o: "
            "i = a[:H], f = a[H:2H], c~ = a[2H:3H], o = a[3H:].",
        ),
        Mistake(
            "[x, h] instead of [h, x]",
            "Stack h first: z = np.vstack([h_prev, x_t]). The first H columns of W "
            "multiply h_{t-1}, the last D multiply x_t.",
            make(concat_x_first=True),
        ),
        Mistake(
            "sigmoid for the candidate",
            "The candidate block (rows 2H:3H) uses tanh; the gates i, f, o use sigmoid.",
            make(candidate=sigmoid),
        ),
        Mistake(
            "tanh for the gates",
            "The gates i, f, o are fractions in (0, 1): apply sigmoid to their blocks, "
            "tanh only to the candidate.",
            make(gate=tanh),
        ),
        Mistake(
            "bias missing",
            "Add b (4H, 1) to W @ z before splitting into the four blocks.",
            make(bias=False),
        ),
        Mistake(
            "W transposed",
            "W has shape (4H, H + D) and z = [h_prev, x_t] has shape (H + D, N): "
            "compute W @ z, not W.T @ z.",
            make(transpose=True),
            variants=(make(transpose=True, matmul=np.dot),),
        ),
        *state_mistakes(make),
    ]


CELL_FORWARD_MISTAKES = step_mistakes(buggy_fused_step)


def check_cell_forward(cell_forward_fn):
    """Check ``cell_forward(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)``, fused W (4H, H + D)."""
    return run_check(
        "check_cell_forward", cell_forward_fn, _states, _fused_cases(),
        CELL_FORWARD_MISTAKES,
        generic_hint="Compute a = W @ [h_prev; x_t] + b once, split it into the "
        "blocks i, f, c~, o of H rows each, then write the six equations.",
        outputs=("h_t", "c_t"),
    )


def _count_cases():
    return [Case(f"D={D}, H={H}", (D, H)) for D, H in [(10, 20), (3, 2), (1, 1), (128, 256)]]


COUNT_MISTAKES = [
    Mistake(
        "biases forgotten",
        "Count b too: 4H numbers, one bias per row of W.",
        lambda input_size, hidden_size: 4 * hidden_size * (hidden_size + input_size),
    ),
    Mistake(
        "one gate only",
        "W stacks four blocks, one per gate (i, f, c~, o): 4H rows, not H.",
        lambda input_size, hidden_size: hidden_size * (hidden_size + input_size) + hidden_size,
    ),
    Mistake(
        "recurrent weights forgotten",
        "W acts on [h_{t-1}, x_t], so it has H + D columns: the H columns that "
        "multiply h_{t-1} are parameters too.",
        lambda input_size, hidden_size: 4 * hidden_size * input_size + 4 * hidden_size,
    ),
    Mistake(
        "two biases (PyTorch's layout)",
        "PyTorch keeps two bias vectors (b_ih and b_hh, 8H numbers); the course's "
        "fused form has one b of shape (4H, 1).",
        lambda input_size, hidden_size: 4 * hidden_size * (hidden_size + input_size) + 8 * hidden_size,
    ),
    Mistake(
        "arguments swapped",
        "The arguments come in the order (input_size, hidden_size): D first, then H.",
        lambda input_size, hidden_size: 4 * input_size * (input_size + hidden_size) + 4 * input_size,
    ),
    Mistake(
        "W taken as square",
        "W is (4H, H + D), not (4H, 4H) or (H + D, H + D): count rows times columns.",
        lambda input_size, hidden_size: (4 * hidden_size) ** 2 + 4 * hidden_size,
    ),
]


def check_parameter_count(parameter_count):
    """Check ``parameter_count(input_size, hidden_size) -> int``: the numbers in W and b."""
    return run_check(
        "check_parameter_count", parameter_count, fused_parameter_count, _count_cases(), COUNT_MISTAKES,
        generic_hint="Count W's rows times its columns, then add b's rows.",
        rtol=0, atol=0, check_dtype=True,
    )
