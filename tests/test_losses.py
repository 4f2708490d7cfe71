"""lstm_lesson.losses: MSE and softmax cross-entropy, stable, with gradients by finite differences."""

import math
import warnings

import numpy as np
import pytest

from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.losses import (bits, log_softmax, mse_backward, mse_loss, softmax,
                                softmax_cross_entropy, softmax_cross_entropy_backward)


def test_log_softmax_never_overflows_and_stays_exact():
    logits = np.array([[1000.0, -1000.0], [0.0, -1001.0], [-1000.0, -999.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logp = log_softmax(logits)
    # Column 0: 1000 dominates; log p = 0 - log(1 + e^-1000 + e^-2000) = 0 (to double).
    np.testing.assert_allclose(logp[:, 0], [0.0, -1000.0, -2000.0], rtol=1e-15)
    # Column 1: -999 and -1000 and -1001: log p = -(x_max - x) - log(1 + e^-1 + e^-2).
    lse = math.log(1 + math.exp(-1) + math.exp(-2))
    np.testing.assert_allclose(logp[:, 1], [-1 - lse, -2 - lse, -lse], rtol=1e-14)
    np.testing.assert_allclose(softmax(logits).sum(axis=0), 1.0, rtol=1e-15)


def test_softmax_of_a_sequence_is_per_column():
    logits = np.random.default_rng(0).standard_normal((4, 5, 3))
    p = softmax(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(p[2, :, 1], np.exp(logits[2, :, 1]) / np.exp(logits[2, :, 1]).sum())


def test_mse_by_hand():
    loss, cache = mse_loss(np.array([[1.0, 2.0]]), np.array([[0.5, 4.0]]))
    assert loss == pytest.approx((0.25 + 4.0) / 2)
    np.testing.assert_allclose(mse_backward(cache), [[2 * 0.5 / 2, 2 * -2.0 / 2]])


def test_mse_of_predicting_the_mean_is_the_variance():
    target = np.random.default_rng(0).uniform(0, 1, (1, 200_000))
    loss, _ = mse_loss(np.full_like(target, 0.5), target)
    assert loss == pytest.approx(1 / 12, rel=0.01)


@pytest.mark.parametrize("shape, masked", [((1, 5), False), ((3, 4), False), ((6, 2, 3), False),
                                           ((6, 2, 3), True)])
def test_mse_gradient_against_central_differences(shape, masked):
    rng = np.random.default_rng(1)
    y, target = rng.standard_normal(shape), rng.standard_normal(shape)
    mask = (rng.uniform(size=shape[:-2] + shape[-1:]) < 0.6).astype(float) if masked else None
    if masked:
        mask.flat[0] = 1
    dy = mse_backward(mse_loss(y, target, mask)[1])
    errors = gradient_check(lambda y: mse_loss(y, target, mask)[0], {"y": y}, {"y": dy})
    assert errors["y"] < 1e-9, errors


def test_cross_entropy_by_hand():
    logits = np.array([[0.0, 2.0], [np.log(3.0), 0.0]])  # column 0: p = (1/4, 3/4)
    loss, cache = softmax_cross_entropy(logits, np.array([1, 0]))
    p1 = np.exp(2) / (np.exp(2) + 1)
    assert loss == pytest.approx((-np.log(0.75) - np.log(p1)) / 2, rel=1e-14)
    np.testing.assert_allclose(softmax_cross_entropy_backward(cache),
                               np.array([[0.25, p1 - 1], [0.75 - 1, 1 - p1]]) / 2, rtol=1e-14)


def test_uniform_logits_cost_log_K():
    loss, _ = softmax_cross_entropy(np.zeros((7, 10)), np.arange(10) % 7)
    assert loss == pytest.approx(np.log(7))
    assert bits(loss) == pytest.approx(np.log2(7))


@pytest.mark.parametrize("shape, masked", [((3, 4), False), ((1, 2), False), ((5, 3, 4), False),
                                           ((5, 3, 4), True)])
def test_cross_entropy_gradient_against_central_differences(shape, masked):
    rng = np.random.default_rng(2)
    logits = rng.standard_normal(shape) * 2
    batch = shape[:-2] + shape[-1:]
    labels = rng.integers(0, shape[-2], batch)
    mask = (rng.uniform(size=batch) < 0.5).astype(float) if masked else None
    if masked:
        mask.flat[0] = 1
    dlogits = softmax_cross_entropy_backward(softmax_cross_entropy(logits, labels, mask)[1])
    errors = gradient_check(lambda logits: softmax_cross_entropy(logits, labels, mask)[0],
                            {"logits": logits}, {"logits": dlogits})
    assert errors["logits"] < 1e-9, errors
    if masked:  # a masked column gets no gradient at all
        assert np.all(np.moveaxis(dlogits, -2, -1)[mask == 0] == 0)


def test_cross_entropy_of_huge_logits_is_finite_and_silent():
    logits = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, cache = softmax_cross_entropy(logits, np.array([1, 1]))
        grad = softmax_cross_entropy_backward(cache)
    assert loss == pytest.approx(2e4 / 2)  # column 0 is 2e4 nats wrong, column 1 right
    assert np.all(np.isfinite(grad))


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((4, 3, 2)).astype(np.float32)
    loss, cache = softmax_cross_entropy(logits, rng.integers(0, 3, (4, 2)))
    assert loss.dtype == np.float32 and softmax_cross_entropy_backward(cache).dtype == np.float32
    loss, cache = mse_loss(logits, np.zeros_like(logits), np.ones((4, 2)))
    assert loss.dtype == np.float32 and mse_backward(cache).dtype == np.float32
    assert log_softmax(logits).dtype == np.float32


@pytest.mark.parametrize("labels, mask, error, message", [
    (np.array([0.0, 1.0]), None, TypeError, r"labels: expected whole numbers \(class indices 0..K-1\), received dtype float64"),
    (np.array([[0, 1]]), None, ValueError, r"labels: expected shape \(N,\) = \(2,\) \(from logits \(3, 2\)\), received \(1, 2\)"),
    (np.array([0, 3]), None, ValueError, r"labels: expected classes 0..2 \(K = 3 from logits\), received values from 0 to 3"),
    (np.array([0, 1]), np.ones(3), ValueError, r"mask: expected shape \(N,\) = \(2,\), one weight per column, received \(3,\)"),
    (np.array([0, 1]), np.zeros(2), ValueError, r"mask: nothing to average \(every entry is masked out\)"),
])
def test_bad_labels_and_masks_are_named(labels, mask, error, message):
    with pytest.raises(error, match=message):
        softmax_cross_entropy(np.zeros((3, 2)), labels, mask)


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r"target: expected the shape of y, \(1, 4\), received \(4, 1\)"):
        mse_loss(np.zeros((1, 4)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"logits: expected shape \(K, N\) or \(T, K, N\), received \(5,\)"):
        softmax_cross_entropy(np.zeros(5), np.zeros(5, dtype=int))
    with pytest.raises(TypeError, match="cache: expected the dict returned by softmax_cross_entropy"):
        softmax_cross_entropy_backward({"p": 1})
