"""A checker's reference cannot be replaced from the reader's notebook.

The checkers take their references from a private copy of the package, so
patching ``lstm_lesson.<module>.<function>`` (the reference itself, or a function
it calls inside) with the reader's wrong answer cannot make that answer pass.
Each test also checks that the right answer still passes under the same patch.
"""

import contextlib
import importlib
import io

import numpy as np
import pytest

import lstm_lesson
from lstm_lesson import checks
from lstm_lesson.checks import (activations, backward, cell_state, fused, gates, hidden_state,
                                pristine, sequence)
from test_checks_catalogues import CATALOGUES, PREDICTIONS


def numerical_gradient(f, x, eps=1e-5):
    """A right central difference that uses nothing of ``lstm_lesson``."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + eps
        up = f(x)
        x[k] = old - eps
        down = f(x)
        x[k] = old
        grad[k] = (up - down) / (2 * eps)
    return grad


#: A right answer for every checker, none of which reads ``lstm_lesson`` at call time.
RIGHT = {
    "check_sigmoid": pristine.activations.sigmoid,
    "check_sigmoid_derivative": pristine.activations.sigmoid_derivative,
    "check_tanh_derivative": pristine.activations.tanh_derivative,
    "check_rnn_jacobian": pristine.rnn.rnn_jacobian,
    "check_lstm_step": pristine.reference.step,
    "check_fixed_step": pristine.reference.step,
    "check_log_sigmoid": activations._log_sigmoid,
    "check_to_h_first": gates._to_h_first,
    "check_forget_gate": pristine.gates.forget_gate,
    "check_input_gate": pristine.gates.input_gate,
    "check_candidate": pristine.gates.candidate,
    "check_output_gate": pristine.gates.output_gate,
    "check_bias_for_gate": pristine.activations.logit,
    "check_candidate_bias_for": gates._candidate_bias_for,
    "check_cell_state": pristine.cell_state.cell_state,
    "check_forget_bias_for": pristine.cell_state.forget_bias_for,
    "check_hidden_state": pristine.hidden_state.hidden_state,
    "check_state_update": hidden_state._update,
    "check_cell_state_for": hidden_state._cell_state_for,
    "check_fuse": pristine.fused.fuse,
    "check_cell_forward": fused._states,
    "check_parameter_count": pristine.fused.parameter_count,
    "check_unroll": sequence._unroll,
    "check_final_state": sequence._final,
    "check_carried_fraction": sequence._carried,
    "check_step_via_fuse": pristine.reference.step,
    "check_cell_forward_iofc": fused._states_iofc,
    "check_in_chunks": sequence._in_chunks,
    "check_output_gate_backward": backward._da_o,
    "check_cell_state_backward": backward._dc_prev,
    "check_cell_backward": pristine.backward.cell_backward,
    "check_numerical_gradient": numerical_gradient,
    "check_sequence_backward": pristine.bptt.sequence_backward,
    "check_input_gradient_norms": pristine.bptt.input_gradient_norms,
    "check_fixed_cell_backward": pristine.backward.cell_backward,
    "check_backward_without_output_gate": backward._open_output_gate(
        pristine.backward.cell_backward),
    "check_fixed_sequence_backward": pristine.bptt.sequence_backward,
    "check_truncated_backward": checks.bptt._truncated,
    "check_write": gates._write,
    "check_cell_state_jacobian": pristine.cell_state.cell_state_jacobian,
    "check_coupled_cell_state": cell_state._coupled,
    "check_weight_gradient": checks.fast.fast.weight_gradient,  # chapter 14
    "check_to_keras": checks.frameworks.frameworks.to_keras,  # chapter 15
    "check_to_onnx": checks.frameworks._to_onnx_tuple,
    "check_project_inputs": checks.fast.fast.project_inputs,
    "check_input_gradients": checks.fast.input_gradients,
    # Chapter 11.
    "check_softmax_cross_entropy": checks.losses._reference,
    "check_adam_step": checks.optimizers._adam,
    "check_clip_by_global_norm": pristine.clipping.clip_by_global_norm,
    "check_train_loop": checks.training._loop,
    "check_adding_problem": checks.tasks._adding,
    # Chapter 12.
    "check_most_correlated": checks.probes.probes.most_correlated,
    "check_clamped_forward": checks.probes._clamped,
    "check_saliency": checks.probes.probes.saliency,
    "check_gradient_times_input": checks.probes.gradient_times_input,
    # Chapter 13.
    "check_cifg_step": checks.variants._cifg_step,
    "check_cifg_backward": checks.variants._cifg_backward,
    "check_gru_parameter_count": checks.variants._gru_count,
}

def run(checker, fn, **options):
    """A checker's result, its printout swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return getattr(checks, checker)(fn, **options)


