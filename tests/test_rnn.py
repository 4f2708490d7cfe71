"""lstm_lesson.rnn: the plain RNN baseline and its Jacobians, by finite differences."""

import numpy as np
import pytest

from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.rnn import gradient_norms, rnn_backward, rnn_forward, rnn_jacobian, rnn_step


def make(H=4, D=3, T=6, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((T, D, 1)), rng.standard_normal((H, 1)) * 0.5,
            rng.standard_normal((H, H + D)) / np.sqrt(H), rng.standard_normal((H, 1)) * 0.1)


def test_step_matches_its_equation():
    xs, h0, W, b = make()
    H = h0.shape[0]
    expected = np.tanh(W[:, :H] @ h0 + W[:, H:] @ xs[0] + b)
    np.testing.assert_allclose(rnn_step(xs[0], h0, W, b), expected, atol=1e-15)


def test_forward_runs_the_steps_in_order():
    xs, h0, W, b = make(T=5)
    hs = rnn_forward(xs, h0, W, b)
    assert hs.shape == (5, 4, 1)
    h = h0
    for t in range(5):
        h = rnn_step(xs[t], h, W, b)
        np.testing.assert_array_equal(hs[t], h)


def test_jacobian_against_central_differences():
    xs, h0, W, b = make()
    H, eps = h0.shape[0], 1e-6
    h1 = rnn_step(xs[0], h0, W, b)
    numeric = np.empty((H, H))
    for k in range(H):
        e = np.zeros((H, 1))
        e[k] = eps
        numeric[:, k] = ((rnn_step(xs[0], h0 + e, W, b) - rnn_step(xs[0], h0 - e, W, b)) / (2 * eps)).ravel()
    np.testing.assert_allclose(rnn_jacobian(h1, W[:, :H]), numeric, rtol=1e-7, atol=1e-9)


def test_gradient_norms_are_norms_of_the_full_chain():
    xs, h0, W, b = make(T=7)
    H, eps = h0.shape[0], 1e-6
    numeric = np.empty((H, H))
    for k in range(H):
        e = np.zeros((H, 1))
        e[k] = eps
        numeric[:, k] = ((rnn_forward(xs, h0 + e, W, b)[-1] - rnn_forward(xs, h0 - e, W, b)[-1]) / (2 * eps)).ravel()
    norms = gradient_norms(rnn_forward(xs, h0, W, b), W[:, :H])
    assert norms.shape == (7,)
    assert norms[-1] == pytest.approx(np.linalg.norm(numeric, 2), rel=1e-6)


def test_small_gain_vanishes_large_gain_explodes():
    rng = np.random.default_rng(0)
    H, D, T = 16, 4, 50
    xs, A = rng.standard_normal((T, D, 1)), rng.standard_normal((H, H + D))
    results = {}
    for gain in (0.5, 3.0):
        W = np.hstack([A[:, :H] * gain / np.sqrt(H), A[:, H:] / np.sqrt(D)])
        results[gain] = gradient_norms(rnn_forward(xs, np.zeros((H, 1)), W, np.zeros((H, 1))), W[:, :H])
    assert results[0.5][-1] < 1e-20      # measured 1.7e-26 in chapter 1
    assert results[3.0][-1] > 1e2        # measured 1.5e+03 in chapter 1


@pytest.mark.parametrize("T, D, H, N", [(6, 3, 4, 1), (1, 1, 1, 1), (4, 2, 3, 5)])
def test_backward_against_central_differences(T, D, H, N):
    rng = np.random.default_rng(T + D + H + N)
    inputs = dict(xs=rng.standard_normal((T, D, N)), h0=rng.uniform(-1, 1, (H, N)),
                  W=rng.standard_normal((H, H + D)) / np.sqrt(H + D), b=rng.standard_normal((H, 1)))
    dhs = rng.standard_normal((T, H, N))

    def loss(xs, h0, W, b):
        return np.sum(dhs * rnn_forward(xs, h0, W, b))

    hs = rnn_forward(**inputs)
    dxs, dh0, dW, db = rnn_backward(dhs, inputs["xs"], inputs["h0"], hs, inputs["W"])
    errors = gradient_check(loss, inputs, dict(xs=dxs, h0=dh0, W=dW, b=db))
    assert max(errors.values()) < 1e-7, errors


def test_backward_bad_shapes():
    xs, h0, W, b = make(T=3)
    hs = rnn_forward(xs, h0, W, b)
    with pytest.raises(ValueError, match=r"^dhs: expected shape \(T, H, N\) with T = 3 \(from xs\), "
                       r"H = 4 \(from W\), N = 1 \(from xs\), received \(2, 4, 1\)$"):
        rnn_backward(hs[:2], xs, h0, hs, W)


def test_bad_shapes():
    xs, h0, W, b = make()
    with pytest.raises(ValueError, match=r"W: expected shape \(H, H\+D\).*received \(4, 6\)"):
        rnn_step(xs[0], h0, W[:, :6], b)
    with pytest.raises(ValueError, match=r"h_t: expected shape \(H, 1\).*received \(4, 2\)"):
        rnn_jacobian(np.zeros((4, 2)), np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"xs: expected shape \(T, D, N\)"):
        rnn_forward(xs[0], h0, W, b)


def test_lists_are_accepted_like_arrays():
    xs, h0, W, b = make(T=3)
    expected = rnn_forward(xs, h0, W, b)
    np.testing.assert_array_equal(rnn_forward(xs.tolist(), h0.tolist(), W.tolist(), b.tolist()), expected)
    with pytest.raises(ValueError, match=r"b: expected shape \(H, 1\).*received \(4,\)"):
        rnn_forward(xs, h0, W, b.ravel())
