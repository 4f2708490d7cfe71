"""check_train_loop: the fixed loop passes; each bug of the chapter's loop, left in, is named."""

import contextlib
import io

import numpy as np
import pytest

from lstm_lesson.checks import check_train_loop
from lstm_lesson.clipping import clip_by_global_norm
from lstm_lesson.losses import mse_backward, mse_loss
from lstm_lesson.network import network_backward, network_forward


def run(answer):
    with contextlib.redirect_stdout(io.StringIO()):
        return check_train_loop(answer)


def fixed(params, batches, lr, max_norm):
    losses = []
    for xs, target in batches:
        y, cache = network_forward(params, xs)
        losses.append(np.mean((y - target) ** 2))
        grads = network_backward(2 * (y - target) / y.size, cache)
        grads, _ = clip_by_global_norm(grads, max_norm)
        params = {name: p - lr * grads[name] for name, p in params.items()}
    return params, np.array(losses)


def with_the_package_loss(params, batches, lr, max_norm):
    losses = []
    for xs, target in batches:
        y, cache = network_forward(params, xs)
        loss, loss_cache = mse_loss(y, target)
        grads, _ = clip_by_global_norm(network_backward(mse_backward(loss_cache), cache), max_norm)
        params = {k: params[k] - lr * grads[k] for k in params}
        losses.append(loss)
    return params, losses


def test_accepts_right_answers():
    assert run(fixed) and run(with_the_package_loss)


def loop(reset, mean, clip_first):
    """The chapter's buggy loop with the chosen bugs left in."""
    def train(params, batches, lr, max_norm):
        grads = {name: np.zeros_like(p) for name, p in params.items()}
        losses = []
        for xs, target in batches:
            y, cache = network_forward(params, xs)
            losses.append(np.mean((y - target) ** 2))
            dy = 2 * (y - target) / y.size if mean else 2 * (y - target)
            new = network_backward(dy, cache)
            grads = new if reset else {k: grads[k] + new[k] for k in grads}
            if clip_first:
                grads, _ = clip_by_global_norm(grads, max_norm)
            params = {name: p - lr * grads[name] for name, p in params.items()}
            if not clip_first:
                grads, _ = clip_by_global_norm(grads, max_norm)
        return params, np.array(losses)
    return train


@pytest.mark.parametrize("reset, mean, clip_first, mistake", [
    (False, False, False, "the loop as given"),
    (False, True, True, "gradients not reset between batches"),
    (True, False, True, "loss averaged, gradient summed"),
    (True, True, False, "clip applied after the step"),
    (True, False, False, "only the reset fixed"),
    (False, True, False, "only the averaging fixed"),
    (False, False, True, "only the clipping fixed"),
])
def test_rejects_each_bug_left_in(reset, mean, clip_first, mistake):
    result = run(loop(reset, mean, clip_first))
    assert not result and result.mistake == mistake, result.message


def test_a_loop_without_the_clip_is_told_to_clip_before_the_step():
    def unclipped(params, batches, lr, max_norm):
        losses = []
        for xs, target in batches:
            y, cache = network_forward(params, xs)
            losses.append(np.mean((y - target) ** 2))
            grads = network_backward(2 * (y - target) / y.size, cache)
            params = {name: p - lr * grads[name] for name, p in params.items()}
        return params, np.array(losses)
    result = run(unclipped)
    assert not result and result.mistake == "clip applied after the step"


def test_returning_only_the_params_is_explained():
    result = run(lambda params, batches, lr, max_norm: fixed(params, batches, lr, max_norm)[0])
    assert not result and "expected a tuple (params, losses)" in result.message


def in_place(params, batches, lr, max_norm):
    """The fixed loop, stepping the parameters where they are, as training loops do."""
    losses = []
    for xs, target in batches:
        y, cache = network_forward(params, xs)
        losses.append(np.mean((y - target) ** 2))
        grads = network_backward(2 * (y - target) / y.size, cache)
        grads, _ = clip_by_global_norm(grads, max_norm)
        for name in params:
            params[name] -= lr * grads[name]
    return params, np.array(losses)


def test_a_loop_that_updates_params_in_place_passes():
    """The exercise asks for the loop that returns (params, losses), not to leave
    params unchanged: updating them in place is a training loop's usual way."""
    result = run(in_place)
    assert result and result.message == "✓ check_train_loop: all 3 cases pass.", result.message


def test_a_bug_left_in_an_in_place_loop_is_still_named():
    def unreset(params, batches, lr, max_norm):
        grads = {name: np.zeros_like(p) for name, p in params.items()}
        losses = []
        for xs, target in batches:
            y, cache = network_forward(params, xs)
            losses.append(np.mean((y - target) ** 2))
            for name, g in network_backward(2 * (y - target) / y.size, cache).items():
                grads[name] += g
            grads, _ = clip_by_global_norm(grads, max_norm)
            for name in params:
                params[name] -= lr * grads[name]
        return params, np.array(losses)
    result = run(unreset)
    assert not result and result.mistake == "gradients not reset between batches", \
        result.message
    assert "in place" not in result.message


def test_changing_the_batches_in_place_is_still_reported():
    def scaled(params, batches, lr, max_norm):
        for pair in batches:
            pair[1] = pair[1] * 1.0 + 0.0  # the same values: no change
            pair[0] *= 1.0
        params, losses = fixed(params, batches, lr, max_norm)
        batches.reverse()
        return params, losses
    result = run(scaled)
    assert not result and "changed `batches` in place" in result.message
    assert "hint: Leave batches as it was" in result.message
    assert "c_prev" not in result.message
