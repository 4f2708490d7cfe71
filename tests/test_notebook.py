"""lstm_lesson.notebook: the chapters' set-up."""

import matplotlib
import numpy as np

from lstm_lesson.notebook import FONT_SIZE, LINE_WIDTH, MAX_FIGURE_WIDTH, setup


def test_setup_sets_fonts_figure_width_and_print_options():
    before = np.get_printoptions()
    try:
        setup()
        assert matplotlib.rcParams["font.size"] == FONT_SIZE >= 11
        assert matplotlib.rcParams["figure.figsize"][0] == MAX_FIGURE_WIDTH
        options = np.get_printoptions()
        assert options["precision"] == 4 and options["suppress"] and options["linewidth"] == LINE_WIDTH
        assert len(np.array2string(np.linspace(0, 1, 40))
                   .splitlines()[0]) <= LINE_WIDTH
    finally:
        np.set_printoptions(**before)
        matplotlib.rcdefaults()
