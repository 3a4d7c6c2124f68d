"""optim: two steps computed by hand for every optimizer and option (more where two cannot
tell an option apart), convergence, SparseAdam's lazy row updates, bad arguments, and the
docstrings' examples. The contract all optimizers share: tests/test_optimizer.py."""

import doctest
import math

import numpy as np
import pytest

from lecnotes import optim

THETA0, G1, G2 = 1.0, 0.5, -0.3  # one scalar parameter, two gradients


def steps(opt, grads):
    """The parameter after each update of ``opt`` on scalar gradients ``grads``, from THETA0."""
    params, out = {"w": np.array([THETA0])}, []
    state = opt.init(params)
    for g in grads:
        params, state = opt.update(params, {"w": np.array([g])}, state)
        out.append(float(params["w"][0]))
    return out


def two_steps(opt):
    return steps(opt, (G1, G2))


def sgd_by_hand(lr, momentum=0.0, dampening=0.0, nesterov=False, wd=0.0):
    theta, buf, out = THETA0, None, []
    for g in (G1, G2):
        d = g + wd * theta
        if momentum:
            buf = d if buf is None else momentum * buf + (1 - dampening) * d
            d = d + momentum * buf if nesterov else buf
        theta -= lr * d
        out.append(theta)
    return out


def adagrad_by_hand(lr, lr_decay=0.0, wd=0.0, init=0.0, eps=1e-10):
    theta, acc, out = THETA0, init, []
    for t, g in enumerate((G1, G2), start=1):
        g = g + wd * theta
        clr = lr / (1 + (t - 1) * lr_decay)
        acc += g * g
        theta -= clr * g / (math.sqrt(acc) + eps)
        out.append(theta)
    return out


def rmsprop_by_hand(lr, alpha=0.99, eps=1e-8, wd=0.0, momentum=0.0, centered=False):
    theta, v, m, buf, out = THETA0, 0.0, 0.0, 0.0, []
    for g in (G1, G2):
        g = g + wd * theta
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            m = alpha * m + (1 - alpha) * g
            avg = math.sqrt(v - m * m) + eps
        else:
            avg = math.sqrt(v) + eps
        if momentum:
            buf = momentum * buf + g / avg
            theta -= lr * buf
        else:
            theta -= lr * g / avg
        out.append(theta)
    return out


def adam_by_hand(
    lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, amsgrad=False, decoupled=False, grads=(G1, G2)
):
    theta, m, v, vmax, out = THETA0, 0.0, 0.0, 0.0, []
    for t, g in enumerate(grads, start=1):
        if decoupled:
            theta *= 1 - lr * wd
        else:
            g = g + wd * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        second = vmax if amsgrad else v
        theta -= lr / (1 - b1**t) * m / (math.sqrt(second) / math.sqrt(1 - b2**t) + eps)
        out.append(theta)
    return out


CASES = {
    "sgd": (optim.SGD(lr=0.1), sgd_by_hand(0.1)),
    "sgd weight decay": (optim.SGD(lr=0.1, weight_decay=0.2), sgd_by_hand(0.1, wd=0.2)),
    "sgd momentum": (optim.SGD(lr=0.1, momentum=0.9), sgd_by_hand(0.1, momentum=0.9)),
    "sgd dampening": (optim.SGD(lr=0.1, momentum=0.9, dampening=0.5), sgd_by_hand(0.1, 0.9, 0.5)),
    "sgd nesterov": (
        optim.SGD(lr=0.1, momentum=0.9, nesterov=True),
        sgd_by_hand(0.1, 0.9, nesterov=True),
    ),
    "adagrad": (optim.Adagrad(), adagrad_by_hand(1e-2)),
    "adagrad options": (
        optim.Adagrad(
            lr=0.3, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6
        ),
        adagrad_by_hand(0.3, 0.5, 0.1, 0.2, 1e-6),
    ),
    "rmsprop": (optim.RMSprop(), rmsprop_by_hand(1e-2)),
    "rmsprop centered momentum": (
        optim.RMSprop(lr=0.05, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=True),
        rmsprop_by_hand(0.05, 0.9, 1e-6, 0.1, 0.8, True),
    ),
    "adam": (optim.Adam(), adam_by_hand(1e-3)),
    "adam l2 amsgrad": (
        optim.Adam(lr=0.1, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True),
        adam_by_hand(0.1, 0.8, 0.9, 1e-6, 0.1, True),
    ),
    "adamw": (optim.AdamW(), adam_by_hand(1e-3, wd=1e-2, decoupled=True)),
    "adamw options": (
        optim.AdamW(lr=0.1, betas=(0.5, 0.6), weight_decay=0.3),
        adam_by_hand(0.1, 0.5, 0.6, wd=0.3, decoupled=True),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_first_two_steps_match_the_equations(name):
    opt, expected = CASES[name]
    assert two_steps(opt) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_defaults_are_pytorchs():
    assert (
        optim.Adam().lr == 1e-3 and optim.Adam().betas == (0.9, 0.999) and optim.Adam().eps == 1e-8
    )
    assert optim.AdamW().weight_decay == 1e-2 and optim.Adam().weight_decay == 0.0
    assert (optim.Adagrad().lr, optim.Adagrad().eps) == (1e-2, 1e-10)
    assert (optim.RMSprop().lr, optim.RMSprop().alpha, optim.RMSprop().eps) == (1e-2, 0.99, 1e-8)
    assert (optim.SparseAdam().lr, optim.SparseAdam().eps) == (1e-3, 1e-8)


def test_amsgrad_divides_by_the_largest_second_moment_so_far():
    # After a large gradient, small ones make v fall: amsgrad keeps dividing by its peak, so
    # its steps stay smaller than Adam's. (With G1, G2 above v only grows, and the two agree.)
    grads = [1.0, 0.01, 0.01, 0.01, 0.01]
    amsgrad = optim.Adam(lr=0.1, betas=(0.9, 0.9), amsgrad=True)
    with_max = adam_by_hand(0.1, 0.9, 0.9, amsgrad=True, grads=grads)
    without = adam_by_hand(0.1, 0.9, 0.9, amsgrad=False, grads=grads)
    assert steps(amsgrad, grads) == pytest.approx(with_max, rel=1e-12)
    assert abs(with_max[-1] - without[-1]) > 0.01  # the case tells the two apart


def test_adam_first_step_moves_by_lr():
    # With bias correction, Adam's first step is lr * g / (|g| + eps): about lr, whatever |g| is.
    first, _ = two_steps(optim.Adam(lr=0.01))
    assert THETA0 - first == pytest.approx(0.01, rel=1e-6)


# --- convergence ------------------------------------------------------------------------


def quadratic_grad(p):  # f = (w0^2 + 10 w1^2) / 2, condition number 10, minimum at 0
    return {"w": np.array([1.0, 10.0]) * p["w"]}


def rosenbrock_grad(p):  # f = (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1)
    x, y = p["w"]
    return {"w": np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])}


