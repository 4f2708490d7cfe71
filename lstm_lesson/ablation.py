"""Chapter 13's ablation: which parts of the LSTM matter, in miniature.

Greff et al. (2017, "LSTM: A Search Space Odyssey") trained eight variants of
the LSTM on three data sets and found the forget gate and the output
activation the most important parts. This study trains every variant of
:mod:`lstm_lesson.variants` (and the plain RNN as a floor) on three of
chapter 11's tasks, several seeds each, every run of a task with the same
budget (steps, batch, optimiser, learning rate, clipping, hidden size):

* **adding**: the adding problem with T steps (a length at which the plain RNN
  fails with this budget); measured by the MSE on 1000 fresh sequences
  (predicting the mean costs 1/6).
* **reber**: the embedded Reber grammar; measured by the cross-entropy (nats)
  at the one step that must remember the string's second symbol, on 1000 fresh
  strings: ln 2 = 0.69 is a guess between T and P, 0 is remembering.
* **anbn**: a^n b^n with n from 1 to 10; measured by the cross-entropy on the
  determined steps (after S and from the first b on) of 1000 fresh strings with n
  in the same range, and also with n from 11 to 20, longer than any string trained
  on: a network that counts goes on predicting there, one that has learned the
  lengths it saw does not.

The study takes minutes, so it is a command,

    python -m lstm_lesson ablation        # writes lstm_lesson/data/ablation.json

that shows its progress, writes a results file committed with the package
(settings, every run's measures, verdict, loss curve and time, the machine),
and prints how long it took. The chapter reads the file and reruns one small
slice; a test reruns a few runs and compares them with the file (:func:`agree`).

Runs are independent: ``jobs=2`` trains two at a time in separate processes
(each with one BLAS thread, as the training loop always uses); the results do
not depend on it.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .experiment import DATA_DIR, _curve, _load, load, machine, save
from .losses import softmax_cross_entropy
from .network import init_network, network_forward
from .tasks import anbn, anbn_task, adding_task, embedded_reber, reber_task
from .training import evaluate, train

__all__ = ["ABLATION", "MODELS", "TASKS", "PATH", "THRESHOLDS", "verdict", "measure",
           "run_one", "run_ablation", "agree", "summary", "load", "save", "DATA_DIR"]

#: The models compared: the course's LSTM first, the plain RNN last (a floor).
MODELS = ["lstm", "peephole", "cifg", "nfg", "nig", "nog", "niaf", "noaf", "gru", "rnn"]
#: The tasks, in the order of the table.
TASKS = ["adding", "reber", "anbn"]

#: The whole study: the same budget for every run of a task.
ABLATION = {
    "models": MODELS, "tasks": TASKS, "seeds": [0, 1, 2, 3, 4],
    "steps": {"adding": 500, "reber": 400, "anbn": 300},
    "adding_T": 20, "anbn_n": [1, 10], "anbn_beyond": [11, 20],
    "hidden_size": 16, "batch_size": 32, "optimizer": "adam", "lr": 0.01,
    "max_norm": 1.0, "forget_bias": 1.0,
    "init": "uniform +-1/sqrt(H), forget bias 1 where there is a forget gate",
    "eval_size": 1000, "eval_seed": 12345, "curve_points": 25,
}

#: Where the study's results are committed.
PATH = DATA_DIR / "ablation.json"

#: Per measure: below the first value "learned", at or above the second "not
#: learned", between "partly". adding: MSE (baseline 1/6); reber: nats at the
#: step that remembers (a guess: ln 2); anbn: nats per determined step;
#: beyond: the same for longer strings than trained on.
THRESHOLDS = {"adding": (0.01, 0.1), "reber": (0.07, 0.35), "anbn": (0.05, 0.3),
              "beyond": (0.3, 0.6)}


def verdict(measure, value):
    """``"learned"``, ``"partly"`` or ``"not learned"`` for a value of a measure."""
    low, high = THRESHOLDS[measure]
    if not math.isfinite(value) or value >= high:
        return "not learned"
    return "learned" if value < low else "partly"


def _task(name, settings):
    if name == "adding":
        return adding_task(settings["adding_T"])
    if name == "reber":
        return reber_task()
    if name == "anbn":
        return anbn_task(*settings["anbn_n"])
    raise ValueError(f"task: expected one of {', '.join(TASKS)}, received {name!r}")


def _masked_loss(params, kind, batch, mask):
    y, _ = network_forward(params, batch.xs, kind, "every")
    return float(softmax_cross_entropy(y, batch.target, mask)[0])


def measure(params, kind, task, settings):
    """A trained network's measures on fresh data: a dict of name -> float.

    ``{"adding": MSE}``, ``{"reber": nats at the remembering step}``, or
    ``{"anbn": nats per determined step, "beyond": the same for n beyond the
    training range}`` (module docstring); rounded to 6 significant digits.
    """
    size, seed = settings["eval_size"], settings["eval_seed"]
    if task == "adding":
        found = {"adding": evaluate(params, _task("adding", settings), kind, size, seed)}
    elif task == "reber":
        batch = embedded_reber(size, np.random.default_rng(seed))
        found = {"reber": _masked_loss(params, kind, batch, batch.info["remember"])}
    else:
        found = {}
        for name, (low, high) in (("anbn", settings["anbn_n"]),
                                  ("beyond", settings["anbn_beyond"])):
            batch = anbn(size, np.random.default_rng(seed), low, high)
            found[name] = _masked_loss(params, kind, batch, batch.info["determined"])
    return {name: float(f"{value:.6g}") for name, value in found.items()}


def run_one(settings, model, task, seed, show=False):
    """Train one network of the study and measure it: return its record (a dict).

    The weights and the batches both come from ``seed``. The record holds
    ``model``, ``task``, ``seed``, the measures (:func:`measure`) with their
    ``verdicts``, ``curve`` (the training loss over equal windows of steps)
    and ``seconds``.
    """
    spec = _task(task, settings)
    params = init_network(model, spec.input_size, settings["hidden_size"], spec.output_size,
                          seed=seed, forget_bias=settings["forget_bias"])
    start = time.perf_counter()
    params, history = train(params, spec, settings["steps"][task], kind=model,
                            optimizer=settings["optimizer"], lr=settings["lr"],
                            max_norm=settings["max_norm"], batch_size=settings["batch_size"],
                            seed=seed, show=show)
    seconds = time.perf_counter() - start
    found = measure(params, model, task, settings)
    return {"model": model, "task": task, "seed": seed, **found,
            "verdicts": {name: verdict(name, value) for name, value in found.items()},
            "curve": _curve(history.loss, settings["curve_points"]),
            "seconds": round(seconds, 2)}


def _points(settings):
    return [(model, task, seed) for task in settings["tasks"] for model in settings["models"]
            for seed in settings["seeds"]]


def _describe(record):
    values = ", ".join(f"{name} {record[name]:.3g}" for name in record["verdicts"])
    return f"{values} ({', '.join(record['verdicts'].values())}), {record['seconds']:.0f} s"


def run_ablation(settings=ABLATION, points=None, jobs=1, report=print, live=False):
    """Run every ``(model, task, seed)`` of ``settings`` (or the given points).

    ``report`` gets one line per finished run (and, with ``live`` and one job,
    the running run's status line). ``jobs`` runs that many at a time, each in
    its own process. Returns ``{"settings", "runs", "seconds", "machine"}``,
    the runs in the order of the points.
    """
    points = _points(settings) if points is None else list(points)
    start, environment = time.perf_counter(), machine()
    width = len(str(len(points)))

    def label(k, point):
        model, task, seed = point
        return f"[{k:{width}d}/{len(points)}] {model:11s} {task:6s} seed {seed}"

    runs = []
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            futures = [pool.submit(run_one, settings, *point) for point in points]
            for k, (point, future) in enumerate(zip(points, futures), 1):
                runs.append(future.result())
                report(f"{label(k, point)}: {_describe(runs[-1])}", flush=True)
    else:
        for k, point in enumerate(points, 1):
            what = label(k, point)
            show = (lambda line, what=what: report(f"{what}: {line}", end="\r", flush=True)
                    ) if live else False
            runs.append(run_one(settings, *point, show=show))
            report(f"{what}: {_describe(runs[-1])}" + (" " * 20 if live else ""), flush=True)
    environment["load_average_after"] = _load()
    environment["jobs"] = jobs
    return {"settings": settings, "runs": runs,
            "seconds": round(time.perf_counter() - start, 1), "machine": environment}


def agree(rerun, stored, factor=3.0):
    """Do two runs of the same point agree as far as machines can? ``(bool, why)``.

    Every measure has the same verdict, and values within ``factor`` of each
    other (a log scale: the last bits that differ between machines grow during
    training), or both below the measure's "learned" threshold.
    """
    for name, expected in stored["verdicts"].items():
        if rerun["verdicts"][name] != expected:
            return False, (f"{name}: verdict {rerun['verdicts'][name]!r}, the file says "
                           f"{expected!r}")
        a, b = rerun[name], stored[name]
        if max(a, b) < THRESHOLDS[name][0]:
            continue  # both learned: tiny losses may differ by more than a factor
        if max(a, b) / max(min(a, b), 1e-12) > factor:
            return False, (f"{name}: {a:.3g} against {b:.3g} in the file, more than "
                           f"{factor:g} times apart")
    return True, "same verdicts, measures within a factor of " + f"{factor:g}"


def summary(results, measure_name):
    """Per model, over the seeds: ``{model: {"values", "median", "low", "high", "mean_log", "spread_log"}}``.

    For the task the measure belongs to (``"beyond"`` is a^n b^n's); ``mean_log``
    and ``spread_log`` are the mean and standard deviation of log10 of the values
    (losses spread over orders of magnitude: their mean on a log scale is the
    geometric mean).
    """
    found = {}
    for run in results["runs"]:
        if measure_name in run:
            found.setdefault(run["model"], []).append(run[measure_name])
    table = {}
    for model, values in found.items():
        logs = np.log10(np.maximum(values, 1e-12))
        table[model] = {"values": values, "median": float(np.median(values)),
                        "low": min(values), "high": max(values),
                        "mean_log": float(logs.mean()), "spread_log": float(logs.std())}
    return table
