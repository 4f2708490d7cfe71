"""Checkers of chapters 3, 4 and 6 (the gates) accept right answers and explain
typical wrong ones, each written as a reader would write it."""

import numpy as np
import pytest

from lstm_lesson import gates
from lstm_lesson.activations import logit
from lstm_lesson.checks import (check_bias_for_gate, check_candidate, check_forget_gate,
                                check_input_gate, check_output_gate)

CHECKERS = {"f": check_forget_gate, "i": check_input_gate, "c": check_candidate, "o": check_output_gate}
SIGMOID = lambda a: 0.5 * (1 + np.tanh(a / 2))  # a reader's stable sigmoid


def readers_gate(gate, *, order="hx", act=None, bias=True, transpose=False, product="matmul",
                 rows=False, naive=False):
    """A reader's gate with switches for the usual slips."""
    if act is None:
        act = np.tanh if gate == "c" else SIGMOID
    if naive:
        act = lambda a: 1.0 / (1.0 + np.exp(-a))

    def fn(x_t, h_prev, W, b):
        z = np.concatenate((h_prev, x_t) if order == "hx" else (x_t, h_prev), axis=0)
        if rows:
            return act(np.dot(z.T, W.T) + (b.T if bias else 0))
        W_used = W.T if transpose else W
        pre = np.dot(W_used, z) if product == "matmul" else W_used * z
        return act(pre + b if bias else pre)

    return fn


@pytest.mark.parametrize("gate", CHECKERS)
def test_accept_the_package_and_a_readers_gate(gate, capsys):
    reference = {"f": gates.forget_gate, "i": gates.input_gate, "c": gates.candidate, "o": gates.output_gate}
    assert CHECKERS[gate](reference[gate])
    assert CHECKERS[gate](readers_gate(gate))
    assert capsys.readouterr().out.endswith("all 6 cases pass.\n")


SLIPS = {
    "[x, h] instead of [h, x]": dict(order="xh"),
    "bias missing": dict(bias=False),
    "W transposed": dict(transpose=True),
    "elementwise product instead of matrix product": dict(product="elementwise"),
    "row vectors instead of columns": dict(rows=True),
}


@pytest.mark.parametrize("gate", CHECKERS)
@pytest.mark.parametrize("slip", SLIPS)
def test_reject_slips_with_their_own_hint(gate, slip):
    result = CHECKERS[gate](readers_gate(gate, **SLIPS[slip]))
    assert not result
    assert result.mistake == slip, result.message
    assert "hint: " in result.message


@pytest.mark.parametrize("gate", CHECKERS)
def test_the_wrong_squashing_function_is_named(gate):
    wrong = SIGMOID if gate == "c" else np.tanh
    result = CHECKERS[gate](readers_gate(gate, act=wrong))
    expected = "sigmoid instead of tanh" if gate == "c" else "tanh instead of sigmoid"
    assert not result and result.mistake == expected, result.message
    assert ("uses tanh" if gate == "c" else "uses sigmoid") in result.message


@pytest.mark.parametrize("gate", ["f", "i", "o"])
def test_the_textbook_sigmoid_overflows_on_a_shut_gate(gate):
    result = CHECKERS[gate](readers_gate(gate, naive=True))
    assert not result and result.mistake == "unstable sigmoid", result.message
    assert "NumPy warned: RuntimeWarning: overflow" in result.message
    assert ("bias -1000" in result.message) or ("saturating" in result.message)


def test_hints_name_the_gates_own_parameters():
    result = check_output_gate(readers_gate("o", bias=False))
    assert "b_o does not appear" in result.message and "W_o @ z + b_o" not in result.message
    result = check_output_gate(readers_gate("o", bias=False), hint=2)
    assert "W_o @ z + b_o" in result.message
    result = check_candidate(readers_gate("c", transpose=True))
    assert "W_c has shape (H, H + D)" in result.message


def test_a_stub_and_an_exception_are_reported_without_a_traceback():
    def stub(x_t, h_prev, W_f, b_f):
        raise NotImplementedError
    result = check_forget_gate(stub)
    assert not result and not result.attempted and "not attempted yet" in result.message
    result = check_forget_gate(lambda x_t, h_prev, W_f, b_f: W_f @ x_t)
    assert not result and "raised ValueError" in result.message and "Traceback" not in result.message


