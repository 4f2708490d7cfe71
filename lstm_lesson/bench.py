"""``python -m lstm_lesson bench``: the fast path, the teaching path and the frameworks, timed.

For each shape (N, D, H, T) and dtype, one sequence forward and backward
(upstream gradient of ones on every h_t) by

* ``fast``: :mod:`lstm_lesson.fast`;
* ``teaching``: :func:`lstm_lesson.sequence.sequence_forward` and
  :func:`lstm_lesson.bptt.sequence_backward`, one line per equation;
* ``torch``: ``torch.nn.LSTM`` with autograd, when PyTorch is installed;
* ``onnxruntime (fwd)``: ONNX Runtime's ``LSTM`` operator, forward only, float32
  only (its kernel has no float64), on the model :func:`lstm_lesson.frameworks.export_onnx`
  writes.

The repetitions are interleaved (each repetition runs every contestant once,
in a rotating order), so that a change in the machine's load hits all of them
alike; the table gives the minimum and the median. Ratios are to PyTorch's time
for the same statistic (lower is better). The GEMM peak is the best rate of one
large matrix product in the same dtype and thread count, measured before and
after the timings (the better of the two, since a machine that was busy for one
of them understates it), the physical limit of this machine for this work; the
LSTM's rate counts only its matrix products (24 H (H + D) N T floating-point
operations forward and backward). The load
average before and after, the BLAS library and the thread counts are printed
with the table: timings on a shared machine are only as good as its quiet.

Shapes: (N, D, H, T). Legend: N batch, T steps, D input size, H hidden size.
"""

import gc
import os
import statistics
import sys
import time
import tracemalloc

import numpy as np

__all__ = ["SHAPES", "parse_shape", "run", "format_report", "lstm_flops", "gemm_peak",
           "peak_memory"]

#: The shapes of issue 13, (N, D, H, T).
SHAPES = {"tiny": (1, 10, 20, 100), "mid": (32, 64, 128, 100), "large": (64, 256, 512, 50)}
DTYPES = ("float64", "float32")


def parse_shape(text):
    """``"mid"`` or ``"N,D,H,T"`` (``"2,3,4,5"``) -> (name, (N, D, H, T))."""
    if text in SHAPES:
        return text, SHAPES[text]
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if len(sizes) != 4 or min(sizes) < 1:
        raise ValueError(f"shape: expected one of {', '.join(SHAPES)} or N,D,H,T "
                         f"(four positive integers), received {text!r}")
    return text, sizes


def lstm_flops(N, D, H, T):
    """Floating-point operations of the matrix products, forward and backward.

    Forward: ``a_t = W z_t``, 2 x 4H x (H + D) x N per step. Backward: ``dW``
    and ``dz`` are two more products of the same size.
    """
    return 3 * 2 * 4 * H * (H + D) * N * T


def _problem(shape, dtype, seed=0):
    from .fused import init_fused

    N, D, H, T = shape
    rng = np.random.default_rng(seed)
    W, b = init_fused(D, H, seed=seed, dtype=dtype)
    xs = rng.standard_normal((T, D, N)).astype(dtype)
    dhs = np.ones((T, H, N), dtype)
    return xs, W, b, dhs


def _numpy_path(forward, backward, xs, W, b, dhs):
    def step():
        _, _, cache = forward(xs, W, b)
        return backward(dhs, cache)
    return step


def _torch_path(xs, W, b, dtype, threads):
    import torch

    from .frameworks import sequence_to_rows, to_torch

    torch.set_num_threads(threads)
    T, D, N = xs.shape
    H = W.shape[0] // 4
    lstm = torch.nn.LSTM(D, H).to(getattr(torch, dtype))
    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in to_torch(W, b).items()})
    x = torch.from_numpy(sequence_to_rows(xs)).requires_grad_()
    upstream = torch.ones((T, N, H), dtype=getattr(torch, dtype))

    def step():
        x.grad = None
        for p in lstm.parameters():
            p.grad = None
        y, _ = lstm(x)
        y.backward(upstream)
    return step


def _onnx_path(xs, W, b, threads):
    from .frameworks import export_onnx, onnx_session, sequence_to_rows

    session = onnx_session(export_onnx(W, b), threads=threads)
    H, N = W.shape[0] // 4, xs.shape[2]
    feed = {"xs": sequence_to_rows(xs).astype(np.float32),
            "h0": np.zeros((1, N, H), np.float32), "c0": np.zeros((1, N, H), np.float32)}

    def step():
        session.run(["ys"], feed)
    return step


