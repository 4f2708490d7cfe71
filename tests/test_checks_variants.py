"""Chapter 13's checkers against readers' wrong answers: each is rejected with the
catalogued mistake it makes, and the right answers pass."""

import contextlib
import io

import numpy as np

from lstm_lesson.activations import sigmoid
from lstm_lesson.checks import (check_cifg_backward, check_cifg_step, check_counting_prediction,
                                check_gru_parameter_count)
from lstm_lesson.checks.variants import buggy_cifg_backward


def quiet(check, answer, **options):
    with contextlib.redirect_stdout(io.StringIO()):
        return check(answer, **options)


def reader_cifg_step(x_t, h_prev, c_prev, W, b, slip=None):
    """A reader's CIFG step, built from the LSTM's; ``slip`` puts one mistake in."""
    H = h_prev.shape[0]
    z = np.concatenate([x_t, h_prev] if slip == "[x, h]" else [h_prev, x_t], axis=0)
    pre = np.dot(W, z) + b
    f = sigmoid(pre[0:H])
    c_tilde = np.tanh(pre[H:2 * H])
    o = sigmoid(pre[2 * H:3 * H])
    if slip == "i = f":
        i = f
    else:
        i = 1.0 - f
    c_t = f * c_prev + i * c_tilde
    if slip == "other way":
        c_t = i * c_prev + f * c_tilde
    if slip == "c_prev in h":
        return o * np.tanh(c_prev), c_t
    if slip == "no tanh":
        return o * c_t, c_t
    if slip == "(c, h)":
        return c_t, o * np.tanh(c_t)
    return o * np.tanh(c_t), c_t


def test_cifg_step():
    assert quiet(check_cifg_step, reader_cifg_step)
    for slip, name in [("i = f", "input gate equal to the forget gate"),
                       ("other way", "coupled the other way"),
                       ("c_prev in h", "c_{t-1} in h_t"), ("no tanh", "tanh of c missing"),
                       ("(c, h)", "c_t and h_t returned the other way round"),
                       ("[x, h]", "x_t stacked before h_{t-1}")]:
        result = quiet(check_cifg_step, lambda *args, slip=slip: reader_cifg_step(*args, slip=slip))
        assert not result and result.mistake == name, (slip, result.message)


def reader_cifg_backward(dh_next, dc_next, cache, slip=None):
    f, c_tilde, o = cache["f"], cache["c_tilde"], cache["o"]
    W = cache["params"]["W"]
    H = f.shape[0]
    s = np.tanh(cache["c_t"])
    dc = dc_next + dh_next * o * (1 - s * s)
    d_forget = dc * cache["c_prev"] - dc * c_tilde  # two paths: f and i = 1 - f
    if slip == "plus":
        d_forget = dc * cache["c_prev"] + dc * c_tilde
    d_cand = dc * (1 - f)
    d_prev = dc * (1 - f) if slip == "prev" else dc * f
    da = np.concatenate([d_forget * f * (1 - f), d_cand * (1 - c_tilde**2),
                         dh_next * s * o * (1 - o)])
    z = np.concatenate([cache["h_prev"], cache["x_t"]])
    dz = np.dot(W.T, da)
    return dz[H:], dz[:H], d_prev, np.dot(da, z.T), np.sum(da, axis=1, keepdims=True)


def test_cifg_backward():
    assert quiet(check_cifg_backward, reader_cifg_backward)
    result = quiet(check_cifg_backward, buggy_cifg_backward)
    assert not result and result.mistake == "coupling path missing"
    for slip, name in [("plus", "coupling path with the wrong sign"),
                       ("prev", "dc_prev through 1 - f")]:
        result = quiet(check_cifg_backward,
                       lambda *args, slip=slip: reader_cifg_backward(*args, slip=slip))
        assert not result and result.mistake == name, (slip, result.message)


def test_counting_prediction():
    assert quiet(check_counting_prediction, "CIFG ")
    for wrong in ("lstm", "nfg", "peephole", "noaf"):
        result = quiet(check_counting_prediction, wrong)
        assert not result and result.mistake == wrong
        assert "'cifg'" not in result.message
    result = quiet(check_counting_prediction, "gru")  # not one of the LSTM variants
    assert not result and result.mistake is None and "lstm, peephole, cifg" in result.message
    assert not quiet(check_counting_prediction, None).attempted


def test_gru_parameter_count():
    def right(input_size, hidden_size, reset_after=False):
        H, D = hidden_size, input_size
        return 3 * (H * H + H * D + H) + (H if reset_after else 0)

    assert quiet(check_gru_parameter_count, right)
    for answer, name in [
        (lambda D, H, reset_after=False: 4 * (H * (H + D) + H), "the LSTM's four blocks"),
        (lambda D, H, reset_after=False: 3 * H * (H + D) + (6 if reset_after else 3) * H,
         "PyTorch's stored biases"),
        (lambda D, H, reset_after=False: 3 * H * (H + D) + 3 * H, "b_hn ignored"),
        (lambda D, H, reset_after=False: 3 * H * (H + D), "biases missing"),
    ]:
        result = quiet(check_gru_parameter_count, answer)
        assert not result and result.mistake == name, (name, result.message)
