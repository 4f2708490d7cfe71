"""Every catalogue is coherent: each entry (and each spelling of it) is rejected by its
checker with its own name and its first-tier hint (the fix only with ``hint=2``), and no
two entries share a name, a hint or a fix.

The reader-written wrong answers live in the test_checks_<module>.py files; this
test guards the catalogues themselves as they grow.
"""

import contextlib
import io

import pytest

from lstm_lesson import checks
from lstm_lesson.checks import (activations, backward, bptt, cell_state, fused, gates, gradcheck,
                                hidden_state, lstm_step, rnn, sequence)
from lstm_lesson.checks import losses as losses_checks  # chapter 11
from lstm_lesson.checks import optimizers as optimizer_checks
from lstm_lesson.checks import tasks as task_checks
from lstm_lesson.checks import training as training_checks
from lstm_lesson.checks import fast as fast_checks  # chapter 14
from lstm_lesson.checks import frameworks as framework_checks  # chapter 15
from lstm_lesson.checks import variants as variant_checks  # chapter 13
from lstm_lesson.checks import probes as probe_checks  # chapter 12

CATALOGUES = {
    "check_sigmoid": activations.SIGMOID_MISTAKES,
    "check_sigmoid_derivative": activations.SIGMOID_DERIVATIVE_MISTAKES,
    "check_tanh_derivative": activations.TANH_DERIVATIVE_MISTAKES,
    "check_rnn_jacobian": rnn.RNN_JACOBIAN_MISTAKES,
    "check_lstm_step": lstm_step.LSTM_STEP_MISTAKES,
    "check_fixed_step": lstm_step.FIXED_STEP_MISTAKES,
    "check_log_sigmoid": activations.LOG_SIGMOID_MISTAKES,
    "check_to_h_first": gates.TO_H_FIRST_MISTAKES,
    "check_forget_gate": gates.GATE_MISTAKES["f"],
    "check_input_gate": gates.GATE_MISTAKES["i"],
    "check_candidate": gates.GATE_MISTAKES["c"],
    "check_output_gate": gates.GATE_MISTAKES["o"],
    "check_bias_for_gate": gates.BIAS_MISTAKES,
    "check_cell_state": cell_state.CELL_STATE_MISTAKES,
    "check_forget_bias_for": cell_state.FORGET_BIAS_MISTAKES,
    "check_hidden_state": hidden_state.HIDDEN_MISTAKES,
    "check_state_update": hidden_state.UPDATE_MISTAKES,
    "check_fuse": fused.FUSE_MISTAKES,
    "check_cell_forward": fused.CELL_FORWARD_MISTAKES,
    "check_unroll": sequence.SEQUENCE_MISTAKES,
    "check_final_state": sequence.FINAL_MISTAKES,
    "check_candidate_bias_for": gates.CANDIDATE_BIAS_MISTAKES,
    "check_cell_state_for": hidden_state.CELL_STATE_FOR_MISTAKES,
    "check_parameter_count": fused.COUNT_MISTAKES,
    "check_carried_fraction": sequence.CARRIED_MISTAKES,
    "check_step_via_fuse": fused.STEP_VIA_FUSE_MISTAKES,
    "check_cell_forward_iofc": fused.IOFC_MISTAKES,
    "check_in_chunks": sequence.CHUNK_MISTAKES,
    "check_output_gate_backward": backward.OUTPUT_GATE_MISTAKES,
    "check_cell_state_backward": backward.CELL_STATE_MISTAKES,
    "check_cell_backward": backward.CELL_BACKWARD_MISTAKES,
    "check_numerical_gradient": gradcheck.MISTAKES,
    "check_sequence_backward": bptt.SEQUENCE_BACKWARD_MISTAKES,
    "check_input_gradient_norms": bptt.NORM_MISTAKES,
    "check_fixed_cell_backward": backward.FIXED_STEP_MISTAKES,
    "check_backward_without_output_gate": backward.WITHOUT_OUTPUT_GATE_MISTAKES,
    "check_fixed_sequence_backward": bptt.FIXED_LOOP_MISTAKES,
    "check_truncated_backward": bptt.TRUNCATED_MISTAKES,
    "check_write": gates.WRITE_MISTAKES,
    "check_cell_state_jacobian": cell_state.JACOBIAN_MISTAKES,
    "check_coupled_cell_state": cell_state.COUPLED_MISTAKES,
    # Chapter 12.
    "check_most_correlated": probe_checks.MOST_CORRELATED_MISTAKES,
    "check_clamped_forward": probe_checks.CLAMP_MISTAKES,
    "check_saliency": probe_checks.SALIENCY_MISTAKES,
    "check_gradient_times_input": probe_checks.TIMES_INPUT_MISTAKES,
    # Chapter 13.
    "check_cifg_step": variant_checks.CIFG_STEP_MISTAKES,
    "check_cifg_backward": variant_checks.CIFG_BACKWARD_MISTAKES,
    "check_gru_parameter_count": variant_checks.GRU_COUNT_MISTAKES,
    # Chapter 15.
    "check_to_keras": framework_checks.KERAS_MISTAKES,
    "check_to_onnx": framework_checks.ONNX_MISTAKES,
    # Chapter 14.
    "check_weight_gradient": fast_checks.WEIGHT_GRADIENT_MISTAKES,
    "check_project_inputs": fast_checks.PROJECTION_MISTAKES,
    "check_input_gradients": fast_checks.INPUT_GRADIENT_MISTAKES,
    # Chapter 11.
    "check_softmax_cross_entropy": losses_checks.SOFTMAX_XENT_MISTAKES,
    "check_adam_step": optimizer_checks.ADAM_MISTAKES,
    "check_clip_by_global_norm": optimizer_checks.CLIP_MISTAKES,
    "check_train_loop": training_checks.TRAIN_LOOP_MISTAKES,
    "check_adding_problem": task_checks.ADDING_MISTAKES,
}

