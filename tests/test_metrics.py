"""metrics: precision, recall, F1 and accuracy on hand-made cases; zero denominators."""

import numpy as np
import pytest

from lecnotes import metrics

LABELS = np.array([1, 1, 0, 0, 1, 0, 0, 0])
GUESSES = np.array([1, 0, 0, 1, 1, 0, 0, 0])  # tp 2, fn 1, fp 1, tn 4


def test_confusion_counts_by_hand():
    assert metrics.confusion(LABELS, GUESSES) == {"tp": 2, "fp": 1, "fn": 1, "tn": 4}
    assert metrics.confusion(LABELS, GUESSES, positive=0) == {"tp": 4, "fp": 1, "fn": 1, "tn": 2}


def test_scores_by_hand():
    assert metrics.precision(LABELS, GUESSES) == pytest.approx(2 / 3)
    assert metrics.recall(LABELS, GUESSES) == pytest.approx(2 / 3)
    assert metrics.f1(LABELS, GUESSES) == pytest.approx(2 / 3)
    assert metrics.accuracy(LABELS, GUESSES) == pytest.approx(6 / 8)
    # precision 1/2, recall 1/3: F1 = 2 * (1/6) / (5/6) = 0.4, the harmonic mean
    labels, guesses = np.array([1, 1, 1, 0, 0]), np.array([1, 0, 0, 1, 0])
    assert metrics.precision(labels, guesses) == pytest.approx(1 / 2)
    assert metrics.recall(labels, guesses) == pytest.approx(1 / 3)
    assert metrics.f1(labels, guesses) == pytest.approx(0.4)
    assert metrics.scores(labels, guesses) == pytest.approx(
        {"precision": 0.5, "recall": 1 / 3, "f1": 0.4, "accuracy": 0.4}
    )


def test_always_no_has_high_accuracy_and_zero_f1():
    labels = np.array([0] * 9 + [1])
    never = np.zeros(10, dtype=int)
    assert metrics.accuracy(labels, never) == pytest.approx(0.9)
    assert metrics.precision(labels, never) == 0.0  # nothing predicted positive
    assert metrics.recall(labels, never) == 0.0 and metrics.f1(labels, never) == 0.0


def test_perfect_predictions_and_no_positive_labels():
    assert metrics.scores(LABELS, LABELS) == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "accuracy": 1.0,
    }  # fmt: skip
    zeros = np.zeros(4, dtype=int)
    assert metrics.recall(zeros, zeros) == 0.0 and metrics.accuracy(zeros, zeros) == 1.0


@pytest.mark.parametrize(
    ("labels", "guesses", "message"),
    [
        (LABELS, GUESSES[:5], "predictions has shape"),
        (LABELS.astype(float), GUESSES, "labels must be a 1-D array of integers"),
        (LABELS.reshape(2, 4), GUESSES.reshape(2, 4), "labels must be a 1-D array"),
        ([1, 0], ["1", "0"], "predictions must be a 1-D array of integers"),
    ],
)
def test_bad_inputs_are_refused(labels, guesses, message):
    with pytest.raises(ValueError, match=message):
        metrics.f1(labels, guesses)
