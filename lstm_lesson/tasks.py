"""Tasks to train on (chapter 11), generated from a seed: nothing is downloaded.

Each generator returns a :class:`Batch` of N sequences, columns as everywhere
in the course: inputs ``xs`` (T, D, N), a ``target`` and a ``mask``.

* :func:`adding_problem` (Hochreiter & Schmidhuber 1997, in the form of Le et
  al. 2015): two rows of input, T random numbers in [0, 1) and a row of markers
  that flags two of them, one in each half of the sequence; the target, read
  after the last step, is the sum of the two flagged numbers. Predicting the
  mean, 1, whatever the input has a mean squared error of Var(u1 + u2) = 1/6.
* :func:`delayed_recall`: a few symbols, a delay, a cue; then the symbols
  again (the *copy* task): the recall steps are the only ones scored.
* :func:`anbn` (Gers & Schmidhuber 2001): the strings S a^n b^n, read one
  symbol at a time, predicting the next symbol. Once the first b has come,
  every next symbol is determined (b until n of them, then the end T), but
  only for a network that counted the a's.
* :func:`embedded_reber` (Hochreiter & Schmidhuber 1997): strings of Reber's
  grammar (:data:`REBER`) wrapped as B T <Reber string> T E or B P <Reber
  string> P E; predicting the symbol before the final E means remembering the
  second symbol across the whole inner string.
* :func:`characters`: windows of a text the package ships
  (:func:`course_text`, the course's own prose), predicting the next character.

Each is also available as a :class:`Task`, which says what a network for it
needs (D, K, the loss, where the readout reads): :func:`adding_task`,
:func:`recall_task`, :func:`anbn_task`, :func:`reber_task`, :func:`text_task`.

``seed`` is a whole number, or a ``np.random.Generator`` to continue drawing
from (the training loop makes one generator and draws every batch from it).
Legend: N batch, T steps, D input size, K outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Callable

import numpy as np

from .shapes import check_size, positive_int, seed_int

__all__ = ["Batch", "Task", "one_hot", "adding_problem", "delayed_recall", "anbn",
           "REBER", "REBER_SYMBOLS", "reber_string", "embedded_reber", "course_text",
           "vocabulary", "encode", "decode", "characters", "adding_task", "recall_task",
           "anbn_task", "reber_task", "text_task", "ADDING_BASELINE"]

#: The mean squared error of always predicting 1 on the adding problem: Var(u1 + u2).
ADDING_BASELINE = 1 / 6


@dataclass
class Batch:
    """N sequences: ``xs`` (T, D, N), ``target`` and ``mask``.

    ``target`` is (K, N) numbers for a prediction after the last step, or
    (T, N) class labels (whole numbers) for a prediction at every step;
    ``mask`` (T, N), where given, is 1 at the steps that count in the loss and
    0 elsewhere (padding of a short string, steps with nothing to recall).
    ``info`` holds what a generator knows besides (the strings, their lengths).
    """

    xs: np.ndarray
    target: np.ndarray
    mask: np.ndarray | None = None
    info: dict = field(default_factory=dict)


@dataclass
class Task:
    """A task for the training loop: how to draw a batch, and what a network needs.

    ``batch(N, rng)`` returns a :class:`Batch`; ``input_size`` (D) and
    ``output_size`` (K) size the network; ``loss`` is ``"mse"`` or ``"xent"``
    (softmax cross-entropy); ``read`` is ``"last"`` (one prediction after the
    last step) or ``"every"`` (one per step); ``baseline`` is the loss of a
    trivial predictor (for the adding problem, predicting the mean).
    """

    name: str
    batch: Callable
    input_size: int
    output_size: int
    loss: str
    read: str
    baseline: float | None = None


def _rng(seed):
    """A generator: ``seed`` itself if it is one, else ``default_rng(seed)``."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed_int("seed", seed))


