"""lstm_lesson: the LSTM cell from first principles, one small module per concept.

Conventions (see the book's Notation page): column vectors as in the seed, a
batch of N examples stacked as N columns; ``x_t`` (D, N), ``h`` and ``c``
(H, N), ``W_f`` (H, H + D) acting on ``[h_{t-1}, x_t]`` (h first), biases
(H, 1). Shape legend: N batch, T steps, D input size, H hidden size.

Modules: ``activations`` (sigmoid, tanh), ``reference`` (the seed's
``LSTMCell``), ``rnn`` (plain RNN baseline), ``symbolic`` (SymPy), ``checks``
(exercise checkers), ``workbook`` (reader copies of the notebooks),
``plotting`` (the cell diagram), ``shapes`` (argument checks), ``source``.
"""

from .activations import sigmoid, tanh
from .reference import LSTMCell

__version__ = "0.1.0"
__all__ = ["LSTMCell", "sigmoid", "tanh"]
