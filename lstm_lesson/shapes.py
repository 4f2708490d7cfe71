"""Shape and type checks with errors a reader can act on.

Every public function of ``lstm_lesson`` passes its arrays through
:func:`expect` before computing, so a wrong shape is reported by argument name,
with the expected shape in the legend (N batch, T steps, D input size, H hidden
size), the sizes already fixed by earlier arguments, and the shape received;
NumPy broadcasting never gets the chance to turn a mistake into a silently
wrong answer.

Example (the parameters first, so that a wrongly sized input is the one named)::

    dims = {}
    W_f = expect("W_f", W_f, ("H", "H+D"), dims)    # binds H, then D from the rest
    b_f = expect("b_f", b_f, ("H", 1), dims)        # checks H
    x_t = expect("x_t", x_t, ("D", "N"), dims)      # checks D, binds N
    h_prev = expect("h_prev", h_prev, ("H", "N"), dims)  # checks H and N
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["expect", "as_float_array", "positive_int", "seed_int", "check_size"]


def as_float_array(name, value):
    """Return ``value`` as a floating-point ndarray, or raise ``TypeError``.

    Integers and booleans become float64; float16/32/64 keep their precision.
    Strings, objects, complex numbers and ``None`` are rejected, naming ``name``.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name}: expected a numeric array, received {type(value).__name__}"
        )
    try:
        array = np.asarray(value)
    except Exception as err:  # ragged lists and the like
        raise TypeError(f"{name}: expected a numeric array ({err})") from None
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    if array.dtype.kind != "f":
        raise TypeError(
            f"{name}: expected a numeric (real) array, received dtype {array.dtype}"
        )
    return array


#: What a size of 0 means, for the error message.
_EMPTY = {"N": "an empty batch (N = 0)", "T": "an empty sequence (T = 0)",
          "D": "inputs of size 0 (D = 0)", "H": "a cell with no units (H = 0)"}


def _split(part):
    """``"4H"`` -> (4, "H"); ``"D"`` -> (1, "D")."""
    part = part.strip()
    digits = len(part) - len(part.lstrip("0123456789"))
    return (int(part[:digits]) if digits else 1), part[digits:]


def _parts(term):
    """``"H+D"`` -> [(1, "H"), (1, "D")]; ints have no named parts."""
    if not isinstance(term, str):
        return []
    return [_split(part) for part in term.split("+")]


def _size(term, dims):
    """Evaluate one dimension term: an int, "H", "4H", or a sum such as "H+D"."""
    if isinstance(term, numbers.Integral):
        return int(term)
    total = 0
    for part in term.split("+"):
        factor, name = _split(part)
        total += factor * dims[name][0]
    return total


def _describe(spec, dims):
    """Render a spec like ('H', 'N') with the sizes bound so far."""
    names = ", ".join(str(term) for term in spec)
    known = {}  # each bound name once, in the order the spec mentions it
    for term in spec:
        if isinstance(term, str):
            for part in (_split(p)[1] for p in term.split("+")):
                if part in dims:
                    size, source = dims[part]
                    known[part] = f"{part} = {size} (from {source})"
    known = list(known.values())
    text = f"({names})" if len(spec) != 1 else f"({names},)"
    return f"{text} with {', '.join(known)}" if known else text


