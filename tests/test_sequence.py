"""lstm_lesson.sequence: unrolling the fused cell over (T, D, N) inputs."""

import numpy as np
import pytest
import sympy as sp

from lstm_lesson import LSTMCell
from lstm_lesson.fused import fuse, init_fused
from lstm_lesson.sequence import sequence_forward
from lstm_lesson.symbolic import fuse_symbols, fused_step_equations, lstm_step_symbols, to_numpy


@pytest.mark.parametrize("T, D, H, N", [(7, 3, 2, 1), (1, 1, 1, 1), (12, 4, 5, 3)])
def test_matches_a_loop_over_the_seed_cell(T, D, H, N):
    cell = LSTMCell(D, H, seed=T)
    W, b = fuse(cell.parameters())
    rng = np.random.default_rng(T + D)
    xs = rng.standard_normal((T, D, N))
    h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
    hs, (h, c), cache = sequence_forward(xs, W, b, h0, c0)
    assert hs.shape == (T, H, N) and h.shape == c.shape == (H, N) and len(cache) == T
    h_ref, c_ref = h0, c0
    for t in range(T):
        h_ref, c_ref = cell.forward(xs[t], h_ref, c_ref)
        np.testing.assert_allclose(hs[t], h_ref, rtol=0, atol=1e-12)
        np.testing.assert_allclose(cache[t]["c_t"], c_ref, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(h, hs[-1])
    np.testing.assert_allclose(c, c_ref, rtol=0, atol=1e-12)
    # Each step's cache starts from the previous step's states.
    np.testing.assert_array_equal(cache[0]["h_prev"], h0)
    for t in range(1, T):
        np.testing.assert_array_equal(cache[t]["h_prev"], hs[t - 1])
        np.testing.assert_array_equal(cache[t]["c_prev"], cache[t - 1]["c_t"])


def test_two_steps_agree_with_sympy():
    s = lstm_step_symbols(1, 1)
    W, b = fuse_symbols(s)
    x2 = sp.Matrix([sp.Symbol("x_2", real=True)])
    one = fused_step_equations(W, b, s["x_t"], s["h_prev"], s["c_prev"])
    two = fused_step_equations(W, b, x2, one["h_t"], one["c_t"])
    fn = to_numpy([s["x_t"], x2, s["h_prev"], s["c_prev"], W, b], [two["h_t"], two["c_t"]])
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((2, 1, 3))
    h0, c0 = rng.standard_normal((1, 3)), rng.standard_normal((1, 3))
    W_value, b_value = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    _, (h, c), _ = sequence_forward(xs, W_value, b_value, h0, c0)
    h_sym, c_sym = fn(xs[0], xs[1], h0, c0, W_value, b_value)
    np.testing.assert_allclose(h, h_sym, rtol=0, atol=1e-12)
    np.testing.assert_allclose(c, c_sym, rtol=0, atol=1e-12)


def test_zero_initial_states_by_default_and_batch_columns_independent():
    W, b = init_fused(2, 3, seed=1)
    xs = np.random.default_rng(1).standard_normal((6, 2, 4))
    hs, (h, c), _ = sequence_forward(xs, W, b)
    hs0, (h0, c0), _ = sequence_forward(xs, W, b, np.zeros((3, 4)), np.zeros((3, 4)))
    np.testing.assert_array_equal(hs, hs0)
    for n in range(4):
        alone, (_, c_alone), _ = sequence_forward(xs[:, :, n:n + 1], W, b)
        np.testing.assert_allclose(alone[:, :, 0], hs[:, :, n], rtol=0, atol=1e-14)
        np.testing.assert_allclose(c_alone[:, 0], c[:, n], rtol=0, atol=1e-14)


def test_fixed_seed_regression_values():
    W, b = init_fused(1, 2, seed=0)
    xs = np.linspace(-1, 1, 5).reshape(5, 1, 1)
    hs, (h, c), _ = sequence_forward(xs, W, b)
    expected = [[0.08721661, 0.13594696], [0.16556339, 0.1514327], [0.20995286, 0.1123203],
                [0.19963032, 0.05212757], [0.1193095, -0.00766993]]
    np.testing.assert_allclose(hs[:, :, 0], expected, atol=1e-8)
    np.testing.assert_array_equal(h, hs[-1])


@pytest.mark.parametrize("call, message", [
    (lambda W, b: sequence_forward(np.zeros((5, 4, 2)), W, b),
     r"xs: expected shape \(T, D, N\) with D = 3 \(from W\), received \(5, 4, 2\)"),
    (lambda W, b: sequence_forward(np.zeros((5, 3, 2)), W, b, np.zeros((2, 2)), np.zeros((2, 3))),
     r"c0: expected shape \(H, N\) with H = 2 \(from W\), N = 2 \(from xs\), received \(2, 3\)"),
    (lambda W, b: sequence_forward(np.zeros((5, 3, 2)), W, b, h0=np.zeros((3, 2))),
     r"h0: expected shape \(H, N\) with H = 2 \(from W\), N = 2 \(from xs\), received \(3, 2\)"),
    (lambda W, b: sequence_forward(np.zeros((3, 2)), W, b),
     r"xs: expected shape \(T, D, N\) with D = 3 \(from W\), received \(3, 2\) \(2-D instead of 3-D\)"),
])
def test_bad_input_names_the_argument(call, message):
    W, b = init_fused(3, 2)
    with pytest.raises(ValueError, match=message):
        call(W, b)
