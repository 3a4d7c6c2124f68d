"""dead_units: inactive ReLU units get no gradient and never move; leaky units do."""

import numpy as np
import pytest

from lecnotes import dead_units, init, mlp


def regression(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(256, 4))
    return X, np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2]


def test_inactive_relu_units_never_change_under_gradient_descent():
    X, y = regression()
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.3, steps=200)
    off = run["inactive"]
    assert off.shape == (201, 64) and off[-1].sum() > 0
    assert np.all(off[1:] >= off[:-1])  # once inactive on every input, inactive for good
    assert np.array_equal(off[-1], dead_units.inactive(run["params"], X))


def test_a_frozen_unit_has_exactly_zero_gradient():
    X, y = regression(2)
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.3, steps=200)
    dead = np.flatnonzero(run["inactive"][100])
    later = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.3, steps=100)
    W_mid, W_end = later["params"]["W1"], run["params"]["W1"]
    np.testing.assert_array_equal(W_mid[dead], W_end[dead])  # not one bit moved


def test_small_learning_rate_leaves_units_alive_and_the_loss_falls():
    X, y = regression()
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.03, steps=200)
    assert run["inactive"][-1].sum() == 0 and run["losses"][-1] < run["losses"][0]


def test_one_step_is_gradient_descent_on_half_the_mean_squared_error():
    X, y = regression(3)
    run = dead_units.train(np.random.default_rng(4), X, y, "tanh", hidden=5, lr=0.2, steps=1)
    start = mlp.layers(
        np.random.default_rng(4), [4, 5, 1],
        lambda r, shape: init.kaiming_normal(r, shape, nonlinearity="linear"),
    )  # fmt: skip
    h = np.tanh(X @ start["W1"].T + start["b1"])
    error = (h @ start["W2"][0] + start["b2"][0] - y) / len(y)
    assert run["losses"][0] == pytest.approx(0.5 * len(y) * error @ error, rel=1e-12)
    np.testing.assert_allclose(run["params"]["W2"], start["W2"] - 0.2 * (error @ h)[None, :])
    np.testing.assert_allclose(run["params"]["b2"], start["b2"] - 0.2 * error.sum())


def test_targets_must_match_the_inputs():
    X, y = regression()
    with pytest.raises(ValueError, match=r"y has shape \(255,\), but one target per row of X"):
        dead_units.train(np.random.default_rng(1), X, y[:-1])
    with pytest.raises(ValueError, match=r"lr must be a real number in \[0, inf\)"):
        dead_units.train(np.random.default_rng(1), X, y, lr=-0.1)
