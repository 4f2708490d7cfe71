"""lstm_lesson.fast: the fast path gives the teaching path's numbers (1e-12 in
float64), keeps float32, saves five arrays of T x H x N, and checks its arguments."""

import tracemalloc

import numpy as np
import pytest

from lstm_lesson import fast
from lstm_lesson.bptt import sequence_backward
from lstm_lesson.fused import init_fused
from lstm_lesson.sequence import sequence_forward

#: (T, D, H, N): one example, a batch, H = 1, one step, D = H = N, a longer one,
#: and one with N H >= 1024, where float64 squashes with exp instead of tanh.
SHAPES = [(5, 3, 2, 1), (4, 2, 3, 5), (6, 1, 1, 1), (1, 2, 2, 2), (3, 3, 3, 3), (40, 7, 9, 4),
          (6, 5, 64, 20)]


def _problem(T, D, H, N, seed, dtype=np.float64, spread=1.5):
    rng = np.random.default_rng(seed)
    W, b = init_fused(D, H, seed=seed)
    b = b + rng.normal(0, spread, b.shape)  # no gate sits at 1/2
    xs = rng.standard_normal((T, D, N))
    h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
    dhs = rng.standard_normal((T, H, N))
    dh_T, dc_T = rng.standard_normal((H, N)), rng.standard_normal((H, N))
    return [a.astype(dtype) for a in (xs, W, b, h0, c0, dhs, dh_T, dc_T)]


def _both(xs, W, b, h0, c0, dhs, dh_T, dc_T):
    slow = sequence_forward(xs, W, b, h0, c0)
    quick = fast.sequence_forward(xs, W, b, h0, c0)
    slow_grads = sequence_backward(dhs, slow[2], dh_T, dc_T)
    quick_grads = fast.sequence_backward(dhs, quick[2], dh_T, dc_T)
    return ([slow[0], *slow[1], *slow_grads], [quick[0], *quick[1], *quick_grads])


NAMES = ["hs", "h_T", "c_T", "dxs", "dh0", "dc0", "dW", "db"]


@pytest.mark.parametrize("T, D, H, N", SHAPES)
def test_the_fast_path_gives_the_teaching_paths_numbers_to_1e_12(T, D, H, N):
    for seed in range(3):
        slow, quick = _both(*_problem(T, D, H, N, seed))
        for name, a, b in zip(NAMES, slow, quick):
            assert a.shape == b.shape and b.dtype == np.float64, name
            assert np.max(np.abs(a - b)) <= 1e-12 * max(1.0, np.max(np.abs(a))), name


def test_default_states_and_gradients_are_zeros():
    xs, W, b, h0, c0, dhs, _, _ = _problem(5, 3, 4, 2, seed=7)
    hs, (h, c), cache = fast.sequence_forward(xs, W, b)
    zeros = np.zeros_like(h0)
    expected = fast.sequence_forward(xs, W, b, zeros, zeros)
    assert np.array_equal(hs, expected[0]) and np.array_equal(c, expected[1][1])
    grads = fast.sequence_backward(dhs, cache)
    given = fast.sequence_backward(dhs, fast.sequence_forward(xs, W, b)[2], zeros, zeros)
    assert all(np.array_equal(a, b) for a, b in zip(grads, given))
    slow = sequence_backward(dhs, sequence_forward(xs, W, b)[2])
    assert all(np.allclose(a, b, rtol=0, atol=1e-12) for a, b in zip(slow, grads))


def test_a_cache_serves_one_backward_pass_and_says_so_after():
    xs, W, b, h0, c0, dhs, dh_T, dc_T = _problem(6, 2, 3, 2, seed=3)
    _, _, cache = fast.sequence_forward(xs, W, b, h0, c0)
    first = fast.sequence_backward(dhs, cache, dh_T, dc_T)
    with pytest.raises(RuntimeError, match="served a backward pass already"):
        fast.sequence_backward(dhs, cache, dh_T, dc_T)
    _, _, cache = fast.sequence_forward(xs, W, b, h0, c0)
    second = fast.sequence_backward(dhs, cache, dh_T, dc_T)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    # float64 gradients on a float32 forward pass: the cache is not reused then
    _, _, cache = fast.sequence_forward(*(a.astype(np.float32) for a in (xs, W, b, h0, c0)))
    grads = fast.sequence_backward(dhs, cache, dh_T, dc_T)
    assert grads[3].dtype == np.float64 and np.max(np.abs(grads[3] - first[3])) < 1e-5


def test_the_callers_arrays_are_left_as_they_were():
    args = _problem(5, 3, 2, 4, seed=11)
    copies = [a.copy() for a in args]
    _both(*args)
    assert all(np.array_equal(a, b) for a, b in zip(args, copies))


def test_float32_stays_float32_and_agrees_to_float32_precision():
    args = _problem(20, 5, 6, 3, seed=5, dtype=np.float32)
    slow, quick = _both(*args)
    reference, _ = _both(*[a.astype(np.float64) for a in args])
    for name, a, b, exact in zip(NAMES, slow, quick, reference):
        assert b.dtype == np.float32, name
        assert np.max(np.abs(b - exact)) < 1e-5 * max(1.0, np.max(np.abs(exact))), name


