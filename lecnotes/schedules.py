"""Learning-rate schedules: pure, closed-form functions ``schedule(step) -> rate``.

``step`` counts optimizer updates from 0, as a PyTorch scheduler's ``last_epoch`` does when
``scheduler.step()`` follows every ``optimizer.step()``; calling a schedule twice with the
same step gives the same rate (no hidden state). To schedule by epoch instead (as the
lecture does), call it with ``step // steps_per_epoch``. Each matches a
``torch.optim.lr_scheduler``:

- ``constant(lr)``: ``lr``.
- ``step_decay(lr, step_size, gamma)`` = StepLR: ``lr gamma^floor(t / step_size)``.
- ``exponential(lr, gamma)`` = ExponentialLR: ``lr gamma^t``; ``exponential_decay(lr, k)`` is
  the lecture's ``lr_0 e^(-k t)``, i.e. ExponentialLR with ``gamma = e^(-k)``.
- ``cyclic(base_lr, max_lr, step_size_up, ...)`` = CyclicLR with ``cycle_momentum=False``:
  triangular, triangular2, exp_range.
- ``cosine(lr, T_max, eta_min)`` = CosineAnnealingLR:
  ``eta_min + (lr - eta_min)(1 + cos(pi t / T_max)) / 2``.
- ``cosine_restarts(lr, T_0, T_mult, eta_min)`` = CosineAnnealingWarmRestarts.
- ``linear(lr, start_factor, end_factor, total_iters)`` = LinearLR (a warm-up).
- ``sequential(schedules, milestones)`` = SequentialLR: part ``i`` at ``t - milestones[i-1]``.

``rates(schedule, steps)`` gives the rates of the first ``steps`` steps at once, the same
numbers as calling the schedule step by step (``lecnotes.runs`` builds its tables with it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks

Schedule = Callable[[int], float]


@dataclass(frozen=True)
class _Closed:
    """A schedule: ``formula(t)`` at integer steps ``t >= 0``; frozen, hence pure."""

    name: str
    formula: Callable[[int], float]

    def __call__(self, step: int) -> float:
        return float(self.formula(_checks.integer("step", step, low=0)))

    def __repr__(self) -> str:
        return f"<schedule {self.name}>"


def rates(schedule: Schedule, steps: int) -> np.ndarray:
    """``[schedule(0), ..., schedule(steps - 1)]``: the rates of the first ``steps`` updates.

    The same numbers as calling ``schedule`` at each step. A schedule of this module is
    evaluated from its formula, without checking each step (``0, ..., steps - 1`` are valid
    by construction): in a training loop of many runs that check cost more than the
    formula. Any other callable is called at each step.

    Args:
        schedule: a callable ``step -> rate``; steps: how many steps, >= 0.

    Returns:
        (steps,) float64 rates.

    Example:
        >>> rates(step_decay(0.1, step_size=2, gamma=0.5), 5).tolist()
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    schedule = _checks.function("schedule", schedule)
    steps = _checks.integer("steps", steps, low=0)
    at = schedule.formula if isinstance(schedule, _Closed) else schedule
    return _checks.float_array("the schedule's rates", [at(t) for t in range(steps)], ndim=1)


def _gamma(value, name: str = "gamma") -> float:
    return _checks.real(name, value, low=0.0, high=1.0, low_open=True)


def constant(lr: float) -> Schedule:
    """``lr`` at every step.

    Args:
        lr: the rate, > 0.

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [constant(0.1)(t) for t in (0, 1, 1000)]
        [0.1, 0.1, 0.1]
    """
    lr = _checks.positive_real("lr", lr)
    return _Closed(f"constant({lr:g})", lambda t: lr)


