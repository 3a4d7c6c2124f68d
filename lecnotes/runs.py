"""Many training runs of the window classifier at once, vectorized over runs (chapter 8).

A fair comparison of learning-rate schedules needs many runs: every schedule at every rate
of a grid, over several data orders, and a twin of each run to test that it settles. One
run at a time, a step on a batch of 32 windows costs about 0.1 ms, most of it NumPy's
overhead per call; here ``R`` runs advance together, every parameter carrying a leading
axis of length ``R``, and a step costs about as much per run as the arithmetic.

The model and its gradients are those of :mod:`lecnotes.window` (``window.forward`` and
``window.backward``), run by run; with ``r`` the run::

    X_r = rows of E_r[word_ids_r]  (B, n D),   Z_r = X_r W_r^T + b_r,   H_r = f(Z_r)
    log P_r = log_softmax(H_r U_r^T + c_r),    J_r = mean_i -log P_r[i, y_ri]
    delta_r = (P_r - onehot(y_r)) / B,   dU_r = delta_r^T H_r,   dc_r = sum_rows(delta_r)
    dZ_r = (delta_r U_r) * f'(Z_r),      dW_r = dZ_r^T X_r,      db_r = sum_rows(dZ_r)
    dE_r[word] += (dZ_r W_r)[row, slot]  for every occurrence of the word

(``tests/test_runs.py`` checks each against ``window``). :func:`train` draws each run's
batches from its own seed exactly as ``window.train`` does and updates it with an
``lecnotes.optim`` optimizer, each run at its own learning rate or schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from lecnotes import _checks, activations, window


def stack(params: dict, nudges) -> dict:
    """``R`` copies of ``params``, copy ``r`` scaled by ``1 + nudges[r]``.

    Args:
        params: name -> array, as made by ``window.init``.
        nudges: (R,) relative changes (0 for an exact copy; ``1e-12`` for a twin).

    Returns:
        name -> array of shape (R, *shape of the parameter).
    """
    nudges = np.array([_checks.real("nudges[r]", x) for x in _checks.sized("nudges", nudges, 1)])
    return {
        name: (1 + nudges.reshape((-1,) + (1,) * np.ndim(value))) * np.asarray(value, float)
        for name, value in params.items()
    }


def forward(params: dict, word_ids, labels, activation: str = "sigmoid") -> tuple:
    """Mean cross-entropy of each run's batch, and the cache for :func:`backward`.

    Args:
        params: stacked parameters (:func:`stack`): ``E`` (R, V, D), ``W`` (R, H, n D),
            ``b`` (R, H), ``U`` (R, C, H), ``c`` (R, C).
        word_ids: (R, B, n) word ids, one batch of windows per run.
        labels: (R, B) correct classes.
        activation: the hidden nonlinearity, a name in ``activations.ACTIVATIONS``.

    Returns:
        ``(J, cache)``: ``J`` (R,) the mean loss of each run's batch; ``cache`` holds
        ``word_ids``, ``labels``, ``X`` (R, B, n D), ``Z`` and ``H`` (R, B, H), ``log_p``
        (R, B, C) and the ``activation`` name.
    """
    E = params["E"]
    runs, vocab = E.shape[:2]
    word_ids = _checks.index_array("word_ids", word_ids, vocab, ndim=3)
    _checks.same_shape("word_ids", word_ids, (runs, *word_ids.shape[1:]), "one batch per run")
    X = E[np.arange(runs)[:, None, None], word_ids].reshape(*word_ids.shape[:2], -1)
    Z = X @ np.swapaxes(params["W"], 1, 2) + params["b"][:, None, :]
    H = activations.get(activation).f(Z)
    log_p = activations.log_softmax(H @ np.swapaxes(params["U"], 1, 2) + params["c"][:, None, :])
    labels = _checks.index_array("labels", labels, log_p.shape[2], ndim=2)
    _checks.same_shape("labels", labels, word_ids.shape[:2], "the batches of word_ids")
    picked = log_p[np.arange(runs)[:, None], np.arange(labels.shape[1]), labels]
    cache = {"word_ids": word_ids, "labels": labels, "X": X, "Z": Z, "H": H, "log_p": log_p}
    return -picked.mean(axis=1), cache | {"activation": activation}


def backward(params: dict, cache: dict) -> dict:
    """Gradients of every run's mean cross-entropy (the module docstring's equations).

    Args:
        params: stacked parameters, as for :func:`forward`; cache: :func:`forward`'s cache.

    Returns:
        name -> gradient, each of its stacked parameter's shape (``E``, ``W``, ``b``, ``U``,
        ``c``); run ``r``'s slice is ``window.backward`` of run ``r``.
    """
    word_ids, labels, H = cache["word_ids"], cache["labels"], cache["H"]
    runs, batch, n = word_ids.shape
    delta = np.exp(cache["log_p"])
    delta[np.arange(runs)[:, None], np.arange(batch), labels] -= 1.0
    delta /= batch
    act = activations.get(cache["activation"])
    local = act.grad_from_output(H) if act.grad_from_output else act.grad(cache["Z"])
    dZ = (delta @ params["U"]) * local
    vocab, dim = params["E"].shape[1:]
    slots = (np.arange(runs)[:, None, None] * vocab + word_ids).reshape(-1, 1) * dim
    dX = dZ @ params["W"]  # (R, B, n D): the gradient of each window's vector, slot by slot
    entries = (slots + np.arange(dim)).ravel()  # one bin per entry of every run's E
    dE = np.bincount(entries, dX.ravel(), runs * vocab * dim)
    return {
        "E": dE.reshape(runs, vocab, dim), "W": np.swapaxes(dZ, 1, 2) @ cache["X"],
        "b": dZ.sum(axis=1), "U": np.swapaxes(delta, 1, 2) @ H, "c": delta.sum(axis=1),
    }  # fmt: skip


def losses(params: dict, word_ids, labels, activation: str = "sigmoid") -> np.ndarray:
    """The mean cross-entropy of every run on one shared data set.

    Args:
        params: stacked parameters (:func:`stack`).
        word_ids: (N, n) word ids; labels: (N,) classes.
        activation: the hidden nonlinearity.

    Returns:
        (R,) losses; run ``r``'s is ``window.loss`` of run ``r`` on the data.
    """
    runs = len(params["E"])
    word_ids, labels = np.asarray(word_ids), np.asarray(labels)
    shared_ids = np.broadcast_to(word_ids, (runs, *word_ids.shape))
    shared_labels = np.broadcast_to(labels, (runs, *labels.shape))
    return forward(params, shared_ids, shared_labels, activation)[0]


def final_losses(result: dict, word_ids, labels, activation: str = "sigmoid") -> np.ndarray:
    """Each run's mean loss on a data set after :func:`train`; ``inf`` for a run that diverged.

    This is the final loss ``lecnotes.tuning`` judges (``run(lr, nudge)``), for every run.

    Args:
        result: what :func:`train` returned; word_ids: (N, n); labels: (N,).
        activation: the hidden nonlinearity the runs were trained with.

    Returns:
        (R,) losses.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's weights may be huge
        values = losses(result["params"], word_ids, labels, activation)
    return np.where(result["diverged"], np.inf, values)


