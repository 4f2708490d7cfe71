"""The machinery shared by every checker: run, compare, diagnose, report.

A checker runs the reader's function and the reference on the same cases
(fixed-seed random inputs and edge cases). At the first case where they
disagree it looks for the reader's answer in a catalogue of typical mistakes,
each a small wrong implementation: if one of them gives the reader's answer,
its hint is shown; otherwise a general hint. Exceptions in the reader's code
are reported as their message and the case, never as a traceback, and
``NotImplementedError`` (the workbook's stub) reads "not attempted yet".
"""

from __future__ import annotations

import copy
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["Case", "Mistake", "CheckResult", "run_check"]


@dataclass(frozen=True)
class Case:
    """One input to try: a readable name and the positional arguments."""

    name: str
    args: tuple


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a function with the reference's signature.

    ``variants`` are other spellings of the same slip that fail differently
    (``np.dot`` raises another message than ``@``); any of them may match.
    """

    name: str
    hint: str
    fn: Callable
    variants: tuple = ()


@dataclass
class CheckResult:
    """What a checker found. Truthy when every case passed.

    Attributes: ``passed``, ``attempted`` (False for a stub), ``case`` (name of
    the first failing case), ``mistake`` (name of the catalogued mistake that
    explains the answer, if any), ``message`` (the text printed).
    """

    checker: str
    passed: bool
    attempted: bool = True
    case: str | None = None
    mistake: str | None = None
    message: str = ""

    def __bool__(self):
        return self.passed

    def __str__(self):
        return self.message

    def _ipython_display_(self):
        # The checker has printed its verdict already; showing the result object
        # again as Out[n] would only repeat it.
        pass


@dataclass
class _Outcome:
    value: Any = None
    error: BaseException | None = None
    warned: tuple = field(default_factory=tuple)
    changed: tuple = field(default_factory=tuple)  # positions of arguments modified in place


def _call(fn, args):
    """Run ``fn(*args)`` on a private copy of the arguments.

    Records the warnings it raised and which arguments it modified in place
    (a function that overwrites ``c_prev`` corrupts its caller's state, even
    when it returns the right values).
    """
    pristine = copy.deepcopy(args)
    args = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except NotImplementedError:
            raise
        except Exception as err:  # the reader's bug, shown as a message
            return _Outcome(error=err, warned=_messages(caught))
    changed = tuple(k for k, (a, b) in enumerate(zip(pristine, args)) if not _equal(a, b))
    return _Outcome(value=value, warned=_messages(caught), changed=changed)


def _equal(a, b):
    """Exact equality of case arguments (arrays, numbers, and dicts or lists of them)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_equal, a, b))
    try:
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    except TypeError:
        return a == b


def _messages(caught):
    return tuple(sorted({f"{w.category.__name__}: {w.message}" for w in caught}))


def _parts(value, outputs):
    """Split a return value into named arrays (a tuple for several outputs)."""
    if len(outputs) == 1:
        return {outputs[0]: value}
    if not isinstance(value, (tuple, list)) or len(value) != len(outputs):
        raise _Mismatch(
            f"returned {_short(value)}; expected a tuple ({', '.join(outputs)})",
            hint=f"End with `return {', '.join(outputs)}`.",
        )
    return dict(zip(outputs, value))


class _Mismatch(Exception):
    """Raised internally to describe how the answer differs.

    ``hint`` is used when no catalogued mistake explains the answer and the
    difference itself says what to do (a missing return, a wrong container).
    """

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.hint = hint


def _short(value):
    if isinstance(value, np.ndarray) or np.isscalar(value):
        return _fmt(value)
    return f"a {type(value).__name__}"


def _fmt(value, prefix=""):
    """An array as text; continuation lines aligned after ``prefix``."""
    array = np.asarray(value)
    text = prefix + np.array2string(
        array, precision=6, suppress_small=False, threshold=12, edgeitems=2,
        prefix=prefix,
    )
    dtype = f", {array.dtype}" if array.dtype.kind == "f" else ""
    return f"{text} (shape {array.shape}{dtype})"


def _compare(expected, got, outputs, rtol, atol, check_dtype, names):
    """Raise ``_Mismatch`` describing the first difference, or return None."""
    if got.error is not None:
        raise _Mismatch(f"raised {type(got.error).__name__}: {got.error}")
    if got.value is None:
        raise _Mismatch("returned None", hint="Is a `return` statement missing?")
    want, have = _parts(expected.value, outputs), _parts(got.value, outputs)
    for name in outputs:
        label = f"{name}: " if len(outputs) > 1 else ""
        try:
            received = np.asarray(have[name])
            ok_type = received.dtype.kind in "biuf"
        except Exception:
            ok_type = False
        if not ok_type:
            raise _Mismatch(f"{label}returned {_short(have[name])}, not a numeric array")
        target = np.asarray(want[name])
        if received.shape != target.shape:
            raise _Mismatch(
                f"{label}shape {received.shape}, expected shape {target.shape}",
            )
        if check_dtype and received.dtype != target.dtype:
            raise _Mismatch(
                f"{label}dtype {received.dtype}, expected {target.dtype} "
                "(same as the input)"
            )
        if not np.allclose(received, target, rtol=rtol, atol=atol):
            raise _Mismatch(
                f"{label}values differ\n{_fmt(target, '    expected: ')}"
                f"\n{_fmt(received, '    received: ')}"
                f"\n    {_difference(received, target, rtol, atol)}"
            )
    if got.warned and not expected.warned:
        raise _Mismatch(f"correct values, but NumPy warned: {'; '.join(got.warned)}")
    modified = [names[k] if k < len(names) else f"argument {k + 1}"
                for k in got.changed if k not in expected.changed]
    if modified:
        listed = ", ".join(f"`{n}`" for n in modified)
        raise _Mismatch(
            f"correct values, but it changed {listed} in place",
            hint="Leave the arguments as they are: the caller still needs them. "
            "Write new arrays (`c_t = f * c_prev + ...`) instead of updating "
            "in place (`c_prev *= f`, `x[...] = ...`).",
        )
    return None


