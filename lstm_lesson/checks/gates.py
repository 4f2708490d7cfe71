"""Checkers for chapters 3, 4 and 6: the four gates, and the bias that opens a gate.

Every gate is ``act(W_g [h_{t-1}, x_t] + b_g)``; the checkers share their cases
(the reference cell's parameters at several sizes, then saturating inputs) and
one catalogue of slips, with the hints naming the gate being written.
"""

import numpy as np

from .cases import cell_inputs
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations, gates

logit, naive_sigmoid = activations.logit, activations.naive_sigmoid
sigmoid, tanh = activations.sigmoid, activations.tanh

__all__ = [
    "check_forget_gate",
    "check_input_gate",
    "check_candidate",
    "check_output_gate",
    "check_bias_for_gate",
    "check_candidate_bias_for",
    "check_zero_weight_gate",
    "check_to_h_first",
    "check_write",
    "check_fresh_write",
]


def _gate_cases(gate, seed):
    """The shared cell inputs, then a gate shut tight: b = -1000, where
    exp(-a) overflows in the textbook sigmoid."""
    inputs = cell_inputs(seed, seed + 10)
    found = [Case(name, (x_t, h_prev, params[f"W_{gate}"], params[f"b_{gate}"]))
             for name, (x_t, h_prev, _, params) in inputs]
    x_t, h_prev, _, params = inputs[0][1]
    found.append(Case("D=3, H=2, N=1, bias -1000 (the gate shut tight)",
                      (x_t, h_prev, params[f"W_{gate}"], np.full((2, 1), -1000.0))))
    return found


def _buggy_gate(act, order="hx", bias=True, transpose=False, product=np.matmul, rows=False):
    """A gate with one slip: ``act(W [h, x] + b)`` written wrongly."""

    def buggy(x_t, h_prev, W, b):
        z = np.vstack([h_prev, x_t] if order == "hx" else [x_t, h_prev])
        if rows:  # the row-vector convention: z^T W^T, one row per example
            return act(z.T @ W.T + (b.T if bias else 0))
        return act(product(W.T if transpose else W, z) + (b if bias else 0))

    return buggy


def _gate_mistakes(gate, act, other):
    """The catalogue for one gate (``act`` its activation, ``other`` the wrong one)."""
    W, b = f"W_{gate}", f"b_{gate}"
    act_name, other_name = act.__name__, other.__name__
    why = ("a value that may be negative, in (-1, 1)" if act is tanh
           else "a fraction in (0, 1)")
    mistakes = [
        Mistake(
            "[x, h] instead of [h, x]",
            f"The two parts of the input are stacked in the wrong order: the first H "
            f"columns of {W} multiply h_{{t-1}}, the last D multiply x_t.",
            "Stack h first: z = np.vstack([h_prev, x_t]).",
            _buggy_gate(act, order="xh"),
        ),
        Mistake(
            f"{other_name} instead of {act_name}",
            f"This one uses {act_name}: it must give {why}. Check which squashing "
            "function you applied.",
            f"Apply {act_name} to {W} @ z + {b}.",
            _buggy_gate(other),
            variants=(_buggy_gate(np.tanh if other is tanh else naive_sigmoid),),
        ),
        Mistake(
            "bias missing",
            f"The pre-activation is missing a term: {b} does not appear in your answer.",
            f"Add the bias: {W} @ z + {b} ({b} has shape (H, 1) and broadcasts over "
            "the N columns).",
            _buggy_gate(act, bias=False),
        ),
        Mistake(
            "W transposed",
            f"{W} has shape (H, H + D) and z, the stacked h_prev and x_t, has shape "
            "(H + D, N): which product of the two gives (H, N)?",
            f"Compute {W} @ z, not {W}.T @ z.",
            _buggy_gate(act, transpose=True),
            variants=(_buggy_gate(act, transpose=True, product=np.dot),),
        ),
        Mistake(
            "elementwise product instead of matrix product",
            f"Each unit sums over all H + D inputs, so {W} and the stacked input meet "
            "in a matrix product, not element by element.",
            f"{W} @ z is the matrix product; `{W} * z` multiplies element by element.",
            _buggy_gate(act, product=np.multiply),
        ),
        Mistake(
            "row vectors instead of columns",
            "The course stacks examples as columns: x_t is (D, N) and the result "
            "(H, N), not one row per example.",
            f"Compute {W} @ z + {b}, not z.T @ {W}.T.",
            _buggy_gate(act, rows=True),
        ),
    ]
    if act is sigmoid:
        mistakes.append(Mistake(
            "unstable sigmoid",
            "The textbook sigmoid overflows for large negative pre-activations (NumPy "
            "warns): reuse the stable sigmoid of chapter 2.",
            "Use `sigmoid` from lstm_lesson.activations, not 1 / (1 + np.exp(-a)).",
            _buggy_gate(naive_sigmoid),
        ))
    return mistakes


