"""Checkers for chapter 9: backward through one step.

Every case is a real forward step (the package's ``cell_forward`` on
fixed-seed inputs, biases spread so that no gate sits at 1/2) with random
upstream gradients ``dh_next`` and ``dc_next``. A wrong backward pass still
returns arrays of the right shape, so the catalogue below rebuilds the typical
slips one by one and names the one that reproduces the reader's answer.
"""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .fused import order_mistakes
from .pristine import activations, backward, cell, fused

sigmoid, GATE_ORDER = activations.sigmoid, fused.GATE_ORDER

__all__ = ["check_output_gate_backward", "check_cell_state_backward", "check_cell_backward",
           "check_fixed_cell_backward", "check_dc_prev_prediction",
           "check_backward_without_output_gate"]

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
                    df_from="c_prev", di_from="c_tilde", swap_i_c=False, carry="f",
                    order=GATE_ORDER,
                    dz="W.T @ da", dW="da @ z.T", db="sum", split="h first",
                    matmul=np.matmul):
    """A reader's step backward with one slip; the defaults are right.

    h_path / direct_path: the two paths into c_t; gate_grad: the sigmoid
    derivative "output" s (1 - s) (right), "none" (forgotten) or "sigma(s)"
    (the derivative formula applied to the output as if it were the
    pre-activation); candidate_grad: tanh' of the candidate; tanh_c_grad:
    1 - tanh(c)^2 ("tanh_c"), 1 - c^2 ("c_t"), 1 - tanh(c_prev)^2 ("c_prev") or
    none; do_from: do = dh * tanh(c) or dh * c; df_from: df = dc * c_prev, dc *
    c_t, or dc_next * c_prev ("dc_next"); di_from: di = dc * c~ or dc * c_prev
    ("c_prev"); swap_i_c: di and dc~ exchanged; carry: dc_prev = dc * f, dc,
    dc * i, or dc * c_prev; order: the blocks of da; dz, dW, db, split: the
    linear part.
    """

    def step_backward(dh_next, dc_next, cache):
        i, f, c_tilde, o = cache["i"], cache["f"], cache["c_tilde"], cache["o"]
        c_prev, c_t, tanh_c = cache["c_prev"], cache["c_t"], cache["tanh_c"]
        W, H = cache["W"], cache["h_prev"].shape[0]
        z = np.vstack([cache["h_prev"], cache["x_t"]])
        do = dh_next * (tanh_c if do_from == "tanh_c" else c_t)
        local = {"tanh_c": 1 - tanh_c**2, "c_t": 1 - c_t**2,
                 "c_prev": 1 - np.tanh(c_prev)**2, "none": 1}[tanh_c_grad]
        dc = (dc_next if direct_path else 0) + (dh_next * o * local if h_path else 0)
        df = {"c_prev": dc * c_prev, "c_t": dc * c_t, "dc_next": dc_next * c_prev}[df_from]
        di, dc_tilde = dc * (c_tilde if di_from == "c_tilde" else c_prev), dc * i
        if swap_i_c:
            di, dc_tilde = dc_tilde, di
        dc_prev = {"f": dc * f, "none": dc, "i": dc * i, "c_prev": dc * c_prev}[carry]

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


# -- Find the bug: a step backward with c_t in the forget gate's gradient -------

#: The fix of the chapter's buggy step backward.
DF_FIX = "df = dc * c_prev, with c_prev = cache['c_prev'] (c_{t-1}), not cache['c_t']"

