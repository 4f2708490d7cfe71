"""Checkers of chapters 5 and 6 (cell state, forget bias, hidden state, state update)
accept right answers and explain wrong ones written as a reader would."""

import numpy as np
import pytest

from lstm_lesson import cell_state as cs
from lstm_lesson.checks import (check_cell_state, check_forget_bias_for, check_hidden_state,
                                check_state_update)
from lstm_lesson.hidden_state import hidden_state


def test_cell_state_accepts_right_answers():
    assert check_cell_state(cs.cell_state)
    assert check_cell_state(lambda f, i, c_tilde, c_prev: np.multiply(f, c_prev) + np.multiply(i, c_tilde))


CELL_SLIPS = {
    "matrix product instead of elementwise": lambda f, i, c_tilde, c_prev: np.dot(f, c_prev) + np.dot(i, c_tilde),
    "f and i swapped": lambda f, i, c_tilde, c_prev: i * c_prev + f * c_tilde,
    "forget gate missing": lambda f, i, c_tilde, c_prev: c_prev + i * c_tilde,
    "input gate missing": lambda f, i, c_tilde, c_prev: c_tilde + f * c_prev,
}


@pytest.mark.parametrize("slip", CELL_SLIPS)
def test_cell_state_rejects_slips(slip):
    result = check_cell_state(CELL_SLIPS[slip])
    assert not result and result.mistake == slip, result.message


def test_matrix_product_on_square_gates_is_caught_by_value():
    # H = N = 3: f @ c_prev runs without an error; the values give it away.
    def square_only(f, i, c_tilde, c_prev):
        if f.shape[0] == f.shape[1]:
            return f @ c_prev + i @ c_tilde
        return f * c_prev + i * c_tilde
    result = check_cell_state(square_only)
    assert not result and result.case == "H=3, N=3"
    assert result.mistake == "matrix product instead of elementwise"


def test_cell_state_in_place_update_is_reported():
    def in_place(f, i, c_tilde, c_prev):
        c_prev *= f
        c_prev += i * c_tilde
        return c_prev
    result = check_cell_state(in_place)
    assert not result and "changed `c_prev` in place" in result.message


def test_forget_bias_for_accepts_right_answers(capsys):
    assert check_forget_bias_for(cs.forget_bias_for)
    per_step = lambda fraction, steps: np.asarray(fraction) ** (1.0 / steps)
    assert check_forget_bias_for(lambda fraction, steps: np.log(per_step(fraction, steps) / (1 - per_step(fraction, steps))))
    assert "all 4 cases pass" in capsys.readouterr().out


def _logit(p):
    return np.log(p / (1 - p))


FORGET_SLIPS = {
    "fraction^steps instead of fraction^(1/steps)": lambda fraction, steps: _logit(fraction ** steps),
    "steps ignored": lambda fraction, steps: _logit(fraction),
    "logit missing": lambda fraction, steps: np.power(fraction, 1 / steps),
    "log instead of logit": lambda fraction, steps: np.log(fraction) / steps,
    "logit divided by steps": lambda fraction, steps: np.log(fraction / (1 - fraction)) / steps,
}


@pytest.mark.parametrize("slip", FORGET_SLIPS)
def test_forget_bias_for_rejects_slips(slip):
    result = check_forget_bias_for(FORGET_SLIPS[slip])
    assert not result and result.mistake == slip, result.message
    assert result.case == "90% after 10 steps" or slip == "steps ignored"


def test_hidden_state_accepts_and_rejects():
    assert check_hidden_state(hidden_state)
    assert check_hidden_state(lambda o, c_t: o * np.tanh(c_t))
    slips = {
        "tanh missing in h_t": lambda o, c_t: o * c_t,
        "sigmoid instead of tanh on c_t": lambda o, c_t: o / (1 + np.exp(-c_t)),
        "matrix product instead of elementwise": lambda o, c_t: np.dot(o, np.tanh(c_t)),
        "tanh of the product": lambda o, c_t: np.tanh(o * c_t),
    }
    for slip, fn in slips.items():
        result = check_hidden_state(fn)
        assert not result and result.mistake == slip, (slip, result.message)


def readers_update(f, i, c_tilde, o, c_prev, *, h_from="new", squash=True, swap=False, matmul=False, swap_gates=False):
    keep, write = (i, f) if swap_gates else (f, i)
    c_t = keep @ c_prev + write @ c_tilde if matmul else keep * c_prev + write * c_tilde
    h_t = o * (np.tanh(c_t if h_from == "new" else c_prev) if squash else c_t)
    return (c_t, h_t) if swap else (h_t, c_t)


UPDATE_SLIPS = {
    "c_{t-1} in h_t": dict(h_from="old"),
    "tanh missing in h_t": dict(squash=False),
    "matrix product instead of elementwise": dict(matmul=True),
    "f and i swapped": dict(swap_gates=True),
    "outputs swapped": dict(swap=True),
}


def test_state_update_accepts_a_readers_answer():
    assert check_state_update(readers_update)


@pytest.mark.parametrize("slip", UPDATE_SLIPS)
def test_state_update_rejects_slips(slip):
    result = check_state_update(lambda *args: readers_update(*args, **UPDATE_SLIPS[slip]))
    assert not result and result.mistake == slip, result.message
    if slip == "c_{t-1} in h_t":
        assert "uses the new cell state c_t" in result.message