GATE_MISTAKES = {
    "f": _gate_mistakes("f", sigmoid, tanh),
    "i": _gate_mistakes("i", sigmoid, tanh),
    "c": _gate_mistakes("c", tanh, sigmoid),
    "o": _gate_mistakes("o", sigmoid, tanh),
}


def _check_gate(name, candidate, reference, gate, seed, equation, hint):
    return run_check(
        name, candidate, reference, _gate_cases(gate, seed), GATE_MISTAKES[gate],
        generic_hint="Compare each line with the gate's equation in the chapter, and "
        "print the shape of every intermediate value.",
        generic_fix=f"{equation}: z = np.vstack([h_prev, x_t]), then the activation "
        "of W @ z + b.",
        hint=hint,
    )


def check_forget_gate(forget_gate, hint=1):
    """Check ``forget_gate(x_t, h_prev, W_f, b_f) -> f_t`` (H, N).

    x_t (D, N), h_prev (H, N), W_f (H, H + D), b_f (H, 1); compared with
    :func:`lstm_lesson.gates.forget_gate` on four sizes and saturating inputs.
    """
    return _check_gate("check_forget_gate", forget_gate, gates.forget_gate, "f", 300,
                       "f_t = sigma(W_f [h_{t-1}, x_t] + b_f)", hint)


def check_input_gate(input_gate, hint=1):
    """Check ``input_gate(x_t, h_prev, W_i, b_i) -> i_t`` (H, N)."""
    return _check_gate("check_input_gate", input_gate, gates.input_gate, "i", 310,
                       "i_t = sigma(W_i [h_{t-1}, x_t] + b_i)", hint)


def check_candidate(candidate, hint=1):
    """Check ``candidate(x_t, h_prev, W_c, b_c) -> c~_t`` (H, N)."""
    return _check_gate("check_candidate", candidate, gates.candidate, "c", 320,
                       "c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)", hint)


def check_output_gate(output_gate, hint=1):
    """Check ``output_gate(x_t, h_prev, W_o, b_o) -> o_t`` (H, N)."""
    return _check_gate("check_output_gate", output_gate, gates.output_gate, "o", 330,
                       "o_t = sigma(W_o [h_{t-1}, x_t] + b_o)", hint)


def _bias_cases():
    rng = np.random.default_rng(340)
    return [
        Case("p = 0.9", (np.array(0.9),)),
        Case("random p in (0.05, 0.95), shape (3, 2)", (rng.uniform(0.05, 0.95, (3, 2)),)),
        Case("p = 0.5 (a gate half open)", (np.array([0.5]),)),
        Case("p near the ends: 1e-12 and 1 - 1e-9", (np.array([1e-12, 1 - 1e-9]),)),
    ]