def test_bias_for_gate_accepts_right_answers():
    assert check_bias_for_gate(logit)
    assert check_bias_for_gate(lambda p: np.log(p / (1 - p)))
    assert check_bias_for_gate(lambda p: -np.log(1 / np.asarray(p) - 1))


BIAS_SLIPS = {
    "log(p)": lambda p: np.log(p),
    "sign flipped": lambda p: np.log(1 - p) - np.log(p),
    "returned p": lambda p: p * 1.0,
    "log10": lambda p: np.log10(p) - np.log10(1 - p),
    "inverse tanh": lambda p: 0.5 * np.log((1 + p) / (1 - p)),
}


@pytest.mark.parametrize("slip", BIAS_SLIPS)
def test_bias_for_gate_rejects_slips(slip):
    result = check_bias_for_gate(BIAS_SLIPS[slip])
    assert not result and result.mistake == slip, result.message


def test_bias_for_gate_generic_hint_for_an_unknown_mistake():
    result = check_bias_for_gate(lambda p: 2 * p - 1)
    assert not result and result.mistake is None and "sigmoid(your_b)" in result.message


def test_candidate_bias_for_accepts_and_rejects():
    from lstm_lesson.checks import check_candidate_bias_for
    gate = lambda b: 1 / (1 + np.exp(-b))
    assert check_candidate_bias_for(lambda write, b_i: np.arctanh(write / gate(b_i)))
    assert check_candidate_bias_for(lambda write, b_i: 0.5 * np.log((gate(b_i) + write) / (gate(b_i) - write)))
    slips = {
        "input gate ignored": lambda write, b_i: 0.5 * np.log((1 + write) / (1 - write)),
        "tanh not inverted": lambda write, b_i: write * (1 + np.exp(-b_i)),
        "multiplied by the gate": lambda write, b_i: np.arctanh(write * gate(b_i)),
        "b_i used as the gate value": lambda write, b_i: np.arctanh(write / b_i),
        "logit instead of arctanh": lambda write, b_i: np.log((write / gate(b_i)) / (1 - write / gate(b_i))),
        "sign flipped": lambda write, b_i: np.arctanh(-write / gate(b_i)),
    }
    for slip, fn in slips.items():
        result = check_candidate_bias_for(fn)
        assert not result and result.mistake == slip, (slip, result.message)


# -- Chapter 4: the write i_t * c~_t, and a prediction of it ---------------------


def readers_write(*, gate_act=SIGMOID, proposal_act=np.tanh, order="hx", combine="times",
                  swap=False, gated=True):
    """A reader's write ``i_t * c~_t``, with switches for the usual slips."""

    def fn(x_t, h_prev, W_i, b_i, W_c, b_c):
        z = np.concatenate((h_prev, x_t) if order == "hx" else (x_t, h_prev), axis=0)
        if swap:
            W_i, b_i, W_c, b_c = W_c, b_c, W_i, b_i
        i_t, c_tilde = gate_act(np.dot(W_i, z) + b_i), proposal_act(np.dot(W_c, z) + b_c)
        if not gated:
            return c_tilde
        if combine == "plus":
            return i_t + c_tilde
        return i_t @ c_tilde if combine == "matmul" else i_t * c_tilde

    return fn


def test_write_accepts_the_package_and_a_readers_answer():
    from lstm_lesson.checks import check_write
    assert check_write(lambda x_t, h_prev, W_i, b_i, W_c, b_c: (
        gates.input_gate(x_t, h_prev, W_i, b_i) * gates.candidate(x_t, h_prev, W_c, b_c)))
    assert check_write(readers_write())


WRITE_SLIPS = {
    "sigmoid for the candidate": dict(proposal_act=SIGMOID),
    "tanh for the gate": dict(gate_act=np.tanh),
    "input gate missing": dict(gated=False),
    "gate added to the candidate": dict(combine="plus"),
    "matrix product instead of elementwise": dict(combine="matmul"),
    "weights of the gate and the candidate swapped": dict(swap=True),
    "[x, h] instead of [h, x]": dict(order="xh"),
    "unstable sigmoid": dict(gate_act=lambda a: 1 / (1 + np.exp(-a))),
}


