"""Checkers for chapter 6: the hidden state, and the second half of a step."""

import numpy as np

from ..activations import sigmoid, tanh
from ..cell_state import cell_state
from ..hidden_state import hidden_state
from .cell_state import gate_values
from .core import Case, Mistake, run_check

__all__ = ["check_hidden_state", "check_state_update", "check_cell_state_for"]


HIDDEN_MISTAKES = [
    Mistake(
        "tanh missing in h_t",
        "h_t = o_t * tanh(c_t): squash the cell state with tanh before gating it, "
        "so that |h_t| < 1.",
        lambda o, c_t: o * c_t,
    ),
    Mistake(
        "sigmoid instead of tanh on c_t",
        "The cell state is squashed with tanh, into (-1, 1): a sigmoid would make "
        "every h_t positive.",
        lambda o, c_t: o * sigmoid(c_t),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "o_t * tanh(c_t) is elementwise (*): each unit's gate scales its own cell.",
        lambda o, c_t: o @ tanh(c_t),
        variants=(lambda o, c_t: np.dot(o, tanh(c_t)),),
    ),
    Mistake(
        "tanh of the product",
        "Gate after squashing: o_t * tanh(c_t), not tanh(o_t * c_t).",
        lambda o, c_t: tanh(o * c_t),
    ),
]


def check_hidden_state(hidden_state_fn):
    """Check ``hidden_state(o, c_t) -> h_t``, all (H, N)."""
    return run_check(
        "check_hidden_state", hidden_state_fn, hidden_state,
        gate_values(500, ("o", "c_t")), HIDDEN_MISTAKES,
        generic_hint="Write h_t = o_t * tanh(c_t) with * elementwise.",
    )


def _update(f, i, c_tilde, o, c_prev):
    """The reference: c_t from chapter 5, then h_t from it."""
    c_t = cell_state(f, i, c_tilde, c_prev)
    return hidden_state(o, c_t), c_t


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
        "h_t = o_t * tanh(c_t) uses the new cell state c_t, computed just before, "
        "not c_prev.",
        _buggy_update(h_source="c_prev"),
    ),
    Mistake(
        "tanh missing in h_t",
        "h_t = o_t * tanh(c_t): squash the cell state with tanh before gating it.",
        _buggy_update(squash=False),
    ),
    Mistake(
        "matrix product instead of elementwise",
        "The products in c_t = f_t * c_{t-1} + i_t * c~_t are elementwise (*), "
        "not matrix products (@ or np.dot).",
        _buggy_update(product=np.matmul),
        variants=(_buggy_update(product=np.dot),),
    ),
    Mistake(
        "f and i swapped",
        "The forget gate scales the old state and the input gate the candidate: "
        "c_t = f * c_prev + i * c_tilde.",
        _buggy_update(gates="if"),
    ),
    Mistake(
        "outputs swapped",
        "Return the hidden state first: `return h_t, c_t`.",
        _buggy_update(swap=True),
    ),
]


def check_state_update(state_update):
    """Check ``state_update(f, i, c_tilde, o, c_prev) -> (h_t, c_t)``, all (H, N)."""
    return run_check(
        "check_state_update", state_update, _update,
        gate_values(510, ("f", "i", "c_tilde", "o", "c_prev")), UPDATE_MISTAKES,
        generic_hint="First c_t = f * c_prev + i * c_tilde, then h_t = o * tanh(c_t).",
        outputs=("h_t", "c_t"),
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
        "h_t = o_t * tanh(c_t): divide h by o before inverting tanh.",
        lambda h, o: np.arctanh(h),
    ),
    Mistake(
        "tanh not inverted",
        "h / o is tanh(c_t), not c_t itself: you still need the c_t whose tanh "
        "that is (the inverse of tanh).",
        lambda h, o: h / o,
    ),
    Mistake(
        "multiplied by the gate",
        "Undo the gate by dividing: tanh(c_t) = h / o, not h * o.",
        lambda h, o: np.arctanh(h * o),
    ),
    Mistake(
        "gate applied after inverting",
        "The gate multiplies tanh(c_t), so divide first and invert after: "
        "arctanh(h / o), not arctanh(h) / o.",
        lambda h, o: np.arctanh(h) / o,
    ),
]


def check_cell_state_for(cell_state_for):
    """Check ``cell_state_for(h, o) -> c_t`` with ``o * tanh(c_t) == h``, |h| < o."""
    return run_check(
        "check_cell_state_for", cell_state_for, _cell_state_for, _cell_state_for_cases(),
        CELL_STATE_FOR_MISTAKES,
        generic_hint="Check your answer: o * np.tanh(c_t) should give h back.",
    )
