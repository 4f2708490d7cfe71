"""Checkers for chapter 5: the cell state update, its Jacobian, the coupled update, the
forget bias for a memory, and a prediction of a fading memory."""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations
from .pristine import cell_state as cs

__all__ = ["check_cell_state", "check_forget_bias_for", "check_cell_state_jacobian",
           "check_coupled_cell_state", "check_fading_memory"]


def gate_values(seed, names):
    """Fixed-seed cases of gate values for functions of ``names``.

    f, i, o are fractions in (0, 1), c_tilde lies in (-1, 1), c_prev and c_t
    are unbounded. Sizes (H, N): (2, 1), (3, 4), (1, 1), and (3, 3), square,
    where a matrix product runs without an error and must be caught by value.
    """
    cases = []
    for k, (H, N) in enumerate([(2, 1), (3, 4), (1, 1), (3, 3)]):
        rng = np.random.default_rng(seed + k)
        values = {
            name: rng.uniform(-1, 1, (H, N)) if name == "c_tilde"
            else rng.standard_normal((H, N)) * 2 if name.startswith("c")
            else rng.uniform(0.05, 0.95, (H, N))
            for name in names
        }
        cases.append(Case(f"H={H}, N={N}", tuple(values[name] for name in names)))
    return cases


CELL_STATE_MISTAKES = [
    Mistake(
        "matrix product instead of elementwise",
        "The products in the cell state update are element by element, not matrix "
        "products: every unit gates its own cell.",
        "Use * (elementwise), not @ or np.dot: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: f @ c_prev + i @ c_tilde,
        variants=(lambda f, i, c_tilde, c_prev: np.dot(f, c_prev) + np.dot(i, c_tilde),),
    ),
    Mistake(
        "f and i swapped",
        "The two gates are exchanged: the forget gate scales the old state, the "
        "input gate the candidate.",
        "c_t = f * c_prev + i * c_tilde, not i * c_prev + f * c_tilde.",
        lambda f, i, c_tilde, c_prev: i * c_prev + f * c_tilde,
    ),
    Mistake(
        "forget gate missing",
        "Your update keeps the old state whole: the forget gate does not appear in it.",
        "Multiply c_prev by f: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: c_prev + i * c_tilde,
    ),
    Mistake(
        "input gate missing",
        "Your update writes the candidate whole: the input gate does not appear in it.",
        "Gate the candidate: c_t = f * c_prev + i * c_tilde.",
        lambda f, i, c_tilde, c_prev: f * c_prev + c_tilde,
    ),
]


def check_cell_state(cell_state, hint=1):
    """Check ``cell_state(f, i, c_tilde, c_prev) -> c_t``, all (H, N)."""
    return run_check(
        "check_cell_state", cell_state, cs.cell_state,
        gate_values(400, ("f", "i", "c_tilde", "c_prev")), CELL_STATE_MISTAKES,
        generic_hint="Compare your line with the cell state's equation in the chapter, "
        "term by term.",
        generic_fix="c_t = f * c_prev + i * c_tilde, with * elementwise.",
        hint=hint,
    )


def _bias_for_cases():
    rng = np.random.default_rng(410)
    return [
        Case("90% after 10 steps", (np.array(0.9), 10)),
        Case("random fractions, shape (2, 3), after 5 steps",
             (rng.uniform(0.05, 0.95, (2, 3)), 5)),
        Case("50% after 1 step", (np.array([0.5]), 1)),
        Case("1% after 100 steps", (np.array(0.01), 100)),
    ]


def _logit(p):
    return np.log(p) - np.log1p(-p)


FORGET_BIAS_MISTAKES = [
    Mistake(
        "fraction^steps instead of fraction^(1/steps)",
        "After k steps the state has been multiplied by the gate k times: the gate "
        "per step is the k-th root of the fraction, not its k-th power.",
        "b = logit(fraction ** (1 / steps)), with logit(p) = np.log(p) - np.log1p(-p).",
        lambda fraction, steps: _logit(fraction ** steps),
    ),
    Mistake(
        "steps ignored",
        "That bias keeps the fraction after one step; after k steps only its k-th "
        "power is left. Take the number of steps into account.",
        "Take the k-th root first: b = logit(fraction ** (1 / steps)).",
        lambda fraction, steps: _logit(np.asarray(fraction, dtype=float)),
    ),
    Mistake(
        "logit missing",
        "You found the gate's value per step; the question asks for the bias that "
        "gives that value.",
        "b = np.log(v / (1 - v)) with v = fraction ** (1 / steps).",
        lambda fraction, steps: fraction ** (1 / steps),
    ),
    Mistake(
        "log instead of logit",
        "The logarithm alone does not invert the sigmoid.",
        "sigma(b) = v gives b = log(v / (1 - v)), not log(v), with "
        "v = fraction ** (1 / steps).",
        lambda fraction, steps: np.log(fraction ** (1 / steps)),
    ),
    Mistake(
        "logit divided by steps",
        "The root applies to the fraction kept, before inverting the sigmoid, not "
        "to the bias after.",
        "logit(fraction ** (1 / steps)), not logit(fraction) / steps.",
        lambda fraction, steps: _logit(fraction) / steps,
    ),
]


