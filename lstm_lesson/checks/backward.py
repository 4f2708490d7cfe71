"""Checkers for chapter 9: backward through one step.

Every case is a real forward step (the package's ``cell_forward`` on
fixed-seed inputs, biases spread so that no gate sits at 1/2) with random
upstream gradients ``dh_next`` and ``dc_next``. A wrong backward pass still
returns arrays of the right shape, so the catalogue below rebuilds the typical
slips one by one and names the one that reproduces the reader's answer.
"""

import numpy as np

from .core import Case, Mistake, run_check
from .fused import order_mistakes
from .pristine import activations, backward, cell, fused

sigmoid, GATE_ORDER = activations.sigmoid, fused.GATE_ORDER

__all__ = ["check_output_gate_backward", "check_cell_state_backward", "check_cell_backward"]

#: Sizes (D, H, N): one example, H = 1, a batch, and D = H = N, where a
#: swapped split or a matrix product still has the right shape.
BACKWARD_SIZES = [(3, 2, 1), (2, 3, 4), (1, 1, 1), (4, 2, 3), (3, 3, 3)]


def step_cases(seed):
    """Fixed-seed ``(dh_next, dc_next, cache)`` cases, one per size."""
    cases = []
    for k, (D, H, N) in enumerate(BACKWARD_SIZES):
        rng = np.random.default_rng(seed + k)
        W, b = fused.init_fused(D, H, seed=seed + 50 + k)
        b = b + rng.normal(0, 1.5, b.shape)  # gates spread over (0, 1)
        x_t, h_prev = rng.standard_normal((D, N)), rng.uniform(-1, 1, (H, N))
        c_prev = rng.normal(0, 1.5, (H, N))
        _, _, cache = cell.cell_forward(x_t, h_prev, c_prev, W, b)
        dh_next, dc_next = rng.standard_normal((H, N)), rng.standard_normal((H, N))
        cases.append(Case(f"D={D}, H={H}, N={N}", (dh_next, dc_next, cache)))
    return cases


