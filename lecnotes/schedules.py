"""Learning-rate schedules: pure, closed-form functions ``schedule(step) -> rate``.

``step`` counts optimizer updates from 0, as a PyTorch scheduler's ``last_epoch`` does when
``scheduler.step()`` follows every ``optimizer.step()``; calling a schedule twice with the
same step gives the same rate (no hidden state). Each matches a ``torch.optim.lr_scheduler``:

- ``constant(lr)``: ``lr``.
- ``step_decay(lr, step_size, gamma)`` = StepLR: ``lr gamma^floor(t / step_size)``.
- ``exponential(lr, gamma)`` = ExponentialLR: ``lr gamma^t``; ``exponential_decay(lr, k)`` is
  the lecture's ``lr_0 e^(-k t)``, i.e. ExponentialLR with ``gamma = e^(-k)``.
- ``cyclic(base_lr, max_lr, step_size_up, ...)`` = CyclicLR: triangular, triangular2, exp_range.
- ``cosine(lr, T_max, eta_min)`` = CosineAnnealingLR:
  ``eta_min + (lr - eta_min)(1 + cos(pi t / T_max)) / 2``.
- ``cosine_restarts(lr, T_0, T_mult, eta_min)`` = CosineAnnealingWarmRestarts.
- ``linear(lr, start_factor, end_factor, total_iters)`` = LinearLR (a warm-up).
- ``sequential(schedules, milestones)`` = SequentialLR: part ``i`` at ``t - milestones[i-1]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Schedule = Callable[[int], float]


def _rate(name: str, value) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _period(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def _gamma(value, name: str = "gamma") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")
    return float(value)


def _step(step) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f"step must be an integer >= 0, got {step!r}")
    return step


@dataclass(frozen=True)
class _Schedule:
    """Base: a frozen (hence pure) callable; subclasses implement ``at(t)``."""

    def __call__(self, step: int) -> float:
        return self.at(_step(step))

    def at(self, t: int) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class _Constant(_Schedule):
    lr: float

    def at(self, t):
        return self.lr


def constant(lr: float) -> Schedule:
    """``lr`` at every step."""
    return _Constant(_rate("lr", lr))


@dataclass(frozen=True)
class _StepDecay(_Schedule):
    lr: float
    step_size: int
    gamma: float

    def at(self, t):
        return self.lr * self.gamma ** (t // self.step_size)


def step_decay(lr: float, step_size: int, gamma: float = 0.1) -> Schedule:
    """StepLR: multiply by ``gamma`` every ``step_size`` steps (halving: ``gamma=0.5``)."""
    return _StepDecay(_rate("lr", lr), _period("step_size", step_size), _gamma(gamma))


@dataclass(frozen=True)
class _Exponential(_Schedule):
    lr: float
    gamma: float

    def at(self, t):
        return self.lr * self.gamma**t


def exponential(lr: float, gamma: float) -> Schedule:
    """ExponentialLR: ``lr gamma^t``."""
    return _Exponential(_rate("lr", lr), _gamma(gamma))


def exponential_decay(lr: float, k: float) -> Schedule:
    """The lecture's ``lr_0 e^(-k t)``: ExponentialLR with ``gamma = e^(-k)``, ``k >= 0``."""
    if isinstance(k, bool) or not isinstance(k, int | float) or not math.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0, got {k!r}")
    return _Exponential(_rate("lr", lr), math.exp(-k))


@dataclass(frozen=True)
class _Cyclic(_Schedule):
    base_lr: float
    max_lr: float
    up: int
    down: int
    mode: str
    gamma: float

    def at(self, t):
        total = self.up + self.down
        ratio = self.up / total
        cycle = math.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        height = (self.max_lr - self.base_lr) * scale
        if self.mode == "triangular2":
            return self.base_lr + height / 2.0 ** (cycle - 1)
        if self.mode == "exp_range":
            return self.base_lr + height * self.gamma**t
        return self.base_lr + height


def cyclic(
    base_lr: float, max_lr: float, step_size_up: int = 2000, step_size_down: int | None = None,
    mode: str = "triangular", gamma: float = 1.0,
) -> Schedule:  # fmt: skip
    """CyclicLR (Smith 2017): up from ``base_lr`` to ``max_lr`` in ``step_size_up`` steps and back.

    With ``x`` the position in the current cycle, the rate is ``base + (max - base) s``,
    ``s`` rising linearly 0 -> 1 then falling 1 -> 0; ``triangular2`` halves the height every
    cycle, ``exp_range`` multiplies it by ``gamma^t``.
    """
    base_lr, max_lr = _rate("base_lr", base_lr), _rate("max_lr", max_lr)
    if base_lr > max_lr:
        raise ValueError(f"base_lr must not exceed max_lr, got base_lr={base_lr}, max_lr={max_lr}")
    if mode not in ("triangular", "triangular2", "exp_range"):
        raise ValueError(f"mode must be 'triangular', 'triangular2' or 'exp_range', got {mode!r}")
    up = _period("step_size_up", step_size_up)
    down = up if step_size_down is None else _period("step_size_down", step_size_down)
    return _Cyclic(base_lr, max_lr, up, down, mode, _gamma(gamma))


