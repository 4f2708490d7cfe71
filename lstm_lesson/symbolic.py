"""SymPy building blocks for the derivations: symbols, the cell, lambdify.

The chapters derive every equation from these symbols and then check the NumPy
code against the SymPy expression turned into a function (:func:`to_numpy`).
Matrices follow the package's conventions: column vectors, ``[h_{t-1}, x_t]``
with h first, W of shape (H, H + D), biases (H, 1).
"""

import numpy as np
import sympy as sp

from . import activations
from .backward import _elementwise_backward, _linear_backward

__all__ = [
    "sigma",
    "matrix",
    "column",
    "concat",
    "lstm_step_symbols",
    "lstm_step_equations",
    "fuse_symbols",
    "fused_step_equations",
    "to_numpy",
    "show_eq",
    "step_cache",
    "step_backward",
]


class sigma(sp.Function):
    """The logistic sigmoid as a SymPy function.

    It prints as sigma, so expressions stay readable;
    ``expr.rewrite(sp.exp)`` spells it out as ``1 / (1 + exp(-x))``. Its
    derivative sigma (1 - sigma) is derived from that definition in chapter 2
    and checked in ``tests/test_symbolic.py``.
    """

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))


def matrix(name, rows, cols):
    """A matrix of real symbols ``name_{rc}`` (1-based), shape (rows, cols).

    ``matrix("W_f", 2, 5)[0, 3]`` is the symbol printed W_{f,14}.
    """
    base, _, sub = name.partition("_")
    prefix = f"{base}_{{{sub}," if sub else f"{base}_{{"
    return sp.Matrix(
        rows, cols, lambda r, c: sp.Symbol(f"{prefix}{r + 1}{c + 1}}}", real=True)
    )


def column(name, size):
    """A column of real symbols ``name_{k}`` (1-based), shape (size, 1).

    ``column("h_t-1", 2)`` gives h_{t-1,1}, h_{t-1,2}.
    """
    base, _, sub = name.partition("_")
    prefix = f"{base}_{{{sub}," if sub else f"{base}_{{"
    return sp.Matrix(size, 1, lambda r, _: sp.Symbol(f"{prefix}{r + 1}}}", real=True))


def concat(h, x):
    """The stacked column ``[h_{t-1}, x_t]``: h on top, shape (H + D, 1)."""
    return sp.Matrix.vstack(h, x)


def lstm_step_symbols(H, D):
    """Symbols of one LSTM step with the reference cell's separate gate parameters.

    Returns a dict: ``x_t`` (D, 1), ``h_prev`` and ``c_prev`` (H, 1), and for
    each gate g in f, i, c, o the matrix ``W_g`` (H, H + D) and bias ``b_g``
    (H, 1), all as SymPy matrices of real symbols.
    """
    symbols = {
        "x_t": column("x_t", D),
        "h_prev": column("h_t-1", H),
        "c_prev": column("c_t-1", H),
    }
    for gate in ("f", "i", "c", "o"):
        symbols[f"W_{gate}"] = matrix(f"W_{gate}", H, H + D)
        symbols[f"b_{gate}"] = column(f"b_{gate}", H)
    return symbols


def lstm_step_equations(s):
    """The reference cell's six equations applied to the symbols ``s`` of one step.

    Returns a dict of (H, 1) SymPy matrices: ``f``, ``i``, ``c_tilde``, ``c_t``,
    ``o``, ``h_t``. Products marked * in the reference cell are elementwise
    (``multiply_elementwise``), W @ [h, x] is a matrix product.
    """
    z = concat(s["h_prev"], s["x_t"])  # [h_{t-1}, x_t]
    f = (s["W_f"] * z + s["b_f"]).applyfunc(sigma)
    i = (s["W_i"] * z + s["b_i"]).applyfunc(sigma)
    c_tilde = (s["W_c"] * z + s["b_c"]).applyfunc(sp.tanh)
    c_t = f.multiply_elementwise(s["c_prev"]) + i.multiply_elementwise(c_tilde)
    o = (s["W_o"] * z + s["b_o"]).applyfunc(sigma)
    h_t = o.multiply_elementwise(c_t.applyfunc(sp.tanh))
    return {"f": f, "i": i, "c_tilde": c_tilde, "c_t": c_t, "o": o, "h_t": h_t}


def fuse_symbols(s):
    """Stack the separate gate symbols of :func:`lstm_step_symbols` into ``(W, b)``.

    ``W`` is (4H, H + D) with blocks W_i, W_f, W_c, W_o from top to bottom and
    ``b`` is (4H, 1), the fused layout of :mod:`lstm_lesson.fused`.
    """
    order = ("i", "f", "c", "o")
    return (sp.Matrix.vstack(*[s[f"W_{g}"] for g in order]),
            sp.Matrix.vstack(*[s[f"b_{g}"] for g in order]))


