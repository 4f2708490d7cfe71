"""The hidden state (chapter 6): what the cell shows the next step and the layer above.

    h_t = o_t * tanh(c_t)        (* is elementwise)

Shapes: o, c_t, h_t (H, N). Legend: N batch, H hidden size.
"""

from .activations import tanh
from .shapes import expect

__all__ = ["hidden_state"]


def hidden_state(o, c_t):
    """The hidden state ``h_t = o_t * tanh(c_t)``.

    Parameters
    ----------
    o : array_like, shape (H, N)
        Output gate o_t.
    c_t : array_like, shape (H, N)
        The new cell state (of this step, not c_{t-1}).

    Returns
    -------
    h_t : ndarray, shape (H, N), in (-1, 1)
    """
    dims = {}
    o = expect("o", o, ("H", "N"), dims)
    c_t = expect("c_t", c_t, ("H", "N"), dims)
    return o * tanh(c_t)  # squash c_t into (-1, 1), then let the fraction o through
