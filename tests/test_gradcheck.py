"""lstm_lesson.gradcheck: central differences, the relative error, and a check that fails
when it should."""

import numpy as np
import pytest

from lstm_lesson.gradcheck import gradient_check, numerical_gradient, relative_error


def test_central_differences_match_an_exact_gradient():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (3, 4))
    got = numerical_gradient(lambda v: np.sum(np.sin(v) * v**2), x)
    exact = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert got.shape == x.shape and got.dtype == np.float64
    assert relative_error(got, exact) < 1e-9


def test_the_error_shrinks_like_eps_squared():
    # Truncation error of (f(x+e) - f(x-e)) / 2e is f'''(x) e^2 / 6: a tenth of
    # the step gives a hundredth of the error (until rounding takes over).
    x = np.array([0.7])
    exact = np.cos(0.7)
    err = [abs(numerical_gradient(lambda v: np.sin(v[0]), x, eps)[0] - exact) for eps in (1e-2, 1e-3)]
    assert 80 < err[0] / err[1] < 120


def test_the_four_point_stencil_shrinks_like_eps_to_the_fourth():
    x = np.array([0.7])
    exact = np.cos(0.7)
    err = [abs(numerical_gradient(lambda v: np.sin(v[0]), x, eps, points=4)[0] - exact) for eps in (1e-1, 1e-2)]
    assert 8e3 < err[0] / err[1] < 1.2e4
    with pytest.raises(ValueError, match="^points: expected 2 or 4, received 3$"):
        numerical_gradient(np.sum, x, points=3)


def test_gradient_check_defaults_to_four_points_which_beat_two_on_a_small_gradient():
    # One entry whose gradient nearly cancels (about 1e-4) against a loss of size 10:
    # the two-point quotient's rounding error is a sizeable fraction of it.
    def loss(x):
        return float(10 * np.cos(x[0]) + 1e-4 * x[0] + 10 * np.sin(x[0]))

    x = np.array([np.pi / 4])
    exact = np.array([-10 * np.sin(x[0]) + 1e-4 + 10 * np.cos(x[0])])
    four = gradient_check(loss, {"x": x}, {"x": exact})["x"]
    two = gradient_check(loss, {"x": x}, {"x": exact}, eps=1e-5, points=2)["x"]
    assert four < 1e-8 and four < two / 5  # measured 5.8e-09 against 4.1e-08


def test_x_is_never_modified_and_f_gets_a_copy():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    kept = []

    def f(v):
        kept.append(v)
        v[...] = 0  # a function that scribbles over its argument
        return 0.0

    numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [[1.0, 2.0], [3.0, 4.0]])
    assert len(kept) == 8


def test_integers_are_promoted():
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), np.array([1, 2])), [2, 4], rtol=1e-9)


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([2.0], [1.0]) == pytest.approx(1 / 3)
    assert relative_error([1.0], [-1.0]) == 1.0
    with pytest.raises(ValueError, match=r"^analytic: expected the shape of numeric, \(2,\), received \(3,\)$"):
        relative_error(np.zeros(3), np.zeros(2))


def test_gradient_check_passes_right_gradients_and_fails_wrong_ones():
    rng = np.random.default_rng(1)
    A, x, y = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal(3)

    def loss(x, y):
        return float(np.tanh(y @ A @ x))

    t = 1 - np.tanh(y @ A @ x) ** 2
    right = {"x": t * (A.T @ y), "y": t * (A @ x)}
    errors = gradient_check(loss, {"x": x, "y": y}, right)
    assert list(errors) == ["x", "y"] and max(errors.values()) < 1e-9
    wrong = {"x": A.T @ y}  # the tanh derivative forgotten
    assert gradient_check(loss, {"x": x, "y": y}, wrong)["x"] > 1e-3
    with pytest.raises(KeyError, match="'z' is not one of the inputs"):
        gradient_check(loss, {"x": x, "y": y}, {"z": x})


@pytest.mark.parametrize("call, error, message", [
    (lambda: numerical_gradient(lambda x: 2 * x, np.ones(3)), ValueError,
     r"^f: expected a function that returns a number \(the scalar loss\), it returned an "
     r"array of shape \(3,\); sum it into one number$"),
    (lambda: numerical_gradient(lambda x: "loss", np.ones(3)), TypeError,
     r"^f: expected a function that returns a number \(the scalar loss\), it returned str$"),
    (lambda: numerical_gradient(np.sum, np.ones(3), eps=0), ValueError,
     r"^eps: expected a positive number \(the step\), received 0$"),
    (lambda: numerical_gradient(np.sum, np.ones(3), eps=float("nan")), ValueError, r"^eps: "),
    (lambda: numerical_gradient(np.sum, np.ones(3), eps="a"), TypeError,
     r"^eps: expected a positive number \(the step\), received 'a'$"),
    (lambda: numerical_gradient(3, np.ones(3)), TypeError,
     r"^f: expected a function that returns the scalar loss, received int$"),
    (lambda: numerical_gradient(np.sum, "x"), TypeError, r"^x: expected a numeric array"),
    (lambda: gradient_check(np.sum, [np.ones(3)], {"x": np.ones(3)}), TypeError,
     r"^inputs: expected a dict of argument name to array, received list$"),
    (lambda: gradient_check(np.sum, {"x": np.ones(3)}, [np.ones(3)]), TypeError,
     r"^grads: expected a dict of argument name to array, received list$"),
    (lambda: gradient_check(None, {"x": np.ones(3)}, {"x": np.ones(3)}), TypeError,
     r"^loss: expected a function that returns the scalar loss, received NoneType$"),
    (lambda: gradient_check(lambda x: x, {"x": np.ones(3)}, {"x": np.ones(3)}), ValueError,
     r"^loss: expected a function that returns a number .* shape \(3,\)"),
    (lambda: gradient_check(lambda x: x.sum(), {"x": np.ones(3)}, {"x": np.ones(2)}), ValueError,
     r"^grads\['x'\]: expected the shape of inputs\['x'\], \(3,\), received \(2,\)$"),
])
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_loss_returned_as_a_one_by_one_array_is_a_number():
    # R.T @ h is a (1, 1) array: one number, so a loss.
    grad = numerical_gradient(lambda x: np.array([[x @ x]]), np.array([1.0, -2.0]))
    np.testing.assert_allclose(grad, [2.0, -4.0], rtol=1e-8)
