"""The course's LSTM in the frameworks' layouts, and back (chapter 15).

Every framework computes the same cell, but stores its parameters its own
way: rows or columns, one bias or two, and the gates in its own order. The
course's fused form is ``W`` (4H, H + D), the columns acting on
``[h_{t-1}, x_t]`` (h first), and ``b`` (4H, 1), blocks **i, f, c~, o**.

========  ===========================================  ===================  ==========
layout    weights                                      biases               gate order
========  ===========================================  ===================  ==========
course    ``W`` (4H, H + D)                            ``b`` (4H, 1)        i, f, c~, o
PyTorch   ``weight_ih_l0`` (4H, D), ``weight_hh_l0``   ``bias_ih_l0`` +     i, f, g, o
          (4H, H)                                      ``bias_hh_l0`` (4H,)
Keras 3   ``kernel`` (D, 4H), ``recurrent_kernel``     ``bias`` (4H,)       i, f, c, o
          (H, 4H)
ONNX      ``W`` (1, 4H, D), ``R`` (1, 4H, H)           ``B`` (1, 8H): Wb    i, o, f, c
                                                       then Rb
CS231n    ``Wx`` (D, 4H), ``Wh`` (H, 4H)               ``b`` (4H,)          i, f, o, g
========  ===========================================  ===================  ==========

PyTorch and ONNX keep two biases because cuDNN's kernel adds one to each
product; only their sum matters, and ``to_torch`` / ``to_onnx`` put all of
``b`` in the first and zeros in the second. Frameworks store one example per
*row*: a sequence is (T, N, D) for PyTorch (and ONNX), (N, T, D) for Keras,
and the states are (N, H), the course's arrays transposed
(:func:`sequence_to_rows`, :func:`rows_to_sequence`).

Every converter copies; ``from_x(to_x(W, b))`` gives ``W`` and ``b`` back
exactly. Shapes: W (4H, H + D), b (4H, 1). Legend: N batch, T steps, D input
size, H hidden size.
"""

import numpy as np

from .shapes import expect

__all__ = ["GATE_ORDERS", "reorder_gates", "to_torch", "from_torch", "to_keras",
           "from_keras", "to_onnx", "from_onnx", "to_cs231n", "from_cs231n",
           "sequence_to_rows", "rows_to_sequence", "export_onnx", "run_onnx"]

#: Each layout's gate blocks, top to bottom, in the course's names (c = c~).
GATE_ORDERS = {"course": "ifco", "torch": "ifco", "keras": "ifco", "onnx": "iofc",
               "cs231n": "ifoc"}


def reorder_gates(M, source, target):
    """The gate blocks along the first axis of ``M`` moved from one order to another.

    ``M`` has 4H entries along axis 0, in blocks of H; ``source`` and
    ``target`` are orders such as ``"ifco"`` (the course's) or ``"iofc"``
    (ONNX's). Returns a new array.
    """
    M = np.asarray(M)
    if sorted(source) != sorted("ifco") or sorted(target) != sorted("ifco"):
        raise ValueError(f"orders must each name i, f, c, o once: {source!r}, {target!r}")
    if M.shape[0] % 4:
        raise ValueError(f"expected 4H rows, received {M.shape[0]}")
    H = M.shape[0] // 4
    return np.concatenate([M[source.index(g) * H:(source.index(g) + 1) * H] for g in target])


def _course(W, b):
    dims = {}
    W = expect("W", W, ("4H", "H+D"), dims)
    b = expect("b", b, ("4H", 1), dims)
    return W, b, dims["H"][0]


def _params(params, names):
    missing = [name for name in names if name not in params]
    if missing:
        raise KeyError(f"params: missing {', '.join(missing)}; expected {', '.join(names)}")
    return [np.asarray(params[name]) for name in names]


def _from_blocks(W_x, W_h, bias, order):
    """Course (W, b) from (4H, D) and (4H, H) weights and a (4H,) bias in ``order``."""
    dims = {}
    W_h = expect("W_h", reorder_gates(W_h, order, "ifco"), ("4H", "H"), dims)
    W_x = expect("W_x", reorder_gates(W_x, order, "ifco"), ("4H", "D"), dims)
    b = expect("b", reorder_gates(np.reshape(bias, (-1, 1)), order, "ifco"), ("4H", 1), dims)
    return np.hstack([W_h, W_x]), b


def to_torch(W, b):
    """Course ``(W, b)`` as ``torch.nn.LSTM``'s parameters (NumPy arrays, copies).

    Returns a dict ``weight_ih_l0`` (4H, D), ``weight_hh_l0`` (4H, H),
    ``bias_ih_l0`` (4H,) = b and ``bias_hh_l0`` (4H,) = 0, gates i, f, g, o;
    load it with ``lstm.load_state_dict({k: torch.from_numpy(v) ...})``.
    """
    W, b, H = _course(W, b)
    return {"weight_ih_l0": W[:, H:].copy(), "weight_hh_l0": W[:, :H].copy(),
            "bias_ih_l0": b[:, 0].copy(), "bias_hh_l0": np.zeros_like(b[:, 0])}


