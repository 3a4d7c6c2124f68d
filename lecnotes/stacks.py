"""What happens to signals and gradients through a deep stack of layers (chapters 5 and 6).

A stack without biases, one example per column of ``h``::

    z_l = W_l h_l,   h_{l+1} = f(z_l),   l = 0 .. depth - 1

Forward, :func:`forward_activations` keeps every layer's output. Backward, by hand, the
gradient of ``L = sum(h_depth)`` with respect to each layer's input follows the chain rule
``g_l = W_l^T (g_{l+1} * f'(z_l))`` from ``g_depth = 1`` (:func:`gradient_norms`).
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations


def forward_activations(weights: list[np.ndarray], activation, X: np.ndarray) -> list[np.ndarray]:
    """Outputs ``h_l = f(h_{l-1} W_l^T)`` of every layer for a batch ``X`` (n, d), one row each.

    Args:
        weights: the matrices ``W_l``, each (fan_out, fan_in).
        activation: a name in ``activations.ACTIVATIONS`` or an ``Activation``.
        X: (n, d) inputs.

    Returns:
        A list of ``len(weights)`` arrays, layer ``l``'s of shape (n, fan_out of W_l).
    """
    f = activations.get(activation).f
    h, out = _checks.float_array("X", X, ndim=2), []
    for W in weights:
        h = f(h @ W.T)
        out.append(h)
    return out


def gradient_norms(
    rng: np.random.Generator, activation, depth: int, width: int, batch: int = 32,
    gain: float = 1.0,
) -> np.ndarray:  # fmt: skip
    """``|dL/dh_l|`` at every layer of a random stack, weights ``N(0, gain^2 / width)``.

    Args:
        rng: draws the inputs (width, batch) and then the weights.
        activation: a name in ``activations.ACTIVATIONS`` or an ``Activation``.
        depth: number of layers; width: units per layer; batch: examples.
        gain: the weights' standard deviation in units of ``1 / sqrt(width)``.

    Returns:
        ``depth + 1`` norms; entry 0 is the gradient reaching the input, the last is 1's norm.
    """
    rng, act = _checks.generator("rng", rng), activations.get(activation)
    depth, width = _checks.positive_int("depth", depth), _checks.positive_int("width", width)
    h = rng.normal(size=(width, _checks.positive_int("batch", batch)))
    scale = _checks.positive_real("gain", gain) / np.sqrt(width)
    layers = [rng.normal(scale=scale, size=(width, width)) for _ in range(depth)]
    pre_activations = []
    for W in layers:
        z = W @ h
        pre_activations.append(z)
        h = act.f(z)
    g = np.ones_like(h)
    norms = [np.linalg.norm(g)]
    for W, z in zip(reversed(layers), reversed(pre_activations), strict=True):
        g = W.T @ (g * act.grad(z))
        norms.append(np.linalg.norm(g))
    return np.array(norms[::-1])
