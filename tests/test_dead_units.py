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


def test_train_is_descend_from_initial():
    X, y = regression(4)
    run = dead_units.train(np.random.default_rng(5), X, y, "relu", hidden=8, lr=0.3, steps=20)
    start = dead_units.initial(np.random.default_rng(5), 4, hidden=8)
    again = dead_units.descend(start, X, y, "relu", lr=0.3, steps=20)
    np.testing.assert_array_equal(run["losses"], again["losses"])
    assert set(start) == {"W1", "b1", "W2", "b2"} and start["W1"].shape == (8, 4)
    np.testing.assert_array_equal(start["b1"], 0.0)


def test_a_zero_dead_slope_is_plain_relu_and_a_leak_everywhere_is_leaky_relu():
    X, y = regression(5)
    start = dead_units.initial(np.random.default_rng(6), 4)
    relu = dead_units.descend(start, X, y, "relu", lr=0.3, steps=60)
    zero = dead_units.descend(start, X, y, "relu", lr=0.3, steps=60, dead_slope=0.0)
    np.testing.assert_array_equal(relu["losses"], zero["losses"])
    leaky = dead_units.descend(start, X, y, "leaky_relu", lr=0.3, steps=60)
    same = dead_units.descend(start, X, y, "leaky_relu", lr=0.3, steps=60, dead_slope=0.01)
    np.testing.assert_array_equal(leaky["losses"], same["losses"])


def test_a_leak_for_the_dead_units_alone_gives_them_a_gradient():
    X, y = regression(2)
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.3, steps=100)
    start, off = run["params"], run["inactive"][-1]
    assert off.sum() > 0
    step = dead_units.descend(start, X, y, "relu", lr=0.3, steps=1, dead_slope=0.1)["params"]
    plain = dead_units.descend(start, X, y, "relu", lr=0.3, steps=1)["params"]
    np.testing.assert_array_equal(plain["W1"][off], start["W1"][off])  # ReLU: frozen
    # By hand: dead units output 0.1 z and pass 0.1 of the gradient; the others are ReLUs.
    z = X @ start["W1"].T + start["b1"]
    h = np.where(off, 0.1 * z, np.maximum(z, 0.0))
    slope = np.where(off, 0.1, (z > 0).astype(float))
    error = (h @ start["W2"][0] + start["b2"][0] - y) / len(y)
    dz = error[:, None] * start["W2"][0] * slope
    np.testing.assert_allclose(step["W1"], start["W1"] - 0.3 * dz.T @ X, rtol=1e-12)
    assert np.all(np.any(step["W1"][off] != start["W1"][off], axis=1))  # every dead unit moves


def test_removing_dead_units_changes_no_prediction_and_fresh_units_change_none_yet():
    X, y = regression(2)
    run = dead_units.train(np.random.default_rng(1), X, y, "relu", lr=0.3, steps=100)
    params, off = run["params"], run["inactive"][-1]
    small = dead_units.remove(params, off)
    assert small["W1"].shape == (64 - off.sum(), 4) and small["W2"].shape == (1, 64 - off.sum())
    before = mlp.forward(params, X, "relu")[0]
    np.testing.assert_allclose(mlp.forward(small, X, "relu")[0], before, rtol=0, atol=1e-12)
    fresh = dead_units.reinitialize(np.random.default_rng(3), params, off)
    np.testing.assert_allclose(mlp.forward(fresh, X, "relu")[0], before, rtol=0, atol=1e-12)
    assert not dead_units.inactive(fresh, X)[off].all()  # new units, most of them alive
    np.testing.assert_array_equal(fresh["W1"][~off], params["W1"][~off])
    np.testing.assert_array_equal(fresh["W2"][0, off], 0.0)
    assert params["W2"][0, off].any()  # the input was not modified


def test_bad_units_and_slopes_are_refused():
    X, y = regression()
    params = dead_units.initial(np.random.default_rng(1), 4, hidden=3)
    with pytest.raises(ValueError, match=r"units must be a boolean array of shape \(3,\)"):
        dead_units.remove(params, [0, 1])
    with pytest.raises(ValueError, match=r"negative_slope must be a real number in \[0, 1\)"):
        dead_units.descend(params, X, y, dead_slope=1.5)
