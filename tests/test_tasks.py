"""lstm_lesson.tasks: each generator's statistics, its seeds, and its errors."""

import numpy as np
import pytest

from lstm_lesson import tasks
from lstm_lesson.tasks import (REBER, REBER_SYMBOLS, adding_problem, anbn, characters,
                               course_text, decode, delayed_recall, embedded_reber, encode,
                               one_hot, reber_string, vocabulary)


def test_adding_problem_markers_and_target():
    batch = adding_problem(20, 500, seed=0)
    values, markers = batch.xs[:, 0], batch.xs[:, 1]
    assert batch.xs.shape == (20, 2, 500) and batch.target.shape == (1, 500) and batch.mask is None
    assert np.all(markers.sum(axis=0) == 2)
    assert np.all(markers[:10].sum(axis=0) == 1) and np.all(markers[10:].sum(axis=0) == 1)
    np.testing.assert_allclose(batch.target[0], (values * markers).sum(axis=0), rtol=1e-15)
    assert values.min() >= 0 and values.max() < 1


def test_adding_problem_statistics_give_the_baseline():
    target = adding_problem(10, 200_000, seed=1).target
    assert abs(target.mean() - 1) < 0.005
    assert abs(((target - 1) ** 2).mean() - tasks.ADDING_BASELINE) < 0.002  # Var(u1 + u2) = 1/6


def test_adding_problem_draws_in_the_documented_order():
    rng = np.random.default_rng(3)
    values, first, second = rng.uniform(0, 1, (8, 5)), rng.integers(0, 4, 5), rng.integers(4, 8, 5)
    batch = adding_problem(8, 5, seed=3)
    np.testing.assert_array_equal(batch.xs[:, 0], values)
    np.testing.assert_array_equal(batch.info["markers"], np.stack([first, second]))


@pytest.mark.parametrize("make", [
    lambda seed: adding_problem(6, 4, seed).xs,
    lambda seed: delayed_recall(3, 5, 4, seed).xs,
    lambda seed: anbn(4, seed).xs,
    lambda seed: embedded_reber(4, seed).xs,
    lambda seed: characters(np.arange(50) % 7, 5, 4, 7, seed).xs,
])
def test_a_seed_decides_the_batch(make):
    np.testing.assert_array_equal(make(11), make(11))
    assert not np.array_equal(make(11), make(12)) or make(11).shape != make(12).shape


def test_a_generator_can_be_continued():
    rng = np.random.default_rng(0)
    first, second = adding_problem(6, 4, rng), adding_problem(6, 4, rng)
    assert not np.array_equal(first.xs, second.xs)


def test_delayed_recall_asks_for_the_symbols_after_the_cue():
    batch = delayed_recall(4, 6, 50, seed=0, symbols=5)
    T = 4 + 6 + 4
    assert batch.xs.shape == (T, 7, 50) and batch.target.shape == (T, 50)
    ids = batch.xs.argmax(axis=1)
    np.testing.assert_array_equal(ids[:4], batch.info["symbols"])
    assert np.all(ids[4:9] == 5) and np.all(ids[9] == 6) and np.all(ids[10:] == 5)  # blanks, cue
    np.testing.assert_array_equal(batch.target[10:], batch.info["symbols"])
    assert batch.mask.sum() == 4 * 50 and np.all(batch.mask[10:] == 1)


def test_anbn_strings_and_what_is_determined():
    batch = anbn(200, seed=0, n_min=2, n_max=6)
    assert set(batch.info["n"]) == {2, 3, 4, 5, 6}
    for column, n in enumerate(batch.info["n"]):
        read = "".join("Sab"[k] for k in batch.xs[: 2 * n + 1, :, column].argmax(axis=1))
        assert read == "S" + "a" * n + "b" * n
        predicted = "".join("abT"[k] for k in batch.target[: 2 * n + 1, column])
        assert predicted == "a" * n + "b" * n + "T"
        assert batch.mask[:, column].sum() == 2 * n + 1
        assert np.all(batch.xs[2 * n + 1:, :, column] == 0)  # padding reads nothing
        assert batch.info["determined"][:, column].sum() == n + 1


