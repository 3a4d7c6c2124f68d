"""The lecture's window classifier, with backpropagation written by hand (chapters 1, 7-9).

A window of ``n`` words (ids into an embedding matrix ``E`` of shape (V, D)) is concatenated
into ``x`` of shape (n D,). The lecture's single-score network and its gradients, in the
shape convention (every gradient has the shape of its parameter):

    z = W x + b,   h = f(z),   s = u^T h          W: (H, n D), b: (H,), u: (H,)
    delta = ds/dz = u * f'(z)                     the local error signal
    ds/dW = outer(delta, x),  ds/db = delta,  ds/du = h,  ds/dx = W^T delta

The classifier trained in later chapters replaces ``u`` by a softmax layer over ``C``
classes and scores a batch of B windows at once (rows of ``X``, chapter 4)::

    H = f(X W^T + b)  (B, H),   P = softmax(H U^T + c)  (B, C),   J = mean_i -log P[i, y_i]

with the hidden nonlinearity ``f`` from ``lecnotes.activations`` (the logistic sigmoid by
default) and the loss and its gradient from ``lecnotes.losses.cross_entropy``. One backprop
convention throughout, the lecture's gate API: ``forward`` returns the value and a cache,
``backward`` turns the cache into gradients.
"""

from __future__ import annotations

import numpy as np

from lecnotes import _checks, activations, losses, optim
from lecnotes import init as initializers


def vector(E: np.ndarray, word_ids) -> np.ndarray:
    """Concatenate the rows ``E[word_ids]`` into one window vector.

    Args:
        E: (V, D) word vectors; word_ids: (n,) integers in [0, V).

    Returns:
        ``x``, shape (n D,).
    """
    word_ids = _checks.index_array("word_ids", word_ids, len(E), ndim=1)
    return E[word_ids].reshape(-1)


# --- the lecture's single score s = u^T f(W x + b) ------------------------------------------


def init_score(rng: np.random.Generator, dim: int, window: int = 5, hidden: int = 8) -> dict:
    """Parameters of the single-score network.

    Args:
        rng: the random generator.
        dim: D, the size of a word vector; window: n, words per window; hidden: H.

    Returns:
        ``{"W": (H, n D) ~ N(0, 1/(n D)), "b": zeros (H,), "u": (H,) ~ N(0, 1/H)}``.
    """
    rng = _checks.generator("rng", rng)
    n_in = _checks.positive_int("dim", dim) * _checks.positive_int("window", window)
    hidden = _checks.positive_int("hidden", hidden)
    return {
        "W": rng.normal(scale=1 / np.sqrt(n_in), size=(hidden, n_in)),
        "b": np.zeros(hidden),
        "u": rng.normal(scale=1 / np.sqrt(hidden), size=hidden),
    }


def score(params: dict, x: np.ndarray) -> tuple[float, dict]:
    """Forward: ``s = u^T sigmoid(W x + b)``.

    Args:
        params: ``W`` (H, n D), ``b`` (H,), ``u`` (H,).
        x: one window vector, shape (n D,).

    Returns:
        ``(s, cache)``, with ``cache = {"x", "z", "h"}`` for :func:`score_backward`.
    """
    W, b, u = params["W"], params["b"], params["u"]
    _checks.same_shape("x", x, (W.shape[1],), "a row of W")
    z = W @ x + b
    h = activations.sigmoid(z)
    return float(u @ h), {"x": x, "z": z, "h": h}


def score_backward(params: dict, cache: dict) -> dict:
    """Backward: the gradients of ``s`` from :func:`score`'s cache.

    Args:
        params: ``W``, ``b``, ``u`` as for :func:`score`; cache: :func:`score`'s cache.

    Returns:
        ``{"W": (H, n D), "b": (H,), "u": (H,), "x": (n D,), "delta": (H,)}``: the gradients of
        ``s`` and the local error signal ``delta = u * f'(z)``.
    """
    delta = params["u"] * activations.sigmoid_grad(cache["z"])
    return {
        "W": np.outer(delta, cache["x"]),
        "b": delta,
        "u": cache["h"],
        "x": params["W"].T @ delta,
        "delta": delta,
    }


# --- the classifier: word vectors, a hidden layer, a softmax -------------------------------