def _buggy_backward(h_path=True, direct_path=True, gate_grad="output",
                    candidate_grad=True, tanh_c_grad="tanh_c", do_from="tanh_c",
                    df_from="c_prev", swap_i_c=False, carry="f", order=GATE_ORDER,
                    dz="W.T @ da", dW="da @ z.T", db="sum", split="h first",
                    matmul=np.matmul):
    """A reader's step backward with one slip; the defaults are right.

    h_path / direct_path: the two paths into c_t; gate_grad: the sigmoid
    derivative "output" s (1 - s) (right), "none" (forgotten) or "sigma(s)"
    (the derivative formula applied to the output as if it were the
    pre-activation); candidate_grad: tanh' of the candidate; tanh_c_grad:
    1 - tanh(c)^2 ("tanh_c"), 1 - c^2 ("c_t") or none; do_from: do = dh *
    tanh(c) or dh * c; df_from: df = dc * c_prev or dc * c_t; swap_i_c: di and
    dc~ exchanged; carry: dc_prev = dc * f, dc, or dc * i; order: the blocks of
    da; dz, dW, db, split: the linear part.
    """

    def step_backward(dh_next, dc_next, cache):
        i, f, c_tilde, o = cache["i"], cache["f"], cache["c_tilde"], cache["o"]
        c_prev, c_t, tanh_c = cache["c_prev"], cache["c_t"], cache["tanh_c"]
        W, H = cache["W"], cache["h_prev"].shape[0]
        z = np.vstack([cache["h_prev"], cache["x_t"]])
        do = dh_next * (tanh_c if do_from == "tanh_c" else c_t)
        local = {"tanh_c": 1 - tanh_c**2, "c_t": 1 - c_t**2, "none": 1}[tanh_c_grad]
        dc = (dc_next if direct_path else 0) + (dh_next * o * local if h_path else 0)
        df = dc * (c_prev if df_from == "c_prev" else c_t)
        di, dc_tilde = dc * c_tilde, dc * i
        if swap_i_c:
            di, dc_tilde = dc_tilde, di
        dc_prev = {"f": dc * f, "none": dc, "i": dc * i}[carry]

        def through_sigmoid(d, s):
            if gate_grad == "none":
                return d
            if gate_grad == "sigma(s)":
                return d * sigmoid(s) * (1 - sigmoid(s))
            return d * s * (1 - s)

        blocks = {"i": through_sigmoid(di, i), "f": through_sigmoid(df, f),
                  "c": dc_tilde * (1 - c_tilde**2) if candidate_grad else dc_tilde,
                  "o": through_sigmoid(do, o)}
        da = np.vstack([blocks[g] for g in order])
        grad_W = {"da @ z.T": lambda: matmul(da, z.T), "da @ z": lambda: matmul(da, z),
                  "z @ da.T": lambda: matmul(z, da.T),
                  "mean": lambda: matmul(da, z.T) / da.shape[1],
                  "first": lambda: matmul(da[:, :1], z[:, :1].T)}[dW]()
        grad_b = {"sum": lambda: da.sum(axis=1, keepdims=True), "none": lambda: da,
                  "mean": lambda: da.mean(axis=1, keepdims=True),
                  "axis 0": lambda: da.sum(axis=0, keepdims=True)}[db]()
        grad_z = {"W.T @ da": lambda: matmul(W.T, da), "W @ da": lambda: matmul(W, da),
                  "da.T @ W": lambda: matmul(da.T, W)}[dz]()
        if split == "h first":
            dh_prev, dx = grad_z[:H], grad_z[H:]
        else:  # x taken from the top rows
            D = cache["x_t"].shape[0]
            dx, dh_prev = grad_z[:D], grad_z[D:]
        return dx, dh_prev, dc_prev, grad_W, grad_b

    return step_backward


# -- The output gate -----------------------------------------------------------

def _da_o(dh_next, cache):
    """The reference: dL/da_o, the last block of the pre-activation gradient."""
    da, _ = backward.elementwise_backward(dh_next, np.zeros_like(dh_next), cache)
    return da[3 * dh_next.shape[0]:]


def _output_gate_slip(fn):
    """A reader's ``(dh_next, cache) -> da_o`` from a formula of the cache."""
    return lambda dh_next, cache: fn(dh_next, cache["o"], cache["tanh_c"], cache["c_t"])


#: The fix of every slip in the output gate's gradient.
DA_O_FIX = "da_o = dh_next * tanh_c * o * (1 - o), with tanh_c = cache['tanh_c']"

OUTPUT_GATE_MISTAKES = [
    Mistake(
        "sigmoid derivative forgotten",
        "That is the gradient at the gate's output o_t. One more link: o_t is the "
        "sigmoid of a_o.",
        f"Multiply by sigma'(a_o) = o * (1 - o): {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: dh * tanh_c),
    ),
    Mistake(
        "sigmoid derivative applied to o_t",
        "The cache holds o_t, the gate's output, and the sigmoid's derivative is "
        "written in it directly: you squashed o_t a second time.",
        f"sigma'(a_o) = o * (1 - o), not sigmoid(o) * (1 - sigmoid(o)): {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: dh * tanh_c * sigmoid(o) * (1 - sigmoid(o))),
    ),
    Mistake(
        "c_t instead of tanh(c_t)",
        "The gate multiplies tanh(c_t), not c_t: the cache keeps the squashed value.",
        f"Use cache['tanh_c'], not cache['c_t']: {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: dh * c * o * (1 - o)),
    ),
    Mistake(
        "tanh derivative included",
        "The derivative of tanh belongs to the path into c_t; the output gate "
        "multiplies tanh(c_t) itself.",
        f"Leave out 1 - tanh_c**2: {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: dh * tanh_c * (1 - tanh_c**2) * o * (1 - o)),
    ),
    Mistake(
        "upstream gradient dh_next forgotten",
        "That is the local derivative only; the chain rule also multiplies by the "
        "gradient that arrives at h_t.",
        f"Start from dh_next: {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: tanh_c * o * (1 - o)),
    ),
    Mistake(
        "o_t in place of tanh(c_t)",
        "In the product of o_t and tanh(c_t), the factor next to the gate's "
        "derivative is the other operand, not o_t again.",
        f"Use tanh_c, not o, as the factor: {DA_O_FIX}.",
        _output_gate_slip(lambda dh, o, tanh_c, c: dh * o * o * (1 - o)),
    ),
]


