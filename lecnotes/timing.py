"""Wall-clock timing that survives a noisy machine: median of repeats, and ratios.

A single timing run is dominated by noise (other processes, CPU frequency, caches), so we
repeat the measurement and report the median, which ignores a few slow outliers. Each
repeat calls the function ``number`` times so that one repeat lasts long enough
(``min_time``) for the clock's resolution not to matter. The clock is wall-clock time
unless a caller passes another: :func:`cpu_time` counts only the calling thread's CPU time,
so programs running beside it do not inflate a measurement; time inside
:func:`one_blas_thread` when the timed code calls BLAS (matrix products), so that all their
arithmetic runs in that thread. Numbers from here are never asserted in tests: they depend
on the reader's machine.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lecnotes import _checks


@dataclass(frozen=True)
class Timing:
    """Seconds per call: ``median`` over ``repeats`` runs of ``number`` calls each."""

    median: float
    per_call: tuple[float, ...]
    number: int

    def __str__(self) -> str:
        return f"{format_seconds(self.median)} per call (median of {len(self.per_call)})"


@dataclass(frozen=True)
class Comparison:
    """Two timings of the same computation and how many times faster the second one is."""

    slow: Timing
    fast: Timing

    @property
    def ratio(self) -> float:
        """``slow.median / fast.median``: 12.0 means the fast version is 12x faster."""
        return self.slow.median / self.fast.median

    @property
    def ratios(self) -> tuple[float, ...]:
        """The ratio of each repeat, ``slow.per_call[i] / fast.per_call[i]``: the two were
        timed one right after the other, so their spread shows how steady the ratio is."""
        return tuple(s / f for s, f in zip(self.slow.per_call, self.fast.per_call, strict=True))


# The CPU clocks advance in steps of about 16 ms on Windows: too coarse for a repeat of a
# few milliseconds, so there the CPU clock falls back to wall-clock time.
_CPU_CLOCK = time.perf_counter if sys.platform == "win32" else time.thread_time


def cpu_time() -> float:
    """Seconds of CPU time the calling thread has used (``time.thread_time``), as a clock.

    Unlike wall-clock time it does not advance while the operating system runs other
    programs, so ``compare(slow, fast, clock=cpu_time)`` gives the same ratio on a busy
    machine as on an idle one. It counts only the calling thread: not the kernel's own
    threads (its messages to the notebook), nor BLAS's helper threads, which may still be
    spinning, waiting for work, well after a multithreaded product has returned -- so time
    matrix products inside :func:`one_blas_thread`, where all their arithmetic runs in this
    thread. On Windows, whose CPU-time clocks are too coarse, it is ``time.perf_counter``.

    Returns:
        Seconds, a float; only differences between two calls mean anything.
    """
    return _CPU_CLOCK()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit the BLAS library NumPy uses (OpenBLAS, MKL, BLIS) to one thread in the block.

    :func:`cpu_time` counts only the calling thread. With several BLAS threads (their
    default outside this book's Makefile: one per core) a large matrix product hands part of
    its arithmetic to helper threads, and a comparison of a product with work NumPy does in
    one thread (``np.tanh``) would no longer compare the arithmetic: chapter 2's checks
    failed with two OpenBLAS threads (timed then in the whole process's CPU time) and pass
    with one. On leaving, the previous limits come back.
    Through ``threadpoolctl``, imported on first use; a BLAS it does not know (Apple's
    Accelerate) keeps its threads.

    Example:
        >>> import numpy as np  # loads NumPy's BLAS
        >>> from threadpoolctl import threadpool_info
        >>> with one_blas_thread():
        ...     blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        >>> sorted({pool["num_threads"] for pool in blas})
        [1]
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def format_seconds(seconds: float) -> str:
    """Format a duration with three significant digits and a unit: 6.39e-4 -> '639 µs'.

    Args:
        seconds: the duration.

    Returns:
        The text, in s, ms, µs or ns (the largest unit the duration reaches).
    """
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if abs(seconds) >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def calibrate(fn: Callable[[], object], min_time: float, clock=time.perf_counter) -> int:
    """How many calls make one repeat last at least ``min_time``.

    Args:
        fn: the function to time (no arguments).
        min_time: seconds, > 0.
        clock: the clock (injectable for tests).

    Returns:
        The smallest ``number`` in 1, 2, 5, 10, 20, ... whose calls last >= ``min_time``.
    """
    min_time = _checks.positive_real("min_time", min_time)
    number = 1
    while True:
        start = clock()
        for _ in range(number):
            fn()
        if clock() - start >= min_time:
            return number
        # 1, 2, 5 per decade, like the standard library's timeit.autorange.
        number = number * 5 // 2 if str(number).startswith("2") else number * 2


def _run(fn: Callable[[], object], number: int, clock: Callable[[], float]) -> float:
    """Seconds per call over one run of ``number`` back-to-back calls."""
    start = clock()
    for _ in range(number):
        fn()
    return (clock() - start) / number


def measure(
    fn: Callable[[], object],
    *,
    repeats: int = 7,
    number: int | None = None,
    min_time: float = 0.02,
    clock: Callable[[], float] = time.perf_counter,
) -> Timing:
    """Time ``fn()``: median over ``repeats`` of (time of ``number`` calls) / ``number``.

    Args:
        fn: the function to time (no arguments).
        repeats: independent measurements (>= 1).
        number: calls per measurement; None picks it with :func:`calibrate`.
        min_time: seconds each measurement lasts at least, when ``number`` is None.
        clock: the clock, injectable so the logic can be tested without the machine.

    Returns:
        A :class:`Timing`: ``median`` seconds per call, ``per_call`` for every repeat, ``number``.
    """
    repeats = _checks.positive_int("repeats", repeats)
    number = (
        calibrate(fn, min_time, clock) if number is None else _checks.positive_int("number", number)
    )
    per_call = tuple(_run(fn, number, clock) for _ in range(repeats))
    return Timing(statistics.median(per_call), per_call, number)


def compare(
    slow: Callable[[], object],
    fast: Callable[[], object],
    *,
    repeats: int = 7,
    min_time: float = 0.02,
    clock: Callable[[], float] = time.perf_counter,
) -> Comparison:
    """Time ``slow`` and ``fast`` alternately, so that a burst of background load hits both.

    Args:
        slow, fast: the two functions (no arguments), the first expected to be slower.
        repeats, min_time: as for :func:`measure`.

    Returns:
        A :class:`Comparison`: ``slow`` and ``fast`` :class:`Timing` and their ``ratio``.
    """
    repeats = _checks.positive_int("repeats", repeats)
    numbers = [calibrate(fn, min_time, clock) for fn in (slow, fast)]
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for fn, number, out in zip((slow, fast), numbers, runs, strict=True):
            out.append(_run(fn, number, clock))
    slow_t, fast_t = (
        Timing(statistics.median(r), tuple(r), n) for r, n in zip(runs, numbers, strict=True)
    )
    return Comparison(slow_t, fast_t)