def fused_step_equations(W, b, x_t, h_prev, c_prev):
    """One step computed the fused way: one product ``W [h, x] + b``, then blocks.

    ``W`` (4H, H + D) and ``b`` (4H, 1) are SymPy matrices with blocks in the
    order i, f, c~, o. Returns a dict of (H, 1) matrices: ``a`` (the (4H, 1)
    pre-activations), ``i``, ``f``, ``c_tilde``, ``o``, ``c_t``, ``h_t``.
    """
    H = h_prev.rows
    a = W * concat(h_prev, x_t) + b  # all four pre-activations at once
    i = a[0:H, :].applyfunc(sigma)
    f = a[H:2 * H, :].applyfunc(sigma)
    c_tilde = a[2 * H:3 * H, :].applyfunc(sp.tanh)
    o = a[3 * H:4 * H, :].applyfunc(sigma)
    c_t = f.multiply_elementwise(c_prev) + i.multiply_elementwise(c_tilde)
    h_t = o.multiply_elementwise(c_t.applyfunc(sp.tanh))
    return {"a": a, "i": i, "f": f, "c_tilde": c_tilde, "o": o, "c_t": c_t, "h_t": h_t}


def _objects(m):
    """A SymPy matrix as a NumPy array of expressions (dtype object)."""
    return np.array(m.tolist(), dtype=object)


def step_cache(W, b, x_t, h_prev, c_prev):
    """The cache of :func:`lstm_lesson.cell.cell_forward`, made of SymPy expressions.

    Same keys as the numeric cache (``x_t``, ``h_prev``, ``c_prev``, ``i``,
    ``f``, ``c_tilde``, ``o``, ``c_t``, ``tanh_c``, ``W``), each a NumPy array
    of dtype object holding the symbolic entries, so the package's backward
    code can run on it unchanged (:func:`step_backward`).
    """
    eq = fused_step_equations(W, b, x_t, h_prev, c_prev)
    parts = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": eq["i"], "f": eq["f"],
             "c_tilde": eq["c_tilde"], "o": eq["o"], "c_t": eq["c_t"],
             "tanh_c": eq["c_t"].applyfunc(sp.tanh), "W": W}
    return {name: _objects(m) for name, m in parts.items()}


def step_backward(dh_next, dc_next, cache):
    """Run the package's own step backward on symbols.

    ``dh_next`` and ``dc_next`` are (H, 1) SymPy matrices, ``cache`` comes from
    :func:`step_cache`. The very lines of
    :func:`lstm_lesson.backward.cell_backward` (without its float checks) run
    on arrays of expressions; the result is a dict of SymPy matrices ``dx``,
    ``dh_prev``, ``dc_prev``, ``dW``, ``db`` and ``da`` (the (4H, 1)
    pre-activation gradients), to compare with ``sp.diff``.
    """
    da, dc_prev = _elementwise_backward(_objects(dh_next), _objects(dc_next), cache)
    dx, dh_prev, dW, db = _linear_backward(da, cache)
    grads = {"dx": dx, "dh_prev": dh_prev, "dc_prev": dc_prev, "dW": dW, "db": db, "da": da}
    return {name: sp.Matrix(value) for name, value in grads.items()}


def to_numpy(args, expr):
    """Turn SymPy expressions into a NumPy function of the same arguments.

    ``args`` is a sequence of symbols or symbol matrices, ``expr`` an
    expression, a matrix, or a list of them. ``sigma`` is evaluated with the
    package's stable sigmoid. The returned function takes one array per
    argument: a symbol column of shape (r, 1) accepts an (r, N) batch, and a
    column result comes back as (r, N); other matrices keep their shape.

    Example: ``to_numpy([x, W], W * x)(x_value, W_value)``.
    """
    flat_args = []
    for arg in args:
        flat_args.extend(arg) if isinstance(arg, sp.MatrixBase) else flat_args.append(arg)
    many = isinstance(expr, (list, tuple))
    exprs = list(expr) if many else [expr]
    modules = [{"sigma": activations.sigmoid}, "numpy"]
    compiled = [
        sp.lambdify(flat_args, list(e) if isinstance(e, sp.MatrixBase) else e, modules=modules)
        for e in exprs
    ]

    def numeric(*values):
        if len(values) != len(args):
            raise TypeError(f"expected {len(args)} arguments, received {len(values)}")
        flat_values = []
        for arg, value in zip(args, values):
            if not isinstance(arg, sp.MatrixBase):
                flat_values.append(value)
                continue
            value = np.asarray(value, dtype=float)
            if arg.cols == 1 and value.ndim == 2 and value.shape[0] == arg.rows:
                flat_values.extend(value)  # one row per symbol, N columns each
            elif value.shape == arg.shape:
                flat_values.extend(value.reshape(-1))
            else:  # never reshape: a transposed W must not pass silently
                raise ValueError(
                    f"expected shape {arg.shape} (or ({arg.rows}, N) for a column), "
                    f"received {value.shape}"
                )
        results = []
        for e, fn in zip(exprs, compiled):
            out = fn(*flat_values)
            if isinstance(e, sp.MatrixBase):
                entries = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in out])
                if e.cols == 1:
                    out = np.stack([v.reshape(-1) for v in entries])  # (rows, N)
                else:
                    out = np.array(entries).reshape(e.rows, e.cols)
            results.append(out)
        return results if many else results[0]

    return numeric


def show_eq(lhs, rhs, order=None):
    """Display ``lhs = rhs`` as typeset math in a notebook.

    ``lhs`` is LaTeX text (``"f_t"``), ``rhs`` a SymPy expression or matrix.
    ``order="none"`` keeps the terms in the order they were built
    (``W z + b`` rather than SymPy's ``b + W z``).
    """
    from IPython.display import Math, display

    display(Math(f"{lhs} = {sp.latex(rhs, order=order)}"))