def from_torch(params):
    """Course ``(W, b)`` from ``torch.nn.LSTM``'s parameters (arrays by name).

    ``b`` is the sum of the two biases.
    """
    W_x, W_h, b_ih, b_hh = _params(
        params, ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"))
    return _from_blocks(W_x, W_h, b_ih + b_hh, GATE_ORDERS["torch"])


def to_keras(W, b):
    """Course ``(W, b)`` as a Keras 3 ``LSTM`` layer's weights (copies).

    Returns ``[kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,)]``, gates
    i, f, c, o, the list that ``layer.set_weights`` takes.
    """
    W, b, H = _course(W, b)
    return [W[:, H:].T.copy(), W[:, :H].T.copy(), b[:, 0].copy()]


def from_keras(weights):
    """Course ``(W, b)`` from ``[kernel, recurrent_kernel, bias]`` (``layer.get_weights()``)."""
    if isinstance(weights, dict):
        weights = _params(weights, ("kernel", "recurrent_kernel", "bias"))
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in weights)
    return _from_blocks(kernel.T, recurrent_kernel.T, bias, GATE_ORDERS["keras"])


def to_onnx(W, b):
    """Course ``(W, b)`` as the inputs W, R, B of ONNX's ``LSTM`` operator (copies).

    Returns a dict ``W`` (1, 4H, D), ``R`` (1, 4H, H) and ``B`` (1, 8H): the
    input weights' bias (= b) then the recurrence's (zeros); gates i, o, f, c.
    """
    W, b, H = _course(W, b)
    order = GATE_ORDERS["onnx"]
    bias = reorder_gates(b, "ifco", order)[:, 0]
    return {"W": reorder_gates(W[:, H:], "ifco", order)[None],
            "R": reorder_gates(W[:, :H], "ifco", order)[None],
            "B": np.concatenate([bias, np.zeros_like(bias)])[None]}


def from_onnx(params):
    """Course ``(W, b)`` from ONNX's ``W`` (1, 4H, D), ``R`` (1, 4H, H), ``B`` (1, 8H)."""
    W_x, R, B = _params(params, ("W", "R", "B"))
    if W_x.ndim != 3 or W_x.shape[0] != 1:
        raise ValueError(f"W: expected shape (1, 4H, D) (one direction), received {W_x.shape}")
    H = R.shape[-1]
    B = B.reshape(-1)
    return _from_blocks(W_x[0], R[0], B[:4 * H] + B[4 * H:], GATE_ORDERS["onnx"])


def to_cs231n(W, b):
    """Course ``(W, b)`` in the CS231n assignment's layout (copies).

    Returns a dict ``Wx`` (D, 4H), ``Wh`` (H, 4H) and ``b`` (4H,), gates
    i, f, o, g, for ``lstm_forward(x, h0, Wx, Wh, b)`` on (N, T, D) inputs.
    """
    W, b, H = _course(W, b)
    order = GATE_ORDERS["cs231n"]
    return {"Wx": reorder_gates(W[:, H:], "ifco", order).T.copy(),
            "Wh": reorder_gates(W[:, :H], "ifco", order).T.copy(),
            "b": reorder_gates(b, "ifco", order)[:, 0]}


def from_cs231n(params):
    """Course ``(W, b)`` from the CS231n layout's ``Wx``, ``Wh``, ``b``."""
    Wx, Wh, bias = _params(params, ("Wx", "Wh", "b"))
    return _from_blocks(Wx.T, Wh.T, bias, GATE_ORDERS["cs231n"])


def sequence_to_rows(xs, batch_first=False):
    """A course sequence (T, D, N) as a framework's rows: (T, N, D), or (N, T, D)."""
    xs = np.asarray(xs)
    rows = xs.transpose(0, 2, 1)
    return np.ascontiguousarray(rows.transpose(1, 0, 2) if batch_first else rows)


def rows_to_sequence(rows, batch_first=False):
    """A framework's (T, N, F), or (N, T, F), as the course's (T, F, N)."""
    rows = np.asarray(rows)
    if batch_first:
        rows = rows.transpose(1, 0, 2)
    return np.ascontiguousarray(rows.transpose(0, 2, 1))


# -- ONNX: a model file that ONNX Runtime runs -------------------------------------

#: ONNX Runtime's LSTM kernel computes in float32 only.
ONNX_DTYPE = np.float32
#: The opset and file format version written (read by ONNX Runtime 1.17 and later).
OPSET, IR_VERSION = 17, 9


