"""The trained networks chapter 12 looks inside: their settings, training and file.

Three LSTMs, each trained by the package's loop (:func:`lstm_lesson.training.train`)
on one of chapter 11's tasks:

* ``"anbn"``: a^n b^n, n from 1 to 10, with H = 4 units: small enough to train in
  seconds, so the chapter trains it live;
* ``"reber"``: the embedded Reber grammar with H = 16 (about a minute);
* ``"chars"``: the character model of the course's prose, with windows longer
  than a line (the text is wrapped at 72 characters), so that a unit can learn
  where a line ends (tens of minutes).

Training all three takes too long for a chapter, so it is a command,

    python -m lstm_lesson inside        # writes lstm_lesson/data/inside-models.json, .npz

that shows its progress and writes the trained weights (rounded to float32, as
:func:`lstm_lesson.experiment.save_char_model` keeps them) and a results file:
the settings, each model's first training losses (to compare a rerun with),
its loss curve, its measures (:func:`measure`), how long it took and the
machine. The chapter loads the weights, trains the a^n b^n model again live,
and reruns the first steps of the embedded Reber grammar's training; a test
reruns the a^n b^n model whole and the first steps of the others, and compares
them with the file within a tolerance (training differs in the last bits from
machine to machine, and those differences grow over a run).

Legend: N batch, T steps, D input size, H hidden size, K outputs.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np

from .experiment import DATA_DIR, _curve, _load, char_data, machine
from .losses import softmax_cross_entropy
from .network import init_network, network_forward
from .sampling import bits_per_character
from .tasks import anbn, anbn_task, embedded_reber, reber_task, text_task
from .training import train

__all__ = ["MODELS", "NAMES", "task_for", "untrained", "train_model", "anbn_accuracy",
           "reber_remembered", "measure", "run_models", "save_models", "load_models",
           "agree", "DATA_DIR", "FIRST_LOSSES"]

#: The three models' settings: the task, the network, the training.
MODELS = {
    "anbn": {"task": "anbn", "n_min": 1, "n_max": 10, "hidden_size": 4, "steps": 300,
             "batch_size": 32, "optimizer": "adam", "lr": 0.02, "max_norm": 1.0,
             "seed": 0, "eval_size": 500, "eval_seed": 12345},
    "reber": {"task": "reber", "hidden_size": 16, "steps": 1000, "batch_size": 32,
              "optimizer": "adam", "lr": 0.01, "max_norm": 1.0, "seed": 0,
              "eval_size": 500, "eval_seed": 12345},
    "chars": {"task": "chars", "hidden_size": 64, "T": 100, "steps": 12000,
              "batch_size": 32, "optimizer": "adam", "lr": 0.005, "max_norm": 1.0,
              "seed": 0, "validation_fraction": 0.1},
}
#: The models, in the order of the chapter.
NAMES = tuple(MODELS)
#: How many of the first training losses the file keeps, to compare a rerun with.
FIRST_LOSSES = 20


def _settings(name, settings=None):
    if name not in MODELS:
        raise ValueError(f"name: expected one of {', '.join(NAMES)}, received {name!r}")
    return MODELS[name] if settings is None else settings


def task_for(name, settings=None):
    """The :class:`lstm_lesson.tasks.Task` a model trains on, and its input size D."""
    settings = _settings(name, settings)
    if name == "anbn":
        task = anbn_task(settings["n_min"], settings["n_max"])
    elif name == "reber":
        task = reber_task()
    else:
        vocab, train_ids, _ = char_data(settings)
        task = text_task(train_ids, vocab, settings["T"])
    return task


def untrained(name, settings=None):
    """The model's parameters before training (drawn from its seed)."""
    settings = _settings(name, settings)
    task = task_for(name, settings)
    return init_network("lstm", task.input_size, settings["hidden_size"], task.output_size,
                        seed=settings["seed"])


def train_model(name, settings=None, steps=None, show=False):
    """Train the model from :func:`untrained`: return ``params, history``.

    ``steps`` (default: the settings') trains fewer steps: the first steps of
    the same run, to compare with the file.
    """
    settings = _settings(name, settings)
    return train(untrained(name, settings), task_for(name, settings),
                 settings["steps"] if steps is None else steps,
                 optimizer=settings["optimizer"], lr=settings["lr"],
                 max_norm=settings["max_norm"], batch_size=settings["batch_size"],
                 seed=settings["seed"], show=show)


def anbn_accuracy(logits, batch):
    """The share of a^n b^n strings whose every determined next symbol is predicted.

    The likeliest class of ``logits`` (T, 3, N) must be the target at every
    step where the next symbol follows from the string so far (after S, and
    from the first b on: ``batch.info["determined"]``), the criterion of Gers
    and Schmidhuber (2001). A float in [0, 1].
    """
    right = np.asarray(logits).argmax(axis=1) == batch.target
    determined = batch.info["determined"] > 0
    return float((right | ~determined).all(axis=0).mean())


