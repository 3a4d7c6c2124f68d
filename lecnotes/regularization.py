"""L2 regularization: the penalty ``lam * sum_k theta_k^2`` and its gradient ``2 lam theta``.

Parameters are a ``dict[str, ndarray]``. By convention the penalty applies to weights only:
biases are few, do not interact with the input's scale, and penalizing an output bias pulls
predictions towards equal class probabilities (chapter 3 shows it). The default ``include``
is therefore every parameter whose name does not start with ``b``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def check_lam(lam) -> float:
    """``lam`` as a float if it is a finite number >= 0, else a ValueError naming it."""
    if (
        isinstance(lam, bool)
        or not isinstance(lam, int | float | np.number)
        or not math.isfinite(lam)
        or lam < 0
    ):
        raise ValueError(
            f"lam (the regularization strength) must be a finite number >= 0, got {lam!r}"
        )
    return float(lam)


def penalized(params: dict, include: Iterable[str] | None = None) -> list[str]:
    """Names of the parameters the penalty applies to (default: all but names starting with 'b')."""
    names = [n for n in params if not n.startswith("b")] if include is None else list(include)
    unknown = [n for n in names if n not in params]
    if unknown:
        raise ValueError(f"include names unknown parameters {unknown}; known: {sorted(params)}")
    return names


def l2_penalty(params: dict, lam: float, include: Iterable[str] | None = None) -> float:
    """``lam * sum of squares`` of the included parameters."""
    lam = check_lam(lam)
    return lam * sum(float(np.sum(np.square(params[n]))) for n in penalized(params, include))


def l2_grad(params: dict, lam: float, include: Iterable[str] | None = None) -> dict:
    """Gradient of :func:`l2_penalty`: ``2 lam theta`` for included parameters, 0 for the others."""
    lam = check_lam(lam)
    names = set(penalized(params, include))
    return {n: 2.0 * lam * p if n in names else np.zeros_like(p) for n, p in params.items()}