#: Checkers whose reference is computed from NumPy alone: no public function of the
#: package to patch.
SELF_CONTAINED = {"check_cell_state_for", "check_log_sigmoid", "check_to_h_first",
                  "check_input_gradients", "check_to_onnx"}


def test_the_tables_cover_every_checker():
    # Prediction checkers take a value, not a function: test_checks_catalogues.py.
    names = {name for name in checks.__all__ if name.startswith("check_")} - set(PREDICTIONS)
    assert set(RIGHT) == names and set(CATALOGUES) == names
    assert set(PUBLIC) | set(BUILT_ON) | SELF_CONTAINED == names


#: Checkers whose reference is a public function of the reader's signature.
PUBLIC = {
    "check_sigmoid": ["activations.sigmoid", "sigmoid"],
    "check_sigmoid_derivative": ["activations.sigmoid_derivative"],
    "check_tanh_derivative": ["activations.tanh_derivative"],
    "check_rnn_jacobian": ["rnn.rnn_jacobian"],
    "check_lstm_step": ["reference.step"],
    "check_fixed_step": ["reference.step"],
    "check_forget_gate": ["gates.forget_gate"],
    "check_input_gate": ["gates.input_gate"],
    "check_candidate": ["gates.candidate"],
    "check_output_gate": ["gates.output_gate"],
    "check_bias_for_gate": ["activations.logit"],
    "check_cell_state": ["cell_state.cell_state"],
    "check_forget_bias_for": ["cell_state.forget_bias_for"],
    "check_hidden_state": ["hidden_state.hidden_state"],
    "check_fuse": ["fused.fuse", "fuse"],
    "check_step_via_fuse": ["reference.step"],
    "check_parameter_count": ["fused.parameter_count"],
    "check_cell_backward": ["backward.cell_backward", "cell_backward"],
    "check_numerical_gradient": ["gradcheck.numerical_gradient"],
    "check_sequence_backward": ["bptt.sequence_backward", "sequence_backward"],
    "check_input_gradient_norms": ["bptt.input_gradient_norms"],
    "check_cell_state_jacobian": ["cell_state.cell_state_jacobian"],
    "check_fixed_cell_backward": ["backward.cell_backward", "cell_backward"],
    "check_fixed_sequence_backward": ["bptt.sequence_backward", "sequence_backward"],
    "check_clip_by_global_norm": ["clipping.clip_by_global_norm"],  # chapter 11
    "check_weight_gradient": ["fast.weight_gradient"],  # chapter 14
    "check_to_keras": ["frameworks.to_keras"],  # chapter 15
    "check_project_inputs": ["fast.project_inputs"],
    "check_most_correlated": ["probes.most_correlated"],  # chapter 12
    "check_saliency": ["probes.saliency"],
}


def patch(monkeypatch, dotted, value):
    """Set ``lstm_lesson.<dotted>`` to ``value`` for this test."""
    *parents, name = dotted.split(".")
    owner = importlib.import_module(".".join(["lstm_lesson", *parents]))
    monkeypatch.setattr(owner, name, value)


@pytest.mark.parametrize("checker", PUBLIC)
def test_patching_the_public_reference_with_the_wrong_answer_fools_no_checker(checker, monkeypatch):
    mistake = CATALOGUES[checker][0]
    for dotted in PUBLIC[checker]:
        patch(monkeypatch, dotted, mistake.fn)
    result = run(checker, mistake.fn)
    assert not result and result.mistake == mistake.name, result.message
    assert run(checker, RIGHT[checker]), checker


def bad_sigmoid(x):
    return 1 / (1 + np.exp(np.clip(x, -500, 500)))  # sigma(-x)


def via_package(dotted, adapt=lambda value, *args: value):
    """A reader's answer that calls ``lstm_lesson.<dotted>`` at call time."""
    *parents, name = dotted.split(".")

    def answer(*args):
        module = importlib.import_module(".".join(["lstm_lesson", *parents]))
        return adapt(getattr(module, name), *args)

    return answer


