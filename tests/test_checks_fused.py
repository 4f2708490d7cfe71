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


# -- Chapter 7's new exercises: the count ratio, the step via fuse, ONNX's order ----

def test_count_ratio_accepts_a_rounded_prediction_and_explains_wrong_ones():
    from lstm_lesson.checks import check_count_ratio
    assert check_count_ratio(3.29) and check_count_ratio(8160 / 2480)
    readers = {  # what a reader who made each slip would write
        "doubles with H": 2,
        "grows as H squared": 4.0,
        "biases left out": (160 * 50) / (80 * 30),
        "ratio upside down": 0.304,
    }
    for slip, value in readers.items():
        result = check_count_ratio(value)
        assert not result and result.mistake == slip, (slip, result.message)
        assert "3.29" not in result.message
    result = check_count_ratio(2.5)
    assert not result and result.mistake is None and "shapes of W and b" in result.message
    assert not check_count_ratio(None).attempted


def step_via_fuse(x_t, h_prev, c_prev, params, **slips):
    """A reader's fixed step: the reference cell's params fused, then the fused step."""
    return readers_step(x_t, h_prev, c_prev, *fuse(params), **slips)


def test_step_via_fuse_accepts_right_answers():
    from lstm_lesson.checks import check_step_via_fuse
    from lstm_lesson.reference import step
    assert check_step_via_fuse(step_via_fuse)
    assert check_step_via_fuse(step)  # the reference cell's own step is right too


def the_chapters_buggy_step(x_t, h_prev, c_prev, params):
    from lstm_lesson.activations import sigmoid
    W, b = fuse(params)
    a = W @ np.vstack([h_prev, x_t]) + b
    a_f, a_i, a_c, a_o = np.split(a, 4)
    f, i, o = sigmoid(a_f), sigmoid(a_i), sigmoid(a_o)
    c_t = f * c_prev + i * np.tanh(a_c)
    return o * np.tanh(c_t), c_t


@pytest.mark.parametrize("slip", STEP_SLIPS)
def test_step_via_fuse_rejects_slips_with_their_own_hint(slip):
    from lstm_lesson.checks import check_step_via_fuse
    result = check_step_via_fuse(lambda *args: step_via_fuse(*args, **STEP_SLIPS[slip]))
    assert not result and result.mistake == slip, result.message


def test_step_via_fuse_names_the_bug_left_in():
    from lstm_lesson.checks import check_step_via_fuse
    result = check_step_via_fuse(the_chapters_buggy_step)
    assert not result and result.mistake == "the reference cell's order f, i, c, o"
    assert "The bug is still there" in result.message


def readers_iofc(x_t, h_prev, c_prev, W, b, *, blocks="iofc", **slips):
    """A reader's step for ONNX's order: the rows moved to i, f, c, o, then the step.

    ``blocks`` is the gate a reader takes each of ONNX's four blocks to be.
    """
    where = [blocks.index(g) for g in "ifco"]
    W = np.vstack([np.split(W, 4)[k] for k in where])
    b = np.vstack([np.split(b, 4)[k] for k in where])
    return readers_step(x_t, h_prev, c_prev, W, b, **slips)


def test_cell_forward_iofc_accepts_right_answers():
    from lstm_lesson.activations import sigmoid
    from lstm_lesson.checks import check_cell_forward_iofc
    assert check_cell_forward_iofc(readers_iofc)

    def split_directly(x_t, h_prev, c_prev, W, b):
        a_i, a_o, a_f, a_c = np.split(W @ np.vstack([h_prev, x_t]) + b, 4)
        c_t = sigmoid(a_f) * c_prev + sigmoid(a_i) * np.tanh(a_c)
        return sigmoid(a_o) * np.tanh(c_t), c_t
    assert check_cell_forward_iofc(split_directly)


@pytest.mark.parametrize("slip, kwargs", [
    ("the package's order i, f, c~, o", dict(blocks="ifco")),
    ("the reference cell's order f, i, c, o", dict(blocks="fico")),
    ("the inverse reordering", dict(blocks="icof")),
    ("gate blocks in the wrong order", dict(blocks="ifoc")),
    ("sigmoid for the candidate", dict(candidate=lambda a: 1 / (1 + np.exp(-a)))),
    ("tanh for the gates", dict(gate=np.tanh)),
    ("[x, h] instead of [h, x]", dict(xh=True)),
    ("bias missing", dict(bias=False)),
])
def test_cell_forward_iofc_rejects_slips_with_their_own_hint(slip, kwargs):
    from lstm_lesson.checks import check_cell_forward_iofc
    result = check_cell_forward_iofc(lambda *args: readers_iofc(*args, **kwargs))
    assert not result and result.mistake == slip, result.message


def test_the_inverse_reordering_is_the_permutation_a_reader_inverts():
    # ONNX's blocks i, o, f, c reach the package's order with blocks 0, 2, 3, 1; the
    # inverse permutation 0, 3, 1, 2 gives the catalogue's "icof" reading.
    from lstm_lesson.checks import check_cell_forward_iofc

    def inverted(x_t, h_prev, c_prev, W, b):
        W = np.vstack([np.split(W, 4)[k] for k in (0, 3, 1, 2)])
        b = np.vstack([np.split(b, 4)[k] for k in (0, 3, 1, 2)])
        return readers_step(x_t, h_prev, c_prev, W, b)
    result = check_cell_forward_iofc(inverted)
    assert not result and result.mistake == "the inverse reordering", result.message