def init(
    rng: np.random.Generator, vocab: int, dim: int = 8, hidden: int = 16, classes: int = 2,
    window: int = 5, vector_scale: float = 0.5,
) -> dict:  # fmt: skip
    """Parameters of the classifier: word vectors, Xavier-normal weights, zero biases.

    Args:
        rng: the random generator.
        vocab: V, words; dim: D, the size of a word vector; hidden: H; classes: C;
            window: n, words per window; vector_scale: the word vectors' standard deviation.

    Returns:
        ``{"E": (V, D), "W": (H, n D), "b": (H,), "U": (C, H), "c": (C,)}``.
    """
    rng = _checks.generator("rng", rng)
    vocab, dim = _checks.positive_int("vocab", vocab), _checks.positive_int("dim", dim)
    width = _checks.positive_int("window", window) * dim
    E = rng.normal(scale=_checks.positive_real("vector_scale", vector_scale), size=(vocab, dim))
    W = initializers.xavier_normal(rng, (hidden, width))
    U = initializers.xavier_normal(rng, (classes, hidden))
    return {
        "E": E,
        "W": W,
        "b": initializers.zeros(hidden),
        "U": U,
        "c": initializers.zeros(classes),
    }


def forward(params: dict, word_ids, labels, activation: str = "sigmoid") -> tuple[float, dict]:
    """Mean cross-entropy of a batch of windows, and the cache for :func:`backward`.

    Args:
        params: as made by :func:`init`.
        word_ids: (B, n) word ids, one window per row (n D = the width of ``W``).
        labels: (B,) correct classes.
        activation: the hidden nonlinearity, a name in ``activations.ACTIVATIONS``.

    Returns:
        ``(J, cache)``; ``cache`` holds ``word_ids``, ``labels``, ``X`` (B, n D), ``Z`` and
        ``H`` (B, H), ``log_p`` (B, C), ``delta`` (B, C), the gradient of ``J`` with respect
        to the scores, and the ``activation`` name.
    """
    scores, cache = _scores(params, word_ids, activation)
    J, delta, log_p = losses.cross_entropy(scores, labels)
    return J, cache | {"labels": np.asarray(labels), "log_p": log_p, "delta": delta}