def reber_remembered(logits, batch):
    """The share of embedded Reber strings whose last T or P is predicted right.

    At the step that reads the inner string's E the next symbol must repeat the
    string's second symbol (``batch.info["remember"]``); a float in [0, 1].
    """
    remember = batch.info["remember"] > 0
    right = np.asarray(logits).argmax(axis=1) == batch.target
    return float(right[remember].mean())


def measure(name, params, settings=None):
    """What a trained model achieves, as a dict of floats (rounded to 4 digits).

    anbn: ``accuracy`` (:func:`anbn_accuracy`) on fresh strings with n in the
    trained range and with n from 11 to 20 (``longer``); reber: ``remembered``
    (:func:`reber_remembered`) and ``remember_loss`` (the cross-entropy at that
    step, nats); chars: ``validation_bits`` on the held-out text.
    """
    settings = _settings(name, settings)
    if name == "chars":
        vocab, _, validation = char_data(settings)
        return {"validation_bits": round(bits_per_character(params, validation,
                                                              len(vocab)), 4)}
    rng = np.random.default_rng(settings["eval_seed"])
    if name == "anbn":
        found = {}
        for key, (low, high) in (("accuracy", (settings["n_min"], settings["n_max"])),
                                 ("longer", (settings["n_max"] + 1, 2 * settings["n_max"]))):
            batch = anbn(settings["eval_size"], rng, low, high)
            found[key] = round(anbn_accuracy(network_forward(params, batch.xs, "lstm",
                                                             "every")[0], batch), 4)
        return found
    batch = embedded_reber(settings["eval_size"], rng)
    logits = network_forward(params, batch.xs, "lstm", "every")[0]
    loss = softmax_cross_entropy(logits, batch.target, batch.info["remember"])[0]
    return {"remembered": round(reber_remembered(logits, batch), 4),
            "remember_loss": round(float(loss), 4)}


def _float32(params):
    return {key: p.astype(np.float32).astype(np.float64) for key, p in params.items()}


def run_models(models=MODELS, report=print, live=False):
    """Train every model of ``models``; return ``(results, params)``.

    ``results`` holds, per model, ``settings``, ``first_losses``, ``curve`` (the
    training loss averaged over 100 windows), ``measures`` (of the weights as
    saved, rounded to float32) and ``seconds``; ``params`` the trained weights
    rounded to float32, per model.
    """
    results, params, start = {"models": {}}, {}, time.perf_counter()
    environment = machine()
    for k, (name, settings) in enumerate(models.items(), 1):
        what = f"[{k}/{len(models)}] {name}"
        show = (lambda line, what=what: report(f"{what}: {line}", end="\r", flush=True)
                ) if live else False
        began = time.perf_counter()
        trained, history = train_model(name, settings, show=show)
        seconds = time.perf_counter() - began
        params[name] = _float32(trained)
        results["models"][name] = {
            "settings": settings,
            "first_losses": [float(f"{x:.10g}") for x in history.loss[:FIRST_LOSSES]],
            "curve": _curve(history.loss, 100),
            "measures": measure(name, params[name], settings),
            "seconds": round(seconds, 1)}
        report(f"{what}: {results['models'][name]['measures']}, {seconds:.0f} s"
               + (" " * 30 if live else ""), flush=True)
    environment["load_average_after"] = _load()
    results["seconds"] = round(time.perf_counter() - start, 1)
    results["machine"] = environment
    return results, params


def save_models(results, params, folder=DATA_DIR):
    """Write ``inside-models.json`` (results) and ``inside-models.npz`` (float32 weights)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inside-models.json").write_text(json.dumps(results, indent=1) + "\n")
    np.savez_compressed(folder / "inside-models.npz",
                        **{f"{name}.{key}": p.astype(np.float32)
                           for name, found in params.items() for key, p in found.items()})
    return folder / "inside-models.json", folder / "inside-models.npz"


def load_models(folder=DATA_DIR):
    """``(results, params)`` from :func:`save_models`'s files; params per model, float64."""
    folder = Path(folder)
    results = json.loads((folder / "inside-models.json").read_text())
    params = {}
    with np.load(folder / "inside-models.npz") as weights:
        for entry in weights.files:
            name, key = entry.split(".")
            params.setdefault(name, {})[key] = weights[entry].astype(np.float64)
    return results, params


def agree(first_losses, stored, rtol=1e-6):
    """Do the first training losses of a rerun agree with the file's? ``(bool, why)``.

    Over a few steps the last bits that differ between machines stay far below
    ``rtol``; a different task, seed or setting changes the first loss already.
    """
    n = min(len(first_losses), len(stored))
    gap = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(first_losses[:n], stored[:n]))
    if n == 0 or not math.isfinite(gap) or gap > rtol:
        return False, f"the first {n} losses differ by {gap:.2g} (relative), over {rtol:g}"
    return True, f"the first {n} losses agree within {rtol:g}"

