"""mlp: forward/backward against autograd, training, L2 as weight decay, validation."""

import numpy as np
import pytest

from lecnotes import autograd as ag
from lecnotes import data, init, mlp


def spiral_net(seed=0):
    rng = np.random.default_rng(seed)
    X, y = data.spirals(rng, n_per_class=20)
    return mlp.layers(rng, [2, 8, 3], init.xavier_uniform), X, y


def test_one_step_matches_autograd_and_training_lowers_the_loss():
    params, X, y = spiral_net()
    one_step = mlp.train(params, X, y, "tanh", lr=1.0, steps=1)
    W1, b1, W2, b2 = (ag.Tensor(a) for pair in params for a in pair)
    loss = ag.cross_entropy((ag.Tensor(X) @ W1.T + b1).tanh() @ W2.T + b2, y)
    loss.backward()
    assert one_step["losses"][0] == pytest.approx(float(loss.data), rel=1e-12)
    np.testing.assert_allclose(one_step["params"][0][0], params[0][0] - W1.grad, rtol=1e-10)
    np.testing.assert_allclose(one_step["params"][1][1], params[1][1] - b2.grad, rtol=1e-10)
    longer = mlp.train(params, X, y, "tanh", lr=0.5, steps=100)
    assert longer["losses"][-1] < 0.8 * longer["losses"][0]


def test_layers_have_the_requested_shapes():
    layers = mlp.layers(np.random.default_rng(0), [4, 6, 3], init.he_normal)
    assert [(W.shape, b.shape) for W, b in layers] == [((6, 4), (6,)), ((3, 6), (3,))]
    assert not any(b.any() for _, b in layers)


def test_l2_is_weight_decay_for_gradient_descent_and_validation_is_recorded():
    params, X, y = spiral_net(1)
    lr, lam = 0.3, 0.05
    plain = mlp.train(params, X, y, lr=lr, steps=1)
    decayed = mlp.train(params, X, y, lr=lr, steps=1, lam=lam)
    for (W0, _), (Wp, bp), (Wd, bd) in zip(params, plain["params"], decayed["params"], strict=True):
        np.testing.assert_allclose(Wd, Wp - lr * 2 * lam * W0, rtol=1e-12)  # (1 - 2 lr lam) W
        np.testing.assert_allclose(bd, bp, rtol=1e-12)  # biases are not decayed
    run = mlp.train(params, X, y, steps=20, val=(X, y), record_every=5)
    assert run["val_steps"].tolist() == [0, 5, 10, 15, 20]
    np.testing.assert_allclose(run["val_losses"], run["losses"][::5], rtol=1e-12)
    assert mlp.loss(run["params"], X, y) == pytest.approx(run["losses"][-1])
    assert mlp.predict(run["params"], X).shape == y.shape
    with pytest.raises(ValueError, match="lam must be a real number"):
        mlp.train(params, X, y, lam=-1.0)


def test_backward_takes_any_loss_gradient():
    params, X, _ = spiral_net(2)
    scores, cache = mlp.forward(params, X, "relu")
    target = np.random.default_rng(3).normal(size=scores.shape)
    grads = mlp.backward(params, cache, (scores - target) / len(X))  # half the mean squared error
    tensors = [ag.Tensor(a) for pair in params for a in pair]
    W1, b1, W2, b2 = tensors
    out = (ag.Tensor(X) @ W1.T + b1).relu() @ W2.T + b2
    (((out - target) ** 2).sum() * (0.5 / len(X))).backward()
    np.testing.assert_allclose(grads[0][0], W1.grad, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(grads[1][0], W2.grad, rtol=1e-10, atol=1e-14)
