"""lstm_lesson.cell: the fused step reproduces the seed's cell, SymPy, and keeps a cache."""

import numpy as np
import pytest
import sympy as sp

from lstm_lesson import LSTMCell
from lstm_lesson.cell import cell_forward
from lstm_lesson.fused import fuse, init_fused
from lstm_lesson.symbolic import fuse_symbols, fused_step_equations, lstm_step_symbols, to_numpy
from test_reference import seed_forward


@pytest.mark.parametrize("D, H, N", [(3, 2, 1), (1, 1, 1), (5, 7, 4), (10, 3, 2), (2, 1, 6)])
def test_fused_cell_reproduces_the_seed_to_1e12(D, H, N):
    cell = LSTMCell(D, H, seed=D + 3 * H)
    p = cell.parameters()
    W, b = fuse(p)
    rng = np.random.default_rng(D * 10 + H)
    for _ in range(20):
        x, h, c = rng.standard_normal((D, N)), rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N)) * 2
        expected = seed_forward(x, h, c, p["W_f"], p["b_f"], p["W_i"], p["b_i"], p["W_c"], p["b_c"], p["W_o"], p["b_o"])
        h_t, c_t, _ = cell_forward(x, h, c, W, b)
        np.testing.assert_allclose(h_t, expected[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(c_t, expected[1], rtol=0, atol=1e-12)
        h_ref, c_ref = cell.forward(x, h, c)
        np.testing.assert_allclose(h_t, h_ref, rtol=0, atol=1e-12)


def test_agrees_with_the_fused_sympy_step():
    s = lstm_step_symbols(2, 3)
    W, b = fuse_symbols(s)
    eq = fused_step_equations(W, b, s["x_t"], s["h_prev"], s["c_prev"])
    fn = to_numpy([s["x_t"], s["h_prev"], s["c_prev"], W, b], [eq["h_t"], eq["c_t"]])
    rng = np.random.default_rng(5)
    args = (rng.standard_normal((3, 4)), rng.uniform(-1, 1, (2, 4)), rng.standard_normal((2, 4)),
            rng.standard_normal((8, 5)), rng.standard_normal((8, 1)))
    h_sym, c_sym = fn(*args)
    h_t, c_t, _ = cell_forward(*args)
    np.testing.assert_allclose(h_t, h_sym, rtol=0, atol=1e-12)
    np.testing.assert_allclose(c_t, c_sym, rtol=0, atol=1e-12)
    assert sp.Matrix.vstack(*[s[f"W_{g}"] for g in "ifco"]) == W


def test_cache_holds_what_the_backward_pass_needs():
    W, b = init_fused(3, 2, seed=0)
    rng = np.random.default_rng(0)
    x, h, c = rng.standard_normal((3, 4)), rng.uniform(-1, 1, (2, 4)), rng.standard_normal((2, 4))
    h_t, c_t, cache = cell_forward(x, h, c, W, b)
    assert sorted(cache) == sorted(["x_t", "h_prev", "c_prev", "i", "f", "c_tilde", "o", "c_t", "tanh_c", "W"])
    for name in ("h_prev", "c_prev", "i", "f", "c_tilde", "o", "c_t", "tanh_c"):
        assert cache[name].shape == (2, 4), name
    np.testing.assert_array_equal(cache["c_t"], c_t)
    np.testing.assert_array_equal(cache["o"] * cache["tanh_c"], h_t)
    np.testing.assert_array_equal(cache["f"] * c + cache["i"] * cache["c_tilde"], c_t)
    assert np.all((cache["f"] > 0) & (cache["f"] < 1)) and np.all(np.abs(cache["c_tilde"]) < 1)


def test_fixed_seed_regression_values():
    W, b = init_fused(3, 2, seed=0)
    h_t, c_t, _ = cell_forward(np.ones((3, 1)), np.zeros((2, 1)), np.zeros((2, 1)), W, b)
    np.testing.assert_allclose(h_t.ravel(), [0.28829068, -0.08087078], atol=1e-8)
    np.testing.assert_allclose(c_t.ravel(), [0.60689582, -0.13911345], atol=1e-8)


@pytest.mark.parametrize("W_shape, b_shape, message", [
    ((8, 6), (8, 1), r"x_t: expected shape \(D, N\) with D = 4 \(from W\), received \(3, 1\)"),
    ((5, 8), (8, 1), r"W: expected shape \(4H, H\+D\), received \(5, 8\) \(5 is not a multiple of 4\)"),
    ((2, 20), (8, 1), r"W: expected shape \(4H, H\+D\), received \(2, 20\) \(2 is not a multiple of 4\)"),
    ((8, 5), (8,), r"b: expected shape \(4H, 1\) with H = 2 \(from W\), received \(8,\)"),
    ((8, 5), (2, 1), r"b: expected shape \(4H, 1\) with H = 2 \(from W\), received \(2, 1\)"),
])
def test_bad_parameter_shapes(W_shape, b_shape, message):
    with pytest.raises(ValueError, match=message):
        cell_forward(np.zeros((3, 1)), np.zeros((2, 1)), np.zeros((2, 1)), np.zeros(W_shape), np.zeros(b_shape))


def test_h_and_c_with_different_batches():
    W, b = init_fused(3, 2)
    with pytest.raises(ValueError, match=r"c_prev: expected shape \(H, N\) with H = 2 \(from W\), N = 4 \(from x_t\), received \(2, 3\)"):
        cell_forward(np.zeros((3, 4)), np.zeros((2, 4)), np.zeros((2, 3)), W, b)
