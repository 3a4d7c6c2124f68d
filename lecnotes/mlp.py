"""A multilayer perceptron with backpropagation by hand, trained by full-batch gradient descent.

Parameters are a dict ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}`` for layers 1 to L,
``Wk`` of shape (fan_out, fan_in) as in ``lecnotes.init``. For a batch ``X`` of shape (n, d),
one example per row::

    h_0 = X,   z_k = h_{k-1} W_k^T + b_k,   h_k = f(z_k)   (hidden layers, k < L),
    scores = z_L                                         (n, C), no nonlinearity

One backprop convention, the lecture's gate API: :func:`forward` returns the scores and a
cache, :func:`backward` turns the gradient of a loss with respect to the scores into the
gradients of every parameter (chapter 2)::

    dW_k = dz_k^T h_{k-1},   db_k = sum_rows(dz_k),   dz_{k-1} = (dz_k W_k) * f'(z_{k-1})

The loss's own gradient is the caller's: ``lecnotes.losses.cross_entropy`` gives the mean
cross-entropy's (:func:`train`), ``(prediction - y) / n`` is half the mean squared error's.

Many runs at once: every function also takes parameters with a leading axis of ``R`` runs
(``Wk`` (R, fan_out, fan_in), ``bk`` (R, fan_out); ``lecnotes.runs.stack`` makes them), with
``X`` (n, d) shared by the runs or (R, n, d), one training set per run, and labels (n,) or
(R, n). Each run's numbers are those it would get alone (chapter 3 trains five draws of a
training set together).
"""

from __future__ import annotations

import functools

import numpy as np

from lecnotes import _checks, activations, losses, optim, regularization


def layers(rng: np.random.Generator, sizes, initializer) -> dict:
    """Fresh parameters for widths ``sizes`` = [d, hidden..., C].

    Args:
        rng: the random generator, passed to ``initializer``.
        sizes: the widths of the input, the hidden layers and the output.
        initializer: ``initializer(rng, (fan_out, fan_in)) -> W`` (e.g. ``init.he_normal``).

    Returns:
        ``{"Wk": (sizes[k], sizes[k-1]), "bk": zeros (sizes[k],)}`` for k = 1 .. len(sizes) - 1,
        in that order (W1, b1, W2, b2, ...).
    """
    sizes = [_checks.positive_int("sizes[i]", n) for n in sizes]
    params = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{k}"], params[f"b{k}"] = initializer(rng, (n_out, n_in)), np.zeros(n_out)
    return params


def _depth(params: dict) -> int:
    """The number of layers L of ``params``, which must hold exactly W1, b1, ..., WL, bL."""
    count = len(params) // 2
    if params.keys() != _names(count):
        _checks.same_names("params", params, _names(sum(n.startswith("W") for n in params)))
    return count


@functools.cache
def _names(count: int) -> frozenset[str]:
    """``{"W1", "b1", ..., "W<count>", "b<count>"}``."""
    return frozenset(f"{p}{k}" for k in range(1, count + 1) for p in "Wb")


def _inputs(params: dict, X) -> np.ndarray:
    """``X`` as floats, (n, d); with stacked parameters (R, ...) also (R, n, d)."""
    W1 = params["W1"]
    X = _checks.float_array("X", X, ndim=None if W1.ndim == 3 else 2, min_ndim=2)
    ndim = 3 if X.ndim == 3 and W1.ndim == 3 else 2
    _checks.columns("X", X, W1.shape[-1], f"W1 has shape {W1.shape}", ndim)
    return X


def _labels(y, scores: np.ndarray):
    """``y`` (n,) repeated for every run when ``scores`` are stacked (R, n, C)."""
    if scores.ndim == 3 and np.ndim(y) == 1 and np.shape(y) == scores.shape[1:2]:
        return np.broadcast_to(y, scores.shape[:2])
    return y


def forward(params: dict, X: np.ndarray, activation: str = "relu") -> tuple[np.ndarray, dict]:
    """Scores of every example.

    Args:
        params: ``W1``, ``b1``, ... as made by :func:`layers` (or stacked, R runs); X: (n, d)
            inputs, d the width of ``W1`` (or (R, n, d)); activation: the hidden nonlinearity,
            a name in ``activations.ACTIVATIONS`` (or an ``Activation``).

    Returns:
        ``(scores, cache)``: scores (n, C) (stacked: (R, n, C)); cache ``{"hs": [h_0 = X,
        h_1, ..., h_{L-1}], "zs": [z_1, ..., z_L], "activation"}`` (the inputs and
        pre-activations of every layer).
    """
    f = activations.get(activation).f
    L = _depth(params)
    X = _inputs(params, X)
    hs, zs = [X], []
    for k in range(1, L + 1):
        W, b = params[f"W{k}"], params[f"b{k}"]
        zs.append(hs[-1] @ np.swapaxes(W, -1, -2) + b[..., None, :])
        if k < L:
            hs.append(f(zs[-1]))
    return zs[-1], {"hs": hs, "zs": zs, "activation": activation}


