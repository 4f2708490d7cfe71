"""Chapter 12's checkers: readers' right answers pass, their typical slips are named."""

import contextlib
import io

import numpy as np
import pytest

from lstm_lesson.checks import (check_clamped_forward, check_gradient_times_input,
                                check_leaky_count, check_most_correlated, check_saliency)


def run(check, answer, **options):
    with contextlib.redirect_stdout(io.StringIO()):
        return check(answer, **options)


# -- check_most_correlated ----------------------------------------------------------

def reader_most_correlated(values, signal, mask, slip=None):
    """A reader's loop over units with np.corrcoef, and one slip if asked."""
    T, H, N = values.shape
    keep = mask.astype(bool) if slip != "padding" else np.ones((T, N), dtype=bool)
    y = signal[keep]
    scores = []
    for j in range(H):
        x = values[:, j, :][keep]
        if slip == "covariance":
            scores.append(np.cov(x, y)[0, 1])
        elif slip == "raw":
            scores.append(np.dot(x, y) / np.sqrt(np.dot(x, x) * np.dot(y, y)))
        elif slip == "per sequence":
            scores.append(np.mean([np.corrcoef(values[keep[:, n], j, n],
                                               signal[keep[:, n], n])[0, 1]
                                   for n in range(N)]))
        else:
            scores.append(np.corrcoef(x, y)[0, 1])
    scores = np.array(scores)
    best = int(np.argmax(scores if slip == "largest" else np.abs(scores)))
    return best, abs(scores[best]) if slip == "abs" else scores[best]


def test_most_correlated_accepts_a_right_answer():
    assert run(check_most_correlated, reader_most_correlated)


@pytest.mark.parametrize("slip, name", [
    ("largest", "largest r, not largest |r|"),
    ("abs", "sign of r dropped"),
    ("padding", "padding counted"),
    ("covariance", "covariance instead of correlation"),
    ("raw", "means not subtracted"),
    ("per sequence", "one r per sequence, averaged"),
])
def test_most_correlated_names_the_slip(slip, name):
    result = run(check_most_correlated, lambda v, s, m: reader_most_correlated(v, s, m, slip))
    assert not result and result.mistake == name, result.message


def test_most_correlated_not_attempted():
    def stub(values, signal, mask):
        raise NotImplementedError
    result = run(check_most_correlated, stub)
    assert not result and not result.attempted


