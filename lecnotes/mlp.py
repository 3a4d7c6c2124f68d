"""A multilayer perceptron with backpropagation by hand, trained by full-batch gradient descent.

``params`` is a list of layers ``(W, b)``, ``W`` of shape (fan_out, fan_in) as in
``lecnotes.init``. For a batch ``X`` of shape (n, d), one example per row::

    h_0 = X,   z_k = h_k W_k^T + b_k,   h_{k+1} = f(z_k)   (hidden layers),
    scores = z_last                                        (n, C), no nonlinearity

One backprop convention, the lecture's gate API: :func:`forward` returns the scores and a
cache, :func:`backward` turns the gradient of a loss with respect to the scores into the
gradients of every layer (chapter 2)::

    dW_k = dz_k^T h_k,   db_k = sum_rows(dz_k),   dz_{k-1} = (dz_k W_k) * f'(z_{k-1})

The loss's own gradient is the caller's: ``(softmax - onehot) / n`` for the mean
cross-entropy (:func:`train`), ``(prediction - y) / n`` for half the mean squared error.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations, regularization


def layers(rng: np.random.Generator, sizes, initializer) -> list[tuple[np.ndarray, np.ndarray]]:
    """Fresh layers ``(W, b)`` for widths ``sizes`` = [d, hidden..., C].

    Args:
        rng: the random generator, passed to ``initializer``.
        sizes: the widths of the input, the hidden layers and the output.
        initializer: ``initializer(rng, (fan_out, fan_in)) -> W`` (e.g. ``init.he_normal``).

    Returns:
        A list of ``(W, b)`` with ``W`` (sizes[k+1], sizes[k]) and zero ``b`` (sizes[k+1],).
    """
    sizes = [_checks.positive_int("sizes[i]", n) for n in sizes]
    return [
        (initializer(rng, (n_out, n_in)), np.zeros(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def forward(params: list, X: np.ndarray, activation: str = "relu") -> tuple[np.ndarray, dict]:
    """Scores of every example.

    Args:
        params: layers ``(W, b)``; X: (n, d) inputs; activation: the hidden nonlinearity,
            a name in ``activations.ACTIVATIONS``.

    Returns:
        ``(scores, cache)``: scores (n, C); cache ``{"hs": inputs of every layer,
        "zs": pre-activations of every layer, "activation": name}``.
    """
    f = activations.get(activation).f
    hs, zs = [_checks.float_array("X", X, ndim=2)], []
    for k, (W, b) in enumerate(params):
        zs.append(hs[-1] @ W.T + b)
        if k < len(params) - 1:
            hs.append(f(zs[-1]))
    return zs[-1], {"hs": hs, "zs": zs, "activation": activation}


def backward(params: list, cache: dict, dscores: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Gradients of every layer from the gradient ``dscores`` of a loss at the scores.

    Args:
        params: the layers ``(W, b)`` that :func:`forward` used.
        cache: :func:`forward`'s cache.
        dscores: (n, C), the gradient of the loss with respect to the scores.

    Returns:
        A list of ``(dW, db)``, each of its parameter's shape.
    """
    act = activations.get(cache["activation"])
    delta, grads = dscores, []
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        grads.append((delta.T @ cache["hs"][k], delta.sum(axis=0)))
        if k > 0:  # f'(z) from the cached output h = f(z) where possible (no second f)
            local = (
                act.grad_from_output(cache["hs"][k]) if act.grad_from_output
                else act.grad(cache["zs"][k - 1])
            )  # fmt: skip
            delta = (delta @ W) * local
    return grads[::-1]


def cross_entropy(scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of ``scores`` for labels ``y``, and its gradient.

    Args:
        scores: (n, C) class scores; y: (n,) integer classes.

    Returns:
        ``(loss, dscores)``: the mean of ``-log softmax(scores)[i, y_i]``, and
        ``dscores = (softmax(scores) - onehot(y)) / n`` of shape (n, C).
    """
    y = _checks.index_array("y", y, scores.shape[1], ndim=1)
    log_p = activations.log_softmax(scores)
    rows = np.arange(len(y))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    return float(-log_p[rows, y].mean()), dscores / len(y)


def loss(params: list, X: np.ndarray, y: np.ndarray, activation: str = "relu") -> float:
    """Mean cross-entropy of the MLP on ``(X, y)``: ``params`` layers, ``X`` (n, d), ``y`` (n,)."""
    return cross_entropy(forward(params, X, activation)[0], y)[0]


def predict(params: list, X: np.ndarray, activation: str = "relu") -> np.ndarray:
    """Predicted class (n,) of every row of ``X`` (n, d), by the MLP with layers ``params``."""
    return np.argmax(forward(params, X, activation)[0], axis=1)


def train(
    params: list, X: np.ndarray, y: np.ndarray, activation: str = "relu", lr: float = 0.1,
    steps: int = 200, lam: float = 0.0, val=None, record_every: int = 10,
) -> dict:  # fmt: skip
    """Full-batch gradient descent on the mean cross-entropy (plus an optional L2 penalty).

    Args:
        params: the starting layers (not modified); X: (n, d); y: (n,) classes.
        activation: the hidden nonlinearity; lr: the learning rate; steps: updates.
        lam: L2 strength: the objective adds ``lam sum ||W||^2`` over the weights (not the
            biases), with gradient ``2 lam W`` (``lecnotes.regularization``).
        val: optional held-out ``(X_val, y_val)``, evaluated every ``record_every`` steps.

    Returns:
        ``{"losses": (steps + 1,) training cross-entropy without the penalty, "params"}``,
        plus ``"val_losses"`` and ``"val_steps"`` (the steps they were measured at) with
        ``val``.
    """
    lr, steps = _checks.nonnegative_real("lr", lr), _checks.integer("steps", steps, low=0)
    lam = _checks.nonnegative_real("lam", lam)
    record_every = _checks.positive_int("record_every", record_every)
    params = [(W.copy(), b.copy()) for W, b in params]
    losses, val_losses, val_steps = [], [], []
    for step in range(steps + 1):
        scores, cache = forward(params, X, activation)
        value, dscores = cross_entropy(scores, y)
        losses.append(value)
        if val is not None and step % record_every == 0:
            val_losses.append(loss(params, *val, activation))
            val_steps.append(step)
        if step == steps:
            break
        grads = backward(params, cache, dscores)
        if lam > 0:
            decay = regularization.l2_grad({f"W{k}": W for k, (W, _) in enumerate(params)}, lam)
            grads = [(dW + decay[f"W{k}"], db) for k, (dW, db) in enumerate(grads)]
        params = [
            (W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)
        ]
    result = {"losses": np.array(losses), "params": params}
    if val is not None:
        result |= {"val_losses": np.array(val_losses), "val_steps": np.array(val_steps)}
    return result
