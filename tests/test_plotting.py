"""lstm_lesson.plotting: the cell diagram colours exactly the parts asked for."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from lstm_lesson.plotting import _COLOURS, _MUTED, PARTS, draw_cell  # noqa: E402


def colours_used(ax):
    found = {to_hex(line.get_color()) for line in ax.lines}
    found |= {to_hex(patch.get_facecolor()) for patch in ax.patches}
    found |= {to_hex(patch.get_edgecolor()) for patch in ax.patches}
    return found


def test_everything_coloured_by_default():
    ax = draw_cell()
    used = colours_used(ax)
    assert {_COLOURS[p] for p in PARTS} <= used
    assert _MUTED not in used
    plt.close("all")


@pytest.mark.parametrize("part", PARTS)
def test_highlight_one_part(part):
    ax = draw_cell(highlight=part)
    used = colours_used(ax)
    assert _COLOURS[part] in used and _MUTED in used
    assert not ({_COLOURS[p] for p in PARTS if p != part} & used)
    plt.close("all")


def test_unknown_part_is_refused():
    with pytest.raises(ValueError, match="highlight: unknown part"):
        draw_cell(highlight=("forgett",))


def arrows(ax):
    """(start, end) of every arrow head's segment."""
    from matplotlib.patches import FancyArrowPatch
    return [patch._posA_posB for patch in ax.patches if isinstance(patch, FancyArrowPatch)]


def test_the_backward_cell_reverses_every_arrow():
    forward, backward = arrows(draw_cell()), arrows(draw_cell(backward=True))
    assert len(backward) == len(forward) >= 15
    # Along the cell state (y = 6) forward arrows point right, backward left.
    along_c = lambda found: [(a, b) for a, b in found if a[1] == b[1] == 6.0]  # noqa: E731
    assert len(along_c(forward)) == len(along_c(backward)) == 3
    assert all(b[0] > a[0] for a, b in along_c(forward))
    assert all(b[0] < a[0] for a, b in along_c(backward))
    # Backward, delta x_t leaves downwards and delta h_{t-1} to the left.
    assert [(1.4, 1.0), (1.4, -0.4)] in [[tuple(a), tuple(b)] for a, b in backward]
    assert [(7.9, 1.0), (0, 1.0)] in [[tuple(a), tuple(b)] for a, b in backward]
    labels = {t.get_text() for t in draw_cell(backward=True).texts}
    assert {r"$\delta c_t$", r"$\delta c_{t-1}$", r"$\delta h_{t-1}$", r"$\delta x_t$"} <= labels
    plt.close("all")


@pytest.mark.parametrize("backward", [False, True])
def test_unrolled_state_arrows_point_with_time_or_against_it(backward):
    from lstm_lesson.plotting import draw_unrolled
    ax = draw_unrolled(T=3, backward=backward, loss="every")
    horizontal = [(a, b) for a, b in arrows(ax) if a[1] == b[1]]
    assert len(horizontal) == 2 * 3 + 1  # h and c into each step, c_T out
    assert all((b[0] < a[0]) == backward for a, b in horizontal)
    vertical_up = [(a, b) for a, b in arrows(ax) if a[0] == b[0] and b[1] > a[1]]
    assert len(vertical_up) == (0 if backward else 3 + 3)  # x_t in and h_t out, forward
    texts = " ".join(t.get_text() for t in ax.texts)
    assert ("\\delta" in texts) == backward
    plt.close("all")


def test_unrolled_bad_arguments():
    from lstm_lesson.plotting import draw_unrolled
    with pytest.raises(ValueError, match="T: expected a whole number of steps from 2 to 8"):
        draw_unrolled(T=1)
    with pytest.raises(ValueError, match="loss: expected 'last' or 'every'"):
        draw_unrolled(loss="all")


# -- chapter 13: the variants ---------------------------------------------------------

def inputs_into_gates(ax):
    """The gates ("f", "i", "c", "o") that an arrow from [h_{t-1}, x_t] rises into."""
    from lstm_lesson.plotting import _GATE_Y, _H_Y, _X
    found = set()
    for a, b in arrows(ax):
        for gate, x in _X.items():
            if a == (x, _H_Y) and b[0] == x and _H_Y < b[1] < _GATE_Y:
                found.add(gate)
    return found


@pytest.mark.parametrize("panel", [False, True])
@pytest.mark.parametrize("kind, constant", [("lstm", None), ("peephole", None), ("cifg", "i"),
                                            ("nfg", "f"), ("nig", "i"), ("nog", "o"),
                                            ("niaf", None), ("noaf", None)])
def test_a_constant_gate_reads_no_input(kind, constant, panel):
    from lstm_lesson.plotting import draw_variant
    expected = {"f", "i", "c", "o"} - {constant}
    assert inputs_into_gates(draw_variant(kind, panel=panel)) == expected
    plt.close("all")


@pytest.mark.parametrize("kind", ["lstm", "peephole", "cifg", "nfg", "nig", "nog", "niaf",
                                  "noaf"])
def test_a_panels_labels_fit_their_boxes_and_are_11_points(kind):
    # Two panels to a row of the 7-inch column: every label in a box or circle
    # lies inside it, in 11 points or more (legible when shown 420 px wide).
    from matplotlib.patches import Circle, FancyBboxPatch

    from lstm_lesson.plotting import draw_cell, draw_variant
    fig, axes = plt.subplots(1, 2, figsize=(6.8, 2.4))  # as in chapter 13's figure
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1, wspace=0.02)
    draw_cell(ax=axes[0], panel=True)
    draw_variant(kind, ax=axes[1], panel=True)
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        assert min(t.get_fontsize() for t in ax.texts) >= 11
        shapes = [p for p in ax.patches if isinstance(p, (Circle, FancyBboxPatch))]
        inside = 0
        for text in ax.texts:
            x, y = text.get_position()
            around = [p for p in shapes if p.contains_point(ax.transData.transform((x, y)))]
            if not around:
                continue
            box = around[-1].get_window_extent(renderer)  # the one on top
            extent = text.get_window_extent(renderer)
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1, (text.get_text(), kind)
            assert box.y0 <= extent.y0 and extent.y1 <= box.y1, (text.get_text(), kind)
            inside += 1
        assert inside >= 9  # four gates and five operations
    plt.close("all")
