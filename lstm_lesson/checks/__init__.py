"""Checkers for the exercises: ``check_<name>(your_function)`` prints a verdict.

Each checker runs your function against the package's reference on fixed-seed
and edge cases; at the first disagreement it names the case, shows expected
and received values (or shapes), and gives a hint for the typical mistake
your answer matches. It returns a :class:`CheckResult` (truthy when all pass).
"""

from .activations import check_sigmoid, check_sigmoid_derivative, check_tanh_derivative
from .core import CheckResult
from .lstm_step import check_lstm_step
from .rnn import check_rnn_jacobian

__all__ = [
    "CheckResult",
    "check_lstm_step",
    "check_rnn_jacobian",
    "check_sigmoid",
    "check_sigmoid_derivative",
    "check_tanh_derivative",
]
