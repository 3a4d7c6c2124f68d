"""Fixed or fine-tuned word vectors: the lecture's TV / telly / television warning (chapter 1).

A logistic regression on single words, ``p_i = sigmoid(w . e_i + c)`` with ``e_i`` the
vector of word ``i``, trained by SGD one word at a time. Backpropagation is written inline
in that loop: with ``error = p_i - y_i = dJ/d(score)`` for the cross-entropy ``J``,

    dJ/dw = error e_i,   dJ/dc = error,   dJ/de_i = error w   (dJ/dE: 0 in the other rows).

Two ``optim.SGD`` optimizers take the steps: one with ``lr`` for ``w`` and ``c``, one with
``lr_vectors`` for the vectors ``E`` -- fine-tuning moves the word's own vector,
``e_i <- e_i - lr_vectors error w``; with ``lr_vectors = 0`` the pre-trained vectors stay
fixed.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations, optim


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
    head = optim.SGD(lr=_checks.positive_real("lr", lr))
    vectors = optim.SGD(lr=_checks.nonnegative_real("lr_vectors", lr_vectors))
    E = _checks.float_array("E", E, ndim=2)
    train_ids = _checks.index_array("train_ids", train_ids, len(E), ndim=1)
    w = rng.normal(scale=1 / np.sqrt(E.shape[1]), size=E.shape[1])
    params = {"w": w, "c": 0.0, "E": E}
    head_state, vector_state = head.init(params), vectors.init(params)
    history = [activations.sigmoid(E @ w + params["c"])]
    for _ in range(_checks.positive_int("epochs", epochs)):
        for i in rng.permutation(train_ids):
            w, c, E = params["w"], params["c"], params["E"]
            error = activations.sigmoid(float(w @ E[i]) + c) - labels[i]
            grad_E = np.zeros_like(E)
            grad_E[i] = error * w
            params, head_state = head.update(params, {"w": error * E[i], "c": error}, head_state)
            params, vector_state = vectors.update(params, {"E": grad_E}, vector_state)
        history.append(activations.sigmoid(params["E"] @ params["w"] + params["c"]))
    return {**params, "history": np.array(history)}
