"""Numerical gradients by centered differences, to check gradients derived by hand or by backprop.

For a scalar function ``f`` of an array ``x``, entry ``i`` of the gradient is approximated by

    (f(x + h e_i) - f(x - h e_i)) / (2h),

whose error is O(h^2) for a smooth ``f`` (the one-sided version's is O(h)). It costs two
evaluations of ``f`` per entry of ``x``, so it is far too slow to train with; it is for
checking an implementation on small inputs.

When to trust it:

- **float64 only.** Rounding in ``f`` is about ``eps * |f|`` and is divided by ``2h``; with
  float32 (eps ~ 1e-7) and h = 1e-5 that is an error of ~1e-2, larger than most bugs. Inputs
  that are not float64 are refused.
- **h around 1e-5** balances truncation (~h^2 |f'''|) against rounding (~eps |f| / h);
  relative errors below ~1e-7 then mean the gradients agree.
- **Not at a kink.** Within ``h`` of a point where ``f`` is not differentiable (ReLU at 0,
  ``max`` at a tie), the difference quotient straddles two slopes and disagrees with any
  analytic choice. :func:`check` detects this from the same evaluations -- the slopes on
  the two sides differ -- and warns with :class:`KinkWarning` naming the entries.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from lecnotes import _checks

Function = Callable[[np.ndarray], float]


class KinkWarning(UserWarning):
    """An input sits within ``h`` of a kink of ``f``: the numerical gradient is unreliable there."""


def _probe(f: Function, x: np.ndarray, h: float):
    """f(x), and f(x + h e_i), f(x - h e_i) for every entry i (each array has x's shape)."""
    x = x.copy()  # never modify the caller's array, even temporarily
    plus, minus = np.empty_like(x), np.empty_like(x)
    center = float(f(x))
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        plus[i] = f(x)
        x[i] = original - h
        minus[i] = f(x)
        x[i] = original
    return center, plus, minus


def numerical_gradient(f: Function, x, h: float = 1e-5) -> np.ndarray:
    """Centered-difference gradient of a scalar function: ``(f(x + h e_i) - f(x - h e_i)) / 2h``.

    Args:
        f: a function from an array of ``x``'s shape to a number.
        x: the point, a float64 array of any shape (not modified).
        h: the step, > 0.

    Returns:
        An array of ``x``'s shape, entry ``i`` the difference quotient along ``e_i``.
    """
    x = _checks.float64_array("x", x)
    h = _checks.positive_real("h", h)
    _, plus, minus = _probe(f, x, h)
    return (plus - minus) / (2 * h)


def relative_error(analytic, numeric, floor: float = 1e-8) -> np.ndarray:
    """Entry-wise ``|a - n| / max(|a| + |n|, floor)``: 0 when equal, 1 when opposite.

    Args:
        analytic, numeric: arrays of the same shape.
        floor: keeps entries where both gradients are ~0 from dividing by ~0 (> 0).

    Returns:
        An array of their shape, entries in [0, 1].
    """
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    _checks.same_shape("analytic", a, n.shape, "numeric")
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), _checks.positive_real("floor", floor))


@dataclass(frozen=True)
class Report:
    """Outcome of :func:`check`: the worst entry and where inputs sit near kinks."""

    max_error: float
    index: tuple
    analytic: float
    numeric: float
    tol: float
    kinks: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every entry agrees to within ``tol`` (relative error)."""
        return self.max_error <= self.tol

    def __str__(self) -> str:
        verdict = "OK" if self.ok else "MISMATCH"
        text = (
            f"{verdict}: max relative error {self.max_error:.1e} (tol {self.tol:.0e}) at index "
            f"{self.index}: analytic {self.analytic:.8g}, numeric {self.numeric:.8g}"
        )
        if self.kinks:
            text += f"; {len(self.kinks)} input(s) within h of a kink: {self.kinks[:5]}"
        return text


def check(
    f: Function,
    x,
    analytic,
    h: float = 1e-5,
    tol: float = 1e-7,
    kink_tol: float = 1e-3,
) -> Report:
    """Compare an ``analytic`` gradient of ``f`` at ``x`` with centered differences.

    The relative error's floor is the rounding noise of the differences divided by ``tol``,
    so entries that are ~0 compared with ``f`` itself are judged by absolute error. Warns with
    :class:`KinkWarning` for entries whose one-sided slopes ``(f(x+h)-f(x))/h`` and
    ``(f(x)-f(x-h))/h`` differ by more than ``kink_tol * max(1, |slope|)``: for a smooth ``f``
    they differ by only about ``h |f''|``, so a larger gap means a kink within ``h``.

    Args:
        f: a function from an array of ``x``'s shape to a number.
        x: the point, a float64 array (not modified).
        analytic: the gradient to check, of ``x``'s shape.
        h: the step; tol: the largest relative error that counts as agreement;
            kink_tol: the one-sided slopes' relative gap that signals a kink.

    Returns:
        A :class:`Report`: ``ok``, ``max_error`` and the worst entry's ``index``,
        ``analytic`` and ``numeric`` values, and ``kinks`` (indices within ``h`` of a kink).
    """
    x = _checks.float64_array("x", x)
    h, tol = _checks.positive_real("h", h), _checks.positive_real("tol", tol)
    analytic = np.asarray(analytic, dtype=float)
    _checks.same_shape("analytic", analytic, x.shape, "x")
    center, plus, minus = _probe(f, x, h)
    numeric = (plus - minus) / (2 * h)
    forward, backward = (plus - center) / h, (center - minus) / h
    scale = np.maximum(1.0, np.maximum(np.abs(forward), np.abs(backward)))
    kinks = [
        tuple(int(k) for k in i) for i in np.argwhere(np.abs(forward - backward) > kink_tol * scale)
    ]
    if kinks:
        warnings.warn(
            f"{len(kinks)} input(s) within h={h:g} of a kink (e.g. ReLU at 0, max at a tie), "
            f"where the numerical gradient is unreliable: {kinks[:5]}",
            KinkWarning,
            stacklevel=2,
        )
    # Rounding leaves about eps |f| / h of absolute noise in every numerical entry; entries
    # smaller than noise / tol cannot be judged relatively, so that is the error's floor.
    noise = 16 * np.finfo(np.float64).eps * max(abs(center), np.abs(plus).max(initial=0.0)) / h
    errors = relative_error(analytic, numeric, floor=max(1e-8, noise / tol))
    worst = np.unravel_index(int(np.argmax(errors)), errors.shape) if errors.size else ()
    return Report(
        max_error=float(errors.max()) if errors.size else 0.0,
        index=tuple(int(i) for i in worst),
        analytic=float(analytic[worst]) if errors.size else 0.0,
        numeric=float(numeric[worst]) if errors.size else 0.0,
        tol=tol,
        kinks=kinks,
    )