BIAS_MISTAKES = [
    Mistake(
        "log(p)",
        "The logarithm alone does not invert the sigmoid: solve the sigmoid's "
        "equation for b on paper.",
        "1 / (1 + exp(-b)) = p gives exp(-b) = (1 - p) / p, so b = log(p / (1 - p)), "
        "not log(p).",
        lambda p: np.log(p),
    ),
    Mistake(
        "sign flipped",
        "That is minus the bias: a gate opened beyond one half (p above 0.5) needs "
        "a positive bias.",
        "b = log(p / (1 - p)), not log((1 - p) / p).",
        lambda p: np.log((1 - p) / p),
    ),
    Mistake(
        "returned p",
        "p is the gate's value; the question asks for the bias that gives it.",
        "Solve 1 / (1 + exp(-b)) = p for b: b = log(p / (1 - p)).",
        lambda p: np.asarray(p, dtype=float),
    ),
    Mistake(
        "log10",
        "The sigmoid's exp calls for the natural logarithm; base 10 is off by a "
        "factor ln(10).",
        "Use np.log, not np.log10: b = np.log(p / (1 - p)).",
        lambda p: np.log10(p / (1 - p)),
    ),
    Mistake(
        "inverse tanh",
        "The inverse tanh undoes tanh, not the sigmoid.",
        "The sigmoid's inverse is log(p / (1 - p)) (it equals 2 arctanh(2p - 1), but "
        "that form loses digits near p = 0).",
        lambda p: np.arctanh(p),
    ),
    Mistake(
        "precision lost near p = 0",
        "Your formula is right on paper, but it loses precision for p near 0: 2p - 1 "
        "lies so close to -1 that rounding eats most of the digits that carry the "
        "answer. Look for a form that works with p and 1 - p directly.",
        "Use b = np.log(p) - np.log1p(-p) (or np.log(p / (1 - p))): nothing close "
        "to -1 is formed, so every digit of p is kept.",
        lambda p: 2 * np.arctanh(2 * p - 1),
        variants=(lambda p: np.arctanh(2 * p - 1) * 2,),
    ),
]


def check_bias_for_gate(bias_for_gate, hint=1):
    """Check ``bias_for_gate(p) -> b`` with ``sigmoid(b) == p``, p an array in (0, 1)."""
    return run_check(
        "check_bias_for_gate", bias_for_gate, logit, _bias_cases(), BIAS_MISTAKES,
        generic_hint="Solve the sigmoid's equation for b on paper (or with sp.solve), "
        "then check that sigmoid(your_b) gives p back.",
        generic_fix="1 / (1 + exp(-b)) = p gives b = log(p / (1 - p)); compute it as "
        "np.log(p) - np.log1p(-p).",
        hint=hint,
    )


# -- Chapter 3, predict: a gate with its weights at zero -----------------------

#: The gate of the prediction: H = 1 unit, D = 1 input, W_f = 0, b_f = 2, and an
#: input so large that, with any weight, it would saturate the gate.
ZERO_WEIGHT_GATE = {"x_t": 50.0, "h_prev": 0.9, "b_f": 2.0}


def _zero_weight_gate():
    """f_t of :data:`ZERO_WEIGHT_GATE`, computed by the package's forget gate."""
    g = ZERO_WEIGHT_GATE
    f = gates.forget_gate(np.array([[g["x_t"]]]), np.array([[g["h_prev"]]]),
                          np.zeros((1, 2)), np.array([[g["b_f"]]]))
    return float(f[0, 0])


ZERO_WEIGHT_PREDICTIONS = [
    WrongPrediction(
        "saturated by the input", 1.0,
        "The input is large, but look at what multiplies it before the sigmoid.",
        "With W_f = 0 the product W_f [h_{t-1}, x_t] is 0 whatever the input: the "
        "pre-activation is the bias alone, and f_t = sigma(2).",
    ),
    WrongPrediction(
        "the pre-activation", 2.0,
        "That is the pre-activation; the gate is what the sigmoid makes of it.",
        "f_t = sigma(W_f z + b_f) = sigma(0 + 2) = 1 / (1 + e^-2).",
    ),
    WrongPrediction(
        "bias forgotten", 0.5,
        "With the weights at zero the pre-activation is not zero: one term is left.",
        "The bias stays: f_t = sigma(b_f) = sigma(2), not sigma(0).",
    ),
]


