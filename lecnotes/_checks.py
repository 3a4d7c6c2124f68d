"""The one validation layer: every public function of ``lecnotes`` checks its arguments here.

Each check returns the argument converted to what the caller computes with, or raises
``ValueError`` naming the argument, its value and what was expected -- one exception type
for every kind of bad input, wrong type included. Numbers are accepted by kind
(``numbers.Integral``, ``numbers.Real``), so NumPy scalars work like Python ones; ``bool``
is refused wherever a number is expected (``True`` is an ``int`` in Python, rarely meant).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np


def _interval(low, high, low_open: bool, high_open: bool) -> str:
    """``[0, 1)``-style text for the bounds; ``inf`` where there is none."""
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    low_text = "-inf" if low is None else f"{low:g}"
    high_text = "inf" if high is None else f"{high:g}"
    return f"{left}{low_text}, {high_text}{right}"


def _within(value: float, low, high, low_open: bool, high_open: bool) -> bool:
    above = low is None or (value > low if low_open else value >= low)
    below = high is None or (value < high if high_open else value <= high)
    return above and below


def integer(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` if it is a whole number in ``[low, high]`` (either may be None)."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not _within(value, low, high, False, False):
        raise ValueError(
            f"{name} must be an integer in {_interval(low, high, False, False)}, got {value!r}"
        )
    return int(value)


def positive_int(name: str, value: object) -> int:
    """``value`` as an ``int`` if it is a whole number >= 1."""
    return integer(name, value, low=1)


def real(
    name: str, value: object, low: float | None = None, high: float | None = None,
    low_open: bool = False, high_open: bool = False,
) -> float:  # fmt: skip
    """``value`` as a ``float`` if it is a finite real number within the given bounds.

    ``low``/``high`` are inclusive unless ``low_open``/``high_open``; None means unbounded.
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    if not _within(value, low, high, low_open, high_open):
        bounds = _interval(low, high, low_open, high_open)
        raise ValueError(f"{name} must be a real number in {bounds}, got {value!r}")
    return float(value)


def positive_real(name: str, value: object) -> float:
    """``value`` as a ``float`` if it is finite and > 0."""
    return real(name, value, low=0.0, low_open=True)


def nonnegative_real(name: str, value: object) -> float:
    """``value`` as a ``float`` if it is finite and >= 0."""
    return real(name, value, low=0.0)


def one_of(name: str, value: object, options: Sequence) -> object:
    """``value`` itself if it is one of ``options``."""
    if isinstance(value, str | int | float | type(None)) and value in options:
        return value
    raise ValueError(f"{name} must be one of {list(options)!r}, got {value!r}")


def generator(name: str, value: object) -> np.random.Generator:
    """``value`` if it is a NumPy ``Generator`` (make one with ``np.random.default_rng(seed)``)."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy Generator (np.random.default_rng(seed)), got {value!r}"
        )
    return value


def text(name: str, value: object) -> str:
    """``value`` if it is a string with something to read (not only spaces)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def function(name: str, value: object) -> object:
    """``value`` if it can be called."""
    if not callable(value):
        raise ValueError(f"{name} must be callable, got {value!r}")
    return value


