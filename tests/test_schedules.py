"""schedules: values step by step as torch.optim.lr_scheduler gives them, purity, errors,
and the docstrings' examples."""

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecnotes import schedules as sch


def values(schedule, n):
    return [schedule(t) for t in range(n)]


def test_constant_and_step_decay():
    assert values(sch.constant(0.1), 3) == [0.1, 0.1, 0.1]
    assert values(sch.step_decay(0.1, 3, 0.5), 8) == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]
    )


def test_exponential_and_the_lectures_form():
    assert values(sch.exponential(1.0, 0.5), 4) == pytest.approx([1, 0.5, 0.25, 0.125])
    decay = sch.exponential_decay(0.3, 0.1)
    assert [decay(t) for t in (0, 1, 10)] == pytest.approx(
        [0.3 * math.exp(-0.1 * t) for t in (0, 1, 10)]
    )


def test_cyclic_triangular_modes():
    tri = sch.cyclic(0.1, 0.5, step_size_up=4)
    assert values(tri, 9) == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5, 0.4, 0.3, 0.2, 0.1])
    tri2 = sch.cyclic(0.1, 0.5, step_size_up=2, mode="triangular2")
    assert values(tri2, 9) == pytest.approx([0.1, 0.3, 0.5, 0.3, 0.1, 0.2, 0.3, 0.2, 0.1])
    exp = sch.cyclic(0.1, 0.5, step_size_up=2, mode="exp_range", gamma=0.9)
    assert exp(1) == pytest.approx(0.1 + 0.2 * 0.9) and exp(2) == pytest.approx(0.1 + 0.4 * 0.81)
    asym = sch.cyclic(0.0 + 1e-3, 1.0, step_size_up=1, step_size_down=3)
    assert values(asym, 5) == pytest.approx(
        [1e-3, 1.0, 1e-3 + 0.999 * 2 / 3, 1e-3 + 0.999 / 3, 1e-3]
    )


def test_cosine_endpoints_and_middle():
    cos = sch.cosine(0.2, T_max=10, eta_min=0.02)
    assert cos(0) == pytest.approx(0.2) and cos(10) == pytest.approx(0.02)
    assert cos(5) == pytest.approx(0.11)
    assert cos(20) == pytest.approx(0.2)  # PyTorch's cosine continues periodically past T_max


def test_cosine_restarts_boundaries():
    restarts = sch.cosine_restarts(1.0, T_0=2, T_mult=2)
    # periods 2, 4, 8: restarts at steps 2 and 6
    quarter, three_quarters = (1 + math.cos(math.pi / 4)) / 2, (1 + math.cos(3 * math.pi / 4)) / 2
    assert values(restarts, 7) == pytest.approx([1.0, 0.5, 1.0, quarter, 0.5, three_quarters, 1.0])
    expected = [1.0, 0.75, 0.25, 1.0, 0.75, 0.25, 1.0]
    assert values(sch.cosine_restarts(1.0, T_0=3), 7) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("T_0", "T_mult", "restarts"),
    [(2, 2, [0, 2, 6, 14, 30, 62]), (1, 3, [0, 1, 4, 13, 40, 121]), (5, 1, [0, 5, 10, 15])],
)
def test_cosine_restarts_periods_grow_geometrically(T_0, T_mult, restarts):  # noqa: N803
    # Period k lasts T_0 T_mult^k steps: the k-th restart is at T_0 (T_mult^k - 1)/(T_mult - 1).
    # Only a horizon of several periods tells geometric growth from any other.
    lr, eta_min = 0.5, 0.01
    schedule = sch.cosine_restarts(lr, T_0=T_0, T_mult=T_mult, eta_min=eta_min)
    rates = values(schedule, restarts[-1] + 1)
    assert [t for t, rate in enumerate(rates) if rate == lr] == restarts
    for start, end in zip(restarts, restarts[1:], strict=False):
        period = end - start
        middle = start + period / 2  # halfway through a period: halfway down (when whole)
        if period % 2 == 0:
            assert rates[int(middle)] == pytest.approx((lr + eta_min) / 2, rel=1e-12)
        assert rates[end - 1] == pytest.approx(
            eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (period - 1) / period)) / 2
        )


def test_linear_warmup():
    warm = sch.linear(0.5, start_factor=0.2, end_factor=1.0, total_iters=4)
    assert values(warm, 7) == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5])
    assert sch.linear(1.0)(0) == pytest.approx(1 / 3)  # PyTorch's defaults


def test_sequential_restarts_each_part_at_its_milestone():
    joined = sch.sequential(
        [sch.linear(1.0, 0.25, 1.0, 3), sch.cosine(1.0, T_max=4)], milestones=[3]
    )
    quarter, three_quarters = (1 + math.cos(math.pi / 4)) / 2, (1 + math.cos(3 * math.pi / 4)) / 2
    expected = [0.25, 0.5, 0.75, 1.0, quarter, 0.5, three_quarters, 0.0]
    assert values(joined, 8) == pytest.approx(expected)


def test_sequential_switches_exactly_at_each_milestone():
    # Parts that jump where they meet: a switch one step early or late changes a value.
    joined = sch.sequential(
        [sch.constant(0.5), sch.step_decay(0.1, 2, 0.5), sch.constant(0.9)], milestones=[2, 5]
    )
    expected = [0.5, 0.5, 0.1, 0.1, 0.05, 0.9, 0.9]
    assert values(joined, 7) == pytest.approx(expected, rel=1e-15)


