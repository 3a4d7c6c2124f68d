"""timing: the logic (repeats, calibration, medians, ratios), never the machine's speed."""

import itertools

import pytest

from lecnotes import timing


class FakeClock:
    """A clock that advances by ``cost`` seconds each time the timed function runs."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def work(self, cost):
        def fn():
            self.now += cost

        return fn


def test_measure_reports_seconds_per_call_and_the_median():
    clock = FakeClock()
    costs = itertools.cycle([1.0, 3.0, 2.0])  # one run is slow: the median ignores it

    def fn():
        clock.now += next(costs)

    result = timing.measure(fn, repeats=3, number=1, clock=clock)
    assert result.per_call == (1.0, 3.0, 2.0)
    assert result.median == 2.0
    assert result.number == 1


def test_measure_divides_by_number_of_calls():
    clock = FakeClock()
    result = timing.measure(clock.work(0.5), repeats=2, number=4, clock=clock)
    assert result.per_call == (0.5, 0.5)


def test_calibrate_steps_through_1_2_5_until_min_time():
    clock = FakeClock()
    # Each call costs 1 ms: 1, 2, 5, 10, 20 calls -> 20 ms is the first run >= 15 ms.
    assert timing.calibrate(clock.work(1e-3), min_time=0.015, clock=clock) == 20


def test_compare_ratio_is_slow_over_fast():
    clock = FakeClock()
    result = timing.compare(clock.work(6e-3), clock.work(2e-3), repeats=3, clock=clock)
    assert result.slow.median == pytest.approx(6e-3)
    assert result.fast.median == pytest.approx(2e-3)
    assert result.ratio == pytest.approx(3.0)


def test_compare_alternates_the_two_functions():
    clock, calls = FakeClock(), []

    def slow():
        calls.append("slow")
        clock.now += 1.0

    def fast():
        calls.append("fast")
        clock.now += 1.0

    timing.compare(slow, fast, repeats=2, min_time=0.5, clock=clock)
    # Calibration (one call each), then the repeats alternate slow, fast, slow, fast.
    assert calls == ["slow", "fast", "slow", "fast", "slow", "fast"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(639e-6, "639 µs"), (53.8e-6, "53.8 µs"), (1.5, "1.5 s"), (2e-3, "2 ms"), (4e-9, "4 ns")],
)
def test_format_seconds(seconds, text):
    assert timing.format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"repeats": 0}, "repeats"), ({"number": -1}, "number"), ({"min_time": 0}, "min_time")],
)
def test_bad_arguments_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        timing.measure(lambda: None, **kwargs)
