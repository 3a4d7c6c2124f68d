"""Weight initializers, with the definitions (fans, gains, bounds) of ``torch.nn.init``.

Weights have shape ``(fan_out, fan_in)`` -- one row per output unit -- so that ``W @ x``
works as in the lecture; for more than two dimensions (convolution kernels
``(out, in, k1, k2, ...)``) each fan is multiplied by the receptive field size ``k1 k2 ...``.
Every function takes the shape and a ``np.random.Generator`` and returns a float64 array.

====================  =============================================================
initializer           distribution
====================  =============================================================
uniform(a, b)         U(a, b)
normal(mean, std)     N(mean, std^2)
xavier_uniform(gain)  U(-bound, bound), bound = gain sqrt(6 / (fan_in + fan_out))
xavier_normal(gain)   N(0, std^2), std = gain sqrt(2 / (fan_in + fan_out))
kaiming_uniform       U(-bound, bound), bound = gain sqrt(3 / fan), fan = fan_in or fan_out
kaiming_normal        N(0, std^2), std = gain / sqrt(fan)
====================  =============================================================

Both Xavier forms have variance ``gain^2 * 2 / (fan_in + fan_out)`` (Glorot & Bengio 2010);
both Kaiming (He) forms ``gain^2 / fan``, with ``gain = sqrt(2)`` for ReLU, i.e. ``2 / fan_in``
(He et al. 2015). ``calculate_gain`` gives PyTorch's recommended gains.
"""

from __future__ import annotations

import math

import numpy as np

from lecnotes._checks import finite_real, positive_real


def _shape(shape) -> tuple[int, ...]:
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    if not shape or any(
        isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1 for s in shape
    ):
        raise ValueError(f"shape must be a tuple of positive integers, got {shape!r}")
    return tuple(int(s) for s in shape)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy Generator (np.random.default_rng(seed)), got {rng!r}"
        )
    return rng


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape`` = (out, in, *receptive field)."""
    shape = _shape(shape)
    if len(shape) < 2:
        raise ValueError(
            f"fan in and fan out need a weight with at least 2 dimensions (out, in), got {shape}"
        )
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain ``torch.nn.init.calculate_gain`` recommends for ``nonlinearity``.

    linear / identity / sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu with slope ``param``
    (default 0.01): sqrt(2 / (1 + param^2)); selu: 3/4.
    """
    if nonlinearity in ("linear", "identity", "sigmoid") or nonlinearity.startswith("conv"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else finite_real("param", param)
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def uniform(shape, rng: np.random.Generator, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """Samples from U(a, b); the lecture's U(-r, r) is ``uniform(shape, rng, -r, r)``."""
    a, b = finite_real("a", a), finite_real("b", b)
    if not a < b:
        raise ValueError(f"need a < b for U(a, b), got a={a}, b={b}")
    return _check_rng(rng).uniform(a, b, size=_shape(shape))


def normal(shape, rng: np.random.Generator, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """Samples from N(mean, std^2)."""
    mean, std = finite_real("mean", mean), positive_real("std", std)
    return _check_rng(rng).normal(mean, std, size=_shape(shape))


def zeros(shape) -> np.ndarray:
    """All zeros (the usual initialization of hidden-layer biases)."""
    return np.zeros(_shape(shape))


def constant(shape, value: float) -> np.ndarray:
    """Every entry equal to ``value`` (a bad idea for weights: see chapter 6)."""
    return np.full(_shape(shape), finite_real("value", value))


def xavier_uniform(shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """U(-b, b) with ``b = gain sqrt(6 / (fan_in + fan_out))``, variance ``b^2 / 3``."""
    fan_in, fan_out = fans(shape)
    bound = positive_real("gain", gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return _check_rng(rng).uniform(-bound, bound, size=_shape(shape))


def xavier_normal(shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """N(0, std^2) with ``std = gain sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(shape)
    std = positive_real("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return _check_rng(rng).normal(0.0, std, size=_shape(shape))


def _kaiming_std(shape, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform(
    shape, rng: np.random.Generator, a: float = 0.0, mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:  # fmt: skip
    """He uniform: U(-b, b), ``b = gain sqrt(3 / fan)``; defaults as PyTorch (gain sqrt(2))."""
    bound = math.sqrt(3.0) * _kaiming_std(shape, a, mode, nonlinearity)
    return _check_rng(rng).uniform(-bound, bound, size=_shape(shape))


def kaiming_normal(
    shape, rng: np.random.Generator, a: float = 0.0, mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:  # fmt: skip
    """He normal: N(0, std^2), ``std = gain / sqrt(fan)``; defaults as PyTorch (gain sqrt(2))."""
    return _check_rng(rng).normal(
        0.0, _kaiming_std(shape, a, mode, nonlinearity), size=_shape(shape)
    )


def he_uniform(shape, rng: np.random.Generator) -> np.ndarray:
    """He initialization for ReLU layers, uniform form: variance ``2 / fan_in``."""
    return kaiming_uniform(shape, rng, nonlinearity="relu")


def he_normal(shape, rng: np.random.Generator) -> np.ndarray:
    """He initialization for ReLU layers, normal form: std ``sqrt(2 / fan_in)``."""
    return kaiming_normal(shape, rng, nonlinearity="relu")
