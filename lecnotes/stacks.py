"""What happens to signals and gradients through a deep stack of layers (chapters 5 and 6).

A stack without biases, one example per row of ``h``, weights ``W_l`` of shape
(fan_out, fan_in) as in ``lecnotes.init``::

    h_0 = X,   z_l = h_{l-1} W_l^T,   h_l = f(z_l),   l = 1 .. depth

Forward, :func:`forward_activations` keeps every layer's output. Backward, by hand, the
gradient ``g_l = dL/dh_l`` of ``L = sum(upstream * h_depth)`` follows the chain rule
``g_{l-1} = (g_l * f'(z_l)) W_l`` from ``g_depth = upstream`` (:func:`backward_gradients`);
:func:`random_stack` draws a square stack and its inputs, and :func:`gradient_norms`
reports ``|g_l|`` at every layer of one.
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


def backward_gradients(
    weights: list[np.ndarray], activation, X: np.ndarray, upstream=None
) -> list[np.ndarray]:
    """The gradient ``g_l = dL/dh_l`` at every layer of the stack, ``L = sum(upstream * h_depth)``.

    The chain rule, layer by layer from the top: ``g_{l-1} = (g_l * f'(z_l)) W_l``.

    Args:
        weights: the matrices ``W_1 .. W_depth``, each (fan_out, fan_in).
        activation: a name in ``activations.ACTIVATIONS`` or an ``Activation``.
        X: (n, d) inputs, ``h_0``.
        upstream: (n, fan_out of the last layer), the gradient arriving at the top; None
            for ones (``L = sum(h_depth)``).

    Returns:
        A list of ``depth + 1`` arrays: ``g_0`` (n, d), the gradient reaching the inputs,
        up to ``g_depth`` = ``upstream``.
    """
    act = activations.get(activation)
    h, zs = _checks.float_array("X", X, ndim=2), []
    for W in weights:
        zs.append(h @ W.T)
        h = act.f(zs[-1])
    g = np.ones_like(h) if upstream is None else _checks.float_array("upstream", upstream)
    _checks.same_shape("upstream", g, h.shape, "the last layer's output")
    grads = [g]
    for W, z in zip(reversed(weights), reversed(zs), strict=True):
        g = (g * act.grad(z)) @ W
        grads.append(g)
    return grads[::-1]


def random_stack(
    rng: np.random.Generator, depth: int, width: int, batch: int = 32, gain: float = 1.0
) -> tuple[list[np.ndarray], np.ndarray]:
    """A random square stack and a batch of inputs, both standard normal up to the weights' scale.

    Args:
        rng: draws the inputs, then the weights, layer by layer.
        depth: number of layers; width: units per layer; batch: examples.
        gain: the weights' standard deviation in units of ``1 / sqrt(width)``.

    Returns:
        ``(weights, X)``: ``depth`` matrices (width, width) with entries ``N(0, gain^2 /
        width)``, and ``X`` (batch, width) with entries ``N(0, 1)``.
    """
    rng = _checks.generator("rng", rng)
    depth, width = _checks.positive_int("depth", depth), _checks.positive_int("width", width)
    X = rng.normal(size=(width, _checks.positive_int("batch", batch))).T  # drawn a column each
    scale = _checks.positive_real("gain", gain) / np.sqrt(width)
    return [rng.normal(scale=scale, size=(width, width)) for _ in range(depth)], X


def gradient_norms(
    rng: np.random.Generator, activation, depth: int, width: int, batch: int = 32,
    gain: float = 1.0,
) -> np.ndarray:  # fmt: skip
    """``|dL/dh_l|`` at every layer of :func:`random_stack`, for ``L = sum(h_depth)``.

    Args:
        rng, depth, width, batch, gain: as for :func:`random_stack`.
        activation: a name in ``activations.ACTIVATIONS`` or an ``Activation``.

    Returns:
        ``depth + 1`` norms; entry 0 is the gradient reaching the input, the last is 1's norm.
    """
    weights, X = random_stack(rng, depth, width, batch, gain)
    return np.array([np.linalg.norm(g) for g in backward_gradients(weights, activation, X)])
