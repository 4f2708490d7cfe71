"""lstm_lesson.source: the book shows the package's real source."""

import inspect

from lstm_lesson.activations import sigmoid
from lstm_lesson.reference import LSTMCell
from lstm_lesson.source import show_source


def test_shows_the_exact_source():
    for obj in (sigmoid, LSTMCell):
        shown = show_source(obj).data
        assert inspect.getsource(obj).rstrip() in shown
        assert shown.count("```python") == 1
    assert "`lstm_lesson.activations.sigmoid`" in show_source(sigmoid).data