def _rates(lrs, runs: int, steps: int, default: Callable[[int], float]) -> np.ndarray:
    """(steps, R) learning rates: ``lrs[r]`` (a rate or a schedule) for run ``r`` at step ``t``."""
    if lrs is None:
        return np.repeat([[default(t)] for t in range(steps)], runs, axis=1)
    parts = _checks.sized("lrs", lrs, runs, runs)
    table = np.array([[lr(t) if callable(lr) else lr for lr in parts] for t in range(steps)])
    bad = np.argwhere(~(np.isfinite(table) & (table >= 0)))
    if len(bad):
        t, r = bad[0]
        _checks.nonnegative_real(f"lrs[{r}] at step {t}", table[t, r])
    return table


def _update(opt, params: dict, grads: dict, states: dict, lr: np.ndarray) -> dict:
    """One update of every run, run ``r`` at rate ``lr[r]``, through the optimizer's ``step``.

    Every ``lecnotes.optim`` update is element-wise in the rate (PyTorch's equations), so the
    rates enter as an array of shape (R, 1, ...) that broadcasts against each parameter.
    """
    new = {}
    for name, theta in params.items():
        shaped = lr.reshape((-1,) + (1,) * (theta.ndim - 1))
        new[name], states[name] = opt.step(theta, grads[name], states[name], shaped)
    return new


