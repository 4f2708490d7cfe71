"""lstm_lesson.cell_state: the update, its Jacobian diag(f), and memory retention."""

import numpy as np
import pytest
import sympy as sp

from lstm_lesson.activations import sigmoid
from lstm_lesson.cell_state import cell_state, cell_state_jacobian, forget_bias_for, retention
from lstm_lesson.symbolic import column, lstm_step_equations, lstm_step_symbols, to_numpy


def gate_values(rng, H, N):
    return (rng.uniform(0, 1, (H, N)), rng.uniform(0, 1, (H, N)),
            rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N)))


def test_update_agrees_with_sympy():
    f, i, c_tilde, c_prev = (column(name, 2) for name in ("f", "i", "c~", "c_prev"))
    c_t = f.multiply_elementwise(c_prev) + i.multiply_elementwise(c_tilde)
    fn = to_numpy([f, i, c_tilde, c_prev], c_t)
    args = gate_values(np.random.default_rng(0), 2, 5)
    np.testing.assert_allclose(cell_state(*args), fn(*args), rtol=0, atol=1e-14)


def test_fixed_values():
    f, i = np.array([[0.5], [1.0]]), np.array([[0.25], [0.0]])
    c_tilde, c_prev = np.array([[-1.0], [0.3]]), np.array([[2.0], [-4.0]])
    np.testing.assert_array_equal(cell_state(f, i, c_tilde, c_prev), [[0.75], [-4.0]])


def test_jacobian_is_diag_f_from_sympy_on_the_full_step():
    # On the full step (gates depend on h_{t-1} and x_t, not on c_{t-1}), the
    # Jacobian of c_t with respect to c_{t-1} is exactly diag(f_t).
    s = lstm_step_symbols(2, 3)
    eq = lstm_step_equations(s)
    J = eq["c_t"].jacobian(s["c_prev"])
    assert sp.simplify(J - sp.diag(*eq["f"])) == sp.zeros(2, 2)


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(1)
    f, i, c_tilde, c_prev = gate_values(rng, 3, 2)
    J = cell_state_jacobian(f)
    assert J.shape == (2, 3, 3)
    eps = 1e-6
    for n in range(2):
        numeric = np.zeros((3, 3))
        for k in range(3):
            step = np.zeros((3, 2))
            step[k, n] = eps
            numeric[:, k] = (cell_state(f, i, c_tilde, c_prev + step)
                             - cell_state(f, i, c_tilde, c_prev - step))[:, n] / (2 * eps)
        np.testing.assert_allclose(J[n], numeric, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(J[n], np.diag(f[:, n]))


def test_retention_and_the_bias_for_it_are_inverse():
    b = forget_bias_for(0.9, 10)
    assert float(b) == pytest.approx(4.54767977, abs=1e-7)
    assert float(retention(b, 10)) == pytest.approx(0.9, abs=1e-13)
    assert float(sigmoid(b)) ** 10 == pytest.approx(0.9, abs=1e-13)
    fractions = np.random.default_rng(2).uniform(0.01, 0.99, (3, 4))
    for steps in (1, 7, 100):
        np.testing.assert_allclose(retention(forget_bias_for(fractions, steps), steps), fractions, rtol=1e-12)


def test_retention_values():
    np.testing.assert_allclose(retention(np.array([0.0, 1.0, 3.0]), 10),
                               [2.0 ** -10, 0.7310585786 ** 10, 0.9525741268 ** 10], rtol=1e-9)
    assert retention(-800.0, 5) == 0.0  # no overflow warning: logaddexp
    assert retention(800.0, 5) == 1.0


def test_retention_matches_a_run_with_zero_weights():
    # With zero weights f_t = sigma(b_f) each step; with i_t c~_t = 0 nothing is
    # written, so c_k = sigma(b_f)^k c_0 exactly as retention says.
    c = np.array([[1.0], [-2.0]])
    f = np.full((2, 1), float(sigmoid(2.0)))
    for _ in range(25):
        c = cell_state(f, np.zeros((2, 1)), np.zeros((2, 1)), c)
    np.testing.assert_allclose(c, retention(2.0, 25) * np.array([[1.0], [-2.0]]), rtol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: cell_state(np.zeros((2, 1)), np.zeros((2, 1)), np.zeros((2, 1)), np.zeros((2, 3))),
     r"c_prev: expected shape \(H, N\) with H = 2 \(from f\), N = 1 \(from f\), received \(2, 3\)"),
    (lambda: cell_state(np.zeros((2, 1)), np.zeros((3, 1)), np.zeros((2, 1)), np.zeros((2, 1))),
     r"^i: expected shape \(H, N\).*received \(3, 1\)"),
    (lambda: cell_state_jacobian(np.zeros(3)), r"f: expected shape \(H, N\), received \(3,\)"),
    (lambda: forget_bias_for(1.0, 10), r"fraction: expected values in \(0, 1\)"),
    (lambda: forget_bias_for(0.5, 0), r"steps: expected a positive int, received 0"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
