"""Chapter 13's ablation: the stored results file is current, complete and reproducible.

The study itself takes about 20 minutes (``python -m lstm_lesson ablation --jobs 2``).
These tests rerun a few of its runs with the stored settings and compare them with the
file as machines can agree: the same verdicts, and losses within a factor of 3 (training
differs in the last bits from one machine to another, and the differences grow).
"""

import json

import pytest

from lstm_lesson import ablation
from lstm_lesson.__main__ import main


@pytest.fixture(scope="module")
def stored():
    return ablation.load(ablation.PATH)


def test_the_file_holds_the_whole_study_with_the_current_settings(stored):
    assert stored["settings"] == json.loads(json.dumps(ablation.ABLATION))
    points = {(r["model"], r["task"], r["seed"]) for r in stored["runs"]}
    assert len(points) == len(stored["runs"]) == (
        len(ablation.MODELS) * len(ablation.TASKS) * len(ablation.ABLATION["seeds"]))
    assert len(ablation.ABLATION["seeds"]) >= 5
    for run in stored["runs"]:
        assert set(run["verdicts"]) == ({"anbn", "beyond"} if run["task"] == "anbn"
                                        else {run["task"]})
        for name, value in run["verdicts"].items():
            assert value == ablation.verdict(name, run[name])
    assert stored["seconds"] > 0 and stored["machine"]["blas_threads_in_training"] == 1


#: A reduced configuration: runs of the study spread over tasks, models and verdicts.
RERUN = [("nig", "adding", 0), ("cifg", "anbn", 0), ("lstm", "reber", 1)]


@pytest.mark.parametrize("point", RERUN, ids=lambda p: "-".join(map(str, p)))
def test_a_rerun_agrees_with_the_file(point, stored):
    record = next(r for r in stored["runs"] if (r["model"], r["task"], r["seed"]) == point)
    rerun = ablation.run_one(stored["settings"], *point)
    agrees, why = ablation.agree(rerun, record)
    assert agrees, why


def test_verdicts_summary_and_agreement():
    assert ablation.verdict("adding", 0.001) == "learned"
    assert ablation.verdict("adding", 0.05) == "partly"
    assert ablation.verdict("adding", float("nan")) == "not learned"
    assert ablation.verdict("reber", 0.69) == "not learned"
    runs = [{"model": "lstm", "task": "adding", "seed": s, "adding": v}
            for s, v in enumerate([0.001, 0.01, 0.1])]
    row = ablation.summary({"runs": runs}, "adding")["lstm"]
    assert row["median"] == 0.01 and row["low"] == 0.001 and row["high"] == 0.1
    assert abs(row["mean_log"] + 2) < 1e-12
    a = {"adding": 0.02, "verdicts": {"adding": "partly"}}
    assert ablation.agree(a, {"adding": 0.05, "verdicts": {"adding": "partly"}})[0]
    assert not ablation.agree(a, {"adding": 0.09, "verdicts": {"adding": "partly"}})[0]
    assert not ablation.agree(a, {"adding": 0.2, "verdicts": {"adding": "not learned"}})[0]
    tiny = {"adding": 1e-4, "verdicts": {"adding": "learned"}}
    assert ablation.agree(tiny, {"adding": 2e-3, "verdicts": {"adding": "learned"}})[0]


def test_the_command_runs_a_quick_study(tmp_path, capsys):
    out = tmp_path / "trial.json"
    assert main(["ablation", "--quick", "--out", str(out), "--jobs", "2"]) == 0
    printed = capsys.readouterr().out
    assert "[ 1/30]" in printed and f"wrote {out} in" in printed
    results = ablation.load(out)
    assert len(results["runs"]) == 30 and results["machine"]["jobs"] == 2
    assert main(["ablation", "--quick"]) == 2  # a trial never overwrites the book's file
    assert main(["ablation", "--jobs", "0"]) == 2