# -- check_clamped_forward ----------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def reader_clamped(params, xs, unit, value, slip=None):
    """A reader's forward pass written from the equations, and one slip if asked."""
    W, b, W_y, b_y = params["W"], params["b"], params["W_y"], params["b_y"]
    H = W_y.shape[1]
    N = xs.shape[2]
    h, c = np.zeros((H, N)), np.zeros((H, N))
    outputs = []
    for t, x in enumerate(xs):
        if slip == "before":
            c[unit, :] = value
        a = W @ np.concatenate([h, x]) + b
        i, f = sigmoid(a[:H]), sigmoid(a[H:2 * H])
        g, o = np.tanh(a[2 * H:3 * H]), sigmoid(a[3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        if slip == "first" and t > 0:
            pass
        elif slip == "column":
            c[:, unit] = value
        elif slip == "h":
            h[unit, :] = value
        elif slip != "before":
            c[unit, :] = value
            if slip != "stale h":
                h = o * np.tanh(c)
        outputs.append(W_y @ h + b_y)
    return outputs[-1] if slip == "last" else np.array(outputs)


def test_clamped_forward_accepts_a_right_answer():
    assert run(check_clamped_forward, reader_clamped)


@pytest.mark.parametrize("slip, name", [
    ("stale h", "h_t from the unclamped c_t"),
    ("h", "hidden state clamped instead of the cell state"),
    ("column", "an example clamped instead of a unit"),
    ("before", "clamped before the update"),
    ("first", "clamped at the first step only"),
    ("last", "only the last step read"),
])
def test_clamped_forward_names_the_slip(slip, name):
    result = run(check_clamped_forward,
                 lambda params, xs, unit, value: reader_clamped(params, xs, unit, value, slip))
    assert not result and result.mistake == name, result.message


def test_every_unit_clamped_is_named():
    def everything(params, xs, unit, value):
        W, b, W_y, b_y = params["W"], params["b"], params["W_y"], params["b_y"]
        H, N = W_y.shape[1], xs.shape[2]
        h, c, out = np.zeros((H, N)), np.zeros((H, N)), []
        for x in xs:
            a = W @ np.vstack([h, x]) + b
            c = sigmoid(a[H:2 * H]) * c + sigmoid(a[:H]) * np.tanh(a[2 * H:3 * H])
            c = np.full_like(c, value)
            h = sigmoid(a[3 * H:]) * np.tanh(c)
            out.append(W_y @ h + b_y)
        return np.stack(out)
    result = run(check_clamped_forward, everything)
    assert not result and result.mistake == "every unit clamped"


# -- check_leaky_count --------------------------------------------------------------

def test_leaky_count_predictions():
    assert run(check_leaky_count, -0.025) and run(check_leaky_count, -0.0249)
    for value, name in [(0.5, "a perfect counter"), (0.651, "the value after the a's"),
                        (0.385, "b's only leak"), (0.151, "the leak forgotten during the b's"),
                        (0.181, "the leak forgotten during the a's")]:
        result = run(check_leaky_count, value)
        assert not result and result.mistake == name, (value, result.message)
        assert "-0.02491" not in result.message
    assert not run(check_leaky_count, None).attempted
    assert "The code gives -0.02491" in run(check_leaky_count, 0.3, hint=2).message


# -- check_saliency and check_gradient_times_input ----------------------------------

def reader_input_gradient(params, xs, t, labels, slip=None):
    """dL/dxs by a reader's own loop back through time (no package function)."""
    W, b, W_y, b_y = params["W"], params["b"], params["W_y"], params["b_y"]
    H, (T, D, N) = W_y.shape[1], xs.shape
    h, c, caches = np.zeros((H, N)), np.zeros((H, N)), []
    for x in xs:
        z = np.vstack([h, x])
        a = W @ z + b
        i, f = sigmoid(a[:H]), sigmoid(a[H:2 * H])
        g, o = np.tanh(a[2 * H:3 * H]), sigmoid(a[3 * H:])
        c_prev, c = c, f * c + i * g
        h = o * np.tanh(c)
        caches.append((z, i, f, g, o, c_prev, c))
    logits = W_y @ np.stack([cache[4] * np.tanh(cache[6]) for cache in caches]) + b_y
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dy = p.copy() if slip == "every" else np.zeros_like(p)
    if slip != "every":
        dy[t] = p[t]
    dy[t, labels, np.arange(N)] -= 1
    if slip == "mean":
        dy /= N
    dh, dc, dxs = np.zeros((H, N)), np.zeros((H, N)), np.zeros(xs.shape)
    for s in reversed(range(T)):
        z, i, f, g, o, c_prev, c = caches[s]
        dh = dh + W_y.T @ dy[s]
        tc = np.tanh(c)
        dc = dc + dh * o * (1 - tc**2)
        da = np.vstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f),
                        dc * i * (1 - g**2), dh * tc * o * (1 - o)])
        dz = W.T @ da
        dh, dc, dxs[s] = dz[:H], dc * f, dz[H:]
    return dxs


def reader_saliency(params, xs, t, labels, slip=None):
    dxs = reader_input_gradient(params, xs, t, labels, slip)
    return np.sqrt((dxs**2).sum(axis=(1, 2) if slip == "batch" else 1))


def test_saliency_accepts_a_right_answer():
    assert run(check_saliency, reader_saliency)


@pytest.mark.parametrize("slip, name", [
    ("every", "every step's prediction sends a gradient"),
    ("mean", "averaged over the batch"),
    ("batch", "norm over the batch too"),
])
def test_saliency_names_the_slip(slip, name):
    result = run(check_saliency, lambda *args: reader_saliency(*args, slip=slip))
    assert not result and result.mistake == name, result.message


def test_saliency_of_the_next_prediction_and_without_the_onehot_are_named():
    def next_one(params, xs, t, labels):
        return reader_saliency(params, xs, min(t + 1, xs.shape[0] - 1), labels)
    result = run(check_saliency, next_one)
    assert not result and result.mistake == "the next step's prediction"

    from lstm_lesson.checks.probes import SALIENCY_MISTAKES
    without = next(m for m in SALIENCY_MISTAKES if "one-hot" in m.name)
    result = run(check_saliency, without.fn)
    assert not result and result.mistake == without.name


def test_gradient_times_input():
    def right(params, xs, t, labels):
        return np.einsum("tdn,tdn->tn", xs, reader_input_gradient(params, xs, t, labels))
    assert run(check_gradient_times_input, right)
    slips = {
        "the gradient's norm, not its product with the input": reader_saliency,
        "absolute value taken": lambda *args: np.abs(right(*args)),
        "gradient summed without the input": lambda *args: reader_input_gradient(
            *args).sum(axis=1),
        "averaged over the batch": lambda *args: right(*args) / args[1].shape[2],
    }
    for name, answer in slips.items():
        result = run(check_gradient_times_input, answer)
        assert not result and result.mistake == name, (name, result.message)
