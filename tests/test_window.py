"""window: the lecture's score and its hand-derived gradients; the batched classifier."""

import numpy as np
import pytest

from lecnotes import activations, data, gradcheck, groups, losses, optim, window
from lecnotes import autograd as ag

RNG = np.random.default_rng(0)
PARAMS = window.init_score(RNG, dim=4, window=5, hidden=3)
E = RNG.normal(size=(10, 4))
X = window.vector(E, np.array([3, 1, 4, 1, 5]))


def test_shapes_follow_the_shape_convention():
    _, cache = window.score(PARAMS, X)
    grads = window.score_backward(PARAMS, cache)
    assert grads["W"].shape == PARAMS["W"].shape == (3, 20)
    assert grads["b"].shape == grads["u"].shape == grads["delta"].shape == (3,)
    assert grads["x"].shape == X.shape == (20,)


@pytest.mark.parametrize("name", ["W", "b", "u"])
def test_parameter_gradients_match_centered_differences(name):
    _, cache = window.score(PARAMS, X)
    analytic = window.score_backward(PARAMS, cache)[name]

    def score(value):
        return window.score({**PARAMS, name: value}, X)[0]

    assert gradcheck.check(score, PARAMS[name].copy(), analytic).ok


def test_input_gradient_matches_and_is_W_transpose_delta():
    _, cache = window.score(PARAMS, X)
    grads = window.score_backward(PARAMS, cache)
    report = gradcheck.check(lambda v: window.score(PARAMS, v)[0], X.copy(), grads["x"])
    assert report.ok, report
    np.testing.assert_allclose(grads["W"], np.outer(grads["delta"], X))
    np.testing.assert_allclose(grads["x"], PARAMS["W"].T @ grads["delta"])


def test_bad_input_is_rejected():
    np.testing.assert_array_equal(X[4:8], E[1])
    with pytest.raises(ValueError, match=r"word_ids must lie in \[0, 10\)"):
        window.vector(E, np.array([0, 10]))
    with pytest.raises(ValueError, match=r"x has shape \(5,\), but a row of W has shape \(20,\)"):
        window.score(PARAMS, X[:5])
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        window.init_score(0, dim=4)


def batch(seed=0):
    rng = np.random.default_rng(seed)
    word_ids, labels = data.location_windows(rng, n_windows=6, vocab_size=8, n_locations=3)
    params = {"E": rng.normal(size=(8, 2)), "W": rng.normal(size=(3, 10)), "b": rng.normal(size=3),
              "U": rng.normal(size=(2, 3)), "c": rng.normal(size=2)}  # fmt: skip
    return params, word_ids, labels


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_classifier_gradients_match_centered_differences(activation):
    params, word_ids, labels = batch()
    value, cache = window.forward(params, word_ids, labels, activation)
    grads = window.backward(params, cache)
    assert value == pytest.approx(window.loss(params, word_ids, labels, activation))
    for name in params:

        def f(v, name=name):
            return window.loss({**params, name: v}, word_ids, labels, activation)

        assert gradcheck.check(f, params[name].copy(), grads[name]).ok, name


def test_classifier_by_hand_equals_autograd_with_repeated_words():
    params = window.init(np.random.default_rng(1), vocab=8, dim=3, hidden=4)
    word_ids = np.array([[0, 1, 1, 2, 0], [3, 3, 3, 3, 3], [6, 5, 4, 1, 0]])  # repeats
    labels = np.array([1, 0, 1])
    value, cache = window.forward(params, word_ids, labels)
    grads = window.backward(params, cache)
    t = {k: ag.Tensor(v) for k, v in params.items()}
    X = t["E"][word_ids].reshape(3, 15)
    loss = ag.cross_entropy((X @ t["W"].T + t["b"]).sigmoid() @ t["U"].T + t["c"], labels)
    loss.backward()
    assert value == pytest.approx(float(loss.data), rel=1e-12)
    for name in params:
        np.testing.assert_allclose(grads[name], t[name].grad, rtol=1e-10, atol=1e-14)
    assert grads["E"][3].any() and not grads["E"][7].any()  # word 7 never occurs


def test_predict_is_the_most_probable_class():
    params, word_ids, _ = batch(1)
    _, cache = window.forward(params, word_ids, np.zeros(6, dtype=int))
    np.testing.assert_array_equal(window.predict(params, word_ids), cache["log_p"].argmax(axis=1))


def test_forward_caches_the_one_cross_entropy_and_its_gradient():
    params, word_ids, labels = batch(3)
    value, cache = window.forward(params, word_ids, labels, "tanh")
    scores = cache["H"] @ params["U"].T + params["c"]
    expected = losses.cross_entropy(scores, labels)
    assert value == expected.loss
    np.testing.assert_array_equal(cache["delta"], expected.dscores)
    np.testing.assert_array_equal(cache["log_p"], expected.log_p)


@pytest.mark.parametrize("n_labels", [5, 7])
def test_a_label_count_other_than_the_batch_size_is_refused(n_labels):
    params, word_ids, _ = batch(4)
    with pytest.raises(
        ValueError, match=rf"labels has shape \({n_labels},\), but one label per row of scores"
    ):
        window.forward(params, word_ids, np.zeros(n_labels, dtype=int))


def test_windows_of_the_wrong_width_are_named():
    params, word_ids, labels = batch(5)  # W takes 5 words of 2 numbers
    message = r"word_ids must have 5 columns \(W takes 10 inputs, 2 per word\), got shape \(6, 4\)"
    for call in (
        lambda: window.forward(params, word_ids[:, :4], labels),
        lambda: window.loss(params, word_ids[:, :4], labels),
        lambda: window.predict(params, word_ids[:, :4]),
    ):
        with pytest.raises(ValueError, match=message):
            call()


