"""Every public function keeps its inputs' dtype: float32 in, float32 out.

A float32 run that silently turns into float64 (a default ``np.zeros``, an
``np.eye``) is three times slower and hides the precision the reader chose.
The table below calls every public function of the numerical modules; a test
also checks that the table misses none, so a new public function must be
added here.
"""

import importlib

import numpy as np
import pytest

from lstm_lesson import activations, backward, bptt, cell, cell_state, fused, gates
from lstm_lesson import gradcheck, hidden_state, reference, rnn, sequence

MODULES = ["activations", "backward", "bptt", "cell", "cell_state", "fused", "gates",
           "gradcheck", "hidden_state", "reference", "rnn", "sequence"]

#: Public names that are not functions of arrays (constants, classes, sizes).
NOT_ARRAY_FUNCTIONS = {"GATE_ORDER", "GATES", "gate_slice", "parameter_count", "check_cache",
                       "relative_error", "LSTMCell"}

D, H, N, T = 3, 2, 4, 5


def inputs(dtype, seed=0):
    """Fixed-seed arrays of one cell, all of ``dtype``."""
    rng = np.random.default_rng(seed)
    W, b = fused.init_fused(D, H, seed=seed, dtype=dtype)
    cast = lambda a: a.astype(dtype)  # noqa: E731
    x = dict(
        x_t=cast(rng.standard_normal((D, N))), h_prev=cast(rng.uniform(-1, 1, (H, N))),
        c_prev=cast(rng.standard_normal((H, N))), xs=cast(rng.standard_normal((T, D, N))),
        gate=cast(rng.uniform(0.1, 0.9, (H, N))), W=W, b=b,
        W_g=cast(rng.uniform(-0.5, 0.5, (H, H + D))), b_g=cast(rng.uniform(-0.5, 0.5, (H, 1))),
        dh=cast(rng.standard_normal((H, N))), dhs=cast(rng.standard_normal((T, H, N))),
        W_rnn=cast(rng.uniform(-0.5, 0.5, (H, H + D))), b_rnn=cast(rng.uniform(-0.5, 0.5, (H, 1))),
    )
    x["params"] = fused.unfuse(W, b)
    return x


def calls(a):
    """(name, thunk) for every public array function, on the arrays ``a``."""
    _, _, step_cache = cell.cell_forward(a["x_t"], a["h_prev"], a["c_prev"], a["W"], a["b"])
    _, _, seq_cache = sequence.sequence_forward(a["xs"], a["W"], a["b"])
    da = backward.elementwise_backward(a["dh"], a["dh"], step_cache)[0]
    hs_rnn = rnn.rnn_forward(a["xs"], a["h_prev"], a["W_rnn"], a["b_rnn"])
    gate_args = (a["x_t"], a["h_prev"], a["W_g"], a["b_g"])
    return {
        "sigmoid": lambda: activations.sigmoid(a["x_t"]),
        "naive_sigmoid": lambda: activations.naive_sigmoid(a["x_t"]),
        "tanh": lambda: activations.tanh(a["x_t"]),
        "sigmoid_derivative": lambda: activations.sigmoid_derivative(a["x_t"]),
        "tanh_derivative": lambda: activations.tanh_derivative(a["x_t"]),
        "logit": lambda: activations.logit(a["gate"]),
        "cell_backward": lambda: backward.cell_backward(a["dh"], a["dh"], step_cache),
        "elementwise_backward": lambda: backward.elementwise_backward(a["dh"], a["dh"], step_cache),
        "linear_backward": lambda: backward.linear_backward(da, step_cache),
        "sequence_backward": lambda: bptt.sequence_backward(a["dhs"], seq_cache),
        "input_gradient_norms": lambda: bptt.input_gradient_norms(a["xs"], a["W"], a["b"]),
        "cell_forward": lambda: cell.cell_forward(a["x_t"], a["h_prev"], a["c_prev"], a["W"], a["b"]),
        "cell_state": lambda: cell_state.cell_state(a["gate"], a["gate"], a["h_prev"], a["c_prev"]),
        "cell_state_jacobian": lambda: cell_state.cell_state_jacobian(a["gate"]),
        "retention": lambda: cell_state.retention(a["b_g"], 10),
        "forget_bias_for": lambda: cell_state.forget_bias_for(a["gate"], 10),
        "fuse": lambda: fused.fuse(a["params"]),
        "unfuse": lambda: fused.unfuse(a["W"], a["b"]),
        "init_fused": lambda: fused.init_fused(D, H, dtype=a["W"].dtype),
        "concat": lambda: gates.concat(a["h_prev"], a["x_t"]),
        "forget_gate": lambda: gates.forget_gate(*gate_args),
        "input_gate": lambda: gates.input_gate(*gate_args),
        "candidate": lambda: gates.candidate(*gate_args),
        "output_gate": lambda: gates.output_gate(*gate_args),
        "numerical_gradient": lambda: gradcheck.numerical_gradient(np.sum, a["gate"]),
        "gradient_check": lambda: gradcheck.gradient_check(
            lambda x: float(np.sum(x**2)), {"x": a["gate"]}, {"x": 2 * a["gate"]}),
        "hidden_state": lambda: hidden_state.hidden_state(a["gate"], a["c_prev"]),
        "step": lambda: reference.step(a["x_t"], a["h_prev"], a["c_prev"], a["params"]),
        "rnn_step": lambda: rnn.rnn_step(a["x_t"], a["h_prev"], a["W_rnn"], a["b_rnn"]),
        "rnn_forward": lambda: rnn.rnn_forward(a["xs"], a["h_prev"], a["W_rnn"], a["b_rnn"]),
        "rnn_backward": lambda: rnn.rnn_backward(a["dhs"], a["xs"], a["h_prev"], hs_rnn, a["W_rnn"]),
        "rnn_jacobian": lambda: rnn.rnn_jacobian(hs_rnn[-1][:, :1], a["W_rnn"][:, :H]),
        "gradient_norms": lambda: rnn.gradient_norms(hs_rnn[:, :, :1], a["W_rnn"][:, :H]),
        "sequence_forward": lambda: sequence.sequence_forward(a["xs"], a["W"], a["b"]),
    }


