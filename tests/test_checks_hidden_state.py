"""Chapter 6's newer checkers accept right answers and explain wrong ones written as a
reader would: the prediction of the ceiling of h_t, and the state update of the
find-the-bug exercise. (The older hidden-state checkers are tested in
test_checks_cell_state.py.)"""

import numpy as np

from lstm_lesson.checks import check_hidden_ceiling, check_state_update


def test_hidden_ceiling_prediction():
    assert check_hidden_ceiling(0.731) and check_hidden_ceiling(1 / (1 + np.exp(-1)))
    readers = {  # what a reader might write, and the misunderstanding it shows
        "output gate left out": 1,
        "no ceiling": float("inf"),
        "tanh for the gate": np.tanh(1),
        "the bias taken as the cell state": 0.731 * 0.762,
        "bias forgotten": 0.5,
        "the gate squashed again": np.tanh(0.731),
    }
    for name, answer in readers.items():
        result = check_hidden_ceiling(answer)
        assert not result and result.mistake == name, (name, result.message)
        assert "0.7311" not in result.message
    assert "The code gives 0.7311." in check_hidden_ceiling(1, hint=2).message
    result = check_hidden_ceiling(0.9)
    assert not result and result.mistake is None and "hint: " in result.message
    assert not check_hidden_ceiling(None).attempted


def test_the_chapters_buggy_state_update_is_named():
    # Chapter 6's find-the-bug: the new cell state shown without tanh.
    def buggy_state_update(f, i, c_tilde, o, c_prev):
        c_new = f * c_prev + i * c_tilde
        h_new = o * c_new
        return h_new, c_new
    result = check_state_update(buggy_state_update)
    assert not result and result.mistake == "tanh missing in h_t", result.message
    assert "h_t differs; c_t is right" in result.message

    def fixed(f, i, c_tilde, o, c_prev):
        c_t = f * c_prev + i * c_tilde
        return o * np.tanh(c_t), c_t
    assert check_state_update(fixed)
