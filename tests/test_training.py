"""lstm_lesson.training: the loop learns something small fast, reproducibly, and says so."""

import numpy as np
import pytest

from lstm_lesson.network import init_network
from lstm_lesson.tasks import ADDING_BASELINE, adding_task, anbn_task
from lstm_lesson.training import evaluate, train


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_the_adding_problem_over_a_few_steps_is_learned_fast(kind):
    task = adding_task(5)
    params = init_network(kind, 2, 8, 1, seed=0)
    before = evaluate(params, task, kind)
    params, history = train(params, task, 300, kind=kind, batch_size=32, seed=0, show=False)
    after = evaluate(params, task, kind)
    assert before > 0.5 * ADDING_BASELINE  # untrained: no better than the mean
    assert after < {"lstm": 0.05, "rnn": 0.2}[kind] * ADDING_BASELINE, after
    assert history.loss.shape == (300,) and history.norm.shape == (300,)
    assert history.loss[-50:].mean() < history.loss[:50].mean() / 3


def test_a_classification_task_is_learned_too():
    task = anbn_task(1, 3)
    params = init_network("lstm", 3, 8, 3, seed=0)
    params, history = train(params, task, 150, batch_size=16, show=False)
    # Only the step after each a is uncertain (a or b): well below ln 3 per symbol.
    assert history.loss[-20:].mean() < 0.6 * np.log(3)


def test_the_same_seeds_give_the_same_run_and_the_arguments_are_left_alone():
    task = adding_task(4)
    params = init_network("lstm", 2, 4, 1, seed=3)
    copy = {k: v.copy() for k, v in params.items()}
    first = train(params, task, 20, batch_size=8, seed=5, show=False)
    second = train(params, task, 20, batch_size=8, seed=5, show=False)
    np.testing.assert_array_equal(first[1].loss, second[1].loss)
    for name in params:
        np.testing.assert_array_equal(params[name], copy[name])
        np.testing.assert_array_equal(first[0][name], second[0][name])


def test_clipping_caps_every_step_and_none_turns_it_off():
    task = adding_task(4)
    params = init_network("lstm", 2, 4, 1, seed=0)
    _, clipped = train(params, task, 5, optimizer="sgd", lr=0.1, max_norm=1e-3, batch_size=8,
                       show=False)
    _, free = train(params, task, 5, optimizer="sgd", lr=0.1, max_norm=None, batch_size=8,
                    show=False)
    assert clipped.norm[0] == free.norm[0] > 1e-3  # the norm is logged before clipping
    assert not np.array_equal(clipped.loss[1:], free.loss[1:])


def test_momentum_takes_its_options():
    task = adding_task(4)
    params = init_network("rnn", 2, 4, 1, seed=0)
    _, history = train(params, task, 3, kind="rnn", optimizer="momentum", lr=0.01,
                       momentum=0.5, batch_size=4, show=False)
    assert np.all(np.isfinite(history.loss))


def test_the_status_starts_and_ends_with_the_same_line():
    lines = []
    train(init_network("lstm", 2, 3, 1), adding_task(3), 4, batch_size=2, show=lines.append)
    assert lines[0] == "training 4 steps"
    assert lines[1].startswith("training 4 steps: step 1, loss ")


def test_in_a_notebook_the_stored_output_is_the_constant_line():
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from lstm_lesson.network import init_network\n"
        "from lstm_lesson.status import Status\n"
        "with Status('training 3 steps', every=0) as status:\n"
        "    for k in range(3):\n"
        "        status.update(f'step {k + 1}, loss {k / 7}')\n")]
    nbclient.NotebookClient(nb, timeout=60).execute()
    outputs = nb.cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["display_data"]
    assert outputs[0]["data"] == {"text/plain": "training 3 steps"}


def test_bad_input_is_named():
    params = init_network("lstm", 2, 3, 1)
    with pytest.raises(ValueError, match="steps: expected a positive int, received 0"):
        train(params, adding_task(3), 0, show=False)
    with pytest.raises(ValueError, match="max_norm: expected a positive number"):
        train(params, adding_task(3), 1, max_norm=-1, show=False)
