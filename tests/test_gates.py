"""lstm_lesson.gates: each gate against SymPy, the seed, fixed values and bad input."""

import numpy as np
import pytest

from lstm_lesson import LSTMCell
from lstm_lesson.activations import sigmoid
from lstm_lesson.gates import candidate, concat, forget_gate, input_gate, output_gate
from lstm_lesson.symbolic import lstm_step_equations, lstm_step_symbols, to_numpy

GATES = {"f": forget_gate, "i": input_gate, "c": candidate, "o": output_gate}
NAMES = {"f": "f", "i": "i", "c": "c_tilde", "o": "o"}


@pytest.fixture(scope="module")
def symbolic():
    s = lstm_step_symbols(2, 3)
    return s, lstm_step_equations(s)


@pytest.mark.parametrize("gate", GATES)
def test_each_gate_agrees_with_the_sympy_equation(gate, symbolic):
    s, eq = symbolic
    fn = to_numpy([s["x_t"], s["h_prev"], s[f"W_{gate}"], s[f"b_{gate}"]], eq[NAMES[gate]])
    rng = np.random.default_rng(1)
    for _ in range(5):
        args = (rng.standard_normal((3, 4)), rng.uniform(-1, 1, (2, 4)),
                rng.standard_normal((2, 5)), rng.standard_normal((2, 1)))
        np.testing.assert_allclose(GATES[gate](*args), fn(*args), rtol=0, atol=1e-12)


@pytest.mark.parametrize("gate", GATES)
def test_gates_of_the_seed_cell_rebuild_its_step(gate):
    # Composing the four gates as the seed's equations gives the seed's step.
    cell = LSTMCell(4, 3, seed=2)
    rng = np.random.default_rng(2)
    x, h, c = rng.standard_normal((4, 5)), rng.uniform(-1, 1, (3, 5)), rng.standard_normal((3, 5))
    p = cell.parameters()
    value = {g: GATES[g](x, h, p[f"W_{g}"], p[f"b_{g}"]) for g in GATES}
    c_t = value["f"] * c + value["i"] * value["c"]
    h_t, c_ref = cell.forward(x, h, c)
    np.testing.assert_allclose(c_t, c_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(value["o"] * np.tanh(c_t), h_t, rtol=0, atol=1e-12)
    assert value[gate].shape == (3, 5)


def test_fixed_seed_regression_values():
    p = LSTMCell(3, 2, seed=0).parameters()
    x, h = np.ones((3, 1)), np.zeros((2, 1))
    np.testing.assert_allclose(forget_gate(x, h, p["W_f"], p["b_f"]).ravel(), [0.39098368, 0.57402776], atol=1e-8)
    np.testing.assert_allclose(candidate(x, h, p["W_c"], p["b_c"]).ravel(), [0.93304523, -0.55685776], atol=1e-8)


def test_ranges_and_h_first_in_the_concatenation():
    h, x = np.full((2, 1), 7.0), np.full((3, 1), -1.0)
    z = concat(h, x)
    assert z.shape == (5, 1) and np.all(z[:2] == 7) and np.all(z[2:] == -1)
    # W acting on h only: the gate sees h (the first H columns), not x.
    W = np.zeros((2, 5))
    W[:, :2] = 1.0
    np.testing.assert_allclose(forget_gate(x, h, W, np.zeros((2, 1))), sigmoid(np.full((2, 1), 14.0)))
    rng = np.random.default_rng(3)
    big = rng.standard_normal((2, 5)) * 50
    for gate, low in (("f", 0), ("c", -1)):
        value = GATES[gate](rng.standard_normal((3, 9)), rng.standard_normal((2, 9)), big, np.zeros((2, 1)))
        assert np.all(value >= low) and np.all(value <= 1)


def test_zero_weights_give_the_bias_alone():
    x, h = np.ones((3, 4)), np.ones((2, 4))
    b = np.array([[1.0], [-2.0]])
    np.testing.assert_allclose(forget_gate(x, h, np.zeros((2, 5)), b), np.tile(sigmoid(b), 4))


@pytest.mark.parametrize("args, message", [
    ((np.zeros((4, 1)), np.zeros((2, 1)), np.zeros((2, 5)), np.zeros((2, 1))),
     r"x_t: expected shape \(D, N\) with D = 3 \(from W_f\), received \(4, 1\)"),
    ((np.zeros((3, 2)), np.zeros((2, 1)), np.zeros((2, 5)), np.zeros((2, 1))),
     r"h_prev: expected shape \(H, N\) with H = 2 \(from W_f\), N = 2 \(from x_t\), received \(2, 1\)"),
    ((np.zeros((3, 1)), np.zeros((2, 1)), np.zeros((5, 2)), np.zeros((2, 1))),
     r"W_f: expected shape \(H, H\+D\), received \(5, 2\) \(H\+D = 2 would leave D = -3: is W_f transposed\?\)"),
    ((np.zeros((3, 1)), np.zeros((2, 1)), np.zeros((2, 5)), np.zeros(2)),
     r"b_f: expected shape \(H, 1\) with H = 2 \(from W_f\), received \(2,\)"),
])
def test_bad_shapes_name_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        forget_gate(*args)


def test_each_gate_names_its_own_parameters():
    x, h = np.zeros((3, 1)), np.zeros((2, 1))
    for gate, fn in GATES.items():
        with pytest.raises(ValueError, match=f"^b_{gate}: "):
            fn(x, h, np.zeros((2, 5)), np.zeros((1, 2)))
    with pytest.raises(TypeError, match="x_t"):
        forget_gate("x", h, np.zeros((2, 5)), np.zeros((2, 1)))
