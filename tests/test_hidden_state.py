"""lstm_lesson.hidden_state: h_t = o_t * tanh(c_t)."""

import numpy as np
import pytest
import sympy as sp

from lstm_lesson.hidden_state import hidden_state
from lstm_lesson.symbolic import column, to_numpy


def test_agrees_with_sympy_and_is_bounded_by_o():
    o, c = column("o", 3), column("c", 3)
    fn = to_numpy([o, c], o.multiply_elementwise(c.applyfunc(sp.tanh)))
    rng = np.random.default_rng(0)
    o_value, c_value = rng.uniform(0, 1, (3, 6)), rng.standard_normal((3, 6)) * 3
    h = hidden_state(o_value, c_value)
    np.testing.assert_allclose(h, fn(o_value, c_value), rtol=0, atol=1e-14)
    assert h.shape == (3, 6) and np.all(np.abs(h) <= o_value)


def test_fixed_values():
    h = hidden_state(np.array([[0.5], [1.0]]), np.array([[0.0], [np.arctanh(0.5)]]))
    np.testing.assert_allclose(h, [[0.0], [0.5]], atol=1e-15)


def test_different_batch_sizes_are_an_error():
    with pytest.raises(ValueError, match=r"c_t: expected shape \(H, N\) with H = 2 \(from o\), N = 1 \(from o\), received \(2, 2\)"):
        hidden_state(np.zeros((2, 1)), np.zeros((2, 2)))
