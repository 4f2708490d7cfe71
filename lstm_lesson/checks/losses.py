"""Checker for chapter 11: the softmax cross-entropy, forward and backward."""

import numpy as np

from .core import Case, Mistake, run_check
from .pristine import losses

__all__ = ["check_softmax_cross_entropy"]


def _cases():
    """Random logits (K, N) with K != N (so the two axes cannot be mixed up
    unnoticed), one example, two classes, and logits large enough that
    exponentiating them without shifting overflows."""
    found = []
    for k, (K, N, scale) in enumerate([(3, 4, 1.0), (5, 1, 2.0), (2, 6, 3.0), (4, 3, 0.5)]):
        rng = np.random.default_rng(1100 + k)
        found.append(Case(f"K={K} classes, N={N}", (rng.standard_normal((K, N)) * scale,
                                                    rng.integers(0, K, N))))
    rng = np.random.default_rng(1110)
    found.append(Case("K=3, N=2, large logits (|y| ~ 800)",
                      (rng.standard_normal((3, 2)) * 800, np.array([2, 0]))))
    return found


def _reference(logits, labels):
    loss, cache = losses.softmax_cross_entropy(logits, labels)
    return loss, losses.softmax_cross_entropy_backward(cache)


def _onehot(logits, labels):
    onehot = np.zeros_like(logits)
    onehot[labels, np.arange(logits.shape[1])] = 1
    return onehot


def _buggy(shift=True, axis=0, loss_mean="N", grad_mean="N", subtract=True, sign=1,
           loss_sign=-1, pick="columns", onehot="columns", log_of_p=False, eps=0.0):
    """A reader's softmax cross-entropy with one slip; the defaults are right.

    log_of_p: the log of the probabilities (which underflow to 0 for very wrong
    logits) instead of the log-softmax computed directly; eps (with log_of_p)
    is added to the probabilities before their log. pick "one-hot": the loss
    as the one-hot labels times the log-probabilities, summed (0 times the log
    of an underflowed probability is nan).
    """

    def xent(logits, labels):
        K, N = logits.shape
        z = logits - logits.max(axis=axis, keepdims=True) if shift else logits
        if log_of_p:
            p = np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)
            logp = np.log(p + eps)
        else:
            logp = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
            p = np.exp(logp)
        if pick == "columns":
            picked = logp[labels, np.arange(N)]
        elif pick == "one-hot":
            picked = _onehot(logits, labels) * logp
        elif pick == "rows mean":  # whole rows, averaged over all their entries
            picked = logp[labels] / N
        else:  # whole rows: an (N, N) block, not one entry per column
            picked = logp[labels]
        total = loss_sign * picked.sum()
        loss = {"N": total / N, "sum": total, "KN": total / (K * N)}[loss_mean]
        y = _onehot(logits, labels) if onehot == "columns" else np.eye(K)[labels]
        grad = p - y if subtract else p
        grad = sign * grad
        grad = {"N": grad / N, "sum": grad, "KN": grad / (K * N)}[grad_mean]
        return loss, grad

    return xent


#: The small numbers a reader adds to a probability before its log.
EPSILONS = (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15, 1e-16, 1e-20, 1e-30, 1e-100, 1e-300)

#: Each of them, in the loss picked per column or summed against the one-hot labels.
_EPSILON_SLIPS = tuple(_buggy(log_of_p=True, eps=eps, pick=pick) for eps in EPSILONS
                       for pick in ("columns", "one-hot"))

#: The fix, in the chapter's words.
XENT_FIX = ("loss = -log p[labels[n], n] averaged over the N columns; "
            "dlogits = (p - onehot(labels)) / N, with p the softmax down each column")

