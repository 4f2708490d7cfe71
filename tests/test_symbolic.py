"""lstm_lesson.symbolic: the SymPy cell agrees with the NumPy package."""

import numpy as np
import pytest
import sympy as sp

from lstm_lesson import LSTMCell
from lstm_lesson.symbolic import (
    column, concat, lstm_step_equations, lstm_step_symbols, matrix, sigma, to_numpy,
)


def test_sigma_derivative_is_the_derivative_of_its_definition():
    x = sp.Symbol("x", real=True)
    definition = 1 / (1 + sp.exp(-x))
    assert sp.simplify(sp.diff(sigma(x), x).rewrite(sp.exp) - sp.diff(definition, x)) == 0
    assert sigma(x).rewrite(sp.exp) == definition


def test_symbol_names_and_shapes():
    W = matrix("W_f", 2, 5)
    assert W.shape == (2, 5) and W[0, 3].name == "W_{f,14}"
    h = column("h_t-1", 2)
    assert h.shape == (2, 1) and h[1].name == "h_{t-1,2}"
    assert concat(h, column("x_t", 3))[2].name == "x_{t,1}"


@pytest.mark.parametrize("H, D", [(2, 3), (1, 2)])
def test_symbolic_step_equals_the_reference_cell(H, D):
    s = lstm_step_symbols(H, D)
    eq = lstm_step_equations(s)
    names = ["x_t", "h_prev", "c_prev"] + [f"{k}_{g}" for g in "fico" for k in "Wb"]
    numeric = to_numpy([s[n] for n in names], [eq["h_t"], eq["c_t"]])
    rng = np.random.default_rng(H)
    for seed in range(5):
        cell = LSTMCell(D, H, seed=seed)
        x, h, c = rng.standard_normal((D, 3)), rng.uniform(-1, 1, (H, 3)), rng.standard_normal((H, 3))
        h_sym, c_sym = numeric(x, h, c, *(cell.parameters()[n] for n in names[3:]))
        h_num, c_num = cell.forward(x, h, c)
        assert h_sym.shape == (H, 3)
        np.testing.assert_allclose(h_sym, h_num, rtol=0, atol=1e-13)
        np.testing.assert_allclose(c_sym, c_num, rtol=0, atol=1e-13)


def test_each_gate_depends_only_on_its_own_parameters():
    s = lstm_step_symbols(2, 3)
    eq = lstm_step_equations(s)
    f_symbols = eq["f"].free_symbols
    assert set(s["W_f"]) <= f_symbols and not (set(s["W_i"]) & f_symbols)
    assert set(s["c_prev"]) & eq["c_t"][0].free_symbols == {s["c_prev"][0]}


def test_to_numpy_checks_shapes():
    x = column("x", 2)
    fn = to_numpy([x], x.applyfunc(sigma))
    np.testing.assert_allclose(fn(np.zeros((2, 4))), np.full((2, 4), 0.5))
    with pytest.raises(ValueError, match=r"expected shape \(2, 1\)"):
        fn(np.zeros((3, 1)))
    with pytest.raises(TypeError, match="expected 1 arguments"):
        fn(np.zeros((2, 1)), 1)
    W = matrix("W", 2, 3)
    product = to_numpy([W, column("z", 3)], W * column("z", 3))
    np.testing.assert_allclose(product(np.ones((2, 3)), np.ones((3, 1))), [[3.0], [3.0]])
    with pytest.raises(ValueError, match=r"expected shape \(2, 3\).*received \(3, 2\)"):
        product(np.ones((3, 2)), np.ones((3, 1)))  # a transposed W is refused, not reshaped


def test_fused_symbols_stack_the_gates_in_the_order_i_f_c_o():
    from lstm_lesson.symbolic import fuse_symbols, fused_step_equations
    s = lstm_step_symbols(2, 3)
    W, b = fuse_symbols(s)
    assert W.shape == (8, 5) and b.shape == (8, 1)
    assert W[0, 0] == s["W_i"][0, 0] and W[2, 0] == s["W_f"][0, 0] and b[7] == s["b_o"][1]
    fused = fused_step_equations(W, b, s["x_t"], s["h_prev"], s["c_prev"])
    separate = lstm_step_equations(s)
    for name in ("i", "f", "c_tilde", "o", "c_t", "h_t"):
        assert sp.simplify(fused[name] - separate[name]) == sp.zeros(2, 1), name
    # The seed's order f, i, c, o in a fused W is a different cell.
    wrong = sp.Matrix.vstack(*[s[f"W_{g}"] for g in "fico"])
    wrong_b = sp.Matrix.vstack(*[s[f"b_{g}"] for g in "fico"])
    swapped = fused_step_equations(wrong, wrong_b, s["x_t"], s["h_prev"], s["c_prev"])
    assert swapped["f"] == separate["i"] and swapped["i"] == separate["f"]
    args = [s["x_t"], s["h_prev"], s["c_prev"], *(s[f"{k}_{g}"] for g in "fico" for k in "Wb")]
    values = [np.random.default_rng(k).standard_normal(a.shape) for k, a in enumerate(args)]
    gap = to_numpy(args, swapped["c_t"] - separate["c_t"])(*values)
    assert np.max(np.abs(gap)) > 1e-3