def _difference(received, target, rtol, atol):
    """How far off the answer is, and a word on precision if that is the cause."""
    with np.errstate(all="ignore"):
        gap = np.abs(received.astype(np.float64) - target)
        relative = gap / np.maximum(np.abs(target), np.finfo(np.float64).tiny)
    finite = np.isfinite(gap)
    text = (f"largest difference: {np.max(gap[finite], initial=0):.2e} absolute, "
            f"{np.max(relative[finite], initial=0):.2e} relative "
            f"(allowed: {atol:g} + {rtol:g} x |expected|)")
    if not np.all(finite):
        text += f"; {int(np.sum(~finite))} value(s) are nan or inf"
    if received.dtype == np.float32 and target.dtype == np.float64:
        text += "; your result is float32: compute in float64 as the inputs are"
    return text


def _same(a, b, outputs, check_dtype):
    """Does outcome ``a`` (a catalogued mistake) reproduce outcome ``b``?"""
    if (a.error is None) != (b.error is None):
        return False
    if a.error is not None:
        return type(a.error) is type(b.error) and str(a.error) == str(b.error)
    if bool(a.warned) != bool(b.warned) or a.changed != b.changed:
        return False
    try:
        pa, pb = _parts(a.value, outputs), _parts(b.value, outputs)
        for name in outputs:
            x, y = np.asarray(pa[name]), np.asarray(pb[name])
            if x.shape != y.shape or (check_dtype and x.dtype != y.dtype):
                return False
            if not np.allclose(x, y, rtol=1e-6, atol=1e-9, equal_nan=True):
                return False
    except Exception:
        return False
    return True


def _diagnose(candidate_outcome, expected, case, mistakes, outputs, check_dtype):
    """The first catalogued mistake that reproduces the reader's answer.

    A mistake that gives the right answer on this case cannot explain a
    failure here, so it is skipped (an unstable sigmoid agrees with the
    reference until the inputs are large).
    """
    for mistake in mistakes:
        for fn in (mistake.fn, *mistake.variants):
            outcome = _call(fn, case.args)
            if _same(outcome, expected, outputs, check_dtype):
                continue
            if _same(outcome, candidate_outcome, outputs, check_dtype):
                return mistake
    return None


def run_check(
    checker,
    candidate,
    reference,
    cases,
    mistakes=(),
    generic_hint="",
    outputs=("result",),
    rtol=1e-7,
    atol=1e-10,
    check_dtype=False,
    quiet=False,
):
    """Compare ``candidate`` with ``reference`` on ``cases``; print a verdict.

    Parameters
    ----------
    checker : str
        The checker's name, shown in the verdict (``"check_sigmoid"``).
    candidate, reference : callable
        The reader's function and the package's, with the same signature.
    cases : sequence of Case
    mistakes : sequence of Mistake
        The catalogue used to explain a wrong answer.
    generic_hint : str
        Shown when no catalogued mistake reproduces the answer.
    outputs : tuple of str
        Names of the returned arrays; more than one means a tuple is returned.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    check_dtype : bool
        Also require the reference's dtype (float32 in, float32 out).
    quiet : bool
        Do not print (the result still carries the message).

    Returns
    -------
    CheckResult
    """
    result = _run(
        checker, candidate, reference, cases, mistakes, generic_hint,
        tuple(outputs), rtol, atol, check_dtype,
    )
    if not quiet:
        print(result.message)
    return result


def _run(checker, candidate, reference, cases, mistakes, generic_hint, outputs,
         rtol, atol, check_dtype):
    names = list(inspect.signature(reference).parameters)
    if not callable(candidate):
        return CheckResult(
            checker, False,
            message=f"✗ {checker}: expected your function, received "
            f"{_short(candidate)}. Pass the function itself, without calling it.",
        )
    for case in cases:
        try:
            got = _call(candidate, case.args)
        except NotImplementedError:
            return CheckResult(
                checker, False, attempted=False, case=case.name,
                message=f"… {checker}: not attempted yet (the function raises "
                "NotImplementedError). Write it, then run this cell again.",
            )
        expected = _call(reference, case.args)
        if expected.error is not None:  # pragma: no cover - a bug in the case list
            raise expected.error
        try:
            _compare(expected, got, outputs, rtol, atol, check_dtype, names)
            continue
        except _Mismatch as problem:
            difference, own_hint = str(problem), problem.hint
        mistake = _diagnose(got, expected, case, mistakes, outputs, check_dtype)
        if mistake is not None:
            hint = mistake.hint
        else:
            hint = own_hint or generic_hint
        return CheckResult(
            checker, False, case=case.name,
            mistake=mistake.name if mistake is not None else None,
            message=f"✗ {checker}: case {case.name!r}: {difference}\n  hint: {hint}",
        )
    return CheckResult(
        checker, True, message=f"✓ {checker}: all {len(cases)} cases pass."
    )