def run(opt, grad, start, steps):
    p = {"w": np.array(start)}
    s = opt.init(p)
    for _ in range(steps):
        p, s = opt.update(p, grad(p), s)
    return p["w"]


CONVERGE = {  # (optimizer on the quadratic, optimizer on Rosenbrock)
    "sgd": (optim.SGD(lr=0.09), optim.SGD(lr=1e-3, momentum=0.9)),
    "nesterov": (
        optim.SGD(lr=0.05, momentum=0.9, nesterov=True),
        optim.SGD(lr=1e-3, momentum=0.9, nesterov=True),
    ),
    "adagrad": (optim.Adagrad(lr=0.5), optim.Adagrad(lr=0.5)),
    "rmsprop": (optim.RMSprop(lr=1e-3), optim.RMSprop(lr=1e-3)),
    "adam": (optim.Adam(lr=0.05), optim.Adam(lr=0.02)),
    "adamw": (optim.AdamW(lr=0.05, weight_decay=0.0), optim.AdamW(lr=0.02, weight_decay=0.0)),
}


@pytest.mark.parametrize("name", CONVERGE)
def test_converges_on_a_quadratic_and_on_rosenbrock(name):
    quadratic, rosenbrock = CONVERGE[name]
    # Tolerance: within 1e-2 of the minimum in every coordinate (RMSprop and Adam, with a
    # constant rate, hover within about lr of it; the others get much closer).
    assert np.abs(run(quadratic, quadratic_grad, [1.0, 1.0], 3000)).max() < 1e-2
    assert np.abs(run(rosenbrock, rosenbrock_grad, [-1.0, 1.0], 10000) - 1.0).max() < 1e-2


def test_sparse_adam_converges_on_a_quadratic():
    opt = optim.SparseAdam(lr=0.05)
    p = {"E": np.ones((4, 2))}
    s = opt.init(p)
    for _ in range(3000):
        p, s = opt.update(p, {"E": optim.RowSparse(np.arange(4), p["E"].copy())}, s)
    assert np.abs(p["E"]).max() < 1e-2


# --- SparseAdam --------------------------------------------------------------------------


