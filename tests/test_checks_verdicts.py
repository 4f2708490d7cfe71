"""Verdicts say exactly what is wrong: the right mistake, every output that differs,
nan and zero-expected values measured sensibly, harmless warnings left alone."""

import warnings

import numpy as np
import pytest

from lstm_lesson.checks import (check_bias_for_gate, check_cell_backward, check_fuse,
                                check_lstm_step, check_parameter_count, check_sequence_backward,
                                check_sigmoid)
from lstm_lesson.checks.bptt import _backward_cases
from lstm_lesson.checks.core import Case, run_check
from lstm_lesson.checks.pristine import backward, bptt, reference
from test_checks_tamper import RIGHT


# -- Dividing by the batch size is not dividing by T ----------------------------

def averaged(divide_by):
    """A reader's BPTT that divides dW and db by N or by T."""
    def sequence_backward(dhs, cache, dh_T, dc_T):
        dxs, dh0, dc0, dW, db = bptt.sequence_backward(dhs, cache, dh_T, dc_T)
        T, N = dhs.shape[0], dhs.shape[2]
        size = N if divide_by == "N" else T
        return dxs, dh0, dc0, dW / size, db / size
    return sequence_backward


def test_the_cases_tell_the_batch_size_and_T_apart():
    for case in _backward_cases():
        T, _, N = case.args[0].shape
        assert T == 1 or N == 1 or T != N, case.name
    assert any(case.args[0].shape[0] > 1 and case.args[0].shape[2] > 1 for case in _backward_cases())


@pytest.mark.parametrize("divide_by, mistake, said", [
    ("N", "gradients averaged over the batch", "divided by the batch size"),
    ("T", "dW averaged over time", "divided by the number of steps"),
])
def test_dividing_by_N_and_by_T_are_named_apart(divide_by, mistake, said):
    result = check_sequence_backward(averaged(divide_by))
    assert not result and result.mistake == mistake, result.message
    assert said in result.message
    assert check_sequence_backward(RIGHT["check_sequence_backward"])


# -- A correct count of any numeric type -------------------------------------------

@pytest.mark.parametrize("kind", [int, np.int32, np.int64, float, np.float64, np.float32])
def test_a_right_parameter_count_passes_whatever_its_number_type(kind):
    result = check_parameter_count(lambda D, H: kind(4 * H * (H + D + 1)))
    assert result, result.message


def test_a_wrong_count_still_fails_whatever_its_type():
    result = check_parameter_count(lambda D, H: 4 * H * (H + D + 1) + 0.5)
    assert not result and "values differ" in result.message
    result = check_parameter_count(lambda D, H: np.int32(4 * H * (H + D)))
    assert not result and result.mistake == "biases forgotten", result.message


# -- A formula right on paper that loses precision -----------------------------------

def test_the_arctanh_form_is_told_it_loses_precision_near_0():
    result = check_bias_for_gate(lambda p: 2 * np.arctanh(2 * p - 1), hint=2)
    assert not result and result.mistake == "precision lost near p = 0", result.message
    assert "right on paper" in result.message and "loses precision for p near 0" in result.message
    assert "Solve the sigmoid's equation" not in result.message
    assert "np.log1p(-p)" in result.message  # the stable form, on request
    assert check_bias_for_gate(lambda p: np.log(p) - np.log1p(-p))


# -- How many values, and which outputs ----------------------------------------------

@pytest.mark.parametrize("returned, said", [
    (lambda *args: (*reference.step(*args), None), "returned a tuple of 3 values; expected 2: (h_t, c_t)"),
    (lambda *args: [reference.step(*args)[0]], "returned a list of 1 value; expected 2: (h_t, c_t)"),
    (lambda *args: reference.step(*args)[0], "; expected a tuple (h_t, c_t)"),
])
def test_a_container_of_the_wrong_length_says_how_many(returned, said):
    result = check_lstm_step(returned)
    assert not result and said in result.message, result.message
    assert "hint: End with `return h_t, c_t`." in result.message


def wrong_do(dh_next, dc_next, cache):
    """A reader's step backward with do from c_t instead of tanh(c_t)."""
    da, dc_prev = backward.elementwise_backward(dh_next, dc_next, cache)
    H, o = dh_next.shape[0], cache["o"]
    da = np.vstack([da[:3 * H], dh_next * cache["c_t"] * o * (1 - o)])
    dx, dh_prev, dW, db = backward.linear_backward(da, cache)
    return dx, dh_prev, dc_prev, dW, db


def test_every_output_is_named_right_or_different():
    result = check_cell_backward(wrong_do)
    assert not result
    first, detail = result.message.splitlines()[:2]
    assert first.endswith(": dx, dh_prev, dW, db differ; dc_prev is right")
    assert detail == "    dx: values differ"
    assert "      expected: " in result.message and "      received: " in result.message