def test_epochs_visit_every_window_once_in_a_fresh_order():
    rng = np.random.default_rng(0)
    first, second = window.epoch_batches(rng, 10, 4), window.epoch_batches(rng, 10, 4)
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(np.concatenate(first).tolist()) == list(range(10))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))


def test_training_learns_freezes_and_detects_divergence():
    word_ids, labels = data.location_windows(np.random.default_rng(1), n_windows=256)
    params = window.init(np.random.default_rng(2), vocab=60)
    good = window.train(
        np.random.default_rng(3), params, optim.Adam(lr=3e-2), word_ids, labels, 100
    )
    assert not good["diverged"] and good["losses"][-10:].mean() < 0.5 * good["losses"][0]
    assert good["epochs"] == pytest.approx(100 / 8)
    again = window.train(
        np.random.default_rng(3), params, optim.Adam(lr=3e-2), word_ids, labels, 100
    )
    np.testing.assert_array_equal(good["losses"], again["losses"])  # same seed, same batches
    fixed = window.train(
        np.random.default_rng(3), params, optim.SGD(lr=0.5), word_ids, labels, 20, frozen=("E",)
    )
    np.testing.assert_array_equal(fixed["params"]["E"], params["E"])
    assert not np.array_equal(fixed["params"]["W"], params["W"])
    bad = window.train(np.random.default_rng(3), params, optim.SGD(lr=1e4), word_ids, labels, 100)
    assert bad["diverged"] and len(bad["losses"]) < 100
    with pytest.raises(ValueError, match="frozen names unknown parameters"):
        window.train(np.random.default_rng(3), params, optim.SGD(lr=1.0), word_ids, labels, 5,
                     frozen=("V",))  # fmt: skip


def test_activation_may_be_a_name_or_an_activation():
    params, word_ids, labels = batch(2)
    by_name = window.loss(params, word_ids, labels, "relu")
    assert by_name == window.loss(params, word_ids, labels, activations.get("relu"))


def test_training_tracks_data_sets_after_every_epoch():
    word_ids, labels = data.location_windows(np.random.default_rng(1), n_windows=64)
    params = window.init(np.random.default_rng(2), vocab=60)
    held = data.location_windows(np.random.default_rng(9), n_windows=32)
    run = window.train(
        np.random.default_rng(3), params, optim.SGD(lr=1.0), word_ids, labels, 20,
        track={"train": (word_ids, labels), "held-out": held},
    )  # fmt: skip
    assert run["tracked_steps"].tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    assert run["tracked"]["train"][0] == pytest.approx(window.loss(params, word_ids, labels))
    assert run["tracked"]["held-out"][-1] == pytest.approx(window.loss(run["params"], *held))
    assert run["tracked"]["train"][-1] < run["tracked"]["train"][0]


def test_sparse_gradient_of_the_table_is_the_rows_of_the_batch():
    params, word_ids, labels = batch(3)
    _, cache = window.forward(params, word_ids, labels, "tanh")
    dense = window.backward(params, cache)
    sparse = window.backward(params, cache, sparse=True)
    assert isinstance(sparse["E"], optim.RowSparse)
    np.testing.assert_array_equal(sparse["E"].indices, word_ids.reshape(-1))  # one per word
    rows, summed = sparse["E"].coalesced(len(params["E"]))
    np.testing.assert_array_equal(rows, np.unique(word_ids))
    np.testing.assert_allclose(summed, dense["E"][rows], rtol=1e-13, atol=1e-16)
    assert not np.delete(dense["E"], rows, axis=0).any()  # every other row: zero
    for name in ["W", "b", "U", "c"]:
        np.testing.assert_array_equal(sparse[name], dense[name])


def test_training_with_sparse_table_gradients_feeds_sparse_adam():
    word_ids, labels = data.location_windows(np.random.default_rng(1), n_windows=64)
    params = window.init(np.random.default_rng(2), vocab=60)
    with pytest.raises(ValueError, match=r"grads\['E'\] is dense; SparseAdam takes RowSparse"):
        window.train(np.random.default_rng(3), params, optim.SparseAdam(), word_ids, labels, 2)

    def optimizers():
        return optim.SparseAdam(lr=0.05), optim.Adam(lr=0.05)

    table, rest = optimizers()
    opt = groups.ParamGroups({("E",): table, ("W", "b", "U", "c"): rest})
    run = window.train(np.random.default_rng(3), params, opt, word_ids, labels, 3, 4, sparse=True)
    # By hand: the same batches, E by SparseAdam on the rows of its words, the rest by Adam.
    table, rest = optimizers()
    shuffle, p, used = np.random.default_rng(3), params, []
    s_table, s_rest = table.init({"E": p["E"]}), rest.init(p)
    for rows in window.epoch_batches(shuffle, 64, 4)[:3]:
        _, cache = window.forward(p, word_ids[rows], labels[rows])
        g = window.backward(p, cache)
        occurring = np.unique(word_ids[rows])
        used.append(occurring)
        sparse_g = optim.RowSparse(occurring, g["E"][occurring])
        new_e, s_table = table.update({"E": p["E"]}, {"E": sparse_g}, s_table)
        p, s_rest = rest.update(p, {k: v for k, v in g.items() if k != "E"}, s_rest)
        p = {**p, "E": new_e["E"]}
    for name in params:
        np.testing.assert_allclose(run["params"][name], p[name], rtol=1e-12, atol=1e-15)
    never = np.setdiff1d(np.arange(60), np.concatenate(used))
    assert len(never) > 0
    np.testing.assert_array_equal(run["params"]["E"][never], params["E"][never])