def check_output_gate_backward(output_gate_backward, hint=1):
    """Check ``output_gate_backward(dh_next, cache) -> da_o`` (H, N).

    ``da_o`` is dL/da_o at the output gate's pre-activation (o_t = sigma(a_o)),
    given dh_next = dL/dh_t and the cache of ``cell_forward``.
    """
    cases = [Case(c.name, (c.args[0], c.args[2])) for c in step_cases(900)]
    return run_check(
        "check_output_gate_backward", output_gate_backward, _da_o, cases,
        OUTPUT_GATE_MISTAKES,
        generic_hint="Two links: from h_t back to o_t, then from o_t back to its "
        "pre-activation a_o.",
        generic_fix="dL/do_t = dh_next * tanh(c_t); o_t = sigma(a_o) multiplies it by "
        f"o_t * (1 - o_t): {DA_O_FIX}.",
        hint=hint,
    )


# -- The cell state -------------------------------------------------------------

def _dc_prev(dh_next, dc_next, cache):
    """The reference: dL/dc_{t-1} from both paths."""
    return backward.elementwise_backward(dh_next, dc_next, cache)[1]


def _cell_state_slip(**slip):
    full = _buggy_backward(**slip)
    return lambda dh_next, dc_next, cache: full(dh_next, dc_next, cache)[2]


#: The total gradient at c_t, from both paths.
DC_FIX = "dc = dc_next + dh_next * o * (1 - tanh_c**2)"

CELL_STATE_MISTAKES = [
    Mistake(
        "missing dc path through h_t",
        "c_t reaches the loss twice: directly (dc_next) and through h_t. Your "
        "gradient has only the direct path.",
        f"Add the path through h_t before multiplying by f: {DC_FIX}; dc_prev = dc * f.",
        _cell_state_slip(h_path=False),
    ),
    Mistake(
        "direct path dc_next forgotten",
        "dc_next, the gradient that reaches c_t directly from the next step, is "
        "missing from your total.",
        f"Add dc_next to the path through h_t: {DC_FIX}; dc_prev = dc * f.",
        _cell_state_slip(direct_path=False),
    ),
    Mistake(
        "forget gate factor missing",
        "That is the gradient at c_t. One step further back: c_t depends on c_{t-1} "
        "through the forget gate.",
        f"{DC_FIX}; dc_prev = dc * f.",
        _cell_state_slip(carry="none"),
    ),
    Mistake(
        "input gate instead of forget gate",
        "c_{t-1} is scaled by the forget gate in the update; the input gate scales "
        "the candidate.",
        "dc_prev = dc * f, not dc * i.",
        _cell_state_slip(carry="i"),
    ),
    Mistake(
        "tanh derivative taken at c_t",
        "The tanh derivative takes tanh's value, cache['tanh_c'], not c_t itself.",
        "1 - tanh_c**2 with tanh_c = cache['tanh_c'], not 1 - c_t**2.",
        _cell_state_slip(tanh_c_grad="c_t"),
    ),
    Mistake(
        "tanh derivative forgotten",
        "On the path through h_t the factor is the gate times tanh's derivative: "
        "tanh's derivative is missing.",
        f"{DC_FIX}: o * (1 - tanh_c**2), not o alone.",
        _cell_state_slip(tanh_c_grad="none"),
    ),
]


