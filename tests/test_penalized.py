"""penalized: the optimizer steps on J + lam sum theta^2 over the included parameters only."""

import numpy as np
import pytest

from lecnotes import optim, penalized

PARAMS = {"W": np.array([[1.0, -2.0]]), "b": np.array([3.0]), "E": np.array([[0.5]])}
GRADS = {"W": np.array([[0.1, 0.2]]), "b": np.array([0.3])}  # E frozen: no gradient


def test_step_adds_the_penalty_gradient_to_included_parameters_only():
    opt = penalized.Penalized(optim.SGD(lr=0.1), lam=0.5, include=("W",))
    new, _ = opt.update(PARAMS, GRADS, opt.init(PARAMS))
    # W: theta - lr (g + 2 lam theta); b: no penalty; E: not in grads, unchanged
    np.testing.assert_allclose(new["W"], PARAMS["W"] - 0.1 * (GRADS["W"] + PARAMS["W"]))
    np.testing.assert_allclose(new["b"], PARAMS["b"] - 0.1 * GRADS["b"])
    assert new["E"] is PARAMS["E"]


def test_equals_pytorch_weight_decay_of_two_lambda():
    lam, include = 0.01, ("W", "b")
    wrapped = penalized.Penalized(optim.Adam(lr=0.1), lam, include)
    decayed = optim.Adam(lr=0.1, weight_decay=2 * lam)
    a, sa = PARAMS, wrapped.init(PARAMS)
    b, sb = PARAMS, decayed.init(PARAMS)
    for _ in range(5):
        a, sa = wrapped.update(a, GRADS, sa)
        b, sb = decayed.update(b, GRADS, sb)
    for name in PARAMS:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-12)


def test_zero_lambda_is_the_plain_optimizer():
    plain = optim.SGD(lr=0.3, momentum=0.9)
    wrapped = penalized.Penalized(plain, 0.0)
    new, _ = wrapped.update(PARAMS, GRADS, wrapped.init(PARAMS))
    expected, _ = plain.update(PARAMS, GRADS, plain.init(PARAMS))
    for name in PARAMS:
        np.testing.assert_array_equal(new[name], expected[name])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="lam must be a real number"):
        penalized.Penalized(optim.SGD(lr=0.1), -1.0)
    with pytest.raises(ValueError, match=r"unknown parameters \['V'\]"):
        penalized.Penalized(optim.SGD(lr=0.1), 0.1, include=("V",)).init(PARAMS)
