"""L2 regularization: the lecture's penalty ``lam sum_k theta_k^2``, its gradient ``2 lam theta``.

Parameters are a ``dict[str, ndarray]``. By convention the penalty applies to weights only:
biases are few, do not interact with the input's scale, and penalizing an output bias pulls
predictions towards equal class probabilities (chapter 3 shows it). The default ``include``
is therefore every parameter whose name does not start with ``b``.

Factor of 2: PyTorch's ``weight_decay`` is the coefficient ``wd`` that SGD and Adam add as
``wd theta`` to the gradient, so this penalty with strength ``lam`` is ``weight_decay = 2 lam``
(and ``weight_decay = wd`` is the penalty ``(wd / 2) sum theta^2``). AdamW uses its
``weight_decay`` differently: it decays the weights apart from the gradient.

:class:`WithL2` makes any ``lecnotes.optim`` optimizer step on the penalized loss, leaving the
training loop unchanged (chapters 3 and 9): it is ``opt.with_decay(WeightDecay(2 lam, names))``,
the coupled weight decay of ``lecnotes.optimizer`` on the penalized names::

    opt = regularization.WithL2(optim.Adam(lr=1e-2), lam=1e-3, include=("W", "U"))
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lecnotes import _checks, optimizer


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


class WithL2:
    """An optimizer that minimizes ``J + lam sum theta^2`` when given the gradients of ``J``.

    Args:
        opt: any ``lecnotes.optim`` optimizer (``init``/``update``/``with_decay``).
        lam: the penalty's strength, >= 0.
        include: the names of the penalized parameters (default: as :func:`penalized`);
            parameters without a gradient (frozen) are skipped.

    Example:
        >>> from lecnotes import optim
        >>> opt, params = WithL2(optim.SGD(lr=0.1), lam=0.5), {"W": np.ones(1), "b": np.ones(1)}
        >>> grads = {"W": np.zeros(1), "b": np.zeros(1)}
        >>> opt.update(params, grads, opt.init(params))[0]  # W: 1 - 0.1 * 2 * 0.5; b: no penalty
        {'W': array([0.9]), 'b': array([1.])}
    """

    def __init__(self, opt, lam: float, include: Iterable[str] | None = None):
        self.opt = opt
        self.lam = _checks.nonnegative_real("lam", lam)
        self.include = None if include is None else tuple(include)
        self._decayed = {}  # penalized names -> opt with their decay, made once per set

    def init(self, params: dict) -> dict:
        """The wrapped optimizer's state for ``params`` (name -> array); the penalty has none.

        Returns:
            ``opt.init(params)``, after checking that ``include`` names known parameters.
        """
        penalized(params, self.include)  # refuse unknown names early
        return self.opt.init(params)

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One step of the wrapped optimizer on ``grads[n] + 2 lam params[n]``.

        Args:
            params: name -> array; grads: name -> gradient of ``J`` (a subset of the names:
                parameters without one are left alone); state: from :meth:`init`.

        Returns:
            ``(params, state)`` after the step, as ``opt.update`` returns them (the penalty's
            gradient ``2 lam theta`` is added to the gradients before the optimizer's own
            weight decay, if it has one).
        """
        names = tuple(penalized(params, self.include))
        if names not in self._decayed:
            decay = optimizer.WeightDecay(2 * self.lam, include=names)
            self._decayed[names] = self.opt.with_decay(decay)
        return self._decayed[names].update(params, grads, state)
