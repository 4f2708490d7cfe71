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
