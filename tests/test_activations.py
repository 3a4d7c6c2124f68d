"""activations: stable softmax and log-softmax."""

import warnings

import numpy as np
import pytest

from lecnotes import activations


def test_softmax_matches_the_definition_on_moderate_scores():
    z = np.random.default_rng(0).normal(size=(4, 6))
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(activations.softmax(z), expected, rtol=1e-13)


def test_softmax_rows_sum_to_one_and_axis_is_respected():
    z = np.random.default_rng(1).normal(size=(3, 5))
    np.testing.assert_allclose(activations.softmax(z).sum(axis=1), 1.0)
    np.testing.assert_allclose(activations.softmax(z, axis=0).sum(axis=0), 1.0)


def test_extreme_scores_do_not_overflow_or_warn():
    z = np.array([[1000.0, 999.0, -1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = activations.softmax(z)
        log_p = activations.log_softmax(z)
    e = np.exp(-1.0)
    np.testing.assert_allclose(p[0, :2], [1 / (1 + e), e / (1 + e)], rtol=1e-12)
    assert p[0, 2] == 0.0 and np.isfinite(log_p).all()
    np.testing.assert_allclose(log_p[0, 2], -2000.0 - np.log1p(e), rtol=1e-12)


def test_softmax_is_shift_invariant():
    z = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(activations.softmax(z), activations.softmax(z + 123.0), rtol=1e-12)


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), 3.0, np.array([1 + 2j])])
def test_bad_input_is_rejected(bad):
    with pytest.raises(ValueError, match="z must be a numeric array"):
        activations.softmax(bad)


def test_sigmoid_is_stable_and_matches_the_definition():
    z = np.array([-1000.0, -3.0, 0.0, 2.5, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activations.sigmoid(z)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-14)
    assert s[0] == 0.0 and s[-1] == 1.0 and activations.sigmoid(0.0) == 0.5


def test_sigmoid_grad_matches_centered_differences():
    from lecnotes import gradcheck

    z = np.linspace(-4, 4, 9)
    report = gradcheck.check(
        lambda v: float(activations.sigmoid(v).sum()), z, activations.sigmoid_grad(z)
    )
    assert report.ok, report