def _keep(alive: np.ndarray, updated: dict, old: dict) -> dict:
    """The updated parameters of the runs still alive; the others stay where they stopped."""
    return {
        name: np.where(alive.reshape((-1,) + (1,) * (value.ndim - 1)), value, old[name])
        for name, value in updated.items()
    }


def train(
    orders: Sequence[int], start: dict, opt, word_ids, labels, steps: int, batch: int = 32,
    lrs=None, nudges=None, track: dict | None = None, every: int | None = None,
    activation: str = "sigmoid", limit: float = 50.0,
) -> dict:  # fmt: skip
    """``R = len(orders)`` runs of ``window.train`` at once, each with its own data order.

    Run ``r`` starts from ``start`` scaled by ``1 + nudges[r]``, shuffles with
    ``np.random.default_rng(orders[r])`` as ``window.train`` does, and is updated by ``opt``
    (any ``lecnotes.optim`` optimizer, its hyperparameters shared) at the rate ``lrs[r]``.

    Args:
        orders: R seeds of the runs' batch orders (repeats allowed, e.g. for twins).
        start: the starting parameters, as made by ``window.init`` (not modified).
        opt: an ``lecnotes.optim`` optimizer.
        word_ids, labels: the training set, (N, n) and (N,).
        steps: optimizer updates per run; batch: windows per update.
        lrs: R learning rates, each a rate >= 0 or a schedule ``step -> rate``; None: the
            optimizer's own ``lr`` for every run.
        nudges: R relative changes of the start (default 0: every run starts at ``start``).
        track: optional data sets to evaluate, name -> ``(word_ids, labels)``: each run's
            mean loss on each is recorded before training and after every ``every`` updates
            (default: one epoch) and after the last.
        limit: a batch loss above it, or a non-finite one, stops that run (divergence).

    Returns:
        ``{"params": stacked (R, ...), "losses": (R, steps) batch losses before each update
        (NaN after a run stopped), "diverged": (R,) bool}``, and with ``track``:
        ``"tracked": {name: (R, k) losses}`` (NaN after a run stopped) and
        ``"tracked_steps"``: (k,) the updates made when each was measured.
    """
    orders = _checks.sized("orders", orders, 1)
    runs = len(orders)
    shufflers = [np.random.default_rng(_checks.integer("orders[r]", o, low=0)) for o in orders]
    params = stack(
        start, np.zeros(runs) if nudges is None else _checks.sized("nudges", nudges, runs, runs)
    )
    word_ids = _checks.index_array("word_ids", word_ids, params["E"].shape[1], ndim=2)
    labels = _checks.index_array("labels", labels, params["U"].shape[1], ndim=1)
    _checks.same_shape("labels", labels, word_ids.shape[:1], "one label per window")
    steps, batch = _checks.positive_int("steps", steps), _checks.positive_int("batch", batch)
    rates = _rates(lrs, runs, steps, opt.rate)
    n_batches = -(-len(labels) // batch)
    every = n_batches if every is None else _checks.positive_int("every", every)
    track = track or {}
    states = {name: opt.init_state(theta) for name, theta in params.items()}
    batch_losses = np.full((runs, steps), np.nan)
    alive = np.ones(runs, dtype=bool)
    tracked, tracked_steps = {name: [] for name in track}, []

    def record(t: int) -> None:
        tracked_steps.append(t)
        for name, (ids, ys) in track.items():
            with np.errstate(over="ignore", invalid="ignore"):
                tracked[name].append(np.where(alive, losses(params, ids, ys, activation), np.nan))

    record(0)
    t = 0
    while t < steps and alive.any():
        orders_now = [window.epoch_batches(g, len(labels), batch) for g in shufflers]
        for rows in [np.stack(rows) for rows in zip(*orders_now, strict=True)][: steps - t]:
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may overflow
                value, cache = forward(params, word_ids[rows], labels[rows], activation)
                grads = backward(params, cache)
            batch_losses[alive, t] = value[alive]
            alive &= np.isfinite(value) & (value <= limit)
            with np.errstate(over="ignore", invalid="ignore"):
                updated = _update(opt, params, grads, states, rates[t])
            params = updated if alive.all() else _keep(alive, updated, params)
            t += 1
            if track and (t % every == 0 or t == steps):
                record(t)
    result = {"params": params, "losses": batch_losses, "diverged": ~alive}
    if track:
        result |= {
            "tracked": {k: np.array(v).T for k, v in tracked.items()},
            "tracked_steps": np.array(tracked_steps),
        }
    return result