def check_zero_weight_gate(my_prediction, hint=1):
    """Check a prediction of the forget gate with W_f = 0, b_f = 2, x_t = 50 (chapter 3)."""
    return run_prediction(
        "check_zero_weight_gate", my_prediction, _zero_weight_gate(),
        ZERO_WEIGHT_PREDICTIONS,
        generic_hint="Write the pre-activation first, term by term, then apply the "
        "sigmoid to it; two decimals are enough.",
        generic_fix="W_f [h_{t-1}, x_t] is 0, so a_f = b_f = 2 and f_t = sigma(2) = "
        "1 / (1 + e^-2).",
        hint=hint,
    )


# -- Chapter 3, find the bug: weights for [x_t, h_{t-1}] converted to h first --

def _to_h_first(W_xh, H):
    """The reference: the columns of a matrix for [x_t, h_{t-1}] (the D input
    columns first, then the H recurrent ones) reordered for [h_{t-1}, x_t]."""
    D = W_xh.shape[1] - H
    return np.hstack([W_xh[:, D:], W_xh[:, :D]])


def _to_h_first_cases():
    """Column numbers first (entry (j, k) is k + j / 10, so a reordering shows at
    a glance), then random matrices; H = D last, where splitting at H and at D
    agree."""
    cases = []
    for H, D in [(2, 3), (3, 1), (1, 4)]:
        W = np.arange(H + D, dtype=float) + 0.1 * np.arange(H)[:, None]
        cases.append(Case(f"column numbers, H={H}, D={D}", (W, H)))
    for k, (H, D) in enumerate([(4, 2), (2, 5), (3, 3)]):
        W = np.random.default_rng(360 + k).standard_normal((H, D + H))
        cases.append(Case(f"random, H={H}, D={D}", (W, H)))
    return cases


TO_H_FIRST_MISTAKES = [
    Mistake(
        "split at H instead of D",
        "The bug is still there: your function moves the first H columns to the end, "
        "but in this layout the first block is the input's, D columns wide. It is "
        "right only when H and D are equal.",
        "Split after the D input columns: D = W_xh.shape[1] - H, then "
        "np.hstack([W_xh[:, D:], W_xh[:, :D]]).",
        lambda W_xh, H: np.hstack([W_xh[:, H:], W_xh[:, :H]]),
        variants=(lambda W_xh, H: np.concatenate([W_xh[:, H:], W_xh[:, :H]], axis=1),),
    ),
    Mistake(
        "nothing moved",
        "Nothing moved: the two blocks must exchange places, the recurrent columns "
        "first.",
        "Return np.hstack([W_xh[:, D:], W_xh[:, :D]]) with D = W_xh.shape[1] - H.",
        lambda W_xh, H: W_xh.copy(),
    ),
    Mistake(
        "columns reversed",
        "Reversing the columns also reverses the order inside each block: move the "
        "two blocks, and keep each block's columns in their order.",
        "Move whole blocks, np.hstack([W_xh[:, D:], W_xh[:, :D]]), not W_xh[:, ::-1].",
        lambda W_xh, H: W_xh[:, ::-1].copy(),
    ),
    Mistake(
        "transposed",
        "The converted matrix has the same shape, (H, H + D): only the order of its "
        "columns changes, not rows for columns.",
        "Keep the rows and reorder the columns: np.hstack([W_xh[:, D:], W_xh[:, :D]]), "
        "not W_xh.T.",
        lambda W_xh, H: W_xh.T.copy(),
    ),
]


def check_to_h_first(to_h_first, hint=1):
    """Check ``to_h_first(W_xh, H) -> W`` (H, H + D): a matrix for [x_t, h_{t-1}]
    with its columns reordered for the course's [h_{t-1}, x_t] (chapter 3)."""
    return run_check(
        "check_to_h_first", to_h_first, _to_h_first, _to_h_first_cases(),
        TO_H_FIRST_MISTAKES,
        generic_hint="Draw the columns of both layouts for two units and three inputs, "
        "and mark which part of the stacked input each column multiplies.",
        generic_fix="The input block is the first D = W_xh.shape[1] - H columns: "
        "np.hstack([W_xh[:, D:], W_xh[:, :D]]).",
        hint=hint,
    )


