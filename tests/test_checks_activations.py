"""Checkers of chapter 2 accept right answers and explain typical wrong ones.

Each wrong answer below is written as a reader would write it (not taken from
the checker's own catalogue); the test asserts the checker rejects it and
names the mistake it matches.
"""

import numpy as np
import pytest

from lstm_lesson.checks import check_sigmoid, check_sigmoid_derivative, check_tanh_derivative


def stable_sigmoid(x):
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def test_checkers_accept_the_package_reference():
    from lstm_lesson import activations
    assert check_sigmoid(activations.sigmoid)
    assert check_sigmoid_derivative(activations.sigmoid_derivative)
    assert check_tanh_derivative(activations.tanh_derivative)


def scalar_style_sigmoid(x):
    if x >= 0:  # fine for one number, ambiguous for an array
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def test_sigmoid_accepts_right_answers(capsys):
    assert check_sigmoid(stable_sigmoid)
    assert capsys.readouterr().out == "✓ check_sigmoid: all 9 cases pass.\n"

    def via_logaddexp(x):  # another correct route: exp(-log(1 + e^-x))
        x = np.asarray(x)
        return np.exp(-np.logaddexp(0, -x)).astype(x.dtype)
    assert check_sigmoid(via_logaddexp, )


SIGMOID_WRONG = {
    "naive formula": lambda x: 1 / (1 + np.exp(-x)),
    "sign of the exponent": lambda x: 1 / (1 + np.exp(np.clip(x, -500, 500))),
    "np.where evaluates both branches": lambda x: np.where(x < 0, np.exp(x) / (np.exp(x) + 1), 1 / (1 + np.exp(-x))),
    "exp(x) / (1 + exp(x)) everywhere": lambda x: np.exp(x) / (np.exp(x) + 1),
    "float32 promoted to float64": lambda x: stable_sigmoid(np.float64(1.0) * np.asarray(x, dtype=float)),
    "tanh form loses the tails": lambda x: (1 + np.tanh(x / 2)) / 2,
    "Python if on an array": scalar_style_sigmoid,
}


@pytest.mark.parametrize("mistake", SIGMOID_WRONG)
def test_sigmoid_rejects_typical_mistakes_with_their_hint(mistake, capsys):
    result = check_sigmoid(SIGMOID_WRONG[mistake])
    assert not result and result.attempted
    assert result.mistake == mistake
    out = capsys.readouterr().out
    assert out.startswith("✗ check_sigmoid: case ") and "\n  hint: " in out
    assert "Traceback" not in out


def test_sigmoid_unknown_mistake_gets_the_general_hint():
    result = check_sigmoid(lambda x: np.clip(0.5 + x / 4, 0, 1))  # a linear approximation
    assert not result and result.mistake is None
    assert "hint: Try your function at 0, 1000 and -1000" in result.message
    assert "sigma(x) = 1 / (1 + exp(-x))" not in result.message
    result = check_sigmoid(lambda x: np.clip(0.5 + x / 4, 0, 1), hint=2)
    assert "fix: sigma(x) = 1 / (1 + exp(-x))" in result.message


def test_derivatives_accept_right_answers():
    assert check_sigmoid_derivative(lambda x: stable_sigmoid(x) * (1 - stable_sigmoid(x)))
    assert check_tanh_derivative(lambda x: 1 - np.tanh(x) ** 2)
    assert check_tanh_derivative(lambda x: 1 - np.tanh(np.asarray(x, dtype=np.float64)) ** 2)  # float64 for float32 input is fine


SIGMOID_DERIVATIVE_WRONG = {
    "formula applied to x": lambda x: x * (1 - x),
    "tanh's form": lambda x: 1 - stable_sigmoid(x) ** 2,
    "sigma itself": stable_sigmoid,
    "unstable quotient": lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
}


@pytest.mark.parametrize("mistake", SIGMOID_DERIVATIVE_WRONG)
def test_sigmoid_derivative_rejects_typical_mistakes(mistake):
    result = check_sigmoid_derivative(SIGMOID_DERIVATIVE_WRONG[mistake])
    assert not result and result.mistake == mistake


TANH_DERIVATIVE_WRONG = {
    "formula applied to x": lambda x: 1 - np.square(x),
    "square missing": lambda x: 1 - np.tanh(x),
    "sigmoid's form": lambda x: np.tanh(x) - np.tanh(x) ** 2,
    "cosh overflows": lambda x: np.cosh(x) ** -2.0,
}


@pytest.mark.parametrize("mistake", TANH_DERIVATIVE_WRONG)
def test_tanh_derivative_rejects_typical_mistakes(mistake):
    result = check_tanh_derivative(TANH_DERIVATIVE_WRONG[mistake])
    assert not result and result.mistake == mistake


# -- Chapter 2, predict: where the textbook sigmoid returns exactly 0 ------------

def test_naive_zero_prediction():
    from lstm_lesson.checks import check_naive_zero
    assert check_naive_zero("float32") and check_naive_zero(" Float32")
    for word in ("float64", "both", "neither"):
        result = check_naive_zero(word)
        assert not result and result.mistake == word and "float32" not in result.message
    result = check_naive_zero(0.0)  # a number, not one of the four words
    assert not result and result.mistake is None and "Write one of the words" in result.message


# -- Chapter 2, find the bug: the log of the stable sigmoid ----------------------

def readers_log_sigmoid(x):
    """A right repair: log sigma(x) = -softplus(-x), through np.logaddexp."""
    return -np.logaddexp(0, -np.asarray(x))


def test_log_sigmoid_accepts_right_answers():
    from lstm_lesson.checks import check_log_sigmoid
    assert check_log_sigmoid(readers_log_sigmoid)
    assert check_log_sigmoid(lambda x: np.where(x < 0, x, 0) - np.log1p(np.exp(-np.abs(x))))


LOG_SIGMOID_WRONG = {
    "log of the sigmoid": lambda x: np.log(stable_sigmoid(x)),
    "textbook formula": lambda x: -np.log(np.exp(-x) + 1),
    "np.where evaluates both branches": lambda x: np.where(
        x < 0, x - np.log1p(np.exp(x)), -np.log1p(np.exp(-x))),
    "log instead of log1p": lambda x: np.where(x < 0, x, 0) - np.log(np.exp(-np.abs(x)) + 1),
    "log(1 - sigma(x))": lambda x: -np.logaddexp(0, np.asarray(x)),
    "maximum instead of minimum": lambda x: np.where(x > 0, x, 0) - np.log1p(np.exp(-np.abs(x))),
    "float32 promoted to float64": lambda x: -np.logaddexp(0.0, -np.asarray(x, dtype=np.float64)),
}


@pytest.mark.parametrize("mistake", LOG_SIGMOID_WRONG)
def test_log_sigmoid_rejects_typical_mistakes(mistake):
    from lstm_lesson.checks import check_log_sigmoid
    result = check_log_sigmoid(LOG_SIGMOID_WRONG[mistake])
    assert not result and result.mistake == mistake, result.message
