"""Property tests (hypothesis): invariants of the cell and the sigmoid on random sizes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_lesson import LSTMCell
from lstm_lesson.activations import sigmoid
from gradients import cell_errors, sequence_errors

sizes = st.integers(min_value=1, max_value=6)
finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(D=sizes, H=sizes, N=sizes, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_cell_outputs_are_bounded_and_columns_independent(D, H, N, seed, data):
    cell = LSTMCell(D, H, seed=seed)
    x = data.draw(arrays(np.float64, (D, N), elements=finite))
    h = data.draw(arrays(np.float64, (H, N), elements=st.floats(-1, 1)))
    c = data.draw(arrays(np.float64, (H, N), elements=finite))
    h_t, c_t = cell.forward(x, h, c)
    assert h_t.shape == c_t.shape == (H, N)
    assert np.all(np.isfinite(h_t)) and np.all(np.isfinite(c_t))
    assert np.all(np.abs(h_t) <= 1)                      # o in (0, 1), tanh in (-1, 1)
    assert np.all(np.abs(c_t) <= np.abs(c) + 1)          # f |c| + i |c~| with f, i < 1
    k = data.draw(st.integers(0, N - 1))
    h_k, c_k = cell.forward(x[:, [k]], h[:, [k]], c[:, [k]])
    np.testing.assert_allclose(h_t[:, [k]], h_k, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c_t[:, [k]], c_k, rtol=1e-12, atol=1e-14)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(x=arrays(np.float64, st.integers(1, 50),
                elements=st.one_of(st.floats(-1e308, 1e308), st.floats(-40, 40))))
def test_sigmoid_is_a_symmetric_probability(x):
    s = sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    # Each value is within about an ulp, so the sum is within two ulps of 1.
    np.testing.assert_allclose(s + sigmoid(-x), 1.0, rtol=0, atol=2 * np.spacing(1.0))
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)


small = st.integers(min_value=1, max_value=4)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(D=small, H=small, N=small, seed=st.integers(0, 2**32 - 1))
def test_step_backward_passes_the_gradient_check_on_any_small_shape(D, H, N, seed):
    errors = cell_errors(D, H, N, seed)
    assert max(errors.values()) < 1e-7, errors


@settings(max_examples=20, deadline=None, derandomize=True)
@given(T=st.integers(1, 5), D=small, H=small, N=small, seed=st.integers(0, 2**32 - 1))
def test_sequence_backward_passes_the_gradient_check_on_any_small_shape(T, D, H, N, seed):
    errors = sequence_errors(T, D, H, N, seed)
    assert max(errors.values()) < 1e-7, errors