def available(module):
    """True when ``module`` can be imported (PyTorch, ONNX Runtime are optional here)."""
    import importlib.util

    return importlib.util.find_spec(module) is not None


def contestants(shape, dtype, threads, frameworks=True):
    """name -> a function of no arguments that runs one forward and backward."""
    from . import bptt, fast, sequence

    xs, W, b, dhs = _problem(shape, dtype)
    paths = {"fast": _numpy_path(fast.sequence_forward, fast.sequence_backward, xs, W, b, dhs),
             "teaching": _numpy_path(sequence.sequence_forward, bptt.sequence_backward,
                                     xs, W, b, dhs)}
    if frameworks and available("torch"):
        paths["torch"] = _torch_path(xs, W, b, dtype, threads)
    if frameworks and dtype == "float32" and available("onnxruntime") and available("onnx"):
        paths["onnxruntime (fwd)"] = _onnx_path(xs, W, b, threads)
    return paths


#: The size of the matrix product that measures the GEMM peak: at 1024 the rate
#: was 10% below 2048's on the course's 2-core machine, and below the LSTM's own.
PEAK_SIZE = 2048


def gemm_peak(dtype, repeats=5, size=PEAK_SIZE):
    """The best rate (GFLOP/s) of one ``size`` x ``size`` matrix product, and its size."""
    rng = np.random.default_rng(0)
    A, B = (rng.standard_normal((size, size)).astype(dtype) for _ in range(2))
    out = np.empty((size, size), dtype)
    np.matmul(A, B, out=out)  # warm up
    best = min(_timed(lambda: np.matmul(A, B, out=out)) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_memory(shape, dtype):
    """Peak bytes allocated during one forward and backward (tracemalloc), per NumPy path.

    Also the bytes of what each forward pass keeps for its backward pass.
    """
    from . import bptt, fast, sequence

    xs, W, b, dhs = _problem(shape, dtype)
    found = {}
    for name, forward, backward in (("fast", fast.sequence_forward, fast.sequence_backward),
                                    ("teaching", sequence.sequence_forward,
                                     bptt.sequence_backward)):
        gc.collect()
        tracemalloc.start()
        try:
            _, _, cache = forward(xs, W, b)
            kept = tracemalloc.get_traced_memory()[0]
            backward(dhs, cache)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        del cache
        found[name] = {"peak": peak, "cache": kept}
    return found


def _progress(stream, text):
    if stream is not None:
        stream.write("\r" + text[:79].ljust(79))
        stream.flush()


def run(shapes=tuple(SHAPES), dtypes=DTYPES, repeats=9, threads=2, frameworks=True,
        memory=True, progress=sys.stderr):
    """Time every path on every shape and dtype; return the report as a dict.

    ``shapes`` are names of :data:`SHAPES` or ``"N,D,H,T"`` strings. The
    progress line goes to ``progress`` (None: silent).
    """
    from threadpoolctl import threadpool_info, threadpool_limits

    shapes = [parse_shape(s) for s in shapes]
    report = {"load_before": os.getloadavg(), "threads": threads, "repeats": repeats,
              "rows": [], "peaks": {}, "memory": {}, "cpus": os.cpu_count()}
    with threadpool_limits(limits=threads, user_api="blas"):
        report["blas"] = [f"{i.get('internal_api')} {i.get('version')} "
                          f"({i.get('architecture', '?')}), {i.get('num_threads')} threads"
                          for i in threadpool_info() if i.get("user_api") == "blas"]
        for dtype in dtypes:
            _progress(progress, f"GEMM peak, {dtype}")
            report["peaks"][dtype] = gemm_peak(dtype)
        total, done = len(shapes) * len(dtypes), 0
        for name, shape in shapes:
            for dtype in dtypes:
                done += 1
                paths = contestants(shape, dtype, threads, frameworks)
                times = {path: [] for path in paths}
                for path, step in paths.items():  # warm up: first calls allocate, compile
                    _progress(progress, f"[{done}/{total}] {name} {dtype}: warming up {path}")
                    step()
                order = list(paths)
                for rep in range(repeats):
                    _progress(progress, f"[{done}/{total}] {name} {dtype}: "
                                        f"repetition {rep + 1}/{repeats}")
                    for path in order:
                        times[path].append(_timed(paths[path]))
                    order = order[1:] + order[:1]  # rotate: nobody always goes first
                for path, seconds in times.items():
                    report["rows"].append({"shape": name, "sizes": shape, "dtype": dtype,
                                           "path": path, "min": min(seconds),
                                           "median": statistics.median(seconds)})
            if memory:
                _progress(progress, f"{name}: peak memory (tracemalloc)")
                report["memory"][name] = peak_memory(shape, "float64")
        for dtype in dtypes:
            _progress(progress, f"GEMM peak, {dtype}, again")
            report["peaks"][dtype] = max(report["peaks"][dtype], gemm_peak(dtype))
        if frameworks and available("torch"):
            import torch
            report["torch"] = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
        if frameworks and available("onnxruntime"):
            import onnxruntime
            report["onnxruntime"] = f"onnxruntime {onnxruntime.__version__}, {threads} threads"
    report["load_after"] = os.getloadavg()
    if progress is not None:
        progress.write("\r" + " " * 79 + "\r")
        progress.flush()
    return report


def format_report(report):
    """The report as text: the machine, then the table, then the memory."""
    load = lambda avg: ", ".join(f"{x:.2f}" for x in avg)  # noqa: E731
    lines = [f"load average before {load(report['load_before'])}, after "
             f"{load(report['load_after'])} ({report['cpus']} CPUs; above 0.5 the "
             "timings are noisy)",
             f"BLAS: {'; '.join(report['blas']) or 'not found'}"]
    for name in ("torch", "onnxruntime"):
        lines.append(f"{name}: {report.get(name, 'not installed (skipped)')}")
    lines.append(f"repetitions: {report['repeats']}, interleaved; "
                 f"threads: {report['threads']} for every path")
    for dtype, peak in report["peaks"].items():
        lines.append(f"GEMM peak, {dtype}: {peak:.0f} GFLOP/s ({PEAK_SIZE} x {PEAK_SIZE} x "
                     f"{PEAK_SIZE}, the better of before and after)")
    lines += ["", "| shape (N, D, H, T) | dtype | path | min ms | median ms "
              "| / torch (min, median) | GFLOP/s | % of peak |",
              "|---|---|---|---|---|---|---|---|"]
    torch_times = {(r["shape"], r["dtype"]): r for r in report["rows"] if r["path"] == "torch"}
    for row in report["rows"]:
        ref = torch_times.get((row["shape"], row["dtype"]))
        ratio = (f"{row['min'] / ref['min']:.2f}, {row['median'] / ref['median']:.2f}"
                 if ref and row["path"] != "torch" else "")
        if row["path"].endswith("(fwd)"):
            rate = percent = ""
        else:
            gflops = lstm_flops(*row["sizes"]) / row["min"] / 1e9
            rate, percent = f"{gflops:.1f}", f"{100 * gflops / report['peaks'][row['dtype']]:.0f}"
        sizes = ", ".join(map(str, row["sizes"]))
        label = f"{row['shape']} ({sizes})" if row["shape"] in SHAPES else f"({sizes})"
        lines.append(f"| {label} | {row['dtype']} | {row['path']} "
                     f"| {1e3 * row['min']:.2f} | {1e3 * row['median']:.2f} | {ratio} "
                     f"| {rate} | {percent} |")
    if report["memory"]:
        lines += ["", "Peak memory of one forward and backward, float64 (tracemalloc):", "",
                  "| shape | path | peak MB | kept for backward MB |", "|---|---|---|---|"]
        for name, paths in report["memory"].items():
            for path, sizes in paths.items():
                lines.append(f"| {name} | {path} | {sizes['peak'] / 1e6:.2f} "
                             f"| {sizes['cache'] / 1e6:.2f} |")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), metavar="SHAPE",
                        help=f"{', '.join(SHAPES)} or N,D,H,T (default: all three)")
    parser.add_argument("--dtypes", nargs="+", default=list(DTYPES), choices=DTYPES)
    parser.add_argument("--repeats", type=int, default=9,
                        help="interleaved repetitions per shape and dtype (default 9)")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for NumPy's BLAS, PyTorch and ONNX Runtime (default 2)")
    parser.add_argument("--no-frameworks", action="store_true",
                        help="time only the NumPy paths")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory table")


def main(args):
    """Run the benchmark from parsed arguments; print the report; return 0."""
    from .chapters import UsageError

    try:
        shapes = [parse_shape(s)[0] for s in args.shapes]
    except ValueError as err:
        raise UsageError(str(err)) from None
    if args.repeats < 1 or args.threads < 1:
        raise UsageError("--repeats and --threads: expected positive integers")
    report = run(shapes, args.dtypes, args.repeats, args.threads,
                 frameworks=not args.no_frameworks, memory=not args.no_memory)
    print(format_report(report))
    return 0
