"""finetune and data.synonym_task: fixed vectors stay, fine-tuning moves only seen words."""

import numpy as np
import pytest

from lecnotes import data, finetune


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
        return finetune.train_word_classifier(
            np.random.default_rng(4), task.vectors, task.labels, task.train_ids,
            lr_vectors=lr_vectors, epochs=epochs,
        )  # fmt: skip

    fixed, tuned = train(0.0), train(0.5)
    np.testing.assert_array_equal(task.vectors, before)
    np.testing.assert_array_equal(fixed["E"], before)
    moved = np.abs(tuned["E"] - before).sum(axis=1) > 0
    assert set(np.flatnonzero(moved)) == set(task.train_ids)
    assert fixed["history"].shape == (6, len(task.words))
    with pytest.raises(ValueError, match=r"lr_vectors must be a real number in \[0, inf\)"):
        train(-1.0)


def test_training_fits_the_training_words():
    task = data.synonym_task(np.random.default_rng(5))
    run = finetune.train_word_classifier(
        np.random.default_rng(6), task.vectors, task.labels, task.train_ids, lr_vectors=0.0
    )
    final = run["history"][-1]
    np.testing.assert_array_equal(final[task.train_ids] > 0.5, task.labels[task.train_ids] == 1)


def test_one_word_one_epoch_is_one_sgd_step_by_hand():
    task = data.synonym_task(np.random.default_rng(7))
    word = task.train_ids[:1]
    run = finetune.train_word_classifier(
        np.random.default_rng(8), task.vectors, task.labels, word, lr=0.3, lr_vectors=0.7,
        epochs=1,
    )  # fmt: skip
    w = np.random.default_rng(8).normal(scale=1 / np.sqrt(8), size=8)  # the same first draw
    e = task.vectors[word[0]]
    error = 1 / (1 + np.exp(-(w @ e))) - task.labels[word[0]]
    np.testing.assert_allclose(run["w"], w - 0.3 * error * e, rtol=1e-12)
    assert run["c"] == pytest.approx(-0.3 * error, rel=1e-12)
    np.testing.assert_allclose(run["E"][word[0]], e - 0.7 * error * w, rtol=1e-12)
