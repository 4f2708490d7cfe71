"""Checkers for chapter 13: the CIFG step built from the LSTM, the CIFG backward pass
with its bug found, which variant cannot count, and a GRU's parameters."""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations
from .pristine import variants as pv

__all__ = ["check_cifg_step", "check_cifg_backward", "check_counting_prediction",
           "check_gru_parameter_count"]

_SIZES = [(2, 3, 1), (3, 2, 4), (1, 1, 1), (3, 3, 3)]  # (H, D, N); the last square


def _cifg_cases(seed):
    """Inputs, states and CIFG parameters W (3H, H + D), b (3H, 1), blocks f, c~, o."""
    cases = []
    for k, (H, D, N) in enumerate(_SIZES):
        rng = np.random.default_rng(seed + k)
        x, h, c = (rng.standard_normal((D, N)), rng.standard_normal((H, N)),
                   2 * rng.standard_normal((H, N)))
        W, b = rng.standard_normal((3 * H, H + D)), rng.standard_normal((3 * H, 1))
        cases.append(Case(f"H={H}, D={D}, N={N}", (x, h, c, W, b)))
    return cases


def _cifg_step(x_t, h_prev, c_prev, W, b):
    """The reference: the package's CIFG step (a private copy), ``h_t, c_t``."""
    h_t, c_t, _ = pv.variant_step("cifg", x_t, h_prev, c_prev, {"W": W, "b": b})
    return h_t, c_t


def _buggy_step(slip):
    sigmoid, tanh = activations.sigmoid, np.tanh

    def step(x_t, h_prev, c_prev, W, b):
        H = h_prev.shape[0]
        z = np.vstack([x_t, h_prev] if slip == "[x, h]" else [h_prev, x_t])
        a = W @ z + b
        a_f, a_c, a_o = a[:H], a[H:2 * H], a[2 * H:]
        if slip == "f and c~ blocks swapped":
            a_f, a_c = a_c, a_f
        f, o = sigmoid(a_f), sigmoid(a_o)
        c_tilde = sigmoid(a_c) if slip == "sigmoid candidate" else tanh(a_c)
        i = f if slip == "i = f" else 1 - f
        if slip == "coupled the other way":
            c_t = (1 - f) * c_prev + f * c_tilde
        else:
            c_t = f * c_prev + i * c_tilde
        if slip == "tanh of c missing":
            return o * c_t, c_t
        if slip == "old cell in h":
            return o * tanh(c_prev), c_t
        if slip == "outputs swapped":
            return c_t, o * tanh(c_t)
        return o * tanh(c_t), c_t

    return step


CIFG_STEP_MISTAKES = [
    Mistake("input gate equal to the forget gate",
            "Your input gate is the forget gate itself: the coupled gate writes what the "
            "forget gate lets go, not what it keeps.",
            "i = 1 - f, so c_t = f * c_prev + (1 - f) * c_tilde.", _buggy_step("i = f")),
    Mistake("coupled the other way",
            "The forget gate scales the candidate and what it leaves over scales the old "
            "state: the two are the wrong way round.",
            "The forget gate keeps the old state: c_t = f * c_prev + (1 - f) * c_tilde.",
            _buggy_step("coupled the other way")),
    Mistake("f and c~ blocks swapped",
            "The CIFG's W has three blocks, in the LSTM's order with the input gate left "
            "out: the forget gate's block comes first.",
            "Blocks f, c~, o: a_f = a[:H], a_c = a[H:2 * H], a_o = a[2 * H:].",
            _buggy_step("f and c~ blocks swapped")),
    Mistake("sigmoid for the candidate",
            "The candidate is squashed as in the LSTM, to (-1, 1), not to (0, 1): only the "
            "gates use the sigmoid.",
            "c_tilde = np.tanh(a_c).", _buggy_step("sigmoid candidate")),
    Mistake("tanh of c missing",
            "The hidden state shows the cell state squashed, as in the LSTM: the coupling "
            "changes only the cell state's update.",
            "h_t = o * np.tanh(c_t).", _buggy_step("tanh of c missing")),
    Mistake("c_{t-1} in h_t",
            "The hidden state shows the new cell state, the one you just computed.",
            "h_t = o * np.tanh(c_t), with c_t from this step.", _buggy_step("old cell in h")),
    Mistake("c_t and h_t returned the other way round",
            "Your two results are in each other's place: the step returns the hidden "
            "state first and the cell state second, as the LSTM's step does.",
            "End with return h_t, c_t.", _buggy_step("outputs swapped")),
    Mistake("x_t stacked before h_{t-1}",
            "W's first H columns act on h_{t-1} and its last D on x_t, as in the LSTM's "
            "step: your stacked vector has its two parts the other way round.",
            "a = W @ np.vstack([h_prev, x_t]) + b: h_{t-1} on top, then x_t.",
            _buggy_step("[x, h]")),
]