def expect(name, value, spec, dims):
    """Check one argument's type and shape; return it as a float array.

    Parameters
    ----------
    name : str
        The argument's name, used in the error message (``"h_prev"``).
    value : array_like
        What the caller passed.
    spec : tuple of str or int
        Expected shape in the legend, e.g. ``("H", "N")`` or ``("H", "H+D")``.
        A single name (or a multiple such as ``"4H"``) binds on first sight;
        in a sum such as ``"H+D"`` one unbound name binds to the rest.
    dims : dict
        Sizes bound so far, ``{"H": (2, "h_prev")}``; updated in place.

    Raises
    ------
    TypeError
        ``value`` is not a real numeric array.
    ValueError
        Wrong number of dimensions, or a size that disagrees with ``dims``.
        The message names the argument, the expected and the received shape.
    """
    array = as_float_array(name, value)
    if array.ndim != len(spec):
        raise ValueError(
            f"{name}: expected shape {_describe(spec, dims)}, "
            f"received {array.shape} ({array.ndim}-D instead of {len(spec)}-D)"
        )
    for term, size in zip(spec, array.shape):
        if size == 0:
            raise ValueError(
                f"{name}: expected shape {_describe(spec, dims)}, received "
                f"{array.shape}: {_EMPTY.get(term, f'{term} = 0')}; every size must "
                "be at least 1"
            )
    pending = {}
    for term, size in zip(spec, array.shape):
        bound = {**dims, **{key: (n, name) for key, n in pending.items()}}
        if isinstance(term, str):
            parts = _parts(term)
            unbound = [(factor, part) for factor, part in parts if part not in bound]
            if len(unbound) == 1 and (len(parts) == 1 or unbound[0][0] == 1):
                # The first sight of a name binds it: "4H" binds H to a quarter,
                # "H+D" with H known binds D to the rest.
                factor, single = unbound[0]
                rest = size - sum(f * bound[p][0] for f, p in parts if p in bound)
                if rest < factor or rest % factor:
                    why = (f"{size} is not a multiple of {factor}" if len(parts) == 1
                           else f"{term} = {size} would leave {single} = {rest}: "
                           f"is {name} transposed?")
                    raise ValueError(
                        f"{name}: expected shape {_describe(spec, dims)}, "
                        f"received {array.shape} ({why})"
                    )
                pending[single] = rest // factor
                continue
        if _size(term, bound) != size:
            repeated = len(_parts(term)) == 1 and _parts(term)[0][1] in pending
            # Name the sizes this argument itself bound only where the failing
            # term uses them: they explain (H, H) or a W of (4H, H+D).
            used = {part for _, part in _parts(term)}
            shown = {**dims, **{k: v for k, v in bound.items() if k in used}}
            raise ValueError(
                f"{name}: expected shape {_describe(spec, shown)}, "
                f"received {array.shape}"
                + (" (the sizes of a repeated name must be equal)" if repeated else "")
            )
    for term, size in pending.items():
        dims[term] = (size, name)
    return array


def positive_int(name, value):
    """Return ``value`` as an int if it is a positive integer, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a positive int, received {value!r}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive int, received {value}")
    return int(value)


def seed_int(name, value):
    """Return ``value`` as an int if it can seed ``np.random.default_rng``, else raise.

    A seed is a whole number >= 0 (NumPy's own message for -1 or 1.5 does not
    say which argument was wrong).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a whole number >= 0 (a random seed), "
                        f"received {value!r}")
    if value < 0:
        raise ValueError(f"{name}: expected a whole number >= 0 (a random seed), "
                         f"received {value}")
    return int(value)


#: The most memory one array the package allocates for a reader may take. A
#: mistyped size (H = 10**6) should be refused with a message, not exhaust the
#: machine's memory or fail deep inside NumPy.
MAX_ARRAY_BYTES = 2**31


def check_size(what, shape, dtype=np.float64, limit=None):
    """Refuse to allocate an array of ``shape`` larger than ``limit`` bytes.

    ``what`` names the arguments that set the shape, for the message
    (``"input_size=10, hidden_size=100000"``).
    """
    limit = MAX_ARRAY_BYTES if limit is None else limit
    count = 1
    for size in shape:
        count *= int(size)
    needed = count * np.dtype(dtype).itemsize
    if needed > limit:
        raise ValueError(
            f"{what}: an array of shape {tuple(shape)} would need "
            f"{needed / 2**30:.1f} GiB (more than {limit / 2**30:.0f} GiB); "
            "are the sizes right?"
        )
