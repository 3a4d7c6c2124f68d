"""surfaces: gradients checked numerically; trajectories stop when an optimizer diverges."""

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


@pytest.mark.parametrize("f", [surfaces.quadratic, surfaces.rosenbrock])
def test_points_with_other_than_two_coordinates_are_refused(f):
    for bad in (1.0, [1.0, 2.0, 3.0], np.zeros((4, 3))):
        with pytest.raises(ValueError, match=r"^w (has shape|must have at least 1 axes)"):
            f(bad)
