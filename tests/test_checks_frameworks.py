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
