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
