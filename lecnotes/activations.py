"""Nonlinearities and their derivatives: one consistent, vectorized, numerically stable API.

Every activation ``f`` has a derivative ``f_grad`` with the same arguments; both work
element-wise on float64 arrays (or scalars) and return arrays of the input's shape. The
definitions are the standard ones (as in PyTorch's ``torch.nn`` modules of the same names),
and so are the conventions at kinks, where the derivative is not defined:

============== ================================================ =======================
activation     definition                                       derivative at the kink
============== ================================================ =======================
sigmoid        1 / (1 + e^-z)                                   (smooth)
tanh           (e^z - e^-z) / (e^z + e^-z) = 2 sigmoid(2z) - 1  (smooth)
hard_tanh      clip(z, min_val, max_val)                        0 at z = min_val, max_val
relu           max(z, 0)                                        0 at z = 0
leaky_relu     z if z > 0 else negative_slope * z (0.01)        negative_slope at z = 0
prelu          z if z > 0 else a * z (a learned)                a at z = 0
softplus       log(1 + e^z)                                     (smooth)
gelu           z Phi(z) = z/2 (1 + erf(z / sqrt 2)); or tanh    (smooth)
               approximation z/2 (1 + tanh(sqrt(2/pi)(z + 0.044715 z^3)))
silu (swish)   z sigmoid(z)                                     (smooth)
============== ================================================ =======================

Stability: only ``exp(-|z|)`` is ever computed, so nothing overflows at z = +-1000 (a
harmless underflow to 0 is allowed). ``softmax``/``log_softmax`` subtract the row maximum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lecnotes._checks import finite_real

_erf = np.vectorize(math.erf, otypes=[float])  # NumPy has no erf; math.erf is exact (C99)


def _float(name: str, z) -> np.ndarray:
    """``z`` as a float64 array (scalars allowed); non-numeric input raises ValueError."""
    array = np.asarray(z)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric (int or float), got dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def _as_float_array(name: str, z) -> np.ndarray:
    """Like :func:`_float`, but needs at least one axis (for reductions such as softmax)."""
    array = _float(name, z)
    if array.ndim == 0:
        raise ValueError(f"{name} must be a numeric array with at least one axis, got a scalar")
    return array


# --- the logistic family -----------------------------------------------------------------


def sigmoid(z) -> np.ndarray:
    """Logistic ``1 / (1 + exp(-z))``: for z >= 0 ``1/(1+e)``, else ``e/(1+e)``, e = exp(-|z|)."""
    z = _float("z", z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z) -> np.ndarray:
    """``sigmoid(z) (1 - sigmoid(z))``, at most 1/4 (at z = 0)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z) -> np.ndarray:
    """Hyperbolic tangent, range (-1, 1); equals ``2 sigmoid(2z) - 1``."""
    return np.tanh(_float("z", z))


def tanh_grad(z) -> np.ndarray:
    """``1 - tanh(z)^2``, at most 1 (at z = 0)."""
    return 1.0 - np.tanh(_float("z", z)) ** 2


def _check_interval(min_val: float, max_val: float) -> tuple[float, float]:
    min_val, max_val = finite_real("min_val", min_val), finite_real("max_val", max_val)
    if not min_val < max_val:
        raise ValueError(f"need min_val < max_val, got min_val={min_val}, max_val={max_val}")
    return min_val, max_val


