"""The machinery shared by every checker: run, compare, diagnose, report.

A checker runs the reader's function and the reference on the same cases
(fixed-seed random inputs and edge cases). At the first case where they
disagree it looks for the reader's answer in a catalogue of typical mistakes,
each a small wrong implementation: if one of them gives the reader's answer,
its hint is shown; otherwise a general hint. Hints come in two tiers: the first
names the slip and where to look, without the code that fixes it; the second,
the fix, is shown on request (``check_x(my_x, hint=2)``).

Exceptions in the reader's code are reported as their message and the case,
never as a traceback, and ``NotImplementedError`` (the workbook's stub) reads
"not attempted yet". A case that does not return within :data:`TIME_LIMIT`
seconds is stopped (an endless loop). Every call runs under NumPy's default
floating-point error state, whatever the reader's notebook set with
``np.seterr``, which is restored afterwards.
"""

from __future__ import annotations

import ast
import copy
import inspect
import re
import signal
import textwrap
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["Case", "Mistake", "WrongPrediction", "CheckResult", "run_check",
           "run_prediction", "TIME_LIMIT"]

#: Seconds one case may take before the reader's function is stopped. A correct
#: answer takes milliseconds on these small cases; the margin covers a slow,
#: busy machine and a reader's plain Python loops.
TIME_LIMIT = 10.0

#: NumPy's default floating-point error state, under which every call runs.
_NUMPY_DEFAULTS = dict(divide="warn", over="warn", under="ignore", invalid="warn")

#: The messages of NumPy's floating-point warnings (a RuntimeWarning each); only
#: these make a correct answer fail. "Mean of empty slice" and the like do not.
_FLOATING_POINT = re.compile(r"(overflow|underflow|invalid value|divide by zero) encountered")

_TIME_HINT = ("Look for a loop that never ends: a `while` whose condition stays true, "
              "or a loop that never advances its counter; remove any `time.sleep` "
              "or `input()`.")


def _in_place_hints(names, containers=()):
    """The two tiers for an answer that changed the arguments ``names`` in place,
    naming them (and no other exercise's code); ``containers`` are the names of
    those that are dicts or lists, not arrays."""
    them = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    plural = len(names) > 1
    kind = ("new arrays" if not any(n in containers for n in names)
            else "a new dict or list (of new arrays)" if all(n in containers for n in names)
            else "new arrays (and a new dict or list)")
    hint = (f"Leave {them} as {'they were' if plural else 'it was'}: the caller still "
            f"needs {'them' if plural else 'it'}. Make {kind} for your results instead "
            f"of changing {them} in place.")
    a = names[0]
    if a in containers:
        fix = (f"Build a new one, such as `{{k: ... for k in {a}}}`, instead of assigning "
               f"to `{a}[k]` or updating its arrays with `-=`, `*=` or `[...] =`.")
    else:
        fix = (f"`{a} = {a} * 2` makes a new array, while `{a} *= 2`, `{a} -= ...`, "
               f"`{a}[...] = ...` or `out={a}` write into the caller's array.")
    return hint, fix


@dataclass(frozen=True)
class Case:
    """One input to try: a readable name and the positional arguments."""

    name: str
    args: tuple


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a function with the reference's signature.

    ``hint`` (tier 1) names the slip and where to look, without code or the
    formula that fixes it; ``fix`` (tier 2) gives the fix, shown with
    ``hint=2``. ``variants`` are other spellings of the same slip that fail
    differently (``np.dot`` raises another message than ``@``); any of them
    may match.
    """

    name: str
    hint: str
    fix: str
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
    warned: tuple = field(default_factory=tuple)  # NumPy's floating-point warnings
    other_warnings: tuple = field(default_factory=tuple)  # any other warning
    changed: tuple = field(default_factory=tuple)  # positions of arguments modified in place
    timed_out: bool = False


class _TimeUp(BaseException):
    """Raised in the reader's function when its time is up. A BaseException, so
    that the reader's own ``except Exception:`` cannot swallow it."""


@contextmanager
def _time_limit(seconds):
    """Interrupt the body with ``_TimeUp`` after ``seconds`` (None: no limit).

    Uses SIGALRM, which stops Python loops and ``time.sleep`` (Jupyter runs
    cells in the main thread). Without SIGALRM, or outside the main thread,
    the body runs without a limit. The previous handler and timer are
    restored; a timer that was running keeps its remaining time.
    """
    if (seconds is None or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expire(signum, frame):
        raise _TimeUp

    previous_handler = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, expire)
    previous_timer, start = (0.0, 0.0), time.monotonic()
    try:
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            # The timer is one-shot: if it fires before this line, _TimeUp
            # leaves through the outer `finally`, which still restores.
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM,
                      signal.SIG_DFL if previous_handler is None else previous_handler)
        delay, interval = previous_timer
        if delay > 0:  # at least a microsecond: 0 would cancel it
            left = max(delay - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, interval)


