"""The checker machinery: verdicts, not tracebacks; stubs read "not attempted"."""

import numpy as np

from lstm_lesson.checks import check_sigmoid
from lstm_lesson.checks.core import Case, Mistake, run_check


def test_stub_is_not_attempted(capsys):
    def my_sigmoid(x):
        raise NotImplementedError("your code here")
    result = check_sigmoid(my_sigmoid)
    assert not result and not result.attempted
    assert capsys.readouterr().out.startswith("… check_sigmoid: not attempted yet")


def test_exception_is_reported_as_message_and_case(capsys):
    def my_sigmoid(x):
        return 1 / (1 + np.exp(-x)) @ np.ones(7)
    result = check_sigmoid(my_sigmoid)
    out = capsys.readouterr().out
    assert not result
    assert "raised ValueError: matmul" in out
    assert "case 'random normal, shape (5, 3), float64'" in out
    assert "Traceback" not in out and 'File "' not in out


def test_missing_return_and_not_a_function():
    result = check_sigmoid(lambda x: None)
    assert "returned None" in result.message and "hint: Is a `return` statement missing?" in result.message
    assert "expected your function" in check_sigmoid(0.5).message
    assert "not a numeric array" in check_sigmoid(lambda x: "0.5").message


def test_expected_and_received_values_are_shown():
    result = run_check("check_double", lambda x: x * 3, lambda x: x * 2,
                       [Case("x = [1, 2]", (np.array([1.0, 2.0]),))], quiet=True)
    assert result.message.splitlines()[:3] == [
        "✗ check_double: case 'x = [1, 2]': values differ",
        "    expected: [2. 4.] (shape (2,), float64)",
        "    received: [3. 6.] (shape (2,), float64)",
    ]


def test_differences_are_measured_and_float32_is_named():
    result = run_check("check_half", lambda x: (x / 2).astype(np.float32), lambda x: x / 2,
                       [Case("x = 1/3", (np.array([1 / 3]),))], rtol=1e-12, quiet=True)
    assert "largest difference: " in result.message
    assert "your result is float32: compute in float64" in result.message


def test_changing_an_argument_in_place_is_reported():
    def in_place(x):
        x *= 2  # right values, but the caller's array is overwritten
        return x
    result = run_check("check_double", in_place, lambda x: x * 2,
                       [Case("x", (np.array([1.0, 2.0]),))], quiet=True)
    assert not result
    assert "correct values, but it changed `x` in place" in result.message
    assert "hint: Leave x as it was: the caller still needs it. Make new arrays" in result.message


def test_reader_cannot_change_the_cases():
    def sneaky(x):
        x[...] = 0  # mutates its argument in place
        return x
    reference_calls = []
    def reference(x):
        reference_calls.append(x.copy())
        return x
    data = np.array([1.0, 2.0])
    result = run_check("check_copy", sneaky, reference, [Case("c", (data,))], quiet=True)
    assert not result
    np.testing.assert_array_equal(data, [1.0, 2.0])
    np.testing.assert_array_equal(reference_calls[0], [1.0, 2.0])


def test_mistake_variants_and_generic_hint():
    mistake = Mistake("doubled", "you doubled", "halve it", lambda x: x * 2,
                      variants=(lambda x: x + x + 0.5,))
    cases = [Case("one", (np.array(1.0),))]
    hit = run_check("c", lambda x: x + 1.5, lambda x: x, cases, [mistake], generic_hint="g", quiet=True)
    assert hit.mistake == "doubled" and "hint: you doubled" in hit.message
    miss = run_check("c", lambda x: x - 7, lambda x: x, cases, [mistake], generic_hint="g", quiet=True)
    assert miss.mistake is None and miss.message.endswith("hint: g")


def test_result_is_truthy_only_when_passed():
    ok = run_check("c", lambda x: x, lambda x: x, [Case("one", (1.0,))], quiet=True)
    assert ok and ok.passed and str(ok) == "✓ c: all 1 cases pass."
    wrong = run_check("c", lambda x: x + 1, lambda x: x, [Case("one", (1.0,))], quiet=True)
    assert not wrong and not wrong.passed and wrong.attempted


def test_the_in_place_hint_names_the_argument_without_code_and_the_fix_on_request():
    def in_place(x):
        x *= 2
        return x
    for level in (1, 2):
        result = run_check("check_double", in_place, lambda x: x * 2,
                           [Case("x", (np.array([1.0, 2.0]),))], quiet=True, hint=level)
        hint = next(line for line in result.message.splitlines() if "hint:" in line)
        assert not any(piece in hint for piece in ("=", "`", "*", "np."))
        assert "c_prev" not in result.message and "c_t" not in result.message
    assert "  fix: `x = x * 2` makes a new array, while `x *= 2`" in result.message


def test_an_argument_the_exercise_lets_change_may_change():
    def step(params, lr):
        params["w"] -= lr
        return params["w"]
    cases = [Case("w", ({"w": np.array([1.0, 2.0])}, 0.5))]
    reference = lambda params, lr: params["w"] - lr  # noqa: E731
    assert not run_check("check_step", step, reference, cases, quiet=True)
    assert run_check("check_step", step, reference, cases, quiet=True, may_change=("params",))

    def changes_lr_too(params, lr):
        result = params["w"] - lr
        lr[...] = 0.0
        return result
    cases = [Case("w", ({"w": np.array([1.0, 2.0])}, np.array(0.5)))]
    result = run_check("check_step", changes_lr_too, reference, cases, quiet=True,
                       may_change=("params",))
    assert not result and "changed `lr` in place" in result.message