def check_cifg_step(cifg_step, hint=1):
    """Check ``cifg_step(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)``, W (3H, H + D) with
    blocks f, c~, o, b (3H, 1), and the input gate i = 1 - f."""
    return run_check(
        "check_cifg_step", cifg_step, _cifg_step, _cifg_cases(1300), CIFG_STEP_MISTAKES,
        generic_hint="Start from the LSTM's step: three blocks of W (f, c~, o), and the "
        "input gate replaced by what the forget gate leaves over.",
        generic_fix="a = W @ np.vstack([h_prev, x_t]) + b; f, c~, o from its three "
        "blocks; c_t = f * c_prev + (1 - f) * c_tilde; h_t = o * np.tanh(c_t).",
        outputs=("h_t", "c_t"), hint=hint)


# -- Find the bug: the CIFG's backward pass ------------------------------------------

def _cifg_backward_cases(seed):
    cases = []
    for k, (x, h, c, W, b) in enumerate(case.args for case in _cifg_cases(seed)):
        rng = np.random.default_rng(seed + 10 + k)
        _, _, cache = pv.variant_step("cifg", x, h, c, {"W": W, "b": b})
        dh, dc = rng.standard_normal(h.shape), rng.standard_normal(h.shape)
        H, N = h.shape
        cases.append(Case(f"H={H}, D={x.shape[0]}, N={N}", (dh, dc, cache)))
    return cases


def _cifg_backward(dh_next, dc_next, cache):
    """The reference: ``dx, dh_prev, dc_prev, dW, db`` from the package's backward."""
    dx, dh_prev, dc_prev, grads = pv.variant_step_backward(dh_next, dc_next, cache)
    return dx, dh_prev, dc_prev, grads["W"], grads["b"]


def _buggy_backward(slip):
    """The chapter's buggy CIFG backward, or a fix that goes wrong in another way."""

    def backward(dh_next, dc_next, cache):
        f, c_tilde, o = cache["f"], cache["c_tilde"], cache["o"]
        c_prev, c_t = cache["c_prev"], cache["c_t"]
        W = cache["params"]["W"]
        tanh_c = np.tanh(c_t)
        do = dh_next * tanh_c
        dc = dc_next + dh_next * o * (1 - tanh_c**2)
        df = {"as given": dc * c_prev, "sign": dc * (c_prev + c_tilde),
              "dc_prev": dc * (c_prev - c_tilde), "dc_tilde": dc * (c_prev - c_tilde),
              "twice": dc * (c_prev - 2 * c_tilde)}[slip]
        dc_tilde = dc * (f if slip == "dc_tilde" else 1 - f)
        dc_prev = dc * (1 - f if slip == "dc_prev" else f)
        da = np.vstack([df * f * (1 - f), dc_tilde * (1 - c_tilde**2), do * o * (1 - o)])
        H = f.shape[0]
        dz = W.T @ da
        z = np.vstack([cache["h_prev"], cache["x_t"]])
        return dz[H:], dz[:H], dc_prev, da @ z.T, da.sum(axis=1, keepdims=True)

    return backward


