"""The training loop (chapter 11): minibatches, forward, loss, backward, clip, step.

:func:`train` is the loop of the chapter, in one screen: for each step it
draws a batch from the task, runs the network forward, measures the loss,
runs everything backward to the gradients, clips them by their global norm,
and lets the optimiser take a step. It returns the trained parameters and a
:class:`History` of the loss and the gradient norm at every step.

While it runs, a status line shows the step and the loss (in Jupyter, and on a
terminal); when it ends, the line reads ``training <steps> steps`` again, so a
stored notebook holds no number that depends on the machine
(:mod:`lstm_lesson.status`). The loop uses one BLAS thread
(:mod:`lstm_lesson.threads`): its matrices are too small to gain from more.
"""

from dataclasses import dataclass

import numpy as np

from .clipping import clip_by_global_norm, global_norm
from .losses import mse_backward, mse_loss, softmax_cross_entropy, softmax_cross_entropy_backward
from .network import network_backward, network_forward
from .optimizers import OPTIMIZERS
from .shapes import positive_int, seed_int
from .status import Status
from .threads import blas_threads

__all__ = ["LOSSES", "History", "train", "evaluate"]

#: name: (forward, backward); both losses take ``(y, target, mask)``.
LOSSES = {"mse": (mse_loss, mse_backward),
          "xent": (softmax_cross_entropy, softmax_cross_entropy_backward)}


@dataclass
class History:
    """What :func:`train` saw: ``loss[k]`` and ``norm[k]`` (the global gradient
    norm before clipping) at step k + 1, float64 arrays of length ``steps``."""

    loss: np.ndarray
    norm: np.ndarray


def train(params, task, steps, kind="lstm", optimizer="adam", lr=1e-2, max_norm=1.0,
          batch_size=64, seed=0, show=True, callback=None, **options):
    """Train ``params`` on ``task`` for ``steps`` steps: return ``params, history``.

    Parameters
    ----------
    params : dict
        ``W``, ``b``, ``W_y``, ``b_y`` (:func:`lstm_lesson.network.init_network`);
        not changed: the trained parameters are new arrays.
    task : lstm_lesson.tasks.Task
        Where batches come from, and the loss and readout it needs.
    steps : int
    kind : {"lstm", "rnn"}
    optimizer : {"sgd", "momentum", "adam"}
    lr : float
        The learning rate.
    max_norm : float or None
        Clip the gradients to this global norm; None: no clipping.
    batch_size : int
        N, the sequences per step.
    seed : int
        Seeds the batches (the weights were seeded when ``params`` was made).
    show : bool or callable
        The live status line (:class:`lstm_lesson.status.Status`).
    callback : callable, optional
        Called as ``callback(step, params)`` after every step (to keep
        snapshots, to sample from the model as it learns).
    **options
        More settings of the optimiser (``momentum=0.9``, ``beta1=0.9``, ...).

    Returns
    -------
    params : dict
    history : History
    """
    steps = positive_int("steps", steps)
    batch_size = positive_int("batch_size", batch_size)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer: expected one of {', '.join(OPTIMIZERS)}, "
                         f"received {optimizer!r}")
    init, step = OPTIMIZERS[optimizer]
    loss_forward, loss_backward = LOSSES[task.loss]
    rng = np.random.default_rng(seed_int("seed", seed))
    state = init(params)
    losses, norms = np.empty(steps), np.empty(steps)
    with Status(f"training {steps} steps", show) as status, blas_threads(1):
        for k in range(steps):
            batch = task.batch(batch_size, rng)  # a fresh minibatch
            y, cache = network_forward(params, batch.xs, kind, task.read)
            loss, loss_cache = loss_forward(y, batch.target, batch.mask)
            grads = network_backward(loss_backward(loss_cache), cache)  # fresh ones
            if max_norm is not None:
                grads, norms[k] = clip_by_global_norm(grads, max_norm)  # then step
            else:
                norms[k] = global_norm(grads)
            params, state = step(params, grads, state, lr, **options)
            losses[k] = loss
            status.update(f"step {k + 1}, loss {loss:.4f}")
            if callback is not None:
                callback(k + 1, params)
    return params, History(losses, norms)


def evaluate(params, task, kind="lstm", batch_size=1000, seed=12345):
    """The loss of ``params`` on one fresh batch of ``task`` (no training): a float.

    A large batch from its own seed, so that two models are measured on the
    same sequences.
    """
    batch = task.batch(positive_int("batch_size", batch_size),
                       np.random.default_rng(seed_int("seed", seed)))
    y, _ = network_forward(params, batch.xs, kind, task.read)
    loss_forward = LOSSES[task.loss][0]
    return float(loss_forward(y, batch.target, batch.mask)[0])
