"""``python -m lstm_lesson bench``: it runs and prints its table (on a tiny
configuration; the timings themselves are not tested, they depend on the machine)."""

import io

import pytest

from lstm_lesson import bench
from lstm_lesson.__main__ import main


def test_the_benchmark_runs_on_a_tiny_configuration_and_reports_everything():
    progress = io.StringIO()
    report = bench.run(["2,3,4,5"], ["float64", "float32"], repeats=2, threads=1,
                       progress=progress)
    paths = {(row["dtype"], row["path"]) for row in report["rows"]}
    assert {("float64", "fast"), ("float64", "teaching"), ("float32", "fast"),
            ("float32", "teaching"), ("float32", "onnxruntime (fwd)")} <= paths
    assert (("float32", "torch") in paths) == bench.available("torch")
    assert ("float64", "onnxruntime (fwd)") not in paths  # ONNX Runtime's LSTM: float32 only
    assert all(0 < row["min"] <= row["median"] for row in report["rows"])
    assert "repetition 2/2" in progress.getvalue()
    text = bench.format_report(report)
    for expected in ("load average before", "BLAS: openblas", "GEMM peak, float32",
                     "| (2, 3, 4, 5) | float32 | fast |", "onnxruntime: onnxruntime",
                     "Peak memory of one forward and backward", "| 2,3,4,5 | teaching |"):
        assert expected in text, expected
    if not bench.available("torch"):
        assert "torch: not installed (skipped)" in text


def test_the_command_line(capsys):
    assert main(["bench", "--shapes", "1,2,3,4", "--dtypes", "float32", "--repeats", "1",
                 "--threads", "1", "--no-frameworks", "--no-memory"]) == 0
    out = capsys.readouterr().out
    assert "| (1, 2, 3, 4) | float32 | fast |" in out and "| torch |" not in out
    assert main(["bench", "--shapes", "huge"]) == 2
    assert "expected one of tiny, mid, large or N,D,H,T" in capsys.readouterr().err


def test_shapes_and_flops():
    assert bench.parse_shape("large") == ("large", (64, 256, 512, 50))
    assert bench.parse_shape("1,2,3,4") == ("1,2,3,4", (1, 2, 3, 4))
    with pytest.raises(ValueError):
        bench.parse_shape("1,2,0,4")
    # forward W z: 2 * 4H * (H + D) per example and step; backward twice that
    assert bench.lstm_flops(1, 1, 1, 1) == 3 * 2 * 4 * 2