#: The chapter prints this one: the bug the reader is to find.
buggy_cifg_backward = _buggy_backward("as given")

CIFG_BACKWARD_MISTAKES = [
    Mistake("coupling path missing",
            "This is the function as given: the forget gate reaches c_t by two paths, "
            "and dL/df counts only one.",
            "i = 1 - f, so dL/df = dc * c_prev - dc * c_tilde: df = dc * (c_prev - c_tilde).",
            buggy_cifg_backward),
    Mistake("coupling path with the wrong sign",
            "You added the second path, but the input gate falls as the forget gate "
            "rises: its term enters with a minus.",
            "d(1 - f)/df = -1: df = dc * (c_prev - c_tilde).", _buggy_backward("sign")),
    Mistake("the coupling counted twice",
            "The second path is there, but counted twice: the candidate's term enters "
            "dL/df once.",
            "df = dc * (c_prev - c_tilde), one c_tilde.", _buggy_backward("twice")),
    Mistake("dc_prev through 1 - f",
            "The old cell state is scaled by the forget gate itself: that is the path "
            "dc_prev takes back.",
            "dc_prev = dc * f.", _buggy_backward("dc_prev")),
    Mistake("candidate gated by f",
            "The candidate is written through the coupled input gate, so its gradient is "
            "scaled by that gate, not by the forget gate.",
            "dc_tilde = dc * (1 - f).", _buggy_backward("dc_tilde")),
]


def check_cifg_backward(cifg_backward, hint=1):
    """Check ``cifg_backward(dh_next, dc_next, cache) -> (dx, dh_prev, dc_prev, dW, db)``
    for a cache of ``lstm_lesson.variants.variant_step("cifg", ...)``."""
    return run_check(
        "check_cifg_backward", cifg_backward, _cifg_backward, _cifg_backward_cases(1310),
        CIFG_BACKWARD_MISTAKES,
        generic_hint="Compare every line with SymPy's derivative of c_t and h_t with "
        "respect to each of a_f, a_c, a_o and c_{t-1}.",
        generic_fix="With i = 1 - f: df = dc * (c_prev - c_tilde), dc_tilde = dc * (1 - f), "
        "dc_prev = dc * f; the rest as in the LSTM.",
        outputs=("dx", "dh_prev", "dc_prev", "dW", "db"), hint=hint)


# -- Predict: which variant cannot count --------------------------------------------------

def _wrong(name, hint, fix):
    return WrongPrediction(name, name, hint, fix)


COUNTING_PREDICTIONS = [
    _wrong("lstm", "The LSTM of chapters 3-10 counts: with both gates open its cell state "
           "adds the candidate to what it holds, one step after another.",
           "Look for the cell whose update cannot add: the coupled one."),
    _wrong("nfg", "Without a forget gate the cell state keeps everything it had: adding "
           "the candidate step by step is exactly counting.",
           "Counting needs keeping and adding at once; the coupled cell cannot do both."),
    _wrong("nig", "Without an input gate the whole candidate is added to a kept cell state: "
           "still a sum, so still a counter.",
           "The coupled cell writes only what it forgets."),
    _wrong("nog", "The output gate only decides what is shown; the cell state behind it "
           "still adds up.",
           "Look at the cell state's update, not the output."),
    _wrong("niaf", "Without the input activation the candidate is unbounded, but a cell "
           "that keeps and adds can count with any candidate.",
           "The coupled cell's new state is a weighted average of the old state and the "
           "candidate."),
    _wrong("noaf", "Without the output activation the hidden state is unbounded, which makes "
           "counting easier to read off, not impossible.",
           "The coupled cell's new state is a weighted average of the old state and the "
           "candidate: it never leaves their range."),
    _wrong("peephole", "Peepholes add connections; Gers and Schmidhuber counted with a "
           "peephole LSTM.",
           "The coupled cell's update is a weighted average: with the gate at 1 it keeps, "
           "at 0 it overwrites, and in neither case does it add."),
]


