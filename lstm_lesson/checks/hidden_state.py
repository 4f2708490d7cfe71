"""Checkers for chapter 6: the hidden state, the second half of a step, the cell state
behind a hidden value, and a prediction of the ceiling of h_t."""

import numpy as np

from .cell_state import gate_values
from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .pristine import activations, cell_state, hidden_state

sigmoid, tanh = activations.sigmoid, activations.tanh

__all__ = ["check_hidden_state", "check_state_update", "check_cell_state_for",
           "check_hidden_ceiling"]


HIDDEN_MISTAKES = [
    Mistake(
        "tanh missing in h_t",
        "The cell state is gated as it is; it must be squashed first, so that every "
        "h_t stays in (-1, 1).",
        "h_t = o * np.tanh(c_t).",
        lambda o, c_t: o * c_t,
    ),
    Mistake(
        "sigmoid instead of tanh on c_t",
        "The cell state is squashed with tanh, into (-1, 1): a sigmoid would make "
        "every h_t positive.",
        "h_t = o * np.tanh(c_t), not o * sigmoid(c_t).",
        lambda o, c_t: o * sigmoid(c_t),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "Each unit's gate scales its own squashed cell: an element by element "
        "product, not a matrix product.",
        "h_t = o * np.tanh(c_t), with * (not @ or np.dot).",
        lambda o, c_t: o @ tanh(c_t),
        variants=(lambda o, c_t: np.dot(o, tanh(c_t)),),
    ),
    Mistake(
        "tanh of the product",
        "Squash first, then gate: you squashed the gated value.",
        "h_t = o * np.tanh(c_t), not np.tanh(o * c_t).",
        lambda o, c_t: tanh(o * c_t),
    ),
]


def check_hidden_state(hidden_state_fn, hint=1):
    """Check ``hidden_state(o, c_t) -> h_t``, all (H, N)."""
    return run_check(
        "check_hidden_state", hidden_state_fn, hidden_state.hidden_state,
        gate_values(500, ("o", "c_t")), HIDDEN_MISTAKES,
        generic_hint="Compare your line with the hidden state's equation in the chapter.",
        generic_fix="h_t = o * np.tanh(c_t), with * elementwise.",
        hint=hint,
    )


def _update(f, i, c_tilde, o, c_prev):
    """The reference: c_t from chapter 5, then h_t from it."""
    c_t = cell_state.cell_state(f, i, c_tilde, c_prev)
    return hidden_state.hidden_state(o, c_t), c_t


def _buggy_update(h_source="c_t", squash=True, swap=False, product=np.multiply, gates="fi"):
    def buggy(f, i, c_tilde, o, c_prev):
        keep, write = (f, i) if gates == "fi" else (i, f)
        c_t = product(keep, c_prev) + product(write, c_tilde)
        source = c_t if h_source == "c_t" else c_prev
        h_t = o * (tanh(source) if squash else source)
        return (c_t, h_t) if swap else (h_t, c_t)
    return buggy


UPDATE_MISTAKES = [
    Mistake(
        "c_{t-1} in h_t",
        "h_t uses the new cell state c_t, computed just before, not c_prev.",
        "h_t = o * np.tanh(c_t), with the c_t you just computed.",
        _buggy_update(h_source="c_prev"),
    ),
    Mistake(
        "tanh missing in h_t",
        "The new cell state is gated as it is; it must be squashed first.",
        "h_t = o * np.tanh(c_t), not o * c_t.",
        _buggy_update(squash=False),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "The products in the cell state update are element by element, not matrix "
        "products.",
        "c_t = f * c_prev + i * c_tilde, with * (not @ or np.dot).",
        _buggy_update(product=np.matmul),
        variants=(_buggy_update(product=np.dot),),
    ),
    Mistake(
        "f and i swapped",
        "The gates are exchanged in the cell state: the forget gate scales the old "
        "state, the input gate the candidate.",
        "c_t = f * c_prev + i * c_tilde.",
        _buggy_update(gates="if"),
    ),
    Mistake(
        "outputs swapped",
        "The two outputs come in the other order: the hidden state first.",
        "End with `return h_t, c_t`.",
        _buggy_update(swap=True),
    ),
]


def check_state_update(state_update, hint=1):
    """Check ``state_update(f, i, c_tilde, o, c_prev) -> (h_t, c_t)``, all (H, N)."""
    return run_check(
        "check_state_update", state_update, _update,
        gate_values(510, ("f", "i", "c_tilde", "o", "c_prev")), UPDATE_MISTAKES,
        generic_hint="First the new cell state, then the hidden state from it; compare "
        "each line with its equation.",
        generic_fix="c_t = f * c_prev + i * c_tilde, then h_t = o * np.tanh(c_t); "
        "return h_t, c_t.",
        outputs=("h_t", "c_t"), hint=hint,
    )


def _cell_state_for(h, o):
    """The reference: the c_t with o * tanh(c_t) == h."""
    return np.arctanh(h / o)


