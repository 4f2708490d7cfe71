"""Hints come in two tiers: the first names the slip and where to look, without the code
or formula that fixes it; the fix itself only on request, ``check_x(f, hint=2)``."""

import functools
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from lstm_lesson import checks
from test_checks_tamper import CATALOGUES, RIGHT, run

#: What code or a formula is made of; a first-tier hint contains none of it
#: (words, names such as c_t or tanh(c_t), and shapes such as (H + D, N) are fine).
CODE = ("=", "np.", "`", "*", "@", "^", " / ")

ENTRIES = [(checker, mistake) for checker, catalogue in CATALOGUES.items()
           for mistake in catalogue]


def code_in(text):
    return [piece for piece in CODE if piece in text]


def test_every_catalogue_entry_is_counted():
    assert len(ENTRIES) >= 190


@pytest.mark.parametrize("checker, mistake", ENTRIES,
                         ids=[f"{checker}: {mistake.name}" for checker, mistake in ENTRIES])
def test_a_first_tier_hint_holds_no_code_and_differs_from_its_fix(checker, mistake):
    assert mistake.hint and mistake.fix and mistake.hint != mistake.fix
    assert not code_in(mistake.hint), (mistake.hint, code_in(mistake.hint))
    assert mistake.fix not in mistake.hint


def test_the_rule_catches_a_hint_that_gives_the_answer():
    assert code_in("Use 1 - np.tanh(x)**2.")
    assert code_in("Add dh_next * o_t * (1 - tanh(c_t)^2) to dc_next")
    assert code_in("b = log(p / (1 - p))")
    assert not code_in("Close: look at the power of tanh in the derivative.")


def shifted(fn):
    """A wrong answer no catalogue explains: the right one, moved by 0.375."""
    def answer(*args):
        value = fn(*args)
        if isinstance(value, tuple):
            return tuple(np.asarray(part) + 0.375 for part in value)
        return np.asarray(value) + 0.375
    return answer


@pytest.mark.parametrize("checker", RIGHT)
def test_the_general_hint_has_two_tiers_too(checker):
    result = run(checker, shifted(RIGHT[checker]))
    assert not result and result.mistake is None, result.message
    lines = result.message.splitlines()
    hint = next(line for line in lines if line.startswith("  hint: "))
    assert not code_in(hint), (hint, code_in(hint))
    assert lines[-1] == f"  more help: {checker}(your_function, hint=2)"
    fix = run(checker, shifted(RIGHT[checker]), hint=2).message.splitlines()[-1]
    assert fix.startswith("  fix: ") and fix[7:] not in result.message


def my_tanh_derivative(x):
    """A reader's answer, defined at the top level as in a notebook."""
    return 1 - np.tanh(x)


class Model:
    def tanh_derivative(self, x):
        return 1 - np.tanh(x)


def test_the_pointer_names_the_readers_function():
    result = run("check_tanh_derivative", my_tanh_derivative)
    assert result.message.splitlines()[-2:] == [
        "  hint: Close: look at the power of tanh in the derivative.",
        "  more help: check_tanh_derivative(my_tanh_derivative, hint=2)",
    ]
    assert "np.tanh(x)**2" not in result.message
    result = run("check_tanh_derivative", lambda x: 1 - np.tanh(x))
    assert result.message.endswith("  more help: check_tanh_derivative(your_function, hint=2)")
    for unnamed in (functools.partial(my_tanh_derivative), Model().tanh_derivative):
        result = run("check_tanh_derivative", unnamed)
        assert result.message.endswith("  more help: check_tanh_derivative(your_function, hint=2)")


def test_hint_2_shows_the_fix_instead_of_the_pointer():
    result = run("check_tanh_derivative", lambda x: 1 - np.tanh(x), hint=2)
    assert result.message.splitlines()[-2:] == [
        "  hint: Close: look at the power of tanh in the derivative.",
        "  fix: tanh'(x) = 1 - tanh(x)^2: return 1 - np.tanh(x)**2.",
    ]
    assert "more help" not in result.message


def test_a_hint_without_a_fix_gets_no_pointer():
    result = run("check_tanh_derivative", lambda x: None)
    assert result.message.endswith("  hint: Is a `return` statement missing?")


def test_hint_2_changes_nothing_for_a_right_answer_or_a_stub():
    assert run("check_sigmoid", RIGHT["check_sigmoid"], hint=2).message == \
        "✓ check_sigmoid: all 9 cases pass."

    def stub(x):
        raise NotImplementedError
    assert run("check_sigmoid", stub, hint=2).message.startswith("… check_sigmoid: not attempted yet")


@pytest.mark.parametrize("checker", RIGHT)
def test_every_checker_takes_hint(checker):
    parameters = inspect.signature(getattr(checks, checker)).parameters
    assert list(parameters)[1:] == ["hint"] and parameters["hint"].default == 1


# -- "The reference cell", never "the seed" ---------------------------------------

SEED_AS_CELL = re.compile(r"\bthe seed\b|\bseed" + r"'s\b|seed_hint", re.IGNORECASE)


def test_no_hint_or_name_calls_the_reference_cell_the_seed():
    for checker, mistake in ENTRIES:
        for text in (mistake.name, mistake.hint, mistake.fix):
            assert "seed" not in text.lower(), (checker, text)
    for checker in RIGHT:
        for level in (1, 2):
            assert "seed" not in run(checker, shifted(RIGHT[checker]), hint=level).message.lower()


def test_no_checker_source_or_test_calls_the_reference_cell_the_seed():
    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("lstm_lesson/checks/*.py"), *root.glob("tests/test_checks_*.py")]
    files = [path for path in files if path.name != Path(__file__).name]  # this file names it
    assert len(files) > 20
    for path in files:
        found = SEED_AS_CELL.findall(path.read_text())
        assert not found, (path.name, found)
    assert SEED_AS_CELL.search("the seed" + "'s order f, i, c, o")  # the pattern can fail