SOFTMAX_XENT_MISTAKES = [
    Mistake(
        "exponentials overflow",
        "Your softmax exponentiates the logits as they are: large logits overflow to "
        "infinity. Shift each column first, as chapter 2's stable sigmoid does.",
        "Subtract each column's largest logit before exponentiating: "
        "z = logits - logits.max(axis=0, keepdims=True).",
        _buggy(shift=False, log_of_p=True),
        variants=(_buggy(shift=False),),
    ),
    Mistake(
        "log of an underflowed probability",
        "For a very wrong prediction the right class's probability underflows to "
        "zero, and its log is minus infinity; the log-softmax itself is a moderate "
        "number. Compute the log-probabilities directly, never the log of the "
        "probabilities.",
        "logp = z - np.log(np.exp(z).sum(axis=0, keepdims=True)) with z the shifted "
        "logits; loss = -mean of logp at the labels.",
        _buggy(log_of_p=True),
        variants=(_buggy(log_of_p=True, pick="one-hot"),),
    ),
    Mistake(
        "a small number added inside the log",
        "A small number added to the probabilities keeps their log finite but wrong: "
        "for a very wrong prediction the loss stops at minus the log of that number. "
        "The underflow is avoided only by computing the log-probabilities directly, "
        "never the log of the probabilities.",
        "logp = z - np.log(np.exp(z).sum(axis=0, keepdims=True)) with z the shifted "
        "logits, without any epsilon; loss = -mean of logp at the labels.",
        _EPSILON_SLIPS[0],
        variants=_EPSILON_SLIPS[1:],
    ),
    Mistake(
        "softmax over the examples",
        "The probabilities of one example are one column; yours are normalised along "
        "the rows, across the examples of the batch.",
        "Take max, sum and softmax with axis=0, down each column: " + XENT_FIX,
        _buggy(axis=1),
    ),
    Mistake(
        "gradient not averaged",
        "Your loss is a mean over the batch, but your gradient is the gradient of a "
        "sum: the two must be averaged the same way.",
        "Divide the gradient by N as the loss is: dlogits = (p - onehot) / N.",
        _buggy(grad_mean="sum"),
    ),
    Mistake(
        "loss not averaged",
        "Your gradient is averaged over the batch, your loss is the sum over it: the "
        "two must be averaged the same way.",
        "Divide the summed loss by N as well.",
        _buggy(loss_mean="sum"),
    ),
    Mistake(
        "summed over the batch",
        "The loss is the average over the N examples (so that it does not grow with "
        "the batch); yours, and its gradient, are sums.",
        "Divide both the loss and the gradient by N.",
        _buggy(loss_mean="sum", grad_mean="sum"),
    ),
    Mistake(
        "averaged over every entry",
        "The average is over the examples, one term per column; yours divides by the "
        "number of entries of the logits, classes included.",
        "Divide by N, not K N, in the loss and in the gradient.",
        _buggy(loss_mean="KN", grad_mean="KN"),
    ),
    Mistake(
        "one-hot not subtracted",
        "Your gradient is the probabilities alone: the derivative of the log of the "
        "right class's probability is missing.",
        "dlogits = (p - onehot(labels)) / N: subtract 1 at each column's right class.",
        _buggy(subtract=False),
    ),
    Mistake(
        "gradient sign flipped",
        "Your gradient points uphill: raising the right class's logit must lower the "
        "loss.",
        "dlogits = (p - onehot) / N, not (onehot - p) / N.",
        _buggy(sign=-1),
    ),
    Mistake(
        "minus sign of the loss missing",
        "A cross-entropy is never negative: the log of a probability is, so the loss "
        "needs its sign changed.",
        "loss = -mean(log p of the right class).",
        _buggy(loss_sign=1),
    ),
    Mistake(
        "whole rows picked",
        "Indexing the log-probabilities with the labels alone picks whole rows (every "
        "example's value of that class), not one entry per example.",
        "Pick one entry per column: logp[labels, np.arange(N)].",
        _buggy(pick="rows mean"),
        variants=(_buggy(pick="rows"),),
    ),
    Mistake(
        "one-hot as rows",
        "Your one-hot labels have one row per example, the transpose of the logits' "
        "layout of one column per example.",
        "Build the one-hot (K, N): np.eye(K)[labels].T, or set onehot[labels, "
        "np.arange(N)] = 1.",
        _buggy(onehot="rows"),
    ),
]


def check_softmax_cross_entropy(softmax_cross_entropy_fn, hint=1):
    """Check ``softmax_cross_entropy(logits, labels) -> (loss, dlogits)``.

    logits (K, N), labels (N,) whole numbers 0..K-1; loss the mean over the N
    columns of -log p[label], dlogits (K, N) its gradient.
    """
    return run_check(
        "check_softmax_cross_entropy", softmax_cross_entropy_fn, _reference, _cases(),
        SOFTMAX_XENT_MISTAKES,
        generic_hint="The loss averages, over the examples, minus the log of the "
        "probability given to the right class; its gradient is the probabilities minus "
        "the one-hot labels, averaged the same way.",
        generic_fix=XENT_FIX + ".",
        outputs=("loss", "dlogits"), rtol=1e-7, atol=1e-10, hint=hint,
    )
