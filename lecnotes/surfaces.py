"""Two-dimensional test functions for optimizers, and the path an optimizer takes on them.

- ``quadratic``: ``f(w) = (w0^2 + kappa w1^2) / 2``, minimum 0 at the origin; ``kappa`` is the
  condition number (the ratio of the largest to the smallest curvature).
- ``rosenbrock``: ``f(x, y) = (1 - x)^2 + 100 (y - x^2)^2``, minimum 0 at (1, 1), at the end
  of a long, curved, flat-bottomed valley.

Both functions take one point, shape (2,), and give a float, or many points, shape (..., 2)
(a path, a grid), and give an array of shape (...): the loss along a whole path is
``quadratic(path)``. Their gradients take the same and give one gradient (2,) per point;
anything whose last axis is not 2 is refused.

``trajectory`` follows one optimizer from one start; ``trajectories`` runs many rates (and
nudged starts) of one optimizer at once, for a sweep over a grid of learning rates.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks


def quadratic(w, kappa: float = 10.0) -> float | np.ndarray:
    """``f(w) = (w0^2 + kappa w1^2) / 2``, minimum 0 at the origin.

    Args:
        w: a point, shape (2,), or points, shape (..., 2).
        kappa: the condition number, the ratio of the two curvatures.

    Returns:
        ``f(w)``: a float for one point, an array of shape (...) for points (..., 2).
    """
    w = _points(w)
    return _value(0.5 * (w[..., 0] ** 2 + kappa * w[..., 1] ** 2))


def _points(w) -> np.ndarray:
    """``w`` as a float array whose last axis holds the two coordinates."""
    w = _checks.float_array("w", w, min_ndim=1)
    _checks.same_shape("w", w, (*w.shape[:-1], 2), "a point (x, y) or points (..., 2)")
    return w


def _value(f: np.ndarray) -> float | np.ndarray:
    return float(f) if f.ndim == 0 else f


def quadratic_grad(w, kappa: float = 10.0) -> np.ndarray:
    """Gradient of :func:`quadratic`: ``(w0, kappa w1)``, of ``w``'s shape, (2,) or (..., 2)."""
    return _points(w) * np.array([1.0, kappa])


def rosenbrock(w) -> float | np.ndarray:
    """``f(x, y) = (1 - x)^2 + 100 (y - x^2)^2``, minimum 0 at (1, 1) in a long, curved valley.

    Args:
        w: a point ``(x, y)``, shape (2,), or points, shape (..., 2).

    Returns:
        ``f(w)``: a float for one point, an array of shape (...) for points (..., 2).
    """
    w = _points(w)
    x, y = w[..., 0], w[..., 1]
    return _value((1 - x) ** 2 + 100 * (y - x * x) ** 2)


def rosenbrock_grad(w) -> np.ndarray:
    """Gradient of :func:`rosenbrock`: ``(-2 (1 - x) - 400 x (y - x^2), 200 (y - x^2))``, of
    ``w``'s shape, (2,) or (..., 2)."""
    w = _points(w)
    x, y = w.T if w.ndim <= 2 else np.moveaxis(w, -1, 0)  # floats for a point, else arrays
    g = np.empty_like(w)
    g[..., 0], g[..., 1] = -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)
    return g


def trajectory(
    opt, grad, start, steps: int, limit: float = 1e3, tol: float | None = None
) -> np.ndarray:
    """Points visited by ``opt`` from ``start`` following ``grad``.

    Stops early when a coordinate leaves ``[-limit, limit]`` (the optimizer diverged), so that
    a too-large learning rate ends a path instead of overflowing, and, if ``tol`` is given, as
    soon as every entry of the gradient is below ``tol`` in size (converged).

    Args:
        opt: an ``lecnotes.optim`` optimizer.
        grad: the gradient, a function of a point (2,).
        start: the first point, (2,).
        steps: the most updates to make; limit: the divergence bound; tol: the convergence test.

    Returns:
        The path, shape (k, 2) with ``k <= steps + 1``; row 0 is ``start``.
    """
    steps, limit = _checks.positive_int("steps", steps), _checks.positive_real("limit", limit)
    params = {"w": np.asarray(start, dtype=float)}
    state = opt.init(params)
    path = [params["w"]]
    for _ in range(steps):
        g = grad(params["w"])
        if tol is not None and np.abs(g).max() < tol:
            break
        params, state = opt.update(params, {"w": g}, state)
        path.append(params["w"])
        if not np.all(np.abs(params["w"]) <= limit):
            break
    return np.array(path)


def trajectories(opt, grad, start, steps: int, lrs, nudges=None, limit: float = 1e3) -> list:
    """The paths of ``R = len(lrs)`` runs of ``opt`` at once, run ``r`` at the rate ``lrs[r]``.

    Run ``r`` starts at ``start`` scaled by ``1 + nudges[r]`` and gives the path
    :func:`trajectory` gives for ``opt`` with ``lr = lrs[r]`` (the same numbers): it stops at
    the first point outside ``[-limit, limit]``. Every ``lecnotes.optim`` update is
    element-wise in the rate, so the runs advance together as one parameter of shape (R, 2)
    with rates of shape (R, 1), through the optimizer's ``update_parameter`` (its weight
    decay, then its step); ``opt``'s own ``lr`` is not used. A sweep over a grid of rates
    costs about as much as one run.

    Args:
        opt: an ``lecnotes.optim`` optimizer (its hyperparameters are shared by every run).
        grad: the gradient, a function of points (R, 2) giving (R, 2).
        start: the first point, (2,).
        steps: the most updates to make; limit: the divergence bound.
        lrs: (R,) learning rates, each >= 0.
        nudges: (R,) relative changes of the start (default 0: every run starts at ``start``).

    Returns:
        A list of R paths, path ``r`` of shape (k_r, 2) with ``k_r <= steps + 1``; row 0 is
        run ``r``'s start.
    """
    steps, limit = _checks.positive_int("steps", steps), _checks.positive_real("limit", limit)
    lrs = np.array([_checks.nonnegative_real("lrs[r]", lr) for lr in _checks.sized("lrs", lrs, 1)])
    runs = len(lrs)
    nudges = np.zeros(runs) if nudges is None else _checks.float_array("nudges", nudges)
    _checks.same_shape("nudges", nudges, lrs.shape, "lrs")
    start = _checks.float_array("start", start)
    _checks.same_shape("start", start, (2,), "a point (x, y)")
    w = (1 + nudges[:, None]) * start
    state, points = opt.init_state(w), np.empty((steps + 1, runs, 2))
    points[0], lengths, alive = w, np.full(runs, steps + 1), np.ones(runs, dtype=bool)
    for t in range(1, steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # runs that stopped may overflow
            new, state = opt.update_parameter("w", w, grad(w), state, lrs[:, None])
        w = points[t] = np.where(alive[:, None], new, w)
        left = alive & ~np.all(np.abs(w) <= limit, axis=1)
        lengths[left], alive = t + 1, alive & ~left
        if not alive.any():
            break
    return [points[: lengths[r], r] for r in range(runs)]
