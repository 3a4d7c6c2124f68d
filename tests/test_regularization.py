"""regularization: penalty, gradient (checked numerically), which parameters, bad lambda."""

import numpy as np
import pytest

from lecnotes import gradcheck, regularization

RNG = np.random.default_rng(0)
PARAMS = {"W1": RNG.normal(size=(3, 4)), "b1": RNG.normal(size=3), "W2": RNG.normal(size=(2, 3))}


def test_penalty_sums_squares_of_weights_only_by_default():
    expected = 0.1 * (np.sum(PARAMS["W1"] ** 2) + np.sum(PARAMS["W2"] ** 2))
    assert regularization.l2_penalty(PARAMS, 0.1) == pytest.approx(expected, rel=1e-14)
    assert regularization.penalized(PARAMS) == ["W1", "W2"]


def test_include_selects_parameters():
    assert regularization.l2_penalty(PARAMS, 0.5, include=["b1"]) == pytest.approx(
        0.5 * np.sum(PARAMS["b1"] ** 2)
    )
    grads = regularization.l2_grad(PARAMS, 0.5, include=["b1"])
    assert not grads["W1"].any() and np.allclose(grads["b1"], PARAMS["b1"])


@pytest.mark.parametrize("name", ["W1", "b1", "W2"])
def test_gradient_matches_centered_differences(name):
    include = ["W1", "b1", "W2"]
    analytic = regularization.l2_grad(PARAMS, 0.3, include=include)[name]

    def penalty(value):
        return regularization.l2_penalty({**PARAMS, name: value}, 0.3, include=include)

    assert gradcheck.check(penalty, PARAMS[name].copy(), analytic).ok


def test_zero_lambda_gives_zero_penalty_and_gradient():
    assert regularization.l2_penalty(PARAMS, 0) == 0.0
    assert all(not g.any() for g in regularization.l2_grad(PARAMS, 0.0).values())


@pytest.mark.parametrize("lam", [-0.1, float("nan"), float("inf"), "0.1", True, None])
def test_bad_lambda_is_rejected(lam):
    with pytest.raises(ValueError, match="lam must be a"):
        regularization.l2_penalty(PARAMS, lam)


def test_unknown_parameter_names_are_rejected():
    with pytest.raises(ValueError, match=r"unknown parameters \['W3'\]"):
        regularization.l2_grad(PARAMS, 0.1, include=["W3"])
