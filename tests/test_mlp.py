"""mlp: forward/backward against autograd, training through optim.SGD, L2 as weight decay,
validation, and the errors a wrong input gets."""

import numpy as np
import pytest

from lecnotes import autograd as ag
from lecnotes import data, init, losses, mlp


def spiral_net(seed=0):
    rng = np.random.default_rng(seed)
    X, y = data.spirals(rng, n_per_class=20)
    return mlp.layers(rng, [2, 8, 3], init.xavier_uniform), X, y


def test_one_step_matches_autograd_and_training_lowers_the_loss():
    params, X, y = spiral_net()
    one_step = mlp.train(params, X, y, "tanh", lr=1.0, steps=1)
    t = {name: ag.Tensor(value) for name, value in params.items()}
    hidden = (ag.Tensor(X) @ t["W1"].T + t["b1"]).tanh()
    loss = ag.cross_entropy(hidden @ t["W2"].T + t["b2"], y)
    loss.backward()
    assert one_step["losses"][0] == pytest.approx(float(loss.data), rel=1e-12)
    for name, value in params.items():
        np.testing.assert_allclose(one_step["params"][name], value - t[name].grad, rtol=1e-10)
    longer = mlp.train(params, X, y, "tanh", lr=0.5, steps=100)
    assert longer["losses"][-1] < 0.8 * longer["losses"][0]


def test_training_leaves_its_start_untouched_and_returns_a_copy():
    params, X, y = spiral_net(4)
    before = {name: value.copy() for name, value in params.items()}
    unchanged = mlp.train(params, X, y, steps=0)["params"]
    mlp.train(params, X, y, steps=3)
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])
        assert not np.shares_memory(unchanged[name], params[name])


def test_layers_have_the_requested_shapes_and_names():
    params = mlp.layers(np.random.default_rng(0), [4, 6, 3], init.he_normal)
    assert list(params) == ["W1", "b1", "W2", "b2"]
    shapes = {name: value.shape for name, value in params.items()}
    assert shapes == {"W1": (6, 4), "b1": (6,), "W2": (3, 6), "b2": (3,)}
    assert not params["b1"].any() and not params["b2"].any()


def test_l2_is_weight_decay_for_gradient_descent_and_validation_is_recorded():
    params, X, y = spiral_net(1)
    lr, lam = 0.3, 0.05
    plain = mlp.train(params, X, y, lr=lr, steps=1)["params"]
    decayed = mlp.train(params, X, y, lr=lr, steps=1, lam=lam)["params"]
    for k in (1, 2):
        W0, Wp, Wd = params[f"W{k}"], plain[f"W{k}"], decayed[f"W{k}"]
        np.testing.assert_allclose(Wd, Wp - lr * 2 * lam * W0, rtol=1e-12)  # (1 - 2 lr lam) W
        np.testing.assert_array_equal(decayed[f"b{k}"], plain[f"b{k}"])  # biases: not decayed
    biased = {**params, "b2": params["b2"] + 1.0}  # a bias the penalty can pull
    free = mlp.train(biased, X, y, lr=lr, steps=1)["params"]
    every = mlp.train(biased, X, y, lr=lr, steps=1, lam=lam, include=list(params))["params"]
    np.testing.assert_allclose(every["b2"], free["b2"] - lr * 2 * lam * biased["b2"], rtol=1e-12)
    run = mlp.train(params, X, y, steps=20, val=(X, y), record_every=5)
    assert run["val_steps"].tolist() == [0, 5, 10, 15, 20]
    np.testing.assert_allclose(run["val_losses"], run["losses"][::5], rtol=1e-12)
    assert mlp.loss(run["params"], X, y) == pytest.approx(run["losses"][-1])
    assert mlp.predict(run["params"], X).shape == y.shape
    with pytest.raises(ValueError, match="lam must be a real number"):
        mlp.train(params, X, y, lam=-1.0)


def test_backward_takes_any_loss_gradient():
    params, X, _ = spiral_net(2)
    scores, cache = mlp.forward(params, X, "relu")
    target = np.random.default_rng(3).normal(size=scores.shape)
    grads = mlp.backward(params, cache, (scores - target) / len(X))  # half the mean squared error
    assert list(grads) == list(params)
    t = {name: ag.Tensor(value) for name, value in params.items()}
    out = (ag.Tensor(X) @ t["W1"].T + t["b1"]).relu() @ t["W2"].T + t["b2"]
    (((out - target) ** 2).sum() * (0.5 / len(X))).backward()
    for name in params:
        np.testing.assert_allclose(grads[name], t[name].grad, rtol=1e-10, atol=1e-14)


