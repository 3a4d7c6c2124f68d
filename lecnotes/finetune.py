"""Fixed or fine-tuned word vectors: the lecture's TV / telly / television warning (chapter 1).

A logistic regression on single words, ``p_i = sigmoid(w . e_i + c)`` with ``e_i`` the
vector of word ``i``, trained by SGD one word at a time. Backpropagation is written inline
in that loop: with ``error = p_i - y_i = dJ/d(score)`` for the cross-entropy ``J``,

    dJ/dw = error e_i,   dJ/dc = error,   dJ/de_i = error w.

Fine-tuning also moves the word's own vector, ``e_i <- e_i - lr_vectors error w``; with
``lr_vectors = 0`` the pre-trained vectors stay fixed.

The updates are plain SGD written in the loop too, not ``lecnotes.optim``: a run is 780
one-word steps, and ``optim.SGD`` (two of them, one rate for ``w`` and ``c``, one for ``E``)
doubled chapter 1's compute, 2.2 s to 4.6 s of CPU, for the same numbers.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations


def train_word_classifier(
    rng: np.random.Generator, E: np.ndarray, labels: np.ndarray, train_ids,
    lr: float = 0.5, lr_vectors: float = 0.5, epochs: int = 60,
) -> dict:  # fmt: skip
    """SGD over the training words in a fresh random order every epoch.

    Args:
        rng: draws ``w`` ~ N(0, 1/D) and shuffles each epoch.
        E: (V, D) pre-trained word vectors (not modified: training works on a copy).
        labels: (V,) classes in {0, 1}; train_ids: the words trained on.
        lr: the rate for ``w`` and ``c``, > 0; lr_vectors: the rate for the vectors, >= 0.
        epochs: passes over ``train_ids``.

    Returns:
        ``{"E": (V, D) final vectors, "w": (D,), "c": float, "history": (epochs + 1, V)}``,
        ``history[k]`` the probability of class 1 for every word after epoch ``k``.
    """
    rng = _checks.generator("rng", rng)
    lr, lr_vectors = (
        _checks.positive_real("lr", lr),
        _checks.nonnegative_real("lr_vectors", lr_vectors),
    )
    E = np.array(_checks.float_array("E", E, ndim=2))  # a copy
    train_ids = _checks.index_array("train_ids", train_ids, len(E), ndim=1)
    w = rng.normal(scale=1 / np.sqrt(E.shape[1]), size=E.shape[1])
    c = 0.0
    history = [activations.sigmoid(E @ w + c)]
    for _ in range(_checks.positive_int("epochs", epochs)):
        for i in rng.permutation(train_ids):
            error = activations.sigmoid(float(w @ E[i]) + c) - labels[i]
            grad_w, grad_e = error * E[i], error * w
            w -= lr * grad_w
            c -= lr * error
            E[i] -= lr_vectors * grad_e
        history.append(activations.sigmoid(E @ w + c))
    return {"E": E, "w": w, "c": c, "history": np.array(history)}