def _candidate_bias_for(write, b_i):
    """The reference: b_c with sigma(b_i) * tanh(b_c) == write (weights at zero)."""
    return np.arctanh(write / sigmoid(b_i))


def _candidate_bias_cases():
    rng = np.random.default_rng(350)
    b_i = rng.uniform(-2, 2, (3, 2))
    return [
        Case("write 0.5 with b_i = 2", (np.array(0.5), np.array(2.0))),
        Case("write -0.2 with b_i = 0", (np.array([-0.2]), np.array([0.0]))),
        Case("random writes inside the bound, shape (3, 2)",
             (rng.uniform(-0.9, 0.9, (3, 2)) * sigmoid(b_i), b_i)),
        Case("nothing written: write 0 with b_i = -1", (np.array([0.0]), np.array([-1.0]))),
        Case("near the bound: write = 0.999 sigma(b_i), b_i = 0.5",
             (np.array(0.999 * sigmoid(0.5)), np.array(0.5))),
    ]


CANDIDATE_BIAS_MISTAKES = [
    Mistake(
        "input gate ignored",
        "The write is the input gate times the candidate: undo the gate before "
        "inverting tanh.",
        "b_c = np.arctanh(write / sigmoid(b_i)): divide by sigma(b_i) first.",
        lambda write, b_i: np.arctanh(write),
    ),
    Mistake(
        "tanh not inverted",
        "Your value is the candidate c~ itself; the bias is the pre-activation that "
        "gives it, one more inversion away.",
        "b_c = np.arctanh(c~) with c~ = write / sigmoid(b_i).",
        lambda write, b_i: write / sigmoid(b_i),
    ),
    Mistake(
        "multiplied by the gate",
        "Undo the gate with the inverse operation: you multiplied by it.",
        "c~ = write / sigma(b_i), not write * sigma(b_i); then b_c = np.arctanh(c~).",
        lambda write, b_i: np.arctanh(write * sigmoid(b_i)),
    ),
    Mistake(
        "b_i used as the gate value",
        "b_i is the input gate's bias, not its value: the gate's value is the "
        "sigmoid of it.",
        "The gate is sigmoid(b_i): b_c = np.arctanh(write / sigmoid(b_i)).",
        lambda write, b_i: np.arctanh(write / b_i),
    ),
    Mistake(
        "sign flipped",
        "A positive write needs a positive candidate, so the bias has the sign of "
        "the write.",
        "b_c = np.arctanh(write / sigmoid(b_i)), without the minus.",
        lambda write, b_i: -np.arctanh(write / sigmoid(b_i)),
    ),
    Mistake(
        "logit instead of arctanh",
        "The candidate uses tanh, so invert tanh, not the sigmoid.",
        "Use np.arctanh(write / sigmoid(b_i)), not the logit.",
        lambda write, b_i: logit(write / sigmoid(b_i)),
    ),
]


def check_candidate_bias_for(candidate_bias_for, hint=1):
    """Check ``candidate_bias_for(write, b_i) -> b_c`` with ``sigmoid(b_i) * tanh(b_c) == write``."""
    return run_check(
        "check_candidate_bias_for", candidate_bias_for, _candidate_bias_for,
        _candidate_bias_cases(), CANDIDATE_BIAS_MISTAKES,
        generic_hint="Check your answer: the input gate's value times tanh of your b_c "
        "should give the write back.",
        generic_fix="b_c = np.arctanh(write / sigmoid(b_i)); check that "
        "sigmoid(b_i) * np.tanh(b_c) gives the write back.",
        hint=hint,
    )


# -- Chapter 4: the write i_t * c~_t ----------------------------------------------


