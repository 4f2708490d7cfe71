"""lstm_lesson.inside: the committed file of chapter 12's trained networks is current, and
training them again on this machine agrees with it as far as machines can agree."""

import json

import numpy as np
import pytest

from lstm_lesson.__main__ import main
from lstm_lesson.inside import (FIRST_LOSSES, MODELS, NAMES, agree, anbn_accuracy,
                                load_models, measure, reber_remembered, train_model,
                                untrained)
from lstm_lesson.tasks import anbn, embedded_reber


@pytest.fixture(scope="module")
def stored():
    return load_models()


def test_the_file_holds_the_current_settings_and_every_model(stored):
    results, params = stored
    assert list(results["models"]) == list(NAMES) == list(params)
    for name in NAMES:
        record = results["models"][name]
        assert record["settings"] == json.loads(json.dumps(MODELS[name]))  # rerun if not
        assert len(record["first_losses"]) == FIRST_LOSSES and len(record["curve"]) == 100
        assert record["seconds"] > 0
        shapes = {key: p.shape for key, p in untrained(name).items()}
        assert {key: p.shape for key, p in params[name].items()} == shapes
        assert all(p.dtype == np.float64 for p in params[name].values())
    assert results["machine"]["blas"] and results["seconds"] > 0


def test_the_measures_in_the_file_are_those_of_its_weights(stored):
    results, params = stored
    for name in NAMES:
        again = measure(name, params[name])
        kept = results["models"][name]["measures"]
        assert again.keys() == kept.keys()
        for key in kept:
            assert again[key] == pytest.approx(kept[key], abs=2e-4), (name, key)


def test_the_trained_networks_learned_their_tasks(stored):
    results, _ = stored
    measures = {name: results["models"][name]["measures"] for name in NAMES}
    assert measures["anbn"]["accuracy"] == 1.0
    assert measures["reber"]["remembered"] == 1.0
    assert measures["chars"]["validation_bits"] < 3.0  # letter frequencies alone: 4.5 bits


def test_the_anbn_network_trained_again_matches_the_file(stored):
    # 300 steps of a 4-unit network: rounding differences stay far below float32's.
    _, params = stored
    again, history = train_model("anbn")
    for key, p in again.items():
        np.testing.assert_allclose(p, params["anbn"][key], atol=1e-5, err_msg=key)
    assert len(history.loss) == MODELS["anbn"]["steps"]


@pytest.mark.parametrize("name", ["reber", "chars"])
def test_the_first_steps_of_the_longer_trainings_match_the_file(stored, name):
    results, _ = stored
    _, history = train_model(name, steps=FIRST_LOSSES)
    same, why = agree(history.loss, results["models"][name]["first_losses"])
    assert same, why


def test_agree_tells_a_rerun_from_another_run():
    losses = [1.0, 0.9, 0.8]
    assert agree(np.array(losses) * (1 + 1e-9), losses)[0]
    same, why = agree([1.0, 0.9, 0.81], losses)
    assert not same and "differ" in why


def test_the_measures_of_predictions():
    batch = anbn(4, seed=0, n_min=2, n_max=3)
    perfect = np.zeros(batch.xs.shape)
    np.put_along_axis(perfect, batch.target[:, None, :], 1.0, axis=1)
    assert anbn_accuracy(perfect, batch) == 1.0
    wrong = perfect.copy()
    wrong[0, :, 0] = [0, 0, 1]  # the first string's step after S: predicts the end
    assert anbn_accuracy(wrong, batch) == 0.75
    wrong = perfect.copy()
    wrong[1, :, 0] = [0, 0, 1]  # a step that is not determined: not counted
    assert anbn_accuracy(wrong, batch) == 1.0
    batch = embedded_reber(8, seed=1)
    perfect = np.zeros(batch.xs.shape)
    np.put_along_axis(perfect, batch.target[:, None, :], 1.0, axis=1)
    assert reber_remembered(perfect, batch) == 1.0
    assert reber_remembered(-perfect, batch) == 0.0


def test_unknown_models_are_refused():
    with pytest.raises(ValueError, match="anbn, reber, chars"):
        untrained("adding")


def test_the_command_writes_trial_files_and_keeps_the_books(tmp_path, capsys):
    assert main(["inside", "--quick"]) == 2
    assert "--quick makes trial files" in capsys.readouterr().err
    assert main(["inside", "--quick", "--out", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    results, params = load_models(tmp_path)
    assert set(params) == set(NAMES)
    assert all(len(results["models"][name]["first_losses"]) == 5 for name in NAMES)
