"""_checks: the one validation layer -- what it accepts, what it refuses, how it says so."""

import numpy as np
import pytest

from lecnotes import _checks


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3)])
def test_integers_of_any_kind_are_accepted(value):
    assert _checks.integer("n", value, low=0) == 3 and type(_checks.integer("n", value)) is int


@pytest.mark.parametrize("value", [0.5, np.float64(0.5), 1, np.int32(1)])
def test_reals_of_any_kind_are_accepted(value):
    assert _checks.real("x", value, low=0, high=1) == float(value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: _checks.integer("n", True), "n must be an integer, got True"),
        (lambda: _checks.integer("n", 2.0), "n must be an integer, got 2.0"),
        (lambda: _checks.positive_int("n", 0), r"n must be an integer in \[1, inf\), got 0"),
        (lambda: _checks.integer("n", 5, high=4), r"in \(-inf, 4\], got 5"),
        (lambda: _checks.real("x", False), "x must be a finite real number, got False"),
        (lambda: _checks.real("x", float("nan")), "x must be a finite real number, got nan"),
        (lambda: _checks.real("x", "1"), "x must be a finite real number, got '1'"),
        (
            lambda: _checks.positive_real("x", 0.0),
            r"x must be a real number in \(0, inf\), got 0.0",
        ),
        (lambda: _checks.real("x", 1.0, 0, 1, high_open=True), r"in \[0, 1\), got 1.0"),
        (lambda: _checks.one_of("mode", "b", ("a",)), r"mode must be one of \['a'\], got 'b'"),
        (lambda: _checks.one_of("mode", ["a"], ("a",)), "mode must be one of"),
        (lambda: _checks.generator("rng", 0), "rng must be a numpy Generator"),
        (lambda: _checks.function("draw", 1), "draw must be callable, got 1"),
        (lambda: _checks.text("label", " "), "label must be a non-empty string, got ' '"),
        (lambda: _checks.text("label", 3), "label must be a non-empty string, got 3"),
        (lambda: _checks.float_array("z", ["a"]), "z must be numeric"),
        (lambda: _checks.float_array("z", 1.0, min_ndim=1), r"at least 1 axes, got shape \(\)"),
        (lambda: _checks.float64_array("x", np.ones(2, np.float32)), "x must be a float64 array"),
        (lambda: _checks.index_array("ids", [0, 3], 3), r"ids must lie in \[0, 3\)"),
        (lambda: _checks.index_array("ids", [0.5], 3), "ids must be an array of integers"),
        (lambda: _checks.shape("shape", (2, 0)), "shape must be a tuple of positive integers"),
        (lambda: _checks.shape("shape", "ab"), "shape must be a tuple of positive integers"),
        (lambda: _checks.same_shape("g", np.ones(2), (3,), "w"), r"g has shape \(2,\), but w has"),
        (lambda: _checks.shape("shape", (3,), min_ndim=2), "at least 2 dimensions"),
        (lambda: _checks.sized("betas", 0.9, 2, 2), "betas must be a sequence"),
        (lambda: _checks.sized("betas", (0.9,), 2, 2), "betas must hold 2 entries, got 1"),
        (lambda: _checks.sized("options", ["a"], low=2), "must hold at least 2 entries"),
        (lambda: _checks.sized("s", [1, 2, 3, 4], 1, 3), "s must hold 1 to 3 entries, got 4"),
        (lambda: _checks.sized("options", ["a", "a"], distinct=True), "must hold distinct"),
        (lambda: _checks.known_names("include", ["W3"], {"W1": 1}), r"unknown parameters \['W3'\]"),
        (lambda: _checks.increasing("milestones", [5, 2]), "must be strictly increasing"),
        (
            lambda: _checks.same_names("params", {"W1": 1, "c": 2}, ["W1", "b1"]),
            r"params must hold exactly the names \['W1', 'b1'\], got \['W1', 'c'\]",
        ),
        (
            lambda: _checks.columns("X", np.ones((5, 3)), 2, "W1 has shape (8, 2)"),
            r"X must have 2 columns \(W1 has shape \(8, 2\)\), got shape \(5, 3\)",
        ),
        (lambda: _checks.columns("X", np.ones(3), 3, "w"), r"X must have 3 columns .* \(3,\)"),
        (
            lambda: _checks.mask("units", np.ones(3), 3, "one per unit"),
            r"units must be a boolean array of shape \(3,\) \(one per unit\), got array",
        ),
        (lambda: _checks.mask("units", np.ones(2, bool), 3, "w"), r"of shape \(3,\) \(w\)"),
    ],
)
def test_bad_values_raise_one_value_error_naming_argument_value_and_expectation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_conversions():
    array = np.arange(3.0)
    assert _checks.float_array("x", array) is array  # no copy of float64 input
    assert _checks.float_array("x", [1, 2]).dtype == np.float64
    assert _checks.shape("shape", np.int64(4)) == (4,)
    assert _checks.shape("shape", [2, np.int32(3)]) == (2, 3)
    units = np.array([True, False])
    assert _checks.mask("units", units, 2, "w") is units
