"""lstm_lesson.readout: y = W_y h + b_y, forward and backward, on a step and a sequence."""

import numpy as np
import pytest

from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.readout import readout_backward, readout_forward


def case(shape_h, K=3, seed=0):
    rng = np.random.default_rng(seed)
    H = shape_h[-2]
    return (rng.standard_normal(shape_h), rng.standard_normal((K, H)),
            rng.standard_normal((K, 1)))


def test_forward_is_the_affine_map_column_by_column():
    h, W_y, b_y = case((4, 5))
    y, cache = readout_forward(h, W_y, b_y)
    assert y.shape == (3, 5)
    for n in range(5):
        np.testing.assert_allclose(y[:, n], W_y @ h[:, n] + b_y[:, 0], rtol=1e-14)
    assert cache["h"] is not None and cache["W_y"] is not None


def test_a_sequence_uses_the_same_weights_at_every_step():
    hs, W_y, b_y = case((6, 4, 2))
    ys, _ = readout_forward(hs, W_y, b_y)
    assert ys.shape == (6, 3, 2)
    for t in range(6):
        np.testing.assert_allclose(ys[t], readout_forward(hs[t], W_y, b_y)[0], rtol=1e-14)


@pytest.mark.parametrize("shape_h", [(4, 5), (6, 4, 2), (1, 1)])
def test_backward_against_central_differences(shape_h):
    h, W_y, b_y = case(shape_h, seed=1)
    R = np.random.default_rng(2).standard_normal(readout_forward(h, W_y, b_y)[0].shape)

    def loss(h, W_y, b_y):
        return np.sum(R * readout_forward(h, W_y, b_y)[0])  # dL/dy = R

    dh, dW_y, db_y = readout_backward(R, readout_forward(h, W_y, b_y)[1])
    errors = gradient_check(loss, dict(h=h, W_y=W_y, b_y=b_y), dict(h=dh, W_y=dW_y, b_y=db_y))
    assert max(errors.values()) < 1e-9, errors


def test_float32_stays_float32():
    h, W_y, b_y = (a.astype(np.float32) for a in case((6, 4, 2)))
    y, cache = readout_forward(h, W_y, b_y)
    assert y.dtype == np.float32
    assert all(g.dtype == np.float32 for g in readout_backward(y, cache))


@pytest.mark.parametrize("args, message", [
    (((4, 5), (3, 5), (3, 1)), r"h: expected shape \(H, N\) with H = 5 \(from W_y\), received \(4, 5\)"),
    (((4, 5), (3, 4), (4, 1)), r"b_y: expected shape \(K, 1\) with K = 3 \(from W_y\), received \(4, 1\)"),
    (((2, 4, 5, 1), (3, 4), (3, 1)), r"h: expected shape \(H, N\) or \(T, H, N\), received \(2, 4, 5, 1\)"),
])
def test_bad_shapes_name_the_argument_and_both_shapes(args, message):
    h, W_y, b_y = (np.zeros(shape) for shape in args)
    with pytest.raises(ValueError, match=message):
        readout_forward(h, W_y, b_y)


def test_backward_checks_dy_against_the_cache():
    h, W_y, b_y = case((4, 5))
    _, cache = readout_forward(h, W_y, b_y)
    with pytest.raises(ValueError, match=r"dy: expected shape \(K, N\) with K = 3 \(from cache\), N = 5 \(from cache\), received \(5, 3\)"):
        readout_backward(np.zeros((5, 3)), cache)
    with pytest.raises(TypeError, match="cache: expected the dict returned by readout_forward"):
        readout_backward(np.zeros((3, 5)), [h])