def _call(fn, args, time_limit=None):
    """Run ``fn(*args)`` on a private copy of the arguments.

    Records the warnings it raised and which arguments it modified in place
    (a function that overwrites ``c_prev`` corrupts its caller's state, even
    when it returns the right values). Runs under NumPy's default error state
    and at most ``time_limit`` seconds.
    """
    before = copy.deepcopy(args)
    args = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught, np.errstate(**_NUMPY_DEFAULTS):
        warnings.simplefilter("always")
        try:
            with _time_limit(time_limit):
                value = fn(*args)
        except NotImplementedError:
            raise
        except _TimeUp:
            return _Outcome(timed_out=True, **_warnings(caught))
        except Exception as err:  # the reader's bug, shown as a message
            return _Outcome(error=err, **_warnings(caught))
    changed = tuple(k for k, (a, b) in enumerate(zip(before, args)) if not _equal(a, b))
    return _Outcome(value=value, changed=changed, **_warnings(caught))


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


def _warnings(caught):
    """The caught warnings as text, NumPy's floating-point ones apart."""
    numeric, other = set(), set()
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        floating = issubclass(w.category, RuntimeWarning) and _FLOATING_POINT.search(str(w.message))
        (numeric if floating else other).add(text)
    return dict(warned=tuple(sorted(numeric)), other_warnings=tuple(sorted(other)))


def _parts(value, outputs, returns=None):
    """Split a return value into named arrays (a tuple or a list for several outputs).

    ``returns`` is how the exercise names the container, as code: the list
    ``"[kernel, recurrent_kernel, bias]"``; by default the tuple of the outputs.
    """
    if len(outputs) == 1:
        return {outputs[0]: value}
    names = ", ".join(outputs)
    if returns:
        wanted = container = f"a list {returns} (a tuple of the {len(outputs)} also does)"
    else:
        wanted, container, returns = f"({names})", f"a tuple ({names})", names
    hint = f"End with `return {returns}`."
    if not isinstance(value, (tuple, list)):
        raise _Mismatch(f"returned {_short(value)}; expected {container}", hint=hint)
    if len(value) != len(outputs):
        count = f"{len(value)} value{'' if len(value) == 1 else 's'}"
        raise _Mismatch(
            f"returned a {type(value).__name__} of {count}; "
            f"expected {len(outputs)}: {wanted}", hint=hint)
    return dict(zip(outputs, value))


class _Mismatch(Exception):
    """Raised internally to describe how the answer differs.

    ``hint`` is used when no catalogued mistake explains the answer and the
    difference itself says what to do (a missing return, a wrong container).
    """

    def __init__(self, message, hint=None, fix=""):
        super().__init__(message)
        self.hint = hint
        self.fix = fix


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


def _problem(target, received, rtol, atol, check_dtype, indent):
    """How one returned array differs from ``target``: a headline and detail
    lines (indented by ``indent``), or None when it is right."""
    try:
        array = np.asarray(received)
        numeric = array.dtype.kind in "biuf"
    except Exception:
        numeric = False
    if not numeric:
        return [f"returned {_short(received)}, not a numeric array"]
    target = np.asarray(target)
    if array.shape != target.shape:
        return [f"shape {array.shape}, expected shape {target.shape}"]
    if check_dtype and array.dtype != target.dtype:
        return [f"dtype {array.dtype}, expected {target.dtype} (same as the input)"]
    if np.allclose(array, target, rtol=rtol, atol=atol):
        return None
    return ["values differ",
            _fmt(target, f"{indent}expected: "),
            _fmt(array, f"{indent}received: "),
            *(indent + line for line in _difference(array, target, rtol, atol))]


