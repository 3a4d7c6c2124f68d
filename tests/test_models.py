"""models and data: the window classifier's hand-derived gradients, and the synonym task."""

import numpy as np
import pytest

from lecnotes import data, gradcheck, models

RNG = np.random.default_rng(0)
PARAMS = models.init_window(RNG, dim=4, window=5, hidden=3)
E = RNG.normal(size=(10, 4))
X = models.window_vector(E, np.array([3, 1, 4, 1, 5]))


def test_shapes_follow_the_shape_convention():
    _, cache = models.window_score(PARAMS, X)
    grads = models.window_score_grads(PARAMS, cache)
    assert grads["W"].shape == PARAMS["W"].shape == (3, 20)
    assert grads["b"].shape == grads["u"].shape == grads["delta"].shape == (3,)
    assert grads["x"].shape == X.shape == (20,)


@pytest.mark.parametrize("name", ["W", "b", "u"])
def test_parameter_gradients_match_centered_differences(name):
    _, cache = models.window_score(PARAMS, X)
    analytic = models.window_score_grads(PARAMS, cache)[name]

    def score(value):
        return models.window_score({**PARAMS, name: value}, X)[0]

    assert gradcheck.check(score, PARAMS[name].copy(), analytic).ok


def test_input_gradient_matches_and_is_W_transpose_delta():
    _, cache = models.window_score(PARAMS, X)
    grads = models.window_score_grads(PARAMS, cache)
    report = gradcheck.check(lambda v: models.window_score(PARAMS, v)[0], X.copy(), grads["x"])
    assert report.ok, report
    np.testing.assert_allclose(grads["W"], np.outer(grads["delta"], X))
    np.testing.assert_allclose(grads["x"], PARAMS["W"].T @ grads["delta"])


def test_window_vector_concatenates_rows():
    np.testing.assert_array_equal(X[4:8], E[1])
    with pytest.raises(ValueError, match=r"word_ids must lie in \[0, 10\)"):
        models.window_vector(E, np.array([0, 10]))
    with pytest.raises(ValueError, match=r"x must have shape \(20,\)"):
        models.window_score(PARAMS, X[:5])
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        models.init_window(0, dim=4)


def test_synonym_task_holds_out_television():
    task = data.synonym_task(np.random.default_rng(3))
    tv, tele = task.index("TV"), task.index("television")
    assert tv in task.train_ids and tele in task.test_ids and tele not in task.train_ids
    assert task.labels[tv] == task.labels[tele] == 1
    assert task.vectors.shape == (len(task.words), 8)


def test_fixed_vectors_are_not_modified_and_fine_tuning_moves_only_training_words():
    task = data.synonym_task(np.random.default_rng(3))
    before = task.vectors.copy()

    def train(lr_vectors, epochs=5):
        return models.train_word_classifier(
            task.vectors, task.labels, task.train_ids, np.random.default_rng(4),
            lr_vectors=lr_vectors, epochs=epochs,
        )  # fmt: skip

    fixed, tuned = train(0.0), train(0.5)
    np.testing.assert_array_equal(task.vectors, before)
    np.testing.assert_array_equal(fixed["E"], before)
    moved = np.abs(tuned["E"] - before).sum(axis=1) > 0
    assert set(np.flatnonzero(moved)) == set(task.train_ids)
    assert fixed["history"].shape == (6, len(task.words))
    with pytest.raises(ValueError, match="lr_vectors >= 0"):
        train(-1.0)


def test_stack_gradient_norms_shrink_for_sigmoid_by_at_least_a_quarter_per_layer():
    from lecnotes import activations as act

    norms = models.stack_gradient_norms(
        act.sigmoid, act.sigmoid_grad, 12, 16, np.random.default_rng(0)
    )
    assert norms.shape == (13,) and norms[-1] == pytest.approx(np.sqrt(16 * 32))
    # Each layer multiplies by sigmoid' <= 1/4 and by W^T (norm ~ 1 for N(0, 1/width)).
    assert norms[0] < norms[-1] * 1e-4


def test_stack_gradient_norms_agree_with_autograd():
    from lecnotes import activations as act
    from lecnotes import autograd as ag

    norms = models.stack_gradient_norms(
        act.tanh, act.tanh_grad, 3, 5, np.random.default_rng(7), batch=4
    )
    rng = np.random.default_rng(7)
    h0 = ag.Tensor(rng.normal(size=(5, 4)))
    h = h0
    for W in [rng.normal(scale=1 / np.sqrt(5), size=(5, 5)) for _ in range(3)]:
        h = (ag.Tensor(W) @ h).tanh()
    h.sum().backward()
    assert norms[0] == pytest.approx(np.linalg.norm(h0.grad), rel=1e-12)


def test_dead_relu_units_receive_no_gradient_and_never_move():
    from lecnotes import activations as act

    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 4))
    y = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2]
    run = models.train_two_layer(act.relu, act.relu_grad, X, y, np.random.default_rng(1), lr=0.3)
    dead, idle_before = run["dead_mask"], run["idle_before"]
    assert idle_before.sum() > 0 and run["inactive"][-1] == dead.sum()
    assert np.all(dead[idle_before])  # once inactive on every input, always inactive
    assert np.all(run["last_moves"][idle_before] == 0.0)  # frozen: exactly no update
    assert np.all(np.diff(run["inactive"][-100:]) >= 0)  # a dead unit never comes back


