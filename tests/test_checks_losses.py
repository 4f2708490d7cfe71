"""check_softmax_cross_entropy accepts right answers and names readers' typical slips."""

import contextlib
import io

import numpy as np
import pytest

from lstm_lesson.checks import check_softmax_cross_entropy


def run(fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return check_softmax_cross_entropy(fn)


def right(logits, labels):
    N = logits.shape[1]
    z = logits - logits.max(axis=0)
    logp = z - np.log(np.exp(z).sum(axis=0))
    loss = -np.mean(logp[labels, np.arange(N)])
    y = np.zeros_like(z)
    y[labels, np.arange(N)] = 1
    return loss, (np.exp(logp) - y) / N


def right_with_logsumexp(logits, labels):
    N = logits.shape[1]
    m = logits.max(axis=0, keepdims=True)
    logp = logits - m - np.log(np.sum(np.exp(logits - m), axis=0, keepdims=True))
    loss = -logp[labels, range(N)].sum() / N
    return loss, (np.exp(logp) - np.eye(logits.shape[0])[:, labels]) / N


def test_accepts_right_answers():
    assert run(right) and run(right_with_logsumexp)


def naive(logits, labels):
    N = logits.shape[1]
    p = np.exp(logits) / np.exp(logits).sum(axis=0)
    y = np.zeros_like(p)
    y[labels, np.arange(N)] = 1
    return -np.mean(np.log(p[labels, np.arange(N)])), (p - y) / N


def log_of_softmax(logits, labels):
    N = logits.shape[1]
    z = logits - logits.max(axis=0)
    p = np.exp(z) / np.exp(z).sum(axis=0)
    y = np.zeros_like(p)
    y[labels, np.arange(N)] = 1
    return -np.mean(np.log(p[labels, np.arange(N)])), (p - y) / N


def log_of_softmax_one_hot(logits, labels):
    """The log of the probabilities weighted by the one-hot labels: 0 times the log of
    an underflowed probability is nan."""
    N = logits.shape[1]
    z = logits - logits.max(axis=0, keepdims=True)
    p = np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)
    y = np.zeros_like(p)
    y[labels, np.arange(N)] = 1
    return -np.sum(y * np.log(p)) / N, (p - y) / N


def log_of_softmax_plus(eps, clip=False):
    """The log of the probabilities kept finite with a small number."""
    def answer(logits, labels):
        N = logits.shape[1]
        z = logits - logits.max(axis=0)
        p = np.exp(z) / np.exp(z).sum(axis=0)
        y = np.zeros_like(p)
        y[labels, np.arange(N)] = 1
        picked = p[labels, np.arange(N)]
        picked = np.clip(picked, eps, 1.0) if clip else picked + eps
        return -np.mean(np.log(picked)), (p - y) / N
    return answer


def with_slip(slip):
    def answer(logits, labels):
        K, N = logits.shape
        axis = 1 if slip == "axis" else 0
        z = logits - logits.max(axis=axis, keepdims=True)
        all_logp = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
        p = np.exp(all_logp)
        y = np.zeros_like(p)
        y[labels, np.arange(N)] = 1
        logp = all_logp[labels] if slip == "rows" else all_logp[labels, np.arange(N)]
        loss = -np.mean(logp)
        grad = (p - y) / N
        if slip == "grad sum":
            grad = p - y
        if slip == "loss sum":
            loss = -np.sum(logp)
        if slip == "both sum":
            loss, grad = -np.sum(logp), p - y
        if slip == "all entries":
            loss, grad = -np.sum(y * all_logp) / (K * N), (p - y) / (K * N)
        if slip == "p only":
            grad = p / N
        if slip == "y - p":
            grad = (y - p) / N
        if slip == "no minus":
            loss = np.mean(logp)
        if slip == "rows onehot":
            grad = (p - np.eye(K)[labels]) / N
        return loss, grad
    return answer


@pytest.mark.parametrize("answer, mistake", [
    (naive, "exponentials overflow"),
    (log_of_softmax, "log of an underflowed probability"),
    (log_of_softmax_one_hot, "log of an underflowed probability"),
    (log_of_softmax_plus(1e-12), "a small number added inside the log"),
    (log_of_softmax_plus(1e-8), "a small number added inside the log"),
    (log_of_softmax_plus(1e-15, clip=True), "a small number added inside the log"),
    (with_slip("axis"), "softmax over the examples"),
    (with_slip("grad sum"), "gradient not averaged"),
    (with_slip("loss sum"), "loss not averaged"),
    (with_slip("both sum"), "summed over the batch"),
    (with_slip("all entries"), "averaged over every entry"),
    (with_slip("p only"), "one-hot not subtracted"),
    (with_slip("y - p"), "gradient sign flipped"),
    (with_slip("no minus"), "minus sign of the loss missing"),
    (with_slip("rows"), "whole rows picked"),
    (with_slip("rows onehot"), "one-hot as rows"),
])
def test_rejects_typical_slips(answer, mistake):
    result = run(answer)
    assert not result and result.mistake == mistake, result.message


def test_a_stub_is_not_attempted():
    def stub(logits, labels):
        raise NotImplementedError
    result = run(stub)
    assert not result and not result.attempted
