"""activations: derivatives against centered differences, identities, stability, properties."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lecnotes import activations as act
from lecnotes import gradcheck, losses

# Points away from every kink (0 and +-1), both signs, several scales.
POINTS = np.array([-6.0, -3.3, -1.7, -0.6, -0.2, 0.15, 0.55, 1.4, 2.9, 7.0])


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_derivative_matches_centered_differences(name):
    a = act.get(name)
    report = gradcheck.check(lambda v: float(a.f(v).sum()), POINTS.copy(), a.grad(POINTS))
    assert report.ok, report


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_derivatives_match(approximate):
    report = gradcheck.check(
        lambda v: float(act.gelu(v, approximate).sum()),
        POINTS.copy(),
        act.gelu_grad(POINTS, approximate),
    )
    assert report.ok, report


def test_leaky_relu_with_other_slope_and_hard_tanh_with_other_range():
    for f, g in [
        (lambda v: act.leaky_relu(v, 0.2), lambda v: act.leaky_relu_grad(v, 0.2)),
        (lambda v: act.hard_tanh(v, -2.0, 3.0), lambda v: act.hard_tanh_grad(v, -2.0, 3.0)),
    ]:
        assert gradcheck.check(lambda v, f=f: float(f(v).sum()), POINTS.copy(), g(POINTS)).ok


def test_prelu_gradients_for_input_and_slope():
    a = np.array(0.25)
    dz, da = act.prelu_grad(POINTS, a)
    assert gradcheck.check(lambda v: float(act.prelu(v, a).sum()), POINTS.copy(), dz).ok
    assert gradcheck.check(lambda s: float(act.prelu(POINTS, s).sum()), a.copy(), da.sum()).ok
    np.testing.assert_array_equal(act.prelu(POINTS, 0.01), act.leaky_relu(POINTS))


def test_prelu_per_channel_slopes_broadcast():
    z = np.array([[-1.0, 2.0], [-3.0, -4.0]])
    slopes = np.array([0.1, 0.5])
    np.testing.assert_allclose(act.prelu(z, slopes), [[-0.1, 2.0], [-0.3, -2.0]])
    dz, da = act.prelu_grad(z, slopes)
    np.testing.assert_allclose(dz, [[0.1, 1.0], [0.1, 0.5]])
    np.testing.assert_allclose(da, [[-1.0, 0.0], [-3.0, -4.0]])


def test_known_values():
    assert act.gelu(1.0) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)
    assert act.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-12)
    assert act.silu(1.0) == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-15)
    assert act.softplus(0.0) == pytest.approx(math.log(2), rel=1e-15)
    assert act.sigmoid_grad(0.0) == 0.25 and act.tanh_grad(0.0) == 1.0


def test_kink_conventions_follow_pytorch():
    assert act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0) == 0.01
    assert act.hard_tanh_grad(np.array([-1.0, 1.0])).tolist() == [0.0, 0.0]
    assert act.prelu_grad(0.0, 0.3)[0] == 0.3


def test_derivatives_at_nan_follow_pytorch():
    # PyTorch blocks ReLU's and hard tanh's gradient where z <= 0 (or outside the interval),
    # a test NaN fails: the gradient passes. Leaky ReLU passes it where z > 0: NaN gets the slope.
    nan = np.array([np.nan])
    assert act.relu_grad(nan).tolist() == [1.0] and np.isnan(act.relu(nan)).all()
    assert act.hard_tanh_grad(nan).tolist() == [1.0] and np.isnan(act.hard_tanh(nan)).all()
    assert act.hard_tanh_grad(nan, -2.0, 3.0).tolist() == [1.0]
    assert act.leaky_relu_grad(nan).tolist() == [0.01]
    assert act.prelu_grad(nan, 0.3)[0].tolist() == [0.3]
    for name in ("sigmoid", "tanh", "softplus", "gelu", "silu"):
        assert np.isnan(act.get(name).grad(nan)).all(), name
    relu = act.get("relu")  # the derivative from the output agrees: relu(NaN) is NaN
    assert relu.local_grad(nan, relu.f(nan)).tolist() == [1.0]
    assert act.leaky(0.2).local_grad(nan, act.leaky(0.2).f(nan)).tolist() == [0.2]


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_local_grad_is_the_derivative_from_whichever_is_cached(name):
    a = act.get(name)
    z = np.concatenate([POINTS, [0.0, -1.0, 1.0]])
    np.testing.assert_allclose(a.local_grad(z, a.f(z)), a.grad(z), rtol=1e-12, atol=1e-15)
    if a.grad_from_output is None:  # then only z is used: h may be anything
        np.testing.assert_array_equal(a.local_grad(z, np.full_like(z, np.nan)), a.grad(z))
    else:  # then only h is used
        np.testing.assert_array_equal(a.local_grad(np.full_like(z, np.nan), a.f(z)), a.grad(z))


def test_tanh_is_a_rescaled_sigmoid():
    z = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=1e-15)


def test_gelu_tanh_approximation_is_close():
    z = np.linspace(-6, 6, 1201)
    assert np.max(np.abs(act.gelu(z) - act.gelu(z, "tanh"))) < 1e-3


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_extreme_inputs_give_finite_values_without_overflow(name):
    a = act.get(name)
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values, grads = a.f(z), a.grad(z)
    assert np.isfinite(values).all() and np.isfinite(grads).all()


def test_extreme_values_are_correct():
    assert act.sigmoid(1000.0) == 1.0 and act.sigmoid(-1000.0) == 0.0
    assert act.softplus(1000.0) == 1000.0 and act.softplus(-1000.0) == 0.0
    assert act.silu(-1000.0) == 0.0 and act.gelu(-1000.0) == 0.0 and act.gelu(1000.0) == 1000.0


def test_sigmoid_divides_once_with_the_bits_of_both_branches():
    # sigmoid computes 1 / (1 + e) or e / (1 + e) with one division; the bits are the two's.
    z = np.random.default_rng(0).normal(scale=20.0, size=1000)
    z[:4] = [0.0, -0.0, 1000.0, -1000.0]
    e = np.exp(-np.abs(z))
    np.testing.assert_array_equal(act.sigmoid(z), np.where(z >= 0, 1 / (1 + e), e / (1 + e)))
    assert type(act.sigmoid(np.float64(-2.0))) is np.ndarray  # a 0-d array, as before


def test_scalar_in_scalar_shaped_out():
    assert act.relu(-2).shape == () and act.sigmoid(np.float32(1.0)).dtype == np.float64


finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
vectors = arrays(np.float64, st.integers(1, 30), elements=finite)
MONOTONE = ["sigmoid", "tanh", "hard_tanh", "relu", "leaky_relu", "softplus"]


@given(vectors)
@pytest.mark.parametrize("name", MONOTONE)
def test_monotone_activations_never_decrease(name, z):
    z = np.sort(z)
    assert np.all(np.diff(act.get(name).f(z)) >= 0)


@given(vectors)
def test_ranges(z):
    assert np.all((act.sigmoid(z) >= 0) & (act.sigmoid(z) <= 1))
    assert np.all(np.abs(act.tanh(z)) <= 1) and np.all(np.abs(act.hard_tanh(z)) <= 1)
    assert np.all(act.relu(z) >= 0) and np.all(act.softplus(z) >= act.relu(z))
    assert np.all(act.gelu(z) >= -0.17) and np.all(act.silu(z) >= -0.28)  # their global minima
    assert np.all((act.sigmoid_grad(z) >= 0) & (act.sigmoid_grad(z) <= 0.25))


@given(vectors)
def test_rectifiers_agree_with_relu_for_positive_inputs(z):
    positive = np.abs(z) + 1e-3
    for f in (act.relu, act.leaky_relu, lambda v: act.prelu(v, 0.3)):
        np.testing.assert_array_equal(f(positive), positive)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: act.relu(np.array(["a"])), "z must be numeric"),
        (lambda: act.sigmoid(np.array([1 + 2j])), "z must be numeric"),
        (
            lambda: act.leaky_relu(1.0, negative_slope=-0.1),
            r"negative_slope must be a real number in \[0, 1\)",
        ),
        (
            lambda: act.leaky_relu_grad(1.0, negative_slope=1.5),
            r"negative_slope must be a real number in \[0, 1\)",
        ),
        (lambda: act.hard_tanh(1.0, 1.0, -1.0), r"max_val must be a real number in \(1, inf\)"),
        (lambda: act.gelu(1.0, approximate="fast"), "approximate must be"),
        (lambda: act.get("swish2"), "activation must be one of"),
    ],
)
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_softmax_is_lecnotes_losses_one():
    assert act.softmax is losses.softmax and act.log_softmax is losses.log_softmax


def test_softplus_is_the_identity_above_pytorchs_threshold():
    z = np.array([19.0, 20.0, 20.5, 35.0])
    assert act.softplus(z)[2:].tolist() == [20.5, 35.0]  # z itself, as PyTorch returns
    assert act.softplus_grad(z)[2:].tolist() == [1.0, 1.0]
    assert act.softplus(20.0) == pytest.approx(20.0 + math.log1p(math.exp(-20.0)), rel=1e-15)
    assert act.softplus(3.0, beta=10.0) == 3.0  # beta z = 30 > 20
    assert act.softplus(1.0, beta=2.0) == pytest.approx(math.log1p(math.exp(2.0)) / 2, rel=1e-15)
    assert act.softplus_grad(1.0, beta=2.0) == pytest.approx(act.sigmoid(2.0), rel=1e-15)


@pytest.mark.parametrize(
    "activation",
    [a for a in act.ACTIVATIONS.values() if a.grad_from_output] + [act.leaky(0.2)],
    ids=lambda a: a.name,
)
def test_derivative_from_the_output_equals_derivative_from_the_input(activation):
    z = np.concatenate([np.linspace(-6, 6, 101), [0.0, -1e-9, 1e-9]])
    np.testing.assert_allclose(
        activation.grad_from_output(activation.f(z)), activation.grad(z), rtol=1e-12, atol=1e-15
    )
