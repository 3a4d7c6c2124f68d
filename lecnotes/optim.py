"""Optimizers with the update equations and defaults of PyTorch's ``torch.optim``.

Contract (pure and functional: inputs are never modified)::

    opt = optim.Adam(lr=1e-3)                    # hyperparameters only
    state = opt.init(params)                     # params: dict[str, np.ndarray]
    params, state = opt.update(params, grads, state)

``lr`` is a float or a schedule, a callable ``step -> rate`` evaluated at the number of
updates already made (0 for the first), as a PyTorch scheduler stepped after each
optimizer step would give. A parameter missing from ``grads`` is left unchanged, as
PyTorch skips parameters whose ``.grad`` is None. Per-parameter step counters (used for
bias correction) advance only when the parameter is updated. Notation below: ``g`` the
gradient, ``theta`` the parameter, ``t`` its step count after this update, ``lr`` the rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Schedule = Callable[[int], float]


def _nonneg(name: str, value) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.number)
        or not math.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return float(value)


def _positive(name: str, value) -> float:
    value = _nonneg(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def _betas(betas) -> tuple[float, float]:
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    for k, beta in enumerate(betas):
        if not 0.0 <= _nonneg(f"betas[{k}]", beta) < 1.0:
            raise ValueError(f"betas[{k}] must be in [0, 1), got {beta!r}")
    return float(betas[0]), float(betas[1])


def _lr(lr) -> float | Schedule:
    return lr if callable(lr) else _nonneg("lr", lr)


@dataclass(frozen=True)
class RowSparse:
    """A gradient for some rows of a 2-D (or higher) table: ``values[k]`` is row ``indices[k]``.

    Shapes: ``indices`` (k,) integers, ``values`` (k, *row_shape). Repeated indices are
    summed, as PyTorch's ``coalesce()`` does before SparseAdam's update.
    """

    indices: np.ndarray
    values: np.ndarray

    def coalesced(self, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted unique row indices and the summed values of each."""
        indices = np.asarray(self.indices)
        values = np.asarray(self.values, dtype=np.float64)
        if indices.ndim != 1 or indices.dtype.kind not in "iu" or len(indices) != len(values):
            raise ValueError(
                f"RowSparse needs 1-D integer indices with one row of values each, got indices "
                f"{indices.shape} {indices.dtype} and values {values.shape}"
            )
        if len(indices) and (indices.min() < 0 or indices.max() >= n_rows):
            raise ValueError(f"RowSparse indices must lie in [0, {n_rows}), got {indices.tolist()}")
        unique, inverse = np.unique(indices, return_inverse=True)
        summed = np.zeros((len(unique), *values.shape[1:]))
        np.add.at(summed, inverse, values)
        return unique, summed


