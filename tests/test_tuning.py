"""tuning: a settled run is judged by its loss, a chaotic or diverging one is never chosen."""

import math

import pytest

from lecnotes import tuning


def fake_run(outcomes):
    """A `run(lr, nudge)` from a table: lr -> (loss, loss when nudged)."""

    def run(lr, nudge):
        plain, nudged = outcomes[lr]
        return nudged if nudge else plain

    return run


RUN = fake_run({
    0.1: (0.8, 0.8),  # settles, slow
    1.0: (0.3, 0.3 + 1e-9),  # settles
    3.0: (0.2, 0.25),  # chaotic: lowest, but luck
    10.0: (math.inf, math.inf),  # explodes
    30.0: (1.5, 0.9),  # ends above its start
})  # fmt: skip


def test_verdicts():
    assert tuning.verdict(RUN, 0.1, start_loss=1.0) == ("settles", 0.8)
    assert tuning.verdict(RUN, 3.0, start_loss=1.0) == ("does not settle", 0.2)
    assert tuning.verdict(RUN, 10.0, start_loss=1.0)[0] == "diverges"
    assert tuning.verdict(RUN, 30.0, start_loss=1.0)[0] == "diverges"


def test_the_best_rate_is_the_lowest_loss_that_settles():
    best, losses = tuning.best_rate(RUN, [0.1, 1.0, 3.0, 10.0, 30.0], start_loss=1.0)
    assert best == 1.0 and losses[3.0] == 0.2
    with pytest.raises(ValueError, match="no rate among"):
        tuning.best_rate(RUN, [3.0, 10.0], start_loss=1.0)
