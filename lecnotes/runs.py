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

(``tests/test_runs.py`` checks each against ``window``; ``losses.cross_entropy``'s core and
``local_grad`` are window's too). :func:`train` draws each run's batches from its own seed
as ``window.train`` does and updates it with an ``lecnotes.optim`` optimizer (its weight
decay too), each run at its own learning rate or schedule, from a shared start or its own;
parameters can be frozen, and a ``groups.ParamGroups`` gives each group of parameters its
own optimizer (``SparseAdam`` for ``E``: chapter 9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from lecnotes import _checks, activations, groups, optim, schedules, window
from lecnotes.losses import cross_entropy_unchecked

# Entries of the window vectors X that :func:`losses` computes at once: 40 runs on 2,048
# windows make X 26 MB; in blocks of runs of about 2 MB it stays in the processor's cache.
_BLOCK = 2**18


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
        and ``delta`` (R, B, C) and the ``activation`` name.
    """
    runs, vocab = params["E"].shape[:2]
    word_ids = _checks.index_array("word_ids", word_ids, vocab, ndim=3)
    _checks.same_shape("word_ids", word_ids, (runs, *word_ids.shape[1:]), "one batch per run")
    labels = _checks.index_array("labels", labels, params["U"].shape[1], ndim=2)
    _checks.same_shape("labels", labels, word_ids.shape[:2], "the batches of word_ids")
    return _loss(params, word_ids, labels, activation)


def _loss(params: dict, word_ids: np.ndarray, labels: np.ndarray, activation: str) -> tuple:
    """:func:`forward` on inputs already checked (the training loop's)."""
    cache = _scores(params, word_ids, activation)
    J, delta, log_p = cross_entropy_unchecked(cache.pop("scores"), labels)
    return J, cache | {"labels": labels, "log_p": log_p, "delta": delta}


def _scores(params: dict, word_ids: np.ndarray, activation: str) -> dict:
    """The forward pass of every run on its (R, B, n) windows: ``X``, ``Z``, ``H``, ``scores``."""
    runs, vocab = params["E"].shape[:2]
    rows = (np.arange(runs)[:, None, None] * vocab + word_ids).reshape(-1)  # rows of _rows(E)
    X = _rows(params["E"]).take(rows, axis=0).reshape(*word_ids.shape[:2], -1)
    Z = X @ params["W"].swapaxes(1, 2)
    Z += params["b"][:, None, :]
    H = activations.get(activation).f(Z)
    scores = H @ params["U"].swapaxes(1, 2)
    scores += params["c"][:, None, :]
    cache = {"word_ids": word_ids, "rows": rows, "X": X, "Z": Z, "H": H, "scores": scores}
    return cache | {"activation": activation}


def predict(params: dict, word_ids, activation: str = "sigmoid") -> np.ndarray:
    """Every run's most probable class for every window of one shared data set.

    Args:
        params: stacked parameters (:func:`stack`); word_ids: (N, n) word ids.
        activation: the hidden nonlinearity.

    Returns:
        (R, N) classes; row ``r`` is ``window.predict`` of run ``r``.
    """
    runs, vocab = params["E"].shape[:2]
    word_ids = _checks.index_array("word_ids", word_ids, vocab, ndim=2)
    shared = np.broadcast_to(word_ids, (runs, *word_ids.shape))
    return np.argmax(_scores(params, shared, activation)["scores"], axis=2)


def backward(params: dict, cache: dict, frozen=(), sparse: bool = False) -> dict:
    """Gradients of every run's mean cross-entropy (the module docstring's equations).

    Args:
        params: stacked parameters, as for :func:`forward`; cache: :func:`forward`'s cache.
        frozen: names whose gradient is not wanted (for ``E``, not even computed).
        sparse: give ``E``'s gradient as an ``optim.RowSparse`` over the runs' tables seen as
            one (R V, D) table (row ``r V + i`` is word ``i`` of run ``r``): one row per word
            of the batches, repeats summed (``window.backward(sparse=True)`` leaves that to
            the optimizer, as PyTorch's ``coalesce()`` does).

    Returns:
        name -> gradient, each of its stacked parameter's shape (``E``, ``W``, ``b``, ``U``,
        ``c``, less the ``frozen``); run ``r``'s slice is ``window.backward`` of run ``r``.
    """
    word_ids, delta, H = cache["word_ids"], cache["delta"], cache["H"]
    runs = len(word_ids)
    dZ = (delta @ params["U"]) * activations.get(cache["activation"]).local_grad(cache["Z"], H)
    grads = {
        "W": dZ.swapaxes(1, 2) @ cache["X"], "b": dZ.sum(axis=1),
        "U": delta.swapaxes(1, 2) @ H, "c": delta.sum(axis=1),
    }  # fmt: skip
    if "E" not in frozen:
        vocab, dim = params["E"].shape[1:]
        rows = cache["rows"]  # the row of _rows(E) of every word of every window
        dX = dZ @ params["W"]  # (R, B, n D): the gradient of each window's vector, slot by slot
        cells = np.arange(runs * vocab * dim).reshape(-1, dim)  # _rows(E)'s entries, numbered
        entries = cells.take(rows, axis=0).ravel()  # the entry of each number of dX
        dE = np.bincount(entries, dX.ravel(), runs * vocab * dim).reshape(-1, dim)
        if sparse:  # the rows of the batches' words only, repeats summed
            used = np.unique(rows)
            grads["E"] = optim.RowSparse(used, dE[used])
        else:
            grads["E"] = dE.reshape(runs, vocab, dim)
    return {name: g for name, g in grads.items() if name not in frozen}


def losses(params: dict, word_ids, labels, activation: str = "sigmoid") -> np.ndarray:
    """The mean cross-entropy of every run on one shared data set.

    Args:
        params: stacked parameters (:func:`stack`).
        word_ids: (N, n) word ids; labels: (N,) classes.
        activation: the hidden nonlinearity.

    Returns:
        (R,) losses; run ``r``'s is ``window.loss`` of run ``r`` on the data.
    """
    word_ids, labels = np.asarray(word_ids), np.asarray(labels)
    block = max(1, _BLOCK // max(1, word_ids.size * params["E"].shape[-1]))
    parts = []
    for first in range(0, len(params["E"]), block):  # a block of runs: the same losses
        some = {name: value[first : first + block] for name, value in params.items()}
        shared = [np.broadcast_to(a, (len(some["E"]), *a.shape)) for a in (word_ids, labels)]
        parts.append(forward(some, *shared, activation)[0])
    return np.concatenate(parts)


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
        return np.repeat(schedules.rates(default, steps)[:, None], runs, axis=1)
    parts = _checks.sized("lrs", lrs, runs, runs)
    distinct = {id(lr): lr for lr in parts if callable(lr)}  # a schedule once, however many runs
    columns = {key: schedules.rates(lr, steps) for key, lr in distinct.items()}
    table = np.empty((steps, runs))
    for r, lr in enumerate(parts):
        table[:, r] = columns[id(lr)] if callable(lr) else _checks.real(f"lrs[{r}]", lr)
    bad = np.argwhere(~(np.isfinite(table) & (table >= 0)))
    if len(bad):
        t, r = bad[0]
        _checks.nonnegative_real(f"lrs[{r}] at step {t}", table[t, r])
    return table


def _owners(opt, params: dict, frozen) -> dict:
    """name -> the optimizer that updates it: ``opt`` itself, or its group's optimizer when
    ``opt`` is a ``groups.ParamGroups``; frozen names (and, with groups, names in no group)
    are left out. ``SparseAdam`` may own only ``E``, whose gradient it then takes as rows."""
    frozen = _checks.known_names("frozen", frozen, params)
    if isinstance(opt, groups.ParamGroups):
        owners = {name: o for names, o in opt.groups.items() for name in names}
        _checks.known_names("opt's groups", owners, params)
    else:
        owners = dict.fromkeys(params, opt)
    for name, o in owners.items():
        if not isinstance(o, optim.Optimizer):
            raise ValueError(f"the optimizer of {name!r} must be an optim.Optimizer, got {o!r}")
        if isinstance(o, optim.SparseAdam) and name != "E" and name not in frozen:
            raise ValueError(f"SparseAdam can update only the table 'E', not {name!r}")
    return {name: o for name, o in owners.items() if name not in frozen}


def _update(owners: dict, params: dict, grads: dict, states: dict, rates: dict, t: int) -> dict:
    """Update ``t`` of every run: each optimizer's ``update_parameter`` (decay, then step).

    ``rates[name][t]`` holds (R,) rates, one per run: every ``lecnotes.optim`` update is
    element-wise in the rate (PyTorch's equations), so they enter as an array of shape
    (R, 1, ...) that broadcasts against the parameter. A row-sparse gradient updates the
    runs' tables as one (R V, D) table, at their shared rate.
    """
    new = dict(params)
    for name, grad in grads.items():
        theta, rate, step = params[name], rates[name][t], owners[name].update_parameter
        if isinstance(grad, optim.RowSparse):
            flat, states[name] = step(name, _rows(theta), grad, states[name], rate[0])
            new[name] = flat.reshape(theta.shape)
        else:
            shaped = rate.reshape((-1,) + (1,) * (theta.ndim - 1))
            new[name], states[name] = step(name, theta, grad, states[name], shaped)
    return new


def _rows(table: np.ndarray) -> np.ndarray:
    """The runs' tables (R, V, D) seen as one table of R V rows, (R V, D)."""
    return table.reshape(-1, table.shape[-1])


def _keep(alive: np.ndarray, updated: dict, old: dict) -> dict:
    """The updated parameters of the runs still alive; the others stay where they stopped."""
    return {
        name: np.where(alive.reshape((-1,) + (1,) * (value.ndim - 1)), value, old[name])
        for name, value in updated.items()
    }


def train(
    orders: Sequence[int], start, opt, word_ids, labels, steps: int, batch: int = 32,
    lrs=None, nudges=None, track: dict | None = None, every: int | None = None,
    activation: str = "sigmoid", limit: float = 50.0, frozen=(),
) -> dict:  # fmt: skip
    """``R = len(orders)`` runs of ``window.train`` at once, each with its own data order.

    Run ``r`` starts from ``start`` (or ``start[r]``) scaled by ``1 + nudges[r]``, shuffles
    with ``np.random.default_rng(orders[r])`` as ``window.train`` does, and is updated by
    ``opt`` (its hyperparameters shared) at the rate ``lrs[r]``.

    Args:
        orders: R seeds of the runs' batch orders (repeats allowed, e.g. for twins).
        start: the starting parameters, as made by ``window.init`` (not modified), shared by
            every run; or a sequence of R such dicts, one per run.
        opt: an ``lecnotes.optim`` optimizer; or a ``groups.ParamGroups`` of them, each
            group's optimizer updating its own parameters at its own ``lr`` (a parameter in
            no group is frozen; a ``SparseAdam`` group may hold only ``E``, and gets its
            gradient as rows, as ``window.train(..., sparse=True)`` gives it).
        word_ids, labels: the training set, (N, n) and (N,).
        steps: optimizer updates per run; batch: windows per update.
        lrs: R learning rates, each a rate >= 0 or a schedule ``step -> rate``; None: the
            optimizer's own ``lr`` for every run (always None with a ``ParamGroups``).
        nudges: R relative changes of the start (default 0: every run starts at ``start``).
        track: optional data sets to evaluate, name -> ``(word_ids, labels)``: each run's
            mean loss on each is recorded before training and after every ``every`` updates
            (default: one epoch) and after the last.
        limit: a batch loss above it, or a non-finite one, stops that run (divergence).
        frozen: parameter names never updated (``("E",)``: fixed word vectors, whose
            gradient is then not computed at all).

    Returns:
        ``{"params": stacked (R, ...), "losses": (R, steps) batch losses before each update
        (NaN after a run stopped), "diverged": (R,) bool}``, and with ``track``:
        ``"tracked": {name: (R, k) losses}`` (NaN after a run stopped) and
        ``"tracked_steps"``: (k,) the updates made when each was measured.
    """
    orders = _checks.sized("orders", orders, 1)
    runs = len(orders)
    shufflers = [np.random.default_rng(_checks.integer("orders[r]", o, low=0)) for o in orders]
    nudges = np.zeros(runs) if nudges is None else _checks.sized("nudges", nudges, runs, runs)
    params = _starts(start, nudges)
    word_ids = _checks.index_array("word_ids", word_ids, params["E"].shape[1], ndim=2)
    labels = _checks.index_array("labels", labels, params["U"].shape[1], ndim=1)
    _checks.same_shape("labels", labels, word_ids.shape[:1], "one label per window")
    steps, batch = _checks.positive_int("steps", steps), _checks.positive_int("batch", batch)
    owners = _owners(opt, params, frozen)
    sparse = isinstance(owners.get("E"), optim.SparseAdam)
    if lrs is not None and (sparse or isinstance(opt, groups.ParamGroups)):
        raise ValueError(f"lrs must be None with a ParamGroups or SparseAdam, got {lrs!r}")
    distinct = {id(o): o for o in owners.values()}  # one table per optimizer, not per name
    tables = {key: _rates(lrs, runs, steps, o.rate) for key, o in distinct.items()}  # (steps, R)
    rates = {name: tables[id(o)] for name, o in owners.items()}
    n_batches = -(-len(labels) // batch)
    every = n_batches if every is None else _checks.positive_int("every", every)
    track = track or {}
    states = {
        name: o.init_state(_rows(params[name]) if sparse and name == "E" else params[name])
        for name, o in owners.items()
    }
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
        for rows in _epoch(shufflers, len(labels), batch)[: steps - t]:
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may overflow
                ids, ys = word_ids.take(rows, axis=0), labels.take(rows)
                value, cache = _loss(params, ids, ys, activation)
                grads = backward(params, cache, set(params) - set(owners), sparse)
                batch_losses[alive, t] = value[alive]
                alive &= np.isfinite(value) & (value <= limit)
                updated = _update(owners, params, grads, states, rates, t)
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


def _epoch(shufflers: list, n: int, batch: int) -> list[np.ndarray]:
    """One epoch of every run: for each step, the (R, b) rows of its batches, cut from each
    run's shuffle as ``window.epoch_batches`` cuts it (one stack an epoch, not one a step)."""
    orders = np.stack([window.epoch_batches(g, n, n)[0] for g in shufflers])  # (R, n)
    return [orders[:, k : k + batch] for k in range(0, n, batch)]


def _starts(start, nudges) -> dict:
    """Stacked starting points: ``start`` (one dict) or ``start[r]`` (one per run), run
    ``r``'s scaled by ``1 + nudges[r]``."""
    if isinstance(start, dict):
        return stack(start, nudges)
    starts = _checks.sized("start", start, len(nudges), len(nudges))
    for r, one in enumerate(starts):
        if not isinstance(one, dict) or one.keys() != starts[0].keys():
            names = sorted(starts[0])
            raise ValueError(f"start[{r}] must be a dict of {names}, as start[0], got {one!r:.80}")
    stacked = [stack(one, [nudge]) for one, nudge in zip(starts, nudges, strict=True)]
    return {name: np.concatenate([one[name] for one in stacked]) for name in starts[0]}