def accepts(string):
    """Does Reber's grammar (the table, walked by hand) produce this string?"""
    state = 0
    for symbol in string:
        moves = dict(REBER.get(state, ()))
        if symbol not in moves:
            return False
        state = moves[symbol]
    return state is None


def test_reber_strings_follow_the_grammar_and_repeat_the_branch():
    rng = np.random.default_rng(0)
    for _ in range(300):
        string = reber_string(rng)
        assert string[0] == "B" and string[-1] == "E" and string[1] == string[-2] in "TP"
        assert accepts(string[2:-2]), string
    plain = [reber_string(rng, embedded=False) for _ in range(300)]
    assert all(accepts(s) for s in plain)
    assert 0.4 < np.mean([s[1] == "T" for s in plain]) < 0.6  # each choice 1/2


def test_embedded_reber_batch_marks_the_step_to_remember():
    batch = embedded_reber(30, seed=2)
    for column, string in enumerate(batch.info["strings"]):
        L = len(string)
        assert batch.mask[:, column].sum() == L - 1
        read = "".join(REBER_SYMBOLS[k] for k in batch.xs[: L - 1, :, column].argmax(axis=1))
        assert read == string[:-1]
        t = int(np.flatnonzero(batch.info["remember"][:, column])[0])
        assert REBER_SYMBOLS[batch.target[t, column]] == string[1]


def test_the_course_text_and_characters():
    text = course_text()
    vocab = vocabulary(text)
    assert len(text) > 50_000 and "\n" in vocab and len(vocab) < 60
    ids = encode(text, vocab)
    assert decode(ids[:200], vocab) == text[:200]
    batch = characters(ids, 16, 8, len(vocab), seed=0)
    assert batch.xs.shape == (16, len(vocab), 8)
    for column, start in enumerate(batch.info["starts"]):
        assert decode(batch.xs[:, :, column].argmax(axis=1), vocab) == text[start:start + 16]
        assert decode(batch.target[:, column], vocab) == text[start + 1:start + 17]


def test_one_hot():
    out = one_hot(np.array([[0, 2], [1, 1]]), 3)
    assert out.shape == (2, 3, 2) and out[0, 2, 1] == 1 and out.sum() == 4


def test_tasks_say_what_a_network_needs():
    task = tasks.adding_task(30)
    batch = task.batch(4, np.random.default_rng(0))
    assert (task.input_size, task.output_size, task.loss, task.read) == (2, 1, "mse", "last")
    assert batch.xs.shape == (30, 2, 4)
    ids = encode("abcabcabcabc", "abc")
    for task in (tasks.recall_task(), tasks.anbn_task(), tasks.reber_task(),
                 tasks.text_task(ids, "abc", T=5)):
        batch = task.batch(3, np.random.default_rng(0))
        assert batch.xs.shape[1] == task.input_size and task.read == "every"
        assert batch.target.max() < task.output_size


@pytest.mark.parametrize("call, error, message", [
    (lambda: adding_problem(1, 4), ValueError, "T: expected at least 2 steps"),
    (lambda: adding_problem(10, 0), ValueError, "N: expected a positive int, received 0"),
    (lambda: adding_problem(10, 4, seed=-1), ValueError, "seed: expected a whole number >= 0"),
    (lambda: anbn(4, n_min=5, n_max=3), ValueError, "n_max: expected at least n_min = 5, received 3"),
    (lambda: encode("abz", "ab"), ValueError, "text: characters not in the vocabulary: 'z'"),
    (lambda: characters(np.arange(5), 10, 2, 5), ValueError, r"ids: expected a 1-D array of at least T \+ 1 = 11"),
    (lambda: adding_problem(10**6, 10**4), ValueError, "T=1000000, N=10000: an array of shape"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
