"""check_lstm_step accepts the reference cell's step and explains typical slips."""

import numpy as np
import pytest

from lstm_lesson.activations import sigmoid
from lstm_lesson.checks import check_batch_shape, check_fixed_step, check_lstm_step
from lstm_lesson.reference import step


def written_step(x_t, h_prev, c_prev, p, *, order="hx", cand=np.tanh, bias=True,
                 transpose=False, h_uses="c_t", squash_h=True, product="elementwise",
                 gate=sigmoid, swap=False, in_place=False, gated=True):
    """A reader's step, with switches for the slips readers make."""
    z = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev])
    lin = {}
    for g in "fico":
        W = p["W_" + g].T if transpose else p["W_" + g]
        lin[g] = np.dot(W, z) + (p["b_" + g] if bias else 0.0)
    f, i, o = gate(lin["f"]), gate(lin["i"]), gate(lin["o"])
    g = cand(lin["c"])
    if in_place:
        c_prev *= f
        c_prev += i * g
        c = c_prev
    elif product == "elementwise":
        c = f * c_prev + i * g
    else:
        c = np.dot(f, c_prev) + np.dot(i, g)
    src = c if h_uses == "c_t" else c_prev
    h = (o if gated else 1) * (np.tanh(src) if squash_h else src)
    return (c, h) if swap else (h, c)


def test_accepts_the_reference_and_a_readers_correct_step():
    assert check_lstm_step(step)
    assert check_lstm_step(written_step)


WRONG = {
    "[x, h] instead of [h, x]": dict(order="xh"),
    "sigmoid for the candidate": dict(cand=sigmoid),
    "bias missing": dict(bias=False),
    "W transposed": dict(transpose=True),
    "c_{t-1} in h_t": dict(h_uses="c_prev"),
    "tanh missing in h_t": dict(squash_h=False),
    "matrix product instead of elementwise": dict(product="matrix"),
    "outputs swapped": dict(swap=True),
    "unstable sigmoid in the gates": dict(gate=lambda a: 1 / (1 + np.exp(-a))),
}


@pytest.mark.parametrize("mistake", WRONG)
def test_rejects_typical_slips_with_their_own_hint(mistake):
    result = check_lstm_step(lambda *args: written_step(*args, **WRONG[mistake]))
    assert not result
    assert result.mistake == mistake, result.message


def test_updating_c_prev_in_place_is_caught():
    result = check_lstm_step(lambda *args: written_step(*args, in_place=True))
    assert not result and "changed `c_prev` in place" in result.message
    assert result.mistake is None and "hint: Leave c_prev as it was" in result.message
    assert "c_t = f * c_prev" not in result.message  # no code in the first tier


def test_returning_a_dict_gets_a_return_hint():
    result = check_lstm_step(lambda *args: dict(zip("hc", step(*args))))
    assert not result and "returned a dict; expected a tuple (h_t, c_t)" in result.message
    assert "hint: End with `return h_t, c_t`." in result.message


def test_hints_are_distinct():
    from lstm_lesson.checks.lstm_step import LSTM_STEP_MISTAKES
    hints = [m.hint for m in LSTM_STEP_MISTAKES]
    assert len(set(hints)) == len(hints) >= 9


def test_wrong_return_shape_and_arity(capsys):
    result = check_lstm_step(lambda x, h, c, p: step(x, h, c, p)[0])
    assert not result and "expected a tuple (h_t, c_t)" in result.message
    result = check_lstm_step(lambda x, h, c, p: tuple(a.ravel() for a in step(x, h, c, p)))
    assert not result and "h_t: shape (2,), expected shape (2, 1)" in result.message


# -- Chapter 1, find the bug: the step whose h_t reads c_{t-1} -------------------


def test_fixed_step_accepts_a_repair():
    assert check_fixed_step(written_step)
    assert check_fixed_step(step)


FIXED_STEP_WRONG = {
    "bug still there: c_{t-1} in h_t": dict(h_uses="c_prev"),
    "tanh removed instead": dict(squash_h=False),
    "output gate removed": dict(gated=False),
    "outputs swapped": dict(swap=True),
}


@pytest.mark.parametrize("mistake", FIXED_STEP_WRONG)
def test_fixed_step_names_each_slip(mistake):
    result = check_fixed_step(lambda *args: written_step(*args, **FIXED_STEP_WRONG[mistake]))
    assert not result and result.mistake == mistake, result.message
    assert "more help: check_fixed_step(your_function, hint=2)" in result.message


def test_fixed_step_generic_hint_for_another_slip():
    result = check_fixed_step(lambda *args: tuple(2 * a for a in written_step(*args)))
    assert not result and result.mistake is None
    assert "hint: Change only the line with the bug" in result.message


# -- Chapter 1, predict: the shape of h_t for a batch ----------------------------

def test_batch_shape_right_and_typical_wrong_predictions():
    assert check_batch_shape((2, 5)) and check_batch_shape([2, 5])
    assert not check_batch_shape(None).attempted
    for answer, name in [((5, 2), "one row per example"), ((3, 5), "the input's size"),
                         ((2, 1), "one example"), ((5, 5), "the stacked input"),
                         ((8, 5), "the four gates stacked")]:
        result = check_batch_shape(answer)
        assert not result and result.mistake == name, result.message
        assert "(2, 5)" not in result.message
    result = check_batch_shape((2, 3))
    assert not result and result.mistake is None and "Follow the shapes" in result.message
    assert "The code gives (2, 5)." in check_batch_shape((2, 3), hint=2).message