@pytest.mark.parametrize("slip", WRITE_SLIPS)
def test_write_rejects_slips(slip):
    from lstm_lesson.checks import check_write
    result = check_write(readers_write(**WRITE_SLIPS[slip]))
    assert not result and result.mistake == slip, result.message


def test_the_chapters_buggy_write_is_named():
    # Chapter 4's find-the-bug: the candidate squashed by the sigmoid.
    from lstm_lesson.activations import sigmoid
    from lstm_lesson.checks import check_write

    def buggy_write(x_t, h_prev, W_i, b_i, W_c, b_c):
        z = np.vstack([h_prev, x_t])
        return sigmoid(W_i @ z + b_i) * sigmoid(W_c @ z + b_c)
    result = check_write(buggy_write)
    assert not result and result.mistake == "sigmoid for the candidate"
    assert "Every write of yours is positive" in result.message


def test_fresh_write_prediction():
    from lstm_lesson.checks import check_fresh_write
    assert check_fresh_write(-0.67) and check_fresh_write(-0.6708)
    readers = {  # what a reader might write, and the misunderstanding it shows
        "input gate left out": np.tanh(-1),
        "sigmoid for the candidate": 0.88 * 0.27,
        "tanh for the gate": np.tanh(2) * np.tanh(-1),
        "the gate alone": 0.88,
        "sign flipped": 0.67,
        "zero weights read as a zero write": 0,
        "gate added to the candidate": 0.119,
    }
    for name, answer in readers.items():
        result = check_fresh_write(answer)
        assert not result and result.mistake == name, (name, result.message)
        assert "-0.6708" not in result.message
    result = check_fresh_write(0.5)
    assert not result and result.mistake is None and "hint: " in result.message
    assert not check_fresh_write(None).attempted


# -- Chapter 3, predict: the gate with its weights at zero -----------------------

def test_zero_weight_gate_prediction():
    from lstm_lesson.checks import check_zero_weight_gate
    assert check_zero_weight_gate(0.88) and check_zero_weight_gate(1 / (1 + np.exp(-2)))
    for answer, name in [(1.0, "saturated by the input"), (2, "the pre-activation"),
                         (0.5, "bias forgotten")]:
        result = check_zero_weight_gate(answer)
        assert not result and result.mistake == name and "0.88" not in result.message
    result = check_zero_weight_gate(0.73)  # sigma(1): not catalogued
    assert not result and result.mistake is None


# -- Chapter 3, find the bug: weights for [x_t, h_{t-1}] reordered h first -------

def readers_to_h_first(W_xh, H):
    D = W_xh.shape[1] - H
    return np.concatenate([W_xh[:, D:], W_xh[:, :D]], axis=1)


def test_to_h_first_accepts_right_answers():
    from lstm_lesson.checks import check_to_h_first
    assert check_to_h_first(readers_to_h_first)
    assert check_to_h_first(lambda W_xh, H: np.roll(W_xh, H, axis=1))


TO_H_FIRST_WRONG = {
    "split at H instead of D": lambda W_xh, H: np.concatenate([W_xh[:, H:], W_xh[:, :H]], axis=1),
    "nothing moved": lambda W_xh, H: np.array(W_xh),
    "columns reversed": lambda W_xh, H: np.flip(W_xh, axis=1),
    "transposed": lambda W_xh, H: np.transpose(W_xh),
}


@pytest.mark.parametrize("mistake", TO_H_FIRST_WRONG)
def test_to_h_first_rejects_typical_mistakes(mistake):
    from lstm_lesson.checks import check_to_h_first
    result = check_to_h_first(TO_H_FIRST_WRONG[mistake])
    assert not result and result.mistake == mistake, result.message


def test_the_chapters_buggy_conversion_is_right_only_when_h_equals_d():
    # Chapter 3's exercise says the colleague's test, with H = D, passed.
    from lstm_lesson.checks.gates import _to_h_first
    buggy = TO_H_FIRST_WRONG["split at H instead of D"]
    W = np.random.default_rng(0).standard_normal((3, 6))
    assert np.array_equal(buggy(W, 3), _to_h_first(W, 3))
    W = np.random.default_rng(1).standard_normal((3, 5))
    assert not np.array_equal(buggy(W, 3), _to_h_first(W, 3))
