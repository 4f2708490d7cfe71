"""lstm_lesson.optimizers: SGD, momentum and Adam against first steps computed by hand."""

import math

import numpy as np
import pytest

from lstm_lesson.optimizers import (OPTIMIZERS, adam_init, adam_step, momentum_init,
                                    momentum_step, sgd_init, sgd_step)


def params():
    return {"W": np.array([[1.0, 2.0]]), "b": np.array([[-0.5]])}


def grads(scale=1.0):
    return {"W": scale * np.array([[0.5, -1.0]]), "b": scale * np.array([[2.0]])}


def test_sgd_first_step_by_hand():
    new, state = sgd_step(params(), grads(), sgd_init(params()), lr=0.1)
    np.testing.assert_allclose(new["W"], [[1.0 - 0.05, 2.0 + 0.1]], rtol=1e-15)
    np.testing.assert_allclose(new["b"], [[-0.5 - 0.2]], rtol=1e-15)
    assert state == {}


def test_momentum_two_steps_by_hand():
    p, state = params(), momentum_init(params())
    p, state = momentum_step(p, grads(), state, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(p["W"], [[0.95, 2.1]], rtol=1e-15)  # v = g: an SGD step
    p, state = momentum_step(p, grads(-1.0), state, lr=0.1, momentum=0.9)
    # v = 0.9 g + (-g) = -0.1 g: W = (0.95, 2.1) - 0.1 (-0.05, 0.1) = (0.955, 2.09)
    np.testing.assert_allclose(state["velocity"]["W"], [[-0.05, 0.1]], rtol=1e-14)
    np.testing.assert_allclose(p["W"], [[0.955, 2.09]], rtol=1e-14)


def test_adam_two_steps_by_hand():
    p = {"w": np.array([3.0])}
    state = adam_init(p)
    p, state = adam_step(p, {"w": np.array([0.5])}, state, lr=0.1)
    # m = 0.05, v = 0.00025; bias-corrected 0.5 and 0.25: the step is 0.1 * 0.5 / (0.5 + 1e-8).
    assert state["t"] == 1
    np.testing.assert_allclose([state["m"]["w"][0], state["v"]["w"][0]], [0.05, 0.00025], rtol=1e-14)
    np.testing.assert_allclose(p["w"], [3.0 - 0.1 * 0.5 / (0.5 + 1e-8)], rtol=1e-15)
    p, state = adam_step(p, {"w": np.array([-1.0])}, state, lr=0.1)
    # m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975;
    # m_hat = -0.055 / 0.19, v_hat = 0.00124975 / 0.001999.
    m_hat, v_hat = -0.055 / 0.19, 0.00124975 / 0.001999
    expected = 3.0 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(p["w"], [expected], rtol=1e-14)
    assert state["t"] == 2


def test_adams_first_step_is_lr_whatever_the_gradients_scale():
    for scale in (1e-6, 1.0, 1e6):
        new, _ = adam_step(params(), grads(scale), adam_init(params()), lr=0.01)
        step = np.concatenate([(new[k] - params()[k]).ravel() for k in new])
        np.testing.assert_allclose(np.abs(step), 0.01, rtol=0.03)  # eps = 1e-8 counts at 1e-6


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_nothing_passed_in_is_changed(name):
    init, step = OPTIMIZERS[name]
    p, g = params(), grads()
    state = init(p)
    before = {k: v.copy() for k, v in p.items()}
    new, new_state = step(p, g, state, 0.1)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
        assert new[k] is not p[k]
    if name == "adam":
        assert state["t"] == 0 and np.all(state["m"]["W"] == 0)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_float32_stays_float32(name):
    init, step = OPTIMIZERS[name]
    p = {k: v.astype(np.float32) for k, v in params().items()}
    g = {k: v.astype(np.float32) for k, v in grads().items()}
    state = init(p)
    for _ in range(2):
        p, state = step(p, g, state, 0.1)
    assert all(v.dtype == np.float32 for v in p.values())


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_descends_a_quadratic(name):
    init, step = OPTIMIZERS[name]
    p = {"x": np.array([[3.0], [-2.0]])}
    state = init(p)
    for _ in range(300):
        p, state = step(p, {"x": 2 * p["x"]}, state, 0.05)  # L = |x|^2
    assert np.linalg.norm(p["x"]) < 0.05


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"grads\['W'\]: expected the shape of params\['W'\], \(1, 2\), received \(2, 1\)"):
        sgd_step(params(), {"W": np.zeros((2, 1)), "b": np.zeros((1, 1))}, {}, 0.1)
    with pytest.raises(KeyError, match=r"grads: expected the names of params; missing \['b'\]"):
        sgd_step(params(), {"W": np.zeros((1, 2))}, {}, 0.1)
    with pytest.raises(ValueError, match=r"lr: expected a positive number, received -0.1"):
        sgd_step(params(), grads(), {}, -0.1)
    with pytest.raises(ValueError, match=r"beta1: expected a number in \[0, 1\), received 1"):
        adam_step(params(), grads(), adam_init(params()), 0.1, beta1=1)
    with pytest.raises(TypeError, match="params: expected a dict of name to array, received list"):
        sgd_step([1.0], grads(), {}, 0.1)
