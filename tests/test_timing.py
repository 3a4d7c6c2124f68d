"""timing: the logic (repeats, calibration, medians, ratios), never the machine's speed."""

import itertools
import sys
import time

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


def test_ratios_pair_each_repeat_of_slow_with_the_same_repeat_of_fast():
    clock = FakeClock()
    slow_costs, fast_costs = iter([4.0, 4.0, 9.0, 6.0]), iter([2.0, 2.0, 3.0, 1.0])

    def slow():
        clock.now += next(slow_costs)

    def fast():
        clock.now += next(fast_costs)

    # One calibration call each (min_time 1), then three alternating repeats.
    result = timing.compare(slow, fast, repeats=3, min_time=1.0, clock=clock)
    assert result.ratios == (2.0, 3.0, 6.0)
    assert result.ratio == pytest.approx(6.0 / 2.0)  # medians 6 and 2, not the median ratio


@pytest.mark.skipif(sys.platform == "win32", reason="CPU time is wall-clock time on Windows")
def test_cpu_time_counts_computing_but_not_waiting():
    start = timing.cpu_time()
    time.sleep(0.2)  # the process waits: wall-clock time passes, CPU time hardly does
    waited = timing.cpu_time() - start
    start = timing.cpu_time()
    sum(range(3_000_000))  # the process computes: tens of milliseconds of CPU time
    computed = timing.cpu_time() - start
    assert waited < 0.05 and computed > 0.005


@pytest.mark.skipif(sys.platform == "win32", reason="CPU time is wall-clock time on Windows")
def test_cpu_time_counts_only_the_calling_thread():
    import threading

    stop = threading.Event()
    busy = threading.Thread(target=lambda: [None for _ in iter(stop.is_set, True)])
    busy.start()  # another thread of the process computes the whole time
    try:
        start = timing.cpu_time()
        time.sleep(0.2)  # this thread waits
        waited = timing.cpu_time() - start
    finally:
        stop.set()
        busy.join()
    assert waited < 0.05


def blas_threads() -> set[int]:
    """The thread counts of the BLAS libraries loaded in this process (NumPy's among them)."""
    import numpy as np  # noqa: F401 - loads NumPy's BLAS
    from threadpoolctl import threadpool_info

    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_one_blas_thread_limits_blas_inside_and_restores_it_after():
    from threadpoolctl import threadpool_limits

    assert blas_threads(), "NumPy's BLAS is not one threadpoolctl can control"
    with threadpool_limits(limits=2, user_api="blas"):  # as on a reader's multi-core machine
        with timing.one_blas_thread():
            assert blas_threads() == {1}
        assert blas_threads() == {2}
