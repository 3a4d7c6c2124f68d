"""Optimizers with the update equations and defaults of PyTorch's ``torch.optim``.

Contract (pure and functional: inputs are never modified)::

    opt = optim.Adam(lr=1e-3)                    # hyperparameters only
    state = opt.init(params)                     # params: dict[str, np.ndarray]
    params, state = opt.update(params, grads, state)

``lr`` is a float or a schedule, a callable ``step -> rate`` (``lecnotes.schedules``)
evaluated at the number of updates already made (0 for the first), as a PyTorch scheduler
stepped after each optimizer step would give. A parameter missing from ``grads`` is left
unchanged, as PyTorch skips parameters whose ``.grad`` is None. Per-parameter step
counters (used for bias correction) advance only when the parameter is updated. Notation
below: ``g`` the gradient, ``theta`` the parameter, ``t`` its step count after this update,
``lr`` the rate.

A new optimizer subclasses :class:`Optimizer` and implements two hooks:
``init_state(theta) -> dict`` (its per-parameter state) and
``step(theta, grad, state, lr) -> (theta, state)`` (one update of one parameter, free to
modify ``state``, which is a private copy). ``check_grad`` may be overridden to accept
other gradient types (as :class:`SparseAdam` does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks


def _betas(betas) -> tuple[float, float]:
    beta1, beta2 = (
        _checks.real(f"betas[{k}]", beta, low=0.0, high=1.0, high_open=True)
        for k, beta in enumerate(_checks.sized("betas", betas, 2, 2))
    )
    return beta1, beta2


def _lr(lr) -> float | Callable[[int], float]:
    """A rate >= 0, or a schedule (any callable ``step -> rate``)."""
    return lr if callable(lr) else _checks.nonnegative_real("lr", lr)


def _with_decay(grad, theta: np.ndarray, weight_decay: float) -> np.ndarray:
    """``g + weight_decay theta``: L2 regularization through the gradient, as PyTorch adds it."""
    grad = np.asarray(grad, dtype=float)
    return grad + weight_decay * theta if weight_decay else grad


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


class Optimizer:
    """Shared machinery: the state layout, gradient checks, schedules and purity."""

    lr: float | Callable[[int], float]

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

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One optimizer step.

        Args:
            params: name -> array, the current parameters.
            grads: name -> gradient of the same shape (a subset of ``params``' names).
            state: the state from :meth:`init` or the previous ``update``.

        Returns:
            New ``(params, state)``; the inputs are left untouched.
        """
        _checks.known_names("grads", grads, params)
        lr = self.rate(state["step"])
        new_params, new_states = dict(params), dict(state["params"])
        for name, grad in grads.items():
            theta = np.asarray(params[name], dtype=float)
            self.check_grad(name, theta, grad)
            private = {
                k: (v.copy() if isinstance(v, np.ndarray) else v)
                for k, v in state["params"][name].items()
            }
            new_params[name], new_states[name] = self.step(theta, grad, private, lr)
        return new_params, {"step": state["step"] + 1, "params": new_states}

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
            theta: the parameter (float64 array); grad: its gradient.
            state: its private copy of the per-parameter state (may be modified).
            lr: this update's learning rate.

        Returns:
            The new ``(theta, state)``.
        """
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and L2 weight decay.

    ``g <- g + weight_decay theta``; with momentum: ``b <- g`` at the first step, then
    ``b <- momentum b + (1 - dampening) g``; ``g <- g + momentum b`` (Nesterov) or ``g <- b``;
    finally ``theta <- theta - lr g``.

    Args:
        lr: learning rate (>= 0) or schedule; default 1e-3, as in PyTorch since 2.2.
        momentum, dampening, weight_decay: >= 0, default 0.
        nesterov: Nesterov momentum (needs momentum > 0 and dampening 0).
        (Positional order as ``torch.optim.SGD``: lr, momentum, dampening, weight_decay, nesterov.)
    """

    def __init__(self, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        self.lr = _lr(lr)
        self.momentum = _checks.nonnegative_real("momentum", momentum)
        self.dampening = _checks.nonnegative_real("dampening", dampening)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def init_state(self, theta):
        return {"momentum_buffer": None}

    def step(self, theta, grad, state, lr):
        g = _with_decay(grad, theta, self.weight_decay)
        if self.momentum:
            buf = state["momentum_buffer"]
            buf = g.copy() if buf is None else self.momentum * buf + (1 - self.dampening) * g
            state["momentum_buffer"] = buf
            g = g + self.momentum * buf if self.nesterov else buf
        return theta - lr * g, state


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011): steps shrink with each parameter's accumulated squared gradient.

    ``t <- t + 1``; ``g <- g + weight_decay theta``; ``clr = lr / (1 + (t - 1) lr_decay)``;
    ``s <- s + g^2``; ``theta <- theta - clr g / (sqrt(s) + eps)``; ``s`` starts at
    ``initial_accumulator_value``. Defaults as PyTorch: lr 0.01, eps 1e-10, others 0.
    """

    def __init__(
        self, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10
    ):
        self.lr = _lr(lr)
        self.lr_decay = _checks.nonnegative_real("lr_decay", lr_decay)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.initial = _checks.nonnegative_real(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = _checks.positive_real("eps", eps)

    def init_state(self, theta):
        return {"step": 0, "sum": np.full_like(theta, self.initial)}

    def step(self, theta, grad, state, lr):
        state["step"] += 1
        g = _with_decay(grad, theta, self.weight_decay)
        clr = lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] = state["sum"] + g * g
        return theta - clr * g / (np.sqrt(state["sum"]) + self.eps), state


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012): divide by a running RMS of the gradient.

    ``g <- g + weight_decay theta``; ``v <- alpha v + (1 - alpha) g^2``; centered:
    ``m <- alpha m + (1 - alpha) g``, ``avg = sqrt(v - m^2) + eps``, else ``avg = sqrt(v) + eps``;
    with momentum ``b <- momentum b + g / avg``, ``theta <- theta - lr b``; without,
    ``theta <- theta - lr g / avg``. Defaults as PyTorch: lr 0.01, alpha 0.99, eps 1e-8.
    """

    def __init__(
        self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    ):
        self.lr = _lr(lr)
        self.alpha = _checks.real("alpha", alpha, low=0.0, high=1.0, high_open=True)
        self.eps = _checks.positive_real("eps", eps)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.momentum = _checks.nonnegative_real("momentum", momentum)
        self.centered = bool(centered)

    def init_state(self, theta):
        return {
            "step": 0,
            "square_avg": np.zeros_like(theta),
            "grad_avg": np.zeros_like(theta),
            "momentum_buffer": np.zeros_like(theta),
        }

    def step(self, theta, grad, state, lr):
        state["step"] += 1
        g = _with_decay(grad, theta, self.weight_decay)
        state["square_avg"] = self.alpha * state["square_avg"] + (1 - self.alpha) * g * g
        if self.centered:
            state["grad_avg"] = self.alpha * state["grad_avg"] + (1 - self.alpha) * g
            avg = np.sqrt(state["square_avg"] - state["grad_avg"] ** 2) + self.eps
        else:
            avg = np.sqrt(state["square_avg"]) + self.eps
        if self.momentum:
            state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg
            return theta - lr * state["momentum_buffer"], state
        return theta - lr * g / avg, state


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), with L2 ``weight_decay`` added to the gradient (not decoupled).

    ``t <- t + 1``; ``g <- g + weight_decay theta``; ``m <- beta1 m + (1 - beta1) g``;
    ``v <- beta2 v + (1 - beta2) g^2`` (amsgrad: ``vmax <- max(vmax, v)``, used instead of v);
    ``theta <- theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)``.
    Defaults as PyTorch: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.
    """

    decoupled = False

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        self.lr, self.betas = _lr(lr), _betas(betas)
        self.eps = _checks.positive_real("eps", eps)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)

    def init_state(self, theta):
        return {
            "step": 0,
            "exp_avg": np.zeros_like(theta),
            "exp_avg_sq": np.zeros_like(theta),
            "max_exp_avg_sq": np.zeros_like(theta),
        }

    def step(self, theta, grad, state, lr):
        beta1, beta2 = self.betas
        state["step"] += 1
        if self.decoupled:  # AdamW: decay the weights directly, then Adam on the plain gradient
            theta = theta * (1 - lr * self.weight_decay)
            g = np.asarray(grad, dtype=float)
        else:
            g = _with_decay(grad, theta, self.weight_decay)
        state["exp_avg"] = beta1 * state["exp_avg"] + (1 - beta1) * g
        state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        second = state["exp_avg_sq"]
        if self.amsgrad:
            second = np.maximum(state["max_exp_avg_sq"], state["exp_avg_sq"])
            state["max_exp_avg_sq"] = second
        bias1, bias2 = 1 - beta1 ** state["step"], 1 - beta2 ** state["step"]
        denom = np.sqrt(second) / math.sqrt(bias2) + self.eps
        return theta - (lr / bias1) * state["exp_avg"] / denom, state


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    ``theta <- theta (1 - lr weight_decay)`` first, then the Adam step with the plain
    gradient: ``m``, ``v`` and the bias-corrected update exactly as in :class:`Adam`.
    Defaults as PyTorch: as Adam, but weight_decay 0.01.
    """

    decoupled = True

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)


