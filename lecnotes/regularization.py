"""L2 regularization: the lecture's penalty ``lam sum_k theta_k^2``, its gradient ``2 lam theta``.

Parameters are a ``dict[str, ndarray]``. By convention the penalty applies to weights only:
biases are few, do not interact with the input's scale, and penalizing an output bias pulls
predictions towards equal class probabilities (chapter 3 shows it). The default ``include``
is therefore every parameter whose name does not start with ``b``.

Factor of 2: PyTorch's ``weight_decay`` is the coefficient ``wd`` that SGD and Adam add as
``wd theta`` to the gradient, so this penalty with strength ``lam`` is ``weight_decay = 2 lam``
(and ``weight_decay = wd`` is the penalty ``(wd / 2) sum theta^2``). AdamW uses its
``weight_decay`` differently: it decays the weights apart from the gradient.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lecnotes import _checks


def penalized(params: dict, include: Iterable[str] | None = None) -> list[str]:
    """Names of the parameters the penalty applies to.

    Args:
        params: name -> array.
        include: the names to penalize; None means every name not starting with ``b``.

    Returns:
        A list of names, in ``params``' order when ``include`` is None.
    """
    if include is None:
        return [n for n in params if not n.startswith("b")]
    return _checks.known_names("include", include, params)


def l2_penalty(params: dict, lam: float, include: Iterable[str] | None = None) -> float:
    """``lam sum_k theta_k^2`` over the included parameters.

    Args:
        params: name -> array; lam: the strength, >= 0.
        include: the names to penalize (default: see :func:`penalized`).

    Returns:
        The penalty, a float.
    """
    lam = _checks.nonnegative_real("lam", lam)
    return lam * sum(float(np.sum(np.square(params[n]))) for n in penalized(params, include))


def l2_grad(params: dict, lam: float, include: Iterable[str] | None = None) -> dict:
    """Gradient of :func:`l2_penalty`.

    Args:
        params: name -> array; lam: the strength, >= 0; include: as for :func:`l2_penalty`.

    Returns:
        name -> ``2 lam theta`` for included parameters, zeros for the others (each of its
        parameter's shape).
    """
    lam = _checks.nonnegative_real("lam", lam)
    names = set(penalized(params, include))
    return {n: 2.0 * lam * p if n in names else np.zeros_like(p) for n, p in params.items()}
