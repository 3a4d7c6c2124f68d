"""Nonlinearities, numerically stable. (The full set with derivatives arrives with chapter 5.)

``softmax(z)_c = exp(z_c) / sum_k exp(z_k)`` overflows for scores near 1000 when computed
as written. Subtracting the row maximum first changes nothing mathematically (the factor
``exp(-max)`` cancels) but keeps every exponent <= 0, so nothing overflows.
"""

from __future__ import annotations

import numpy as np


def _as_float_array(name: str, z) -> np.ndarray:
    array = np.asarray(z)
    if array.dtype.kind not in "biuf" or array.ndim == 0:
        raise ValueError(
            f"{name} must be a numeric array with at least one axis, got dtype "
            f"{array.dtype} and shape {array.shape}"
        )
    return array.astype(np.float64, copy=False)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """``log softmax(z)`` along ``axis``: ``z - max - log(sum(exp(z - max)))``; same shape as z."""
    z = _as_float_array("z", z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis: int = -1) -> np.ndarray:
    """``exp(z_c) / sum_k exp(z_k)`` along ``axis``, computed as ``exp(log_softmax(z))``.

    Shape: same as ``z``; for a batch of scores ``S`` of shape (B, C), each row sums to 1.
    """
    return np.exp(log_softmax(z, axis=axis))


def sigmoid(z) -> np.ndarray:
    """Logistic ``1 / (1 + exp(-z))``, element-wise, without overflow for any float64 ``z``.

    Only ``exp(-|z|)`` is computed: for ``z >= 0`` we use ``1 / (1 + e)``, for ``z < 0`` the
    equal ``e / (1 + e)``, with ``e = exp(-|z|) <= 1``.
    """
    z = _as_float_array("z", np.atleast_1d(z)).reshape(np.shape(z))
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z) -> np.ndarray:
    """Derivative ``sigmoid(z) * (1 - sigmoid(z))``; same shape as ``z``."""
    s = sigmoid(z)
    return s * (1.0 - s)
