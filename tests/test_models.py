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