def float_array(name: str, value: object, ndim: int | None = None, min_ndim: int = 0):
    """``value`` as a float64 array (no copy if it already is one); scalars are 0-d arrays.

    Booleans and integers are converted; anything non-numeric is refused. ``ndim`` demands
    exactly that many axes, ``min_ndim`` at least that many.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric (int or float), got dtype {array.dtype}")
    if (ndim is not None and array.ndim != ndim) or array.ndim < min_ndim:
        wanted = f"{ndim}" if ndim is not None else f"at least {min_ndim}"
        raise ValueError(f"{name} must have {wanted} axes, got shape {array.shape}")
    return array.astype(np.float64, copy=False)


def float64_array(name: str, value: object) -> np.ndarray:
    """``value`` if it is already a float64 array: no silent conversion from lower precision."""
    array = np.asarray(value)
    if array.dtype != np.float64:
        raise ValueError(
            f"{name} must be a float64 array (centered differences in lower precision are "
            f"dominated by rounding), got dtype {array.dtype}"
        )
    return array


def index_array(name: str, value: object, size: int, ndim: int | None = None) -> np.ndarray:
    """``value`` as an integer array whose entries index an axis of length ``size``."""
    array = np.asarray(value)
    if array.dtype.kind not in "iu" or (ndim is not None and array.ndim != ndim):
        axes = f"a {ndim}-D" if ndim is not None else "an"
        raise ValueError(f"{name} must be {axes} array of integers, got {value!r}")
    if array.size and (array.min() < 0 or array.max() >= size):
        raise ValueError(f"{name} must lie in [0, {size}), got values {np.unique(array)[:10]}")
    return array


def mask(name: str, value: object, size: int, what: str) -> np.ndarray:
    """``value`` if it is a 1-D boolean array of ``size`` entries (``what`` says of what)."""
    array = np.asarray(value)
    if array.dtype != bool or array.shape != (size,):
        raise ValueError(
            f"{name} must be a boolean array of shape ({size},) ({what}), got {value!r}"
        )
    return array


def shape(name: str, value: object, min_ndim: int = 1) -> tuple[int, ...]:
    """``value`` as a tuple of at least ``min_ndim`` positive ints; an integer is a 1-D shape."""
    dims = (value,) if isinstance(value, Integral) and not isinstance(value, bool) else value
    try:
        dims = tuple(dims)
    except TypeError:
        dims = ()
    if not dims or any(isinstance(d, bool) or not isinstance(d, Integral) or d < 1 for d in dims):
        raise ValueError(f"{name} must be a tuple of positive integers, got {value!r}")
    if len(dims) < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimensions, got {value!r}")
    return tuple(int(d) for d in dims)


def sized(
    name: str, value: object, low: int = 0, high: int | None = None, distinct: bool = False
) -> tuple:
    """``value`` as a tuple if it holds ``low`` to ``high`` entries (distinct, if asked)."""
    try:
        entries = tuple(value)
    except TypeError:
        raise ValueError(f"{name} must be a sequence, got {value!r}") from None
    count = "" if high == low else f"{low} to {high}" if high is not None else f"at least {low}"
    if len(entries) < low or (high is not None and len(entries) > high):
        raise ValueError(f"{name} must hold {count or low} entries, got {len(entries)}: {value!r}")
    if distinct and len({str(e) for e in entries}) != len(entries):
        raise ValueError(f"{name} must hold distinct entries, got {value!r}")
    return entries


def known_names(name: str, names, known) -> list:
    """``names`` as a list if every one of them is a key of ``known``."""
    names = list(names)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(f"{name} names unknown parameters {unknown}; known: {sorted(known)}")
    return names


def same_names(name: str, value: dict, expected) -> None:
    """Refuse the dict ``value`` unless its keys are exactly the names ``expected``."""
    if set(value) != set(expected):
        raise ValueError(
            f"{name} must hold exactly the names {sorted(expected)}, got {sorted(value)}"
        )


def increasing(name: str, values) -> tuple:
    """``values`` as a tuple if each entry is larger than the one before."""
    values = tuple(values)
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing, got {list(values)}")
    return values


def same_shape(name: str, value: np.ndarray, expected: tuple[int, ...], what: str) -> None:
    """Refuse ``value`` unless its shape is ``expected`` (``what`` names the reference)."""
    if np.shape(value) != tuple(expected):
        raise ValueError(
            f"{name} has shape {np.shape(value)}, but {what} has shape {tuple(expected)}"
        )


def columns(name: str, value: np.ndarray, expected: int, what: str, ndim: int = 2) -> None:
    """Refuse ``value`` unless it has ``ndim`` axes (2: a matrix) and ``expected`` entries along
    its last (its columns; ``what`` says whose width)."""
    if np.ndim(value) != ndim or np.shape(value)[-1] != expected:
        raise ValueError(
            f"{name} must have {expected} columns ({what}), got shape {np.shape(value)}"
        )
