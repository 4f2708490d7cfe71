"""How many threads NumPy's BLAS uses, for a while: ``with blas_threads(1): ...``.

The course's matrices are small (a few hundred rows): splitting one product
across threads costs more than it saves, and on a machine whose cores are busy
with other work the BLAS threads wait for each other, which can make a
training run ten times slower. The training loop therefore runs with one BLAS
thread and gives the previous number back afterwards.

Only NumPy's bundled OpenBLAS is known here (found with ``ctypes``); with any
other BLAS, or if its functions cannot be found, nothing changes.
"""

import ctypes
import glob
from contextlib import contextmanager
from pathlib import Path

import numpy as np

__all__ = ["blas_threads", "openblas_core"]

_NAMES = {
    "get": ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
            "openblas_get_num_threads"),
    "set": ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
            "openblas_set_num_threads"),
    "core": ("scipy_openblas_get_corename64_", "openblas_get_corename64_",
             "openblas_get_corename"),
}
_LIBRARY = []


def _function(kind):
    if not _LIBRARY:
        folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
        found = None
        for path in sorted(glob.glob(str(folder / "*openblas*"))):
            try:
                found = ctypes.CDLL(path)
                break
            except OSError:
                continue
        _LIBRARY.append(found)
    library = _LIBRARY[0]
    if library is None:
        return None
    return next((getattr(library, name) for name in _NAMES[kind] if hasattr(library, name)),
                None)


def openblas_core():
    """The OpenBLAS kernels chosen at run time (``"Haswell"``, ``"Prescott"``...), or None."""
    function = _function("core")
    if function is None:
        return None
    function.restype = ctypes.c_char_p
    return function().decode()


@contextmanager
def blas_threads(count):
    """Run the body with ``count`` BLAS threads, then restore the number before."""
    get, set_ = _function("get"), _function("set")
    if get is None or set_ is None:
        yield
        return
    get.restype = ctypes.c_int
    set_.argtypes = [ctypes.c_int]
    before = get()
    set_(int(count))
    try:
        yield
    finally:
        set_(before)