@given(st.integers(0, 10_000))
def test_purity_and_ranges(t):
    for schedule, lo, hi in [
        (sch.step_decay(0.1, 7, 0.5), 0.0, 0.1),
        (sch.cyclic(0.01, 0.1, 13, mode="triangular2"), 0.01, 0.1),
        (sch.cosine(0.1, 100, 0.001), 0.001, 0.1),
        (sch.cosine_restarts(0.1, 10, 2), 0.0, 0.1),
        (sch.exponential_decay(0.1, 1e-3), 0.0, 0.1),
    ]:
        first, second = schedule(t), schedule(t)
        assert first == second and lo - 1e-12 <= first <= hi + 1e-12


@given(st.integers(0, 1000))
def test_decaying_schedules_never_increase(t):
    for schedule in (
        sch.step_decay(1.0, 5, 0.5),
        sch.exponential(1.0, 0.99),
        sch.cosine(1.0, 2000),
    ):
        assert schedule(t + 1) <= schedule(t)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: sch.constant(0.0), r"lr must be a real number in \(0, inf\)"),
        (lambda: sch.constant(-1.0), r"lr must be a real number in \(0, inf\)"),
        (lambda: sch.step_decay(0.1, 0), r"step_size must be an integer in \[1, inf\)"),
        (lambda: sch.step_decay(0.1, 5, gamma=1.5), r"gamma must be a real number in \(0, 1\]"),
        (lambda: sch.exponential(0.1, 0.0), r"gamma must be a real number in \(0, 1\]"),
        (lambda: sch.exponential_decay(0.1, -1.0), r"k must be a real number in \[0, inf\)"),
        (lambda: sch.cyclic(0.5, 0.1), r"max_lr must be a real number in \[0.5, inf\)"),
        (lambda: sch.cyclic(0.1, 0.5, mode="sine"), "mode must be"),
        (lambda: sch.cosine(0.1, 0), r"T_max must be an integer in \[1, inf\)"),
        (lambda: sch.cosine(0.1, 10, eta_min=0.5), r"eta_min must be a real number in \[0, 0.1\]"),
        (
            lambda: sch.cosine_restarts(0.1, 10, T_mult=0),
            r"T_mult must be an integer in \[1, inf\)",
        ),
        (
            lambda: sch.linear(0.1, start_factor=0.0),
            r"start_factor must be a real number in \(0, 1\]",
        ),
        (lambda: sch.sequential([sch.constant(0.1)], [5]), "schedules must hold 2 entries"),
        (
            lambda: sch.sequential([sch.constant(0.1)] * 3, [5, 2]),
            "milestones must be strictly increasing",
        ),
        (lambda: sch.constant(0.1)(-1), "step must be an integer"),
        (lambda: sch.constant(0.1)(1.5), "step must be an integer"),
    ],
)
def test_bad_arguments_are_rejected(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_schedule_drives_an_optimizer():
    import numpy as np

    from lecnotes import optim

    opt = optim.SGD(lr=sch.step_decay(0.1, 1, 0.5))
    params = {"w": np.array([0.0])}
    state = opt.init(params)
    for _ in range(3):
        params, state = opt.update(params, {"w": np.array([-1.0])}, state)
    assert params["w"][0] == pytest.approx(0.1 + 0.05 + 0.025)


def test_numpy_integer_steps_are_accepted():
    import numpy as np

    assert sch.step_decay(1.0, 2, 0.5)(np.int64(3)) == 0.5
    assert sch.cosine(1.0, T_max=4)(np.uint16(2)) == pytest.approx(0.5)


EVERY_KIND = [
    sch.constant(0.3),
    sch.step_decay(0.7, 5, 0.5),
    sch.exponential(0.9, 0.97),
    sch.exponential_decay(0.2, math.log(2) / 7),
    sch.cyclic(0.01, 0.1, 3, 5),
    sch.cyclic(0.01, 0.1, 4, mode="triangular2"),
    sch.cyclic(0.01, 0.1, 4, mode="exp_range", gamma=0.95),
    sch.cosine(0.1, 17, 0.001),
    sch.cosine_restarts(0.1, 3, 2, 0.01),
    sch.linear(0.5, 0.05, 1.0, 6),
    sch.sequential([sch.linear(1.0, 0.1, 1.0, 4), sch.cosine(1.0, 20)], [4]),
    lambda t: 0.5**t,  # any callable, not only this module's schedules
]


@pytest.mark.parametrize("schedule", EVERY_KIND)
def test_rates_are_the_schedule_at_every_step_to_the_last_bit(schedule):
    table = sch.rates(schedule, 40)
    assert table.dtype == np.float64 and table.shape == (40,)
    assert table.tolist() == values(schedule, 40)  # ==, not approx: the same numbers
    assert sch.rates(schedule, 0).shape == (0,)


@pytest.mark.parametrize(
    ("schedule", "steps", "message"),
    [
        (0.1, 3, "schedule must be callable"),
        (sch.constant(0.1), -1, r"steps must be an integer in \[0, inf\)"),
        (sch.constant(0.1), 2.5, "steps must be an integer"),
        (lambda t: "fast", 2, "the schedule's rates must be numeric"),
    ],
)
def test_rates_refuse_bad_arguments(schedule, steps, message):
    with pytest.raises(ValueError, match=message):
        sch.rates(schedule, steps)


def test_docstring_examples_run():
    results = doctest.testmod(sch)
    assert results.attempted >= 9 and results.failed == 0