def test_a_deeper_network_backpropagates_through_every_layer():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 4, size=7)
    params = mlp.layers(rng, [3, 5, 4, 4], init.xavier_normal)
    scores, cache = mlp.forward(params, X, "sigmoid")
    grads = mlp.backward(params, cache, losses.cross_entropy(scores, y).dscores)
    t = {name: ag.Tensor(value) for name, value in params.items()}
    h = ag.Tensor(X)
    for k in (1, 2):
        h = (h @ t[f"W{k}"].T + t[f"b{k}"]).sigmoid()
    ag.cross_entropy(h @ t["W3"].T + t["b3"], y).backward()
    for name in params:
        np.testing.assert_allclose(grads[name], t[name].grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("n_labels", [3, 5])
def test_a_label_count_other_than_the_row_count_is_refused(n_labels):
    # PyTorch: "Expected input batch_size (4) to match target batch_size (3)". Without the
    # check, 3 labels gave the mean over 3 rows and a gradient to the unlabelled 4th row.
    params, X, labels = spiral_net(6)
    y = np.zeros(n_labels, dtype=int)
    message = rf"y has shape \({n_labels},\), but one label per row of scores has shape \(4,\)"
    for call in (
        lambda: mlp.train(params, X[:4], y, steps=1),
        lambda: mlp.loss(params, X[:4], y),
        lambda: mlp.train(params, X, labels, val=(X[:4], y)),
    ):
        with pytest.raises(ValueError, match=message):
            call()


def test_an_input_of_the_wrong_width_is_named():
    params, X, y = spiral_net(7)
    wide = np.ones((5, 3))
    message = r"X must have 2 columns \(W1 has shape \(8, 2\)\), got shape \(5, 3\)"
    for call in (
        lambda: mlp.forward(params, wide),
        lambda: mlp.predict(params, wide),
        lambda: mlp.train(params, wide, y[:5]),
    ):
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(ValueError, match=r"X must have 2 axes, got shape \(2,\)"):
        mlp.forward(params, X[0])


def test_parameters_must_be_named_layer_by_layer():
    params, X, _ = spiral_net(8)
    with pytest.raises(ValueError, match=r"exactly the names \['W1', 'W2', 'b1', 'b2'\]"):
        mlp.forward({**params, "c": np.zeros(3)}, X)
    with pytest.raises(ValueError, match=r"exactly the names \['W1', 'b1'\], got \['W1', 'b2'\]"):
        mlp.forward({"W1": params["W1"], "b2": params["b2"]}, X)


def test_early_stopping_keeps_the_first_check_with_the_lowest_validation_loss():
    # 45 noisy points and a wide net: the validation loss falls, then rises (chapter 3).
    X, y = data.spirals(np.random.default_rng(2), n_per_class=15, noise=0.8)
    X_val, y_val = data.spirals(np.random.default_rng(3), n_per_class=50, noise=0.8)
    params = mlp.layers(np.random.default_rng(4), [2, 32, 32, 3], init.he_normal)
    run = mlp.train(params, X, y, "tanh", lr=0.15, steps=600, val=(X_val, y_val), record_every=20)
    first_lowest = int(np.argmin(run["val_losses"]))  # argmin: the first of equal values
    assert 0 < first_lowest < len(run["val_losses"]) - 1  # an interior minimum: a real test
    assert run["best_step"] == run["val_steps"][first_lowest]
    assert mlp.loss(run["best_params"], X_val, y_val, "tanh") == run["val_losses"].min()
    again = mlp.train(params, X, y, "tanh", lr=0.15, steps=run["best_step"])["params"]
    for name in params:
        np.testing.assert_array_equal(run["best_params"][name], again[name])
    still = mlp.train(params, X, y, "tanh", lr=0.0, steps=10, val=(X_val, y_val), record_every=5)
    assert still["best_step"] == 0  # equal losses at every check: the first is kept


def test_stacked_runs_get_the_numbers_each_would_get_alone():
    rng = np.random.default_rng(9)
    sets = [data.spirals(np.random.default_rng(s), n_per_class=5, noise=0.3) for s in (1, 2)]
    starts = [mlp.layers(rng, [2, 6, 5, 3], init.xavier_normal) for _ in sets]
    stacked = {name: np.stack([s[name] for s in starts]) for name in starts[0]}
    val = data.spirals(rng, n_per_class=4)
    options = {"lr": 0.5, "steps": 30, "lam": 0.01, "val": val, "record_every": 4}
    per_run = np.stack([X for X, _ in sets]), np.stack([y for _, y in sets])
    for Xs, ys in (per_run, sets[0]):  # one training set per run; one shared by both
        together = mlp.train(stacked, Xs, ys, "tanh", **options)
        assert together["losses"].shape == (31, 2) and together["val_losses"].shape == (8, 2)
        for r, start in enumerate(starts):
            X, y = (Xs[r], ys[r]) if Xs.ndim == 3 else (Xs, ys)
            alone = mlp.train(start, X, y, "tanh", **options)
            for key in ("losses", "val_losses"):
                np.testing.assert_allclose(together[key][:, r], alone[key], rtol=1e-12)
            assert together["best_step"][r] == alone["best_step"]
            for key in ("params", "best_params"):
                for name in start:
                    np.testing.assert_allclose(
                        together[key][name][r], alone[key][name], rtol=1e-10, atol=1e-14
                    )
            one = {name: value[r] for name, value in together["params"].items()}
            predicted = mlp.predict(together["params"], val[0], "tanh")[r]
            np.testing.assert_array_equal(predicted, mlp.predict(one, val[0], "tanh"))


def test_stacked_inputs_of_the_wrong_shape_are_named():
    params, X, y = spiral_net(10)
    stacked = {name: np.stack([value, value]) for name, value in params.items()}
    message = r"X must have 2 columns \(W1 has shape \(2, 8, 2\)\), got shape \(2, 5, 3\)"
    with pytest.raises(ValueError, match=message):
        mlp.forward(stacked, np.ones((2, 5, 3)))
    with pytest.raises(ValueError, match=r"X must have 2 axes, got shape \(2, 4, 2\)"):
        mlp.forward(params, np.ones((2, 4, 2)))  # one set per run, but only one run
    with pytest.raises(ValueError, match=r"y must be a 2-D array of integers"):
        mlp.loss(stacked, X[:4], y[:3])  # 3 labels for 4 rows
