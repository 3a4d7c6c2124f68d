"""Precision, recall and F1 of one class, and accuracy (chapter 9).

When one class is rare -- few words are locations -- accuracy flatters: a classifier that
always says "no" is right on every other word. Scores of the rare (positive) class say more.
With ``tp``, ``fp``, ``fn`` the true positives, false positives and false negatives::

    precision = tp / (tp + fp)     of the words called locations, the share that are
    recall    = tp / (tp + fn)     of the locations, the share that were found
    F1        = 2 P R / (P + R) = 2 tp / (2 tp + fp + fn)      their harmonic mean

A ratio whose denominator is 0 is reported as 0 (no positive predictions: precision 0;
``tp = 0``: F1 0), as scikit-learn does by default.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks


def confusion(labels, predictions, positive: int = 1) -> dict[str, int]:
    """Counts of the four outcomes for the class ``positive``.

    Args:
        labels, predictions: (N,) integer classes, the truth and the guesses.
        positive: the class scored.

    Returns:
        ``{"tp", "fp", "fn", "tn"}``, each an ``int``.
    """
    labels = np.asarray(labels)
    predictions = np.asarray(predictions)
    for name, array in (("labels", labels), ("predictions", predictions)):
        if array.ndim != 1 or array.dtype.kind not in "biu":
            raise ValueError(f"{name} must be a 1-D array of integers, got {array!r}")
    _checks.same_shape("predictions", predictions, labels.shape, "labels")
    positive = _checks.integer("positive", positive)
    truth, guess = labels == positive, predictions == positive
    return {
        "tp": int(np.sum(truth & guess)),
        "fp": int(np.sum(~truth & guess)),
        "fn": int(np.sum(truth & ~guess)),
        "tn": int(np.sum(~truth & ~guess)),
    }


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def scores(labels, predictions, positive: int = 1) -> dict[str, float]:
    """Precision, recall and F1 of the class ``positive``, and the accuracy.

    Args:
        labels, predictions: (N,) integer classes, the truth and the guesses.
        positive: the class scored.

    Returns:
        ``{"precision", "recall", "f1", "accuracy"}``: floats in [0, 1], each 0 when its
        denominator is 0.
    """
    c = confusion(labels, predictions, positive)
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "accuracy": _ratio(tp + c["tn"], sum(c.values())),
    }


def precision(labels, predictions, positive: int = 1) -> float:
    """``tp / (tp + fp)``: of the windows called ``positive``, the share that are.

    Args:
        labels, predictions, positive: as for :func:`scores`.

    Returns:
        A float in [0, 1]; 0 when nothing is called ``positive``.
    """
    return scores(labels, predictions, positive)["precision"]


def recall(labels, predictions, positive: int = 1) -> float:
    """``tp / (tp + fn)``: of the ``positive`` windows, the share found.

    Args:
        labels, predictions, positive: as for :func:`scores`.

    Returns:
        A float in [0, 1]; 0 when no label is ``positive``.
    """
    return scores(labels, predictions, positive)["recall"]


def f1(labels, predictions, positive: int = 1) -> float:
    """``2 tp / (2 tp + fp + fn)``, the harmonic mean of precision and recall.

    Args:
        labels, predictions, positive: as for :func:`scores`.

    Returns:
        A float in [0, 1]; 0 when ``tp`` is 0.
    """
    return scores(labels, predictions, positive)["f1"]


def accuracy(labels, predictions) -> float:
    """``(tp + tn) / N``: the share of predictions equal to the labels, every class counted.

    Args:
        labels, predictions: (N,) integer classes, the truth and the guesses.

    Returns:
        A float in [0, 1].
    """
    return scores(labels, predictions)["accuracy"]