def wrong_sequence_forward(xs, W, b, h0=None, c0=None):
    return pristine.sequence.sequence_forward(xs, W, 0 * b, h0, c0)  # bias dropped


def wrong_elementwise_backward(dh_next, dc_next, cache):
    return pristine.backward.elementwise_backward(2 * dh_next, dc_next, cache)


def wrong_cell_forward(x_t, h_prev, c_prev, W, b):
    return pristine.cell.cell_forward(x_t, h_prev, c_prev, W, 0 * b)


def from_iofc(W, b):
    """W and b with ONNX's blocks i, o, f, c moved to the package's order i, f, c, o."""
    return tuple(np.vstack([np.split(a, 4)[k] for k in (0, 2, 3, 1)]) for a in (W, b))


def truncated_by_chunks(back, dhs, cache, dh_T, dc_T, k):
    """Truncated backpropagation through time: ``back`` on each chunk of k steps."""
    parts = []
    for start in range(0, len(cache), k):
        last = start + k >= len(cache)
        parts.append(back(dhs[start:start + k], cache[start:start + k],
                          dh_T if last else 0 * dh_T, dc_T if last else 0 * dc_T))
    return (np.concatenate([part[0] for part in parts]), parts[0][1], parts[0][2],
            sum(part[3] for part in parts), sum(part[4] for part in parts))


def wrong_cross_entropy(logits, labels, mask=None):
    loss, cache = pristine.losses.softmax_cross_entropy(logits, labels, mask)
    return 2 * loss, {**cache, "count": cache["count"] / 2}  # a sum, not a mean


def xent_and_gradient(xent, logits, labels):
    """Chapter 11's exercise built on the package's forward and backward."""
    from lstm_lesson.losses import softmax_cross_entropy_backward
    loss, cache = xent(logits, labels)
    return loss, softmax_cross_entropy_backward(cache)


