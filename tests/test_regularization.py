"""regularization: penalty, gradient (checked numerically), which parameters, bad lambda, and
WithL2, an optimizer stepping on J + lam sum theta^2 over the included parameters only."""

import numpy as np
import pytest

from lecnotes import gradcheck, optim, regularization

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


WRAP_PARAMS = {"W": np.array([[1.0, -2.0]]), "b": np.array([3.0]), "E": np.array([[0.5]])}
WRAP_GRADS = {"W": np.array([[0.1, 0.2]]), "b": np.array([0.3])}  # E frozen: no gradient


def test_step_adds_the_penalty_gradient_to_included_parameters_only():
    opt = regularization.WithL2(optim.SGD(lr=0.1), lam=0.5, include=("W",))
    new, _ = opt.update(WRAP_PARAMS, WRAP_GRADS, opt.init(WRAP_PARAMS))
    # W: theta - lr (g + 2 lam theta); b: no penalty; E: not in grads, unchanged
    np.testing.assert_allclose(
        new["W"], WRAP_PARAMS["W"] - 0.1 * (WRAP_GRADS["W"] + WRAP_PARAMS["W"])
    )
    np.testing.assert_allclose(new["b"], WRAP_PARAMS["b"] - 0.1 * WRAP_GRADS["b"])
    assert new["E"] is WRAP_PARAMS["E"]


def test_equals_pytorch_weight_decay_of_two_lambda():
    lam, include = 0.01, ("W", "b")
    wrapped = regularization.WithL2(optim.Adam(lr=0.1), lam, include)
    decayed = optim.Adam(lr=0.1, weight_decay=2 * lam)
    a, sa = WRAP_PARAMS, wrapped.init(WRAP_PARAMS)
    b, sb = WRAP_PARAMS, decayed.init(WRAP_PARAMS)
    for _ in range(5):
        a, sa = wrapped.update(a, WRAP_GRADS, sa)
        b, sb = decayed.update(b, WRAP_GRADS, sb)
    for name in WRAP_PARAMS:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-12)


def test_zero_lambda_is_the_plain_optimizer():
    plain = optim.SGD(lr=0.3, momentum=0.9)
    wrapped = regularization.WithL2(plain, 0.0)
    new, _ = wrapped.update(WRAP_PARAMS, WRAP_GRADS, wrapped.init(WRAP_PARAMS))
    expected, _ = plain.update(WRAP_PARAMS, WRAP_GRADS, plain.init(WRAP_PARAMS))
    for name in WRAP_PARAMS:
        np.testing.assert_array_equal(new[name], expected[name])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="lam must be a real number"):
        regularization.WithL2(optim.SGD(lr=0.1), -1.0)
    with pytest.raises(ValueError, match=r"unknown parameters \['V'\]"):
        regularization.WithL2(optim.SGD(lr=0.1), 0.1, include=("V",)).init(WRAP_PARAMS)


def test_the_penalty_is_added_before_the_optimizers_own_decay():
    # WithL2 is opt.with_decay(WeightDecay(2 lam, penalized names)): with AdamW, the L2
    # gradient uses the weights before AdamW's decoupled decay shrinks them.
    lam, wd, lr = 0.05, 0.1, 0.2
    opt = regularization.WithL2(optim.AdamW(lr=lr, weight_decay=wd), lam, include=("W",))
    new, _ = opt.update(WRAP_PARAMS, WRAP_GRADS, opt.init(WRAP_PARAMS))
    W = WRAP_PARAMS["W"]
    g = WRAP_GRADS["W"] + 2 * lam * W
    m, v = 0.1 * g, 0.001 * g * g  # Adam's first step, bias-corrected below
    expected = W * (1 - lr * wd) - lr / 0.1 * m / (np.sqrt(v) / np.sqrt(0.001) + 1e-8)
    np.testing.assert_allclose(new["W"], expected, rtol=1e-12)
