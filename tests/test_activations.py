"""lstm_lesson.activations: stability, accuracy against mpmath, derivatives."""

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from lstm_lesson.activations import (
    naive_sigmoid, sigmoid, sigmoid_derivative, tanh, tanh_derivative,
)

mpmath.mp.dps = 50


def exact_sigmoid(value):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(float(value))))


def max_ulp_error(dtype, grid):
    grid = np.asarray(grid, dtype=dtype)
    worst = 0.0
    for value, approx in zip(grid, sigmoid(grid)):
        exact = exact_sigmoid(value)
        spacing = np.spacing(dtype(float(exact)))
        worst = max(worst, float(abs(mpmath.mpf(float(approx)) - exact) / spacing))
    return worst


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_within_a_few_ulp_of_a_50_digit_reference(dtype):
    grid = np.concatenate([np.linspace(-100, 100, 2001), [-1e-8, 1e-8, 0.0]])
    if dtype is np.float32:
        grid = grid[np.abs(grid) < 87]  # beyond, sigma underflows/rounds exactly
    assert max_ulp_error(dtype, grid) <= 4


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_never_warns_on_minus_to_plus_1000(dtype):
    grid = np.linspace(-1000, 1000, 20_001).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(grid)
        tanh(grid), sigmoid_derivative(grid), tanh_derivative(grid)
    assert values.dtype == dtype
    assert values[0] == 0 and values[-1] == 1 and values[10_000] == 0.5
    assert np.all(np.diff(values) >= 0)


@pytest.mark.parametrize("dtype, x", [(np.float64, -1000.0), (np.float32, -100.0)])
def test_naive_sigmoid_overflows_where_the_chapter_says(dtype, x):
    with pytest.warns(RuntimeWarning, match="overflow"):
        naive_sigmoid(np.array(x, dtype=dtype))


def test_values_at_known_points():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75, rel=1e-15)
    assert tanh(0.0) == 0.0
    assert sigmoid_derivative(0.0) == 0.25
    assert tanh_derivative(0.0) == 1.0


def test_identity_tanh_is_stretched_sigmoid():
    x = np.random.default_rng(0).uniform(-30, 30, 1000)
    np.testing.assert_allclose(tanh(x), 2 * sigmoid(2 * x) - 1, atol=1e-15)


def test_derivatives_agree_with_central_differences_in_float64():
    x = np.random.default_rng(1).uniform(-8, 8, 500)
    eps = 1e-6
    # Central differences are accurate to about eps^2 + 1e-16 / eps, ~1e-10.
    np.testing.assert_allclose(sigmoid_derivative(x), (sigmoid(x + eps) - sigmoid(x - eps)) / (2 * eps), rtol=0, atol=1e-9)
    np.testing.assert_allclose(tanh_derivative(x), (tanh(x + eps) - tanh(x - eps)) / (2 * eps), rtol=0, atol=1e-9)


def test_derivatives_agree_with_sympy():
    s = sp.Symbol("s", real=True)
    sigma = 1 / (1 + sp.exp(-s))
    d_sigma = sp.lambdify(s, sp.diff(sigma, s), "numpy")
    d_tanh = sp.lambdify(s, sp.diff(sp.tanh(s), s), "numpy")
    x = np.random.default_rng(2).uniform(-20, 20, 1000)
    np.testing.assert_allclose(sigmoid_derivative(x), d_sigma(x), rtol=1e-12, atol=1e-18)
    # SymPy's 1 - tanh(x)^2 cancels in the tails, so compare absolutely there.
    np.testing.assert_allclose(tanh_derivative(x), d_tanh(x), rtol=0, atol=1e-15)


@pytest.mark.parametrize("fn, exact", [
    # Forms without cancellation, so 50 digits are 50 correct digits.
    (sigmoid_derivative, lambda v: exact_sigmoid(v) * exact_sigmoid(-v)),
    (tanh_derivative, lambda v: mpmath.sech(mpmath.mpf(float(v))) ** 2),
])
def test_derivatives_are_accurate_in_the_tails(fn, exact):
    grid = np.linspace(-300, 300, 1201)
    worst = 0.0
    for value, approx in zip(grid, fn(grid)):
        reference = exact(value)
        worst = max(worst, float(abs(mpmath.mpf(float(approx)) - reference) / np.spacing(float(reference))))
    assert worst <= 8


def test_shape_is_kept_and_ints_are_promoted():
    x = np.arange(6).reshape(2, 3, 1)
    assert sigmoid(x).shape == (2, 3, 1) and sigmoid(x).dtype == np.float64
    assert tanh(np.float32(1)).dtype == np.float32


@pytest.mark.parametrize("fn", [sigmoid, tanh, sigmoid_derivative, tanh_derivative, naive_sigmoid])
def test_non_numeric_input_is_a_type_error(fn):
    with pytest.raises(TypeError, match="x: expected a numeric"):
        fn("1.0")


def test_logit_inverts_the_sigmoid():
    from lstm_lesson.activations import logit
    p = np.array([1e-12, 0.1, 0.5, 0.9, 1 - 1e-9])
    np.testing.assert_allclose(sigmoid(logit(p)), p, rtol=1e-12)
    assert float(logit(0.5)) == 0.0
    assert float(logit(0.9)) == pytest.approx(np.log(9), rel=1e-14)
    for bad in (0.0, 1.0, 1.5, np.nan):
        with pytest.raises(ValueError, match=r"p: expected values in \(0, 1\)"):
            logit(bad)