#: Predict-the-output checkers (``run_prediction``): each one's catalogue of typical
#: wrong predictions and a right prediction, rounded as a reader would write it.
PREDICTIONS = {
    "check_batch_shape": (lstm_step.BATCH_SHAPE_PREDICTIONS, (2, 5)),
    "check_naive_zero": (activations.NAIVE_ZERO_PREDICTIONS, "float32"),
    "check_zero_weight_gate": (gates.ZERO_WEIGHT_PREDICTIONS, 0.88),
    "check_fresh_write": (gates.FRESH_WRITE_PREDICTIONS, -0.671),
    "check_fading_memory": (cell_state.FADING_PREDICTIONS, 1.37),
    "check_hidden_ceiling": (hidden_state.CEILING_PREDICTIONS, 0.731),
    "check_count_ratio": (fused.COUNT_RATIO_PREDICTIONS, 3.29),
    "check_settled_state": (sequence.SETTLED_PREDICTIONS, 0.38),
    "check_dc_prev_prediction": (backward.DC_PREV_PREDICTIONS, [0.5, -1.5, 2.0]),
    "check_decay_prediction": (bptt.DECAY_PREDICTIONS, [1.18, 0.243, 0.0103]),
    "check_adam_first_step": (optimizer_checks.ADAM_FIRST_STEP_PREDICTIONS, 0.0099),
    "check_saved_megabytes": (fast_checks.SAVED_PREDICTIONS, 32.8),  # chapter 14
    "check_torch_extra_count": (framework_checks.EXTRA_PREDICTIONS, 80),  # chapter 15
    "check_counting_prediction": (variant_checks.COUNTING_PREDICTIONS, "cifg"),  # chapter 13
    "check_leaky_count": (probe_checks.LEAK_PREDICTIONS, -0.025),  # chapter 12
}