def test_train_mlp_gradients_match_autograd_and_loss_decreases():
    from lecnotes import activations as act
    from lecnotes import autograd as ag
    from lecnotes import init

    rng = np.random.default_rng(0)
    X, y = data.spirals(rng, n_per_class=20)
    params = [(init.xavier_uniform((8, 2), rng), np.zeros(8)),
              (init.xavier_uniform((3, 8), rng), np.zeros(3))]  # fmt: skip
    one_step = models.train_mlp(params, X, y, act.tanh, act.tanh_grad, lr=1.0, steps=1)
    W1, b1, W2, b2 = (ag.Tensor(a) for pair in params for a in pair)
    loss = ag.cross_entropy((ag.Tensor(X) @ W1.T + b1).tanh() @ W2.T + b2, y)
    loss.backward()
    assert one_step["losses"][0] == pytest.approx(float(loss.data), rel=1e-12)
    np.testing.assert_allclose(one_step["params"][0][0], params[0][0] - W1.grad, rtol=1e-10)
    np.testing.assert_allclose(one_step["params"][1][1], params[1][1] - b2.grad, rtol=1e-10)
    longer = models.train_mlp(params, X, y, act.tanh, act.tanh_grad, lr=0.5, steps=100)
    assert longer["losses"][-1] < 0.8 * longer["losses"][0]


def test_spirals_and_layer_activations():
    X, y = data.spirals(np.random.default_rng(0), n_per_class=50, classes=3)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    hs = models.layer_activations([np.eye(2), 2 * np.eye(2)], lambda v: v, X)
    np.testing.assert_allclose(hs[1], 2 * X)


def test_train_mlp_with_l2_is_sgd_with_weight_decay_and_records_validation():
    from lecnotes import activations as act
    from lecnotes import init

    rng = np.random.default_rng(0)
    X, y = data.spirals(rng, n_per_class=10)
    params = [
        (init.he_normal((6, 2), rng), np.zeros(6)),
        (init.he_normal((3, 6), rng), np.zeros(3)),
    ]
    lr, lam = 0.3, 0.05
    plain = models.train_mlp(params, X, y, act.relu, act.relu_grad, lr=lr, steps=1)
    decayed = models.train_mlp(params, X, y, act.relu, act.relu_grad, lr=lr, steps=1, lam=lam)
    for (W0, _b0), (Wp, bp), (Wd, bd) in zip(
        params, plain["params"], decayed["params"], strict=True
    ):
        np.testing.assert_allclose(
            Wd, Wp - lr * 2 * lam * W0, rtol=1e-12
        )  # (1 - 2 lr lam) W - lr grad
        np.testing.assert_allclose(bd, bp, rtol=1e-12)  # biases are not decayed
    run = models.train_mlp(
        params, X, y, act.relu, act.relu_grad, steps=20, val=(X, y), record_every=5
    )
    assert run["val_steps"].tolist() == [0, 5, 10, 15, 20]
    np.testing.assert_allclose(run["val_losses"], run["losses"][::5], rtol=1e-12)
    assert models.mlp_loss(run["params"], act.relu, X, y) == pytest.approx(run["losses"][-1])
    assert models.mlp_predict(run["params"], act.relu, X).shape == y.shape
    with pytest.raises(ValueError, match="lam"):
        models.train_mlp(params, X, y, act.relu, act.relu_grad, lam=-1.0)


def test_window_classifier_loss_gradients_match_centered_differences():
    rng = np.random.default_rng(0)
    word_ids, labels = data.location_windows(rng, n_windows=6, vocab_size=8, n_locations=3)
    params = {"E": rng.normal(size=(8, 2)), "W": rng.normal(size=(3, 10)), "b": rng.normal(size=3),
              "U": rng.normal(size=(2, 3)), "c": rng.normal(size=2)}  # fmt: skip
    loss, grads = models.window_classifier_loss(params, word_ids, labels)
    for name in params:

        def f(v, name=name):
            return models.window_classifier_loss({**params, name: v}, word_ids, labels)[0]

        assert gradcheck.check(f, params[name].copy(), grads[name]).ok, name
    assert word_ids.shape == (6, 5) and set(np.unique(labels)) <= {0, 1}


def test_window_classifier_by_hand_equals_autograd_with_repeated_words():
    rng = np.random.default_rng(1)
    params = models.init_window_classifier(rng, vocab=8, dim=3, hidden=4)
    word_ids = np.array([[0, 1, 1, 2, 0], [3, 3, 3, 3, 3], [6, 5, 4, 1, 0]])  # repeats
    labels = np.array([1, 0, 1])
    loss, grads = models.window_classifier_loss_by_hand(params, word_ids, labels)
    reference, expected = models.window_classifier_loss(params, word_ids, labels)
    assert loss == pytest.approx(reference, rel=1e-12)
    for name in params:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-10, atol=1e-14)
    assert grads["E"][3].any() and not grads["E"][7].any()  # word 7 never occurs


def test_train_window_classifier_learns_and_detects_divergence():
    from lecnotes import optim

    word_ids, labels = data.location_windows(np.random.default_rng(1), n_windows=256)
    params = models.init_window_classifier(np.random.default_rng(2))
    good = models.train_window_classifier(params, optim.Adam(lr=3e-2), word_ids, labels, steps=100)
    assert not good["diverged"] and good["losses"][-10:].mean() < 0.5 * good["losses"][0]
    bad = models.train_window_classifier(params, optim.SGD(lr=1e4), word_ids, labels, steps=100)
    assert bad["diverged"] and len(bad["losses"]) < 100
