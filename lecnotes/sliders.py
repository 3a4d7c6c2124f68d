"""Slider specifications: the positions a widget's slider can take, and how readers see them.

``widgets.interact(draw, lr=widgets.log_slider(1e-3, 1, 7, label="learning rate"))``: each
keyword names a slider (its name in shared links, ``?lr=0.01``) and gives its spec -- a
:class:`Slider` made by :func:`linear_slider`, :func:`int_slider`, :func:`log_slider` or
:func:`choice`, or a shorthand that :func:`as_slider` accepts. A slider holds a finite list
of values because every position's frame is drawn in advance (see ``lecnotes.widgets``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks


@dataclass(frozen=True)
class Slider:
    """The positions a slider can take: ``values[i]`` is shown to readers as ``labels[i]``."""

    kind: str  # "linear", "log", "int" or "choice"
    values: tuple
    labels: tuple[str, ...]
    index: int  # starting position, the same in Jupyter and on the site
    label: str | None = None  # what readers see next to it ("learning rate"); default: its name

    @property
    def value(self):
        """The starting value."""
        return self.values[self.index]


def _start(name: str, values: Sequence, value) -> int:
    """Index of the position closest to ``value`` (the middle one when ``value`` is None)."""
    if value is None:
        return (len(values) - 1) // 2
    if isinstance(values[0], str):
        return list(values).index(_checks.one_of(f"{name} value", value, values))
    value = _checks.real(f"{name} value", value, low=min(values), high=max(values))
    return int(np.argmin([abs(v - value) for v in values]))


def _decimals(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly: 0.09 -> 2, 5 -> 0."""
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _label(label: str | None) -> str | None:
    """A slider's readable name, checked; None keeps the keyword it is passed as."""
    return None if label is None else _checks.text("label", label)


def linear_slider(
    lo: float, hi: float, step: float, value: float | None = None, label: str | None = None
) -> Slider:
    """Evenly spaced floats ``lo, lo + step, ..., <= hi`` (like ``ipywidgets.FloatSlider``).

    Args:
        lo, hi: the ends, ``lo < hi``.
        step: the spacing, > 0.
        value: the starting position (the nearest value; default: the middle one).
        label: the name readers see, e.g. ``"learning rate"`` (default: the keyword).

    Returns:
        A :class:`Slider` of kind ``"linear"``.
    """
    lo, step = _checks.real("lo", lo), _checks.positive_real("step", step)
    hi = _checks.real("hi", hi, low=lo, low_open=True)
    count = int(math.floor((hi - lo) / step + 1e-9)) + 1
    digits = _decimals(step)
    # Multiply and round rather than add repeatedly: 0.1 + 0.2 is 0.30000000000000004.
    values = tuple(round(lo + k * step, digits + 6) for k in range(count))
    labels = tuple(f"{v:.{digits}f}" for v in values)
    start = _start("linear_slider", values, value)
    return Slider("linear", values, labels, start, _label(label))


def int_slider(
    lo: int, hi: int, step: int = 1, value: int | None = None, label: str | None = None
) -> Slider:
    """The integers ``lo, lo + step, ..., <= hi``.

    Args:
        lo, hi: the ends, ``lo < hi``; step: the spacing, >= 1.
        value, label: as for :func:`linear_slider`.

    Returns:
        A :class:`Slider` of kind ``"int"``.
    """
    lo = _checks.integer("lo", lo)
    hi, step = _checks.integer("hi", hi, low=lo + 1), _checks.positive_int("step", step)
    values = tuple(range(lo, hi + 1, step))
    labels = tuple(str(v) for v in values)
    return Slider("int", values, labels, _start("int", values, value), _label(label))


def format_log(value: float) -> str:
    """Readable label for a log-scale value: 1e-3, 3.16e-5, 0.5, 316, 1024, 1e6.

    Args:
        value: the number.

    Returns:
        An integer below 1e5 as such, three significant digits from 0.01 to 1000, else
        ``<mantissa>e<exponent>`` with at most three significant digits.
    """
    if float(value).is_integer() and abs(value) < 1e5:
        return str(int(value))
    if 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def log_slider(
    lo: float, hi: float, num: int, value: float | None = None, label: str | None = None
) -> Slider:
    """``num`` values evenly spaced in log scale from ``lo`` to ``hi``.

    Args:
        lo, hi: the ends, ``0 < lo < hi``.
        num: the number of positions, >= 2.
        value: the starting position (the nearest value; default: the middle one).
        label: the name readers see, e.g. ``"learning rate"`` (default: the keyword).

    Returns:
        A :class:`Slider` of kind ``"log"``.
    """
    lo = _checks.positive_real("lo", lo)
    hi, num = _checks.real("hi", hi, low=lo, low_open=True), _checks.integer("num", num, low=2)
    values = tuple(float(f"{v:.12g}") for v in np.geomspace(lo, hi, num))
    labels = tuple(format_log(v) for v in values)
    return Slider("log", values, labels, _start("log_slider", values, value), _label(label))


def choice(options: Sequence, value=None, label: str | None = None) -> Slider:
    """One of a few named options, e.g. ``choice(["sigmoid", "tanh", "relu"])``.

    Args:
        options: at least two distinct options; each is shown as ``str(option)``.
        value: the starting option (default: the middle one); label: as for
            :func:`linear_slider`.

    Returns:
        A :class:`Slider` of kind ``"choice"``.
    """
    options = _checks.sized("options", options, low=2, distinct=True)
    labels = tuple(str(o) for o in options)
    start = _start("choice", labels, None if value is None else str(value))
    return Slider("choice", options, labels, start, _label(label))


def as_slider(name: str, spec) -> Slider:
    """Accept a :class:`Slider`, a ``(lo, hi, step)`` tuple or a list of options.

    Args:
        name: the slider's keyword (for the error message); spec: a :class:`Slider`; a
            list (:func:`choice`); a tuple ``(lo, hi)`` or ``(lo, hi, step)`` of ints
            (:func:`int_slider`) or of other numbers (:func:`linear_slider`, ten steps
            when ``step`` is left out).

    Returns:
        A :class:`Slider`.
    """
    if isinstance(spec, Slider):
        return spec
    if isinstance(spec, list):
        return choice(spec)
    if isinstance(spec, tuple) and len(spec) in (2, 3):
        lo, hi, *step = spec
        if all(isinstance(v, int) and not isinstance(v, bool) for v in spec):
            return int_slider(lo, hi, *step)
        return linear_slider(lo, hi, *(step or [(hi - lo) / 10]))
    raise ValueError(
        f"slider {name!r}: expected a Slider, a (lo, hi, step) tuple or a list of options, "
        f"got {spec!r}"
    )