def test_one_output_differing_is_named_with_the_others_right():
    def dc_prev_doubled(dh_next, dc_next, cache):
        dx, dh_prev, dc_prev, dW, db = backward.cell_backward(dh_next, dc_next, cache)
        return dx, dh_prev, 2 * dc_prev, dW, db
    result = check_cell_backward(dc_prev_doubled)
    assert not result
    assert result.message.splitlines()[0].endswith(": dc_prev differs; dx, dh_prev, dW, db are right")
    assert "    dc_prev: values differ" in result.message


def test_a_single_output_keeps_the_short_form():
    result = run_check("check_double", lambda x: x * 3, lambda x: x * 2,
                       [Case("x", (np.array([1.0, 2.0]),))], quiet=True)
    assert result.message.splitlines()[0] == "✗ check_double: case 'x': values differ"


# -- Changed in place, also when the values are wrong ---------------------------------

def test_an_argument_changed_in_place_is_reported_with_wrong_values():
    def no_bias_in_place(x_t, h_prev, c_prev, p):
        z = np.vstack([h_prev, x_t])
        f, i, o = (1 / (1 + np.exp(-(p[f"W_{g}"] @ z))) for g in "fio")
        c_prev *= f  # overwrites the caller's state
        c_prev += i * np.tanh(p["W_c"] @ z)
        return o * np.tanh(c_prev), c_prev
    result = check_lstm_step(no_bias_in_place)
    assert not result and "h_t, c_t differ" in result.message
    assert "it also changed `c_prev` in place" in result.message
    assert result.mistake == "bias missing", result.message  # diagnosed by its values


def test_right_values_changed_in_place_keep_their_own_verdict():
    def in_place(x):
        x *= 2
        return x
    result = run_check("check_double", in_place, lambda x: x * 2,
                       [Case("x", (np.array([1.0, 2.0]),))], quiet=True)
    assert "correct values, but it changed `x` in place" in result.message
    assert "it also changed" not in result.message


# -- Warnings: only NumPy's floating-point ones fail an answer -------------------------

def test_a_deprecation_warning_does_not_fail_a_right_answer():
    def row_stacked(params):
        W = np.row_stack([params[f"W_{g}"] for g in "ifco"])
        return W, np.vstack([params[f"b_{g}"] for g in "ifco"])
    result = check_fuse(row_stacked)
    assert result, result.message
    assert "\n  note: your function warned (not counted against it): DeprecationWarning" in result.message


def test_a_user_warning_does_not_fail_a_right_answer():
    def chatty(x):
        warnings.warn("remember to test x = 0")
        return RIGHT["check_sigmoid"](x)
    result = check_sigmoid(chatty)
    assert result and result.message.splitlines() == [
        "✓ check_sigmoid: all 9 cases pass.",
        "  note: your function warned (not counted against it): UserWarning: remember to test x = 0",
    ]


def test_a_floating_point_warning_still_fails_right_values():
    def overflows_but_clips(x):
        e = np.exp(-np.asarray(x) * 1000)  # overflows, then is thrown away
        return RIGHT["check_sigmoid"](x) + 0 * np.minimum(e, 0)
    result = check_sigmoid(overflows_but_clips)
    assert not result and "correct values, but NumPy warned: RuntimeWarning: overflow" in result.message


# -- nan and expected zeros --------------------------------------------------------

def test_nan_results_are_counted_and_located_never_measured_as_zero():
    result = run_check("check_copy", lambda x: np.full(x.shape, np.nan), lambda x: x,
                       [Case("x", (np.arange(6.0).reshape(2, 3),))], quiet=True)
    assert "nan or inf where numbers are expected: 6 of 6 values are nan (at [0, 0], [0, 1], [0, 2], [1, 0], ...)" in result.message
    assert "0.00e+00" not in result.message and "largest difference" not in result.message


def test_nan_and_inf_among_numbers():
    result = run_check("check_copy", lambda x: np.array([np.nan, np.inf, 2.0, 3.5]), lambda x: x,
                       [Case("x", (np.arange(4.0),))], quiet=True)
    assert "1 of 4 values is nan (at [0]), 1 is inf (at [1])" in result.message
    assert "largest difference among the finite values: 5.00e-01 absolute, 1.67e-01 relative" in result.message


def test_the_relative_difference_skips_expected_zeros():
    result = run_check("check_zero", lambda x: x + 0.1, lambda x: 0 * x,
                       [Case("x", (np.arange(3.0),))], quiet=True)
    assert "largest difference: 2.10e+00 absolute, relative n/a (every expected value is 0)" in result.message
    result = run_check("check_half", lambda x: x + 1, lambda x: x * [0, 1],
                       [Case("x", (np.array([2.0, 4.0]),))], quiet=True)
    assert "largest difference: 3.00e+00 absolute, 2.50e-01 relative" in result.message
    assert "e+29" not in result.message