def check_cell_state_backward(cell_state_backward, hint=1):
    """Check ``cell_state_backward(dh_next, dc_next, cache) -> dc_prev`` (H, N)."""
    return run_check(
        "check_cell_state_backward", cell_state_backward, _dc_prev, step_cases(910),
        CELL_STATE_MISTAKES,
        generic_hint="First the total gradient at c_t (two paths), then one step back "
        "through the cell state update.",
        generic_fix=f"{DC_FIX}; then dc_prev = dc * f.",
        hint=hint,
    )


# -- The full step --------------------------------------------------------------

#: The fix of a slip in the blocks' order of da.
STACK_FIX = "da = np.vstack([da_i, da_f, da_c, da_o])"

CELL_BACKWARD_MISTAKES = [
    Mistake(
        "missing dc path through h_t",
        "c_t reaches the loss twice: directly and through h_t. Your total gradient "
        "at c_t has only the direct path, and df, di, dc~ and dc_prev inherit it.",
        f"{DC_FIX}; use it for df, di, dc~ and dc_prev.",
        _buggy_backward(h_path=False),
    ),
    Mistake(
        "direct path dc_next forgotten",
        "dc_next, the gradient that reaches c_t directly from the next step, is "
        "missing from your total.",
        f"{DC_FIX}: dc_next is the first term.",
        _buggy_backward(direct_path=False),
    ),
    Mistake(
        "sigmoid derivative forgotten",
        "di, df and do are gradients at the gates' outputs; the blocks of da are at "
        "the pre-activations, one link further.",
        "Multiply by s * (1 - s) with s = i, f, o: da_i = di * i * (1 - i), and so on.",
        _buggy_backward(gate_grad="none"),
    ),
    Mistake(
        "sigmoid derivative applied to the gate's output",
        "The cache holds the gates' outputs, and the sigmoid's derivative is written "
        "in them directly: you squashed them a second time.",
        "s * (1 - s) with s = i, f, o, not sigmoid(s) * (1 - sigmoid(s)).",
        _buggy_backward(gate_grad="sigma(s)"),
    ),
    Mistake(
        "tanh derivative of the candidate forgotten",
        "The candidate is tanh of its pre-activation: its block of da needs tanh's "
        "derivative.",
        "da_c = dc_tilde * (1 - c_tilde**2).",
        _buggy_backward(candidate_grad=False),
    ),
    Mistake(
        "tanh derivative taken at c_t",
        "The tanh derivative on the path through h_t takes tanh's value, "
        "cache['tanh_c'], not c_t itself.",
        "1 - tanh_c**2, not 1 - c_t**2.",
        _buggy_backward(tanh_c_grad="c_t"),
    ),
    Mistake(
        "c_t instead of tanh(c_t) in do",
        "The output gate multiplies tanh(c_t), not c_t.",
        "do = dh_next * tanh_c.",
        _buggy_backward(do_from="c_t"),
    ),
    Mistake(
        "c_t instead of c_{t-1} in df",
        "The forget gate multiplies c_{t-1}, not c_t.",
        "df = dc * c_prev.",
        _buggy_backward(df_from="c_t"),
    ),
    Mistake(
        "di and dc~ exchanged",
        "In the product of the input gate and the candidate, each factor's gradient "
        "is the other factor: yours are exchanged.",
        "di = dc * c_tilde and dc_tilde = dc * i.",
        _buggy_backward(swap_i_c=True),
    ),
    Mistake(
        "forget gate factor missing in dc_prev",
        "dc_prev is one step further back than the gradient at c_t: the forget "
        "gate's factor is missing.",
        "dc_prev = dc * f.",
        _buggy_backward(carry="none"),
    ),
    *order_mistakes(
        lambda order: _buggy_backward(order=order),
        ("dW and db have W's layout: blocks i, f, c~, o from the top, not the "
         "reference cell's f, i, c, o.",
         f"{STACK_FIX}, not [da_f, da_i, da_c, da_o]."),
        ("Row block k of dW and db belongs to gate k of i, f, c~, o, the same rows as "
         "in W: your blocks are in another order.",
         f"{STACK_FIX}, the order of W's blocks."),
        name="gradient blocks in the wrong order",
    ),
    Mistake(
        "missing transpose in dz",
        "The gradient at z goes back through W: check the shapes, W (4H, H + D) and "
        "da (4H, N), against the (H + D, N) you need.",
        "dz = W.T @ da.",
        _buggy_backward(dz="W @ da"),
        variants=(_buggy_backward(dz="W @ da", matmul=np.dot),
                  _buggy_backward(dz="da.T @ W")),
    ),
    Mistake(
        "missing transpose in dW",
        "dW must have W's shape (4H, H + D): check the shapes of da (4H, N) and "
        "z (H + D, N).",
        "dW = da @ z.T: one outer product per example, summed.",
        _buggy_backward(dW="da @ z"),
        variants=(_buggy_backward(dW="da @ z", matmul=np.dot),),
    ),
    Mistake(
        "dW transposed",
        "Your dW has the transposed shape of W.",
        "dW = da @ z.T, not z @ da.T.",
        _buggy_backward(dW="z @ da.T"),
    ),
    Mistake(
        "dW not summed over the batch",
        "Every example of the batch uses the same W, so dW collects the "
        "contributions of all N columns; yours uses only one.",
        "dW = da @ z.T sums over the batch.",
        _buggy_backward(dW="first"),
    ),
    Mistake(
        "gradients averaged over the batch",
        "The loss sums over the examples, so dW and db are sums over the batch, not "
        "means.",
        "dW = da @ z.T and db = da.sum(axis=1, keepdims=True), without dividing by N.",
        _buggy_backward(dW="mean", db="mean"),
        variants=(_buggy_backward(dW="mean"), _buggy_backward(db="mean")),
    ),
    Mistake(
        "db not summed over the batch",
        "b is one column shared by every example: db must be summed over the batch "
        "into shape (4H, 1).",
        "db = da.sum(axis=1, keepdims=True).",
        _buggy_backward(db="none"),
        variants=(_buggy_backward(db="axis 0"),),
    ),
    Mistake(
        "dx and dh_prev swapped",
        "z stacks h first: the top H rows of dz belong to h_{t-1}.",
        "dh_prev = dz[:H], dx = dz[H:].",
        _buggy_backward(split="x first"),
    ),
]


def check_cell_backward(cell_backward_fn, hint=1):
    """Check ``cell_backward(dh_next, dc_next, cache) -> (dx, dh_prev, dc_prev, dW, db)``.

    dx (D, N); dh_prev, dc_prev (H, N); dW (4H, H + D) and db (4H, 1) in the
    fused layout i, f, c~, o, summed over the batch.
    """
    return run_check(
        "check_cell_backward", cell_backward_fn, backward.cell_backward, step_cases(920),
        CELL_BACKWARD_MISTAKES,
        generic_hint="Walk the forward equations in reverse: h_t, then c_t (two "
        "paths), then the gates' squashing functions (derivatives at their "
        "outputs), then the linear part. Compare each piece with the chapter's "
        "derivation.",
        generic_fix=f"{DC_FIX}; the blocks of da: dc * c_tilde * i * (1 - i), "
        "dc * c_prev * f * (1 - f), dc * i * (1 - c_tilde**2), "
        f"dh_next * tanh_c * o * (1 - o); {STACK_FIX}; dW = da @ z.T; "
        "db = da.sum(axis=1, keepdims=True); dz = W.T @ da; dc_prev = dc * f.",
        outputs=("dx", "dh_prev", "dc_prev", "dW", "db"), hint=hint,
    )
