"""lstm_lesson.backward: one step backward, against central differences, SymPy and
fixed-seed values."""

import numpy as np
import pytest
import sympy as sp

from gradients import cell_case, cell_errors
from lstm_lesson.backward import cell_backward, elementwise_backward, linear_backward
from lstm_lesson.cell import cell_forward
from lstm_lesson.checks.backward import CELL_BACKWARD_MISTAKES
from lstm_lesson.fused import gate_slice
from lstm_lesson.symbolic import (column, fuse_symbols, fused_step_equations, lstm_step_symbols,
                                  step_backward, step_cache, to_numpy)

SIZES = [(3, 2, 1), (1, 1, 1), (4, 3, 5), (2, 5, 3), (1, 4, 1), (6, 1, 2)]


@pytest.mark.parametrize("D, H, N", SIZES)
def test_gradient_check_below_1e7_for_every_input_and_parameter(D, H, N):
    for seed in range(3):
        errors = cell_errors(D, H, N, seed=100 * D + 10 * H + N + seed)
        assert set(errors) == {"x_t", "h_prev", "c_prev", "W", "b"}
        assert max(errors.values()) < 1e-7, errors


def test_a_wrong_backward_fails_the_gradient_check():
    # The gradient check is only worth something if it can fail: every catalogued
    # slip that still returns the right shapes is flagged far above 1e-7.
    flagged = 0
    for mistake in CELL_BACKWARD_MISTAKES:
        try:
            errors = cell_errors(3, 2, 4, seed=7, backward=mistake.fn)
        except ValueError:  # a slip that breaks the shapes cannot reach the check
            continue
        assert max(errors.values()) > 1e-3, (mistake.name, errors)
        flagged += 1
    assert flagged >= 12


def _symbolic_step(H, D):
    s = lstm_step_symbols(H, D)
    W, b = fuse_symbols(s)
    R, S = column("R", H), column("S", H)
    eq = fused_step_equations(W, b, s["x_t"], s["h_prev"], s["c_prev"])
    L = sum(R.multiply_elementwise(eq["h_t"])) + sum(S.multiply_elementwise(eq["c_t"]))
    return s, W, b, R, S, L


@pytest.mark.parametrize("H, D", [(2, 3), (1, 1)])
def test_the_package_lines_run_on_symbols_equal_sympys_derivatives(H, D):
    s, W, b, R, S, L = _symbolic_step(H, D)
    grads = step_backward(R, S, step_cache(W, b, s["x_t"], s["h_prev"], s["c_prev"]))
    for name, wrt in [("dx", s["x_t"]), ("dh_prev", s["h_prev"]), ("dc_prev", s["c_prev"]),
                      ("dW", W), ("db", b)]:
        derivative = wrt.applyfunc(lambda v: sp.diff(L, v))
        assert (derivative - grads[name]).applyfunc(sp.expand) == sp.zeros(*wrt.shape), name


def test_pre_activation_gradients_equal_sympys():
    # dL/da for a = W z + b equals dL/db when N = 1, and SymPy differentiates
    # with respect to b directly.
    s, W, b, R, S, L = _symbolic_step(2, 3)
    grads = step_backward(R, S, step_cache(W, b, s["x_t"], s["h_prev"], s["c_prev"]))
    derivative = b.applyfunc(lambda v: sp.diff(L, v))
    assert (derivative - grads["da"]).applyfunc(sp.expand) == sp.zeros(8, 1)


