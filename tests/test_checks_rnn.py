"""check_rnn_jacobian accepts diag(1 - h^2) W_h and explains typical slips."""

import numpy as np
import pytest

from lstm_lesson.checks import check_rnn_jacobian


def test_accepts_right_answers():
    from lstm_lesson.rnn import rnn_jacobian
    assert check_rnn_jacobian(rnn_jacobian)
    assert check_rnn_jacobian(lambda h, W: np.diag((1 - h**2).ravel()) @ W)
    assert check_rnn_jacobian(lambda h, W: (1 - h * h) * W)


WRONG = {
    "np.diag of a column": lambda h, W: np.diag(1 - h**2) @ W,
    "tanh' forgotten": lambda h, W: W.copy(),
    "diag on the right": lambda h, W: W @ np.diag((1 - h**2).ravel()),
    "square missing": lambda h, W: np.diag((1 - h).ravel()) @ W,
    "sigmoid's derivative": lambda h, W: np.diag((h * (1 - h)).ravel()) @ W,
    "W_h transposed": lambda h, W: np.diag((1 - h**2).ravel()) @ W.T,
}


@pytest.mark.parametrize("mistake", WRONG)
def test_rejects_typical_slips(mistake):
    result = check_rnn_jacobian(WRONG[mistake])
    assert not result and result.mistake == mistake, result.message