def test_sparse_adam_touches_only_the_given_rows_and_keeps_other_moments():
    opt = optim.SparseAdam(lr=0.1)
    E = np.arange(12, dtype=float).reshape(6, 2)
    state = opt.init({"E": E})
    grad1 = optim.RowSparse(np.array([1, 4]), np.array([[0.5, -0.5], [1.0, 2.0]]))
    params, state = opt.update({"E": E}, {"E": grad1}, state)
    changed = np.flatnonzero(np.any(params["E"] != E, axis=1))
    assert changed.tolist() == [1, 4]
    grad2 = optim.RowSparse(np.array([4]), np.array([[0.3, 0.3]]))
    params2, state2 = opt.update(params, {"E": grad2}, state)
    # Row 1 was not in the second gradient: parameters and moments untouched (lazy).
    np.testing.assert_array_equal(params2["E"][1], params["E"][1])
    np.testing.assert_array_equal(
        state2["params"]["E"]["exp_avg"][1], state["params"]["E"]["exp_avg"][1]
    )
    # Row 4 by hand: two steps of PyTorch's SparseAdam formula (eps after sqrt(v)).
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.1
    theta, m, v = E[4].copy(), 0.0, 0.0
    for t, g in enumerate([np.array([1.0, 2.0]), np.array([0.3, 0.3])], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(params2["E"][4], theta, rtol=1e-12)


def test_sparse_adam_sums_duplicate_rows():
    opt = optim.SparseAdam(lr=0.1)
    E = np.zeros((3, 2))
    state = opt.init({"E": E})
    dup = optim.RowSparse(np.array([2, 2]), np.array([[1.0, 0.0], [2.0, 1.0]]))
    one = optim.RowSparse(np.array([2]), np.array([[3.0, 1.0]]))
    a, _ = opt.update({"E": E}, {"E": dup}, state)
    b, _ = opt.update({"E": E}, {"E": one}, state)
    np.testing.assert_array_equal(a["E"], b["E"])


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: optim.SGD(lr=-0.1), r"lr must be a real number in \[0, inf\)"),
        (lambda: optim.SGD(lr=0.1, momentum=-1), r"momentum must be a real number in \[0, inf\)"),
        (lambda: optim.SGD(lr=0.1, nesterov=True), "nesterov=True needs momentum > 0"),
        (lambda: optim.Adam(betas=(0.9, 1.0)), r"betas\[1\] must be a real number in \[0, 1\)"),
        (lambda: optim.Adam(betas=(-0.1, 0.9)), r"betas\[0\] must be a real number in \[0, 1\)"),
        (lambda: optim.Adam(betas=0.9), "betas must be a sequence"),
        (lambda: optim.Adam(eps=0.0), r"eps must be a real number in \(0, inf\)"),
        (
            lambda: optim.AdamW(weight_decay=-1e-2),
            r"weight_decay must be a real number in \[0, inf\)",
        ),
        (lambda: optim.Adagrad(lr_decay=-1), r"lr_decay must be a real number in \[0, inf\)"),
        (lambda: optim.RMSprop(alpha=1.0), r"alpha must be a real number in \[0, 1\)"),
        (lambda: optim.SparseAdam(lr=float("nan")), "lr must be a finite real number"),
    ],
)
def test_bad_hyperparameters_are_rejected(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_gradients_are_rejected():
    params = {"w": np.zeros(3)}
    adam, sparse = optim.Adam(), optim.SparseAdam()
    with pytest.raises(ValueError, match=r"unknown parameters \[.v.\]"):
        adam.update(params, {"v": np.zeros(3)}, adam.init(params))
    with pytest.raises(
        ValueError, match=r"grads\['w'\] has shape \(2,\), but the parameter has shape \(3,\)"
    ):
        adam.update(params, {"w": np.zeros(2)}, adam.init(params))
    with pytest.raises(ValueError, match="SparseAdam takes RowSparse"):
        sparse.update(params, {"w": np.zeros(3)}, sparse.init(params))
    with pytest.raises(ValueError, match="Adam takes dense gradients"):
        adam.update(params, {"w": optim.RowSparse(np.array([0]), np.zeros(1))}, adam.init(params))
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 3\)"):
        sparse.update(
            params, {"w": optim.RowSparse(np.array([5]), np.zeros(1))}, sparse.init(params)
        )
    with pytest.raises(ValueError, match="lr schedule gave -1"):
        bad = optim.SGD(lr=lambda step: -1.0)
        bad.update(params, {"w": np.zeros(3)}, bad.init(params))


def test_sparse_adam_counts_a_step_whose_gradient_has_no_rows():
    """As PyTorch: ``state["step"] += 1`` even for an empty sparse gradient."""
    table = {"E": np.ones((3, 2))}
    opt = optim.SparseAdam(lr=0.1)
    state = opt.init(table)
    empty = optim.RowSparse(np.array([], dtype=int), np.zeros((0, 2)))
    params, state = opt.update(table, {"E": empty}, state)
    np.testing.assert_array_equal(params["E"], table["E"])
    assert state["params"]["E"]["step"] == 1
    g = optim.RowSparse(np.array([1]), np.array([[0.5, -0.5]]))
    params, state = opt.update(params, {"E": g}, state)
    b1, b2 = opt.betas
    step = 0.1 * np.sqrt(1 - b2**2) / (1 - b1**2)  # bias corrections at t = 2, not t = 1
    m, v = (1 - b1) * 0.5, (1 - b2) * 0.25
    np.testing.assert_allclose(
        params["E"][1], 1 - step * np.array([1, -1]) * m / (np.sqrt(v) + 1e-8)
    )


def test_schedules_accept_numpy_integers_as_steps():
    opt = optim.SGD(lr=lambda step: 0.1 / (1 + step))
    assert opt.rate(np.int64(3)) == pytest.approx(0.025)


def test_docstring_examples_run():
    results = doctest.testmod(optim)
    assert results.attempted >= 6 and results.failed == 0
