"""lstm_lesson.threads: the BLAS thread count is set for a while and given back."""

import ctypes

import numpy as np

from lstm_lesson import threads
from lstm_lesson.threads import blas_threads, openblas_core


def count():
    get = threads._function("get")
    if get is None:
        return None
    get.restype = ctypes.c_int
    return get()


def test_one_thread_inside_the_previous_number_after():
    before = count()
    with blas_threads(1):
        inside = count()
        product = np.ones((300, 300)) @ np.ones((300, 300))
    assert product[0, 0] == 300
    if before is not None:  # NumPy's bundled OpenBLAS
        assert inside == 1 and count() == before


def test_the_number_is_given_back_after_an_error():
    before = count()
    try:
        with blas_threads(1):
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert count() == before


def test_the_core_is_named_or_none():
    core = openblas_core()
    assert core is None or (isinstance(core, str) and core)
