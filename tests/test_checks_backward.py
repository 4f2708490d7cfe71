"""Checkers of chapter 9 accept right answers and explain wrong ones written as a
reader would (not the catalogue's own functions)."""

import functools

import numpy as np
import pytest

from lstm_lesson.activations import sigmoid
from lstm_lesson.backward import cell_backward
from lstm_lesson.cell import cell_forward
from lstm_lesson.checks import (check_backward_without_output_gate, check_cell_backward,
                                check_cell_state_backward, check_dc_prev_prediction,
                                check_fixed_cell_backward, check_numerical_gradient,
                                check_output_gate_backward)
from lstm_lesson.fused import gate_slice, init_fused
from lstm_lesson.gradcheck import gradient_check


def readers_output_gate(dh_next, cache, *, deriv=True, wrong_value=False, use_c=False):
    o, c = cache["o"], cache["c_t"]
    squash = c if use_c else np.tanh(c)
    d_o = dh_next * squash
    if not deriv:
        return d_o
    if wrong_value:
        s = 1 / (1 + np.exp(-o))
        return d_o * s * (1 - s)
    return d_o * o * (1 - o)


def test_output_gate_accepts_a_right_answer():
    assert check_output_gate_backward(readers_output_gate)


@pytest.mark.parametrize("slip, kwargs", [
    ("sigmoid derivative forgotten", dict(deriv=False)),
    ("sigmoid derivative applied to o_t", dict(wrong_value=True)),
    ("c_t instead of tanh(c_t)", dict(use_c=True)),
])
def test_output_gate_explains_slips(slip, kwargs):
    result = check_output_gate_backward(lambda dh, cache: readers_output_gate(dh, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_dc_prev(dh_next, dc_next, cache, *, through_h=True, direct=True, tanh_at_c=False):
    o, f, c = cache["o"], cache["f"], cache["c_t"]
    t = c if tanh_at_c else np.tanh(c)
    total = np.zeros_like(c)
    if direct:
        total += dc_next
    if through_h:
        total += dh_next * o * (1 - t * t)
    return f * total


def test_cell_state_accepts_a_right_answer():
    assert check_cell_state_backward(readers_dc_prev)


@pytest.mark.parametrize("slip, kwargs", [
    ("missing dc path through h_t", dict(through_h=False)),
    ("direct path dc_next forgotten", dict(direct=False)),
    ("tanh derivative taken at c_t", dict(tanh_at_c=True)),
])
def test_cell_state_explains_slips(slip, kwargs):
    result = check_cell_state_backward(lambda dh, dc, cache: readers_dc_prev(dh, dc, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_backward(dh_next, dc_next, cache, *, through_h=True, sig_deriv="right", order="ifco",
                     transpose=True, batch="sum", split="hx"):
    """A reader's step backward, written from the chapter's equations."""
    x, h, c_prev = cache["x_t"], cache["h_prev"], cache["c_prev"]
    i, f, g, o, c = cache["i"], cache["f"], cache["c_tilde"], cache["o"], cache["c_t"]
    H = h.shape[0]
    tc = np.tanh(c)
    dc = dc_next + (dh_next * o * (1 - tc ** 2) if through_h else 0)

    def dsig(s):
        if sig_deriv == "none":
            return 1
        if sig_deriv == "twice":
            return (1 / (1 + np.exp(-s))) * (1 - 1 / (1 + np.exp(-s)))
        return s * (1 - s)

    parts = {"i": dc * g * dsig(i), "f": dc * c_prev * dsig(f), "c": dc * i * (1 - g ** 2),
             "o": dh_next * tc * dsig(o)}
    da = np.concatenate([parts[k] for k in order], axis=0)
    z = np.concatenate([h, x], axis=0)
    if batch == "sum":
        dW, db = np.dot(da, z.T), np.sum(da, axis=1, keepdims=True)
    elif batch == "loop-overwrite":  # the loop keeps only the last example
        for n in range(da.shape[1]):
            dW = np.outer(da[:, n], z[:, n])
        db = np.sum(da, axis=1, keepdims=True)
    else:
        dW, db = np.dot(da, z.T), da
    dz = np.dot(cache["W"].T, da) if transpose else np.dot(cache["W"], da)
    dh_prev, dx = (dz[:H], dz[H:]) if split == "hx" else (dz[-H:], dz[:-H])
    return dx, dh_prev, dc * f, dW, db


def test_cell_backward_accepts_right_answers():
    assert check_cell_backward(cell_backward)
    assert check_cell_backward(readers_backward)


@pytest.mark.parametrize("slip, kwargs", [
    ("missing dc path through h_t", dict(through_h=False)),
    ("sigmoid derivative forgotten", dict(sig_deriv="none")),
    ("sigmoid derivative applied to the gate's output", dict(sig_deriv="twice")),
    ("the reference cell's order f, i, c, o", dict(order="fico")),
    ("gradient blocks in the wrong order", dict(order="ofci")),
    ("missing transpose in dz", dict(transpose=False)),
    ("db not summed over the batch", dict(batch="none")),
    ("dx and dh_prev swapped", dict(split="xh")),
])
def test_cell_backward_explains_slips(slip, kwargs):
    result = check_cell_backward(lambda dh, dc, cache: readers_backward(dh, dc, cache, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_dW_of_one_example_only_is_rejected():
    # Keeping only the last example's outer product is a summing slip the catalogue
    # spells differently (the first example); the verdict still fails with the values.
    result = check_cell_backward(lambda dh, dc, cache: readers_backward(dh, dc, cache, batch="loop-overwrite"))
    assert not result and "dW: values differ" in result.message


def readers_numerical_gradient(f, x, eps=1e-5, *, one_sided=False, divisor=2.0, restore=True):
    x = x if not restore else x.astype(float)
    grad = np.zeros_like(x, dtype=float)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + eps
        up = f(x)
        flat[k] = keep if one_sided else keep - eps
        down = f(x)
        if restore:
            flat[k] = keep
        g[k] = (up - down) / (eps if one_sided else divisor * eps)
    return grad


def test_numerical_gradient_accepts_a_right_answer():
    from lstm_lesson.gradcheck import numerical_gradient
    assert check_numerical_gradient(numerical_gradient)
    assert check_numerical_gradient(readers_numerical_gradient)


@pytest.mark.parametrize("slip, kwargs", [
    ("one-sided difference", dict(one_sided=True)),
    ("divided by eps instead of 2 eps", dict(divisor=1.0)),
    ("perturbation left in x", dict(restore=False)),
])
def test_numerical_gradient_explains_slips(slip, kwargs):
    result = check_numerical_gradient(lambda f, x, eps=1e-5: readers_numerical_gradient(f, x, eps, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_a_traceback_becomes_a_message():
    def broken(dh_next, dc_next, cache):
        return cache["W"] @ dh_next  # shapes do not match
    result = check_cell_backward(broken)
    assert not result and "raised ValueError" in result.message and "Traceback" not in result.message


# -- Find the bug: the chapter's step backward with c_t in df ------------------

def buggy_cell_backward(dh_next, dc_next, cache):
    """The chapter's buggy step backward, as printed there."""
    i, f, g, o = (cache[key] for key in ("i", "f", "c_tilde", "o"))
    grad_c = dc_next + dh_next * o * (1 - cache["tanh_c"] ** 2)
    grad_a = np.concatenate(
        [
            grad_c * g * i * (1 - i),
            grad_c * cache["c_t"] * f * (1 - f),
            grad_c * i * (1 - g**2),
            dh_next * cache["tanh_c"] * o * (1 - o),
        ]
    )
    z = np.concatenate([cache["h_prev"], cache["x_t"]])
    grad_z = cache["W"].T @ grad_a
    n_h = len(grad_c)
    return (grad_z[n_h:], grad_z[:n_h], grad_c * f, grad_a @ z.T,
            grad_a.sum(axis=1, keepdims=True))


def readers_fix(dh_next, dc_next, cache, *, df_with="c_prev", di_with="c_tilde",
                tanh_of="c_t", carry="f", df_from="dc"):
    """A reader's repair of the buggy step, with one slip at a time."""
    x, h, c_prev, c_t = cache["x_t"], cache["h_prev"], cache["c_prev"], cache["c_t"]
    i, f, g, o = cache["i"], cache["f"], cache["c_tilde"], cache["o"]
    t = np.tanh(c_t if tanh_of == "c_t" else c_prev)
    dc = dc_next + dh_next * o * (1 - t * t)
    df = (dc if df_from == "dc" else dc_next) * (c_prev if df_with == "c_prev" else c_t)
    di = dc * (g if di_with == "c_tilde" else c_prev)
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dc * i * (1 - g * g),
                         dh_next * np.tanh(c_t) * o * (1 - o)])
    dz = np.dot(cache["W"].T, da)
    H = h.shape[0]
    carried = dc * (f if carry == "f" else c_prev)
    return dz[H:], dz[:H], carried, np.dot(da, np.concatenate([h, x]).T), da.sum(1, keepdims=True)


def test_the_fixed_step_accepts_a_right_fix():
    assert check_fixed_cell_backward(readers_fix)
    assert check_fixed_cell_backward(cell_backward)


@pytest.mark.parametrize("slip, answer", [
    ("bug still there: c_t in df", buggy_cell_backward),
    ("bug still there: c_t in df", functools.partial(readers_fix, df_with="c_t")),
    ("c_{t-1} in di as well", functools.partial(readers_fix, di_with="c_prev")),
    ("tanh derivative taken at c_{t-1}", functools.partial(readers_fix, tanh_of="c_prev")),
    ("c_{t-1} in dc_prev", functools.partial(readers_fix, carry="c_prev")),
    ("df from dc_next alone", functools.partial(readers_fix, df_from="dc_next")),
])
def test_the_fixed_step_explains_slips(slip, answer):
    result = check_fixed_cell_backward(answer)
    assert not result and result.mistake == slip, result.message


# -- Predict: dc_prev through a wide-open forget gate --------------------------

def chapters_step():
    """The chapter's set-up for the prediction, written with the public package."""
    W, b = init_fused(2, 3, seed=4)
    b[gate_slice("f", 3)] = 40.0
    rng = np.random.default_rng(4)
    x, h, c = rng.standard_normal((2, 1)), rng.uniform(-1, 1, (3, 1)), rng.standard_normal((3, 1))
    return cell_forward(x, h, c, W, b)[2], np.array([[0.5], [-1.5], [2.0]])


def test_the_prediction_is_what_the_chapters_code_gives():
    cache, dc_next = chapters_step()
    assert np.all(cache["f"] == 1.0)
    dc_prev = cell_backward(np.zeros((3, 1)), dc_next, cache)[2]
    for answer in (dc_prev, dc_prev.ravel().tolist(), (0.5, -1.5, 2.0), [[0.5], [-1.5], [2]]):
        assert check_dc_prev_prediction(answer)


@pytest.mark.parametrize("slip, answer", [
    ("nothing gets through", [0, 0, 0]),
    ("nothing gets through", np.zeros((3, 1))),
    ("times c_{t-1}", "c_prev"),
    ("halved", [0.25, -0.75, 1.0]),
])
def test_the_prediction_explains_wrong_ones(slip, answer):
    if isinstance(answer, str):
        cache, dc_next = chapters_step()
        answer = (dc_next * cache["c_prev"]).round(3).ravel().tolist()
    result = check_dc_prev_prediction(answer)
    assert not result and result.mistake == slip, result.message
    assert "0.5 -1.5" not in result.message  # the value stays hidden on a first try


def test_a_prediction_of_another_shape_is_wrong_not_an_error():
    for answer in (0.5, [0.5, -1.5], "0.5, -1.5, 2", None):
        result = check_dc_prev_prediction(answer)
        assert not result


# -- Change: a cell without an output gate --------------------------------------

def forward_without_output_gate(x_t, h_prev, c_prev, W, b):
    """The chapter's forward step of a cell without an output gate, h_t = tanh(c_t)."""
    H = h_prev.shape[0]
    a = W @ np.vstack([h_prev, x_t]) + b
    i, f, c_tilde = sigmoid(a[:H]), sigmoid(a[H:2 * H]), np.tanh(a[2 * H:])
    c_t = f * c_prev + i * c_tilde
    tanh_c = np.tanh(c_t)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f,
             "c_tilde": c_tilde, "c_t": c_t, "tanh_c": tanh_c, "W": W}
    return tanh_c, c_t, cache


def readers_without_output_gate(dh_next, dc_next, cache, *, through_h="tanh'", direct=True,
                                sig=True, df_with="c_prev", batch="sum", split="hx"):
    """A reader's backward pass of the cell without an output gate, one slip at a time."""
    i, f, g, c_prev = cache["i"], cache["f"], cache["c_tilde"], cache["c_prev"]
    t = np.tanh(cache["c_t"])
    path = {"tanh'": 1 - t ** 2, "none": 0, "1": 1, "at c": 1 - cache["c_t"] ** 2}[through_h]
    dc = (dc_next if direct else 0) + dh_next * path
    s = (lambda v: v * (1 - v)) if sig else (lambda v: 1)
    da = np.vstack([dc * g * s(i), dc * (c_prev if df_with == "c_prev" else cache["c_t"]) * s(f),
                    dc * i * (1 - g ** 2)])
    z = np.vstack([cache["h_prev"], cache["x_t"]])
    dz = cache["W"].T @ da
    H = i.shape[0]
    db = da.sum(axis=1, keepdims=True) if batch == "sum" else da
    dh_prev, dx = (dz[:H], dz[H:]) if split == "hx" else (dz[-H:], dz[:-H])
    return dx, dh_prev, dc * f, da @ z.T, db


def test_the_cell_without_output_gate_accepts_a_right_answer():
    assert check_backward_without_output_gate(readers_without_output_gate)


def test_the_right_answer_is_the_gradient_of_the_chapters_forward_step():
    # The checker's contract and the chapter's forward function agree: the right
    # answer passes a gradient check against the forward step the chapter defines.
    rng = np.random.default_rng(7)
    D, H, N = 3, 2, 4
    point = {"x_t": rng.standard_normal((D, N)), "h_prev": rng.uniform(-1, 1, (H, N)),
             "c_prev": rng.standard_normal((H, N)), "W": rng.normal(0, 0.5, (3 * H, H + D)),
             "b": rng.normal(0, 1, (3 * H, 1))}
    dh, dc = rng.standard_normal((H, N)), rng.standard_normal((H, N))

    def loss(x_t, h_prev, c_prev, W, b):
        h_t, c_t, _ = forward_without_output_gate(x_t, h_prev, c_prev, W, b)
        return np.sum(dh * h_t) + np.sum(dc * c_t)

    dx, dh_prev, dc_prev, dW, db = readers_without_output_gate(
        dh, dc, forward_without_output_gate(**point)[2])
    errors = gradient_check(loss, point, {"x_t": dx, "h_prev": dh_prev, "c_prev": dc_prev,
                                          "W": dW, "b": db})
    assert max(errors.values()) < 1e-9, errors


@pytest.mark.parametrize("slip, kwargs", [
    ("missing dc path through h_t", dict(through_h="none")),
    ("tanh derivative forgotten", dict(through_h="1")),
    ("tanh derivative taken at c_t", dict(through_h="at c")),
    ("direct path dc_next forgotten", dict(direct=False)),
    ("sigmoid derivative forgotten", dict(sig=False)),
    ("c_t instead of c_{t-1} in df", dict(df_with="c_t")),
    ("db not summed over the batch", dict(batch="none")),
    ("dx and dh_prev swapped", dict(split="xh")),
])
def test_the_cell_without_output_gate_explains_slips(slip, kwargs):
    result = check_backward_without_output_gate(
        functools.partial(readers_without_output_gate, **kwargs))
    assert not result and result.mistake == slip, result.message
