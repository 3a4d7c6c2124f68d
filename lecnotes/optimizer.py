"""What every optimizer of ``lecnotes.optim`` shares: the contract, weight decay, gradients.

The contract (pure and functional: inputs are never modified)::

    state = opt.init(params)                          # params: dict[str, np.ndarray]
    params, state = opt.update(params, grads, state)  # grads: a subset of params' names

``lr`` is a float or a schedule, a callable ``step -> rate`` (``lecnotes.schedules``)
evaluated at the number of updates already made (0 for the first), as a PyTorch scheduler
stepped after each optimizer step would give. A parameter missing from ``grads`` is left
unchanged, as PyTorch skips parameters whose ``.grad`` is None; per-parameter step counters
(for bias correction) advance only when the parameter is updated.

Weight decay is one piece, :class:`WeightDecay`, applied before an optimizer's own step:
coupled (L2, added to the gradient; the ``weight_decay`` of PyTorch's SGD, Adagrad, RMSprop
and Adam) or decoupled (the weights shrink apart from the gradient; AdamW's). Every
optimizer holds its own in ``decays``, and :meth:`Optimizer.with_decay` adds another, e.g.
on some parameters only (PyTorch's parameter groups); ``regularization.WithL2`` is that.

This module is PyTorch's ``torch/optim/optimizer.py``: the optimizers themselves, which
subclass :class:`Optimizer`, are in ``lecnotes.optim`` (which re-exports these names).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks


@dataclass(frozen=True)
class RowSparse:
    """A gradient for some rows of a table: ``values[k]`` is the gradient of row ``indices[k]``.

    Shapes: ``indices`` (k,) integers, ``values`` (k, *row_shape). Repeated indices are
    summed, as PyTorch's ``coalesce()`` does before SparseAdam's update.
    """

    indices: np.ndarray
    values: np.ndarray

    def coalesced(self, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted unique row indices (u,) and the summed values of each (u, *row_shape)."""
        values = _checks.float_array("RowSparse values", self.values, min_ndim=1)
        indices = _checks.index_array("RowSparse indices", self.indices, n_rows, ndim=1)
        if len(indices) != len(values):
            raise ValueError(
                f"RowSparse needs one row of values per index, got {len(indices)} indices "
                f"and values of shape {values.shape}"
            )
        unique, inverse = np.unique(indices, return_inverse=True)
        summed = np.zeros((len(unique), *values.shape[1:]))
        np.add.at(summed, inverse, values)
        return unique, summed


class WeightDecay:
    """Weight decay with coefficient ``wd``, applied before an optimizer's step.

    Coupled (L2): ``g <- g + wd theta``, the gradient of the penalty ``(wd / 2) sum theta^2``.
    Decoupled: ``theta <- theta (1 - lr wd)``; the step then sees the plain gradient.

    Args:
        weight_decay: ``wd``, >= 0 (0: nothing happens).
        decoupled: decay the weights directly (AdamW) instead of adding to the gradient.
        include: the names of the decayed parameters; None: every parameter with a gradient.

    Example:
        >>> decay = WeightDecay(0.1, include=("w",))
        >>> decay.apply("w", np.array([2.0]), np.array([1.0]), lr=0.5)  # g + 0.1 theta
        (array([2.]), array([1.2]))
        >>> decay.apply("b", np.array([2.0]), np.array([1.0]), lr=0.5)  # not included
        (array([2.]), array([1.]))
    """

    def __init__(
        self, weight_decay: float, decoupled: bool = False, include: Iterable[str] | None = None
    ):
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.decoupled = bool(decoupled)
        self.include = None if include is None else frozenset(include)

    def check_names(self, params: dict) -> None:
        """Refuse ``include`` names that are not parameters of ``params``."""
        if self.include is not None and not params.keys() >= self.include:
            _checks.known_names("include", self.include, params)

    def apply(self, name: str, theta: np.ndarray, grad, lr) -> tuple[np.ndarray, object]:
        """The decay of parameter ``name`` for one update at rate ``lr``.

        Args:
            name: the parameter's name; theta: the parameter (float array); grad: its
                gradient (a dense array; coupled decay refuses ``RowSparse``).
            lr: this update's rate (the decoupled form uses it), a float or an array that
                broadcasts against ``theta`` (``lecnotes.runs``: one rate per run).

        Returns:
            ``(theta, grad)``: coupled, ``grad + wd theta``; decoupled, ``theta (1 - lr wd)``;
            both unchanged when ``name`` is not included or ``wd`` is 0.
        """
        if not self.weight_decay or (self.include is not None and name not in self.include):
            return theta, grad
        if self.decoupled:
            return theta * (1 - lr * self.weight_decay), grad
        if isinstance(grad, RowSparse):
            raise ValueError(f"grads[{name!r}] is row-sparse; weight decay needs dense gradients")
        return theta, grad + self.weight_decay * theta


