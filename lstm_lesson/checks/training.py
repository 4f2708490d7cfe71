"""Checker for chapter 11: a training loop with its bugs found and fixed."""

import numpy as np

from .core import Case, Mistake, run_check
from .optimizers import flat
from .pristine import clipping, losses, network, tasks

__all__ = ["check_train_loop"]

#: The parameters' names, each one output of the checker.
NAMES = ("W", "b", "W_y", "b_y")


def _cases():
    """Small LSTMs on batches of the adding problem: several batches (so that
    gradients left over from one batch show in the next), a batch of more than
    one sequence (so that a sum and a mean differ), and a threshold that the
    gradients exceed in the first case and never reach in the second."""
    found = []
    for k, (T, H, N, count, lr, max_norm) in enumerate([(5, 3, 4, 3, 0.5, 0.05),
                                                        (4, 2, 6, 2, 0.3, 10.0),
                                                        (6, 4, 3, 4, 0.2, 0.2)]):
        params = network.init_network("lstm", 2, H, 1, seed=1400 + k)
        rng = np.random.default_rng(1410 + k)
        batches = []
        for _ in range(count):
            batch = tasks.adding_problem(T, N, rng)
            batches.append([batch.xs, batch.target])  # pairs (lists: compared in place)
        found.append(Case(f"{count} batches of N={N}, T={T}, H={H}, max_norm = {max_norm}",
                          (params, batches, lr, max_norm)))
    return found


def _loop(params, batches, lr, max_norm):
    """The right loop: fresh gradients per batch, one mean for loss and gradient,
    clipped before the step."""
    found = []
    for xs, target in batches:
        y, cache = network.network_forward(params, xs)
        loss, loss_cache = losses.mse_loss(y, target)
        grads = network.network_backward(losses.mse_backward(loss_cache), cache)
        grads, _ = clipping.clip_by_global_norm(grads, max_norm)
        params = {name: p - lr * grads[name] for name, p in params.items()}
        found.append(loss)
    return params, np.array(found)


def _buggy_loop(reset=True, mean_gradient=True, clip="before"):
    """The chapter's buggy loop with some of its bugs fixed; the defaults are right.

    reset: fresh gradients for each batch (else they pile up); mean_gradient:
    the gradient of the mean squared error (else of the sum, while the loss is
    the mean); clip: "before" the step, "after" it (too late), or "never".
    """

    def loop(params, batches, lr, max_norm):
        grads = {name: np.zeros_like(p) for name, p in params.items()}
        found = []
        for xs, target in batches:
            y, cache = network.network_forward(params, xs)
            found.append(np.mean((y - target) ** 2))
            dy = 2 * (y - target) / (y.size if mean_gradient else 1)
            if reset:
                grads = {name: np.zeros_like(p) for name, p in params.items()}
            for name, g in network.network_backward(dy, cache).items():
                grads[name] = grads[name] + g
            if clip == "before":
                grads, _ = clipping.clip_by_global_norm(grads, max_norm)
            params = {name: p - lr * grads[name] for name, p in params.items()}
            if clip == "after":
                grads, _ = clipping.clip_by_global_norm(grads, max_norm)
        return params, np.array(found)

    return loop


#: The three bugs of the chapter's loop, and their fixes.
RESET_FIX = "Start every batch with fresh gradients: grads = network_backward(dy, cache)"
MEAN_FIX = "The loss is a mean over the N entries, so dy = 2 * (y - target) / y.size"
CLIP_FIX = "Clip first, then step: grads, _ = clip_by_global_norm(grads, max_norm) "\
    "before the update"

TRAIN_LOOP_MISTAKES = [
    Mistake(
        "the loop as given",
        "None of the three bugs is fixed yet: look at where the gradients start from, "
        "how the loss and its gradient are averaged, and when the clipping happens.",
        f"{RESET_FIX}; {MEAN_FIX}; {CLIP_FIX}.",
        _buggy_loop(reset=False, mean_gradient=False, clip="after"),
    ),
    Mistake(
        "gradients not reset between batches",
        "Each batch's gradients are added to what is left from the batches before: "
        "every step follows a running sum instead of this batch's gradient.",
        RESET_FIX + ".",
        _buggy_loop(reset=False),
    ),
    Mistake(
        "loss averaged, gradient summed",
        "The recorded loss is a mean over the batch, but the gradient is the gradient "
        "of the sum: the steps are N times too large.",
        MEAN_FIX + ".",
        _buggy_loop(mean_gradient=False),
    ),
    Mistake(
        "clip applied after the step",
        "Clipping after the update (or not at all) changes nothing the update used: "
        "the step was taken with the unclipped gradient.",
        CLIP_FIX + ".",
        _buggy_loop(clip="after"),
    ),
    Mistake(
        "only the reset fixed",
        "The gradients start afresh now; two bugs are left: how the gradient is "
        "averaged, and when the clipping happens.",
        f"{MEAN_FIX}; {CLIP_FIX}.",
        _buggy_loop(mean_gradient=False, clip="after"),
    ),
    Mistake(
        "only the averaging fixed",
        "Loss and gradient agree now; two bugs are left: where the gradients start "
        "from, and when the clipping happens.",
        f"{RESET_FIX}; {CLIP_FIX}.",
        _buggy_loop(reset=False, clip="after"),
    ),
    Mistake(
        "only the clipping fixed",
        "The clip comes before the step now; two bugs are left: where the gradients "
        "start from, and how the gradient is averaged.",
        f"{RESET_FIX}; {MEAN_FIX}.",
        _buggy_loop(reset=False, mean_gradient=False),
    ),
]


def check_train_loop(train_loop_fn, hint=1):
    """Check ``train_loop(params, batches, lr, max_norm) -> (params, losses)``.

    ``params`` a dict W, b, W_y, b_y of an LSTM with a readout; ``batches`` a list
    of ``(xs, target)`` of the adding problem; one clipped SGD step per batch;
    ``losses`` the mean squared error of each batch before its step. The loop may
    update ``params`` in place (``params[k] -= ...``), as training loops do;
    changing ``batches`` fails.
    """
    expected = "(params, losses): a dict of W, b, W_y, b_y and an array of the losses"
    return run_check(
        "check_train_loop", flat(train_loop_fn, NAMES, "params", expected),
        flat(_loop, NAMES, "params", expected), _cases(),
        [Mistake(m.name, m.hint, m.fix, flat(m.fn, NAMES, "params", expected))
         for m in TRAIN_LOOP_MISTAKES],
        generic_hint="For each batch: forward, the loss, its gradient averaged as the "
        "loss is, backward to fresh gradients, clip them, then step.",
        generic_fix=f"{RESET_FIX}; {MEAN_FIX}; {CLIP_FIX}.",
        outputs=tuple(f"params[{name!r}]" for name in NAMES) + ("losses",),
        rtol=1e-7, atol=1e-10, hint=hint,
        # A training loop may update its parameters where they are (params[k] -= ...):
        # it returns them, and the exercise does not ask to leave them unchanged.
        may_change=("params",),
    )