def export_onnx(W, b, path=None, readout=None, last_only=False):
    """An ONNX model of the LSTM (and a linear readout), saved to ``path`` if given.

    Parameters
    ----------
    W : array_like, shape (4H, H + D)
    b : array_like, shape (4H, 1)
    path : str or Path, optional
        Where to write the ``.onnx`` file.
    readout : tuple (V, c), optional
        A linear readout ``y_t = V h_t + c``, V (K, H), c (K, 1), applied to
        every step's h_t (or to h_T alone with ``last_only``).
    last_only : bool
        Output only the last step: (N, K) (or (N, H) without a readout).

    The model's input ``xs`` is (T, N, D), rows as in PyTorch, with T and N
    left free; its inputs ``h0`` and ``c0`` are (1, N, H). Its output ``ys``
    is (T, N, K) (or (T, N, H)), float32. Returns the ``onnx.ModelProto``.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    W, b, H = _course(W, b)
    D = W.shape[1] - H
    weights = {name: value.astype(ONNX_DTYPE) for name, value in to_onnx(W, b).items()}
    initializers = [numpy_helper.from_array(value, name) for name, value in weights.items()]
    nodes = [
        helper.make_node("LSTM", ["xs", "W", "R", "B", "", "h0", "c0"], ["Y", "h_T", "c_T"],
                         hidden_size=H, name="lstm"),
        helper.make_node("Squeeze", ["Y", "one_axis"], ["hs"], name="drop_direction"),
    ]
    initializers.append(numpy_helper.from_array(np.array([1], np.int64), "one_axis"))
    out, K = "hs", H
    if last_only:
        nodes.append(helper.make_node("Squeeze", ["h_T", "zero_axis"], ["h_last"]))
        initializers.append(numpy_helper.from_array(np.array([0], np.int64), "zero_axis"))
        out = "h_last"
    if readout is not None:
        V, c = (np.asarray(part) for part in readout)
        dims = {"H": (H, "W")}
        V = expect("V", V, ("K", "H"), dims)
        c = expect("c", c, ("K", 1), dims)
        K = V.shape[0]
        initializers += [numpy_helper.from_array(V.T.astype(ONNX_DTYPE).copy(), "V_T"),
                         numpy_helper.from_array(c[:, 0].astype(ONNX_DTYPE), "c")]
        nodes += [helper.make_node("MatMul", [out, "V_T"], ["Vh"], name="readout"),
                  helper.make_node("Add", ["Vh", "c"], ["y"], name="readout_bias")]
        out = "y"
    nodes.append(helper.make_node("Identity", [out], ["ys"]))
    shape_out = ["N", K] if last_only else ["T", "N", K]
    graph = helper.make_graph(
        nodes, "lstm_lesson",
        [helper.make_tensor_value_info("xs", TensorProto.FLOAT, ["T", "N", D]),
         helper.make_tensor_value_info("h0", TensorProto.FLOAT, [1, "N", H]),
         helper.make_tensor_value_info("c0", TensorProto.FLOAT, [1, "N", H])],
        [helper.make_tensor_value_info("ys", TensorProto.FLOAT, shape_out)],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=IR_VERSION, producer_name="lstm_lesson")
    onnx.checker.check_model(model)
    if path is not None:
        onnx.save(model, str(path))
    return model


def onnx_session(model, threads=None):
    """An ONNX Runtime session (CPU) for a model, a path or serialized bytes."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: on a machine shared with
        # other work (and other libraries' threads) spinning steals their time.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if hasattr(model, "SerializeToString"):
        model = model.SerializeToString()
    return onnxruntime.InferenceSession(model if isinstance(model, bytes) else str(model),
                                        options, providers=["CPUExecutionProvider"])


def run_onnx(model, xs, h0=None, c0=None, session=None):
    """Run an exported model with ONNX Runtime on a course sequence.

    ``xs`` is (T, D, N) as everywhere in the course, ``h0`` and ``c0`` (H, N)
    (zeros when omitted). Returns the model's output in the course's layout:
    (T, K, N) for every step, or (K, N) with ``last_only``.
    """
    session = session or onnx_session(model)
    xs = np.asarray(xs)
    T, D, N = xs.shape
    H = session.get_inputs()[1].shape[2]
    states = [np.zeros((H, N)) if s is None else np.asarray(s) for s in (h0, c0)]
    feed = {"xs": sequence_to_rows(xs).astype(ONNX_DTYPE)}
    for name, state in zip(("h0", "c0"), states):
        feed[name] = np.ascontiguousarray(state.T[None]).astype(ONNX_DTYPE)
    ys = session.run(["ys"], feed)[0]
    return ys.T.copy() if ys.ndim == 2 else rows_to_sequence(ys)