class Optimizer:
    """Shared machinery: the state layout, gradient checks, schedules, decays and purity.

    A subclass implements two hooks: ``init_state(theta) -> dict`` (its per-parameter state)
    and ``step(theta, grad, state, lr) -> (theta, state)`` (one update of one parameter,
    free to modify ``state``, which is a private copy); it sets ``lr`` and may set
    ``decays``. ``check_grad`` may be overridden to accept other gradient types (as
    ``SparseAdam`` does for :class:`RowSparse`). :meth:`update_parameter` is one parameter's
    update, decays included, for callers that vectorize over runs (``lecnotes.runs``).
    """

    lr: float | Callable[[int], float]
    decays: tuple[WeightDecay, ...] = ()

    def init(self, params: dict) -> dict:
        """Fresh state for ``params`` (name -> array).

        Returns:
            ``{"step": 0, "params": {name: per-parameter state}}``; ``step`` counts updates.
        """
        return {
            "step": 0,
            "params": {n: self.init_state(np.asarray(p, dtype=float)) for n, p in params.items()},
        }

    def rate(self, step: int) -> float:
        """The learning rate of update number ``step`` (0-based): ``lr`` or ``lr(step)``."""
        lr = self.lr(step) if callable(self.lr) else self.lr
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(
                f"lr schedule gave {lr!r} at step {step}; a rate must be finite and >= 0"
            )
        return float(lr)

    def with_decay(self, decay: WeightDecay) -> Optimizer:
        """A copy of this optimizer that applies ``decay`` too, before its own decays."""
        twin = copy.copy(self)
        twin.decays = (decay, *self.decays)
        return twin

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One optimizer step: :meth:`update_parameter` for every parameter in ``grads``.

        Args:
            params: name -> array, the current parameters.
            grads: name -> gradient of the same shape (a subset of ``params``' names).
            state: the state from :meth:`init` or the previous ``update``.

        Returns:
            New ``(params, state)``; the inputs are left untouched.
        """
        if not params.keys() >= grads.keys():
            _checks.known_names("grads", grads, params)
        for decay in self.decays:
            decay.check_names(params)
        lr = self.rate(state["step"])
        params, states = dict(params), dict(state["params"])  # the caller's stay as they are
        for name, grad in grads.items():
            theta = np.asarray(params[name], dtype=float)
            self.check_grad(name, theta, grad)
            grad = grad if isinstance(grad, RowSparse) else np.asarray(grad, dtype=float)
            private = {
                k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in states[name].items()
            }
            params[name], states[name] = self.update_parameter(name, theta, grad, private, lr)
        return params, {"step": state["step"] + 1, "params": states}

    def update_parameter(self, name: str, theta: np.ndarray, grad, state: dict, lr):
        """One update of one parameter: the decays that include it, then :meth:`step`.

        Args:
            name: the parameter's name; theta: the parameter (float array); grad: its
                gradient; state: its per-parameter state (modified: pass a private copy).
            lr: the rate, a float, or an array that broadcasts against ``theta``
                (``lecnotes.runs`` updates many runs at once, one rate each).

        Returns:
            The new ``(theta, state)``.
        """
        for decay in self.decays:
            theta, grad = decay.apply(name, theta, grad, lr)
        return self.step(theta, grad, state, lr)

    def check_grad(self, name: str, theta: np.ndarray, grad) -> None:
        """Refuse a gradient this optimizer cannot use (here: anything but a dense array).

        Args:
            name: the parameter's name (for the message); theta: the parameter; grad: its gradient.
        """
        if isinstance(grad, RowSparse):
            raise ValueError(
                f"grads[{name!r}] is row-sparse; {type(self).__name__} takes dense gradients"
            )
        _checks.same_shape(f"grads[{name!r}]", grad, theta.shape, "the parameter")

    def init_state(self, theta: np.ndarray) -> dict:
        """Hook: the per-parameter state of a new parameter ``theta``."""
        raise NotImplementedError

    def step(self, theta: np.ndarray, grad, state: dict, lr: float) -> tuple[np.ndarray, dict]:
        """Hook: one update of one parameter.

        Args:
            theta: the parameter (float64 array, decayed if decoupled); grad: its gradient.
            state: its private copy of the per-parameter state (may be modified).
            lr: this update's learning rate.

        Returns:
            The new ``(theta, state)``.
        """
        raise NotImplementedError