def arrays(value):
    """Every float array in a (nested) result, with its path."""
    if isinstance(value, np.ndarray):
        yield "", value
    elif isinstance(value, dict):
        for key, item in value.items():
            for path, array in arrays(item):
                yield f"[{key!r}]{path}", array
    elif isinstance(value, (tuple, list)):
        for k, item in enumerate(value):
            for path, array in arrays(item):
                yield f"[{k}]{path}", array


def test_the_table_covers_every_public_array_function():
    public = {name for module in MODULES
              for name in importlib.import_module(f"lstm_lesson.{module}").__all__}
    assert public - NOT_ARRAY_FUNCTIONS == set(calls(inputs(np.float64)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", sorted(calls(inputs(np.float64))))
def test_dtype_is_kept(name, dtype):
    result = calls(inputs(dtype))[name]()
    found = [(path, array.dtype) for path, array in arrays(result) if array.dtype.kind == "f"]
    if name == "gradient_check":  # a dict of relative errors: plain Python floats
        assert all(isinstance(e, float) for e in result.values())
        return
    assert found, f"{name} returned no float array"
    wrong = [(path, str(kind)) for path, kind in found if kind != dtype]
    assert not wrong, f"{name}: {wrong} instead of {np.dtype(dtype)}"


def test_float32_sequence_without_initial_states_stays_float32():
    # The case: no h0/c0 given, so the default zeros set the dtype.
    a = inputs(np.float32)
    hs, (h, c), cache = sequence.sequence_forward(a["xs"], a["W"], a["b"])
    assert hs.dtype == h.dtype == c.dtype == cache[0]["c_prev"].dtype == np.float32
    dxs, dh0, dc0, dW, db = bptt.sequence_backward(a["dhs"], cache)
    assert {x.dtype for x in (dxs, dh0, dc0, dW, db)} == {np.dtype(np.float32)}


def test_mixed_precision_promotes_as_numpy_does():
    a, b = inputs(np.float32), inputs(np.float64)
    hs, _, _ = sequence.sequence_forward(a["xs"], b["W"], b["b"])
    assert hs.dtype == np.float64


def test_init_fused_float32_holds_the_reference_cell_rounded():
    W64, b64 = fused.init_fused(D, H, seed=3)
    W32, b32 = fused.init_fused(D, H, seed=3, dtype=np.float32)
    assert W32.dtype == b32.dtype == np.float32
    np.testing.assert_array_equal(W32, W64.astype(np.float32))
    np.testing.assert_array_equal(b32, b64.astype(np.float32))
    with pytest.raises(TypeError, match="dtype: expected a floating-point dtype"):
        fused.init_fused(D, H, dtype=np.int64)
