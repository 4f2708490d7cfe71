"""lstm_lesson.bptt: backpropagation through time, against central differences,
SymPy, the step backward, and the vanishing-gradient experiment of chapter 10."""

import numpy as np
import pytest
import sympy as sp

from gradients import sequence_errors
from lstm_lesson.backward import cell_backward
from lstm_lesson.bptt import input_gradient_norms, sequence_backward
from lstm_lesson.fused import gate_slice, init_fused
from lstm_lesson.gradcheck import numerical_gradient
from lstm_lesson.rnn import rnn_backward, rnn_forward
from lstm_lesson.sequence import sequence_forward
from lstm_lesson.symbolic import column, fused_step_equations, matrix, to_numpy

SEQUENCES = [(5, 3, 2, 1), (1, 1, 1, 1), (4, 2, 3, 4), (6, 1, 1, 1), (3, 4, 1, 2), (7, 2, 4, 1)]


@pytest.mark.parametrize("T, D, H, N", SEQUENCES)
def test_gradient_check_below_1e7_for_inputs_parameters_and_initial_states(T, D, H, N):
    for seed in range(2):
        errors = sequence_errors(T, D, H, N, seed=1000 * T + 100 * D + 10 * H + N + seed)
        assert set(errors) == {"xs", "W", "b", "h0", "c0"}
        assert max(errors.values()) < 1e-7, errors


def _sequence(T, D, H, N, seed):
    rng = np.random.default_rng(seed)
    W, b = init_fused(D, H, seed=seed)
    xs = rng.standard_normal((T, D, N))
    h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
    hs, _, cache = sequence_forward(xs, W, b, h0, c0)
    return rng, xs, W, b, h0, c0, hs, cache


def test_one_step_is_the_step_backward():
    rng, *_, hs, cache = _sequence(1, 3, 2, 4, seed=1)
    dhs, dc_T = rng.standard_normal(hs.shape), rng.standard_normal((2, 4))
    dxs, dh0, dc0, dW, db = sequence_backward(dhs, cache, None, dc_T)
    dx, dh_prev, dc_prev, dW1, db1 = cell_backward(dhs[0], dc_T, cache[0])
    for got, want in [(dxs[0], dx), (dh0, dh_prev), (dc0, dc_prev), (dW, dW1), (db, db1)]:
        np.testing.assert_array_equal(got, want)


def test_final_gradients_default_to_zero_and_dh_T_adds_to_the_last_step():
    rng, *_, hs, cache = _sequence(4, 2, 3, 2, seed=2)
    dhs, dh_T = rng.standard_normal(hs.shape), rng.standard_normal((3, 2))
    zero = sequence_backward(dhs, cache, np.zeros((3, 2)), np.zeros((3, 2)))
    for got, want in zip(sequence_backward(dhs, cache), zero):
        np.testing.assert_array_equal(got, want)
    shifted = dhs.copy()
    shifted[-1] += dh_T
    for got, want in zip(sequence_backward(dhs, cache, dh_T), sequence_backward(shifted, cache)):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)


