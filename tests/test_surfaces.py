"""surfaces: gradients checked numerically; trajectories stop when an optimizer diverges."""

import functools

import numpy as np
import pytest

from lecnotes import gradcheck, optim, surfaces


@pytest.mark.parametrize(
    ("f", "grad", "minimum"),
    [(surfaces.quadratic, surfaces.quadratic_grad, [0.0, 0.0]),
     (surfaces.rosenbrock, surfaces.rosenbrock_grad, [1.0, 1.0])],
)  # fmt: skip
def test_gradients_and_minima(f, grad, minimum):
    w = np.array([-0.7, 1.3])
    assert gradcheck.check(f, w.copy(), grad(w)).ok
    assert f(minimum) == 0.0 and not grad(minimum).any()


def test_trajectory_records_every_point_and_stops_on_divergence():
    path = surfaces.trajectory(optim.SGD(lr=0.1), surfaces.quadratic_grad, [1.0, 1.0], 50)
    assert path.shape == (51, 2) and path[0].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(path[1], [0.9, 0.0])  # w - 0.1 * (w0, 10 w1)
    diverged = surfaces.trajectory(optim.SGD(lr=0.3), surfaces.quadratic_grad, [1.0, 1.0], 500)
    assert len(diverged) < 501 and np.abs(diverged[-1]).max() > 1e3


def test_trajectory_stops_once_the_gradient_is_below_tol():
    path = surfaces.trajectory(
        optim.SGD(lr=0.1), surfaces.quadratic_grad, [1.0, 1.0], 1000, tol=1e-6
    )
    assert len(path) < 1000
    assert np.abs(surfaces.quadratic_grad(path[-1])).max() < 1e-6
    assert np.abs(surfaces.quadratic_grad(path[-2])).max() >= 1e-6


@pytest.mark.parametrize("f", [surfaces.quadratic, surfaces.rosenbrock])
def test_a_path_or_a_grid_of_points_gives_the_loss_at_each(f):
    path = np.array([[-1.2, 1.0], [0.3, -0.4], [1.0, 1.0]])
    along = f(path)
    assert along.shape == (3,) and along.tolist() == [f(w) for w in path]
    assert isinstance(f(path[0]), float)
    grid = np.stack(np.meshgrid([-1.0, 0.5, 2.0], [0.0, 1.5]), axis=-1)  # (2, 3, 2)
    assert f(grid).shape == (2, 3) and f(grid)[1, 2] == f([2.0, 1.5])


@pytest.mark.parametrize("grad", [surfaces.quadratic_grad, surfaces.rosenbrock_grad])
def test_gradients_of_a_path_are_the_gradients_at_each_point(grad):
    path = np.array([[-1.2, 1.0], [0.3, -0.4], [1.0, 1.0]])
    np.testing.assert_array_equal(grad(path), [grad(w) for w in path])
    assert grad(path[0]).shape == (2,)


@pytest.mark.parametrize(
    "f",
    [surfaces.quadratic, surfaces.quadratic_grad, surfaces.rosenbrock, surfaces.rosenbrock_grad],
)
def test_points_with_other_than_two_coordinates_are_refused(f):
    # quadratic_grad used to accept a third coordinate and ignore it.
    for bad in (1.0, [1.0, 2.0, 3.0], np.zeros((4, 3))):
        with pytest.raises(ValueError, match=r"^w (has shape|must have at least 1 axes)"):
            f(bad)


@pytest.mark.parametrize(
    "make",
    [
        lambda lr: optim.SGD(lr=lr, momentum=0.9),
        lambda lr: optim.Adagrad(lr=lr),
        lambda lr: optim.RMSprop(lr=lr, momentum=0.5),
        lambda lr: optim.Adam(lr=lr),
        lambda lr: optim.SGD(lr=lr, weight_decay=0.5),
        lambda lr: optim.AdamW(lr=lr, weight_decay=2.0),
    ],
)  # fmt: skip  (the last two: the optimizer's weight decay applies to every run)
def test_trajectories_are_trajectory_run_by_run(make):
    # Rates from timid to leaving [-10, 10], and a nudged twin: the numbers of one at a time.
    lrs, nudges = [1e-4, 1e-3, 0.01, 0.1, 30.0, 0.01], [0, 0, 0, 0, 0, 1e-3]
    start, grad = [-1.2, 1.0], surfaces.rosenbrock_grad
    paths = surfaces.trajectories(make(1.0), grad, start, 60, lrs, nudges, limit=10.0)
    assert len(paths) == len(lrs)
    for lr, nudge, path in zip(lrs, nudges, paths, strict=True):
        alone = surfaces.trajectory(make(lr), grad, np.multiply(start, 1 + nudge), 60, limit=10.0)
        np.testing.assert_array_equal(path, alone)
    assert any(len(path) < 61 for path in paths) and any(len(path) == 61 for path in paths)


def test_trajectories_stop_when_every_run_has_diverged():
    paths = surfaces.trajectories(
        optim.SGD(), surfaces.quadratic_grad, [1.0, 1.0], 500, lrs=[0.3, 0.5]
    )
    assert [len(p) for p in paths] == [
        len(surfaces.trajectory(optim.SGD(lr=lr), surfaces.quadratic_grad, [1.0, 1.0], 500))
        for lr in (0.3, 0.5)
    ]
    assert all(np.abs(p[-1]).max() > 1e3 for p in paths)


def test_trajectories_refuse_bad_rates_nudges_and_starts():
    run = functools.partial(surfaces.trajectories, optim.SGD(), surfaces.quadratic_grad)
    with pytest.raises(ValueError, match=r"^lrs\[r\]"):
        run([1.0, 1.0], 10, lrs=[0.1, -0.1])
    with pytest.raises(ValueError, match=r"^nudges has shape \(1,\), but lrs has shape \(2,\)"):
        run([1.0, 1.0], 10, lrs=[0.1, 0.2], nudges=[0.0])
    with pytest.raises(ValueError, match=r"^start has shape \(3,\)"):
        run([1.0, 1.0, 1.0], 10, lrs=[0.1])
