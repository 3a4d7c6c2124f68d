"""init: fans, gains, bounds and variances as torch.nn.init defines them."""

import math

import numpy as np
import pytest

from lecnotes import init

SHAPE = (400, 600)  # (fan_out, fan_in): 240,000 samples, variance known to ~0.5 %


def rng():
    return np.random.default_rng(0)


def test_fans_of_a_matrix_and_of_a_convolution_kernel():
    assert init.fans((300, 500)) == (500, 300)
    assert init.fans((16, 3, 5, 5)) == (3 * 25, 16 * 25)


@pytest.mark.parametrize(
    ("name", "param", "gain"),
    [("linear", None, 1.0), ("sigmoid", None, 1.0), ("conv2d", None, 1.0), ("tanh", None, 5 / 3),
     ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
     ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("selu", None, 0.75)],
)  # fmt: skip
def test_calculate_gain(name, param, gain):
    assert init.calculate_gain(name, param) == pytest.approx(gain, rel=1e-15)


@pytest.mark.parametrize(
    ("make", "variance", "bound"),
    [
        (lambda: init.xavier_uniform(rng(), SHAPE), 2 / 1000, math.sqrt(6 / 1000)),
        (lambda: init.xavier_uniform(rng(), SHAPE, gain=5 / 3), (5 / 3) ** 2 * 2 / 1000,
         5 / 3 * math.sqrt(6 / 1000)),
        (lambda: init.xavier_normal(rng(), SHAPE), 2 / 1000, None),
        (lambda: init.kaiming_uniform(rng(), SHAPE), 2 / 600, math.sqrt(6 / 600)),
        (lambda: init.kaiming_uniform(rng(), SHAPE, mode="fan_out"), 2 / 400, math.sqrt(6 / 400)),
        (lambda: init.kaiming_normal(rng(), SHAPE), 2 / 600, None),
        (lambda: init.kaiming_normal(rng(), SHAPE, a=0.2), 2 / 1.04 / 600, None),
        (lambda: init.he_uniform(rng(), SHAPE), 2 / 600, math.sqrt(6 / 600)),
        (lambda: init.he_normal(rng(), SHAPE), 2 / 600, None),
        (lambda: init.uniform(rng(), SHAPE, -0.3, 0.3), 0.09 / 3, 0.3),
        (lambda: init.normal(rng(), SHAPE, 0.0, 0.05), 0.0025, None),
    ],
)  # fmt: skip
def test_sample_variance_and_bounds_match_the_formulas(make, variance, bound):
    W = make()
    assert W.shape == SHAPE and W.dtype == np.float64
    assert W.var() == pytest.approx(variance, rel=0.02)
    assert abs(W.mean()) < 4 * math.sqrt(variance / W.size)
    if bound is not None:
        assert np.abs(W).max() <= bound
        assert np.abs(W).max() > 0.99 * bound  # the whole interval is used


def test_same_seed_same_weights_different_seed_different_weights():
    a = init.xavier_uniform(np.random.default_rng(5), (30, 20))
    b = init.xavier_uniform(np.random.default_rng(5), (30, 20))
    c = init.xavier_uniform(np.random.default_rng(6), (30, 20))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_zeros_and_constant():
    assert init.zeros((2, 3)).tolist() == [[0.0] * 3] * 2
    assert init.constant(4, 0.5).tolist() == [0.5] * 4


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: init.xavier_uniform(rng(), (10,)), "at least 2 dimensions"),
        (lambda: init.xavier_uniform(rng(), (0, 5)), "positive integers"),
        (lambda: init.xavier_uniform(rng(), (3, 2.5)), "positive integers"),
        (
            lambda: init.xavier_uniform(rng(), (3, 4), gain=0.0),
            r"gain must be a real number in \(0, inf\)",
        ),
        (
            lambda: init.xavier_normal(rng(), (3, 4), gain=-1.0),
            r"gain must be a real number in \(0, inf\)",
        ),
        (
            lambda: init.kaiming_normal(rng(), (3, 4), mode="fan_avg"),
            r"mode must be one of \[\'fan_in\', \'fan_out\'\]",
        ),
        (lambda: init.calculate_gain("swish"), "nonlinearity must be one of"),
        (lambda: init.calculate_gain("conv4d"), "nonlinearity must be one of"),
        (lambda: init.calculate_gain("convolution"), "nonlinearity must be one of"),
        (lambda: init.calculate_gain("identity"), "nonlinearity must be one of"),
        (lambda: init.uniform(rng(), (3, 4), 1.0, -1.0), r"b must be a real number in \(1, inf\)"),
        (lambda: init.normal(rng(), (3, 4), std=0.0), r"std must be a real number in \(0, inf\)"),
        (lambda: init.xavier_uniform(42, (3, 4)), "rng must be a numpy Generator"),
        (lambda: init.constant((2,), float("nan")), "value must be a finite real number"),
    ],
)
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
