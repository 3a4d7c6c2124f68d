"""Argument validation shared by every module: one clear ``ValueError`` per bad input."""

from __future__ import annotations

import math
from numbers import Integral, Real


def positive_int(name: str, value: object) -> int:
    """Return ``value`` as an int if it is a whole number >= 1, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def finite_real(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def positive_real(name: str, value: object) -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise ValueError."""
    number = finite_real(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number