def _write(x_t, h_prev, W_i, b_i, W_c, b_c):
    """The reference: the write ``i_t * c~_t`` of one step, (H, N)."""
    return gates.input_gate(x_t, h_prev, W_i, b_i) * gates.candidate(x_t, h_prev, W_c, b_c)


def _write_cases():
    """The shared cell inputs, then an input gate shut tight (b_i = -1000)."""
    inputs = cell_inputs(360, 370)
    found = [Case(name, (x_t, h_prev, p["W_i"], p["b_i"], p["W_c"], p["b_c"]))
             for name, (x_t, h_prev, _, p) in inputs]
    x_t, h_prev, _, p = inputs[0][1]
    found.append(Case("D=3, H=2, N=1, input gate shut tight (b_i = -1000)",
                      (x_t, h_prev, p["W_i"], np.full((2, 1), -1000.0), p["W_c"], p["b_c"])))
    return found


def _buggy_write(gate_act=sigmoid, proposal_act=tanh, order="hx", combine=np.multiply,
                 swap=False, gated=True):
    """The write with one slip: ``gate_act(W_i z + b_i) * proposal_act(W_c z + b_c)``."""

    def buggy(x_t, h_prev, W_i, b_i, W_c, b_c):
        z = np.vstack([h_prev, x_t] if order == "hx" else [x_t, h_prev])
        if swap:
            W_i, b_i, W_c, b_c = W_c, b_c, W_i, b_i
        proposal = proposal_act(W_c @ z + b_c)
        return combine(gate_act(W_i @ z + b_i), proposal) if gated else proposal

    return buggy


WRITE_MISTAKES = [
    Mistake(
        "sigmoid for the candidate",
        "Every write of yours is positive, yet the candidate must be able to push a "
        "memory down: look at the squashing function of the candidate.",
        "c_tilde = np.tanh(W_c @ z + b_c); the sigmoid stays for the gate only.",
        _buggy_write(proposal_act=sigmoid),
    ),
    Mistake(
        "tanh for the gate",
        "The input gate must be a fraction in (0, 1): look at the squashing function "
        "of the gate.",
        "i_t = sigmoid(W_i @ z + b_i), then the write i_t * c_tilde.",
        _buggy_write(gate_act=tanh),
    ),
    Mistake(
        "input gate missing",
        "Your write is the whole candidate: the input gate does not scale it.",
        "Return sigmoid(W_i @ z + b_i) * np.tanh(W_c @ z + b_c), not the candidate "
        "alone.",
        _buggy_write(gated=False),
    ),
    Mistake(
        "gate added to the candidate",
        "The gate and the candidate are added in your answer; the gate lets a "
        "fraction of the candidate through.",
        "Multiply them elementwise: i_t * c_tilde, not i_t + c_tilde.",
        _buggy_write(combine=np.add),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "Unit k writes its own gate times its own candidate: an element by element "
        "product, not a matrix product.",
        "Use * (elementwise), not @ or np.dot: i_t * c_tilde.",
        _buggy_write(combine=np.matmul),
        variants=(_buggy_write(combine=np.dot),),
    ),
    Mistake(
        "weights of the gate and the candidate swapped",
        "The gate and the candidate each have their own weights and bias: check which "
        "pair feeds which.",
        "i_t = sigmoid(W_i @ z + b_i) and c_tilde = np.tanh(W_c @ z + b_c).",
        _buggy_write(swap=True),
    ),
    Mistake(
        "[x, h] instead of [h, x]",
        "The two parts of the input are stacked in the wrong order: the first H "
        "columns of W_i and W_c multiply h_{t-1}, the last D multiply x_t.",
        "Stack h first: z = np.vstack([h_prev, x_t]).",
        _buggy_write(order="xh"),
    ),
    Mistake(
        "unstable sigmoid",
        "The textbook sigmoid overflows when the gate is shut tight (NumPy warns): "
        "reuse the stable sigmoid of chapter 2.",
        "Use `sigmoid` from lstm_lesson.activations, not 1 / (1 + np.exp(-a)).",
        _buggy_write(gate_act=naive_sigmoid),
    ),
]