def test_cell_state_for_accepts_and_rejects():
    from lstm_lesson.checks import check_cell_state_for
    assert check_cell_state_for(lambda h, o: np.arctanh(h / o))
    assert check_cell_state_for(lambda h, o: 0.5 * np.log((o + h) / (o - h)))
    slips = {
        "output gate ignored": lambda h, o: np.arctanh(h),
        "tanh not inverted": lambda h, o: np.divide(h, o),
        "multiplied by the gate": lambda h, o: np.arctanh(o * h),
        "gate applied after inverting": lambda h, o: 0.5 * np.log((1 + h) / (1 - h)) / o,
    }
    for slip, fn in slips.items():
        result = check_cell_state_for(fn)
        assert not result and result.mistake == slip, (slip, result.message)


# -- Chapter 5's further exercises ---------------------------------------------------


def readers_jacobian(f, *, slip=None):
    """A reader's ``cell_state_jacobian``: a loop over the examples, with a slip."""
    H, N = f.shape
    if slip == "batch axis last":
        return np.einsum("jn,jk->jkn", f, np.eye(H))
    if slip == "one example only":
        return np.diag(f[:, 0])
    J = np.zeros((N, H, H))
    for n in range(N):
        if slip == "row instead of column":
            J[n] = np.diag(f[n, :])
        elif slip == "identity instead of diag(f)":
            J[n] = np.eye(H)
        elif slip == "every entry filled":
            J[n, :, :] = f[:, n]
        elif slip == "gate derivative instead of gate value":
            J[n] = np.diag(f[:, n] - f[:, n] ** 2)
        else:
            J[n] = np.diag(f[:, n])
    return J


def test_cell_state_jacobian_accepts_right_answers():
    from lstm_lesson.checks import check_cell_state_jacobian
    assert check_cell_state_jacobian(cs.cell_state_jacobian)
    assert check_cell_state_jacobian(readers_jacobian)
    assert check_cell_state_jacobian(lambda f: np.einsum("jn,jk->njk", f, np.eye(len(f))))


@pytest.mark.parametrize("slip", ["row instead of column", "one example only",
                                  "identity instead of diag(f)", "every entry filled",
                                  "batch axis last", "gate derivative instead of gate value"])
def test_cell_state_jacobian_rejects_slips(slip):
    from lstm_lesson.checks import check_cell_state_jacobian
    result = check_cell_state_jacobian(lambda f: readers_jacobian(f, slip=slip))
    assert not result and result.mistake == slip, result.message


def test_the_chapters_buggy_jacobian_is_named():
    # Chapter 5's find-the-bug: row n of f taken as example n.
    from lstm_lesson.checks import check_cell_state_jacobian

    def buggy_cell_state_jacobian(f):
        H, N = f.shape
        J = np.zeros((N, H, H))
        for n in range(N):
            J[n] = np.diag(f[n])
        return J
    result = check_cell_state_jacobian(buggy_cell_state_jacobian)
    assert not result and result.mistake == "row instead of column"
    assert "column n of f" in result.message


COUPLED_SLIPS = {
    "the two gates swapped": lambda f, c_tilde, c_prev: (1 - f) * c_prev + f * c_tilde,
    "forget gate on the candidate too": lambda f, c_tilde, c_prev: f * (c_prev + c_tilde),
    "parentheses missing": lambda f, c_tilde, c_prev: f * c_prev + 1 - f * c_tilde,
    "candidate written whole": lambda f, c_tilde, c_prev: c_tilde + f * c_prev,
    "matrix product instead of elementwise": lambda f, c_tilde, c_prev: (
        f @ c_prev + (1 - f) @ c_tilde),
}


def test_coupled_cell_state_accepts_right_answers():
    from lstm_lesson.checks import check_coupled_cell_state
    assert check_coupled_cell_state(lambda f, c_tilde, c_prev: f * c_prev + (1 - f) * c_tilde)
    assert check_coupled_cell_state(lambda f, c_tilde, c_prev: c_tilde + f * (c_prev - c_tilde))
    assert check_coupled_cell_state(lambda f, c_tilde, c_prev: cs.cell_state(f, 1 - f, c_tilde, c_prev))


@pytest.mark.parametrize("slip", COUPLED_SLIPS)
def test_coupled_cell_state_rejects_slips(slip):
    from lstm_lesson.checks import check_coupled_cell_state
    result = check_coupled_cell_state(COUPLED_SLIPS[slip])
    assert not result and result.mistake == slip, result.message


def test_fading_memory_prediction():
    from lstm_lesson.checks import check_fading_memory
    sigma_2 = 1 / (1 + np.exp(-2))
    assert check_fading_memory(1.37) and check_fading_memory(2 * sigma_2 ** 3)
    readers = {
        "one step only": 1.76,
        "nothing forgotten": 2,
        "the fraction, not the memory": 0.683,
        "a fixed amount lost per step": 2 - 3 * 2 * (1 - sigma_2),
        "the forgotten fraction kept": 2 * 0.119 ** 3,
        "the bias as the gate": 16,
    }
    for name, answer in readers.items():
        result = check_fading_memory(answer)
        assert not result and result.mistake == name, (name, result.message)
        assert "1.367" not in result.message
    assert "1.367" in check_fading_memory(16, hint=2).message
    result = check_fading_memory(1.0)
    assert not result and result.mistake is None