def step_decay(lr: float, step_size: int, gamma: float = 0.1) -> Schedule:
    """StepLR: ``lr gamma^floor(t / step_size)``; halving every ``k`` steps is ``gamma=0.5``.

    Args:
        lr: the initial rate, > 0.
        step_size: steps between two decays, >= 1.
        gamma: the factor applied at each decay, in (0, 1] (PyTorch's default 0.1).

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [step_decay(0.1, step_size=2, gamma=0.5)(t) for t in range(5)]
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    lr, size = _checks.positive_real("lr", lr), _checks.positive_int("step_size", step_size)
    gamma = _gamma(gamma)
    return _Closed(f"step_decay({lr:g}, {size}, {gamma:g})", lambda t: lr * gamma ** (t // size))


def exponential(lr: float, gamma: float) -> Schedule:
    """ExponentialLR: ``lr gamma^t``.

    Args:
        lr: the initial rate, > 0; gamma: the factor per step, in (0, 1].

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [exponential(0.8, gamma=0.5)(t) for t in range(4)]
        [0.8, 0.4, 0.2, 0.1]
    """
    lr, gamma = _checks.positive_real("lr", lr), _gamma(gamma)
    return _Closed(f"exponential({lr:g}, {gamma:g})", lambda t: lr * gamma**t)


def exponential_decay(lr: float, k: float) -> Schedule:
    """The lecture's ``lr_0 e^(-k t)``: ExponentialLR with ``gamma = e^(-k)``.

    Args:
        lr: the initial rate ``lr_0``, > 0; k: the decay constant per step, >= 0.

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> schedule = exponential_decay(0.1, k=math.log(2))  # halves every step
        >>> [round(schedule(t), 12) for t in range(4)]
        [0.1, 0.05, 0.025, 0.0125]
    """
    lr, k = _checks.positive_real("lr", lr), _checks.nonnegative_real("k", k)
    gamma = math.exp(-k)
    return _Closed(f"exponential_decay({lr:g}, {k:g})", lambda t: lr * gamma**t)


def cyclic(
    base_lr: float, max_lr: float, step_size_up: int = 2000, step_size_down: int | None = None,
    mode: str = "triangular", gamma: float = 1.0,
) -> Schedule:  # fmt: skip
    """CyclicLR (Smith 2017): up from ``base_lr`` to ``max_lr`` in ``step_size_up`` steps and back.

    With ``x`` the position in the current cycle, the rate is ``base + (max - base) s``,
    ``s`` rising linearly 0 -> 1 then falling 1 -> 0. This is PyTorch's CyclicLR with
    ``cycle_momentum=False``: only the rate cycles (PyTorch's default also cycles the
    optimizer's momentum between 0.8 and 0.9, inversely to the rate; a schedule here is a
    rate, so it cannot).

    Args:
        base_lr, max_lr: the rates at the bottom and top of a cycle, ``0 < base_lr <= max_lr``.
        step_size_up, step_size_down: steps going up and down (down defaults to up).
        mode: ``"triangular"``; ``"triangular2"`` halves the height every cycle;
            ``"exp_range"`` multiplies it by ``gamma^t``.
        gamma: the ``exp_range`` factor, in (0, 1].

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [round(cyclic(0.1, 0.5, step_size_up=2)(t), 12) for t in range(6)]
        [0.1, 0.3, 0.5, 0.3, 0.1, 0.3]
    """
    base = _checks.positive_real("base_lr", base_lr)
    top = _checks.real("max_lr", max_lr, low=base)
    mode = _checks.one_of("mode", mode, ("triangular", "triangular2", "exp_range"))
    up = _checks.positive_int("step_size_up", step_size_up)
    down = up if step_size_down is None else _checks.positive_int("step_size_down", step_size_down)
    gamma = _gamma(gamma)

    def formula(t: int) -> float:
        total = up + down
        cycle = math.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        ratio = up / total
        height = (top - base) * (x / ratio if x <= ratio else (x - 1) / (ratio - 1))
        if mode == "triangular2":
            return base + height / 2.0 ** (cycle - 1)
        if mode == "exp_range":
            return base + height * gamma**t
        return base + height

    return _Closed(f"cyclic({base:g}, {top:g}, {up}, {down}, {mode})", formula)


def _cosine_between(high: float, low: float, step: int, period: int) -> float:
    """``low + (high - low)(1 + cos(pi step / period)) / 2``: ``high`` at 0, ``low`` at period."""
    return low + (high - low) * (1 + math.cos(math.pi * step / period)) / 2


def cosine(lr: float, T_max: int, eta_min: float = 0.0) -> Schedule:  # noqa: N803 - PyTorch's names
    """CosineAnnealingLR (closed form): ``lr`` at 0 down to ``eta_min`` at ``T_max``, a cosine.

    Past ``T_max`` it continues periodically, as PyTorch's closed form does.

    Args:
        lr: the rate at step 0, > 0; T_max: the steps to reach ``eta_min``, >= 1.
        eta_min: the lowest rate, in [0, lr].

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [round(cosine(0.2, T_max=4)(t), 12) for t in range(6)]  # then back up
        [0.2, 0.170710678119, 0.1, 0.029289321881, 0.0, 0.029289321881]
    """
    lr, period = _checks.positive_real("lr", lr), _checks.positive_int("T_max", T_max)
    low = _checks.real("eta_min", eta_min, low=0.0, high=lr)
    return _Closed(
        f"cosine({lr:g}, {period}, {low:g})", lambda t: _cosine_between(lr, low, t, period)
    )


def cosine_restarts(
    lr: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0,  # noqa: N803 - PyTorch's names
) -> Schedule:  # fmt: skip
    """CosineAnnealingWarmRestarts (Loshchilov & Hutter 2017): cosine over ``T_0`` steps,
    then restart at ``lr`` with periods ``T_0 T_mult``, ``T_0 T_mult^2``, ...

    Args:
        lr: the rate at each restart, > 0.
        T_0: the first period, >= 1; ``T_mult``: the growth of periods, an integer >= 1.
        eta_min: the rate at the end of each period, in [0, lr].

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> schedule = cosine_restarts(0.2, T_0=2, T_mult=2)  # periods 2, 4, 8, ...
        >>> [round(schedule(t), 12) for t in range(7)]
        [0.2, 0.1, 0.2, 0.170710678119, 0.1, 0.029289321881, 0.2]
    """
    lr, first = _checks.positive_real("lr", lr), _checks.positive_int("T_0", T_0)
    mult = _checks.positive_int("T_mult", T_mult)
    low = _checks.real("eta_min", eta_min, low=0.0, high=lr)

    def formula(t: int) -> float:
        t_cur, period = t, first
        while t_cur >= period:  # integer arithmetic: no rounding at the restart boundaries
            t_cur -= period
            period *= mult
        return _cosine_between(lr, low, t_cur, period)

    return _Closed(f"cosine_restarts({lr:g}, {first}, {mult}, {low:g})", formula)


def linear(
    lr: float, start_factor: float = 1 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> Schedule:
    """LinearLR: ``lr`` times a factor going linearly from ``start_factor`` to ``end_factor``
    over ``total_iters`` steps, then staying; ``linear(lr, 0.01, 1.0, n)`` is a warm-up.

    Args:
        lr: the base rate, > 0.
        start_factor: in (0, 1]; end_factor: in [0, 1] (PyTorch's defaults 1/3 and 1).
        total_iters: steps to go from one factor to the other, >= 1.

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> [round(linear(0.4, 0.25, 1.0, total_iters=3)(t), 12) for t in range(5)]
        [0.1, 0.2, 0.3, 0.4, 0.4]
    """
    lr = _checks.positive_real("lr", lr)
    start = _checks.real("start_factor", start_factor, low=0.0, high=1.0, low_open=True)
    end = _checks.real("end_factor", end_factor, low=0.0, high=1.0)
    iters = _checks.positive_int("total_iters", total_iters)
    return _Closed(
        f"linear({lr:g}, {start:g}, {end:g}, {iters})",
        lambda t: lr * (start + (end - start) * min(t, iters) / iters),
    )


def sequential(schedules: Sequence[Schedule], milestones: Sequence[int]) -> Schedule:
    """SequentialLR: ``schedules[i]`` from ``milestones[i-1]`` on, restarted at its own step 0.

    E.g. warm-up then cosine: ``sequential([linear(lr, 0.01, 1, 100), cosine(lr, 900)], [100])``.

    Args:
        schedules: callables ``step -> rate``, one more than ``milestones``.
        milestones: strictly increasing steps >= 1 where the next schedule takes over.

    Returns:
        A schedule, the pure callable ``step -> rate``.

    Example:
        >>> warm_then_decay = sequential([constant(0.01), step_decay(0.1, 2, 0.5)], [2])
        >>> [warm_then_decay(t) for t in range(6)]  # the second part starts at its own 0
        [0.01, 0.01, 0.1, 0.1, 0.05, 0.05]
    """
    marks = _checks.increasing(
        "milestones", (_checks.positive_int("milestones[i]", m) for m in milestones)
    )
    count = len(marks) + 1  # one more schedule than milestones
    parts = tuple(
        _checks.function("schedules[i]", s)
        for s in _checks.sized("schedules", schedules, count, count)
    )

    def formula(t: int) -> float:
        i = sum(t >= m for m in marks)
        return parts[i](t - (marks[i - 1] if i else 0))

    return _Closed(f"sequential({len(parts)} parts at {list(marks)})", formula)
