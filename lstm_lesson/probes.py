"""Looking inside a trained LSTM (chapter 12): units, clamps and saliency.

A trained network's states are numbers like any others; these functions ask
them three questions.

* **Which unit tracks a quantity?** :func:`correlations` gives, for every unit,
  the Pearson correlation of its activation with a signal computed from the
  input (the count of a's minus b's read so far, whether the text is inside a
  bracket, the position in the line), over every step and sequence that
  counts; :func:`most_correlated` picks the unit with the largest ``|r|``
  (a unit that counts down tracks the count as well as one that counts up).
* **Does the network use it?** A correlation does not say that the readout
  relies on the unit. :func:`clamped_forward` runs the network with one unit's
  cell state held at a fixed value after every step (``h_t`` computed from the
  clamped ``c_t``): if the predictions fail, the unit was needed.
* **What did a prediction look at?** :func:`saliency` is ``||dL/dx_s||``, the
  size of the gradient of one prediction's loss with respect to each earlier
  input, from the backward pass through time of chapter 10
  (:func:`lstm_lesson.bptt.sequence_backward`).

:func:`text_signals` computes the readable signals of a text, and
:func:`draw_heatmaps` and :func:`draw_text` draw states over time.

Shapes: xs (T, D, N); states and ``values`` (T, H, N); ``signal`` and
``mask`` (T, N); W (4H, H + D), b (4H, 1), W_y (K, H), b_y (K, 1); logits
(T, K, N). Legend: N batch, T steps, D input size, H hidden size, K outputs.
"""

import numbers

import numpy as np

from .activations import tanh
from .bptt import sequence_backward
from .cell import cell_forward
from .losses import softmax
from .network import network_forward
from .shapes import as_float_array, expect

__all__ = ["correlations", "most_correlated", "clamped_forward", "saliency",
           "text_signals", "draw_heatmaps", "draw_text", "STATE_NAMES"]

#: The arrays of :func:`lstm_lesson.network.states` a heat map shows, and their labels.
STATE_NAMES = {"i": "input gate $i_t$", "f": "forget gate $f_t$",
               "c_tilde": r"candidate $\tilde c_t$", "o": "output gate $o_t$",
               "c": "cell state $c_t$", "h": "hidden state $h_t$"}


def _values_and_signal(values, signal, mask):
    values = as_float_array("values", values)
    if values.ndim != 3:
        raise ValueError(f"values: expected shape (T, H, N), received {values.shape}")
    T, _, N = values.shape
    signal = as_float_array("signal", signal)
    if signal.shape != (T, N):
        raise ValueError(f"signal: expected shape (T, N) = {(T, N)} (from values), "
                         f"received {signal.shape}")
    if mask is None:
        keep = np.ones((T, N), dtype=bool)
    else:
        mask = as_float_array("mask", mask)
        if mask.shape != (T, N):
            raise ValueError(f"mask: expected shape (T, N) = {(T, N)} (from values), "
                             f"received {mask.shape}")
        keep = mask > 0
    if keep.sum() < 2:
        raise ValueError("mask: fewer than 2 entries count; nothing to correlate")
    return values, signal, keep