FIXED_STEP_MISTAKES = [
    Mistake(
        "bug still there: c_t in df",
        "Your function still has the chapter's bug: look at the cell state that the "
        "forget gate multiplies in the update.",
        f"In c_t = f_t * c_{{t-1}} + i_t * c~_t the forget gate multiplies c_{{t-1}}: "
        f"{DF_FIX}.",
        _buggy_backward(df_from="c_t"),
    ),
    Mistake(
        "c_{t-1} in di as well",
        "The forget gate's gradient is right now, but the input gate's changed with "
        "it: the input gate multiplies the candidate, not the old cell state.",
        "di = dc * c_tilde; only df takes c_prev.",
        _buggy_backward(di_from="c_prev"),
    ),
    Mistake(
        "tanh derivative taken at c_{t-1}",
        "The path through h_t now takes the derivative of tanh at the old cell state; "
        "h_t squashes the new one.",
        "dc = dc_next + dh_next * o * (1 - tanh_c**2), with tanh_c = cache['tanh_c'] "
        "= tanh(c_t).",
        _buggy_backward(tanh_c_grad="c_prev"),
    ),
    Mistake(
        "c_{t-1} in dc_prev",
        "The gradient passed back to the previous cell state goes through the forget "
        "gate's factor, not through the old cell state.",
        "dc_prev = dc * f: in c_t = f_t * c_{t-1} + ..., the factor next to c_{t-1} "
        "is f_t.",
        _buggy_backward(carry="c_prev"),
    ),
    Mistake(
        "df from dc_next alone",
        "The forget gate's gradient takes only the direct path into c_t: the path "
        "through h_t reaches the forget gate too.",
        f"Use the total gradient at c_t, dc = dc_next + dh_next * o * (1 - tanh_c**2): "
        f"{DF_FIX}.",
        _buggy_backward(df_from="dc_next"),
    ),
]


def check_fixed_cell_backward(fixed_cell_backward, hint=1):
    """Check the fixed step backward of chapter 9's find-the-bug exercise.

    ``fixed_cell_backward(dh_next, dc_next, cache) -> (dx, dh_prev, dc_prev, dW,
    db)``, the same contract as ``cell_backward``: the chapter's buggy version
    multiplies the forget gate's gradient by c_t instead of c_{t-1}.
    """
    return run_check(
        "check_fixed_cell_backward", fixed_cell_backward, backward.cell_backward,
        step_cases(960), FIXED_STEP_MISTAKES,
        generic_hint="Compare each line with the derivation, one factor at a time: "
        "every gradient of a product is the gradient of the result times the other "
        "factor.",
        generic_fix=f"{DF_FIX}; everything else as in the derivation: {DC_FIX}, "
        "di = dc * c_tilde, dc_tilde = dc * i, dc_prev = dc * f.",
        outputs=("dx", "dh_prev", "dc_prev", "dW", "db"), hint=hint,
    )


# -- Predict: the gradient to c_{t-1} through a wide-open forget gate ----------

#: The chapter's set-up for the prediction: (D, H), the random seed of the weights and
#: inputs, the forget bias that opens the gate to exactly 1, and dc_next.
PREDICTION_SIZES, PREDICTION_SEED, OPEN_BIAS = (2, 3), 4, 40.0
PREDICTION_DC_NEXT = ((0.5,), (-1.5,), (2.0,))


def _prediction_step():
    """The chapter's step: f_t = 1 exactly, dh_next = 0; returns (dc_next, cache)."""
    D, H = PREDICTION_SIZES
    W, b = fused.init_fused(D, H, seed=PREDICTION_SEED)
    b[fused.gate_slice("f", H)] = OPEN_BIAS
    rng = np.random.default_rng(PREDICTION_SEED)
    x_t, h_prev = rng.standard_normal((D, 1)), rng.uniform(-1, 1, (H, 1))
    c_prev = rng.standard_normal((H, 1))
    _, _, cache = cell.cell_forward(x_t, h_prev, c_prev, W, b)
    assert np.all(cache["f"] == 1.0)  # sigma(40 + small) is 1 in float64
    return np.array(PREDICTION_DC_NEXT), cache


def _dc_prev_predictions():
    dc_next, cache = _prediction_step()
    values = dc_next.ravel()
    return [
        WrongPrediction(
            "nothing gets through", [0.0, 0.0, 0.0],
            "Only the gradient arriving at h_t is zero. Another one reaches the cell "
            "state directly, and nothing on its way back closes.",
            "dc = dc_next + dh_next * o * (1 - tanh(c_t)^2) = dc_next, and dc_prev = "
            "dc * f_t with f_t = 1: the gradient passes unchanged, as on the constant "
            "error carousel. (A saturated gate's own gradient, f (1 - f), is 0; the "
            "gradient through it is not.)"),
        WrongPrediction(
            "times c_{t-1}", list(values * cache["c_prev"].ravel()),
            "That is how the forget gate's own gradient is formed; the gradient to the "
            "old cell state takes the other factor of the product.",
            "In c_t = f_t * c_{t-1} + ..., the gradient to c_{t-1} is dc times f_t, and "
            "the gradient to f_t is dc times c_{t-1}."),
        WrongPrediction(
            "halved", list(values / 2),
            "The forget gate here is not half open: its bias is large.",
            "f_t = sigma(40 + W_f z) is 1 in float64, so dc_prev = dc_next * 1."),
    ]


