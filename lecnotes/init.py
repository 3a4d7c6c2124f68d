"""Weight initializers, with the definitions (fans, gains, bounds) of ``torch.nn.init``.

Weights have shape ``(fan_out, fan_in)`` -- one row per output unit -- so that ``W @ x``
works as in the lecture; for more than two dimensions (convolution kernels
``(out, in, k1, k2, ...)``) each fan is multiplied by the receptive field size ``k1 k2 ...``.
Every random initializer takes a ``np.random.Generator`` first (as JAX's initializers take
their key first), then the shape, and returns a float64 array.

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

from lecnotes import _checks

# The names torch.nn.init.calculate_gain accepts, and their gains (leaky_relu takes a slope).
_UNIT_GAIN = (
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid",
)  # fmt: skip
_GAINS = {"tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 3.0 / 4.0}


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape`` = (out, in, *receptive field).

    Each fan is multiplied by the receptive field size ``k1 k2 ...`` of a convolution kernel.

    Args:
        shape: the weight's shape, at least two dimensions (out, in).

    Returns:
        ``(fan_in, fan_out)``, two ints.
    """
    shape = _checks.shape("shape", shape, min_ndim=2)  # (out, in) at least
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain ``torch.nn.init.calculate_gain`` recommends for ``nonlinearity``.

    Args:
        nonlinearity: linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid (gain 1);
            tanh (5/3); relu (sqrt 2); leaky_relu (sqrt(2 / (1 + slope^2))); selu (3/4).
        param: the leaky ReLU's negative slope (default 0.01); ignored otherwise.

    Returns:
        The gain, a float.
    """
    options = (*_UNIT_GAIN, *_GAINS, "leaky_relu")
    nonlinearity = _checks.one_of("nonlinearity", nonlinearity, options)
    if nonlinearity in _UNIT_GAIN:
        return 1.0
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else _checks.real("param", param)
        return math.sqrt(2.0 / (1.0 + slope**2))
    return _GAINS[nonlinearity]


def uniform(rng: np.random.Generator, shape, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """Samples from U(a, b); the lecture's U(-r, r) is ``uniform(rng, shape, -r, r)``.

    Args:
        rng: the random generator; shape: the weight's shape.
        a, b: the interval's ends, ``a < b``.

    Returns:
        A float64 array of ``shape``.
    """
    a = _checks.real("a", a)
    b = _checks.real("b", b, low=a, low_open=True)
    return _checks.generator("rng", rng).uniform(a, b, size=_checks.shape("shape", shape))


def normal(rng: np.random.Generator, shape, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """Samples from N(mean, std^2).

    Args:
        rng: the random generator; shape: the weight's shape.
        mean: the mean; std: the standard deviation, > 0.

    Returns:
        A float64 array of ``shape``.
    """
    mean, std = _checks.real("mean", mean), _checks.positive_real("std", std)
    return _checks.generator("rng", rng).normal(mean, std, size=_checks.shape("shape", shape))


def zeros(shape) -> np.ndarray:
    """All zeros (the usual initialization of hidden-layer biases).

    Args:
        shape: the array's shape.

    Returns:
        A float64 array of zeros of that shape.
    """
    return np.zeros(_checks.shape("shape", shape))


def constant(shape, value: float) -> np.ndarray:
    """Every entry equal to ``value`` (a bad idea for weights: see chapter 6).

    Args:
        shape: the array's shape; value: a finite number.

    Returns:
        A float64 array of ``shape``.
    """
    return np.full(_checks.shape("shape", shape), _checks.real("value", value))


def xavier_std(shape, gain: float = 1.0) -> float:
    """Xavier's standard deviation ``gain sqrt(2 / (fan_in + fan_out))``.

    Args:
        shape: the weight's shape (out, in, ...); gain: a factor for the nonlinearity, > 0.

    Returns:
        The standard deviation; a uniform initializer's bound is ``sqrt(3)`` times it.
    """
    fan_in, fan_out = fans(shape)
    return _checks.positive_real("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))


def kaiming_std(shape, a: float = 0.0, mode: str = "fan_in", nonlinearity="leaky_relu") -> float:
    """He's standard deviation ``gain / sqrt(fan)``, ``gain = calculate_gain(nonlinearity, a)``.

    Args:
        shape: the weight's shape (out, in, ...).
        a: the negative slope of a leaky ReLU (used only by ``nonlinearity="leaky_relu"``).
        mode: ``"fan_in"`` (keeps the forward signal's variance) or ``"fan_out"`` (backward).
        nonlinearity: as in :func:`calculate_gain`; PyTorch's default is leaky_relu with
            ``a = 0``, whose gain is sqrt 2, the ReLU gain.

    Returns:
        The standard deviation, a float.
    """
    fan_in, fan_out = fans(shape)
    fan = fan_in if _checks.one_of("mode", mode, ("fan_in", "fan_out")) == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def xavier_uniform(rng: np.random.Generator, shape, gain: float = 1.0) -> np.ndarray:
    """U(-b, b) with ``b = sqrt(3) xavier_std = gain sqrt(6 / (fan_in + fan_out))``.

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).
        gain: a factor for the nonlinearity (see :func:`calculate_gain`), > 0.

    Returns:
        A float64 array of ``shape``.
    """
    bound = math.sqrt(3.0) * xavier_std(shape, gain)
    return _checks.generator("rng", rng).uniform(-bound, bound, size=_checks.shape("shape", shape))


def xavier_normal(rng: np.random.Generator, shape, gain: float = 1.0) -> np.ndarray:
    """N(0, std^2) with ``std = xavier_std = gain sqrt(2 / (fan_in + fan_out))``.

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).
        gain: a factor for the nonlinearity (see :func:`calculate_gain`), > 0.

    Returns:
        A float64 array of ``shape``.
    """
    std = xavier_std(shape, gain)
    return _checks.generator("rng", rng).normal(0.0, std, size=_checks.shape("shape", shape))


def kaiming_uniform(
    rng: np.random.Generator, shape, a: float = 0.0, mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:  # fmt: skip
    """He uniform: U(-b, b), ``b = sqrt(3) kaiming_std``; defaults as PyTorch (gain sqrt 2).

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).
        a, mode, nonlinearity: as for :func:`kaiming_std`.

    Returns:
        A float64 array of ``shape``.
    """
    bound = math.sqrt(3.0) * kaiming_std(shape, a, mode, nonlinearity)
    return _checks.generator("rng", rng).uniform(-bound, bound, size=_checks.shape("shape", shape))


def kaiming_normal(
    rng: np.random.Generator, shape, a: float = 0.0, mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:  # fmt: skip
    """He normal: N(0, std^2), ``std = kaiming_std``; defaults as PyTorch (gain sqrt 2).

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).
        a, mode, nonlinearity: as for :func:`kaiming_std`.

    Returns:
        A float64 array of ``shape``.
    """
    std = kaiming_std(shape, a, mode, nonlinearity)
    return _checks.generator("rng", rng).normal(0.0, std, size=_checks.shape("shape", shape))


def he_uniform(rng: np.random.Generator, shape) -> np.ndarray:
    """He initialization for ReLU layers, uniform form: variance ``2 / fan_in``.

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).

    Returns:
        A float64 array of ``shape``.
    """
    return kaiming_uniform(rng, shape, nonlinearity="relu")


def he_normal(rng: np.random.Generator, shape) -> np.ndarray:
    """He initialization for ReLU layers, normal form: variance ``2 / fan_in``.

    Args:
        rng: the random generator; shape: the weight's shape (out, in, ...).

    Returns:
        A float64 array of ``shape``.
    """
    return kaiming_normal(rng, shape, nonlinearity="relu")
