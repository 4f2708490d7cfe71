"""lstm_lesson: the LSTM cell from first principles, one small module per concept.

Conventions (see the book's Notation page): column vectors as in the reference cell, a
batch of N examples stacked as N columns; ``x_t`` (D, N), ``h`` and ``c``
(H, N), ``W_f`` (H, H + D) acting on ``[h_{t-1}, x_t]`` (h first), biases
(H, 1). Shape legend: N batch, T steps, D input size, H hidden size.

Modules: ``activations`` (sigmoid, tanh), ``reference`` (the reference
cell ``LSTMCell``), ``gates`` (f, i, c~, o), ``cell_state`` (c_t and the constant
error carousel), ``hidden_state`` (h_t), ``fused`` (one W for four gates),
``cell`` (one fused step with its cache), ``sequence`` (unrolling over time),
``backward`` (one step backward), ``bptt`` (backpropagation through time),
``gradcheck`` (central differences),
``rnn`` (plain RNN baseline), ``symbolic`` (SymPy), ``checks``
(exercise checkers), ``workbook`` (reader copies of the notebooks),
``plotting`` (the cell diagram), ``shapes`` (argument checks), ``source``.
"""

from .activations import sigmoid, tanh
from .backward import cell_backward
from .bptt import sequence_backward
from .cell import cell_forward
from .fused import fuse, init_fused, unfuse
from .reference import LSTMCell
from .sequence import sequence_forward

__version__ = "0.1.0"
__all__ = ["LSTMCell", "cell_backward", "cell_forward", "fuse", "init_fused",
           "sequence_backward", "sequence_forward", "sigmoid", "tanh", "unfuse"]
