"""Checkers of chapter 7 (fuse, the fused step) accept right answers and explain
wrong ones written as a reader would."""

import itertools

import numpy as np
import pytest

from lstm_lesson.checks import check_cell_forward, check_fuse
from lstm_lesson.fused import fuse


def readers_fuse(params, order="ifco", how="vstack", flat_b=False, transpose=False):
    Ws = [params["W_" + g].T if transpose else params["W_" + g] for g in order]
    W = np.concatenate(Ws, axis=0 if how == "vstack" else 1)
    b = np.concatenate([params["b_" + g] for g in order], axis=0)
    return W, (b.reshape(-1) if flat_b else b)


def test_fuse_accepts_right_answers():
    assert check_fuse(fuse)
    assert check_fuse(readers_fuse)


@pytest.mark.parametrize("order", ["".join(p) for p in itertools.permutations("ifco") if "".join(p) != "ifco"])
def test_fuse_rejects_every_wrong_order(order):
    result = check_fuse(lambda params: readers_fuse(params, order=order))
    assert not result
    expected = "the reference cell's order f, i, c, o" if order == "fico" else "gate blocks in the wrong order"
    assert result.mistake == expected, result.message


@pytest.mark.parametrize("slip, kwargs", [
    ("blocks side by side", dict(how="hstack")),
    ("b flattened", dict(flat_b=True)),
    ("blocks transposed", dict(transpose=True)),
])
def test_fuse_rejects_layout_slips(slip, kwargs):
    result = check_fuse(lambda params: readers_fuse(params, **kwargs))
    assert not result and result.mistake == slip, result.message


def readers_step(x_t, h_prev, c_prev, W, b, *, order="ifco", xh=False, candidate=np.tanh,
                 gate=None, bias=True, transpose=False, h_from="new", squash=True,
                 matmul=False, swap=False):
    gate = gate or (lambda a: 0.5 * (1 + np.tanh(a / 2)))
    H = h_prev.shape[0]
    z = np.concatenate([x_t, h_prev] if xh else [h_prev, x_t])
    a = np.dot(W.T if transpose else W, z)
    if bias:
        a = a + b
    blocks = dict(zip(order, np.split(a, 4)))
    i, f, o = gate(blocks["i"]), gate(blocks["f"]), gate(blocks["o"])
    g = candidate(blocks["c"])
    c_t = np.dot(f, c_prev) + np.dot(i, g) if matmul else f * c_prev + i * g
    h_t = o * (np.tanh(c_t if h_from == "new" else c_prev) if squash else c_t)
    assert h_t.shape[0] == H
    return (c_t, h_t) if swap else (h_t, c_t)


def test_cell_forward_accepts_a_readers_step():
    assert check_cell_forward(readers_step)


STEP_SLIPS = {
    "the reference cell's order f, i, c, o": dict(order="fico"),
    "gate blocks in the wrong order": dict(order="ifoc"),
    "[x, h] instead of [h, x]": dict(xh=True),
    "sigmoid for the candidate": dict(candidate=lambda a: 1 / (1 + np.exp(-a))),
    "tanh for the gates": dict(gate=np.tanh),
    "bias missing": dict(bias=False),
    "W transposed": dict(transpose=True),
    "c_{t-1} in h_t": dict(h_from="old"),
    "tanh missing in h_t": dict(squash=False),
    "matrix product instead of elementwise": dict(matmul=True),
    "outputs swapped": dict(swap=True),
    "unstable sigmoid in the gates": dict(gate=lambda a: 1 / (1 + np.exp(-a))),
}


@pytest.mark.parametrize("slip", STEP_SLIPS)
def test_cell_forward_rejects_slips_with_their_own_hint(slip):
    result = check_cell_forward(lambda *args: readers_step(*args, **STEP_SLIPS[slip]))
    assert not result and result.mistake == slip, result.message


def test_returning_the_cache_too_is_explained():
    from lstm_lesson.cell import cell_forward
    result = check_cell_forward(cell_forward)
    assert not result and "returned a tuple of 3 values; expected 2: (h_t, c_t)" in result.message


def test_parameter_count_accepts_and_rejects(capsys):
    from lstm_lesson.checks import check_parameter_count
    assert check_parameter_count(lambda input_size, hidden_size: 4 * hidden_size * (hidden_size + input_size + 1))
    slips = {
        "biases forgotten": lambda D, H: 4 * H * (H + D),
        "one gate only": lambda D, H: H * (H + D + 1),
        "recurrent weights forgotten": lambda D, H: 4 * H * (D + 1),
        "two biases (PyTorch's layout)": lambda D, H: 4 * H * D + 4 * H * H + 4 * H + 4 * H,
        "W taken as square": lambda D, H: 16 * H * H + 4 * H,
    }
    for slip, fn in slips.items():
        result = check_parameter_count(fn)
        assert not result and result.mistake == slip, (slip, result.message)
    result = check_parameter_count(lambda D, H: 4 * D * (H + D + 1))
    assert not result and result.mistake == "arguments swapped", result.message
    result = check_parameter_count(lambda D, H: 4.0 * H * (H + D + 1))
    assert result  # the right count as a float: the value is what is asked
    result = check_parameter_count(lambda D, H: 4 * H * (H + D + 1) + 1)
    assert not result and result.mistake is None and "rows times its columns" in result.message
