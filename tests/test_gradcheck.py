"""gradcheck: centered differences, relative error, worst-entry reports and kink warnings."""

import warnings

import numpy as np
import pytest

from lecnotes import gradcheck


def test_numerical_gradient_of_a_quadratic_is_exact_up_to_rounding():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -1.5])
    grad = gradcheck.numerical_gradient(lambda v: 0.5 * v @ A @ v, x)
    np.testing.assert_allclose(grad, A @ x, rtol=1e-9)


def test_centered_error_shrinks_like_h_squared():
    errors = [
        abs(gradcheck.numerical_gradient(np.exp, np.array(1.0), h=h) - np.e) for h in (1e-2, 1e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.05)


def test_input_is_not_modified():
    x = np.array([1.0, 2.0])
    gradcheck.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert x.tolist() == [1.0, 2.0]


def test_check_reports_the_worst_entry():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    wrong = 2 * x
    wrong[1, 0] += 0.1  # a bug in one entry
    report = gradcheck.check(lambda v: float(np.sum(v**2)), x, wrong)
    assert not report.ok and report.index == (1, 0)
    assert report.analytic == pytest.approx(6.1) and report.numeric == pytest.approx(6.0)
    assert "MISMATCH" in str(report) and "(1, 0)" in str(report)
    assert gradcheck.check(lambda v: float(np.sum(v**2)), x, 2 * x).ok


def test_entries_at_the_rounding_noise_level_are_judged_absolutely():
    # f is O(1) but the gradient's first entry is ~1e-9: its numerical value is pure noise.
    f = lambda v: float(1.0 + 1e-9 * v[0] + v[1] ** 2)  # noqa: E731
    x = np.array([0.3, 0.7])
    assert gradcheck.check(f, x, np.array([1e-9, 1.4])).ok
    assert not gradcheck.check(f, x, np.array([1e-9, 1.4 + 1e-6])).ok


def test_relative_error_definition():
    np.testing.assert_allclose(
        gradcheck.relative_error([1.0, 1.0, 0.0], [1.0, -1.0, 0.0]), [0, 1, 0]
    )


def test_kink_within_h_warns_and_names_the_entry():
    relu_sum = lambda v: float(np.maximum(v, 0).sum())  # noqa: E731
    x = np.array([1.0, 3e-6, -2.0])  # the middle entry is within h=1e-5 of the kink at 0
    with pytest.warns(gradcheck.KinkWarning, match=r"\[\(1,\)\]"):
        report = gradcheck.check(relu_sum, x, (x > 0).astype(float))
    assert report.kinks == [(1,)]


def test_no_kink_warning_for_smooth_functions_with_large_curvature():
    x = np.linspace(-3, 3, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = gradcheck.check(lambda v: float(np.sum(np.exp(2 * v))), x, 2 * np.exp(2 * x))
    assert report.ok and report.kinks == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gradcheck.numerical_gradient(np.sum, np.ones(3, dtype=np.float32)), "float64"),
        (
            lambda: gradcheck.numerical_gradient(np.sum, np.ones(3), h=0),
            r"h must be a real number in \(0, inf\)",
        ),
        (
            lambda: gradcheck.check(np.sum, np.ones(3), np.ones(2)),
            r"analytic has shape \(2,\), but x has shape \(3,\)",
        ),
        (
            lambda: gradcheck.check(np.sum, np.ones(3), np.ones(3), tol=-1),
            r"tol must be a real number in \(0, inf\)",
        ),
    ],
)
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