def check_counting_prediction(my_prediction, hint=1):
    """Check the prediction of which LSTM variant cannot count (a^n b^n beyond the
    lengths it was trained on): a variant's name, as in ``lstm_lesson.variants``."""
    return run_prediction(
        "check_counting_prediction", my_prediction, "cifg", COUNTING_PREDICTIONS,
        generic_hint="Write one of the names of the variants: lstm, peephole, cifg, nfg, "
        "nig, nog, niaf or noaf. Ask of each cell's update whether it can keep what it "
        "holds and add to it in the same step.",
        generic_fix="c_t = f * c_prev + (1 - f) * c_tilde is a weighted average of c_prev "
        "and c_tilde: with saturated gates it keeps or overwrites, never adds.",
        hint=hint)


# -- Change: the parameter count of a GRU --------------------------------------------------

def _count_cases():
    return [Case(f"D={D}, H={H}, reset_after={after}", (D, H, after))
            for D, H, after in [(3, 2, False), (3, 2, True), (10, 16, False), (1, 1, True),
                                (7, 64, True)]]


def _gru_count(input_size, hidden_size, reset_after=False):
    """The reference: the package's count for ``"gru"`` or ``"gru_pytorch"``."""
    return pv.parameter_count("gru_pytorch" if reset_after else "gru", input_size,
                              hidden_size)


def _buggy_count(weights=3, biases=lambda H, after: 3 * H + (H if after else 0),
                 columns=lambda H, D: H + D):
    def count(input_size, hidden_size, reset_after=False):
        D, H = input_size, hidden_size
        return weights * H * columns(H, D) + biases(H, reset_after)

    return count


GRU_COUNT_MISTAKES = [
    Mistake("the LSTM's four blocks",
            "That is the LSTM's count: a GRU has three blocks of weights, the reset gate, "
            "the update gate and the candidate.",
            "3 H (H + D) + 3 H, plus H for PyTorch's b_hn.",
            _buggy_count(weights=4, biases=lambda H, after: 4 * H)),
    Mistake("biases missing",
            "Each of the three blocks also has a bias, one number per unit.",
            "Add 3 H biases (and H more with reset_after): 3 H (H + D) + 3 H.",
            _buggy_count(biases=lambda H, after: 0)),
    Mistake("PyTorch's stored biases",
            "PyTorch stores two bias vectors per block, but inside the reset and update "
            "gates the two only add: only the candidate's recurrent bias is a new number.",
            "3 H (H + D) + 3 H, plus H (b_hn) with reset_after: 4 H biases, not 6 H.",
            _buggy_count(biases=lambda H, after: 6 * H if after else 3 * H)),
    Mistake("b_hn ignored",
            "With the reset applied after the product, the candidate's recurrent bias sits "
            "inside the reset and no longer adds to b_n: it counts as well.",
            "reset_after adds H: 3 H (H + D) + 4 H.",
            _buggy_count(biases=lambda H, after: 3 * H)),
    Mistake("recurrent weights missing",
            "Each block acts on [h_{t-1}, x_t], H + D columns, not only on x_t.",
            "W is (3H, H + D): 3 H (H + D) weights.",
            _buggy_count(columns=lambda H, D: D)),
]


def check_gru_parameter_count(gru_parameter_count, hint=1):
    """Check ``gru_parameter_count(input_size, hidden_size, reset_after=False) -> int``:
    the numbers in a GRU cell, in Cho et al.'s form or PyTorch's (with b_hn)."""
    return run_check(
        "check_gru_parameter_count", gru_parameter_count, _gru_count, _count_cases(),
        GRU_COUNT_MISTAKES,
        generic_hint="Count the blocks of W and b (reset gate, update gate, candidate), "
        "each as an LSTM block, then the one bias PyTorch's form adds.",
        generic_fix="3 * H * (H + D) + 3 * H, plus H when reset_after.",
        hint=hint)
