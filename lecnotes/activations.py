"""Nonlinearities and their derivatives: one consistent, vectorized, numerically stable API.

Every activation ``f`` has a derivative ``f_grad`` with the same arguments; both work
element-wise on float64 arrays (or scalars) and return arrays of the input's shape. The
definitions, defaults and conventions at kinks (where the derivative is not defined) and at
NaN are those of PyTorch's ``torch.nn`` modules of the same names:

============== ================================================ ===========================
activation     definition                                       derivative at kink; at NaN
============== ================================================ ===========================
sigmoid        1 / (1 + e^-z)                                   (smooth); NaN
tanh           (e^z - e^-z) / (e^z + e^-z) = 2 sigmoid(2z) - 1  (smooth); NaN
hard_tanh      clip(z, min_val, max_val)                        0 at min_val, max_val; 1
relu           max(z, 0)                                        0 at z = 0; 1
leaky_relu     z if z > 0 else negative_slope * z (0.01)        negative_slope at 0 and NaN
prelu          z if z > 0 else a * z (a learned)                a at z = 0 and at NaN
softplus       log(1 + e^(beta z)) / beta; z where beta z > 20  1 where beta z > 20; NaN
gelu           z Phi(z) = z/2 (1 + erf(z / sqrt 2)); or tanh    (smooth); NaN
               approximation z/2 (1 + tanh(sqrt(2/pi)(z + 0.044715 z^3)))
silu (swish)   z sigmoid(z)                                     (smooth); NaN
============== ================================================ ===========================

Every value at NaN is NaN; ReLU and hard tanh pass the gradient through there, because
PyTorch tests ``z <= 0`` (false at NaN) to block it, where leaky ReLU tests ``z > 0``.
Stability: only ``exp(-|z|)`` is ever computed, so nothing overflows at z = +-1000 (a
harmless underflow to 0 is allowed). ``softmax``, ``log_softmax``: see ``lecnotes.losses``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks
from lecnotes.losses import log_softmax as log_softmax  # re-exported: activations.softmax
from lecnotes.losses import softmax as softmax

_erf = np.vectorize(math.erf, otypes=[float])  # NumPy has no erf; math.erf is exact (C99)


# --- the logistic family -----------------------------------------------------------------


def sigmoid(z) -> np.ndarray:
    """Logistic ``sigma(z) = 1 / (1 + e^-z)``, from ``e = exp(-|z|)``: it never overflows.

    Args:
        z: pre-activations, an array of any shape or a scalar.

    Returns:
        An array of ``z``'s shape with entries in [0, 1]; a ``float`` for a Python float
        (computed with ``math``, 50x faster than NumPy's machinery on a single number).
    """
    if type(z) is float:
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    z = _checks.float_array("z", z)
    e = np.exp(-np.abs(z))
    top = np.where(z >= 0, 1.0, e)  # 1 / (1 + e) for z >= 0, e / (1 + e) below: one division
    return np.divide(top, 1.0 + e, out=top)


def sigmoid_grad(z) -> np.ndarray:
    """``sigma'(z) = sigma(z) (1 - sigma(z))``, at most 1/4 (at z = 0); same shape as ``z``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z) -> np.ndarray:
    """Hyperbolic tangent, range (-1, 1), equal to ``2 sigmoid(2z) - 1``; same shape as ``z``."""
    return np.tanh(_checks.float_array("z", z))


def tanh_grad(z) -> np.ndarray:
    """``tanh'(z) = 1 - tanh(z)^2``, at most 1 (at z = 0); same shape as ``z``."""
    return 1.0 - np.tanh(_checks.float_array("z", z)) ** 2


def _interval(min_val, max_val) -> tuple[float, float]:
    min_val = _checks.real("min_val", min_val)
    return min_val, _checks.real("max_val", max_val, low=min_val, low_open=True)


def hard_tanh(z, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """``clip(z, min_val, max_val)``: linear in between, flat outside (Collobert et al. 2011).

    Args:
        z: pre-activations, any shape.
        min_val, max_val: the flat levels, ``min_val < max_val`` (PyTorch's defaults -1, 1).

    Returns:
        An array of ``z``'s shape.
    """
    min_val, max_val = _interval(min_val, max_val)
    return np.clip(_checks.float_array("z", z), min_val, max_val)


def hard_tanh_grad(z, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Derivative of :func:`hard_tanh`: 0 where ``z <= min_val`` or ``z >= max_val`` (so at
    both kinks), else 1, also at NaN (PyTorch's convention).

    Args:
        z, min_val, max_val: as for :func:`hard_tanh` (``z`` of any shape).

    Returns:
        An array of ``z``'s shape with entries 0 or 1.
    """
    min_val, max_val = _interval(min_val, max_val)
    z = _checks.float_array("z", z)
    return (~((z <= min_val) | (z >= max_val))).astype(np.float64)


# --- rectifiers ----------------------------------------------------------------------------


def relu(z) -> np.ndarray:
    """``max(z, 0)``; same shape as ``z``."""
    return np.maximum(_checks.float_array("z", z), 0.0)


def relu_grad(z) -> np.ndarray:
    """0 where ``z <= 0`` (so at the kink), else 1, also at NaN (PyTorch's); shape of ``z``.

    The same function of the output ``relu(z)``, which is <= 0 exactly where ``z`` is.
    """
    return (~(_checks.float_array("z", z) <= 0)).astype(np.float64)  # not z > 0: NaN -> 1


def _slope(negative_slope) -> float:
    return _checks.real("negative_slope", negative_slope, low=0.0, high=1.0, high_open=True)


def leaky_relu(z, negative_slope: float = 0.01) -> np.ndarray:
    """``z`` for z > 0, ``negative_slope * z`` otherwise (Maas et al. 2013).

    Args:
        z: pre-activations, any shape.
        negative_slope: the slope on the negative side, in [0, 1) (PyTorch's default 0.01).

    Returns:
        An array of ``z``'s shape.
    """
    negative_slope = _slope(negative_slope)
    z = _checks.float_array("z", z)
    return np.where(z > 0, z, negative_slope * z)


def leaky_relu_grad(z, negative_slope: float = 0.01) -> np.ndarray:
    """Derivative of :func:`leaky_relu`: 1 for z > 0, else ``negative_slope`` (at 0 and NaN too).

    Args:
        z, negative_slope: as for :func:`leaky_relu` (``z`` of any shape).

    Returns:
        An array of ``z``'s shape.
    """
    negative_slope = _slope(negative_slope)
    return np.where(_checks.float_array("z", z) > 0, 1.0, negative_slope)


def prelu(z, a) -> np.ndarray:
    """Parametric ReLU (He et al. 2015): ``z`` for z > 0, ``a z`` otherwise; ``a`` is learned.

    Args:
        z: pre-activations, any shape.
        a: the slope, a scalar or an array broadcastable against ``z`` (one per channel).

    Returns:
        An array of the broadcast shape of ``z`` and ``a``.
    """
    z, a = _checks.float_array("z", z), _checks.float_array("a", a)
    return np.where(z > 0, z, a * z)


def prelu_grad(z, a) -> tuple[np.ndarray, np.ndarray]:
    """Both derivatives of :func:`prelu`: ``df/dz`` (1 or ``a``) and ``df/da = min(z, 0)``.

    Args:
        z: pre-activations, any shape.
        a: the slope, a scalar or an array broadcastable against ``z``.

    Returns:
        ``(dz, da)``, each of the broadcast shape of ``z`` and ``a`` (for a loss's gradient
        with respect to ``a``, multiply ``da`` by the upstream gradient, sum where broadcast).
    """
    z, a = _checks.float_array("z", z), _checks.float_array("a", a)
    dz = np.where(z > 0, 1.0, a * np.ones_like(z))
    da = np.broadcast_to(np.minimum(z, 0.0), np.broadcast_shapes(z.shape, a.shape)).copy()
    return dz, da


def _softplus_args(beta, threshold) -> tuple[float, float]:
    return _checks.positive_real("beta", beta), _checks.real("threshold", threshold)


def softplus(z, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """``log(1 + e^(beta z)) / beta``, a smooth ReLU; ``z`` itself where ``beta z > threshold``.

    Below the threshold it is computed as ``(max(t, 0) + log1p(exp(-|t|))) / beta``,
    ``t = beta z``, which cannot overflow. Above it PyTorch returns ``z``, and so does this.

    Args:
        z: pre-activations, any shape.
        beta: sharpness, > 0 (PyTorch's default 1).
        threshold: where the function switches to the identity (PyTorch's default 20).

    Returns:
        An array of ``z``'s shape.
    """
    beta, threshold = _softplus_args(beta, threshold)
    z = _checks.float_array("z", z)
    t = beta * z
    smooth = (np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))) / beta
    return np.where(t > threshold, z, smooth)


def softplus_grad(z, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivative of :func:`softplus`: ``sigmoid(beta z)``; exactly 1 where ``beta z > threshold``.

    Args:
        z, beta, threshold: as for :func:`softplus` (``z`` of any shape).

    Returns:
        An array of ``z``'s shape.
    """
    beta, threshold = _softplus_args(beta, threshold)
    t = beta * _checks.float_array("z", z)
    return np.where(t > threshold, 1.0, sigmoid(t))


# --- smooth modern activations ---------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


def gelu(z, approximate: str = "none") -> np.ndarray:
    """GELU (Hendrycks & Gimpel 2016): ``z Phi(z)``, Phi the standard normal CDF.

    Args:
        z: pre-activations, any shape.
        approximate: ``"none"`` for the exact ``Phi(z) = (1 + erf(z / sqrt 2)) / 2``, or
            ``"tanh"`` for ``(1 + tanh(sqrt(2/pi)(z + 0.044715 z^3))) / 2``.

    Returns:
        An array of ``z``'s shape.
    """
    z = _checks.float_array("z", z)
    if _checks.one_of("approximate", approximate, ("none", "tanh")) == "tanh":
        return 0.5 * z * (1.0 + np.tanh(_SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)))
    return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))


def gelu_grad(z, approximate: str = "none") -> np.ndarray:
    """Derivative of :func:`gelu`: ``Phi(z) + z phi(z)`` (exact), or that of the tanh form.

    Args:
        z, approximate: as for :func:`gelu` (``z`` of any shape).

    Returns:
        An array of ``z``'s shape.
    """
    z = _checks.float_array("z", z)
    if _checks.one_of("approximate", approximate, ("none", "tanh")) == "tanh":
        inner = _SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)
        t = np.tanh(inner)
        d_inner = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * z**2)
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * d_inner
    cdf = 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
    return cdf + z * pdf


def silu(z) -> np.ndarray:
    """SiLU, also called swish: ``z sigmoid(z)``; same shape as ``z``."""
    z = _checks.float_array("z", z)
    return z * sigmoid(z)


def silu_grad(z) -> np.ndarray:
    """``sigmoid(z) (1 + z (1 - sigmoid(z)))``; same shape as ``z``."""
    z = _checks.float_array("z", z)
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


# --- one table of them all -------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation ``f`` with its derivative ``grad``; ``kinks``: where the derivative jumps;
    ``grad_from_output``, where it exists: the derivative from ``h = f(z)`` (sigmoid
    ``h (1 - h)``, tanh ``1 - h^2``), so a backward pass that cached ``h`` needs no second ``f``
    (chapter 2, exercise 2)."""

    name: str
    f: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray]
    kinks: tuple[float, ...] = ()
    grad_from_output: Callable[[np.ndarray], np.ndarray] | None = None

    def local_grad(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        """``f'(z)``, from the output where ``grad_from_output`` exists (no second ``f``): the
        local derivative in the backward passes of ``window``, ``mlp`` and ``autograd``.

        Args:
            z: pre-activations, any shape; h: ``f(z)``, of the same shape.

        Returns:
            ``f'(z)``, an array of that shape.
        """
        return self.grad_from_output(h) if self.grad_from_output else self.grad(z)


ACTIVATIONS = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_grad, (), lambda h: h * (1.0 - h)),
        Activation("tanh", tanh, tanh_grad, (), lambda h: 1.0 - h * h),
        Activation("hard_tanh", hard_tanh, hard_tanh_grad, (-1.0, 1.0)),
        Activation("relu", relu, relu_grad, (0.0,), relu_grad),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, (0.0,)),
        Activation("softplus", softplus, softplus_grad),
        Activation("gelu", gelu, gelu_grad),
        Activation("silu", silu, silu_grad),
    ]
}


def get(name) -> Activation:
    """The :class:`Activation` called ``name``, a key of :data:`ACTIVATIONS` (PReLU is not one:
    its slope is learned; call :func:`prelu`); an :class:`Activation` passes through."""
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[_checks.one_of("activation", name, sorted(ACTIVATIONS))]


def leaky(negative_slope: float) -> Activation:
    """A leaky ReLU with its own slope, as an :class:`Activation` (e.g. for a slider); its
    derivative is the same function of the output (positive exactly where ``z`` is)."""
    slope = _slope(negative_slope)
    grad = functools.partial(leaky_relu_grad, negative_slope=slope)
    f = functools.partial(leaky_relu, negative_slope=slope)
    return Activation(f"leaky_relu({slope:g})", f, grad, (0.0,), grad)