def _compare(expected, got, outputs, rtol, atol, check_dtype, names, time_limit,
             returns=None, containers=()):
    """Raise ``_Mismatch`` describing how ``got`` differs, or return None.

    For several outputs the first line says which are right and which differ,
    and the first that differs is shown in detail.
    """
    if got.timed_out:
        raise _Mismatch(f"did not return within {time_limit:g} s (an endless loop?)",
                        hint=_TIME_HINT)
    if got.error is not None:
        raise _Mismatch(f"raised {type(got.error).__name__}: {got.error}")
    if got.value is None:
        raise _Mismatch("returned None", hint="Is a `return` statement missing?")
    want, have = _parts(expected.value, outputs), _parts(got.value, outputs, returns)
    indent = "    " if len(outputs) == 1 else "      "
    problems = {name: _problem(want[name], have[name], rtol, atol, check_dtype, indent)
                for name in outputs}
    wrong = [name for name in outputs if problems[name]]
    modified = _modified(got, expected, names)
    changed = [names[k] if k < len(names) else f"argument {k + 1}"
               for k in got.changed if k not in expected.changed]
    # Reported beside any other difference, not only when the values are right.
    also = f"\n    it also changed {modified} in place (the caller still needs it)" \
        if modified else ""
    if wrong:
        first = problems[wrong[0]]
        if len(outputs) == 1:
            text = "\n".join(first)
        else:
            text = "\n".join([_which(outputs, wrong), f"    {wrong[0]}: {first[0]}", *first[1:]])
        raise _Mismatch(text + also)
    if got.warned and not expected.warned:
        raise _Mismatch(f"correct values, but NumPy warned: {'; '.join(got.warned)}" + also)
    if modified:
        raise _Mismatch(f"correct values, but it changed {modified} in place",
                        *_in_place_hints(changed, containers))
    return None


def _which(outputs, wrong):
    """"dx, dW differ; dh_prev, dc_prev, db are right" for several outputs."""
    right = [name for name in outputs if name not in wrong]
    text = f"{', '.join(wrong)} {'differs' if len(wrong) == 1 else 'differ'}"
    if right:
        text += f"; {', '.join(right)} {'is' if len(right) == 1 else 'are'} right"
    return text


def _modified(got, expected, names):
    """The arguments the reader changed in place (and the reference did not),
    as text such as "`c_prev`", or ""."""
    modified = [names[k] if k < len(names) else f"argument {k + 1}"
                for k in got.changed if k not in expected.changed]
    return ", ".join(f"`{n}`" for n in modified)


def _difference(received, target, rtol, atol):
    """Lines on how far off the answer is, and a word on precision if that is
    the cause. Entries that are nan or inf are counted and located, never
    measured; the relative figure skips entries whose expected value is 0."""
    received64 = received.astype(np.float64)
    finite = np.isfinite(received64) & np.isfinite(target)
    lines = []
    broken = ~np.isfinite(received64) & np.isfinite(target)
    if broken.any():
        lines.append(_non_finite(received64, broken))
    missed = ~np.isfinite(target) & ~np.isclose(received64, target, equal_nan=True)
    if missed.any():
        lines.append(f"{int(missed.sum())} of {target.size} values should be nan or inf "
                     f"and are not{_where(missed)}")
    if finite.any():
        with np.errstate(all="ignore"):
            gap = np.abs(received64 - target)
        nonzero = finite & (target != 0)
        relative = (f"{np.max(gap[nonzero] / np.abs(target[nonzero])):.2e} relative"
                    if nonzero.any() else "relative n/a (every expected value is 0)")
        among = " among the finite values" if broken.any() or missed.any() else ""
        lines.append(f"largest difference{among}: {np.max(gap[finite]):.2e} absolute, "
                     f"{relative} (allowed: {atol:g} + {rtol:g} x |expected|)")
    if received.dtype == np.float32 and target.dtype == np.float64:
        lines.append("your result is float32: compute in float64 as the inputs are")
    return lines


def _non_finite(received, broken):
    """"nan or inf where numbers are expected: 2 of 6 values are nan (at [0, 1],
    [1, 0]), 1 is inf (at [2, 2])"."""
    parts = []
    for word, mask in (("nan", np.isnan(received) & broken), ("inf", np.isinf(received) & broken)):
        count = int(mask.sum())
        if count:
            if broken.size == 1:
                parts.append(f"the value is {word}")
                continue
            verb = "is" if count == 1 else "are"
            total = "" if parts else f" of {broken.size} values"
            parts.append(f"{count}{total} {verb} {word}{_where(mask)}")
    return f"nan or inf where numbers are expected: {', '.join(parts)}"


def _where(mask, most=4):
    """The positions of the True entries, " (at [0, 1], [2, 0], ...)"."""
    if mask.ndim == 0:
        return ""
    spots = [f"[{', '.join(map(str, spot))}]" for spot in np.argwhere(mask)[:most]]
    more = ", ..." if mask.sum() > most else ""
    return f" (at {', '.join(spots)}{more})"


