"""The set-up of every chapter's hidden first cell: sharp figures, readable prints.

``setup()`` makes Matplotlib draw PNGs at twice the resolution (sharp on a
high-DPI screen, shown at their normal size), with fonts large enough to read
when the book is narrowed to a phone's 420 px, and makes NumPy print arrays
rounded to 4 decimals within the book's 88-character lines.

Figures of the course are at most :data:`MAX_FIGURE_WIDTH` inches wide: the
text column at 1280 px is about 7 inches at the book's 100 dpi, so a wider
figure would be shrunk, and its text with it.
"""

import matplotlib
import numpy as np

__all__ = ["setup", "FONT_SIZE", "MAX_FIGURE_WIDTH", "LINE_WIDTH"]

#: Base font size of figures, in points.
FONT_SIZE = 12
#: The widest figure, in inches.
MAX_FIGURE_WIDTH = 7.0
#: The widest line of code or printed output, in characters.
LINE_WIDTH = 88


def setup():
    """Configure Matplotlib and NumPy for a chapter; returns nothing.

    In IPython (Jupyter, the book's build, nbval) figures become 2x PNGs; the
    PNG format keeps stored notebooks comparable by nbval, which does not
    compare images (SVG text would differ in its last digits between machines).
    """
    matplotlib.rcParams.update({
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 1,
        "axes.labelsize": FONT_SIZE,
        "legend.fontsize": FONT_SIZE - 2,
        "xtick.labelsize": FONT_SIZE - 1,
        "ytick.labelsize": FONT_SIZE - 1,
        "figure.figsize": (MAX_FIGURE_WIDTH, 4.0),
        "figure.dpi": 100,
    })
    np.set_printoptions(precision=4, suppress=True, linewidth=LINE_WIDTH)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython ships with the package
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")