def check_forget_bias_for(forget_bias_for, hint=1):
    """Check ``forget_bias_for(fraction, steps) -> b`` with ``sigmoid(b)**steps == fraction``."""
    return run_check(
        "check_forget_bias_for", forget_bias_for, cs.forget_bias_for, _bias_for_cases(),
        FORGET_BIAS_MISTAKES,
        generic_hint="Check your answer: the sigmoid of your b, to the power steps, "
        "should give the fraction back.",
        generic_fix="b = logit(fraction ** (1 / steps)); check that "
        "sigmoid(b) ** steps gives the fraction.",
        hint=hint,
    )


# -- Chapter 5's further exercises: the Jacobian per example, the coupled update, a
# -- prediction of a fading memory -------------------------------------------------


def _buggy_jacobian(kind):
    """``cell_state_jacobian`` with one slip, ``kind`` naming it."""

    def buggy(f):
        f = np.asarray(f)
        H, N = f.shape
        if kind == "rows":  # example n taken as row n of f
            J = np.zeros((N, H, H))
            for n in range(N):
                J[n] = np.diag(f[n])
            return J
        if kind == "first example":
            return np.diag(f[:, 0])
        if kind == "identity":
            return np.stack([np.eye(H)] * N)
        if kind == "filled":  # J[n] = f[:, n] fills every row, not the diagonal
            J = np.zeros((N, H, H))
            for n in range(N):
                J[n] = f[:, n]
            return J
        if kind == "batch last":
            J = np.zeros((H, H, N))
            J[np.arange(H), np.arange(H), :] = f
            return J
        if kind == "derivative":
            return cs.cell_state_jacobian(f * (1 - f))
        raise ValueError(kind)  # pragma: no cover

    return buggy


JACOBIAN_MISTAKES = [
    Mistake(
        "row instead of column",
        "Example n of a batch is column n of f, not row n: its gates belong on the "
        "diagonal of J[n].",
        "J[n] = np.diag(f[:, n]) for each n (or J[:, j, j] = f[j, :]).",
        _buggy_jacobian("rows"),
    ),
    Mistake(
        "one example only",
        "One Jacobian per example: the result needs a leading batch axis of length N, "
        "and example n's gates in J[n].",
        "Return an (N, H, H) array: J = np.zeros((N, H, H)), then J[n] = "
        "np.diag(f[:, n]) for each n.",
        _buggy_jacobian("first example"),
    ),
    Mistake(
        "identity instead of diag(f)",
        "That is the Jacobian of the original cell without a forget gate; with the "
        "gate, each diagonal entry is scaled by it.",
        "Put the gate values on the diagonal: J[n] = np.diag(f[:, n]).",
        _buggy_jacobian("identity"),
    ),
    Mistake(
        "every entry filled",
        "Only the diagonal is non-zero: unit j's new cell state does not depend on "
        "another unit's old one.",
        "J[n] = np.diag(f[:, n]), not J[n] = f[:, n] (which fills every row).",
        _buggy_jacobian("filled"),
    ),
    Mistake(
        "batch axis last",
        "The batch index comes first: J[n] is the H by H matrix of example n.",
        "Build an (N, H, H) array, not (H, H, N): J[:, j, j] = f[j, :].",
        _buggy_jacobian("batch last"),
    ),
    Mistake(
        "gate derivative instead of gate value",
        "The old cell state enters the step only as a factor of the forget gate, so "
        "the Jacobian holds the gate's value, not its derivative.",
        "J[n] = np.diag(f[:, n]), not np.diag(f[:, n] * (1 - f[:, n])).",
        _buggy_jacobian("derivative"),
    ),
]


def check_cell_state_jacobian(cell_state_jacobian, hint=1):
    """Check ``cell_state_jacobian(f) -> J`` (N, H, H), ``J[n] = diag(f[:, n])``."""
    return run_check(
        "check_cell_state_jacobian", cell_state_jacobian, cs.cell_state_jacobian,
        gate_values(420, ("f",)), JACOBIAN_MISTAKES,
        generic_hint="Print f and J[0] for a small batch: the diagonal of J[0] should "
        "hold the gates of example 0, and every other entry should be zero.",
        generic_fix="J = np.zeros((N, H, H)); J[n] = np.diag(f[:, n]) for each n.",
        hint=hint,
    )


def _coupled(f, c_tilde, c_prev):
    """The reference: the update with the input gate tied to the forget gate."""
    return cs.cell_state(f, 1 - f, c_tilde, c_prev)


def _buggy_coupled(keep="f", write="1 - f", product=np.multiply):
    gates = {"f": lambda f: f, "1 - f": lambda f: 1 - f, "1": lambda f: np.ones_like(f)}

    def buggy(f, c_tilde, c_prev):
        return product(gates[keep](f), c_prev) + product(gates[write](f), c_tilde)

    return buggy