class Optimizer:
    """Shared machinery: state layout, argument checks, schedules, purity."""

    def init(self, params: dict) -> dict:
        """Fresh state: ``{"step": 0, "params": {name: per-parameter state}}``."""
        return {
            "step": 0,
            "params": {n: self._init_param(np.asarray(p, dtype=float)) for n, p in params.items()},
        }

    def rate(self, step: int) -> float:
        """The learning rate used for update number ``step`` (0-based)."""
        lr = self.lr(step) if callable(self.lr) else self.lr
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(
                f"lr schedule gave {lr!r} at step {step}; a rate must be finite and >= 0"
            )
        return float(lr)

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One optimizer step; returns new ``(params, state)`` and leaves the inputs untouched."""
        unknown = sorted(set(grads) - set(params))
        if unknown:
            raise ValueError(
                f"grads has unknown parameter names {unknown}; known: {sorted(params)}"
            )
        lr = self.rate(state["step"])
        new_params, new_states = dict(params), dict(state["params"])
        for name, grad in grads.items():
            theta = np.asarray(params[name], dtype=float)
            self._check_grad(name, theta, grad)
            per_param = {
                k: (v.copy() if isinstance(v, np.ndarray) else v)
                for k, v in state["params"][name].items()
            }
            new_params[name], new_states[name] = self._step(theta, grad, per_param, lr)
        return new_params, {"step": state["step"] + 1, "params": new_states}

    def _check_grad(self, name: str, theta: np.ndarray, grad) -> None:
        if isinstance(grad, RowSparse):
            raise ValueError(
                f"grads[{name!r}] is row-sparse; {type(self).__name__} takes dense gradients"
            )
        if np.shape(grad) != theta.shape:
            raise ValueError(
                f"grads[{name!r}] has shape {np.shape(grad)}, but the parameter has {theta.shape}"
            )

    def _init_param(self, theta: np.ndarray) -> dict:
        raise NotImplementedError

    def _step(self, theta, grad, s: dict, lr: float):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and L2 weight decay.

    ``g <- g + weight_decay theta``; with momentum: ``b <- g`` at the first step, then
    ``b <- momentum b + (1 - dampening) g``; ``g <- g + momentum b`` (Nesterov) or ``g <- b``;
    finally ``theta <- theta - lr g``.
    """

    def __init__(self, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        self.lr, self.momentum = _lr(lr), _nonneg("momentum", momentum)
        self.dampening, self.weight_decay = (
            _nonneg("dampening", dampening),
            _nonneg("weight_decay", weight_decay),
        )
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def _init_param(self, theta):
        return {"momentum_buffer": None}

    def _step(self, theta, grad, s, lr):
        d = grad + self.weight_decay * theta if self.weight_decay else np.asarray(grad, dtype=float)
        if self.momentum:
            buf = s["momentum_buffer"]
            buf = d.copy() if buf is None else self.momentum * buf + (1 - self.dampening) * d
            s["momentum_buffer"] = buf
            d = d + self.momentum * buf if self.nesterov else buf
        return theta - lr * d, s


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011): steps shrink with each parameter's accumulated squared gradient.

    ``t <- t + 1``; ``g <- g + weight_decay theta``; ``clr = lr / (1 + (t - 1) lr_decay)``;
    ``s <- s + g^2``; ``theta <- theta - clr g / (sqrt(s) + eps)``; ``s`` starts at
    ``initial_accumulator_value``.
    """

    def __init__(
        self, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10
    ):
        self.lr, self.lr_decay = _lr(lr), _nonneg("lr_decay", lr_decay)
        self.weight_decay = _nonneg("weight_decay", weight_decay)
        self.initial = _nonneg("initial_accumulator_value", initial_accumulator_value)
        self.eps = _positive("eps", eps)

    def _init_param(self, theta):
        return {"step": 0, "sum": np.full_like(theta, self.initial)}

    def _step(self, theta, grad, s, lr):
        s["step"] += 1
        g = grad + self.weight_decay * theta if self.weight_decay else np.asarray(grad, dtype=float)
        clr = lr / (1 + (s["step"] - 1) * self.lr_decay)
        s["sum"] = s["sum"] + g * g
        return theta - clr * g / (np.sqrt(s["sum"]) + self.eps), s


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012): divide by a running RMS of the gradient.

    ``g <- g + weight_decay theta``; ``v <- alpha v + (1 - alpha) g^2``; centered:
    ``m <- alpha m + (1 - alpha) g``, ``avg = sqrt(v - m^2) + eps``, else ``avg = sqrt(v) + eps``;
    with momentum ``b <- momentum b + g / avg``, ``theta <- theta - lr b``; without,
    ``theta <- theta - lr g / avg``.
    """

    def __init__(
        self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    ):
        self.lr, self.alpha, self.eps = _lr(lr), _nonneg("alpha", alpha), _positive("eps", eps)
        if self.alpha >= 1:
            raise ValueError(f"alpha must be in [0, 1), got {alpha!r}")
        self.weight_decay, self.momentum = (
            _nonneg("weight_decay", weight_decay),
            _nonneg("momentum", momentum),
        )
        self.centered = bool(centered)

    def _init_param(self, theta):
        zeros = np.zeros_like(theta)
        return {
            "step": 0,
            "square_avg": zeros,
            "grad_avg": zeros.copy(),
            "momentum_buffer": zeros.copy(),
        }

    def _step(self, theta, grad, s, lr):
        s["step"] += 1
        g = grad + self.weight_decay * theta if self.weight_decay else np.asarray(grad, dtype=float)
        s["square_avg"] = self.alpha * s["square_avg"] + (1 - self.alpha) * g * g
        if self.centered:
            s["grad_avg"] = self.alpha * s["grad_avg"] + (1 - self.alpha) * g
            avg = np.sqrt(s["square_avg"] - s["grad_avg"] ** 2) + self.eps
        else:
            avg = np.sqrt(s["square_avg"]) + self.eps
        if self.momentum:
            s["momentum_buffer"] = self.momentum * s["momentum_buffer"] + g / avg
            return theta - lr * s["momentum_buffer"], s
        return theta - lr * g / avg, s


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), with L2 ``weight_decay`` added to the gradient (not decoupled).

    ``t <- t + 1``; ``g <- g + weight_decay theta``; ``m <- beta1 m + (1 - beta1) g``;
    ``v <- beta2 v + (1 - beta2) g^2`` (amsgrad: ``vmax <- max(vmax, v)``, used instead of v);
    ``theta <- theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)``.
    """

    decoupled = False

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        self.lr, self.betas, self.eps = _lr(lr), _betas(betas), _positive("eps", eps)
        self.weight_decay, self.amsgrad = _nonneg("weight_decay", weight_decay), bool(amsgrad)

    def _init_param(self, theta):
        zeros = np.zeros_like(theta)
        return {
            "step": 0,
            "exp_avg": zeros,
            "exp_avg_sq": zeros.copy(),
            "max_exp_avg_sq": zeros.copy(),
        }

    def _step(self, theta, grad, s, lr):
        beta1, beta2 = self.betas
        s["step"] += 1
        g = np.asarray(grad, dtype=float)
        if self.weight_decay and self.decoupled:
            theta = theta * (1 - lr * self.weight_decay)  # AdamW: decay the weights directly
        elif self.weight_decay:
            g = g + self.weight_decay * theta  # Adam: L2 through the gradient
        s["exp_avg"] = beta1 * s["exp_avg"] + (1 - beta1) * g
        s["exp_avg_sq"] = beta2 * s["exp_avg_sq"] + (1 - beta2) * g * g
        second = s["exp_avg_sq"]
        if self.amsgrad:
            s["max_exp_avg_sq"] = second = np.maximum(s["max_exp_avg_sq"], s["exp_avg_sq"])
        bias1, bias2 = 1 - beta1 ** s["step"], 1 - beta2 ** s["step"]
        denom = np.sqrt(second) / math.sqrt(bias2) + self.eps
        return theta - (lr / bias1) * s["exp_avg"] / denom, s


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    ``theta <- theta (1 - lr weight_decay)`` first, then the Adam step with the plain
    gradient: ``m``, ``v`` and the bias-corrected update exactly as in :class:`Adam`.
    """

    decoupled = True

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)