def test_numpy_equals_lambdified_sympy_on_a_batch():
    s, W, b, R, S, L = _symbolic_step(2, 3)
    args = [s["x_t"], s["h_prev"], s["c_prev"], W, b, R, S]
    wrt = [s["x_t"], s["h_prev"], s["c_prev"], W, b]
    fn = to_numpy(args, [m.applyfunc(lambda v: sp.diff(L, v)) for m in wrt])
    rng = np.random.default_rng(3)
    for _ in range(5):
        x, h, c = rng.standard_normal((3, 1)), rng.uniform(-1, 1, (2, 1)), rng.standard_normal((2, 1))
        Wv, bv = rng.standard_normal((8, 5)), rng.standard_normal((8, 1))
        dh, dc = rng.standard_normal((2, 1)), rng.standard_normal((2, 1))
        expected = fn(x, h, c, Wv, bv, dh, dc)
        _, _, cache = cell_forward(x, h, c, Wv, bv)
        for got, want in zip(cell_backward(dh, dc, cache), expected):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_regression_values():
    inputs, dh, dc = cell_case(3, 2, 2, seed=2026)
    _, _, cache = cell_forward(**inputs)
    dx, dh_prev, dc_prev, dW, db = cell_backward(dh, dc, cache)
    np.testing.assert_allclose(dx, REGRESSION["dx"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dh_prev, REGRESSION["dh_prev"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dc_prev, REGRESSION["dc_prev"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(db.ravel(), REGRESSION["db"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dW.sum(axis=1), REGRESSION["dW row sums"], rtol=0, atol=1e-12)


# Recorded from this implementation once it had passed the gradient checks and
# the SymPy agreement above; they guard that behaviour against refactoring.
REGRESSION = {
    "dx": [[-0.06669224783195486, 0.004483089284829879], [-0.20290038821628673, 0.16705924942647726],
           [-0.0267565213292266, 0.016236181306892587]],
    "dh_prev": [[0.13206072551206766, -0.018436353787219393], [0.21480535067840517, -0.2364492806805807]],
    "dc_prev": [[-0.16017452248410557, 0.2054798783764215], [-0.8982852406347474, 0.5463742481735235]],
    "db": [0.058057732628618644, -0.0657640734550427, -0.2206841388296496, 0.07365161033412049,
           0.15290213437556352, -0.11446035284013231, -0.012222518521486295, 0.2391087485598194],
    "dW row sums": [0.05532237905803833, -0.009542354495135907, -0.12119375353396412, 0.03026000829508129,
                    0.1317507226857596, 0.010187296238104045, -0.00392843849827258, 0.1346957495415475],
}


def test_elementwise_then_linear_is_the_step_backward():
    inputs, dh, dc = cell_case(4, 3, 2, seed=11)
    _, _, cache = cell_forward(**inputs)
    da, dc_prev = elementwise_backward(dh, dc, cache)
    dx, dh_prev, dW, db = linear_backward(da, cache)
    for got, want in zip((dx, dh_prev, dc_prev, dW, db), cell_backward(dh, dc, cache)):
        np.testing.assert_array_equal(got, want)
    # The blocks of da are in W's layout: the forget block is df * f (1 - f).
    H = 3
    dc_total = dc + dh * cache["o"] * (1 - cache["tanh_c"] ** 2)
    np.testing.assert_allclose(da[gate_slice("f", H)],
                               dc_total * cache["c_prev"] * cache["f"] * (1 - cache["f"]), rtol=1e-14)


def test_parameter_gradients_are_sums_over_the_batch():
    inputs, dh, dc = cell_case(3, 2, 4, seed=12)
    _, _, cache = cell_forward(**inputs)
    _, _, _, dW, db = cell_backward(dh, dc, cache)
    dW_sum, db_sum = 0, 0
    for n in range(4):
        column_inputs = {k: (v[:, [n]] if k in ("x_t", "h_prev", "c_prev") else v) for k, v in inputs.items()}
        _, _, c1 = cell_forward(**column_inputs)
        _, _, _, dW_n, db_n = cell_backward(dh[:, [n]], dc[:, [n]], c1)
        dW_sum, db_sum = dW_sum + dW_n, db_sum + db_n
    np.testing.assert_allclose(dW, dW_sum, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(db, db_sum, rtol=1e-12, atol=1e-15)


def test_shapes_and_the_cache_is_left_alone():
    inputs, dh, dc = cell_case(3, 2, 4, seed=13)
    _, _, cache = cell_forward(**inputs)
    before = {k: v.copy() for k, v in cache.items()}
    dx, dh_prev, dc_prev, dW, db = cell_backward(dh, dc, cache)
    assert dx.shape == (3, 4) and dh_prev.shape == dc_prev.shape == (2, 4)
    assert dW.shape == (8, 5) and db.shape == (8, 1)
    for k in before:
        np.testing.assert_array_equal(before[k], cache[k])


def test_bad_input_names_the_argument_and_shapes():
    inputs, dh, dc = cell_case(3, 2, 4, seed=14)
    _, _, cache = cell_forward(**inputs)
    with pytest.raises(ValueError, match=r"^dh_next: expected shape \(H, N\) with H = 2 \(from cache\), "
                       r"N = 4 \(from cache\), received \(4, 2\)$"):
        cell_backward(dh.T, dc, cache)
    with pytest.raises(ValueError, match=r"^dc_next: expected shape \(H, N\) .*received \(2,\) \(1-D instead of 2-D\)$"):
        cell_backward(dh, dc[:, 0], cache)
    with pytest.raises(TypeError, match="^cache: expected the dict returned by cell_forward, received tuple$"):
        cell_backward(dh, dc, (1, 2))
    with pytest.raises(ValueError, match=r"^da: expected shape \(4H, N\) with H = 2 \(from cache\), N = 4"):
        linear_backward(np.zeros((6, 4)), cache)


def test_a_cache_missing_a_key_is_named():
    inputs, dh, dc = cell_case(3, 2, 4, seed=15)
    _, _, cache = cell_forward(**inputs)
    partial = {k: v for k, v in cache.items() if k != "i"}
    with pytest.raises(KeyError, match="cache: missing 'i'; expected the dict returned by "
                       "cell_forward, with x_t, h_prev"):
        cell_backward(dh, dc, partial)
    with pytest.raises(KeyError, match="cache: missing 'W'"):
        linear_backward(np.zeros((8, 4)), {k: v for k, v in cache.items() if k != "W"})
