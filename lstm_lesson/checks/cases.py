"""Fixed-seed inputs shared by the cell-level checkers (chapters 1 and 3-8)."""

import numpy as np

from .pristine import reference

__all__ = ["SIZES", "cell_inputs"]

#: The sizes (D, H, N) every cell-level checker tries: H = 1, a batch of 4.
SIZES = [(3, 2, 1), (2, 3, 4), (1, 1, 1), (4, 2, 3)]


def cell_inputs(seed, param_seed):
    """Fixed-seed ``(x_t, h_prev, c_prev, params)`` for each of :data:`SIZES`,
    then a saturating one (D=3, H=2, N=2, |x| ~ 10^4, where every gate
    saturates and an unstable sigmoid overflows).

    Inputs come from ``default_rng(seed + k)``, the reference cell's parameters
    from ``LSTMCell(D, H, seed=param_seed + k)`` (the checkers' private copy).
    Returns a list of ``(name, (x_t, h_prev, c_prev, params))``.
    """
    found = []
    for k, (D, H, N) in enumerate(SIZES):
        rng = np.random.default_rng(seed + k)
        params = reference.LSTMCell(D, H, seed=param_seed + k).parameters()
        found.append((f"D={D}, H={H}, N={N}", (
            rng.standard_normal((D, N)), rng.uniform(-1, 1, (H, N)),
            rng.standard_normal((H, N)), params)))
    k = len(SIZES)
    rng = np.random.default_rng(seed + k)
    params = reference.LSTMCell(3, 2, seed=param_seed + k).parameters()
    found.append(("D=3, H=2, N=2, saturating inputs (|x| ~ 10^4)", (
        rng.standard_normal((3, 2)) * 10_000, rng.uniform(-1, 1, (2, 2)),
        rng.standard_normal((2, 2)), params)))
    return found
