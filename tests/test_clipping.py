"""lstm_lesson.clipping: one factor for every array, only above the threshold."""

import numpy as np
import pytest

from lstm_lesson.clipping import clip_by_global_norm, global_norm


def grads():
    return {"W": np.array([[3.0, 0.0]]), "b": np.array([[4.0]]), "W_y": np.zeros((2, 2))}


def test_global_norm_by_hand():
    assert global_norm(grads()) == 5.0  # sqrt(9 + 16)


def test_above_the_threshold_every_array_is_scaled_by_the_same_factor():
    clipped, norm = clip_by_global_norm(grads(), 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(clipped["W"], [[0.6, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(clipped["b"], [[0.8]], rtol=1e-15)
    assert global_norm(clipped) == pytest.approx(1.0, rel=1e-15)


def test_the_direction_is_kept_unlike_clipping_each_array():
    clipped, _ = clip_by_global_norm(grads(), 1.0)
    # Per array, W and b would both be cut to norm 1: (1, 0) and 1, not 3 : 4.
    assert clipped["b"][0, 0] / clipped["W"][0, 0] == pytest.approx(4 / 3)


def test_below_the_threshold_nothing_changes_and_the_input_is_left_alone():
    before = grads()
    clipped, norm = clip_by_global_norm(before, 10.0)
    assert norm == 5.0
    for name in before:
        np.testing.assert_array_equal(clipped[name], grads()[name])
    clip_by_global_norm(before, 1.0)
    np.testing.assert_array_equal(before["W"], grads()["W"])  # not clipped in place


def test_float32_stays_float32():
    g = {k: v.astype(np.float32) for k, v in grads().items()}
    clipped, norm = clip_by_global_norm(g, 1.0)
    assert norm.dtype == np.float32 and all(v.dtype == np.float32 for v in clipped.values())


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="max_norm: expected a positive number, received 0"):
        clip_by_global_norm(grads(), 0)
    with pytest.raises(TypeError, match="grads: expected a dict of name to gradient array, received list"):
        clip_by_global_norm([np.ones(2)], 1.0)
    with pytest.raises(TypeError, match=r"grads\['W'\]: expected a numeric array"):
        clip_by_global_norm({"W": "big"}, 1.0)
    with pytest.raises(ValueError, match="grads: expected at least one gradient array"):
        global_norm({})
