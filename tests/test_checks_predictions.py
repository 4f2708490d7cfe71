"""checks.core.run_prediction: verdicts on "predict what this cell prints"."""

import numpy as np
import pytest

from lstm_lesson.checks.core import WrongPrediction, run_prediction

WRONG = [WrongPrediction("bias forgotten", 0.5, "You left out the bias.",
                         "With zero weights the gate is sigma(b).")]


def check(answer, expected=0.7311, **options):
    return run_prediction("check_guess", answer, expected, WRONG,
                          generic_hint="Work it out from the definition.",
                          generic_fix="sigma(1) = 1 / (1 + e^-1).", quiet=True, **options)


def test_no_prediction_yet_is_not_attempted():
    result = check(None)
    assert not result and not result.attempted
    assert result.message.startswith("… check_guess: not predicted yet")


def test_a_right_prediction_within_rounding_passes_and_shows_the_value():
    for answer in (0.7311, 0.73, np.float32(0.731)):
        result = check(answer)
        assert result and result.message == "✓ check_guess: right, it is 0.7311."


def test_a_wrong_prediction_hides_the_value_until_asked():
    result = check(0.9)
    assert not result and result.mistake is None
    assert "✗ check_guess: 0.9 is not what the code gives.\n" in result.message
    assert "0.7311" not in result.message
    assert "hint: Work it out" in result.message
    assert "more help: check_guess(my_prediction, hint=2)" in result.message
    second = check(0.9, hint=2)
    assert "fix: sigma(1) = 1 / (1 + e^-1). The code gives 0.7311." in second.message


def test_a_catalogued_wrong_prediction_gets_its_own_hint():
    result = check(0.5)
    assert result.mistake == "bias forgotten" and "hint: You left out the bias." in result.message


@pytest.mark.parametrize("expected, right, wrongs", [
    ((2, 4), (2, 4), [(4, 2), 8, "(2, 4)"]),
    (True, True, [False, 1, "True"]),
    ("vanishes", "Vanishes ", ["explodes", 0]),
    (np.array([0.5, 0.25]), [0.5, 0.25], [[0.5], [0.25, 0.5], "a"]),
])
def test_shapes_bools_words_and_arrays(expected, right, wrongs):
    assert check(right, expected)
    for answer in wrongs:
        result = check(answer, expected)
        assert not result and result.attempted, answer


@pytest.mark.parametrize("expected, answer, kind", [
    (0.7311, "0.9", "a number"),
    (0.7311, True, "a number"),
    (0.7311, [0.7, 0.3], "a number"),
    ((2, 4), 8, "a shape, a tuple of 2 whole numbers"),
    ((2, 4), (2, 4, 1), "a shape, a tuple of 2 whole numbers"),
    (True, 1, "True or False"),
    ("vanishes", 0, "a word"),
    (np.array([0.5, 0.25]), 0.5, "an array of shape (2,)"),
])
def test_the_kind_expected_is_said_only_when_the_answer_is_of_another_kind(
        expected, answer, kind):
    assert f"(expected {kind})." in check(answer, expected).message


@pytest.mark.parametrize("expected, answer", [
    (0.7311, 1e-08), (0.7311, 0.9), (0.7311, np.float32(2)), (0.7311, 3),
    ((2, 4), (4, 2)), (True, False), ("vanishes", "explodes"),
    (np.array([0.5, 0.25]), [0.25, 0.5]),
])
def test_a_wrong_answer_of_the_right_kind_is_not_told_its_kind(expected, answer):
    message = check(answer, expected).message
    assert "(expected" not in message
    assert message.splitlines()[0].endswith(" is not what the code gives.")