class SparseAdam(Optimizer):
    """Lazy Adam for row-sparse gradients (``torch.optim.SparseAdam``), e.g. embedding tables.

    Gradients are :class:`RowSparse`; duplicate rows are summed. Every update counts a step
    ``t`` for the table, even one whose gradient has no rows (as PyTorch does). Only the
    rows present are touched: for those ``m <- beta1 m + (1 - beta1) g``,
    ``v <- beta2 v + (1 - beta2) g^2`` and
    ``theta <- theta - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)``; other
    rows keep their parameters *and* their moments (no decay while absent). Note where
    ``eps`` sits: after ``sqrt(v)``, not after the bias-corrected ``sqrt(v / (1 - beta2^t))``
    as in :class:`Adam`; this is PyTorch's formula. Defaults as PyTorch (lr 1e-3).
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas = _lr(lr), _betas(betas)
        self.eps = _checks.positive_real("eps", eps)

    def init_state(self, theta):
        if theta.ndim < 1:
            raise ValueError("SparseAdam parameters must have at least one axis (rows)")
        return {"step": 0, "exp_avg": np.zeros_like(theta), "exp_avg_sq": np.zeros_like(theta)}

    def check_grad(self, name, theta, grad):
        if not isinstance(grad, RowSparse):
            raise ValueError(
                f"grads[{name!r}] is dense; SparseAdam takes RowSparse(indices, values) gradients "
                "(use Adam for dense ones)"
            )
        if np.shape(grad.values)[1:] != theta.shape[1:]:
            raise ValueError(
                f"grads[{name!r}] rows have shape {np.shape(grad.values)[1:]}, "
                f"the table's rows {theta.shape[1:]}"
            )

    def step(self, theta, grad, state, lr):
        rows, values = grad.coalesced(len(theta))
        beta1, beta2 = self.betas
        state["step"] += 1  # counted even when no row is present
        if len(rows) == 0:
            return theta, state
        m = beta1 * state["exp_avg"][rows] + (1 - beta1) * values
        v = beta2 * state["exp_avg_sq"][rows] + (1 - beta2) * values**2
        state["exp_avg"][rows], state["exp_avg_sq"][rows] = m, v
        step_size = lr * math.sqrt(1 - beta2 ** state["step"]) / (1 - beta1 ** state["step"])
        theta = theta.copy()
        theta[rows] -= step_size * m / (np.sqrt(v) + self.eps)
        return theta, state