def _same(a, b, outputs, check_dtype, rtol=1e-6, atol=1e-9, strict=True):
    """Does outcome ``a`` (a catalogued mistake) reproduce outcome ``b``?

    ``strict`` also asks for the same arguments changed in place; without it
    only the values (or the error) count.
    """
    if a.timed_out or b.timed_out or (a.error is None) != (b.error is None):
        return False
    if a.error is not None:
        return type(a.error) is type(b.error) and str(a.error) == str(b.error)
    if bool(a.warned) != bool(b.warned) or (strict and a.changed != b.changed):
        return False
    try:
        pa, pb = _parts(a.value, outputs), _parts(b.value, outputs)
        for name in outputs:
            x, y = np.asarray(pa[name]), np.asarray(pb[name])
            if x.shape != y.shape or (check_dtype and x.dtype != y.dtype):
                return False
            if not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
                return False
    except Exception:
        return False
    return True


def _diagnose(candidate_outcome, expected, case, mistakes, outputs, check_dtype, rtol, atol):
    """The first catalogued mistake that reproduces the reader's answer.

    A mistake that passes this case (within the checker's tolerances ``rtol``,
    ``atol``) cannot explain a failure here, so it is skipped (an unstable
    sigmoid agrees with the reference until the inputs are large). A mistake
    that gives the reader's values but leaves the arguments alone still
    explains an answer that also changed them in place; one that matches
    exactly is preferred.
    """
    by_values = None
    for mistake in mistakes:
        for fn in (mistake.fn, *mistake.variants):
            outcome = _call(fn, case.args)
            if _same(outcome, expected, outputs, check_dtype, rtol, atol):
                continue
            if _same(outcome, candidate_outcome, outputs, check_dtype):
                return mistake
            if by_values is None and _same(outcome, candidate_outcome, outputs,
                                           check_dtype, strict=False):
                by_values = mistake
    return by_values


