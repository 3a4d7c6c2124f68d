"""Dead ReLU units: a small regression network that records which hidden units are off.

A unit of the hidden layer is **inactive** when its pre-activation is <= 0 for every input
of the training set. For a ReLU, its output and its derivative are then 0 on every input,
so the gradient of the loss with respect to its incoming weights and bias is exactly 0:
gradient descent cannot move it, and it stays inactive -- it is dead. (Momentum or weight
decay could still move it; plain gradient descent, used here, cannot.) A leaky ReLU's
inactive unit still receives ``negative_slope`` times its gradient.

The network is ``lecnotes.mlp`` with one hidden layer and one output (parameters ``W1``,
``b1``, ``W2``, ``b2``), trained by full-batch gradient descent (``optim.SGD``) on half the
mean squared error, ``0.5 mean((prediction - y)^2)``.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, init, mlp, optim


def inactive(params: dict, X: np.ndarray) -> np.ndarray:
    """Which hidden units are off for every input: pre-activation <= 0 on every row of ``X``.

    Args:
        params: the network's parameters (``W1`` (hidden, d), ``b1`` (hidden,): the hidden
            layer); X: (n, d) inputs.

    Returns:
        A (hidden,) boolean array.
    """
    return np.all(X @ params["W1"].T + params["b1"] <= 0, axis=0)


def train(
    rng: np.random.Generator, X: np.ndarray, y: np.ndarray, activation="relu", hidden: int = 64,
    lr: float = 0.1, steps: int = 400,
) -> dict:  # fmt: skip
    """Full-batch gradient descent from weights ``N(0, 1 / fan_in)`` and zero biases.

    Args:
        rng: draws the initial weights.
        X: (n, d) inputs; y: (n,) targets.
        activation: the hidden nonlinearity (name or ``activations.Activation``).
        hidden: hidden units; lr: the learning rate, >= 0; steps: updates.

    Returns:
        ``{"params": W1, b1, W2, b2, "losses": (steps + 1,), "inactive": (steps + 1, hidden)
        bool}``: the loss and the inactive units before each update and after the last one.
    """
    X = _checks.float_array("X", X, ndim=2)
    y = _checks.float_array("y", y, ndim=1)
    _checks.same_shape("y", y, (len(X),), "one target per row of X")
    opt, steps = optim.SGD(lr=lr), _checks.integer("steps", steps, low=0)
    sizes = [X.shape[1], _checks.positive_int("hidden", hidden), 1]
    params = mlp.layers(
        rng, sizes, lambda r, shape: init.kaiming_normal(r, shape, nonlinearity="linear")
    )
    state, losses, off = opt.init(params), [], []
    for step in range(steps + 1):
        scores, cache = mlp.forward(params, X, activation)
        error = (scores[:, 0] - y) / len(y)  # d loss / d prediction
        losses.append(0.5 * len(y) * float(error @ error))
        off.append(inactive(params, X))
        if step == steps:
            break
        params, state = opt.update(params, mlp.backward(params, cache, error[:, None]), state)
    return {"params": params, "losses": np.array(losses), "inactive": np.array(off)}