@pytest.mark.parametrize("checker", CATALOGUES)
def test_each_entry_is_rejected_as_itself(checker):
    check = getattr(checks, checker)
    for mistake in CATALOGUES[checker]:
        for spelling in (mistake.fn, *mistake.variants):
            with contextlib.redirect_stdout(io.StringIO()):
                result = check(spelling)
            assert not result and result.mistake == mistake.name, (mistake.name, result.message)
            assert f"  hint: {mistake.hint}" in result.message
            assert mistake.fix not in result.message and "  more help: " in result.message
        with contextlib.redirect_stdout(io.StringIO()):
            result = check(mistake.fn, hint=2)
        assert result.mistake == mistake.name and f"  fix: {mistake.fix}" in result.message


@pytest.mark.parametrize("checker", CATALOGUES)
def test_names_and_hints_are_distinct(checker):
    names = [m.name for m in CATALOGUES[checker]]
    hints = [m.hint for m in CATALOGUES[checker]]
    fixes = [m.fix for m in CATALOGUES[checker]]
    assert len(set(names)) == len(names) and len(set(hints)) == len(hints)
    assert len(set(fixes)) == len(fixes)


def test_the_issues_mistakes_are_catalogued_where_they_apply():
    def has(checker, name):
        return any(m.name == name for m in CATALOGUES[checker])
    for checker in ("check_forget_gate", "check_input_gate", "check_candidate", "check_output_gate", "check_cell_forward"):
        for name in ("[x, h] instead of [h, x]", "bias missing", "W transposed"):
            assert has(checker, name), (checker, name)
    assert has("check_candidate", "sigmoid instead of tanh") and has("check_forget_gate", "tanh instead of sigmoid")
    assert has("check_cell_forward", "sigmoid for the candidate") and has("check_cell_forward", "tanh for the gates")
    for checker in ("check_fuse", "check_cell_forward"):
        assert has(checker, "gate blocks in the wrong order") and has(checker, "the reference cell's order f, i, c, o")
    for checker in ("check_state_update", "check_cell_forward", "check_unroll"):
        assert has(checker, "c_{t-1} in h_t")
    for checker in ("check_cell_state", "check_hidden_state", "check_state_update", "check_cell_forward"):
        assert has(checker, "matrix product instead of elementwise")


def test_the_backward_issues_mistakes_are_catalogued():
    def has(checker, name):
        return any(m.name == name for m in CATALOGUES[checker])
    for checker in ("check_cell_state_backward", "check_cell_backward", "check_sequence_backward"):
        assert has(checker, "missing dc path through h_t"), checker
    assert has("check_output_gate_backward", "sigmoid derivative forgotten")
    assert has("check_output_gate_backward", "sigmoid derivative applied to o_t")
    assert has("check_cell_backward", "sigmoid derivative forgotten")
    assert has("check_cell_backward", "sigmoid derivative applied to the gate's output")
    assert has("check_cell_backward", "missing transpose in dz") and has("check_cell_backward", "missing transpose in dW")
    assert has("check_cell_backward", "gradient blocks in the wrong order")
    assert has("check_cell_backward", "the reference cell's order f, i, c, o")
    assert has("check_sequence_backward", "gradient blocks in the wrong order")
    assert has("check_cell_backward", "dW not summed over the batch")
    assert has("check_cell_backward", "db not summed over the batch")
    assert has("check_sequence_backward", "dW not summed over time")


@pytest.mark.parametrize("checker", PREDICTIONS)
def test_each_wrong_prediction_is_rejected_as_itself(checker):
    check = getattr(checks, checker)
    catalogue, right = PREDICTIONS[checker]
    with contextlib.redirect_stdout(io.StringIO()):
        assert check(right)
        shown = check(right).message.removeprefix(f"✓ {checker}: right, it is ")
        for wrong in catalogue:
            result = check(wrong.value)
            assert not result and result.mistake == wrong.name, (wrong.name, result.message)
            assert f"  hint: {wrong.hint}" in result.message
            assert not any(piece in wrong.hint for piece in ("=", "np.", "`", "*", "@", "^"))
            assert wrong.fix not in result.message and shown not in result.message
            result = check(wrong.value, hint=2)
            assert f"  fix: {wrong.fix}" in result.message and shown in result.message
    names = [w.name for w in catalogue]
    hints = [w.hint for w in catalogue]
    assert len(set(names)) == len(names) and len(set(hints)) == len(hints)