def correlations(values, signal, mask=None):
    """The Pearson correlation of each unit with ``signal``: an (H,) array.

    Parameters
    ----------
    values : array_like, shape (T, H, N)
        One activation per step, unit and sequence (a state from
        :func:`lstm_lesson.network.states`, such as ``"c"``).
    signal : array_like, shape (T, N)
        The quantity to look for, one number per step and sequence.
    mask : array_like, shape (T, N), optional
        1 where the step counts, 0 where it does not (padding); all when omitted.

    Returns
    -------
    ndarray, shape (H,)
        ``r[j]``, between -1 and 1, over the T N entries that count; 0 for a
        unit (or a signal) that is constant there.
    """
    values, signal, keep = _values_and_signal(values, signal, mask)
    x = values.transpose(1, 0, 2)[:, keep]  # (H, M): each unit's counted entries
    y = signal[keep]  # (M,)
    x = x - x.mean(axis=1, keepdims=True)
    y = y - y.mean()
    spread = np.sqrt((x**2).sum(axis=1) * (y**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(spread > 0, x @ y / np.where(spread > 0, spread, 1), 0.0)
    return np.clip(r, -1.0, 1.0)


def most_correlated(values, signal, mask=None):
    """The unit that tracks ``signal`` best: ``(unit, r)``, largest ``|r|``.

    Arguments as for :func:`correlations`. ``r`` keeps its sign: negative for a
    unit that falls as the signal rises. Ties go to the lowest unit.
    """
    r = correlations(values, signal, mask)
    unit = int(np.argmax(np.abs(r)))
    return unit, float(r[unit])


def _network(params, xs):
    if not isinstance(params, dict) or not {"W", "b", "W_y", "b_y"} <= set(params):
        raise TypeError("params: expected a dict with W, b, W_y, b_y (an LSTM with a "
                        "readout, lstm_lesson.network.init_network)")
    dims = {}
    W = expect("params['W']", params["W"], ("4H", "H+D"), dims)
    b = expect("params['b']", params["b"], ("4H", 1), dims)
    W_y = expect("params['W_y']", params["W_y"], ("K", "H"), dims)
    b_y = expect("params['b_y']", params["b_y"], ("K", 1), dims)
    xs = expect("xs", xs, ("T", "D", "N"), dims)
    return W, b, W_y, b_y, xs, dims["H"][0]


def clamped_forward(params, xs, unit, value):
    """Run the network with unit ``unit``'s cell state held at ``value``.

    At every step the cell computes ``c_t`` as usual, then entry ``unit`` of
    ``c_t`` (in every sequence of the batch) is set to ``value``, and ``h_t =
    o_t tanh(c_t)`` is computed from the clamped ``c_t``; the next step reads
    the clamped state. The readout reads every step.

    Parameters
    ----------
    params : dict
        ``W``, ``b``, ``W_y``, ``b_y`` of an LSTM with a readout.
    xs : array_like, shape (T, D, N)
    unit : int
        0..H-1, the row of the cell state to clamp.
    value : float
        The value it is held at.

    Returns
    -------
    logits : ndarray, shape (T, K, N)
    found : dict
        ``i``, ``f``, ``c_tilde``, ``o``, ``c``, ``h``: (T, H, N) each, as
        :func:`lstm_lesson.network.states` gives them, with the clamp in place.
    """
    W, b, W_y, b_y, xs, H = _network(params, xs)
    whole = isinstance(unit, numbers.Integral) and not isinstance(unit, bool)
    if not whole or not 0 <= unit < H:
        raise ValueError(f"unit: expected a whole number 0..{H - 1} (H = {H}), "
                         f"received {unit!r}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value: expected a number, received {value!r}")
    N = xs.shape[2]
    h = np.zeros((H, N), dtype=np.result_type(xs, W))
    c = np.zeros_like(h)
    found = {name: [] for name in ("i", "f", "c_tilde", "o", "c", "h")}
    for x_t in xs:
        _, c, cache = cell_forward(x_t, h, c, W, b)
        c = c.copy()
        c[unit] = value  # row `unit`: that unit, in every sequence of the batch
        h = cache["o"] * tanh(c)  # h_t from the clamped c_t
        for name in ("i", "f", "c_tilde", "o"):
            found[name].append(cache[name])
        found["c"].append(c)
        found["h"].append(h)
    found = {name: np.stack(arrays) for name, arrays in found.items()}
    return W_y @ found["h"] + b_y, found


def saliency(params, xs, t, labels):
    """How much one prediction depends on each input: ``||dL/dx_s||``, (T, N).

    ``L`` is the cross-entropy of the prediction made after reading ``xs[t]``,
    ``-log p_t[label]`` for each sequence (not averaged over the batch, so each
    column is one sequence's own gradient). Its gradient reaches the hidden
    state h_t through the readout, ``dL/dh_t = W_y^T (p_t - onehot(label))``,
    and the inputs through the backward pass through time.

    Parameters
    ----------
    params : dict
        ``W``, ``b``, ``W_y``, ``b_y`` of an LSTM with a readout.
    xs : array_like, shape (T, D, N)
    t : int
        The step whose prediction is explained, 0..T-1.
    labels : array_like of int, shape (N,)
        The class whose loss is taken (the true next symbol, or any other).

    Returns
    -------
    ndarray, shape (T, N)
        Entry ``[s, n]`` is the norm of ``dL/dxs[s]`` over its D entries for
        sequence n; 0 for every s after t (a prediction cannot depend on
        inputs read after it).
    """
    W, b, W_y, b_y, xs, H = _network(params, xs)
    T, _, N = xs.shape
    if isinstance(t, bool) or not isinstance(t, numbers.Integral) or not 0 <= t < T:
        raise ValueError(f"t: expected a step 0..{T - 1} (T = {T}), received {t!r}")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or labels.shape != (N,):
        raise ValueError(f"labels: expected {N} whole numbers (one per sequence), "
                         f"received {labels!r}")
    K = W_y.shape[0]
    if labels.min() < 0 or labels.max() >= K:
        raise ValueError(f"labels: expected classes 0..{K - 1}, received {labels!r}")
    logits, cache = network_forward(params, xs, "lstm", "every")
    dy = softmax(logits[t])  # (K, N): p_t
    dy[labels, np.arange(N)] -= 1  # p_t - onehot(label), one column per sequence
    dhs = np.zeros((T, H, N), dtype=dy.dtype)
    dhs[t] = W_y.T @ dy  # only h_t is read by this loss
    dxs = sequence_backward(dhs, cache["steps"])[0]
    return np.linalg.norm(dxs, axis=1)


def text_signals(text):
    """Readable quantities of a text, one number per character: a dict of (len,) arrays.

    Each is the state after reading the character at that position:

    * ``"bracket"``: 1 inside round or square brackets (from the opening bracket
      to the character before the closing one), else 0;
    * ``"quote"``: 1 between an opening and a closing double quote;
    * ``"column"``: the position in the line, 0 right after a newline.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, received {type(text).__name__}")
    bracket, quote, column = np.zeros(len(text)), np.zeros(len(text)), np.zeros(len(text))
    depth, quoted, position = 0, False, 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        if ch == '"':
            quoted = not quoted
        position = 0 if ch == "\n" else position + 1
        bracket[k], quote[k], column[k] = depth > 0, quoted, position
    return {"bracket": bracket, "quote": quote, "column": column}


def draw_heatmaps(found, symbols, names=("i", "f", "o", "c", "h"), column=0, units=None,
                  mark=None, fig=None, title=None):
    """Heat maps of states over time, one panel per state, units down, steps across.

    Parameters
    ----------
    found : dict
        (T, H, N) arrays, as :func:`lstm_lesson.network.states` returns.
    symbols : str or sequence of str
        The T symbols read, the tick labels of the time axis.
    names : sequence of str
        Which states, from top to bottom (keys of :data:`STATE_NAMES`).
    column : int
        The sequence of the batch to show.
    units : sequence of int, optional
        Which units (rows), in this order; all when omitted.
    mark : int, optional
        A unit to point out: its row alone is labelled, with a white line
        below it (put it first in ``units``).
    fig : matplotlib Figure, optional
        Where to draw; a new 7-inch-wide figure when omitted.
    title : str, optional

    Returns
    -------
    matplotlib Figure
        Gates on a 0..1 scale, the candidate and the hidden state on -1..1,
        the cell state on a symmetric scale of its largest magnitude.
    """
    import matplotlib.pyplot as plt

    symbols = list(symbols)
    T = len(symbols)
    if fig is None:
        fig = plt.figure(figsize=(7, 1.2 + 1.55 * len(names)))
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
    for ax, name in zip(axes, names):
        data = np.asarray(found[name])[:T, :, column].T  # (H, T)
        if units is not None:
            data = data[list(units)]
        if name in ("i", "f", "o"):
            scale = dict(cmap="viridis", vmin=0, vmax=1)
        else:
            top = 1.0 if name in ("c_tilde", "h") else max(float(np.abs(data).max()), 1e-9)
            scale = dict(cmap="RdBu_r", vmin=-top, vmax=top)
        image = ax.imshow(data, aspect="auto", interpolation="nearest", **scale)
        ax.set_title(STATE_NAMES[name], fontsize=12, loc="left", pad=3)
        shown = list(range(data.shape[0])) if units is None else list(units)
        if mark is not None and mark in shown:
            row = shown.index(mark)
            ax.set_yticks([row])
            ax.set_yticklabels([str(mark)])
            ax.axhline(row + 0.5, color="white", lw=1.5)
            ax.set_ylabel("units")
        else:
            ticks = list(range(0, len(shown), max(1, len(shown) // 4)))
            ax.set_yticks(ticks)
            ax.set_yticklabels([str(shown[k]) for k in ticks])
            ax.set_ylabel("unit")
        bar = fig.colorbar(image, ax=ax, pad=0.015, fraction=0.04)
        bar.ax.tick_params(labelsize=11)
    axes[-1].set_xticks(range(T))
    axes[-1].set_xticklabels(symbols)
    axes[-1].set_xlabel("symbol read at the step")
    if title:
        fig.suptitle(title)
    return fig


def draw_text(text, values, ax=None, width=None, scale=None, cmap="RdBu_r"):
    """Draw ``text`` in a grid, each character on a background coloured by its value.

    ``values`` (len(text),) are one unit's activations after each character
    (in the manner of Karpathy, Johnson and Fei-Fei 2015); a newline ends a
    row and is drawn as a pilcrow. ``scale`` is the value shown in the
    strongest colour (the largest magnitude when omitted). Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),):
        raise ValueError(f"values: expected shape ({len(text)},), one per character, "
                         f"received {values.shape}")
    rows, row, col = [], 0, 0
    for ch in text:
        rows.append((row, col))
        col += 1
        if ch == "\n":
            row, col = row + 1, 0
    width = width or max(c for _, c in rows) + 1
    height = rows[-1][0] + 1 if rows else 1
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.3 * height + 0.2))
    top = scale or max(float(np.abs(values).max()), 1e-9)
    colours = plt.get_cmap(cmap)
    for ch, (r, c), v in zip(text, rows, values):
        shade = 0.5 + 0.4 * float(np.clip(v / top, -1, 1))  # light enough to read on
        ax.add_patch(Rectangle((c, -r - 1), 1, 1, facecolor=colours(shade), edgecolor="none"))
        ax.text(c + 0.5, -r - 0.5, "¶" if ch == "\n" else ch, ha="center", va="center",
                family="monospace", fontsize=11)
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.axis("off")
    return ax
