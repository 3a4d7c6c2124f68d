"""Dead ReLU units: a small regression network that records which hidden units are off.

A unit of the hidden layer is **inactive** when its pre-activation is <= 0 for every input
of the training set. For a ReLU, its output and its derivative are then 0 on every input,
so the gradient of the loss with respect to its incoming weights and bias is exactly 0:
gradient descent cannot move it, and it stays inactive -- it is dead. (Momentum or weight
decay could still move it; plain gradient descent, used here, cannot.) A leaky ReLU's
inactive unit still receives ``negative_slope`` times its gradient.

The network is ``lecnotes.mlp`` with one hidden layer and one output (parameters ``W1``,
``b1``, ``W2``, ``b2``), trained by full-batch gradient descent (``optim.SGD``) on half the
mean squared error, ``0.5 mean((prediction - y)^2)``. Three controls come with it: a leaky
slope given only to the units that are inactive (``dead_slope``), the network without its
dead units (:func:`remove`), and the network with fresh units in their place
(:func:`reinitialize`).
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations, init, mlp, optim


def inactive(params: dict, X: np.ndarray) -> np.ndarray:
    """Which hidden units are off for every input: pre-activation <= 0 on every row of ``X``.

    Args:
        params: the network's parameters (``W1`` (hidden, d), ``b1`` (hidden,): the hidden
            layer); X: (n, d) inputs.

    Returns:
        A (hidden,) boolean array.
    """
    return np.all(X @ params["W1"].T + params["b1"] <= 0, axis=0)


def _linear(rng: np.random.Generator, shape) -> np.ndarray:
    """Weights ``N(0, 1 / fan_in)`` (PyTorch's ``kaiming_normal_`` for a linear layer)."""
    return init.kaiming_normal(rng, shape, nonlinearity="linear")


def initial(rng: np.random.Generator, d: int, hidden: int = 64) -> dict:
    """The starting network: weights ``N(0, 1 / fan_in)``, biases 0.

    Args:
        rng: draws the weights; d: the inputs' width; hidden: hidden units.

    Returns:
        ``{"W1": (hidden, d), "b1": (hidden,), "W2": (1, hidden), "b2": (1,)}``.
    """
    sizes = [_checks.positive_int("d", d), _checks.positive_int("hidden", hidden), 1]
    return mlp.layers(rng, sizes, _linear)


def remove(params: dict, units) -> dict:
    """The network without the hidden ``units``: what is left when they are cut out.

    Args:
        params: ``W1``, ``b1``, ``W2``, ``b2``; units: (hidden,) boolean, True to remove.

    Returns:
        The parameters of the smaller network (hidden - units.sum() units), new arrays.
    """
    keep = ~_checks.mask("units", units, len(params["b1"]), "one per hidden unit")
    return {
        "W1": params["W1"][keep],
        "b1": params["b1"][keep],
        "W2": params["W2"][:, keep],
        "b2": params["b2"].copy(),
    }


def reinitialize(rng: np.random.Generator, params: dict, units) -> dict:
    """The network with fresh hidden ``units``: new incoming weights ``N(0, 1 / d)``, bias 0,
    and outgoing weights 0, so that the network computes exactly what it computed before.

    Args:
        rng: draws the new weights; params: ``W1``, ``b1``, ``W2``, ``b2``;
        units: (hidden,) boolean, True for the units to start afresh.

    Returns:
        New parameters of the same shapes.
    """
    units = _checks.mask("units", units, len(params["b1"]), "one per hidden unit")
    fresh = _linear(_checks.generator("rng", rng), params["W1"].shape)
    return {
        "W1": np.where(units[:, None], fresh, params["W1"]),
        "b1": np.where(units, 0.0, params["b1"]),
        "W2": np.where(units[None, :], 0.0, params["W2"]),
        "b2": params["b2"].copy(),
    }


def _leaky_where_inactive(activation, off: np.ndarray, slope: float) -> activations.Activation:
    """``activation`` on the units that are active somewhere, a leaky ReLU on the others."""
    act, leaky = activations.get(activation), activations.leaky(slope)
    return activations.Activation(
        f"{act.name}, leaky({slope:g}) where inactive",
        lambda z: np.where(off, leaky.f(z), act.f(z)),
        lambda z: np.where(off, leaky.grad(z), act.grad(z)),
        tuple(sorted({*act.kinks, *leaky.kinks})),
    )


def descend(
    params: dict, X: np.ndarray, y: np.ndarray, activation="relu", lr: float = 0.1,
    steps: int = 400, dead_slope: float | None = None,
) -> dict:  # fmt: skip
    """Full-batch gradient descent from ``params`` on half the mean squared error.

    Args:
        params: ``W1``, ``b1``, ``W2``, ``b2`` to start from (not modified).
        X: (n, d) inputs; y: (n,) targets.
        activation: the hidden nonlinearity (name or ``activations.Activation``).
        lr: the learning rate, >= 0; steps: updates.
        dead_slope: None, or a slope in [0, 1): the units inactive on every input (found
            again before every update) then use a leaky ReLU of this slope instead of
            ``activation`` -- a leak for the dead units alone.

    Returns:
        ``{"params", "losses": (steps + 1,), "inactive": (steps + 1, hidden) bool}``: the
        loss and the inactive units before each update and after the last one.
    """
    X = _checks.float_array("X", X, ndim=2)
    y = _checks.float_array("y", y, ndim=1)
    _checks.same_shape("y", y, (len(X),), "one target per row of X")
    opt, steps = optim.SGD(lr=lr), _checks.integer("steps", steps, low=0)
    if dead_slope is not None:
        activations.leaky(dead_slope)  # checks the slope before any work
    state, losses, off = opt.init(params), [], []
    for step in range(steps + 1):
        act = activation
        if dead_slope is not None:
            act = _leaky_where_inactive(activation, inactive(params, X), dead_slope)
        scores, cache = mlp.forward(params, X, act)
        off.append(np.all(cache["zs"][0] <= 0, axis=0))  # inactive(params, X), computed once
        error = (scores[:, 0] - y) / len(y)  # d loss / d prediction
        losses.append(0.5 * len(y) * float(error @ error))
        if step == steps:
            break
        params, state = opt.update(params, mlp.backward(params, cache, error[:, None]), state)
    return {"params": params, "losses": np.array(losses), "inactive": np.array(off)}


def train(
    rng: np.random.Generator, X: np.ndarray, y: np.ndarray, activation="relu", hidden: int = 64,
    lr: float = 0.1, steps: int = 400, dead_slope: float | None = None,
) -> dict:  # fmt: skip
    """:func:`descend` from :func:`initial`: weights ``N(0, 1 / fan_in)``, biases 0.

    Args:
        rng: draws the initial weights.
        X: (n, d) inputs; y: (n,) targets; hidden: hidden units.
        activation, lr, steps, dead_slope: as for :func:`descend`.

    Returns:
        :func:`descend`'s dict: ``"params"``, ``"losses"`` (steps + 1,), ``"inactive"``
        (steps + 1, hidden).
    """
    X = _checks.float_array("X", X, ndim=2)
    return descend(initial(rng, X.shape[1], hidden), X, y, activation, lr, steps, dead_slope)