def _cosine_between(high: float, low: float, step: int, period: int) -> float:
    """``low + (high - low)(1 + cos(pi step / period)) / 2``: ``high`` at 0, ``low`` at period."""
    return low + (high - low) * (1 + math.cos(math.pi * step / period)) / 2


@dataclass(frozen=True)
class _Cosine(_Schedule):
    lr: float
    t_max: int
    eta_min: float

    def at(self, t):
        return _cosine_between(self.lr, self.eta_min, t, self.t_max)


def _eta_min(eta_min, lr) -> float:
    if isinstance(eta_min, bool) or not isinstance(eta_min, int | float) or not 0 <= eta_min <= lr:
        raise ValueError(f"eta_min must be in [0, lr={lr}], got {eta_min!r}")
    return float(eta_min)


def cosine(lr: float, T_max: int, eta_min: float = 0.0) -> Schedule:  # noqa: N803 - PyTorch's names
    """CosineAnnealingLR (closed form): ``lr`` at 0 down to ``eta_min`` at ``T_max``, a cosine."""
    lr = _rate("lr", lr)
    return _Cosine(lr, _period("T_max", T_max), _eta_min(eta_min, lr))


@dataclass(frozen=True)
class _CosineRestarts(_Schedule):
    lr: float
    t_0: int
    t_mult: int
    eta_min: float

    def at(self, t):
        t_cur, t_i = t, self.t_0
        while t_cur >= t_i:  # integer arithmetic: no rounding at the restart boundaries
            t_cur -= t_i
            t_i *= self.t_mult
        return _cosine_between(self.lr, self.eta_min, t_cur, t_i)


def cosine_restarts(
    lr: float,
    T_0: int,
    T_mult: int = 1,
    eta_min: float = 0.0,  # noqa: N803 - PyTorch's names
) -> Schedule:
    """CosineAnnealingWarmRestarts (Loshchilov & Hutter 2017): cosine over ``T_0`` steps,
    then restart at ``lr`` with periods ``T_0 T_mult``, ``T_0 T_mult^2``, ..."""
    lr = _rate("lr", lr)
    if isinstance(T_mult, bool) or not isinstance(T_mult, int) or T_mult < 1:
        raise ValueError(f"T_mult must be an integer >= 1, got {T_mult!r}")
    return _CosineRestarts(lr, _period("T_0", T_0), T_mult, _eta_min(eta_min, lr))


@dataclass(frozen=True)
class _Linear(_Schedule):
    lr: float
    start: float
    end: float
    iters: int

    def at(self, t):
        return self.lr * (self.start + (self.end - self.start) * min(t, self.iters) / self.iters)


def _factor(name: str, value, allow_zero: bool) -> float:
    ok = not isinstance(value, bool) and isinstance(value, int | float)
    if not ok or not (value >= 0 if allow_zero else value > 0) or value > 1:
        raise ValueError(f"{name} must be in {'[0, 1]' if allow_zero else '(0, 1]'}, got {value!r}")
    return float(value)


def linear(
    lr: float, start_factor: float = 1 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> Schedule:
    """LinearLR: the factor goes linearly from ``start_factor`` to ``end_factor`` over
    ``total_iters`` steps, then stays; ``linear(lr, 0.01, 1.0, warmup)`` is a linear warm-up."""
    start = _factor("start_factor", start_factor, allow_zero=False)
    end = _factor("end_factor", end_factor, allow_zero=True)
    return _Linear(_rate("lr", lr), start, end, _period("total_iters", total_iters))


@dataclass(frozen=True)
class _Sequential(_Schedule):
    parts: tuple
    milestones: tuple

    def at(self, t):
        i = sum(t >= m for m in self.milestones)
        start = self.milestones[i - 1] if i else 0
        return self.parts[i](t - start)


def sequential(schedules: Sequence[Schedule], milestones: Sequence[int]) -> Schedule:
    """SequentialLR: ``schedules[i]`` from ``milestones[i-1]`` on, restarted at its own step 0.

    E.g. warm-up then cosine: ``sequential([linear(lr, 0.01, 1, 100), cosine(lr, 900)], [100])``.
    """
    schedules, milestones = tuple(schedules), tuple(milestones)
    if len(schedules) != len(milestones) + 1:
        raise ValueError(
            f"need one more schedule than milestones, got {len(schedules)} schedules "
            f"and {len(milestones)} milestones"
        )
    if not all(callable(s) for s in schedules):
        raise ValueError("schedules must be callables step -> rate")
    if any(isinstance(m, bool) or not isinstance(m, int) or m < 1 for m in milestones) or list(
        milestones
    ) != sorted(set(milestones)):
        raise ValueError(f"milestones must be increasing positive integers, got {list(milestones)}")
    return _Sequential(schedules, milestones)
