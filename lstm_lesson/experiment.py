"""Chapter 11's experiments: a grid of training runs, its results file, and its verdicts.

The central experiment trains a plain tanh RNN and an LSTM on the adding problem at
growing lengths T, several seeds each, every run with the same budget (steps,
batch, optimiser, learning rate, clipping), and measures each trained network's
mean squared error on a fixed batch of 1000 fresh sequences. Always predicting the
mean costs 1/6 (:data:`lstm_lesson.tasks.ADDING_BASELINE`): a network that has
learned the task is far below it, one that has not stays near it.

The grid takes minutes (too long for a chapter), so it is a command,

    python -m lstm_lesson experiment adding     # writes lstm_lesson/data/adding-grid.json

that shows its progress and writes a results file committed with the package: the
settings, every run's final loss and its loss curve (the training loss averaged
over windows of steps), how long each run took, and the machine (its BLAS, CPU and
load). The chapter reads the file and reruns one point live; a test reruns a few
points and compares them with the file (:func:`agree`): training differs in the
last bits from one machine to another, and those differences grow over a run, so
two machines agree on the verdict (learned or not) and on the final loss within a
factor, not digit for digit.

``python -m lstm_lesson experiment init`` does the same for the initialisation
comparison: the LSTM with four initialisations at one length; ``experiment
chars`` trains the character model on the course's prose, keeping samples and
the bits per character on held-out text as it learns, and the trained weights
(``lstm_lesson/data/char-model.json`` and ``char-model.npz``).
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from pathlib import Path

import numpy as np

from .network import init_network
from .sampling import bits_per_character, sample
from .tasks import adding_task, course_text, encode, text_task, vocabulary
from .threads import openblas_core
from .training import evaluate, train

__all__ = ["ADDING_GRID", "INIT_GRID", "INITS", "CHAR_MODEL", "run_chars", "char_data",
           "load_char_model", "LEARNED", "NOT_LEARNED", "verdict",
           "run_point", "run_grid", "save", "load", "agree", "machine", "table", "save_char_model",
           "first_step_below",
           "DATA_DIR"]

#: Where the results files are committed: the package's data folder, so that they
#: travel with the package (a chapter downloaded with the wheel finds them too).
DATA_DIR = Path(__file__).resolve().parent / "data"

#: A final MSE below this is "learned" (under 6 % of the baseline); at or above
#: NOT_LEARNED it is "not learned" (over 60 % of it); between, "partly".
LEARNED, NOT_LEARNED = 0.01, 0.1

#: The central experiment: the same budget for every run.
ADDING_GRID = {
    "task": "adding", "models": ["rnn", "lstm"], "lengths": [10, 30, 60, 100],
    "seeds": [0, 1, 2], "steps": 2000, "hidden_size": 32, "batch_size": 64,
    "optimizer": "adam", "lr": 0.01, "max_norm": 1.0,
    "init": "uniform +-1/sqrt(H); the LSTM's forget bias 1",
    "eval_size": 1000, "eval_seed": 12345, "curve_points": 100,
}

#: The initialisations compared (LSTM): name: keyword arguments of init_network.
INITS = {
    "uniform (the reference cell's)": {"scheme": "uniform", "forget_bias": None},
    "uniform, forget bias 1": {"scheme": "uniform", "forget_bias": 1.0},
    "Glorot + orthogonal": {"scheme": "glorot", "orthogonal_recurrent": True,
                            "forget_bias": None},
    "Glorot + orthogonal, forget bias 1": {"scheme": "glorot", "orthogonal_recurrent": True,
                                           "forget_bias": 1.0},
}

#: The initialisation comparison: the LSTM at one length, four initialisations.
INIT_GRID = {**ADDING_GRID, "models": ["lstm"], "lengths": [60], "steps": 1000,
             "inits": list(INITS), "init": None}


def verdict(loss):
    """``"learned"``, ``"partly"`` or ``"not learned"`` for a final MSE (see LEARNED)."""
    if not math.isfinite(loss) or loss >= NOT_LEARNED:
        return "not learned"
    return "learned" if loss < LEARNED else "partly"


def _init_options(init):
    """init_network's keyword arguments for ``init`` (None: the grid's default)."""
    if init is None:
        return INITS["uniform, forget bias 1"]
    if init not in INITS:
        raise ValueError(f"init: expected one of {', '.join(INITS)}, received {init!r}")
    return INITS[init]


def _curve(losses, points):
    """The training loss averaged over ``points`` equal windows of steps."""
    losses = np.asarray(losses, dtype=float)
    windows = np.array_split(losses, min(points, losses.size))
    return [float(f"{w.mean():.4g}") for w in windows]


def run_point(settings, model, T, seed, init=None, show=False):
    """Train one network of the grid and measure it: return the run's record (a dict).

    ``model`` is ``"rnn"`` or ``"lstm"``; the weights and the batches both come
    from ``seed``; ``init`` names one of :data:`INITS` (None: uniform +-1/sqrt(H)
    with the LSTM's forget bias at 1, the grid's ``"init"``). The record holds
    ``model``, ``T``, ``seed``, ``init``, ``final_loss`` (the MSE on ``eval_size``
    fresh sequences from ``eval_seed``), ``verdict``, ``curve`` and ``seconds``.
    """
    options = _init_options(init)
    task = adding_task(T)
    params = init_network(model, 2, settings["hidden_size"], 1, seed=seed, **options)
    start = time.perf_counter()
    params, history = train(params, task, settings["steps"], kind=model,
                            optimizer=settings["optimizer"], lr=settings["lr"],
                            max_norm=settings["max_norm"], batch_size=settings["batch_size"],
                            seed=seed, show=show)
    seconds = time.perf_counter() - start
    final = evaluate(params, task, model, settings["eval_size"], settings["eval_seed"])
    return {"model": model, "T": T, "seed": seed, "init": init,
            "final_loss": float(f"{final:.6g}"), "verdict": verdict(final),
            "curve": _curve(history.loss, settings["curve_points"]),
            "seconds": round(seconds, 2)}


def _points(settings):
    inits = settings.get("inits") or [None]
    return [(model, T, seed, init) for init in inits for T in settings["lengths"]
            for model in settings["models"] for seed in settings["seeds"]]


def run_grid(settings, points=None, report=print, live=False):
    """Run every point of ``settings`` (or the given ``(model, T, seed, init)``s).

    ``report`` (``print`` by default) is called with one line per finished run;
    with ``live``, also with the run's status line while it trains
    (``report(line, end="\\r")``, for a terminal). Returns the results:
    ``{"settings", "runs", "seconds", "machine"}``.
    """
    points = _points(settings) if points is None else list(points)
    runs, start = [], time.perf_counter()
    environment = machine()
    for k, (model, T, seed, init) in enumerate(points, 1):
        what = f"[{k}/{len(points)}] {model.upper():4s} T = {T:3d}, seed {seed}" + (
            f", {init}" if init else "")
        show = (lambda line, what=what: report(f"{what}: {line}", end="\r", flush=True)
                ) if live else False
        run = run_point(settings, model, T, seed, init, show=show)
        runs.append(run)
        report(f"{what}: final MSE {run['final_loss']:.2e} ({run['verdict']}), "
               f"{run['seconds']:.0f} s" + (" " * 20 if live else ""), flush=True)
    environment["load_average_after"] = _load()
    return {"settings": settings, "runs": runs,
            "seconds": round(time.perf_counter() - start, 1), "machine": environment}


def _load():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return None


def machine():
    """What the results depend on: NumPy, its BLAS, the CPU, the cores and their load."""
    config = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    cpu = None
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), None)
    except OSError:  # pragma: no cover - not on Linux
        pass
    return {"numpy": np.__version__, "blas": f"{blas.get('name')} {blas.get('version')}",
            "openblas_core": openblas_core(), "blas_threads_in_training": 1,
            "simd": config.get("SIMD Extensions", {}).get("found"),
            "cpu": cpu or platform.processor(), "cores": os.cpu_count(),
            "python": platform.python_version(), "load_average_before": _load()}


def save(results, path):
    """Write results as JSON (one run per line, so that a diff stays readable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    runs = ",\n    ".join(json.dumps(run) for run in results["runs"])
    head = {key: value for key, value in results.items() if key != "runs"}
    text = json.dumps(head, indent=2)[:-2] + f',\n  "runs": [\n    {runs}\n  ]\n}}\n'
    json.loads(text)  # the file must read back
    path.write_text(text)
    return path


def load(path):
    """Read a results file written by :func:`save`."""
    return json.loads(Path(path).read_text())


def agree(rerun, stored, factor=3.0):
    """Do two runs of the same point agree as far as machines can? (bool, why).

    Same verdict, and final losses within ``factor`` of each other (compared on
    a log scale: the last bits that differ between machines grow during training).
    """
    if rerun["verdict"] != stored["verdict"]:
        return False, f"verdict {rerun['verdict']!r}, the file says {stored['verdict']!r}"
    ratio = max(rerun["final_loss"], stored["final_loss"]) / min(
        rerun["final_loss"], stored["final_loss"])
    if ratio > factor:
        return False, (f"final MSE {rerun['final_loss']:.3g} against {stored['final_loss']:.3g}"
                       f" in the file: more than {factor:g} times apart")
    return True, f"same verdict, final MSE within a factor of {ratio:.2f}"


def first_step_below(run, settings, level=0.05):
    """The first training step at which ``run``'s loss curve is below ``level``, or None.

    The curve averages the training loss over windows of ``steps / curve_points``
    steps; the step returned is the start of the first window below ``level``.
    """
    below = np.flatnonzero(np.asarray(run["curve"]) < level)
    if not below.size:
        return None
    return int(below[0]) * settings["steps"] // len(run["curve"])


def table(results):
    """Per (model or init, T): the runs' final losses, their geometric mean and spread.

    Returns a list of dicts ``{"model", "T", "init", "losses", "median", "low",
    "high", "verdicts"}`` in the order of the settings.
    """
    rows = {}
    for run in results["runs"]:
        rows.setdefault((run["model"], run.get("init"), run["T"]), []).append(run)
    found = []
    for (model, init, T), runs in rows.items():
        losses = [run["final_loss"] for run in runs]
        found.append({"model": model, "init": init, "T": T, "losses": losses,
                      "median": float(np.median(losses)), "low": min(losses),
                      "high": max(losses), "verdicts": [run["verdict"] for run in runs]})
    return found



#: The character model: an LSTM on the course's prose (lstm_lesson.tasks.course_text).
CHAR_MODEL = {
    "hidden_size": 64, "T": 50, "batch_size": 32, "steps": 3000, "optimizer": "adam",
    "lr": 0.003, "max_norm": 1.0, "seed": 0, "validation_fraction": 0.1,
    "checkpoints": [0, 100, 300, 1000, 3000], "prime": "the ", "sample_length": 160,
    "temperature": 0.8, "sample_seed": 1, "curve_points": 100,
}


def char_data(settings=CHAR_MODEL):
    """``vocab, train_ids, validation_ids``: the course's prose, its last part held out."""
    text = course_text()
    vocab = vocabulary(text)
    ids = encode(text, vocab)
    split = int(round(len(ids) * (1 - settings["validation_fraction"])))
    return vocab, ids[:split], ids[split:]


def _float32(params):
    """The parameters rounded to float32 (as the weights file keeps them), in float64."""
    return {name: p.astype(np.float32).astype(np.float64) for name, p in params.items()}


def run_chars(settings=CHAR_MODEL, report=print, live=False):
    """Train the character model; return ``(results, params)``.

    At each checkpoint step the model (rounded to float32, as saved) is measured
    on the held-out text, in bits per character, and a sample is drawn from it
    (``prime``, ``temperature``, ``sample_seed``). ``params`` are the trained
    weights rounded to float32, the ones the samples of the last checkpoint come
    from.
    """
    vocab, train_ids, validation_ids = char_data(settings)
    K = len(vocab)
    params = init_network("lstm", K, settings["hidden_size"], K, seed=settings["seed"])
    checkpoints = []

    def checkpoint(step, params):
        if step in settings["checkpoints"]:
            rounded = _float32(params)
            checkpoints.append({
                "step": step, "validation_bits": round(bits_per_character(
                    rounded, validation_ids, K), 4),
                "sample": sample(rounded, vocab, settings["prime"], settings["sample_length"],
                                 settings["temperature"], settings["sample_seed"])})
            report(f"step {step}: {checkpoints[-1]['validation_bits']:.3f} bits per "
                   "character on held-out text" + (" " * 30 if live else ""), flush=True)

    start = time.perf_counter()
    environment = machine()
    checkpoint(0, params)
    show = (lambda line: report(line, end="\r", flush=True)) if live else False
    params, history = train(params, text_task(train_ids, vocab, settings["T"]),
                            settings["steps"], optimizer=settings["optimizer"],
                            lr=settings["lr"], max_norm=settings["max_norm"],
                            batch_size=settings["batch_size"], seed=settings["seed"],
                            show=show, callback=checkpoint)
    environment["load_average_after"] = _load()
    results = {"settings": settings, "vocab": vocab, "characters": len(train_ids),
               "held_out": len(validation_ids),
               "uniform_bits": round(math.log2(K), 4), "checkpoints": checkpoints,
               "curve_bits": _curve(history.loss / math.log(2), settings["curve_points"]),
               "seconds": round(time.perf_counter() - start, 1), "machine": environment}
    return results, _float32(params)


def save_char_model(results, params, folder=DATA_DIR):
    """Write ``char-model.json`` (results) and ``char-model.npz`` (weights, float32)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "char-model.json").write_text(json.dumps(results, indent=1) + "\n")
    np.savez_compressed(folder / "char-model.npz",
                        **{name: p.astype(np.float32) for name, p in params.items()})
    return folder / "char-model.json", folder / "char-model.npz"


def load_char_model(folder=DATA_DIR):
    """``(results, params)`` from :func:`save_char_model`'s files; params in float64."""
    folder = Path(folder)
    results = json.loads((folder / "char-model.json").read_text())
    with np.load(folder / "char-model.npz") as weights:
        params = {name: weights[name].astype(np.float64) for name in ("W", "b", "W_y", "b_y")}
    return results, params