COUPLED_MISTAKES = [
    Mistake(
        "the two gates swapped",
        "The forget gate still scales the old state; what it leaves over scales the "
        "candidate.",
        "c_t = f * c_prev + (1 - f) * c_tilde, not (1 - f) * c_prev + f * c_tilde.",
        _buggy_coupled(keep="1 - f", write="f"),
    ),
    Mistake(
        "forget gate on the candidate too",
        "The candidate is scaled by what the forget gate leaves over, not by the "
        "forget gate itself.",
        "Use 1 - f for the write: c_t = f * c_prev + (1 - f) * c_tilde.",
        _buggy_coupled(write="f"),
    ),
    Mistake(
        "parentheses missing",
        "Mind the order of operations: the difference must be formed before it "
        "scales the candidate.",
        "(1 - f) * c_tilde, with the parentheses; 1 - f * c_tilde is another number.",
        lambda f, c_tilde, c_prev: f * c_prev + 1 - f * c_tilde,
    ),
    Mistake(
        "candidate written whole",
        "Your update writes the whole candidate: it is scaled by what the forget "
        "gate leaves over.",
        "c_t = f * c_prev + (1 - f) * c_tilde.",
        _buggy_coupled(write="1"),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "The products of the update are element by element: every unit gates its "
        "own cell.",
        "Use * (elementwise), not @ or np.dot: f * c_prev + (1 - f) * c_tilde.",
        _buggy_coupled(product=np.matmul),
        variants=(_buggy_coupled(product=np.dot),),
    ),
]


def check_coupled_cell_state(coupled_cell_state, hint=1):
    """Check ``coupled_cell_state(f, c_tilde, c_prev) -> c_t``, all (H, N), with the
    input gate tied to the forget gate: ``c_t = f * c_prev + (1 - f) * c_tilde``."""
    return run_check(
        "check_coupled_cell_state", coupled_cell_state, _coupled,
        gate_values(430, ("f", "c_tilde", "c_prev")), COUPLED_MISTAKES,
        generic_hint="Start from the cell state's equation and replace the input gate "
        "by what the forget gate leaves over, term by term.",
        generic_fix="c_t = f * c_prev + (1 - f) * c_tilde, with * elementwise.",
        hint=hint,
    )


#: Chapter 5's prediction: a memory of 2, a forget gate at sigma(2) (zero weights,
#: forget bias 2), nothing written, three steps.
FADING = {"c0": 2.0, "b_f": 2.0, "steps": 3}


_sigma = activations.sigmoid


FADING_PREDICTIONS = [
    WrongPrediction(
        "one step only",
        FADING["c0"] * _sigma(2.0),
        "That is what is left after one step; the gate scales the memory again at "
        "every step.",
        "Three steps multiply the memory by the gate three times: 2 sigma(2)^3.",
    ),
    WrongPrediction(
        "nothing forgotten",
        FADING["c0"],
        "Nothing is written, but the forget gate still scales the memory at every step.",
        "Each step keeps the fraction sigma(2) = 0.881: c_3 = 2 * 0.881^3.",
    ),
    WrongPrediction(
        "the fraction, not the memory",
        _sigma(2.0) ** 3,
        "That is the fraction of the memory kept; the question asks for the cell "
        "state itself.",
        "Multiply the fraction kept, sigma(2)^3 = 0.683, by the memory c_0 = 2.",
    ),
    WrongPrediction(
        "a fixed amount lost per step",
        FADING["c0"] * (1 - 3 * (1 - _sigma(2.0))),
        "The memory loses a fraction of what is left at each step, not a fixed "
        "amount.",
        "The decay is geometric: c_3 = 2 sigma(2)^3, not 2 (1 - 3 (1 - sigma(2))).",
    ),
    WrongPrediction(
        "the forgotten fraction kept",
        FADING["c0"] * (1 - _sigma(2.0)) ** 3,
        "The forget gate gives the fraction kept, not the fraction forgotten.",
        "The gate sigma(2) = 0.881 is what stays: c_3 = 2 * 0.881^3.",
    ),
    WrongPrediction(
        "the bias as the gate",
        FADING["c0"] * FADING["b_f"] ** 3,
        "The gate is the sigmoid of its bias, a fraction below 1, so the memory "
        "cannot grow.",
        "With zero weights the gate is sigma(b_f) = sigma(2) = 0.881.",
    ),
]


def check_fading_memory(prediction, hint=1):
    """Check a prediction of c_3 from c_0 = 2 with the forget gate at sigma(2) and
    nothing written (a number)."""
    f = np.full((1, 1), _sigma(FADING["b_f"]))
    nothing = np.zeros((1, 1))
    c = np.full((1, 1), FADING["c0"])
    for _ in range(FADING["steps"]):
        c = cs.cell_state(f, nothing, nothing, c)
    return run_prediction(
        "check_fading_memory", prediction, float(c[0, 0]), FADING_PREDICTIONS,
        generic_hint="Follow the memory one step at a time: what does each step keep "
        "of what is there?",
        generic_fix="Each step keeps the fraction sigma(2) = 0.881 and writes nothing: "
        "c_3 = 2 sigma(2)^3.",
        hint=hint,
    )
