"""Choosing a learning rate by a sweep: one procedure for every optimizer (chapters 7 and 8).

A training run at rate ``lr`` is judged by its final loss, but only if the run **settles**:
the run is repeated from a starting point changed by one part in ``1e12`` (``NUDGE``); a run
that settles ends within a few parts in ``1e8`` of its twin, while a chaotic one ends
somewhere else entirely (more than ``TOLERANCE`` apart, relatively) -- its final loss is
luck, and it is never chosen. A run **diverges** when it ends no lower than it started
(or explodes, which gives an infinite loss). The best rate is the one with the lowest final
loss among the runs that settle.

``run(lr, nudge) -> final loss`` is the caller's: it trains from the starting parameters
scaled by ``1 + nudge`` and returns the loss at the end (``math.inf`` if it exploded).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from lecnotes import _checks

NUDGE = 1e-12
TOLERANCE = 1e-5
Run = Callable[[float, float], float]


def settles(run: Run, lr: float, loss: float) -> bool:
    """Whether a run ends where its twin, started ``NUDGE`` away, ends (within ``TOLERANCE``).

    Args:
        run: ``run(lr, nudge) -> final loss``; lr: the rate; loss: the run's final loss.

    Returns:
        True if the run is not chaotic.
    """
    twin = run(lr, NUDGE)
    return abs(twin - loss) <= TOLERANCE * loss


def verdict(run: Run, lr: float, start_loss: float) -> tuple[str, float]:
    """``("diverges" | "does not settle" | "settles", final loss)`` of the run at ``lr``.

    Args:
        run: ``run(lr, nudge) -> final loss`` (see the module docstring).
        lr: the learning rate.
        start_loss: the loss before training; ending at or above it counts as diverging.

    Returns:
        ``(verdict, final loss)``: the word, and the un-nudged run's final loss (a float).
    """
    loss = run(lr, 0.0)
    if not loss < _checks.positive_real("start_loss", start_loss):
        return "diverges", loss
    return ("settles" if settles(run, lr, loss) else "does not settle"), loss


def best_rate(run: Run, rates: Sequence[float], start_loss: float) -> tuple[float, dict]:
    """The rate with the lowest final loss among those whose runs settle.

    Twins are run lazily: only for candidates in order of their loss, until one settles.

    Args:
        run: ``run(lr, nudge) -> final loss``.
        rates: the candidates, each > 0.
        start_loss: the loss before training.

    Returns:
        ``(best rate, {rate: final loss})``.

    Raises:
        ValueError: if no rate gets below ``start_loss`` and settles.
    """
    losses = {lr: run(_checks.positive_real("rates[i]", lr), 0.0) for lr in rates}
    for lr in sorted(losses, key=losses.get):
        if losses[lr] < start_loss and math.isfinite(losses[lr]) and settles(run, lr, losses[lr]):
            return lr, losses
    raise ValueError(f"no rate among {list(rates)} trains and settles")
