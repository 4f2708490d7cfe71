"""check_adam_step, check_clip_by_global_norm and check_adam_first_step: right answers
pass, readers' typical slips are named."""

import contextlib
import io

import numpy as np
import pytest

from lstm_lesson.checks import check_adam_first_step, check_adam_step, check_clip_by_global_norm


def run(check, answer):
    with contextlib.redirect_stdout(io.StringIO()):
        return check(answer)


def adam(p, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_slip(slip):
    def answer(p, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        if slip == "swap":
            beta1, beta2 = beta2, beta1
        m_new = beta1 * m + (g if slip == "no 1-beta" else (1 - beta1) * g)
        g2 = g if slip == "no square" else g**2
        v_new = beta2 * v + (g2 if slip == "no 1-beta" else (1 - beta2) * g2)
        n = t + 1 if slip == "t+1" else t
        m_hat, v_hat = m_new / (1 - beta1**n), v_new / (1 - beta2**n)
        if slip == "no correction":
            m_hat, v_hat = m_new, v_new
        if slip == "eps inside":
            step = lr * m_hat / np.sqrt(v_hat + eps)
        elif slip == "no root":
            step = lr * m_hat / (v_hat + eps)
        else:
            step = lr * m_hat / (np.sqrt(v_hat) + eps)
        p_new = p + step if slip == "uphill" else p - step
        if slip == "hat state":
            return p_new, m_hat, v_hat
        return p_new, m_new, v_new
    return answer


def test_adam_accepts_right_answers():
    assert run(check_adam_step, adam)


@pytest.mark.parametrize("slip, mistake", [
    ("no correction", "no bias correction"), ("t+1", "step count off by one"),
    ("eps inside", "eps inside the square root"), ("no square", "gradient not squared in v"),
    ("no 1-beta", "the (1 - beta) factors missing"), ("swap", "betas swapped"),
    ("uphill", "step uphill"), ("no root", "square root missing"),
    ("hat state", "corrected means kept as the state"),
])
def test_adam_rejects_typical_slips(slip, mistake):
    result = run(check_adam_step, adam_slip(slip))
    assert not result and result.mistake == mistake, result.message


def adam_in_place(p, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g**2
    p -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return p, m, v


def test_adam_in_place_is_reported():
    result = run(check_adam_step, adam_in_place)
    assert not result and "in place" in result.message
    # The exercise says "leaving the arguments unchanged": the hint names them, and
    # quotes no other chapter's code (chapter 5's c_prev).
    assert "changed `p`, `m`, `v` in place" in result.message
    assert "hint: Leave p, m and v as they were: the caller still needs them." \
        in result.message
    assert "c_prev" not in result.message and "c_t" not in result.message


def clip(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    factor = max_norm / norm if norm > max_norm else 1.0
    return {name: g * factor for name, g in grads.items()}, norm


def clip_slip(slip):
    def answer(grads, max_norm):
        norm = np.sqrt(sum((g**2).sum() for g in grads.values()))
        if slip == "per array":
            return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}, norm
        if slip == "always":
            return {k: g * max_norm / norm for k, g in grads.items()}, norm
        if slip == "no root":
            total = sum((g**2).sum() for g in grads.values())
            factor = max_norm / total if total > max_norm else 1.0
            return {k: g * factor for k, g in grads.items()}, total
        if slip == "by value":
            return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, norm
        if slip == "inverted":
            factor = norm / max_norm if norm > max_norm else 1.0
            return {k: g * factor for k, g in grads.items()}, norm
        if slip == "after":
            clipped, _ = clip(grads, max_norm)
            return clipped, min(norm, max_norm)
        raise AssertionError(slip)
    return answer


def test_clip_accepts_right_answers():
    assert run(check_clip_by_global_norm, clip)


@pytest.mark.parametrize("slip, mistake", [
    ("per array", "each array clipped on its own"), ("always", "rescaled even below the threshold"),
    ("no root", "square root missing"), ("by value", "clipped by value"),
    ("inverted", "factor inverted"), ("after", "norm reported after clipping"),
])
def test_clip_rejects_typical_slips(slip, mistake):
    result = run(check_clip_by_global_norm, clip_slip(slip))
    assert not result and result.mistake == mistake, result.message


def test_clip_says_what_it_expected_when_a_dict_alone_comes_back():
    result = run(check_clip_by_global_norm, lambda grads, max_norm: clip(grads, max_norm)[0])
    assert not result and "expected a tuple (clipped, norm)" in result.message


def run_with_hint_2(checker, fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return checker(fn, hint=2)


def test_clip_in_place_is_reported():
    def in_place(grads, max_norm):
        norm = np.sqrt(sum((g**2).sum() for g in grads.values()))
        for g in grads.values():
            g *= min(1.0, max_norm / norm)
        return grads, norm
    result = run(check_clip_by_global_norm, in_place)
    assert not result and "in place" in result.message
    lines = result.message.splitlines()
    assert lines[0].endswith("correct values, but it changed `grads` in place")
    assert lines[1] == ("  hint: Leave grads as it was: the caller still needs it. Make a new "
                        "dict or list (of new arrays) for your results instead of changing "
                        "grads in place.")
    assert lines[2] == "  more help: check_clip_by_global_norm(your_function, hint=2)"
    fix = run_with_hint_2(check_clip_by_global_norm, in_place).message.splitlines()[2]
    assert fix.startswith("  fix: ") and "grads[k]" in fix and "c_prev" not in fix


def test_the_prediction_of_adams_first_step():
    assert run(check_adam_first_step, 0.0099) and run(check_adam_first_step, 0.01)
    for wrong, mistake in [(1e-8, "a gradient-descent step"), (0.0316, "no bias correction"),
                           (0, "a gradient-descent step"), (-0.0099, "the sign of the change")]:
        result = run(check_adam_first_step, wrong)
        assert not result and result.mistake == mistake, result.message
    assert not run(check_adam_first_step, None).attempted
