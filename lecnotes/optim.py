"""Optimizers with the update equations and defaults of PyTorch's ``torch.optim``.

Contract (``lecnotes.optimizer``; pure and functional: inputs are never modified)::

    opt = optim.Adam(lr=1e-3)                    # hyperparameters only
    state = opt.init(params)                     # params: dict[str, np.ndarray]
    params, state = opt.update(params, grads, state)

``lr`` is a float or a schedule (``lecnotes.schedules``), called with the number of updates
already made. A parameter missing from ``grads`` is left unchanged, as PyTorch skips
parameters whose ``.grad`` is None. Each optimizer's ``weight_decay`` is a
``WeightDecay`` piece: coupled (added to the gradient) in SGD, Adagrad, RMSprop and Adam,
decoupled in AdamW. Notation below: ``g`` the gradient (after any coupled decay), ``theta``
the parameter, ``t`` its step count after this update, ``lr`` the rate.

A new optimizer subclasses :class:`Optimizer` and implements ``init_state(theta)`` and
``step(theta, grad, state, lr)`` (see ``lecnotes.optimizer``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from lecnotes import _checks
from lecnotes.optimizer import Optimizer, RowSparse, WeightDecay


def _betas(betas) -> tuple[float, float]:
    beta1, beta2 = (
        _checks.real(f"betas[{k}]", beta, low=0.0, high=1.0, high_open=True)
        for k, beta in enumerate(_checks.sized("betas", betas, 2, 2))
    )
    return beta1, beta2


def _lr(lr) -> float | Callable[[int], float]:
    """A rate >= 0, or a schedule (any callable ``step -> rate``)."""
    return lr if callable(lr) else _checks.nonnegative_real("lr", lr)


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

    Example:
        >>> opt, params = SGD(lr=0.1, momentum=0.9), {"w": np.array([1.0])}
        >>> state = opt.init(params)
        >>> for _ in range(2):  # b = 1, then 0.9 b + 1 = 1.9
        ...     params, state = opt.update(params, {"w": np.array([1.0])}, state)
        >>> params["w"].round(12)
        array([0.71])
    """

    def __init__(self, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        self.lr = _lr(lr)
        self.momentum = _checks.nonnegative_real("momentum", momentum)
        self.dampening = _checks.nonnegative_real("dampening", dampening)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.decays = (WeightDecay(self.weight_decay),)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def init_state(self, theta):
        return {"momentum_buffer": None}

    def step(self, theta, grad, state, lr):
        g = grad
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
    ``initial_accumulator_value``.

    Args:
        lr: learning rate (>= 0) or schedule, default 0.01; lr_decay, weight_decay,
            initial_accumulator_value: >= 0, default 0; eps: > 0, default 1e-10 (PyTorch's).

    Example:
        >>> opt, params = Adagrad(lr=0.1), {"w": np.array([1.0, 1.0])}
        >>> params, _ = opt.update(params, {"w": np.array([4.0, 0.01])}, opt.init(params))
        >>> params["w"]  # the first step is lr g / |g|, whatever the gradient's size
        array([0.9, 0.9])
    """

    def __init__(
        self, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10
    ):
        self.lr = _lr(lr)
        self.lr_decay = _checks.nonnegative_real("lr_decay", lr_decay)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.decays = (WeightDecay(self.weight_decay),)
        self.initial = _checks.nonnegative_real(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = _checks.positive_real("eps", eps)

    def init_state(self, theta):
        return {"step": 0, "sum": np.full_like(theta, self.initial)}

    def step(self, theta, grad, state, lr):
        state["step"] += 1
        clr = lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] = state["sum"] + grad * grad
        return theta - clr * grad / (np.sqrt(state["sum"]) + self.eps), state


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012): divide by a running RMS of the gradient.

    ``g <- g + weight_decay theta``; ``v <- alpha v + (1 - alpha) g^2``; centered:
    ``m <- alpha m + (1 - alpha) g``, ``avg = sqrt(v - m^2) + eps``, else ``avg = sqrt(v) + eps``;
    with momentum ``b <- momentum b + g / avg``, ``theta <- theta - lr b``; without,
    ``theta <- theta - lr g / avg``.

    Args:
        lr: learning rate (>= 0) or schedule, default 0.01; alpha: in [0, 1), default 0.99;
            eps: > 0, default 1e-8; weight_decay, momentum: >= 0, default 0; centered: bool.

    Example:
        >>> opt, params = RMSprop(lr=0.01, alpha=0.75), {"w": np.array([1.0])}
        >>> params, _ = opt.update(params, {"w": np.array([3.0])}, opt.init(params))
        >>> params["w"].round(12)  # v = 0.25 * 9: the step is lr * 3 / 1.5
        array([0.98])
    """

    def __init__(
        self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    ):
        self.lr = _lr(lr)
        self.alpha = _checks.real("alpha", alpha, low=0.0, high=1.0, high_open=True)
        self.eps = _checks.positive_real("eps", eps)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.decays = (WeightDecay(self.weight_decay),)
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
        g = grad
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

    Args:
        lr: learning rate (>= 0) or schedule, default 1e-3; betas: ``(beta1, beta2)``, each in
            [0, 1), default (0.9, 0.999); eps: > 0, default 1e-8; weight_decay: >= 0, default
            0; amsgrad: use the largest ``v`` so far (Reddi et al. 2018). PyTorch's defaults.

    Example:
        >>> opt, params = Adam(lr=0.01), {"w": np.array([1.0, 1.0])}
        >>> params, _ = opt.update(params, {"w": np.array([4.0, 0.01])}, opt.init(params))
        >>> params["w"].round(6)  # bias-corrected: the first step is about lr, whatever |g|
        array([0.99, 0.99])
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        self.lr, self.betas = _lr(lr), _betas(betas)
        self.eps = _checks.positive_real("eps", eps)
        self.weight_decay = _checks.nonnegative_real("weight_decay", weight_decay)
        self.decays = (WeightDecay(self.weight_decay),)
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
        m, v = state["exp_avg"], state["exp_avg_sq"]  # the state is ours: updated in place
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        second = v
        if self.amsgrad:
            second = np.maximum(state["max_exp_avg_sq"], v)
            state["max_exp_avg_sq"] = second
        bias1, bias2 = 1 - beta1 ** state["step"], 1 - beta2 ** state["step"]
        denom = np.sqrt(second)
        denom /= math.sqrt(bias2)
        denom += self.eps
        change = (lr / bias1) * m
        change /= denom
        return theta - change, state


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    ``theta <- theta (1 - lr weight_decay)`` first (a decoupled ``WeightDecay``), then the
    Adam step with the plain gradient: ``m``, ``v`` and the update exactly as in :class:`Adam`.

    Args:
        As :class:`Adam`, but weight_decay defaults to 0.01 (PyTorch's).

    Example:
        >>> opt, params = AdamW(lr=0.1, weight_decay=0.5), {"w": np.array([2.0])}
        >>> params, _ = opt.update(params, {"w": np.array([0.0])}, opt.init(params))
        >>> params["w"]  # a zero gradient: only the decay, 2 (1 - 0.1 * 0.5)
        array([1.9])
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)
        self.decays = (WeightDecay(self.weight_decay, decoupled=True),)


class SparseAdam(Optimizer):
    """Lazy Adam for row-sparse gradients (``torch.optim.SparseAdam``), e.g. embedding tables.

    Gradients are :class:`RowSparse`; duplicate rows are summed. Every update counts a step
    ``t`` for the table, even one whose gradient has no rows (as PyTorch does). Only the
    rows present are touched: for those ``m <- beta1 m + (1 - beta1) g``,
    ``v <- beta2 v + (1 - beta2) g^2`` and
    ``theta <- theta - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)``; other
    rows keep their parameters *and* their moments (no decay while absent). Note where
    ``eps`` sits: after ``sqrt(v)``, not after the bias-corrected ``sqrt(v / (1 - beta2^t))``
    as in :class:`Adam`; this is PyTorch's formula. No weight decay, as PyTorch's.

    Args:
        lr, betas, eps: as :class:`Adam` (PyTorch's defaults 1e-3, (0.9, 0.999), 1e-8).

    Example:
        >>> opt, params = SparseAdam(lr=0.1), {"E": np.ones((3, 2))}
        >>> grad = RowSparse(np.array([2, 2]), np.array([[1.0, 1.0], [1.0, -3.0]]))
        >>> params, _ = opt.update(params, {"E": grad}, opt.init(params))
        >>> params["E"].round(6)  # row 2 only (its two gradients summed)
        array([[1. , 1. ],
               [1. , 1. ],
               [0.9, 1.1]])
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