def one_hot(ids, K):
    """Whole numbers 0..K-1 of shape (T, N) as one-hot columns: (T, K, N), float64.

    Entry ``[t, ids[t, n], n]`` is 1, the others 0.
    """
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"ids: expected whole numbers, received dtype {ids.dtype}")
    K = positive_int("K", K)
    if ids.ndim != 2:
        raise ValueError(f"ids: expected shape (T, N), received {ids.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= K):
        raise ValueError(f"ids: expected values 0..{K - 1}, received {ids.min()}..{ids.max()}")
    out = np.zeros((ids.shape[0], K, ids.shape[1]))
    np.put_along_axis(out, ids[:, None, :], 1.0, axis=1)
    return out


# -- The adding problem --------------------------------------------------------

def adding_problem(T, N, seed=0):
    """N sequences of the adding problem with T steps.

    Draws, in this order from ``default_rng(seed)``: the numbers
    ``uniform(0, 1, (T, N))``, the first marker's steps ``integers(0, T // 2, N)``
    and the second's ``integers(T // 2, T, N)``.

    Returns
    -------
    Batch
        ``xs`` (T, 2, N): row 0 the numbers, row 1 the markers (1 at the two
        flagged steps, 0 elsewhere); ``target`` (1, N): the sum of the two flagged
        numbers; ``mask`` None; ``info["markers"]`` the two steps, (2, N).
    """
    T, N = positive_int("T", T), positive_int("N", N)
    if T < 2:
        raise ValueError(f"T: expected at least 2 steps (one marker in each half), "
                         f"received {T}")
    check_size(f"T={T}, N={N}", (T, 2, N))
    rng = _rng(seed)
    values = rng.uniform(0, 1, (T, N))
    first = rng.integers(0, T // 2, N)  # one marker in the first half,
    second = rng.integers(T // 2, T, N)  # one in the second
    columns = np.arange(N)
    markers = np.zeros((T, N))
    markers[first, columns] = 1
    markers[second, columns] = 1
    xs = np.stack([values, markers], axis=1)  # (T, 2, N)
    target = (values[first, columns] + values[second, columns]).reshape(1, N)
    return Batch(xs, target, None, {"markers": np.stack([first, second])})


# -- Delayed recall (copy) -----------------------------------------------------

def delayed_recall(length, delay, N, seed=0, symbols=8):
    """The copy task: ``length`` symbols, a delay, a cue, then recall them.

    Inputs are one-hot over ``symbols + 2`` rows: the symbols 0..S-1, a blank
    (row S) and the cue (row S + 1). The sequence has ``length + delay +
    length`` steps: the symbols; ``delay - 1`` blanks and the cue; ``length``
    blanks during which the symbols are to be output, in order.

    Returns
    -------
    Batch
        ``xs`` (T, S + 2, N); ``target`` (T, N) labels 0..S-1 (the symbols at
        the recall steps, 0 elsewhere); ``mask`` (T, N), 1 at the recall steps
        only; ``info["symbols"]`` the (length, N) symbols.
    """
    length, delay = positive_int("length", length), positive_int("delay", delay)
    N, S = positive_int("N", N), positive_int("symbols", symbols)
    T = 2 * length + delay
    check_size(f"length={length}, delay={delay}, N={N}", (T, S + 2, N))
    rng = _rng(seed)
    data = rng.integers(0, S, (length, N))
    ids = np.full((T, N), S)  # blanks
    ids[:length] = data
    ids[length + delay - 1] = S + 1  # the cue: recall starts at the next step
    target = np.zeros((T, N), dtype=np.int64)
    target[length + delay:] = data
    mask = np.zeros((T, N))
    mask[length + delay:] = 1
    return Batch(one_hot(ids, S + 2), target, mask, {"symbols": data})


def _next_symbol_batch(reads, follows, inputs, classes, what):
    """Strings read one symbol a step, with the symbol to predict at each step.

    Returns ``xs`` (T, len(inputs), N) one-hot, ``target`` (T, N) class indices
    and ``mask`` (T, N), T the longest string; shorter strings are padded at the
    end with zero inputs, masked out. ``what`` names the sizes in an error.
    """
    T, N = max(len(read) for read in reads), len(reads)
    check_size(what, (T, len(inputs), N))
    xs = np.zeros((T, len(inputs), N))
    target = np.zeros((T, N), dtype=np.int64)
    mask = np.zeros((T, N))
    for column, (read, follow) in enumerate(zip(reads, follows)):
        for t, (symbol, next_symbol) in enumerate(zip(read, follow)):
            xs[t, inputs.index(symbol), column] = 1
            target[t, column] = classes.index(next_symbol)
            mask[t, column] = 1
    return xs, target, mask


# -- a^n b^n -------------------------------------------------------------------

#: The input symbols of a^n b^n (one-hot rows) and the classes to predict.
ANBN_INPUTS, ANBN_CLASSES = "Sab", "abT"


def anbn(N, seed=0, n_min=1, n_max=10):
    """N strings S a^n b^n, n uniform in [n_min, n_max], for next-symbol prediction.

    Each string is read one symbol at a time (inputs one-hot over S, a, b) and
    at every step the network predicts the next symbol (classes a, b, T, with T
    the end). Shorter strings are padded at the end with zero inputs, masked out.

    Returns
    -------
    Batch
        ``xs`` (T, 3, N) with T = 2 max(n) + 1; ``target`` (T, N) labels (0 a,
        1 b, 2 T); ``mask`` (T, N); ``info["n"]`` (N,); ``info["determined"]``
        (T, N), 1 where the next symbol follows from the string so far (after S,
        and from the first b on): the steps Gers & Schmidhuber score.
    """
    N = positive_int("N", N)
    n_min, n_max = positive_int("n_min", n_min), positive_int("n_max", n_max)
    if n_min > n_max:
        raise ValueError(f"n_max: expected at least n_min = {n_min}, received {n_max}")
    rng = _rng(seed)
    ns = rng.integers(n_min, n_max + 1, N)
    reads = ["S" + "a" * n + "b" * n for n in ns]  # what is read, and then
    follows = ["a" * n + "b" * n + "T" for n in ns]  # the next symbol at each step
    xs, target, mask = _next_symbol_batch(reads, follows, ANBN_INPUTS, ANBN_CLASSES,
                                          f"n_max={n_max}, N={N}")
    determined = np.zeros_like(mask)
    for column, read in enumerate(reads):
        determined[: len(read), column] = [symbol in "Sb" for symbol in read]
    return Batch(xs, target, mask, {"n": ns, "determined": determined})


# -- The (embedded) Reber grammar ------------------------------------------------

#: Reber's grammar: state -> ((symbol, next state), ...), each choice with
#: probability 1/2; from state 0 the string starts with B, state 6 ends with E.
REBER = {0: (("B", 1),), 1: (("T", 2), ("P", 3)), 2: (("S", 2), ("X", 4)),
         3: (("T", 3), ("V", 5)), 4: (("X", 3), ("S", 6)), 5: (("P", 4), ("V", 6)),
         6: (("E", None),)}
#: The seven symbols, in the order of the one-hot rows and the classes.
REBER_SYMBOLS = "BTPSXVE"


def reber_string(seed=0, embedded=True):
    """One string of Reber's grammar, or of the embedded grammar: a str of BTPSXVE.

    The embedded form is B, then T or P, then a Reber string, then the same T
    or P again, then E (Hochreiter & Schmidhuber 1997, section 5.1).
    """
    rng = _rng(seed)
    state, symbols = 0, []
    while state is not None:
        options = REBER[state]
        symbol, state = options[rng.integers(len(options))] if len(options) > 1 else options[0]
        symbols.append(symbol)
    inner = "".join(symbols)
    if not embedded:
        return inner
    branch = "TP"[rng.integers(2)]
    return "B" + branch + inner + branch + "E"


def embedded_reber(N, seed=0):
    """N strings of the embedded Reber grammar, for next-symbol prediction.

    Inputs are one-hot over :data:`REBER_SYMBOLS`: every symbol but the last is
    read, and at each step the network predicts the next. Strings are padded at
    the end with zero inputs, masked out.

    Returns
    -------
    Batch
        ``xs`` (T, 7, N) with T the longest string's length - 1; ``target``
        (T, N) labels (indices into :data:`REBER_SYMBOLS`); ``mask`` (T, N);
        ``info["strings"]`` the N strings; ``info["remember"]`` (T, N), 1 at the
        step that predicts the symbol before the final E, which must repeat the
        string's second symbol.
    """
    N = positive_int("N", N)
    rng = _rng(seed)
    strings = [reber_string(rng) for _ in range(N)]
    xs, target, mask = _next_symbol_batch([s[:-1] for s in strings], [s[1:] for s in strings],
                                          REBER_SYMBOLS, REBER_SYMBOLS, f"N={N}")
    remember = np.zeros_like(mask)
    for column, string in enumerate(strings):
        remember[len(string) - 3, column] = 1  # reads the inner E, predicts T or P
    return Batch(xs, target, mask, {"strings": strings, "remember": remember})


# -- Characters --------------------------------------------------------------------

def course_text():
    """The text the character model learns: the course's own prose, shipped in the package.

    A snapshot of the book's pages and chapters 1-10 (``lstm_lesson/data/course_prose.txt``,
    about 100 000 characters): lower case, the equations, code and markup
    removed, lines wrapped at 72 characters.
    """
    return resources.files("lstm_lesson").joinpath("data/course_prose.txt").read_text(
        encoding="utf-8")


def vocabulary(text):
    """The distinct characters of ``text``, sorted, as one string: class k is ``vocab[k]``."""
    if not isinstance(text, str) or not text:
        raise ValueError("text: expected a non-empty str")
    return "".join(sorted(set(text)))


def encode(text, vocab):
    """The characters of ``text`` as class indices into ``vocab``: an int array (len(text),)."""
    index = {ch: k for k, ch in enumerate(vocab)}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise ValueError(f"text: characters not in the vocabulary: {''.join(unknown)!r}")
    return np.array([index[ch] for ch in text], dtype=np.int64)


def decode(ids, vocab):
    """Class indices back to a string."""
    return "".join(vocab[int(k)] for k in np.asarray(ids).ravel())


def characters(ids, T, N, K, seed=0):
    """N windows of T + 1 characters from ``ids``: read T, predict each next one.

    Parameters
    ----------
    ids : array of int, shape (L,)
        The text, encoded (:func:`encode`).
    T, N : int
        Window length and number of windows.
    K : int
        The vocabulary's size (the one-hot rows).
    seed : int or np.random.Generator
        Each window starts at ``integers(0, L - T, N)``.

    Returns
    -------
    Batch
        ``xs`` (T, K, N) one-hot characters; ``target`` (T, N) the next
        characters; ``mask`` None; ``info["starts"]`` (N,).
    """
    ids = np.asarray(ids)
    T, N, K = positive_int("T", T), positive_int("N", N), positive_int("K", K)
    if ids.ndim != 1 or ids.size < T + 1:
        raise ValueError(f"ids: expected a 1-D array of at least T + 1 = {T + 1} "
                         f"characters, received shape {ids.shape}")
    check_size(f"T={T}, N={N}, K={K}", (T, K, N))
    rng = _rng(seed)
    starts = rng.integers(0, ids.size - T, N)
    windows = ids[starts[None, :] + np.arange(T + 1)[:, None]]  # (T + 1, N)
    return Batch(one_hot(windows[:-1], K), windows[1:], None, {"starts": starts})


# -- Tasks ----------------------------------------------------------------------------

def adding_task(T):
    """The adding problem with T steps, as a :class:`Task` (MSE, read the last step)."""
    T = positive_int("T", T)
    return Task(f"adding, T = {T}", lambda N, rng: adding_problem(T, N, rng), 2, 1, "mse",
                "last", ADDING_BASELINE)


def recall_task(length=5, delay=10, symbols=8):
    """Delayed recall as a :class:`Task` (cross-entropy at the recall steps).

    Baseline: guessing among the symbols, ln(symbols) nats per recalled symbol.
    """
    return Task(f"delayed recall, {length} symbols after {delay} steps",
                lambda N, rng: delayed_recall(length, delay, N, rng, symbols),
                symbols + 2, symbols, "xent", "every", float(np.log(symbols)))


def anbn_task(n_min=1, n_max=10):
    """a^n b^n as a :class:`Task` (cross-entropy at every step)."""
    return Task(f"a^n b^n, n = {n_min}..{n_max}",
                lambda N, rng: anbn(N, rng, n_min, n_max), 3, 3, "xent", "every")


def reber_task():
    """The embedded Reber grammar as a :class:`Task` (cross-entropy at every step)."""
    return Task("embedded Reber grammar", lambda N, rng: embedded_reber(N, rng), 7, 7,
                "xent", "every")


def text_task(ids, vocab, T=32):
    """Next-character prediction on ``ids`` as a :class:`Task`.

    Baseline: a uniform guess, ln K nats per character.
    """
    K = len(vocab)
    return Task(f"characters, windows of {T}", lambda N, rng: characters(ids, T, N, K, rng),
                K, K, "xent", "every", float(np.log(K)))