def run_check(
    checker,
    candidate,
    reference,
    cases,
    mistakes=(),
    generic_hint="",
    generic_fix="",
    outputs=("result",),
    rtol=1e-7,
    atol=1e-10,
    check_dtype=False,
    quiet=False,
    hint=1,
    time_limit=None,
    may_change=(),
    one_product=False,
    returns=None,
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
    generic_hint, generic_fix : str
        The two tiers of the hint shown when no catalogued mistake reproduces
        the answer: where to look, and (with ``hint=2``) how to fix it.
    outputs : tuple of str
        Names of the returned arrays; more than one means a tuple is returned.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    check_dtype : bool
        Also require the reference's dtype (float32 in, float32 out).
    quiet : bool
        Do not print (the result still carries the message).
    hint : int
        1 names the mistake; 2 also shows its fix.
    time_limit : float or None
        Seconds each case may take; None means :data:`TIME_LIMIT`.
    may_change : sequence of str
        Arguments the candidate may change in place (a training loop that
        updates the parameters it returns); any other changed argument fails.
    returns : str or None
        The container of several outputs as the exercise asks for it, as code:
        ``"[kernel, recurrent_kernel, bias]"`` for a list (a tuple also
        passes); by default the tuple of ``outputs``. Only the messages change.
    one_product : bool
        The exercise asks for one product and no loop: an answer with the right
        values whose source (when :func:`inspect.getsource` finds it) holds a
        loop or a comprehension, or calls ``map``, fails, the line named.

    Returns
    -------
    CheckResult
    """
    with np.errstate(**_NUMPY_DEFAULTS):
        result = _run(
            checker, candidate, reference, cases, mistakes, (generic_hint, generic_fix),
            tuple(outputs), rtol, atol, check_dtype, hint,
            TIME_LIMIT if time_limit is None else time_limit, tuple(may_change),
            one_product, returns,
        )
    if not quiet:
        print(result.message)
    return result


def _run(checker, candidate, reference, cases, mistakes, generic, outputs,
         rtol, atol, check_dtype, hint, time_limit, may_change=(), one_product=False,
         returns=None):
    names = list(inspect.signature(reference).parameters)
    if not callable(candidate):
        return CheckResult(
            checker, False,
            message=f"✗ {checker}: expected your function, received "
            f"{_short(candidate)}. Pass the function itself, without calling it.",
        )
    notes = set()
    for case in cases:
        try:
            got = _call(candidate, case.args, time_limit)
        except NotImplementedError:
            return CheckResult(
                checker, False, attempted=False, case=case.name,
                message=f"… {checker}: not attempted yet.\n  Your function still raises "
                "NotImplementedError: write it, then run this cell.",
            )
        expected = _call(reference, case.args)
        if expected.error is not None:  # pragma: no cover - a bug in the case list
            raise expected.error
        got.changed = tuple(k for k in got.changed
                            if k >= len(names) or names[k] not in may_change)
        notes.update(set(got.other_warnings) - set(expected.other_warnings))
        try:
            containers = {name for name, arg in zip(names, case.args)
                          if isinstance(arg, (dict, list))}
            _compare(expected, got, outputs, rtol, atol, check_dtype, names, time_limit,
                     returns, containers)
            continue
        except _Mismatch as problem:
            difference, own_hint, own_fix = str(problem), problem.hint, problem.fix
        mistake = _diagnose(got, expected, case, mistakes, outputs, check_dtype, rtol, atol)
        if mistake is not None:
            tiers = (mistake.hint, mistake.fix)
        else:
            tiers = (own_hint, own_fix) if own_hint else generic
        return CheckResult(
            checker, False, case=case.name,
            mistake=mistake.name if mistake is not None else None,
            message="\n".join([f"✗ {checker}: case {case.name!r}: {difference}",
                                *_hints(checker, candidate, *tiers, hint)]),
        )
    loop = _loop_in(candidate) if one_product else None
    if loop is not None:
        return CheckResult(
            checker, False, mistake="a loop over the steps",
            message="\n".join([f"✗ {checker}: right values, but with a loop over the steps "
                               f"(`{loop}`): the exercise asks for one product.",
                               *_hints(checker, candidate, *generic, hint)]),
        )
    message = f"✓ {checker}: all {len(cases)} cases pass."
    for note in sorted(notes):
        message += f"\n  note: your function warned (not counted against it): {note}"
    return CheckResult(checker, True, message=message)


_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp,
          ast.GeneratorExp)


def _loop_in(fn):
    """The first line of ``fn``'s source that loops (a ``for``, a ``while``, a
    comprehension, a call of ``map``), or None: also when the source cannot be
    read (a built-in, a function made by ``exec``), which is given the benefit
    of the doubt. Only ``fn``'s own source is read, not the functions it calls."""
    fn = inspect.unwrap(fn) if callable(fn) else fn
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    code = getattr(fn, "__code__", None)
    if getattr(fn, "__name__", "") == "<lambda>":
        # The lines of a lambda may hold other code: read the lambda alone, when
        # its parameters tell it from any other on those lines.
        params = code.co_varnames[:code.co_argcount] if code is not None else None
        found = [node for node in ast.walk(tree) if isinstance(node, ast.Lambda)
                 and tuple(a.arg for a in node.args.args) == params]
        if len(found) != 1:
            return None
        tree = found[0]
    else:
        found = [node for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.name == getattr(fn, "__name__", None)]
        if not found:
            return None
        tree = found[0]
    for node in ast.walk(tree):
        if isinstance(node, _LOOPS) or (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "map"):
            return _loop_text(source, node)
    return None


def _loop_text(source, node, most=60):
    """How a loop reads in the reader's code: a ``for`` or ``while`` by its
    header, a comprehension or a ``map`` whole (cut at ``most`` characters)."""
    def text(part):
        return " ".join((ast.get_source_segment(source, part) or "...").split())

    if isinstance(node, (ast.For, ast.AsyncFor)):
        found = f"for {text(node.target)} in {text(node.iter)}"
    elif isinstance(node, ast.While):
        found = f"while {text(node.test)}"
    else:
        found = text(node)
    return found if len(found) <= most else found[:most - 3] + "..."


def _plain_name(fn):
    """The name the reader gave ``fn`` at the top of a notebook, or a generic one
    (a lambda, a method, a nested function or a partial has no such name)."""
    name = getattr(fn, "__name__", "")
    if name.isidentifier() and getattr(fn, "__qualname__", "") == name:
        return name
    return "your_function"


def _hints(checker, candidate, first, fix, level):
    """The hint lines: tier 1, then the fix (``level`` 2) or where to find it."""
    lines = [f"  hint: {first}"] if first else []
    if fix and level >= 2:
        lines.append(f"  fix: {fix}")
    elif fix:
        lines.append(f"  more help: {checker}({_plain_name(candidate)}, hint=2)")
    return lines


# -- Predictions: "what will this cell print?" ---------------------------------

