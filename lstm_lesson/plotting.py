"""Figures of the course: the LSTM cell diagram, drawn by code.

``draw_cell(highlight=("forget",))`` draws the cell with one part in colour
and the rest in grey, so each chapter can point at the part it builds;
``draw_cell(backward=True)`` draws the same cell with the arrows of the
backward pass. ``draw_unrolled(T)`` draws the cell unrolled over T steps,
forward or with the gradients flowing back (chapters 8 to 10). The parts are

* ``"forget"``    the forget gate f_t and its product with c_{t-1}
* ``"input"``     the input gate i_t and its product with the candidate
* ``"candidate"`` the candidate c~_t
* ``"cell"``      the cell-state path c_{t-1} -> c_t and the sum
* ``"output"``    the output gate o_t, tanh(c_t) and their product
* ``"hidden"``    the hidden-state path h_{t-1}, x_t -> gates, and h_t out
"""

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

__all__ = ["PARTS", "draw_cell", "draw_unrolled", "VARIANT_PARTS", "draw_variant", "draw_gru"]

PARTS = ("forget", "input", "candidate", "cell", "output", "hidden")

_COLOURS = {
    "forget": "#d62728",
    "input": "#1f77b4",
    "candidate": "#9467bd",
    "cell": "#ff7f0e",
    "output": "#2ca02c",
    "hidden": "#17becf",
}
_MUTED = "#b0b0b0"
#: Font sizes (points) of the diagram's labels and of the text in its boxes:
#: large enough to read when a 7-inch figure is shown 420 px wide.
_LABEL, _FONT = 15, 13
_TEXT_MUTED = "#808080"

# Layout (data units): the cell spans x 0..12, y 0..7; the cell state runs
# along y = 6, the hidden state and input enter along y = 1.
_C_Y, _H_Y, _GATE_Y = 6.0, 1.0, 3.0
#: Sizes of the drawing's parts (data units) and of its fonts (points): the full
#: 7-inch diagram's, and a panel's, half as wide (two to a row, chapter 13), whose
#: boxes and circles are larger in the drawing's units so that 11-point labels fit.
_FULL = {"box": (0.55, 0.35), "op": 0.32, "label": _LABEL, "font": _FONT, "tanh": _FONT - 3,
         "above": 0.55}
_PANEL = {"box": (0.7, 0.42), "op": 0.4, "label": 12, "font": 11, "tanh": 11, "above": 0.78}
_X = {"f": 2.5, "i": 4.3, "c": 6.1, "o": 7.9}
_MUL_F = (2.5, _C_Y)
_ADD = (6.1, _C_Y)
_MUL_I = (5.2, 4.6)
_TANH_C = (9.7, 4.6)
_MUL_O = (9.7, _GATE_Y)


def _colour(part, highlight):
    if not highlight or part in highlight:
        return _COLOURS[part]
    return _MUTED


def _line(ax, points, colour, width=2.0, arrow=True, backward=False):
    """A polyline through ``points``, with an arrow head at the end.

    ``backward`` draws the same line with the head at the start: the direction
    in which gradients travel (chapter 9's backward diagram).
    """
    if backward:
        points = points[::-1]
    for (x0, y0), (x1, y1) in zip(points[:-2], points[1:-1]):
        ax.plot([x0, x1], [y0, y1], color=colour, lw=width, solid_capstyle="round", zorder=1)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    ax.add_patch(FancyArrowPatch(
        (x0, y0), (x1, y1), arrowstyle="-|>" if arrow else "-", mutation_scale=12,
        color=colour, lw=width, shrinkA=0, shrinkB=0, zorder=1,
    ))


