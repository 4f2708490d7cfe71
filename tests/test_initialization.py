"""lstm_lesson.initialization: the schemes' ranges, orthogonality, the forget bias, seeds."""

import numpy as np
import pytest

from lstm_lesson.fused import gate_slice, init_fused
from lstm_lesson.initialization import (init_lstm, init_readout, init_rnn, orthogonal,
                                        with_forget_bias, with_orthogonal_recurrence)


def test_uniform_is_the_reference_cells_draw():
    W, b = init_lstm(3, 4, seed=7)
    W_ref, b_ref = init_fused(3, 4, seed=7)
    np.testing.assert_array_equal(W, W_ref)
    np.testing.assert_array_equal(b, b_ref)
    assert np.abs(W).max() <= 1 / np.sqrt(4)


def test_glorot_range_and_zero_bias():
    W, b = init_lstm(3, 5, scheme="glorot", seed=1)
    limit = np.sqrt(6 / (5 + 3 + 5))
    assert W.shape == (20, 8) and np.abs(W).max() <= limit and np.abs(W).max() > 0.8 * limit
    assert np.all(b == 0)
    W, b = init_rnn(3, 5, scheme="glorot", seed=1)
    assert W.shape == (5, 8) and np.abs(W).max() <= limit and np.all(b == 0)


def test_orthogonal_blocks_are_orthogonal_and_the_rest_untouched():
    W, _ = init_lstm(2, 6, orthogonal_recurrent=True, seed=3)
    W_plain, _ = init_lstm(2, 6, seed=3)
    for gate in "ifco":
        block = W[gate_slice(gate, 6), :6]
        np.testing.assert_allclose(block.T @ block, np.eye(6), atol=1e-13)
    np.testing.assert_array_equal(W[:, 6:], W_plain[:, 6:])  # the input columns stay
    W, _ = init_rnn(2, 6, orthogonal_recurrent=True)
    np.testing.assert_allclose(W[:, :6].T @ W[:, :6], np.eye(6), atol=1e-13)
    Q = orthogonal(5, seed=0)
    np.testing.assert_allclose(Q @ Q.T, np.eye(5), atol=1e-13)


def test_forget_bias_sets_only_the_forget_block():
    W, b = init_lstm(2, 3, seed=0)
    _, b1 = init_lstm(2, 3, forget_bias=1.0, seed=0)
    assert np.all(b1[gate_slice("f", 3)] == 1.0)
    for gate in "ico":
        np.testing.assert_array_equal(b1[gate_slice(gate, 3)], b[gate_slice(gate, 3)])
    b2 = with_forget_bias(b, 2.0)
    assert np.all(b2[3:6] == 2.0) and not np.any(b[3:6] == 2.0)  # a copy


def test_seeds_decide_everything():
    for make in (lambda s: init_lstm(2, 3, "glorot", 1.0, True, s), lambda s: init_rnn(2, 3, seed=s),
                 lambda s: init_readout(3, 2, seed=s)):
        first, again, other = make(4), make(4), make(5)
        np.testing.assert_array_equal(first[0], again[0])
        assert not np.array_equal(first[0], other[0])


def test_readout_range_and_float32():
    W_y, b_y = init_readout(16, 3, seed=0, dtype=np.float32)
    assert W_y.shape == (3, 16) and b_y.shape == (3, 1) and W_y.dtype == np.float32
    assert np.abs(W_y).max() <= 0.25
    W, b = init_lstm(2, 3, orthogonal_recurrent=True, forget_bias=1.0, dtype=np.float32)
    assert W.dtype == np.float32 and b.dtype == np.float32


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="scheme: expected one of uniform, glorot, received 'he'"):
        init_lstm(2, 3, scheme="he")
    with pytest.raises(ValueError, match="hidden_size: expected a positive int, received 0"):
        init_rnn(2, 0)
    with pytest.raises(ValueError, match=r"W: expected shape \(4H, H\+D\), received \(5, 3\) \(5 is not a multiple of 4\)"):
        with_orthogonal_recurrence(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"b: expected shape \(4H, 1\), received \(4, 2\)"):
        with_forget_bias(np.zeros((4, 2)))
    with pytest.raises(TypeError, match="seed: expected a whole number >= 0"):
        init_rnn(2, 3, seed=1.5)