@dataclass(frozen=True)
class WrongPrediction:
    """A typical wrong prediction: the value it would be, and its two hint tiers.

    ``hint`` names the misunderstanding without giving the right value;
    ``fix`` explains the right one (shown with ``hint=2``).
    """

    name: str
    value: Any
    hint: str
    fix: str


def _matches(answer, target, rtol, atol):
    """Is the prediction ``answer`` the value ``target`` (numbers within tolerance)?"""
    if isinstance(target, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(target)
    if isinstance(target, str):
        return isinstance(answer, str) and answer.strip().lower() == target.strip().lower()
    if isinstance(target, tuple) and all(isinstance(n, int) for n in target):  # a shape
        return isinstance(answer, (tuple, list)) and tuple(answer) == target
    try:
        got, want = np.asarray(answer, dtype=float), np.asarray(target, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _same_kind(answer, target):
    """Is the prediction ``answer`` of the kind of ``target`` (a number for a
    number, a word for a word, an array of the same shape ...), right or not?"""
    if isinstance(target, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_))
    if isinstance(target, str):
        return isinstance(answer, str)
    if isinstance(answer, (bool, np.bool_, str)):
        return False
    if isinstance(target, tuple) and all(isinstance(n, int) for n in target):
        return (isinstance(answer, (tuple, list)) and len(answer) == len(target)
                and all(isinstance(n, (int, np.integer)) for n in answer))
    try:
        return np.shape(np.asarray(answer, dtype=float)) == np.shape(target)
    except (TypeError, ValueError):
        return False


def _kind(target):
    if isinstance(target, (bool, np.bool_)):
        return "True or False"
    if isinstance(target, str):
        return "a word"
    if isinstance(target, tuple) and all(isinstance(n, int) for n in target):
        return f"a shape, a tuple of {len(target)} whole numbers"
    shape = np.shape(target)
    return "a number" if shape == () else f"an array of shape {shape}"


def run_prediction(checker, answer, expected, wrong=(), generic_hint="", generic_fix="",
                   rtol=1e-2, atol=1e-3, hint=1, quiet=False, name="my_prediction"):
    """Compare a reader's prediction with what the code really gives; print a verdict.

    The right value is not shown in a first wrong verdict (the reader thinks
    again); ``hint=2`` shows it with the explanation.

    Parameters
    ----------
    checker : str
        The checker's name, shown in the verdict.
    answer : object
        The reader's prediction; ``None`` (the workbook's stub) is "not yet".
    expected : object
        What the code gives, computed by the checker: a number or array
        (compared within ``rtol``, ``atol``, since a prediction is rounded),
        a bool, a word, or a shape (a tuple of ints).
    wrong : sequence of WrongPrediction
        Typical wrong predictions, each with its hint.
    generic_hint, generic_fix : str
        The two tiers shown when no catalogued prediction matches.
    hint : int
        1 names the misunderstanding; 2 also gives the explanation and the value.
    name : str
        The variable the reader writes the prediction in, for the messages.

    Returns
    -------
    CheckResult
    """
    if answer is None:
        result = CheckResult(
            checker, False, attempted=False,
            message=f"… {checker}: not predicted yet.\n  Write it in `{name}` before you "
            "run the code, then run this cell again.")
    elif _matches(answer, expected, rtol, atol):
        result = CheckResult(checker, True, message=f"✓ {checker}: right, it is {_short_value(expected)}.")
    else:
        found = next((w for w in wrong if _matches(answer, w.value, rtol, atol)
                      and not _matches(w.value, expected, rtol, atol)), None)
        tiers = (found.hint, found.fix) if found else (generic_hint, generic_fix)
        kind = "" if _same_kind(answer, expected) else f" (expected {_kind(expected)})"
        first = f"✗ {checker}: {_short_value(answer)} is not what the code gives{kind}."
        lines = [first]
        if tiers[0]:
            lines.append(f"  hint: {tiers[0]}")
        if hint >= 2:
            lines.append(f"  fix: {tiers[1] + ' ' if tiers[1] else ''}"
                         f"The code gives {_short_value(expected)}.")
        else:
            lines.append(f"  more help: {checker}({name}, hint=2)")
        result = CheckResult(checker, False, mistake=found.name if found else None,
                             message="\n".join(lines))
    if not quiet:
        print(result.message)
    return result


def _short_value(value):
    if isinstance(value, (bool, np.bool_, str, tuple, list, int)):
        return repr(value) if not isinstance(value, (bool, np.bool_)) else str(bool(value))
    array = np.asarray(value)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    return np.array2string(array, precision=4, suppress_small=True, threshold=12)
