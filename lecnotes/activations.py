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