def _cell_state_for_cases():
    rng = np.random.default_rng(520)
    o = rng.uniform(0.2, 0.95, (2, 3))
    return [
        Case("h = 0.49 with o = 0.5", (np.array(0.49), np.array(0.5))),
        Case("h = -0.3 with o = 0.9", (np.array([[-0.3]]), np.array([[0.9]]))),
        Case("random h inside (-o, o), shape (2, 3)", (rng.uniform(-0.95, 0.95, (2, 3)) * o, o)),
    ]


CELL_STATE_FOR_MISTAKES = [
    Mistake(
        "output gate ignored",
        "h_t is the gate times tanh of c_t: undo the gate before inverting tanh.",
        "c_t = np.arctanh(h / o): divide by o first.",
        lambda h, o: np.arctanh(h),
    ),
    Mistake(
        "tanh not inverted",
        "Your value is tanh of c_t, not c_t itself: one more inversion is needed.",
        "c_t = np.arctanh(h / o), not h / o.",
        lambda h, o: h / o,
    ),
    Mistake(
        "multiplied by the gate",
        "Undo the gate with the inverse operation: you multiplied by o.",
        "tanh(c_t) = h / o, not h * o; so c_t = np.arctanh(h / o).",
        lambda h, o: np.arctanh(h * o),
    ),
    Mistake(
        "gate applied after inverting",
        "The gate multiplies tanh of c_t, so undo it before inverting tanh, not after.",
        "np.arctanh(h / o), not np.arctanh(h) / o.",
        lambda h, o: np.arctanh(h) / o,
    ),
]


def check_cell_state_for(cell_state_for, hint=1):
    """Check ``cell_state_for(h, o) -> c_t`` with ``o * tanh(c_t) == h``, |h| < o."""
    return run_check(
        "check_cell_state_for", cell_state_for, _cell_state_for, _cell_state_for_cases(),
        CELL_STATE_FOR_MISTAKES,
        generic_hint="Check your answer: o times tanh of your c_t should give h back.",
        generic_fix="c_t = np.arctanh(h / o); check that o * np.tanh(c_t) gives h back.",
        hint=hint,
    )


# -- Chapter 6's prediction: the ceiling of h_t -------------------------------------

#: A unit whose output gate has zero weights and this bias; its cell state may grow
#: as large as it likes.
CEILING_BIAS = 1.0

CEILING_PREDICTIONS = [
    WrongPrediction(
        "output gate left out",
        1.0,
        "That is the bound tanh alone sets; the output gate, a fraction below 1, then "
        "scales the squashed cell state.",
        "tanh(c_t) approaches 1, and the gate sigma(1) = 0.731 multiplies it: the "
        "ceiling is 0.731.",
    ),
    WrongPrediction(
        "no ceiling",
        np.inf,
        "The cell state may grow without bound, but the hidden state shows it squashed "
        "by tanh and scaled by the gate.",
        "|h_t| = o_t |tanh(c_t)| < o_t = sigma(1) = 0.731, however large c_t grows.",
    ),
    WrongPrediction(
        "tanh for the gate",
        float(tanh(CEILING_BIAS)),
        "The output gate is squashed by the sigmoid, like every gate.",
        "The gate is sigma(1) = 0.731, not tanh(1) = 0.762.",
    ),
    WrongPrediction(
        "the bias taken as the cell state",
        float(sigmoid(CEILING_BIAS) * tanh(CEILING_BIAS)),
        "The bias sets the gate, not the cell state: the cell state may grow as large "
        "as it likes, so its tanh comes close to 1.",
        "h_t = sigma(1) tanh(c_t), and tanh(c_t) approaches 1 as c_t grows: 0.731.",
    ),
    WrongPrediction(
        "bias forgotten",
        0.5,
        "With zero weights the gate's pre-activation is its bias, not 0.",
        "The gate is sigma(b_o) = sigma(1) = 0.731, not sigma(0) = 0.5.",
    ),
    WrongPrediction(
        "the gate squashed again",
        float(tanh(sigmoid(CEILING_BIAS))),
        "The gate multiplies the squashed cell state; the gate itself is not squashed "
        "again.",
        "h_t = o_t tanh(c_t) approaches o_t = sigma(1) = 0.731, not tanh(o_t).",
    ),
]


def check_hidden_ceiling(prediction, hint=1):
    """Check a prediction of the largest |h_t| a unit can come close to when its output
    gate has zero weights and bias 1 and its cell state may be anything (a number)."""
    o = np.full((1, 2001), sigmoid(CEILING_BIAS))
    c_t = np.linspace(-50, 50, 2001).reshape(1, -1)  # tanh(50) rounds to 1
    expected = float(np.abs(hidden_state.hidden_state(o, c_t)).max())
    return run_prediction(
        "check_hidden_ceiling", prediction, expected, CEILING_PREDICTIONS,
        generic_hint="Take the two factors of h_t one at a time: how large can each "
        "become here?",
        generic_fix="The gate is sigma(1) = 0.731 and tanh(c_t) approaches 1 as c_t "
        "grows, so |h_t| comes close to 0.731 but never reaches it.",
        hint=hint,
    )