def _scores(params: dict, word_ids, activation: str) -> tuple[np.ndarray, dict]:
    """Scores (B, C) of every class for every window, and the forward cache."""
    f = activations.get(activation).f
    E, W = params["E"], params["W"]
    word_ids = _checks.index_array("word_ids", word_ids, len(E), ndim=2)
    width = f"W takes {W.shape[1]} inputs, {E.shape[1]} per word"
    _checks.columns("word_ids", word_ids, W.shape[1] // E.shape[1], width)
    X = E[word_ids].reshape(len(word_ids), -1)
    Z = X @ W.T + params["b"]
    H = f(Z)
    cache = {"word_ids": word_ids, "X": X, "Z": Z, "H": H, "activation": activation}
    return H @ params["U"].T + params["c"], cache


def backward(params: dict, cache: dict, sparse: bool = False) -> dict:
    """Gradients of the mean cross-entropy for every parameter, from :func:`forward`'s cache.

    With ``delta = (P - onehot(y)) / B`` (B, C), the cached gradient of ``J`` with respect to
    the scores (``losses.cross_entropy``), the lecture's rules applied row by row::

        dU = delta^T H,  dc = sum_rows(delta),  dZ = (delta U) * f'(Z)   (B, H)
        dW = dZ^T X,     db = sum_rows(dZ),     dX = dZ W                (B, n D)
        dE[word] += dX[row, slot]   every occurrence of a word adds its share (np.add.at)

    Args:
        params: as made by :func:`init`; cache: :func:`forward`'s cache.
        sparse: give ``E``'s gradient as ``optim.RowSparse(ids, rows)``, one row (D,) per
            word of the batch (B n rows; an optimizer sums repeats), as PyTorch's
            ``nn.Embedding(sparse=True)`` does, instead of a dense (V, D) table.

    Returns:
        name -> gradient, each of its parameter's shape (``E``, ``W``, ``b``, ``U``, ``c``;
        ``E`` an ``optim.RowSparse`` when ``sparse``).
    """
    word_ids, delta, H = cache["word_ids"], cache["delta"], cache["H"]
    B, n = word_ids.shape
    dZ = (delta @ params["U"]) * activations.get(cache["activation"]).local_grad(cache["Z"], H)
    dX = dZ @ params["W"]
    if sparse:  # the rows of the batch's words only, one per occurrence
        dE = optim.RowSparse(word_ids.reshape(-1), dX.reshape(B * n, -1))
    else:
        dE = np.zeros_like(params["E"])
        np.add.at(dE, word_ids, dX.reshape(B, n, -1))
    return {
        "E": dE, "W": dZ.T @ cache["X"], "b": dZ.sum(axis=0),
        "U": delta.T @ H, "c": delta.sum(axis=0),
    }  # fmt: skip


def loss(params: dict, word_ids, labels, activation: str = "sigmoid") -> float:
    """The mean cross-entropy alone (``word_ids`` (B, n), ``labels`` (B,); see :func:`forward`)."""
    return forward(params, word_ids, labels, activation)[0]


def predict(params: dict, word_ids, activation: str = "sigmoid") -> np.ndarray:
    """The most probable class (B,) of every window ``word_ids`` (B, n) under ``params``."""
    return np.argmax(_scores(params, word_ids, activation)[0], axis=1)


def epoch_batches(rng: np.random.Generator, n: int, batch: int):
    """Row indices of the mini-batches of one epoch: a fresh shuffle, cut into ``batch`` rows.

    An **epoch** is one pass over the training set; each window is used once per epoch.

    Args:
        rng: shuffles; n: the training set's size; batch: rows per batch.

    Returns:
        A list of index arrays; the last is smaller when ``batch`` does not divide ``n``.
    """
    order = _checks.generator("rng", rng).permutation(_checks.positive_int("n", n))
    return [order[k : k + batch] for k in range(0, n, _checks.positive_int("batch", batch))]


def train(
    rng: np.random.Generator, params: dict, opt, word_ids, labels, steps: int, batch: int = 32,
    frozen: tuple[str, ...] = (), activation: str = "sigmoid", limit: float = 50.0,
    track: dict | None = None, sparse: bool = False,
) -> dict:  # fmt: skip
    """Mini-batch training by epochs (:func:`epoch_batches`), ``steps`` optimizer updates.

    Args:
        rng: shuffles each epoch (the same seed gives the same batches).
        params: the starting parameters (not modified); opt: an ``lecnotes.optim`` optimizer.
        word_ids, labels: the training set, (N, n) and (N,).
        steps: optimizer updates; batch: windows per update.
        frozen: parameter names never updated (e.g. ``("E",)`` for fixed word vectors).
        limit: a batch loss above it, or a non-finite one, stops training (divergence).
        track: optional data sets to evaluate, name -> ``(word_ids, labels)``: the mean loss
            on each is recorded before training and after every epoch (and after the last
            update, if it ends an epoch early).
        sparse: hand ``opt`` the gradient of ``E`` as an ``optim.RowSparse`` of the batch's
            words (:func:`backward`), as ``optim.SparseAdam`` needs.

    Returns:
        ``{"losses": (steps taken,) batch losses before each update, "params", "state":
        the optimizer's, "diverged": bool, "epochs": updates / batches per epoch}``, and with
        ``track``: ``"tracked": {name: losses}`` and ``"tracked_steps"``, the number of
        updates made when each was measured.
    """
    steps = _checks.positive_int("steps", steps)
    frozen = _checks.known_names("frozen", frozen, params)
    track = track or {}
    tracked = {name: [] for name in track}
    tracked_steps: list[int] = []

    def record():
        tracked_steps.append(len(losses))
        for name, (ids, ys) in track.items():
            tracked[name].append(loss(params, ids, ys, activation))

    state, losses, diverged, per_epoch = opt.init(params), [], False, 0
    record()
    while len(losses) < steps and not diverged:
        batches = epoch_batches(rng, len(labels), batch)
        per_epoch = len(batches)
        for rows in batches[: steps - len(losses)]:
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may overflow
                value, cache = forward(params, word_ids[rows], labels[rows], activation)
                grads = backward(params, cache, sparse)
            losses.append(value)
            if not np.isfinite(value) or value > limit:
                diverged = True
                break
            grads = {k: g for k, g in grads.items() if k not in frozen}
            params, state = opt.update(params, grads, state)
        if track and not diverged:
            record()
    result = {
        "losses": np.array(losses), "params": params, "state": state, "diverged": diverged,
        "epochs": len(losses) / per_epoch,
    }  # fmt: skip
    if track:
        result |= {
            "tracked": {k: np.array(v) for k, v in tracked.items()},
            "tracked_steps": np.array(tracked_steps),
        }
    return result
