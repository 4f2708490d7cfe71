"""A character model at work (chapter 11): sampling text, and its loss in bits.

A network trained to predict the next character gives, after reading some text,
probabilities ``p = softmax(y)`` for the next one. :func:`sample` draws a
character from them, feeds it back in as the next input, and repeats. The
*temperature* tau divides the logits first, ``softmax(y / tau)``: tau < 1
sharpens the distribution towards the likeliest characters (safer, more
repetitive text), tau > 1 flattens it (more surprising, more mistakes), and
tau -> 0 always takes the likeliest.

:func:`bits_per_character` measures a model on a text it did not train on: the
average cross-entropy per character, in bits. A model that guesses uniformly
among K characters needs log2(K) bits per character; every bit less is
structure of the text the model has learned.

Shapes: W (4H, H + K), b (4H, 1), W_y (K, H), b_y (K, 1); the one-hot input of a
character is a (K, 1) column. Legend: H hidden size, K characters (outputs).
"""

import numbers

import numpy as np

from .cell import cell_forward
from .losses import bits, log_softmax, softmax_cross_entropy
from .network import network_forward
from .shapes import positive_int, seed_int
from .tasks import encode, one_hot

__all__ = ["sample", "bits_per_character"]


def _temperature(temperature):
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise TypeError(f"temperature: expected a number >= 0, received {temperature!r}")
    if not (temperature >= 0 and np.isfinite(temperature)):
        raise ValueError(f"temperature: expected a number >= 0, received {temperature!r}")
    return float(temperature)


def sample(params, vocab, prime, length, temperature=1.0, seed=0):
    """Text from an LSTM character model: ``prime`` followed by ``length`` drawn characters.

    Parameters
    ----------
    params : dict
        ``W``, ``b``, ``W_y``, ``b_y`` of an LSTM with K = len(vocab) inputs and outputs.
    vocab : str
        The characters, class k being ``vocab[k]``.
    prime : str
        Text read first (at least one character), to set the state.
    length : int
        How many characters to draw.
    temperature : float
        tau >= 0: each character from ``softmax(y / tau)``; 0 takes the likeliest.
    seed : int
        The uniform numbers that pick each character (by the inverse of the
        cumulative distribution) come from ``default_rng(seed)``.

    Returns
    -------
    str
        ``prime`` and the ``length`` characters drawn after it.
    """
    length, tau = positive_int("length", length), _temperature(temperature)
    if not isinstance(prime, str) or not prime:
        raise ValueError("prime: expected a non-empty str to start from")
    K = len(vocab)
    rng = np.random.default_rng(seed_int("seed", seed))
    xs = one_hot(encode(prime, vocab)[:, None], K)  # (T, K, 1)
    _, cache = network_forward(params, xs, "lstm", "last")
    h, c = cache["state"]
    W, b, W_y, b_y = params["W"], params["b"], params["W_y"], params["b_y"]
    drawn = []
    for _ in range(length):
        logits = W_y @ h + b_y  # (K, 1): the scores of the next character
        if tau == 0:
            k = int(np.argmax(logits[:, 0]))
        else:
            p = np.exp(log_softmax(logits / tau))[:, 0]
            k = min(int(np.searchsorted(np.cumsum(p), rng.random(), side="right")), K - 1)
        drawn.append(vocab[k])
        x = np.zeros((K, 1))
        x[k] = 1  # the drawn character is the next input
        h, c, _ = cell_forward(x, h, c, W, b)
    return prime + "".join(drawn)


def bits_per_character(params, ids, K, columns=16):
    """The model's cross-entropy on the text ``ids``, in bits per character (a float).

    The text is cut into ``columns`` equal pieces, read side by side as one
    batch, each from zero states; every character after the first of a piece is
    predicted from those before it in the piece.
    """
    ids = np.asarray(ids)
    columns = positive_int("columns", columns)
    steps = ids.size // columns - 1
    if ids.ndim != 1 or steps < 1:
        raise ValueError(f"ids: expected a 1-D text of at least {2 * columns} characters "
                         f"(2 per column), received shape {ids.shape}")
    pieces = ids[: columns * (steps + 1)].reshape(columns, steps + 1).T  # (steps + 1, columns)
    logits, _ = network_forward(params, one_hot(pieces[:-1], K), "lstm", "every")
    return float(bits(softmax_cross_entropy(logits, pieces[1:])[0]))