class SparseAdam(Optimizer):
    """Lazy Adam for row-sparse gradients (``torch.optim.SparseAdam``), e.g. embedding tables.

    Gradients are :class:`RowSparse`; duplicate rows are summed. Only the rows present are
    touched: for those rows ``m <- beta1 m + (1 - beta1) g``, ``v <- beta2 v + (1 - beta2) g^2``
    and ``theta <- theta - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)``; other
    rows keep their parameters *and* their moments (no decay while absent). ``t`` counts the
    updates of the whole table. Note where ``eps`` sits: after ``sqrt(v)``, not after the
    bias-corrected ``sqrt(v / (1 - beta2^t))`` as in :class:`Adam`; this is PyTorch's formula.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = _lr(lr), _betas(betas), _positive("eps", eps)

    def _init_param(self, theta):
        if theta.ndim < 1:
            raise ValueError("SparseAdam parameters must have at least one axis (rows)")
        zeros = np.zeros_like(theta)
        return {"step": 0, "exp_avg": zeros, "exp_avg_sq": zeros.copy()}

    def _check_grad(self, name, theta, grad):
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

    def _step(self, theta, grad, s, lr):
        rows, values = grad.coalesced(len(theta))
        if len(rows) == 0:
            return theta, s
        beta1, beta2 = self.betas
        s["step"] += 1
        m = beta1 * s["exp_avg"][rows] + (1 - beta1) * values
        v = beta2 * s["exp_avg_sq"][rows] + (1 - beta2) * values**2
        s["exp_avg"][rows], s["exp_avg_sq"][rows] = m, v
        step_size = lr * math.sqrt(1 - beta2 ** s["step"]) / (1 - beta1 ** s["step"])
        theta = theta.copy()
        theta[rows] -= step_size * m / (np.sqrt(v) + self.eps)
        return theta, s
