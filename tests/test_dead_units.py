"""dead_units: inactive ReLU units get no gradient and never move; leaky units do."""

import numpy as np

from lecnotes import dead_units


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
    W_mid, W_end = later["params"][0][0], run["params"][0][0]
    np.testing.assert_array_equal(W_mid[dead], W_end[dead])  # not one bit moved


def test_small_learning_rate_leaves_units_alive_and_the_loss_falls():
    X, y = regression()
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.03, steps=200)
    assert run["inactive"][-1].sum() == 0 and run["losses"][-1] < run["losses"][0]
