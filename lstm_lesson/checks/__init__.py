"""Checkers for the exercises: ``check_<name>(your_function)`` prints a verdict.

Each checker runs your function against the package's reference (taken from a
private copy of the package, which no assignment to ``lstm_lesson.*`` reaches)
on fixed-seed and edge cases; at the first disagreement it names the case, says
which outputs are right and which differ, shows expected and received values
(or shapes), and gives a hint for the typical mistake your answer matches: what
is wrong and where to look. ``check_<name>(your_function, hint=2)`` also shows
the fix. It returns a :class:`CheckResult` (truthy when all pass).

The verdict's lines: ``✓ check_x: all N cases pass.`` (then any ``  note: ...``
on a harmless warning), ``… check_x: not attempted yet ...``, or ``✗ check_x:
case '...': <what differs>`` followed by indented details, ``  hint: ...``, and
``  more help: check_x(your_function, hint=2)`` or, with ``hint=2``, ``  fix: ...``.
"""

from .activations import (check_log_sigmoid, check_naive_zero, check_sigmoid,
                          check_sigmoid_derivative, check_tanh_derivative)
from .backward import (check_backward_without_output_gate, check_cell_backward,
                       check_cell_state_backward, check_dc_prev_prediction,
                       check_fixed_cell_backward, check_output_gate_backward)
from .bptt import (check_decay_prediction, check_fixed_sequence_backward,
                   check_input_gradient_norms, check_sequence_backward,
                   check_truncated_backward)
from .cell_state import (check_cell_state, check_cell_state_jacobian,
                         check_coupled_cell_state, check_fading_memory,
                         check_forget_bias_for)
from .core import CheckResult
from .frameworks import check_to_keras, check_to_onnx, check_torch_extra_count
from .fast import (check_input_gradients, check_project_inputs, check_saved_megabytes,
                   check_weight_gradient)
from .fused import (check_cell_forward, check_cell_forward_iofc, check_count_ratio,
                    check_fuse, check_parameter_count, check_step_via_fuse)
from .gradcheck import check_numerical_gradient
from .gates import (check_bias_for_gate, check_candidate, check_candidate_bias_for,
                    check_forget_gate, check_fresh_write, check_input_gate,
                    check_output_gate, check_to_h_first, check_write,
                    check_zero_weight_gate)
from .hidden_state import (check_cell_state_for, check_hidden_ceiling, check_hidden_state,
                           check_state_update)
from .losses import check_softmax_cross_entropy
from .lstm_step import check_batch_shape, check_fixed_step, check_lstm_step
from .rnn import check_rnn_jacobian
from .optimizers import (check_adam_first_step, check_adam_step,
                         check_clip_by_global_norm)
from .probes import (check_clamped_forward, check_gradient_times_input,
                     check_leaky_count, check_most_correlated, check_saliency)
from .sequence import (check_carried_fraction, check_final_state, check_in_chunks,
                       check_settled_state, check_unroll)
from .tasks import check_adding_problem
from .training import check_train_loop
from .variants import (check_cifg_backward, check_cifg_step, check_counting_prediction,
                       check_gru_parameter_count)  # chapter 13

__all__ = [
    "check_cifg_backward",  # chapter 13
    "check_cifg_step",
    "check_counting_prediction",
    "check_gru_parameter_count",
    "CheckResult",
    "check_adam_first_step",
    "check_adam_step",
    "check_adding_problem",
    "check_backward_without_output_gate",
    "check_batch_shape",
    "check_bias_for_gate",
    "check_candidate",
    "check_candidate_bias_for",
    "check_cell_backward",
    "check_carried_fraction",
    "check_cell_forward",
    "check_cell_forward_iofc",
    "check_cell_state",
    "check_cell_state_jacobian",
    "check_clip_by_global_norm",
    "check_coupled_cell_state",
    "check_fading_memory",
    "check_cell_state_backward",
    "check_cell_state_for",
    "check_count_ratio",
    "check_dc_prev_prediction",
    "check_decay_prediction",
    "check_final_state",
    "check_fixed_cell_backward",
    "check_fixed_sequence_backward",
    "check_fixed_step",
    "check_forget_bias_for",
    "check_forget_gate",
    "check_fresh_write",
    "check_fuse",
    "check_hidden_ceiling",
    "check_hidden_state",
    "check_in_chunks",
    "check_input_gate",
    "check_input_gradient_norms",
    "check_log_sigmoid",
    "check_lstm_step",
    "check_naive_zero",
    "check_numerical_gradient",
    "check_output_gate",
    "check_output_gate_backward",
    "check_parameter_count",
    "check_rnn_jacobian",
    "check_settled_state",
    "check_sigmoid",
    "check_sigmoid_derivative",
    "check_sequence_backward",
    "check_softmax_cross_entropy",
    "check_state_update",
    "check_step_via_fuse",
    "check_tanh_derivative",
    "check_to_h_first",
    "check_train_loop",
    "check_truncated_backward",
    "check_unroll",
    "check_write",
    "check_zero_weight_gate",
]
__all__ += [  # chapters 14 and 15
    "check_to_keras",
    "check_to_onnx",
    "check_torch_extra_count",
    "check_input_gradients",
    "check_project_inputs",
    "check_saved_megabytes",
    "check_weight_gradient",
]
__all__ += [  # chapter 12
    "check_clamped_forward",
    "check_gradient_times_input",
    "check_leaky_count",
    "check_most_correlated",
    "check_saliency",
]
