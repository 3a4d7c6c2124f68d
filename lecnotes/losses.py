"""The softmax output layer and its loss: softmax, log-softmax and the cross-entropy.

For scores ``S`` of shape (n, C), one row per example, and the correct classes ``y`` (n,)::

    log_p = log_softmax(S) = S - m - log(sum_c exp(S_c - m))     m: each row's maximum
    J = mean_i -log_p[i, y_i]                                   the mean cross-entropy
    dJ/dS = (softmax(S) - onehot(y)) / n

The gradient is the lecture's tip for a softmax output taken to the end: every score gets
its class's probability, and the correct class's score gets 1 less. :func:`cross_entropy` is
the one place the package writes it: ``window``, ``mlp`` and ``autograd`` call it, and
``runs`` (many runs at once, a leading axis of runs: one loss per run) calls its unchecked
core, :func:`cross_entropy_unchecked`, on the batches its training loop builds. As
PyTorch's ``F.cross_entropy``, it refuses a number of labels that differs from the number of
rows (PyTorch raises ``ValueError: Expected input batch_size (4) to match target batch_size
(3)``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lecnotes import _checks


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """``log softmax(z) = z - m - log(sum(exp(z - m)))`` along ``axis``, ``m`` the maximum.

    Args:
        z: scores with at least one axis, e.g. (B, C) for a batch of B rows of C classes.
        axis: the axis of the classes.

    Returns:
        An array of ``z``'s shape; ``exp`` of it sums to 1 along ``axis``.
    """
    return _log_softmax(_checks.float_array("z", z, min_ndim=1), axis)


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    """:func:`log_softmax` of a float array already checked."""
    # Each row's maximum, taken with the classes as the first, slowest axis of a copy: NumPy
    # reduces a short last axis one row at a time, 4x slower for two classes. A maximum is
    # exact in any order, so the numbers are those of z.max(axis=axis).
    top = np.ascontiguousarray(z.swapaxes(0, axis)).max(axis=0, keepdims=True)
    shifted = z - top.swapaxes(0, axis)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis: int = -1) -> np.ndarray:
    """``softmax(z)_c = exp(z_c) / sum_k exp(z_k)`` along ``axis``, as ``exp(log_softmax(z))``.

    Subtracting the maximum first changes nothing mathematically (``exp(-max)`` cancels) but
    keeps every exponent <= 0.

    Args:
        z: scores with at least one axis, e.g. (B, C) for B rows of C classes.
        axis: the axis of the classes.

    Returns:
        An array of ``z``'s shape whose entries along ``axis`` are >= 0 and sum to 1.
    """
    return np.exp(log_softmax(z, axis=axis))


class CrossEntropy(NamedTuple):
    """What :func:`cross_entropy` returns; unpacks as ``loss, dscores, log_p``."""

    loss: float | np.ndarray  # J, the mean cross-entropy (one per leading index)
    dscores: np.ndarray  # (..., n, C): dJ/dS = (softmax(S) - onehot(y)) / n
    log_p: np.ndarray  # (..., n, C): log_softmax(S), which both were computed from


def cross_entropy(scores, labels, name: str = "labels") -> CrossEntropy:
    """The mean softmax cross-entropy of ``scores`` for ``labels``, and its gradient.

    Args:
        scores: (n, C) class scores, one row per example (raw: no softmax applied); or
            (..., n, C), a batch for each leading index (``lecnotes.runs``: one per run).
        labels: (n,) integer classes in [0, C), one per row of ``scores``; or (..., n).
        name: the caller's name for ``labels``, used in error messages.

    Returns:
        ``CrossEntropy(loss, dscores, log_p)``: ``loss`` the float ``mean_i -log_p[i, y_i]``
        (an array (...) of them with leading axes); ``dscores`` (..., n, C) its gradient with
        respect to ``scores``; ``log_p`` (..., n, C).

    Example:
        >>> loss, dscores, _ = cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
        >>> round(loss, 4), dscores.tolist()
        (0.6931, [[0.5, -0.5]])
    """
    scores = _checks.float_array("scores", scores, min_ndim=2)
    labels = _checks.index_array(name, labels, scores.shape[-1], ndim=scores.ndim - 1)
    _checks.same_shape(name, labels, scores.shape[:-1], "one label per row of scores")
    return cross_entropy_unchecked(scores, labels)


def cross_entropy_unchecked(scores: np.ndarray, labels: np.ndarray) -> CrossEntropy:
    """:func:`cross_entropy` of arrays the caller has checked, or made itself, checking nothing.

    For a training loop that calls it on every batch of arrays it built (``lecnotes.runs``);
    anything else calls :func:`cross_entropy`, which refuses bad input with a clear error.

    Args:
        scores: (..., n, C) float64 class scores.
        labels: (..., n) integer classes in [0, C), one per row of ``scores``.

    Returns:
        ``CrossEntropy(loss, dscores, log_p)``, as :func:`cross_entropy` returns.
    """
    log_p = _log_softmax(scores, -1)
    n, classes = labels.shape[-1], scores.shape[-1]
    # The flat position of each row's label entry, for 1-D indexing (NumPy's fastest kind).
    at_labels = np.arange(0, log_p.size, classes).reshape(labels.shape) + labels
    dscores = np.exp(log_p)
    dscores.reshape(-1)[at_labels] -= 1.0
    dscores /= n
    loss = -(np.take(log_p, at_labels).sum(axis=-1) / n)  # the mean over the rows
    return CrossEntropy(loss if loss.ndim else float(loss), dscores, log_p)