#: Typical wrong predictions of dc_prev, with their hints.
DC_PREV_PREDICTIONS = _dc_prev_predictions()


def check_dc_prev_prediction(prediction, hint=1):
    """Check a prediction of ``cell_backward(dh_zero, dc_from_above, cache)[2]``.

    The chapter's step has its forget gate wide open (bias 40, f_t = 1 exactly),
    ``dh_next`` = 0 and ``dc_next`` = (0.5, -1.5, 2.0); the prediction is the
    three entries of ``dc_prev``, as a list (any shape with three numbers).
    """
    dc_next, cache = _prediction_step()
    expected = backward.cell_backward(np.zeros_like(dc_next), dc_next, cache)[2].ravel()
    return run_prediction(
        "check_dc_prev_prediction", _three_numbers(prediction), expected,
        DC_PREV_PREDICTIONS,
        generic_hint="Follow dc_next back through the cell state's update, with the "
        "forget gate fully open and no gradient arriving at h_t.",
        generic_fix="dc = dc_next + dh_next * o * (1 - tanh(c_t)^2) = dc_next; "
        "dc_prev = dc * f_t = dc_next.",
        hint=hint)


def _three_numbers(answer):
    """A prediction of three numbers, as a flat array when it holds three numbers."""
    try:
        flat = np.asarray(answer, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return answer
    return flat if flat.size == 3 else answer


# -- Change: a cell without an output gate, h_t = tanh(c_t) -------------------

def _as_full_cell(cache):
    """The cache of a cell without an output gate as the full cell's, with o_t = 1.

    Such a cell is the LSTM with its output gate always open: the gate's rows of
    W are zero and o_t = 1, so the package's backward pass gives its gradients
    (and a zero block for the missing gate, which is cut off).
    """
    W, c_t = cache["W"], cache["c_t"]
    return {**cache, "o": np.ones_like(c_t),
            "W": np.vstack([W, np.zeros((c_t.shape[0], W.shape[1]))])}


def _open_output_gate(step_backward):
    """``step_backward`` of the full cell, run on a cell without an output gate."""

    def backward_without_output_gate(dh_next, dc_next, cache):
        H = cache["c_t"].shape[0]
        dx, dh_prev, dc_prev, dW, db = step_backward(dh_next, dc_next, _as_full_cell(cache))
        return dx, dh_prev, dc_prev, dW[:3 * H], db[:3 * H]

    return backward_without_output_gate


def _without_output_gate_cases(seed):
    """Fixed-seed steps of a cell without an output gate: W (3H, H + D), blocks i, f, c~.

    Made by the full cell with its output gate's weights at 0 and bias 40, so
    that o_t = 1 exactly; the cache then loses ``o`` and the gate's rows of W.
    """
    cases = []
    for k, (D, H, N) in enumerate(BACKWARD_SIZES):
        rng = np.random.default_rng(seed + k)
        W, b = fused.init_fused(D, H, seed=seed + 50 + k)
        b = b + rng.normal(0, 1.5, b.shape)
        W[fused.gate_slice("o", H)], b[fused.gate_slice("o", H)] = 0.0, OPEN_BIAS
        x_t, h_prev = rng.standard_normal((D, N)), rng.uniform(-1, 1, (H, N))
        c_prev = rng.normal(0, 1.5, (H, N))
        _, _, full = cell.cell_forward(x_t, h_prev, c_prev, W, b)
        assert np.all(full["o"] == 1.0)
        cache = {key: value for key, value in full.items() if key != "o"}
        cache["W"] = full["W"][:3 * H].copy()
        dh_next, dc_next = rng.standard_normal((H, N)), rng.standard_normal((H, N))
        cases.append(Case(f"D={D}, H={H}, N={N}", (dh_next, dc_next, cache)))
    return cases


#: The total gradient at c_t when h_t = tanh(c_t).
DC_OPEN_FIX = "dc = dc_next + dh_next * (1 - tanh_c**2)"

WITHOUT_OUTPUT_GATE_MISTAKES = [
    Mistake(
        "missing dc path through h_t",
        "Without an output gate, c_t still reaches the loss twice: directly and "
        "through h_t. Your gradient at c_t has only the direct path.",
        f"{DC_OPEN_FIX}; use it for df, di, dc~ and dc_prev.",
        _open_output_gate(_buggy_backward(h_path=False)),
    ),
    Mistake(
        "tanh derivative forgotten",
        "h_t is the tanh of c_t, not c_t itself: the path through h_t has tanh's "
        "derivative as its factor.",
        f"{DC_OPEN_FIX}: the factor is 1 - tanh(c_t)^2, not 1.",
        _open_output_gate(_buggy_backward(tanh_c_grad="none")),
    ),
    Mistake(
        "tanh derivative taken at c_t",
        "The tanh derivative takes tanh's value, the cache's tanh of c_t, not c_t "
        "itself.",
        "1 - tanh_c**2 with tanh_c = cache['tanh_c'], not 1 - c_t**2.",
        _open_output_gate(_buggy_backward(tanh_c_grad="c_t")),
    ),
    Mistake(
        "direct path dc_next forgotten",
        "dc_next, the gradient that reaches c_t directly from the next step, is "
        "missing from your total.",
        f"{DC_OPEN_FIX}: dc_next is the first term.",
        _open_output_gate(_buggy_backward(direct_path=False)),
    ),
    Mistake(
        "sigmoid derivative forgotten",
        "di and df are gradients at the gates' outputs; the blocks of da are at the "
        "pre-activations, one link further.",
        "da_i = di * i * (1 - i) and da_f = df * f * (1 - f).",
        _open_output_gate(_buggy_backward(gate_grad="none")),
    ),
    Mistake(
        "c_t instead of c_{t-1} in df",
        "The forget gate multiplies the previous cell state, not the new one.",
        "df = dc * c_prev.",
        _open_output_gate(_buggy_backward(df_from="c_t")),
    ),
    Mistake(
        "db not summed over the batch",
        "b is one column shared by every example: db must be summed over the batch "
        "into shape (3H, 1).",
        "db = da.sum(axis=1, keepdims=True).",
        _open_output_gate(_buggy_backward(db="none")),
        variants=(_open_output_gate(_buggy_backward(db="axis 0")),),
    ),
    Mistake(
        "dx and dh_prev swapped",
        "z stacks h first: the top H rows of dz belong to h_{t-1}.",
        "dh_prev = dz[:H], dx = dz[H:].",
        _open_output_gate(_buggy_backward(split="x first")),
    ),
]


def check_backward_without_output_gate(backward_without_output_gate, hint=1):
    """Check the step backward of a cell without an output gate, h_t = tanh(c_t).

    ``backward_without_output_gate(dh_next, dc_next, cache) -> (dx, dh_prev,
    dc_prev, dW, db)`` with W (3H, H + D), blocks i, f, c~; the cache has the
    keys of ``cell_forward``'s but no ``"o"``. dW (3H, H + D) and db (3H, 1)
    are summed over the batch.
    """
    return run_check(
        "check_backward_without_output_gate", backward_without_output_gate,
        _open_output_gate(backward.cell_backward), _without_output_gate_cases(970),
        WITHOUT_OUTPUT_GATE_MISTAKES,
        generic_hint="Start from the derivation of the full cell and take the output "
        "gate out: h_t is tanh(c_t), so the path through h_t changes, and da has "
        "three blocks instead of four.",
        generic_fix=f"{DC_OPEN_FIX}; da = np.vstack([dc * c_tilde * i * (1 - i), "
        "dc * c_prev * f * (1 - f), dc * i * (1 - c_tilde**2)]); dW = da @ z.T; "
        "db = da.sum(axis=1, keepdims=True); dz = W.T @ da; dc_prev = dc * f.",
        outputs=("dx", "dh_prev", "dc_prev", "dW", "db"), hint=hint,
    )
