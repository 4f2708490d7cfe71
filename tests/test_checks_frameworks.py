"""Chapter 15's checkers: readers' wrong answers are rejected, each with the
catalogued mistake it makes; right answers (several spellings) pass."""

import contextlib
import io

import numpy as np
import pytest

import lstm_lesson.frameworks
from lstm_lesson.checks.frameworks import check_to_keras, check_to_onnx, check_torch_extra_count


def run(checker, fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return checker(fn)


def keras_by_hand(W, b):
    H = W.shape[0] // 4
    return [np.ascontiguousarray(W[:, H:].T), np.ascontiguousarray(W[:, :H].T), b.ravel()]


def onnx_by_hand(W, b):
    H = W.shape[0] // 4
    rows = np.r_[0:H, 3 * H:4 * H, H:2 * H, 2 * H:3 * H]  # i, o, f, c
    return (W[rows, H:][None], W[rows, :H][None],
            np.concatenate([b[rows, 0], np.zeros(4 * H)])[None])


def test_right_answers_pass():
    assert run(check_to_keras, keras_by_hand)
    assert run(check_to_keras, lstm_lesson.frameworks.to_keras)
    assert run(check_to_onnx, onnx_by_hand)


WRONG_KERAS = {
    "x and h columns swapped": lambda W, b: [W[:, :W.shape[1] - W.shape[0] // 4].T,
                                             W[:, W.shape[1] - W.shape[0] // 4:].T,
                                             b.ravel()],
    "not transposed": lambda W, b: [W[:, W.shape[0] // 4:], W[:, :W.shape[0] // 4],
                                    b.ravel()],
    "bias kept as a column": lambda W, b: [W[:, W.shape[0] // 4:].T,
                                           W[:, :W.shape[0] // 4].T, b],
}


@pytest.mark.parametrize("mistake", WRONG_KERAS)
def test_wrong_keras_layouts_are_named(mistake):
    result = run(check_to_keras, WRONG_KERAS[mistake])
    assert not result and result.mistake == mistake, result.message


def onnx_with(rows_of, both=False, flat=False):
    def to_onnx(W, b):
        H = W.shape[0] // 4
        rows = rows_of(H)
        bias = b[rows, 0]
        arrays = (W[rows, H:], W[rows, :H],
                  np.concatenate([bias, bias if both else 0 * bias]))
        return arrays if flat else tuple(a[None] for a in arrays)
    return to_onnx


WRONG_ONNX = {
    "CS231n's order i, f, o, c": onnx_with(lambda H: np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]),
    "the course's order kept": onnx_with(lambda H: np.arange(4 * H)),
    "b in both halves of B": onnx_with(lambda H: np.r_[0:H, 3 * H:4 * H, H:3 * H], both=True),
    "no leading axis of 1": onnx_with(lambda H: np.r_[0:H, 3 * H:4 * H, H:3 * H], flat=True),
}


@pytest.mark.parametrize("mistake", WRONG_ONNX)
def test_wrong_onnx_layouts_are_named(mistake):
    result = run(check_to_onnx, WRONG_ONNX[mistake])
    assert not result and result.mistake == mistake, result.message


def test_predictions():
    assert run(check_torch_extra_count, 80)
    assert run(check_torch_extra_count, 160).mistake == "both biases counted as extra"
    assert run(check_torch_extra_count, 0).mistake == "the same count"
    assert not run(check_torch_extra_count, 81) and not run(check_torch_extra_count, None).attempted


def test_patching_the_package_cannot_fool_the_checkers(monkeypatch):
    wrong = WRONG_KERAS["not transposed"]
    monkeypatch.setattr(lstm_lesson.frameworks, "to_keras", wrong)
    assert not run(check_to_keras, wrong)


# -- ONNX adds B's two halves: any split of b between them is right -------------------

def onnx_split(first, second, rows_of=lambda H: np.r_[0:H, 3 * H:4 * H, H:3 * H]):
    """to_onnx with B = [first(b), second(b)], b's blocks taken in ``rows_of``'s order."""
    def to_onnx(W, b):
        H = W.shape[0] // 4
        rows = np.r_[0:H, 3 * H:4 * H, H:3 * H]
        bias = b[rows_of(H), 0]
        return W[rows, H:][None], W[rows, :H][None], np.concatenate(
            [first(bias), second(bias)])[None]
    return to_onnx


def _noise(bias):
    return np.random.default_rng(7).standard_normal(bias.shape)


@pytest.mark.parametrize("first, second", [
    (lambda b: b / 2, lambda b: b / 2),  # as ONNX Runtime runs it: the same outputs
    (lambda b: 0 * b, lambda b: b),
    (lambda b: b - _noise(b), _noise),  # any two halves that add up to b
], ids=["[b/2, b/2]", "[0, b]", "[b - r, r]"])
def test_any_B_whose_halves_add_up_to_b_passes(first, second):
    result = run(check_to_onnx, onnx_split(first, second))
    assert result, result.message
    assert result.message == "✓ check_to_onnx: all 5 cases pass."  # the book's line


def test_a_B_split_in_the_wrong_gate_order_or_shape_still_fails():
    course_order = onnx_split(lambda b: b / 2, lambda b: b / 2, lambda H: np.arange(4 * H))
    result = run(check_to_onnx, course_order)
    assert not result and result.mistake == "b left in the course's order", result.message
    assert "B differs; W, R are right" in result.message
    # W, R and b in the CS231n order, b split in halves: still that order's mistake.
    def cs231n_halves(W, b):
        H = W.shape[0] // 4
        rows = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
        bias = b[rows, 0]
        return W[rows, H:][None], W[rows, :H][None], np.concatenate([bias / 2, bias / 2])[None]
    result = run(check_to_onnx, cs231n_halves)
    assert not result and result.mistake == "CS231n's order i, f, o, c", result.message

    def flat_B(W, b):
        W_, R, B = onnx_split(lambda b: b / 2, lambda b: b / 2)(W, b)
        return W_, R, B[0]
    result = run(check_to_onnx, flat_B)
    assert not result and "B: shape (16,), expected shape (1, 16)" in result.message

    def short_B(W, b):  # b alone, (1, 4H): ONNX wants both halves
        W_, R, B = onnx_by_hand(W, b)
        return W_, R, B[:, :B.shape[1] // 2]
    assert not run(check_to_onnx, short_B)
    # Halves that do not add up to b: the bias counted twice is named.
    assert run(check_to_onnx, onnx_split(lambda b: b, lambda b: b)).mistake == \
        "b in both halves of B"


# -- Keras: a list, as the exercise says, or a tuple ----------------------------------

def test_keras_takes_a_list_or_a_tuple_and_says_so_in_the_exercises_words():
    assert run(check_to_keras, keras_by_hand)  # a list
    assert run(check_to_keras, lambda W, b: tuple(keras_by_hand(W, b)))
    for wrong, returned in [
        (lambda W, b: dict(zip(("kernel", "recurrent_kernel", "bias"),
                               keras_by_hand(W, b))), "returned a dict"),
        (lambda W, b: keras_by_hand(W, b)[:2], "returned a list of 2 values; expected 3"),
    ]:
        result = run(check_to_keras, wrong)
        assert not result and returned in result.message
        assert "a list [kernel, recurrent_kernel, bias] (a tuple of the 3 also does)" \
            in result.message
        assert "hint: End with `return [kernel, recurrent_kernel, bias]`." in result.message
        assert "expected a tuple" not in result.message


def test_kernel_and_recurrent_kernel_swapped_is_named():
    def swapped(W, b):
        kernel, recurrent_kernel, bias = keras_by_hand(W, b)
        return [recurrent_kernel, kernel, bias]
    result = run(check_to_keras, swapped)
    assert not result and result.mistake == "kernel and recurrent_kernel swapped", \
        result.message
    # Not the mistake of taking the wrong columns, which the catalogue names apart.
    assert run(check_to_keras, WRONG_KERAS["x and h columns swapped"]).mistake == \
        "x and h columns swapped"
