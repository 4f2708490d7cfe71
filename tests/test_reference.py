"""lstm_lesson.reference: the seed's LSTMCell, checked against the seed's formulas."""

import numpy as np
import pytest

from lstm_lesson import LSTMCell
from lstm_lesson.reference import step


def seed_forward(x, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    """The seed's six equations, transcribed independently of the package."""
    concat = np.concatenate((h_prev, x), axis=0)
    logistic = lambda a: 1.0 / (1.0 + np.exp(-a))
    f_t = logistic(np.dot(W_f, concat) + b_f)
    i_t = logistic(np.dot(W_i, concat) + b_i)
    c_hat = np.tanh(np.dot(W_c, concat) + b_c)
    c_t = f_t * c_prev + i_t * c_hat
    o_t = logistic(np.dot(W_o, concat) + b_o)
    h_t = o_t * np.tanh(c_t)
    return h_t, c_t


@pytest.mark.parametrize("D, H, N", [(3, 2, 1), (1, 1, 1), (5, 7, 4), (10, 3, 2)])
def test_forward_reproduces_the_seed_equations_to_1e12(D, H, N):
    rng = np.random.default_rng(D * 100 + H)
    cell = LSTMCell(D, H, seed=H)
    for _ in range(20):
        x, h, c = rng.standard_normal((D, N)), rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N)) * 2
        p = cell.parameters()
        expected = seed_forward(x, h, c, p["W_f"], p["b_f"], p["W_i"], p["b_i"], p["W_c"], p["b_c"], p["W_o"], p["b_o"])
        got = cell.forward(x, h, c)
        for e, g in zip(expected, got):
            assert g.shape == (H, N)
            np.testing.assert_allclose(g, e, rtol=0, atol=1e-12)


def test_fixed_seed_regression_values():
    cell = LSTMCell(3, 2, seed=0)
    h, c = cell.forward(np.ones((3, 1)), np.zeros((2, 1)), np.zeros((2, 1)))
    np.testing.assert_allclose(h.ravel(), [0.28829068, -0.08087078], atol=1e-8)
    np.testing.assert_allclose(c.ravel(), [0.60689582, -0.13911345], atol=1e-8)
    np.testing.assert_allclose(cell.W_f[0, :2], [0.19369308, -0.32557076], atol=1e-8)


def test_weights_are_seeded_and_drawn_in_the_seed_order():
    a, b, other = LSTMCell(4, 3, seed=5), LSTMCell(4, 3, seed=5), LSTMCell(4, 3, seed=6)
    for name, value in a.parameters().items():
        np.testing.assert_array_equal(value, b.parameters()[name])
        assert not np.array_equal(value, other.parameters()[name])
    rng = np.random.default_rng(5)
    bound = 1 / np.sqrt(3)
    for gate in "fico":
        np.testing.assert_array_equal(getattr(a, f"W_{gate}"), rng.uniform(-bound, bound, (3, 7)))
        np.testing.assert_array_equal(getattr(a, f"b_{gate}"), rng.uniform(-bound, bound, (3, 1)))
    assert list(a.parameters()) == ["W_f", "b_f", "W_i", "b_i", "W_c", "b_c", "W_o", "b_o"]


def test_batch_columns_are_independent_examples():
    cell = LSTMCell(3, 4, seed=1)
    rng = np.random.default_rng(0)
    X, Hp, Cp = rng.standard_normal((3, 6)), rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    h, c = cell.forward(X, Hp, Cp)
    for n in range(6):
        h_n, c_n = cell.forward(X[:, [n]], Hp[:, [n]], Cp[:, [n]])
        np.testing.assert_allclose(h[:, [n]], h_n, atol=1e-15)
        np.testing.assert_allclose(c[:, [n]], c_n, atol=1e-15)


@pytest.mark.parametrize("args, message", [
    (((4, 1), (2, 1), (2, 1)), r"x_t: expected shape \(D, N\) with D = 3 \(from input_size\), received \(4, 1\)"),
    (((3, 1), (3, 1), (2, 1)), r"h_prev: expected shape \(H, N\) with H = 2 \(from hidden_size\).*received \(3, 1\)"),
    (((3, 2), (2, 2), (2, 1)), r"c_prev: expected shape \(H, N\) with H = 2 .*N = 2 \(from x_t\), received \(2, 1\)"),
    (((3,), (2, 1), (2, 1)), r"x_t: .*received \(3,\)"),
])
def test_bad_shapes_name_the_argument(args, message):
    cell = LSTMCell(3, 2)
    with pytest.raises(ValueError, match=message):
        cell.forward(*(np.zeros(shape) for shape in args))


def test_bad_types():
    cell = LSTMCell(3, 2)
    with pytest.raises(TypeError, match="x_t: expected a numeric"):
        cell.forward("x", np.zeros((2, 1)), np.zeros((2, 1)))
    with pytest.raises(TypeError, match="input_size"):
        LSTMCell(3.0, 2)
    with pytest.raises(ValueError, match="hidden_size"):
        LSTMCell(3, 0)


def test_step_checks_parameters():
    p = LSTMCell(3, 2).parameters()
    x, h, c = np.zeros((3, 1)), np.zeros((2, 1)), np.zeros((2, 1))
    with pytest.raises(ValueError, match=r"W_i: expected shape \(H, H\+D\).*received \(2, 4\)"):
        step(x, h, c, {**p, "W_i": np.zeros((2, 4))})
    with pytest.raises(ValueError, match=r"b_o: expected shape \(H, 1\).*received \(1, 2\)"):
        step(x, h, c, {**p, "b_o": np.zeros((1, 2))})
    with pytest.raises(TypeError, match="params: expected a dict"):
        step(x, h, c, None)
    with pytest.raises(KeyError, match="params: missing b_c"):
        step(x, h, c, {k: v for k, v in p.items() if k != "b_c"})


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("a", TypeError),
                                         (True, TypeError)])
def test_a_bad_seed_is_named(seed, error):
    with pytest.raises(error, match=r"^seed: expected a whole number >= 0 \(a random seed\)"):
        LSTMCell(3, 2, seed=seed)


def test_sizes_that_need_gigabytes_are_refused_before_allocating():
    with pytest.raises(ValueError, match=r"^input_size=10, hidden_size=100000: an array of shape "
                       r"\(400000, 100010\) would need 298\.1 GiB"):
        LSTMCell(10, 100_000)