def wrong_adam(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return pristine.optimizers.adam_step(params, grads, {**state, "t": state["t"] + 1}, lr,
                                         beta1, beta2, eps)  # the step count off by one


def adam_on_one_array(step, p, g, m, v, t, lr, beta1, beta2, eps):
    new, state = step({"p": p}, {"p": g}, {"t": t - 1, "m": {"p": m}, "v": {"p": v}}, lr,
                      beta1, beta2, eps)
    return new["p"], state["m"]["p"], state["v"]["p"]


def wrong_network_backward(dy, cache):
    return pristine.network.network_backward(2 * dy, cache)


def loop_on_the_package(backward, params, batches, lr, max_norm):
    """Chapter 11's fixed training loop, built on the package's network_backward."""
    losses = []
    for xs, target in batches:
        y, cache = pristine.network.network_forward(params, xs)
        losses.append(np.mean((y - target) ** 2))
        grads, _ = pristine.clipping.clip_by_global_norm(
            backward(2 * (y - target) / y.size, cache), max_norm)
        params = {name: p - lr * grads[name] for name, p in params.items()}
    return params, np.array(losses)


def wrong_adding_problem(T, N, seed=0):
    batch = pristine.tasks.adding_problem(T, N, seed)
    return pristine.tasks.Batch(batch.xs, 2 * batch.target)


#: Checkers whose reference is built on a public function of another signature:
#: (what to patch, its wrong replacement, a reader's answer built on it).
def wrong_variant_step(kind, x_t, h_prev, c_prev, params):
    h_t, c_t, cache = pristine.variants.variant_step(kind, x_t, h_prev, c_prev, params)
    return -h_t, c_t, cache


def wrong_variant_backward(dh_next, dc_next, cache):
    dx, dh_prev, dc_prev, grads = pristine.variants.variant_step_backward(dh_next, dc_next,
                                                                          cache)
    return dx, dh_prev, 2 * dc_prev, grads


def wrong_clamped_forward(params, xs, unit, value):
    return checks.probes.probes.clamped_forward(params, xs, unit, value + 1.0)


def times_input_on_the_package(backward, params, xs, t, labels):
    """Chapter 12's gradient times input, built on the package's sequence_backward."""
    logits, cache = pristine.network.network_forward(params, xs, "lstm", "every")
    dy = np.zeros_like(logits)
    dy[t] = pristine.losses.softmax(logits[t])
    dy[t, labels, np.arange(xs.shape[2])] -= 1
    return (xs * backward(params["W_y"].T @ dy, cache["steps"])[0]).sum(axis=1)


BUILT_ON = {
    # Chapter 12.
    "check_clamped_forward": ("probes.clamped_forward", wrong_clamped_forward, via_package(
        "probes.clamped_forward", lambda clamp, *args: clamp(*args)[0])),
    "check_gradient_times_input": ("bptt.sequence_backward",
                                   checks.bptt.SEQUENCE_BACKWARD_MISTAKES[0].fn,
                                   via_package("bptt.sequence_backward",
                                               times_input_on_the_package)),
    # Chapter 13.
    "check_cifg_step": ("variants.variant_step", wrong_variant_step, via_package(
        "variants.variant_step", lambda step, x_t, h_prev, c_prev, W, b: step(
            "cifg", x_t, h_prev, c_prev, {"W": W, "b": b})[:2])),
    "check_cifg_backward": ("variants.variant_step_backward", wrong_variant_backward,
                            via_package("variants.variant_step_backward",
                                        lambda back, dh, dc, cache: (lambda r: (
                                            *r[:3], r[3]["W"], r[3]["b"]))(
                                            back(dh, dc, cache)))),
    "check_gru_parameter_count": ("variants.parameter_count", lambda kind, D, H: 0,
                                  via_package("variants.parameter_count",
                                              lambda count, D, H, after=False: count(
                                                  "gru_pytorch" if after else "gru", D, H))),
    "check_candidate_bias_for": ("activations.sigmoid", bad_sigmoid, via_package(
        "activations.sigmoid", lambda sigmoid, write, b_i: np.arctanh(write / sigmoid(b_i)))),
    "check_state_update": ("cell_state.cell_state", cell_state.CELL_STATE_MISTAKES[1].fn,
                           via_package("cell_state.cell_state", lambda cs, f, i, g, o, c_prev: (
                               o * np.tanh(cs(f, i, g, c_prev)), cs(f, i, g, c_prev)))),
    "check_cell_forward": ("cell.cell_forward", wrong_cell_forward, via_package(
        "cell.cell_forward", lambda forward, *args: forward(*args)[:2])),
    "check_unroll": ("sequence.sequence_forward", wrong_sequence_forward, via_package(
        "sequence.sequence_forward", lambda forward, *args: (
            forward(*args)[0], np.stack([step["c_t"] for step in forward(*args)[2]])))),
    "check_final_state": ("sequence.sequence_forward", wrong_sequence_forward, via_package(
        "sequence.sequence_forward", lambda forward, *args: forward(*args)[1])),
    "check_carried_fraction": ("sequence.sequence_forward", wrong_sequence_forward, via_package(
        "sequence.sequence_forward",
        lambda forward, *args: np.prod([step["f"] for step in forward(*args)[2]], axis=0))),
    "check_cell_forward_iofc": ("cell.cell_forward", wrong_cell_forward, via_package(
        "cell.cell_forward", lambda forward, x_t, h_prev, c_prev, W, b: forward(
            x_t, h_prev, c_prev, *from_iofc(W, b))[:2])),
    "check_in_chunks": ("sequence.sequence_forward", wrong_sequence_forward, via_package(
        "sequence.sequence_forward", lambda forward, xs, W, b, chunk: forward(xs, W, b)[0])),
    "check_output_gate_backward": ("backward.elementwise_backward", wrong_elementwise_backward,
                                   via_package("backward.elementwise_backward", lambda back, dh, cache: (
                                       back(dh, np.zeros_like(dh), cache)[0][3 * dh.shape[0]:]))),
    "check_cell_state_backward": ("backward.elementwise_backward", wrong_elementwise_backward,
                                  via_package("backward.elementwise_backward",
                                              lambda back, *args: back(*args)[1])),
    "check_coupled_cell_state": ("cell_state.cell_state", cell_state.CELL_STATE_MISTAKES[1].fn,
                                 via_package("cell_state.cell_state", lambda update, f, g, c: (
                                     update(f, 1 - f, g, c)))),
    "check_write": ("gates.candidate", gates.GATE_MISTAKES["c"][1].fn, via_package(
        "gates.candidate", lambda candidate, x_t, h_prev, W_i, b_i, W_c, b_c: (
            pristine.gates.input_gate(x_t, h_prev, W_i, b_i)
            * candidate(x_t, h_prev, W_c, b_c)))),
    "check_backward_without_output_gate": (
        "backward.cell_backward", backward._buggy_backward(h_path=False), via_package(
            "backward.cell_backward",
            lambda back, *args: backward._open_output_gate(back)(*args))),
    "check_truncated_backward": ("bptt.sequence_backward",
                                 checks.bptt.SEQUENCE_BACKWARD_MISTAKES[0].fn,
                                 via_package("bptt.sequence_backward", lambda back, *args: (
                                     truncated_by_chunks(back, *args)))),
    # Chapter 11.
    "check_softmax_cross_entropy": ("losses.softmax_cross_entropy", wrong_cross_entropy,
                                    via_package("losses.softmax_cross_entropy",
                                                xent_and_gradient)),
    "check_adam_step": ("optimizers.adam_step", wrong_adam, via_package(
        "optimizers.adam_step", adam_on_one_array)),
    "check_train_loop": ("network.network_backward", wrong_network_backward, via_package(
        "network.network_backward", loop_on_the_package)),
    "check_adding_problem": ("tasks.adding_problem", wrong_adding_problem, via_package(
        "tasks.adding_problem", lambda adding, T, N, seed: (
            adding(T, N, seed).xs, adding(T, N, seed).target))),
}


@pytest.mark.parametrize("checker", BUILT_ON)
def test_patching_what_a_reference_is_built_on_fools_no_checker(checker, monkeypatch):
    dotted, wrong, answer = BUILT_ON[checker]
    assert run(checker, answer), checker  # the answer is right while the package is intact
    patch(monkeypatch, dotted, wrong)
    assert not run(checker, answer), checker
    assert run(checker, RIGHT[checker]), checker


@pytest.mark.parametrize("inside, wrong, checker, public", [
    ("gates.sigmoid", bad_sigmoid, "check_forget_gate", "gates.forget_gate"),
    ("activations.sigmoid", bad_sigmoid, "check_sigmoid_derivative", "activations.sigmoid_derivative"),
    ("reference.sigmoid", bad_sigmoid, "check_lstm_step", "reference.step"),
    ("cell.sigmoid", bad_sigmoid, "check_cell_forward", "cell.cell_forward"),
    ("bptt._cell_backward", backward._buggy_backward(h_path=False), "check_sequence_backward",
     "bptt.sequence_backward"),
])
def test_patching_a_references_internals_fools_no_checker(inside, wrong, checker, public, monkeypatch):
    answer = via_package(public, lambda fn, *args: fn(*args)[:2] if checker == "check_cell_forward"
                         else fn(*args))
    assert run(checker, answer)
    patch(monkeypatch, inside, wrong)
    assert not run(checker, answer), checker  # the package's function is wrong now
    assert run(checker, RIGHT[checker]), checker


def sabotaged(*args, **kwargs):
    raise RuntimeError("the public package was called")


def sabotage_everything(monkeypatch):
    """Replace every function and class in the package's modules by ``sabotaged``."""
    for name in ["activations", "backward", "bptt", "cell", "cell_state", "fused", "gates",
                 "gradcheck", "hidden_state", "reference", "rnn", "sequence", "shapes"]:
        module = importlib.import_module(f"lstm_lesson.{name}")
        for attribute, value in list(vars(module).items()):
            if callable(value) and not attribute.startswith("__"):
                monkeypatch.setattr(module, attribute, sabotaged)
    for attribute in lstm_lesson.__all__:
        monkeypatch.setattr(lstm_lesson, attribute, sabotaged)


@pytest.mark.parametrize("checker", RIGHT)
def test_no_checker_reads_the_public_package_at_call_time(checker, monkeypatch):
    sabotage_everything(monkeypatch)
    result = run(checker, RIGHT[checker])
    assert result, result.message
    mistake = CATALOGUES[checker][-1]  # the catalogue does not depend on it either
    result = run(checker, mistake.fn)
    assert not result and result.mistake == mistake.name, result.message


def test_the_private_copy_is_separate_and_complete():
    from lstm_lesson import gates as public_gates
    assert pristine.gates.forget_gate is not public_gates.forget_gate
    assert pristine.gates.sigmoid.__module__ == f"{pristine.NAME}.activations"
    assert "checks" not in vars(pristine.reference)  # the copy holds the package, not the checkers