def test_float32_weights_with_default_states_stay_float32():
    xs, W, b = (a.astype(np.float32) for a in _problem(4, 3, 2, 2, seed=1)[:3])
    hs, (h, c), cache = fast.sequence_forward(xs, W, b)
    grads = fast.sequence_backward(np.ones_like(hs), cache)
    assert {a.dtype for a in (hs, h, c, *grads)} == {np.dtype(np.float32)}


@pytest.mark.parametrize("H, N", [(4, 2), (64, 20)])  # squashed by tanh, and by exp
def test_saturated_gates_raise_no_floating_point_warning(H, N):
    # Pre-activations of +-1000: tanh cannot overflow, and exp is clipped first.
    xs, W, b, h0, c0, dhs, dh_T, dc_T = _problem(5, 3, H, N, seed=2)
    b = b + 1000.0 * np.sign(np.random.default_rng(0).standard_normal(b.shape))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        slow, quick = _both(xs, W, b, h0, c0, dhs, dh_T, dc_T)
    for name, a, b_ in zip(NAMES, slow, quick):
        assert np.allclose(a, b_, rtol=0, atol=1e-12), name


def test_the_cache_keeps_five_arrays_of_T_H_N():
    T, D, H, N = 30, 8, 16, 4
    xs, W, b, h0, c0, *_ = _problem(T, D, H, N, seed=0)
    _, _, cache = fast.sequence_forward(xs, W, b, h0, c0)
    assert cache.saved_arrays == 5
    assert cache.nbytes == 5 * T * H * N * 8
    # The teaching cache keeps seven distinct arrays per step (h_prev, c_prev is
    # the previous c_t, i, f, c~, o, tanh_c).
    _, _, steps = sequence_forward(xs, W, b, h0, c0)
    distinct = {id(a) for step in steps for key, a in step.items() if a.shape == (H, N)}
    assert len(distinct) >= 7 * T - 1


def _peak(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_backward_memory_is_its_buffers_not_a_weight_gradient_per_step():
    # The fast backward needs da and z for every step, dxs, and a few weight-sized
    # arrays (W reordered, dW); nothing that grows with T times the weights' size.
    T, D, H, N = 40, 32, 32, 2
    xs, W, b, h0, c0, dhs, dh_T, dc_T = _problem(T, D, H, N, seed=4)
    _, _, cache = fast.sequence_forward(xs, W, b, h0, c0)
    peak = _peak(lambda: fast.sequence_backward(dhs, cache, dh_T, dc_T))
    # zs, dxs as rows and in the course's layout (da_t goes over the used gates)
    buffers = 8 * T * N * ((H + D) + 2 * D)
    assert peak < buffers + 5 * W.nbytes + 64 * 1024
    # and what a forward pass keeps for the backward pass (hs included) is
    # smaller than what the teaching one keeps
    xs, W, b, h0, c0, *_ = _problem(T, D, H, 32, seed=4)
    kept = {}
    for name, forward in (("fast", fast.sequence_forward), ("teaching", sequence_forward)):
        tracemalloc.start()
        result = forward(xs, W, b, h0, c0)
        kept[name] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del result
    assert kept["fast"] < 0.8 * kept["teaching"], kept


def test_the_pieces_are_one_product_each():
    rng = np.random.default_rng(0)
    T, D, H, N = 4, 3, 2, 5
    W_x, xs = rng.standard_normal((4 * H, D)), rng.standard_normal((T, D, N))
    projected = fast.project_inputs(W_x, xs)
    assert projected.shape == (4 * H, T, N)
    for t in range(T):
        assert np.allclose(projected[:, t], W_x @ xs[t], rtol=0, atol=1e-14)
    das, zs = rng.standard_normal((4 * H, T, N)), rng.standard_normal((H + D, T, N))
    summed = sum(das[:, t] @ zs[:, t].T for t in range(T))
    assert np.allclose(fast.weight_gradient(das, zs), summed, rtol=0, atol=1e-13)
    order = fast.internal_order(H)
    assert list(order) == [0, 1, 2, 3, 6, 7, 4, 5]
    assert list(np.argsort(order)[order]) == list(range(4 * H))


def test_arguments_are_checked_by_name():
    xs, W, b, h0, c0, dhs, *_ = _problem(3, 2, 4, 5, seed=0)
    with pytest.raises(ValueError, match=r"^xs: expected shape \(T, D, N\) with D = 2"):
        fast.sequence_forward(xs[:, :1], W, b)
    with pytest.raises(ValueError, match=r"^h0: expected shape \(H, N\)"):
        fast.sequence_forward(xs, W, b, h0[:, :2], c0)
    _, _, cache = fast.sequence_forward(xs, W, b)
    with pytest.raises(ValueError, match=r"^dhs: expected shape \(T, H, N\) with T = 3"):
        fast.sequence_backward(dhs[:2], cache)
    _, _, steps = sequence_forward(xs, W, b)
    with pytest.raises(TypeError, match="FastCache returned by lstm_lesson.fast.sequence_forward"):
        fast.sequence_backward(dhs, steps)
    with pytest.raises(TypeError, match="list of step caches"):
        sequence_backward(dhs, cache)