def hard_tanh(z, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """``clip(z, min_val, max_val)``: linear in between, flat outside."""
    min_val, max_val = _check_interval(min_val, max_val)
    return np.clip(_float("z", z), min_val, max_val)


def hard_tanh_grad(z, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """1 strictly inside (min_val, max_val), 0 outside and at the two kinks."""
    min_val, max_val = _check_interval(min_val, max_val)
    z = _float("z", z)
    return ((z > min_val) & (z < max_val)).astype(np.float64)


# --- rectifiers ----------------------------------------------------------------------------


def relu(z) -> np.ndarray:
    """``max(z, 0)``."""
    return np.maximum(_float("z", z), 0.0)


def relu_grad(z) -> np.ndarray:
    """1 for z > 0, else 0 (0 at the kink z = 0)."""
    return (_float("z", z) > 0).astype(np.float64)


def _check_slope(negative_slope: float) -> float:
    negative_slope = finite_real("negative_slope", negative_slope)
    if not 0 <= negative_slope < 1:
        raise ValueError(
            f"negative_slope must be in [0, 1) for a leaky ReLU (a small leak), "
            f"got {negative_slope!r}"
        )
    return negative_slope


def leaky_relu(z, negative_slope: float = 0.01) -> np.ndarray:
    """``z`` for z > 0, ``negative_slope * z`` otherwise (Maas et al. 2013; default 0.01)."""
    negative_slope = _check_slope(negative_slope)
    z = _float("z", z)
    return np.where(z > 0, z, negative_slope * z)


def leaky_relu_grad(z, negative_slope: float = 0.01) -> np.ndarray:
    """1 for z > 0, ``negative_slope`` otherwise (including z = 0)."""
    negative_slope = _check_slope(negative_slope)
    return np.where(_float("z", z) > 0, 1.0, negative_slope)


def prelu(z, a) -> np.ndarray:
    """Parametric ReLU (He et al. 2015): ``z`` for z > 0, ``a z`` otherwise; ``a`` is learned.

    ``a`` is a scalar or an array broadcastable against ``z`` (e.g. one slope per channel).
    """
    z, a = _float("z", z), _float("a", a)
    return np.where(z > 0, z, a * z)


def prelu_grad(z, a) -> tuple[np.ndarray, np.ndarray]:
    """``(df/dz, df/da)``: df/dz is 1 for z > 0, else ``a``; df/da is ``min(z, 0)``.

    Both have the broadcast shape of ``z`` and ``a``; to get the gradient of a loss with
    respect to ``a``, multiply by the upstream gradient and sum over the broadcast axes.
    """
    z, a = _float("z", z), _float("a", a)
    dz = np.where(z > 0, 1.0, a * np.ones_like(z))
    da = np.broadcast_to(np.minimum(z, 0.0), np.broadcast_shapes(z.shape, a.shape)).copy()
    return dz, da


def softplus(z) -> np.ndarray:
    """``log(1 + e^z)``, a smooth ReLU, computed as ``max(z, 0) + log1p(exp(-|z|))``."""
    z = _float("z", z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_grad(z) -> np.ndarray:
    """``sigmoid(z)``."""
    return sigmoid(z)


# --- smooth modern activations ---------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


def _check_approximate(approximate: str) -> str:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def gelu(z, approximate: str = "none") -> np.ndarray:
    """GELU (Hendrycks & Gimpel 2016): ``z Phi(z)``, Phi the standard normal CDF.

    ``approximate="none"`` uses the exact ``Phi(z) = (1 + erf(z / sqrt 2)) / 2``;
    ``approximate="tanh"`` the approximation ``(1 + tanh(sqrt(2/pi)(z + 0.044715 z^3))) / 2``.
    """
    z = _float("z", z)
    if _check_approximate(approximate) == "tanh":
        return 0.5 * z * (1.0 + np.tanh(_SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)))
    return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))


def gelu_grad(z, approximate: str = "none") -> np.ndarray:
    """Derivative of :func:`gelu`: ``Phi(z) + z phi(z)`` (exact), or of the tanh form."""
    z = _float("z", z)
    if _check_approximate(approximate) == "tanh":
        inner = _SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)
        t = np.tanh(inner)
        d_inner = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * z**2)
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * d_inner
    cdf = 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
    return cdf + z * pdf


def silu(z) -> np.ndarray:
    """SiLU, also called swish: ``z sigmoid(z)``."""
    z = _float("z", z)
    return z * sigmoid(z)


def silu_grad(z) -> np.ndarray:
    """``sigmoid(z) (1 + z (1 - sigmoid(z)))``."""
    z = _float("z", z)
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


# --- one table of them all -------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation with its derivative; ``kinks`` lists where the derivative jumps."""

    name: str
    f: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray]
    kinks: tuple[float, ...] = ()


ACTIVATIONS = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_grad),
        Activation("tanh", tanh, tanh_grad),
        Activation("hard_tanh", hard_tanh, hard_tanh_grad, (-1.0, 1.0)),
        Activation("relu", relu, relu_grad, (0.0,)),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, (0.0,)),
        Activation("softplus", softplus, softplus_grad),
        Activation("gelu", gelu, gelu_grad),
        Activation("silu", silu, silu_grad),
    ]
}


def get(name: str) -> Activation:
    """The activation called ``name`` (see :data:`ACTIVATIONS`; PReLU takes a slope: call it)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]


# --- softmax ---------------------------------------------------------------------------------


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """``log softmax(z)`` along ``axis``: ``z - max - log(sum(exp(z - max)))``; same shape as z."""
    z = _as_float_array("z", z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis: int = -1) -> np.ndarray:
    """``exp(z_c) / sum_k exp(z_k)`` along ``axis``, computed as ``exp(log_softmax(z))``.

    Subtracting the maximum first changes nothing mathematically (``exp(-max)`` cancels) but
    keeps every exponent <= 0. For a batch of scores of shape (B, C), each row sums to 1.
    """
    return np.exp(log_softmax(z, axis=axis))