def _box(ax, centre, label, colour, text_colour, size=_FULL):
    x, y = centre
    w, h = size["box"]
    ax.add_patch(FancyBboxPatch(
        (x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0.05",
        facecolor=colour, edgecolor="black", lw=1.0, alpha=0.9, zorder=3,
    ))
    ax.text(x, y, label, ha="center", va="center", fontsize=size["font"], color=text_colour,
            zorder=4)


def _op(ax, centre, label, colour, size=_FULL):
    if "tanh" in label and size is _PANEL:  # a panel's "tanh" at 11 pt needs a box
        w, h = size["box"][0] - 0.02, size["box"][1] - 0.06
        ax.add_patch(FancyBboxPatch(
            (centre[0] - w, centre[1] - h), 2 * w, 2 * h, boxstyle="round,pad=0.05",
            facecolor=colour, edgecolor="black", lw=1.0, zorder=3))
    else:
        ax.add_patch(Circle(centre, size["op"], facecolor=colour, edgecolor="black", lw=1.0,
                            zorder=3))
    font = size["tanh"] if "tanh" in label else size["font"]  # "tanh" must fit
    ax.text(*centre, label, ha="center", va="center", fontsize=font, zorder=4)


def _op_half_height(label, size):
    """How far above and below its centre an operation's line must stop."""
    if "tanh" in label and size is _PANEL:
        return size["box"][1] - 0.06 + 0.05  # as drawn by _op
    return size["op"]


def _frame(ax, title):
    """The cell diagrams' frame: the drawing's extent, equal scales, no axes, a title."""
    ax.set_xlim(-0.3, 12.6)
    ax.set_ylim(-0.7, 7.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_cell(highlight=(), ax=None, title=None, backward=False, panel=False):
    """Draw the LSTM cell; the parts in ``highlight`` in colour, others grey.

    With ``backward=True`` every arrow points the other way and the states are
    labelled with their gradients (delta c_t in from the right, delta c_{t-1}
    and delta h_{t-1} out to the left, delta x_t out at the bottom): the path
    of the backward pass through one step (chapter 9).

    Parameters
    ----------
    highlight : str or iterable of str
        Names from :data:`PARTS`; empty (the default) colours every part.
    ax : matplotlib Axes, optional
        Where to draw; a new 7 x 4.1 inch figure when omitted.
    title : str, optional
    backward : bool
        Draw the gradients' direction instead of the forward pass's.
    panel : bool
        Draw for a panel half the text column wide (two to a row): larger boxes
        and circles, labels of 11 and 12 points, legible when the figure is shown
        420 px wide.

    Returns
    -------
    matplotlib Axes
    """
    if isinstance(highlight, str):
        highlight = (highlight,)
    highlight = tuple(highlight)
    unknown = [part for part in highlight if part not in PARTS]
    if unknown:
        raise ValueError(f"highlight: unknown part(s) {unknown}; choose from {PARTS}")
    return _draw_cell(highlight, ax, title, backward, _PANEL if panel else _FULL)


def _draw_cell(highlight, ax, title, backward, size, constant=()):
    """:func:`draw_cell`'s drawing; the gates in ``constant`` ("f", "i", "o") get no input."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.1))  # the text column's width (notebook.py)
    r, fs = size["op"], size["label"]
    gw, gh = size["box"][0] + 0.05, size["box"][1] + 0.05  # a gate's half width, height
    rt = _op_half_height(r"$\tanh$", size)
    up = size["above"]  # a gate's name, above its box

    def label(name):
        # A state's name, or its gradient's on the backward diagram.
        return rf"$\delta {name}$" if backward else rf"${name}$"

    def line(points, part, width=2.0, arrow=True):
        _line(ax, points, col[part], width, arrow, backward)

    col = {part: _colour(part, highlight) for part in PARTS}
    text = {part: ("black" if col[part] != _MUTED else _TEXT_MUTED) for part in PARTS}

    ax.add_patch(Rectangle((0.8, 0.4), 10.4, 6.3, facecolor="#f7f7f7",
                           edgecolor="#555555", lw=1.2, zorder=0))

    # Cell state: c_{t-1} -> x f_t -> + -> c_t, and a branch down to tanh(c_t).
    line([(0, _C_Y), (_MUL_F[0] - r, _C_Y)], "cell", 2.6)
    line([(_MUL_F[0] + r, _C_Y), (_ADD[0] - r, _C_Y)], "cell", 2.6)
    line([(_ADD[0] + r, _C_Y), (12.2, _C_Y)], "cell", 2.6)
    line([(_TANH_C[0], _C_Y), (_TANH_C[0], _TANH_C[1] + rt)], "output")
    ax.text(0.0, _C_Y + 0.3, label("c_{t-1}"), fontsize=fs, color=text["cell"])
    ax.text(11.6, _C_Y + 0.3, label("c_t"), fontsize=fs, color=text["cell"])

    # Hidden state and input: h_{t-1} along the bottom, x_t joins from below,
    # then [h_{t-1}, x_t] rises into each of the four gates (not into a gate a
    # variant holds constant, which reads nothing).
    # Forward these lines only join; backward they carry delta h_{t-1} and
    # delta x_t out of the step, so they get heads.
    reading = [gate for gate in _X if gate not in constant]
    line([(0, _H_Y), (_X[reading[-1]], _H_Y)], "hidden", 2.0, arrow=backward)
    line([(1.4, -0.4), (1.4, _H_Y)], "hidden", 2.0, arrow=backward)
    ax.text(0.0, _H_Y + 0.25, label("h_{t-1}"), fontsize=fs, color=text["hidden"])
    ax.text(1.55, -0.35, label("x_t"), fontsize=fs, color=text["hidden"])
    gate_part = {"f": "forget", "i": "input", "c": "candidate", "o": "output"}
    for gate in reading:
        line([(_X[gate], _H_Y), (_X[gate], _GATE_Y - gh)], gate_part[gate])

    # The four gates, in the order i, f, c~, o of the fused matrix (left to
    # right here: f, i, c~, o, the order in which they act on the cell).
    _box(ax, (_X["f"], _GATE_Y), r"$\sigma$", col["forget"], text["forget"], size)
    _box(ax, (_X["i"], _GATE_Y), r"$\sigma$", col["input"], text["input"], size)
    _box(ax, (_X["c"], _GATE_Y), r"$\tanh$", col["candidate"], text["candidate"], size)
    _box(ax, (_X["o"], _GATE_Y), r"$\sigma$", col["output"], text["output"], size)
    ax.text(_X["f"] - 0.95, _GATE_Y + up, r"$f_t$", fontsize=fs, color=text["forget"])
    ax.text(_X["i"] - 0.9, _GATE_Y + up, r"$i_t$", fontsize=fs, color=text["input"])
    ax.text(_X["c"] + 0.2, _GATE_Y + up, r"$\tilde c_t$", fontsize=fs, color=text["candidate"])
    ax.text(_X["o"] + 0.2, _GATE_Y + up, r"$o_t$", fontsize=fs, color=text["output"])

    # Gate outputs into their products.
    line([(_X["f"], _GATE_Y + gh), (_MUL_F[0], _MUL_F[1] - r)], "forget")
    line([(_X["i"], _GATE_Y + gh), (_X["i"], _MUL_I[1]), (_MUL_I[0] - r, _MUL_I[1])], "input")
    line([(_X["c"], _GATE_Y + gh), (_X["c"], _MUL_I[1]), (_MUL_I[0] + r, _MUL_I[1])], "candidate")
    line([(_MUL_I[0], _MUL_I[1] + r), (_MUL_I[0], _C_Y - 0.6), (_ADD[0], _C_Y - 0.6), (_ADD[0], _C_Y - r)], "input")
    line([(_X["o"] + gw, _GATE_Y), (_MUL_O[0] - r, _MUL_O[1])], "output")
    line([(_TANH_C[0], _TANH_C[1] - rt), (_MUL_O[0], _MUL_O[1] + r)], "output")

    # h_t leaves to the right (next step) and upwards (the cell's output).
    line([(_MUL_O[0], _MUL_O[1] - r), (_MUL_O[0], _H_Y), (12.2, _H_Y)], "hidden")
    line([(10.6, _H_Y), (10.6, 7.4)], "hidden")
    ax.text(11.6, _H_Y + 0.25, label("h_t"), fontsize=fs, color=text["hidden"])
    ax.text(10.75, 7.1, label("h_t"), fontsize=fs, color=text["hidden"])

    _op(ax, _MUL_F, r"$\times$", col["forget"], size)
    _op(ax, _MUL_I, r"$\times$", col["input"], size)
    _op(ax, _ADD, r"$+$", col["cell"], size)
    _op(ax, _TANH_C, r"$\tanh$", col["output"], size)
    _op(ax, _MUL_O, r"$\times$", col["output"], size)

    return _frame(ax, title)


def draw_unrolled(T=4, backward=False, loss="last", ax=None, title=None):
    """Draw the cell unrolled over ``T`` steps, forward or backward.

    One box per step, the same ``W`` and ``b`` in each. Forward, ``x_t`` enters
    from below, ``c`` (top) and ``h`` (bottom) run from step to step left to
    right, starting from ``c_0`` and ``h_0``, and the loss reads ``h_T`` (or
    every ``h_t``). Backward (``backward=True``) every arrow points the other
    way: the gradients leave the loss, run right to left along ``h`` and ``c``
    as delta h and delta c, leave each step down into delta x_t, and the
    steps' weight gradients add up into one delta W (chapter 10).

    Parameters
    ----------
    T : int
        Number of steps drawn (2 to 8).
    backward : bool
        Draw the backward pass.
    loss : {"last", "every"}
        Whether the loss reads only the last hidden state or every one.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    if isinstance(T, bool) or not isinstance(T, int) or not 2 <= T <= 8:
        raise ValueError(f"T: expected a whole number of steps from 2 to 8, received {T!r}")
    if loss not in ("last", "every"):
        raise ValueError(f"loss: expected 'last' or 'every', received {loss!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * T + 2.2, 4.2))
    step, width, bottom, top = 2.6, 1.5, 1.0, 2.8  # box geometry (data units)
    c_y, h_y, loss_y = 2.4, 1.4, 4.3

    def name(symbol):
        return rf"$\delta {symbol}$" if backward else rf"${symbol}$"

    def arrow(points, colour, width=2.0):
        _line(ax, points, colour, width, True, backward)

    for k in range(T):
        left = 1.2 + k * step
        ax.add_patch(FancyBboxPatch(
            (left, bottom), width, top - bottom, boxstyle="round,pad=0.05",
            facecolor="#f7f7f7", edgecolor="#555555", lw=1.2, zorder=2))
        ax.text(left + width / 2, (bottom + top) / 2, "LSTM\n$W, b$", ha="center",
                va="center", fontsize=11, zorder=3)
        t = k + 1
        # x_t from below (delta x_t out, backward).
        arrow([(left + width / 2, 0.1), (left + width / 2, bottom - 0.05)], _COLOURS["hidden"])
        ax.text(left + width / 2 + 0.12, 0.05, name(f"x_{{{t}}}"), fontsize=12)
        # The state into the next step: c along the top, h along the bottom.
        start = left - (1.2 if k == 0 else step - width)
        arrow([(start, c_y), (left - 0.05, c_y)], _COLOURS["cell"], 2.6)
        arrow([(start, h_y), (left - 0.05, h_y)], _COLOURS["hidden"])
        ax.text(start + 0.15, c_y + 0.15, name(f"c_{{{k}}}"), fontsize=12)
        ax.text(start + 0.15, h_y + 0.15, name(f"h_{{{k}}}"), fontsize=12)
        # h_t up to the loss, where the loss reads it.
        if loss == "every" or t == T:
            arrow([(left + width / 2, top + 0.05), (left + width / 2, loss_y - 0.3)],
                  _COLOURS["hidden"])
            ax.text(left + width / 2 + 0.12, top + 0.35, name(f"h_{{{t}}}"), fontsize=12)
    right = 1.2 + (T - 1) * step + width
    arrow([(right + 0.05, c_y), (right + 1.0, c_y)], _COLOURS["cell"], 2.6)
    ax.text(right + 0.2, c_y + 0.15, name(f"c_{{{T}}}"), fontsize=12)
    ax.add_patch(FancyBboxPatch(
        (1.2, loss_y - 0.3), right - 1.2, 0.6, boxstyle="round,pad=0.05",
        facecolor="#fdecea" if backward else "#eeeeee", edgecolor="#555555", lw=1.0, zorder=2))
    ax.text((1.2 + right) / 2, loss_y, "loss $L$" + (
        "   (every step's $\\delta W_t$ adds into one $\\delta W$)" if backward else ""),
        ha="center", va="center", fontsize=11, zorder=3)
    ax.set_xlim(-0.2, right + 1.3)
    ax.set_ylim(-0.3, loss_y + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# -- Chapter 13: the LSTM's relatives ---------------------------------------------

#: What a variant changes is drawn in this colour, over the grey of the rest.
_CHANGE = "#e377c2"
#: The parts of the cell that each variant of :mod:`lstm_lesson.variants` changes.
VARIANT_PARTS = {"lstm": (), "peephole": ("cell", "input", "forget", "output"),
                 "cifg": ("input", "forget"), "nfg": ("forget",), "nig": ("input",),
                 "nog": ("output",), "niaf": ("candidate",), "noaf": ("output",)}


def _replace(ax, centre, label, size, circle=False):
    """Cover a box (or an operation) of the cell with what the variant puts there."""
    x, y = centre
    if circle and size is _FULL:
        ax.add_patch(Circle(centre, 0.46, facecolor="white", edgecolor=_CHANGE, lw=2.5, zorder=5))
    else:
        w, h = size["box"][0] + 0.05, size["box"][1] + 0.05
        if circle:  # a panel's tanh(c_t) is a box, a little smaller than a gate's
            w, h = w - 0.02, h - 0.06
        ax.add_patch(FancyBboxPatch((x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0.05",
                                    facecolor="white", edgecolor=_CHANGE, lw=2.5, zorder=5))
    font = size["font"]
    if size is _FULL and (circle or len(label) > 4):  # "1 - f" and "id" must fit
        font = _FONT - 3
    ax.text(x, y, label, ha="center", va="center", fontsize=font, color=_CHANGE, zorder=6)


#: The gate each variant holds constant (a box holding 1, or 1 - f), if any.
_CONSTANT = {"cifg": "i", "nfg": "f", "nig": "i", "nog": "o"}


def draw_variant(kind, ax=None, title=None, panel=False):
    """The cell diagram of :func:`draw_cell` with what a variant changes drawn in pink.

    ``kind`` is one of :data:`VARIANT_PARTS` (the GRU: :func:`draw_gru`): the
    parts the change touches are in colour, the rest grey; peepholes are dashed
    arrows from the cell state into the gates, a gate a variant drops is a box
    holding 1, the coupled input gate a box 1 - f fed by the forget gate's
    output, a dropped activation a box marked "id" (the identity). A gate held
    constant reads no input: no arrow rises into it from [h_{t-1}, x_t].
    ``panel`` draws for a panel half the text column wide, as :func:`draw_cell`.
    """
    if kind not in VARIANT_PARTS:
        raise ValueError(f"kind: expected one of {', '.join(VARIANT_PARTS)}, received {kind!r}")
    size = _PANEL if panel else _FULL
    constant = (_CONSTANT[kind],) if kind in _CONSTANT else ()
    ax = _draw_cell(VARIANT_PARTS[kind], ax, title, False, size, constant)
    gh = size["box"][1] + 0.05

    def arrow(start, end, rad, dashed=True):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                     color=_CHANGE, lw=2.2,
                                     linestyle=(0, (3, 2)) if dashed else "-",
                                     connectionstyle=f"arc3,rad={rad}", zorder=6))

    if kind == "peephole" and not panel:  # c_{t-1} into f and i, c_t into o
        arrow((1.5, _C_Y), (_X["f"] - 0.55, _GATE_Y + 0.2), 0.3)
        arrow((1.9, _C_Y), (_X["i"] - 0.3, _GATE_Y + 0.42), 0.25)
        arrow((7.2, _C_Y), (_X["o"] - 0.2, _GATE_Y + 0.42), 0.2)
    elif kind == "peephole":  # the same, into the corners of a panel's larger boxes
        gw = size["box"][0] + 0.05
        arrow((1.5, _C_Y), (_X["f"] - gw, _GATE_Y + 0.1), 0.3)
        arrow((1.9, _C_Y), (_X["i"] - gw + 0.1, _GATE_Y + gh), 0.25)
        arrow((7.2, _C_Y), (_X["o"] - gw + 0.25, _GATE_Y + gh), 0.2)
    elif kind == "cifg":  # i = 1 - f, taken from the forget gate's output
        _replace(ax, (_X["i"], _GATE_Y), r"$1{-}f$", size)
        if panel:  # the arrow from f comes where i_t's name was: move the name right
            name = next(text for text in ax.texts if text.get_text() == "$i_t$")
            name.set_x(_X["i"] + 0.12)
            arrow((_X["f"], _GATE_Y + gh + 0.45), (_X["i"] - 0.35, _GATE_Y + gh + 0.02), -0.3,
                  dashed=False)
        else:
            ax.add_patch(FancyArrowPatch((_X["f"] + 0.6, _GATE_Y), (_X["i"] - 0.62, _GATE_Y),
                                         arrowstyle="-|>", mutation_scale=12, color=_CHANGE,
                                         lw=2.2, zorder=6))
    elif kind in _CONSTANT:
        _replace(ax, (_X[_CONSTANT[kind]], _GATE_Y), "$1$", size)
    elif kind == "niaf":
        _replace(ax, (_X["c"], _GATE_Y), "id", size)
    elif kind == "noaf":
        _replace(ax, _TANH_C, "id", size, circle=True)
    return ax


def draw_gru(ax=None, title=None):
    """The gated recurrent unit (Cho et al. 2014), drawn like :func:`draw_cell`.

    One state, h, along the top: the update gate u_t keeps u_t * h_{t-1} and
    adds (1 - u_t) * n_t; the reset gate r_t scales h_{t-1} on its way into the
    candidate n_t (Cho et al.'s form; PyTorch's nn.GRU scales W_nh h_{t-1} instead).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.1))
    top, colour = _C_Y, {"u": _COLOURS["forget"], "r": _COLOURS["input"],
                         "n": _COLOURS["candidate"], "h": _COLOURS["hidden"]}
    x_u, x_r, x_n = 2.5, 4.3, 7.9
    mul_u, add, mul_n, one_minus, mul_r = (x_u, top), (x_n, top), (x_n, 4.6), (5.9, 4.6), (
        6.1, _GATE_Y)
    ax.add_patch(Rectangle((0.8, 0.4), 10.4, 6.3, facecolor="#f7f7f7",
                           edgecolor="#555555", lw=1.2, zorder=0))
    # The state h along the top: h_{t-1} -> x u -> + -> h_t; and down into the gates.
    _line(ax, [(0, top), (mul_u[0] - 0.32, top)], colour["h"], 2.6)
    _line(ax, [(mul_u[0] + 0.32, top), (add[0] - 0.32, top)], colour["h"], 2.6)
    _line(ax, [(add[0] + 0.32, top), (12.2, top)], colour["h"], 2.6)
    _line(ax, [(10.6, top), (10.6, 7.4)], colour["h"])
    _line(ax, [(0.4, top), (0.4, _H_Y), (mul_r[0], _H_Y), (mul_r[0], mul_r[1] - 0.32)],
          colour["h"])
    _line(ax, [(1.4, -0.4), (1.4, _H_Y)], colour["h"], arrow=False)
    _line(ax, [(mul_r[0], _H_Y), (x_n, _H_Y), (x_n, _GATE_Y - 0.4)], colour["h"])
    for x in (x_u, x_r):
        _line(ax, [(x, _H_Y), (x, _GATE_Y - 0.4)], colour["h"])
    ax.text(0.0, top + 0.3, r"$h_{t-1}$", fontsize=_LABEL)
    ax.text(11.3, top + 0.3, r"$h_t$", fontsize=_LABEL)
    ax.text(10.75, 7.1, r"$h_t$", fontsize=_LABEL)
    ax.text(1.55, -0.35, r"$x_t$", fontsize=_LABEL)
    # The gates and the candidate.
    _box(ax, (x_u, _GATE_Y), r"$\sigma$", colour["u"], "black")
    _box(ax, (x_r, _GATE_Y), r"$\sigma$", colour["r"], "black")
    _box(ax, (x_n, _GATE_Y), r"$\tanh$", colour["n"], "black")
    ax.text(x_u - 0.95, _GATE_Y + 0.55, r"$u_t$", fontsize=_LABEL)
    ax.text(x_r - 0.95, _GATE_Y + 0.55, r"$r_t$", fontsize=_LABEL)
    ax.text(x_n + 0.25, _GATE_Y + 0.55, r"$n_t$", fontsize=_LABEL)
    # u keeps u * h_{t-1}, and lets (1 - u) * n in.
    _line(ax, [(x_u, _GATE_Y + 0.4), (mul_u[0], mul_u[1] - 0.32)], colour["u"])
    _line(ax, [(x_u, 4.6), (one_minus[0] - 0.32, 4.6)], colour["u"])
    _line(ax, [(one_minus[0] + 0.32, 4.6), (mul_n[0] - 0.32, 4.6)], colour["u"])
    _line(ax, [(x_n, _GATE_Y + 0.4), (mul_n[0], mul_n[1] - 0.32)], colour["n"])
    _line(ax, [(mul_n[0], mul_n[1] + 0.32), (add[0], add[1] - 0.32)], colour["n"])
    # r scales h_{t-1} on its way into the candidate.
    _line(ax, [(x_r + 0.6, _GATE_Y), (mul_r[0] - 0.32, mul_r[1])], colour["r"])
    _line(ax, [(mul_r[0] + 0.32, mul_r[1]), (x_n - 0.6, _GATE_Y)], colour["r"])
    _op(ax, mul_u, r"$\times$", colour["u"])
    ax.add_patch(Circle(one_minus, 0.4, facecolor=colour["u"], edgecolor="black", lw=1.0,
                        zorder=3))
    ax.text(*one_minus, r"$1{-}$", ha="center", va="center", fontsize=_FONT - 3, zorder=4)
    _op(ax, mul_n, r"$\times$", colour["n"])
    _op(ax, add, r"$+$", colour["h"])
    _op(ax, mul_r, r"$\times$", colour["r"])
    return _frame(ax, title)
