"""lstm_lesson.shapes: errors name the argument, the expected and received shape."""

import re

import numpy as np
import pytest

from lstm_lesson.shapes import as_float_array, expect, positive_int


def test_binds_and_checks_dimensions_across_arguments():
    dims = {}
    expect("x_t", np.zeros((3, 4)), ("D", "N"), dims)
    expect("h_prev", np.zeros((2, 4)), ("H", "N"), dims)
    W = expect("W_f", np.zeros((2, 5)), ("H", "H+D"), dims)
    assert W.shape == (2, 5)
    assert dims == {"D": (3, "x_t"), "N": (4, "x_t"), "H": (2, "h_prev")}


def test_wrong_size_names_argument_expected_and_received():
    dims = {}
    expect("x_t", np.zeros((3, 4)), ("D", "N"), dims)
    with pytest.raises(ValueError) as err:
        expect("h_prev", np.zeros((2, 5)), ("H", "N"), dims)
    message = str(err.value)
    assert message.startswith("h_prev: expected shape (H, N)")
    assert "N = 4 (from x_t)" in message
    assert "received (2, 5)" in message


def test_compound_dimension_is_checked():
    dims = {}
    expect("x_t", np.zeros((3, 1)), ("D", "N"), dims)
    expect("h_prev", np.zeros((2, 1)), ("H", "N"), dims)
    with pytest.raises(ValueError, match=r"W_f: expected shape \(H, H\+D\).*received \(2, 4\)"):
        expect("W_f", np.zeros((2, 4)), ("H", "H+D"), dims)


def test_wrong_number_of_dimensions():
    with pytest.raises(ValueError, match=r"x_t: expected shape \(D, N\), received \(3,\) \(1-D instead of 2-D\)"):
        expect("x_t", np.zeros(3), ("D", "N"), {})


def test_fixed_size_and_repeated_name():
    with pytest.raises(ValueError, match=r"b: expected shape \(H, 1\).*received \(2, 2\)"):
        expect("b", np.zeros((2, 2)), ("H", 1), {"H": (2, "W")})
    with pytest.raises(ValueError, match=r"W_h: expected shape \(H, H\) with H = 2 \(from W_h\), "
                       r"received \(2, 3\) \(the sizes of a repeated name must be equal\)"):
        expect("W_h", np.zeros((2, 3)), ("H", "H"), {})


@pytest.mark.parametrize("value", ["abc", None, [1 + 2j], np.array(["a"]), [[1, 2], [3]], object()])
def test_non_numeric_input_is_a_type_error_naming_the_argument(value):
    with pytest.raises(TypeError, match="^x_t: expected a numeric"):
        as_float_array("x_t", value)


def test_integers_become_float64_and_float32_stays():
    assert as_float_array("x", [1, 2]).dtype == np.float64
    assert as_float_array("x", np.ones(2, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("value, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)])
def test_positive_int(value, error):
    with pytest.raises(error, match="hidden_size: expected a positive int"):
        positive_int("hidden_size", value)
    assert positive_int("hidden_size", np.int64(4)) == 4


def test_a_multiple_binds_a_quarter_and_a_sum_binds_the_rest():
    dims = {}
    expect("W", np.zeros((8, 5)), ("4H", "H+D"), dims)
    assert dims == {"H": (2, "W"), "D": (3, "W")}
    with pytest.raises(ValueError, match=r"b: expected shape \(4H, 1\) with H = 2 \(from W\), received \(6, 1\)"):
        expect("b", np.zeros((6, 1)), ("4H", 1), dims)
    with pytest.raises(ValueError, match=r"W: expected shape \(4H, H\+D\), received \(6, 5\) \(6 is not a multiple of 4\)"):
        expect("W", np.zeros((6, 5)), ("4H", "H+D"), {})
    with pytest.raises(ValueError, match=r"W: expected shape \(4H, H\+D\), received \(8, 2\) \(H\+D = 2 would leave D = 0: is W transposed\?\)"):
        expect("W", np.zeros((8, 2)), ("4H", "H+D"), {})
    with pytest.raises(ValueError, match=r"xs: expected shape \(T, D, N\) with D = 3 \(from W\), received \(4, 2, 1\)"):
        expect("xs", np.zeros((4, 2, 1)), ("T", "D", "N"), {"D": (3, "W"), "H": (2, "W")})


@pytest.mark.parametrize("shape, spec, words", [
    ((3, 0), ("D", "N"), r"an empty batch \(N = 0\)"),
    ((0, 3, 2), ("T", "D", "N"), r"an empty sequence \(T = 0\)"),
    ((0, 2), ("D", "N"), r"inputs of size 0 \(D = 0\)"),
    ((0, 1), ("H", 1), r"a cell with no units \(H = 0\)"),
])
def test_a_size_of_zero_says_what_is_empty(shape, spec, words):
    with pytest.raises(ValueError, match=rf"^x: expected shape .*received {re.escape(str(shape))}: "
                       rf"{words}; every size must be at least 1$"):
        expect("x", np.zeros(shape), spec, {})
