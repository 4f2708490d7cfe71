"""Checkers give a verdict whatever the notebook did before: ``np.seterr(all='raise')``,
a function that never returns, a SIGALRM handler or timer of its own."""

import contextlib
import io
import signal
import threading
import time

import numpy as np
import pytest

from lstm_lesson.checks import core
from lstm_lesson.checks.core import Case, run_check
from test_checks_tamper import RIGHT, run


@pytest.fixture
def raising():
    """The global NumPy error state a reader set with ``np.seterr(all='raise')``."""
    previous = np.seterr(all="raise")
    yield
    np.seterr(**previous)


@pytest.mark.parametrize("checker", RIGHT)
def test_a_right_answer_passes_under_seterr_raise(checker, raising):
    result = run(checker, RIGHT[checker])
    assert result, result.message
    assert set(np.geterr().values()) == {"raise"}  # the reader's state is restored


def test_a_wrong_answer_is_still_diagnosed_under_seterr_raise(raising):
    result = run("check_sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    assert not result and result.mistake == "naive formula", result.message
    assert "NumPy warned: RuntimeWarning: overflow" in result.message
    assert "FloatingPointError" not in result.message
    assert set(np.geterr().values()) == {"raise"}


def test_a_readers_own_seterr_does_not_outlive_its_call():
    before = np.geterr()

    def quiet_sigmoid(x):
        np.seterr(all="ignore")
        return RIGHT["check_sigmoid"](x)

    assert run("check_sigmoid", quiet_sigmoid)
    assert np.geterr() == before


@pytest.fixture
def short_limit(monkeypatch):
    """A time limit of 0.2 s, so that the tests stay fast."""
    monkeypatch.setattr(core, "TIME_LIMIT", 0.2)


def endless(x):
    while True:
        pass


def sleeps(x):
    time.sleep(30)
    return x


def swallows(x):
    while True:
        try:
            time.sleep(1)
        except Exception:  # the reader's own handler must not catch the time limit
            pass


@pytest.mark.parametrize("fn", [endless, sleeps, swallows])
def test_a_function_that_never_returns_gets_a_verdict(fn, short_limit):
    start = time.monotonic()
    result = run("check_sigmoid", fn)
    assert time.monotonic() - start < 5
    assert not result and result.attempted and result.mistake is None
    first, hint = result.message.splitlines()[:2]
    assert first == ("✗ check_sigmoid: case 'random normal, shape (5, 3), float64': "
                     "did not return within 0.2 s (an endless loop?)")
    assert hint.startswith("  hint: Look for a loop that never ends")


def test_a_right_answer_passes_within_the_limit(short_limit):
    assert run("check_sigmoid", RIGHT["check_sigmoid"])
    assert run("check_sequence_backward", RIGHT["check_sequence_backward"])


def test_the_default_limit_is_generous():
    assert core.TIME_LIMIT >= 10


def test_the_limit_is_a_parameter_of_run_check():
    result = run_check("check_wait", sleeps, lambda x: x, [Case("x", (1.0,))],
                       time_limit=0.1, quiet=True)
    assert not result and "did not return within 0.1 s" in result.message


@pytest.fixture
def own_alarm():
    """A SIGALRM handler of the notebook's own, recording when it fires."""
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    yield fired
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_previous_handler_and_timer_are_restored(own_alarm, short_limit):
    handler = signal.getsignal(signal.SIGALRM)
    signal.setitimer(signal.ITIMER_REAL, 50)
    assert not run("check_sigmoid", sleeps)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert 40 < signal.getitimer(signal.ITIMER_REAL)[0] <= 50
    assert own_alarm == []


def test_a_previous_timer_due_during_the_check_still_fires(own_alarm, short_limit):
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    assert not run("check_sigmoid", sleeps)
    time.sleep(0.1)
    assert own_alarm == [signal.SIGALRM]


def test_without_the_main_thread_there_is_no_limit(short_limit):
    def slow_but_right(x):
        time.sleep(0.3)  # beyond the limit, which a thread cannot enforce
        return RIGHT["check_sigmoid"](x)

    found = {}

    def check():
        with contextlib.redirect_stdout(io.StringIO()):
            found["result"] = run_check("check_slow", slow_but_right, RIGHT["check_sigmoid"],
                                        [Case("x", (np.array(1.0),))], quiet=True)

    handler = signal.getsignal(signal.SIGALRM)
    worker = threading.Thread(target=check)
    worker.start()
    worker.join()
    assert found["result"], found["result"].message
    assert signal.getsignal(signal.SIGALRM) is handler