def check_write(write, hint=1):
    """Check ``write(x_t, h_prev, W_i, b_i, W_c, b_c) -> i_t * c~_t`` (H, N)."""
    return run_check(
        "check_write", write, _write, _write_cases(), WRITE_MISTAKES,
        generic_hint="Compute the gate and the candidate apart, print their ranges, "
        "and compare each with its equation in the chapter.",
        generic_fix="z = np.vstack([h_prev, x_t]); return sigmoid(W_i @ z + b_i) * "
        "np.tanh(W_c @ z + b_c).",
        hint=hint,
    )


#: The fresh cell of chapter 4's prediction: every weight 0, b_i = 2, b_c = -1.
FRESH_BIASES = {"b_i": 2.0, "b_c": -1.0}

FRESH_WRITE_PREDICTIONS = [
    WrongPrediction(
        "input gate left out",
        float(tanh(-1.0)),
        "That is the candidate alone: the input gate lets only a fraction of it through.",
        "The write is the gate times the candidate: sigma(2) * tanh(-1) = 0.881 * "
        "(-0.762).",
    ),
    WrongPrediction(
        "sigmoid for the candidate",
        float(sigmoid(2.0) * sigmoid(-1.0)),
        "The candidate is squashed by tanh, not by the sigmoid, so a write can be "
        "negative.",
        "The candidate is tanh(b_c) = tanh(-1) = -0.762, and the gate sigma(2) = 0.881 "
        "scales it.",
    ),
    WrongPrediction(
        "tanh for the gate",
        float(tanh(2.0) * tanh(-1.0)),
        "The input gate is squashed by the sigmoid, like every gate.",
        "The gate is sigma(b_i) = sigma(2) = 0.881, not tanh(2) = 0.964.",
    ),
    WrongPrediction(
        "the gate alone",
        float(sigmoid(2.0)),
        "That is the input gate's value; the write is what it lets through of the "
        "candidate.",
        "Multiply the gate sigma(2) = 0.881 by the candidate tanh(-1) = -0.762.",
    ),
    WrongPrediction(
        "sign flipped",
        float(-sigmoid(2.0) * tanh(-1.0)),
        "The write has the sign of the candidate, and the candidate's bias is negative.",
        "tanh(-1) = -0.762 is negative and the gate is positive, so the write is "
        "negative.",
    ),
    WrongPrediction(
        "zero weights read as a zero write",
        0.0,
        "The weights are zero, but the biases are not: each pre-activation is its bias.",
        "With W = 0 the pre-activations are b_i = 2 and b_c = -1, whatever the input.",
    ),
    WrongPrediction(
        "gate added to the candidate",
        float(sigmoid(2.0) + tanh(-1.0)),
        "The gate scales the candidate; it is not added to it.",
        "The write is the product sigma(2) * tanh(-1), not the sum.",
    ),
]


def check_fresh_write(prediction, hint=1):
    """Check a prediction of the write ``i_t * c~_t`` of a cell whose weights are all
    zero, with input-gate bias 2 and candidate bias -1 (a number)."""
    x_t, h_prev, W = np.ones((3, 1)), np.zeros((1, 1)), np.zeros((1, 4))
    b_i, b_c = (np.full((1, 1), FRESH_BIASES[name]) for name in ("b_i", "b_c"))
    expected = float(_write(x_t, h_prev, W, b_i, W, b_c)[0, 0])
    return run_prediction(
        "check_fresh_write", prediction, expected, FRESH_WRITE_PREDICTIONS,
        generic_hint="With every weight at zero, each pre-activation is its bias; "
        "squash each with its own function, then combine them as the cell does.",
        generic_fix="The gate is sigma(2) = 0.881, the candidate tanh(-1) = -0.762, "
        "and the write their product.",
        hint=hint,
    )