def test_two_unrolled_steps_agree_with_sympy():
    H, D = 1, 2  # two steps of H = 2 take SymPy some 20 s to differentiate and lambdify
    W, b = matrix("W", 4 * H, H + D), column("b", 4 * H)
    x1, x2, h0, c0 = column("x_1", D), column("x_2", D), column("h_0", H), column("c_0", H)
    R1, R2, S = column("R_1", H), column("R_2", H), column("S", H)
    s1 = fused_step_equations(W, b, x1, h0, c0)
    s2 = fused_step_equations(W, b, x2, s1["h_t"], s1["c_t"])
    L = (sum(R1.multiply_elementwise(s1["h_t"])) + sum(R2.multiply_elementwise(s2["h_t"]))
         + sum(S.multiply_elementwise(s2["c_t"])))
    wrt = [x1, x2, h0, c0, W, b]
    fn = to_numpy([x1, x2, h0, c0, W, b, R1, R2, S], [m.applyfunc(lambda v: sp.diff(L, v)) for m in wrt])
    rng = np.random.default_rng(4)
    xs = rng.standard_normal((2, D, 1))
    Wv, bv = rng.standard_normal((4 * H, H + D)), rng.standard_normal((4 * H, 1))
    h0v, c0v = rng.uniform(-1, 1, (H, 1)), rng.standard_normal((H, 1))
    dhs, dc_T = rng.standard_normal((2, H, 1)), rng.standard_normal((H, 1))
    want = fn(xs[0], xs[1], h0v, c0v, Wv, bv, dhs[0], dhs[1], dc_T)
    _, _, cache = sequence_forward(xs, Wv, bv, h0v, c0v)
    dxs, dh0, dc0, dW, db = sequence_backward(dhs, cache, None, dc_T)
    for got, expected in zip((dxs[0], dxs[1], dh0, dc0, dW, db), want):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_regression_values():
    rng, *_, hs, cache = _sequence(5, 3, 2, 2, seed=2026)
    dhs = rng.standard_normal(hs.shape)
    dxs, dh0, dc0, dW, db = sequence_backward(dhs, cache, rng.standard_normal((2, 2)), rng.standard_normal((2, 2)))
    np.testing.assert_allclose(dxs[0], REGRESSION["dxs[0]"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dh0, REGRESSION["dh0"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dc0, REGRESSION["dc0"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(db.ravel(), REGRESSION["db"], rtol=0, atol=1e-12)


# Recorded from this implementation once it had passed the gradient checks and
# the SymPy agreement above; they guard that behaviour against refactoring.
REGRESSION = {
    "dxs[0]": [[0.03651345371633765, 0.0065403006567269035], [0.06280222990045184, -0.017649093157049635],
               [0.017071438418171984, -0.012389589603543772]],
    "dh0": [[-0.026626652040716237, -0.02100014507142549], [-0.028588051468162994, -0.02214825212252473]],
    "dc0": [[-0.05303854555569567, -0.025767088692653508], [0.19126002499736844, 0.03965766562706875]],
    "db": [0.13252795149733562, -0.2166377977575114, 0.06738778654689881, -0.5501447926305,
           0.7282248891881355, -0.1304437014975356, -0.11021165831042434, 0.3023083181640825],
}


def test_input_gradient_norms_are_the_norms_of_dL_dx_for_the_sum_of_h_T():
    rng, xs, W, b, *_ = _sequence(4, 2, 3, 2, seed=5)
    numeric = numerical_gradient(lambda v: np.sum(sequence_forward(v, W, b)[1][0]), xs)
    np.testing.assert_allclose(input_gradient_norms(xs, W, b), np.linalg.norm(numeric, axis=(1, 2)),
                               rtol=1e-8)


def test_vanishing_gradient_experiment_orders_the_models():
    # Chapter 10's set-up: one draw of weights at the same scale for both models.
    T, D, H = 100, 4, 16
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((T, D, 1))
    Z = rng.standard_normal((4 * H, H + D)) / np.sqrt(H + D)
    hs = rnn_forward(xs, np.zeros((H, 1)), Z[:H], np.zeros((H, 1)))
    dhs = np.zeros_like(hs)
    dhs[-1] = 1.0
    rnn_first = np.linalg.norm(rnn_backward(dhs, xs, np.zeros((H, 1)), hs, Z[:H])[0][0])
    first = {}
    for forget_bias in (0.0, 1.0, 3.0):
        b = np.zeros((4 * H, 1))
        b[gate_slice("f", H)] = forget_bias
        first[forget_bias] = input_gradient_norms(xs, Z, b)[0]
    assert rnn_first < 1e-12 and first[0.0] < 1e-12
    assert first[0.0] < 1e-6 * first[1.0] and first[1.0] < 1e-3 * first[3.0]
    assert first[3.0] > 1e-2


def test_bad_input_names_the_argument_and_shapes():
    rng, *_, hs, cache = _sequence(3, 2, 2, 2, seed=6)
    with pytest.raises(ValueError, match=r"^dhs: expected shape \(T, H, N\) with T = 3 \(from cache\), "
                       r"H = 2 \(from cache\), N = 2 \(from cache\), received \(2, 2, 2\)$"):
        sequence_backward(hs[:2], cache)
    with pytest.raises(ValueError, match=r"^dc_T: expected shape \(H, N\) .*received \(2, 3\)$"):
        sequence_backward(hs, cache, None, np.zeros((2, 3)))
    with pytest.raises(TypeError, match="^cache: expected the list of step caches returned by "
                       "sequence_forward, received list of length 0$"):
        sequence_backward(hs, [])
    with pytest.raises(TypeError, match="received dict$"):
        sequence_backward(hs, cache[0])


def test_a_step_cache_missing_a_key_is_named():
    rng, *_, hs, cache = _sequence(3, 2, 2, 2, seed=7)
    broken = [*cache[:2], {k: v for k, v in cache[2].items() if k not in ("o", "tanh_c")}]
    with pytest.raises(KeyError, match=r"cache\[2\]: missing 'o', 'tanh_c'"):
        sequence_backward(hs, broken)
