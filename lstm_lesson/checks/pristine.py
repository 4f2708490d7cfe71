"""A private copy of the package, from which every checker takes its reference.

A checker that looked its reference up in ``lstm_lesson`` at call time could be
fooled from the reader's notebook: after ``lstm_lesson.gates.forget_gate =
my_forget_gate`` (or ``lstm_lesson.gates.sigmoid = my_sigmoid``, which the
reference calls inside), ``check_forget_gate(my_forget_gate)`` would compare the
reader's function with itself and pass. So the package's modules are imported a
second time, from the same files, under a private name: their functions look
each other up in the private modules, which no ``lstm_lesson.*`` assignment
reaches. The copy is made once, when the checkers are imported.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

__all__ = ["activations", "backward", "bptt", "cell", "cell_state", "fused", "gates",
           "hidden_state", "reference", "rnn", "sequence", "clipping", "losses", "network",
           "optimizers", "tasks", "training", "variants"]

#: The private package's name (a module name no reader code imports).
NAME = "_lstm_lesson_pristine"


def _load(name=NAME):
    """Import the package's ``__init__`` once more, as the package ``name``.

    Registering it in ``sys.modules`` lets its relative imports (``from
    .activations import sigmoid``) resolve to private modules too.
    """
    if name in sys.modules:
        return sys.modules[name]
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        name, root / "__init__.py", submodule_search_locations=[str(root)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    try:
        spec.loader.exec_module(package)
    except BaseException:  # pragma: no cover - leave no half-made copy behind
        del sys.modules[name]
        raise
    return package


def _module(part):
    return importlib.import_module(f"{_load().__name__}.{part}")


activations = _module("activations")
backward = _module("backward")
bptt = _module("bptt")
cell = _module("cell")
cell_state = _module("cell_state")
fused = _module("fused")
gates = _module("gates")
hidden_state = _module("hidden_state")
reference = _module("reference")
rnn = _module("rnn")
sequence = _module("sequence")
# Chapter 11: training.
clipping = _module("clipping")
losses = _module("losses")
network = _module("network")
optimizers = _module("optimizers")
tasks = _module("tasks")
training = _module("training")
# Chapter 13: the variants.
variants = _module("variants")
