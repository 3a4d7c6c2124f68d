"""stacks: forward activations and backward gradient norms through a deep stack."""

import numpy as np
import pytest

from lecnotes import activations, data, stacks
from lecnotes import autograd as ag


def test_sigmoid_gradient_shrinks_by_at_least_a_quarter_per_layer():
    norms = stacks.gradient_norms(np.random.default_rng(0), "sigmoid", 12, 16)
    assert norms.shape == (13,) and norms[-1] == pytest.approx(np.sqrt(16 * 32))
    # Each layer multiplies by sigmoid' <= 1/4 and by W^T (norm ~ 1 for N(0, 1/width)).
    assert norms[0] < norms[-1] * 1e-4


def test_gradient_norms_agree_with_autograd():
    norms = stacks.gradient_norms(np.random.default_rng(7), "tanh", 3, 5, batch=4)
    rng = np.random.default_rng(7)
    h0 = ag.Tensor(rng.normal(size=(5, 4)))
    h = h0
    for W in [rng.normal(scale=1 / np.sqrt(5), size=(5, 5)) for _ in range(3)]:
        h = (ag.Tensor(W) @ h).tanh()
    h.sum().backward()
    assert norms[0] == pytest.approx(np.linalg.norm(h0.grad), rel=1e-12)


def test_forward_activations_of_a_linear_stack():
    X, _ = data.spirals(np.random.default_rng(0), n_per_class=50, classes=3)
    identity = activations.Activation("identity", lambda v: v, np.ones_like)
    hs = stacks.forward_activations([np.eye(2), 2 * np.eye(2)], identity, X)
    np.testing.assert_allclose(hs[1], 2 * X)


def test_backward_gradients_agree_with_autograd_for_any_upstream_gradient():
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(6, 4)), rng.normal(size=(5, 6)) / 3]
    X, upstream = rng.normal(size=(7, 4)), rng.normal(size=(7, 5))
    grads = stacks.backward_gradients(weights, "tanh", X, upstream)
    assert [g.shape for g in grads] == [(7, 4), (7, 6), (7, 5)]
    np.testing.assert_array_equal(grads[-1], upstream)
    h0 = ag.Tensor(X)
    h1 = (h0 @ ag.Tensor(weights[0].T)).tanh()
    h2 = (h1 @ ag.Tensor(weights[1].T)).tanh()
    (h2 * ag.Tensor(upstream)).sum().backward()
    np.testing.assert_allclose(grads[0], h0.grad, rtol=1e-12)


def test_backward_gradients_refuse_an_upstream_gradient_of_the_wrong_shape():
    weights = [np.eye(3)]
    with pytest.raises(ValueError, match=r"upstream has shape \(2, 2\), but the last layer"):
        stacks.backward_gradients(weights, "relu", np.ones((2, 3)), np.ones((2, 2)))


def test_random_stack_draws_the_inputs_then_each_layer_at_the_given_scale():
    weights, X = stacks.random_stack(np.random.default_rng(4), 3, 400, batch=5, gain=2.0)
    assert X.shape == (5, 400) and [W.shape for W in weights] == [(400, 400)] * 3
    rng = np.random.default_rng(4)
    np.testing.assert_array_equal(X, rng.normal(size=(400, 5)).T)
    np.testing.assert_array_equal(weights[0], rng.normal(scale=2.0 / 20, size=(400, 400)))
    assert np.std(weights[2]) == pytest.approx(0.1, rel=0.01)  # gain / sqrt(width)


def test_gradient_norms_are_the_norms_of_the_backward_gradients_of_a_random_stack():
    norms = stacks.gradient_norms(np.random.default_rng(2), "relu", 4, 8, batch=3, gain=1.5)
    weights, X = stacks.random_stack(np.random.default_rng(2), 4, 8, batch=3, gain=1.5)
    grads = stacks.backward_gradients(weights, "relu", X)
    np.testing.assert_array_equal(norms, [np.linalg.norm(g) for g in grads])
