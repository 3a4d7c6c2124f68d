"""L2 regularization through any optimizer: add the penalty's gradient, then step (chapter 9).

The lecture's full loss is ``J(theta) + lam sum_k theta_k^2`` over the penalized parameters,
so every step adds ``2 lam theta`` to their gradients (``regularization.l2_grad``) before the
optimizer sees them. Wrapping the optimizer keeps any training loop unchanged::

    opt = penalized.Penalized(optim.Adam(lr=1e-2), lam=1e-3, include=("W", "U"))

PyTorch's ``weight_decay=wd`` adds ``wd theta`` instead, to every parameter of its group:
the same penalty is ``weight_decay = 2 lam`` on a group holding only the penalized weights.
"""

from __future__ import annotations

from collections.abc import Iterable

from lecnotes import _checks, regularization


class Penalized:
    """An optimizer that minimizes ``J + lam sum theta^2`` when given the gradients of ``J``.

    Args:
        opt: any ``lecnotes.optim`` optimizer (``init``/``update``).
        lam: the penalty's strength, >= 0.
        include: the names of the penalized parameters (default: see
            ``regularization.penalized``); parameters without a gradient (frozen) are skipped.
    """

    def __init__(self, opt, lam: float, include: Iterable[str] | None = None):
        self.opt = opt
        self.lam = _checks.nonnegative_real("lam", lam)
        self.include = None if include is None else tuple(include)

    def init(self, params: dict) -> dict:
        """The wrapped optimizer's state for ``params`` (name -> array); the penalty has none.

        Returns:
            ``opt.init(params)``, after checking that ``include`` names known parameters.
        """
        regularization.penalized(params, self.include)  # refuse unknown names early
        return self.opt.init(params)

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One step of the wrapped optimizer on ``grads[n] + 2 lam params[n]``.

        Args:
            params: name -> array; grads: name -> gradient of ``J`` (a subset of the names:
                parameters without one are left alone); state: from :meth:`init`.

        Returns:
            ``(params, state)`` after the step, as ``opt.update`` returns them.
        """
        if not self.lam:
            return self.opt.update(params, grads, state)
        extra = regularization.l2_grad(params, self.lam, self.include)
        return self.opt.update(params, {n: g + extra[n] for n, g in grads.items()}, state)