def backward(params: dict, cache: dict, dscores: np.ndarray) -> dict:
    """Gradients of every parameter from the gradient ``dscores`` of a loss at the scores.

    Args:
        params: the parameters that :func:`forward` used; cache: :func:`forward`'s cache.
        dscores: (n, C) (stacked: (R, n, C)), the gradient of the loss at the scores.

    Returns:
        name -> gradient, each of its parameter's shape, in the order W1, b1, W2, b2, ...
    """
    act = activations.get(cache["activation"])
    delta, grads = dscores, {}
    for k in range(_depth(params), 0, -1):
        h = cache["hs"][k - 1]
        grads[f"b{k}"], grads[f"W{k}"] = delta.sum(axis=-2), np.swapaxes(delta, -1, -2) @ h
        if k > 1:  # f'(z) from the cached output h = f(z) where possible (no second f)
            delta = (delta @ params[f"W{k}"]) * act.local_grad(cache["zs"][k - 2], h)
    return dict(reversed(grads.items()))


def loss(params: dict, X: np.ndarray, y: np.ndarray, activation: str = "relu"):
    """Mean cross-entropy of the MLP on ``(X, y)``: ``X`` (n, d), ``y`` (n,) classes; a float
    (stacked parameters: (R,), one per run)."""
    scores = forward(params, X, activation)[0]
    return losses.cross_entropy(scores, _labels(y, scores), "y").loss


def predict(params: dict, X: np.ndarray, activation: str = "relu") -> np.ndarray:
    """Predicted class (n,) of every row of ``X`` (n, d) (stacked: (R, n))."""
    return np.argmax(forward(params, X, activation)[0], axis=-1)


def train(
    params: dict, X: np.ndarray, y: np.ndarray, activation: str = "relu", lr: float = 0.1,
    steps: int = 200, lam: float = 0.0, val=None, record_every: int = 10, include=None,
) -> dict:  # fmt: skip
    """Full-batch gradient descent (``optim.SGD``) on the mean cross-entropy, plus an optional
    L2 penalty (``regularization.WithL2``); with ``val``, early stopping's copy of the best
    parameters too.

    Args:
        params: the starting parameters (not modified; stacked: R runs trained together);
            X: (n, d) or, stacked, (R, n, d); y: (n,) classes or (R, n).
        activation: the hidden nonlinearity; lr: the learning rate; steps: updates.
        lam: L2 strength: the objective adds ``lam sum ||W||^2`` over the weights (not the
            biases), with gradient ``2 lam W`` (``lecnotes.regularization``).
        val: optional held-out ``(X_val, y_val)``, evaluated every ``record_every`` steps.
        include: the names of the parameters the penalty covers; None: the weights.

    Returns:
        ``{"losses": (steps + 1,) training cross-entropy without the penalty, "params"}``,
        plus, with ``val``: ``"val_losses"`` (k,) and ``"val_steps"`` (k,) (the steps they
        were measured at), ``"best_step"`` (the first of those with the lowest validation
        loss) and ``"best_params"`` (the parameters then). Stacked: ``losses`` (steps + 1, R),
        ``val_losses`` (k, R), ``best_step`` (R,), each run's own.
    """
    steps, opt = _checks.integer("steps", steps, low=0), optim.SGD(lr=lr)
    if _checks.nonnegative_real("lam", lam):
        opt = regularization.WithL2(opt, lam, include)
    record_every = _checks.positive_int("record_every", record_every)
    params = {name: np.array(p, dtype=float) for name, p in params.items()}  # a copy
    state = opt.init(params)
    history, val_losses, val_steps, best = [], [], [], None
    for step in range(steps + 1):
        scores, cache = forward(params, X, activation)
        value, dscores, _ = losses.cross_entropy(scores, _labels(y, scores), "y")
        history.append(value)
        if val is not None and step % record_every == 0:
            val_losses.append(loss(params, *val, activation))
            val_steps.append(step)
            best = _keep_best(best, params, val_losses[-1], step)
        if step == steps:
            break
        params, state = opt.update(params, backward(params, cache, dscores), state)
    result = {"losses": np.array(history), "params": params}
    if val is not None:
        step = best["step"]
        result |= {
            "val_losses": np.array(val_losses),
            "val_steps": np.array(val_steps),
            "best_step": int(step) if np.ndim(step) == 0 else step,
            "best_params": best["params"],
        }
    return result


def _keep_best(best: dict | None, params: dict, value, step: int) -> dict:
    """Early stopping's copy: ``{"params", "step", "value"}`` at the lowest validation loss
    ``value`` so far (the first check to reach it), each run's own when stacked."""
    if best is None:
        return {"params": params, "step": np.full(np.shape(value), step), "value": value}
    better = np.asarray(value < best["value"])

    def pick(new, old):
        return np.where(
            np.reshape(better, better.shape + (1,) * (new.ndim - better.ndim)), new, old
        )

    return {
        "params": {name: pick(p, best["params"][name]) for name, p in params.items()},
        "step": np.where(better, step, best["step"]),
        "value": np.where(better, value, best["value"]),
    }
