"""The lecture's window classifier, with gradients derived by hand (chapter 1).

A window of ``n`` word vectors (rows of an embedding matrix ``E``, each of size ``D``) is
concatenated into ``x`` of shape (n D,), and scored as

    z = W x + b,   h = f(z),   s = u^T h,        W: (H, n D), b: (H,), u: (H,)

with ``f`` the logistic sigmoid. Backpropagation by hand, in the shape convention (every
gradient has the shape of its parameter):

    delta = ds/dz = u * f'(z)        (H,)       the local error signal
    ds/dW = outer(delta, x)          (H, n D)
    ds/db = delta                    (H,)
    ds/dx = W^T delta                (n D,)     split back into n word vectors
    ds/du = h                        (H,)
"""

from __future__ import annotations

import math

import numpy as np

from lecnotes import activations, init, regularization
from lecnotes import autograd as ag


def init_window(rng: np.random.Generator, dim: int, window: int = 5, hidden: int = 8) -> dict:
    """Small random ``W`` (H, window*dim), zero ``b`` (H,), small random ``u`` (H,)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator (np.random.default_rng), got {rng!r}")
    n_in = dim * window
    return {
        "W": rng.normal(scale=1 / np.sqrt(n_in), size=(hidden, n_in)),
        "b": np.zeros(hidden),
        "u": rng.normal(scale=1 / np.sqrt(hidden), size=hidden),
    }


def window_vector(E: np.ndarray, word_ids) -> np.ndarray:
    """Concatenate the rows ``E[word_ids]`` into one vector of shape (len(word_ids) * D,)."""
    word_ids = np.asarray(word_ids)
    if word_ids.ndim != 1 or word_ids.dtype.kind not in "iu":
        raise ValueError(f"word_ids must be a 1-D array of integers, got {word_ids!r}")
    if word_ids.min() < 0 or word_ids.max() >= len(E):
        raise ValueError(f"word_ids must lie in [0, {len(E)}), got {word_ids.tolist()}")
    return E[word_ids].reshape(-1)


def window_score(params: dict, x: np.ndarray) -> tuple[float, dict]:
    """``s = u^T sigmoid(W x + b)``, and the cache the backward pass needs."""
    W, b, u = params["W"], params["b"], params["u"]
    if x.shape != (W.shape[1],):
        raise ValueError(f"x must have shape ({W.shape[1]},) to match W {W.shape}, got {x.shape}")
    z = W @ x + b
    h = activations.sigmoid(z)
    return float(u @ h), {"x": x, "z": z, "h": h}


def window_score_grads(params: dict, cache: dict) -> dict:
    """Gradients of ``s`` for ``W, b, u`` and the input ``x``, each shaped like it (see above)."""
    delta = params["u"] * activations.sigmoid_grad(cache["z"])
    return {
        "W": np.outer(delta, cache["x"]),
        "b": delta,
        "u": cache["h"],
        "x": params["W"].T @ delta,
        "delta": delta,
    }


def _logistic(t: float) -> float:
    """Scalar logistic sigmoid (``math``, not NumPy: 10x faster on one number), stable."""
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def train_word_classifier(
    E: np.ndarray,
    labels: np.ndarray,
    train_ids,
    rng: np.random.Generator,
    lr: float = 0.5,
    lr_vectors: float = 0.5,
    epochs: int = 60,
) -> dict:
    """Logistic regression ``p = sigmoid(w . E[i] + c)`` on single words, by SGD.

    Each step updates ``w`` and ``c`` with rate ``lr`` and, when ``lr_vectors > 0``, also the
    word's own vector (fine-tuning): ``E[i] -= lr_vectors * (p - y) * w``; with
    ``lr_vectors = 0`` the pre-trained vectors stay fixed. Returns the final ``E``, ``w``,
    ``c`` and ``history``, the probability of class 1 for every word after each epoch
    (shape (epochs + 1, V)).
    """
    if lr <= 0 or lr_vectors < 0:
        raise ValueError(
            f"need lr > 0 and lr_vectors >= 0, got lr={lr!r}, lr_vectors={lr_vectors!r}"
        )
    E = np.array(E, dtype=float)  # a copy: the caller's pre-trained vectors stay as they were
    w = rng.normal(scale=1 / np.sqrt(E.shape[1]), size=E.shape[1])
    c = 0.0
    history = [activations.sigmoid(E @ w + c)]
    for _ in range(epochs):
        for i in rng.permutation(np.asarray(train_ids)):
            error = _logistic(float(w @ E[i]) + c) - labels[i]  # dJ/d(score)
            grad_w, grad_x = error * E[i], error * w
            w -= lr * grad_w
            c -= lr * error
            E[i] -= lr_vectors * grad_x
        history.append(activations.sigmoid(E @ w + c))
    return {"E": E, "w": w, "c": c, "history": np.array(history)}


def stack_gradient_norms(
    f, f_grad, depth: int, width: int, rng: np.random.Generator, batch: int = 32
) -> np.ndarray:
    """Gradient norm at every layer of a deep stack ``h_{l+1} = f(W_l h_l)``, ``L = sum(h_depth)``.

    Weights are ``N(0, 1/width)``. Backward: ``g_l = W_l^T (g_{l+1} * f'(z_l))``, starting from
    ``g_depth = 1``. Returns ``depth + 1`` norms ``|dL/dh_l|``; entry 0 is what reaches the input.
    """
    h = rng.normal(size=(width, batch))
    layers = [rng.normal(scale=1 / np.sqrt(width), size=(width, width)) for _ in range(depth)]
    pre_activations = []
    for W in layers:
        z = W @ h
        pre_activations.append(z)
        h = f(z)
    g = np.ones_like(h)
    norms = [np.linalg.norm(g)]
    for W, z in zip(reversed(layers), reversed(pre_activations), strict=True):
        g = W.T @ (g * f_grad(z))
        norms.append(np.linalg.norm(g))
    return np.array(norms[::-1])


def train_two_layer(
    f, f_grad, X: np.ndarray, y: np.ndarray, rng: np.random.Generator,
    hidden: int = 64, lr: float = 0.1, steps: int = 400,
) -> dict:  # fmt: skip
    """Full-batch gradient descent on ``0.5 mean((f(X W1 + b1) w2 + b2 - y)^2)``.

    Returns the parameters, ``losses`` (steps,), ``inactive`` (steps,): the number of hidden
    units whose pre-activation is <= 0 for *every* input, ``idle_before`` (hidden,): which
    units were inactive 100 steps before the end, and ``last_moves`` (hidden,): how far each
    unit's incoming weights and bias moved in those last 100 steps. For ReLU an inactive unit
    gets exactly zero gradient, so it cannot move again: it is dead.
    """
    n, d = X.shape
    W1 = rng.normal(scale=1 / np.sqrt(d), size=(d, hidden))
    b1 = np.zeros(hidden)
    w2 = rng.normal(scale=1 / np.sqrt(hidden), size=hidden)
    b2 = 0.0
    losses, inactive, snapshot = [], [], None
    for step in range(steps):
        z = X @ W1 + b1
        if step == max(0, steps - 100):
            snapshot = W1.copy(), b1.copy(), np.all(z <= 0, axis=0)
        h = f(z)
        error = (h @ w2 + b2 - y) / n  # d loss / d output
        losses.append(0.5 * n * float(error @ error))
        inactive.append(int(np.all(z <= 0, axis=0).sum()))
        dz = np.outer(error, w2) * f_grad(z)
        W1, b1 = W1 - lr * X.T @ dz, b1 - lr * dz.sum(axis=0)
        w2, b2 = w2 - lr * h.T @ error, b2 - lr * error.sum()
    moves = np.abs(W1 - snapshot[0]).sum(axis=0) + np.abs(b1 - snapshot[1])
    z = X @ W1 + b1
    return {
        "W1": W1, "b1": b1, "w2": w2, "b2": b2,
        "losses": np.array(losses), "inactive": np.array(inactive),
        "dead_mask": np.all(z <= 0, axis=0), "idle_before": snapshot[2], "last_moves": moves,
    }  # fmt: skip


def layer_activations(weights: list[np.ndarray], f, X: np.ndarray) -> list[np.ndarray]:
    """Activations ``h_l = f(h_{l-1} W_l^T)`` of every layer for a batch ``X`` (n, d); no biases."""
    h, out = X, []
    for W in weights:
        h = f(h @ W.T)
        out.append(h)
    return out


def _mlp_scores(params: list, f, X: np.ndarray) -> tuple[list, list]:
    """Forward pass: inputs of every layer ``hs`` and pre-activations ``zs`` (last = scores)."""
    hs, zs = [X], []
    for k, (W, b) in enumerate(params):
        zs.append(hs[-1] @ W.T + b)
        if k < len(params) - 1:
            hs.append(f(zs[-1]))
    return hs, zs


def mlp_loss(params: list, f, X: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of the MLP ``params`` (see :func:`train_mlp`) on ``(X, y)``."""
    scores = _mlp_scores(params, f, X)[1][-1]
    return float(-activations.log_softmax(scores)[np.arange(len(y)), y].mean())


def mlp_predict(params: list, f, X: np.ndarray) -> np.ndarray:
    """Predicted class of every row of ``X``."""
    return np.argmax(_mlp_scores(params, f, X)[1][-1], axis=1)


def train_mlp(
    params: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, y: np.ndarray, f, f_grad,
    lr: float = 0.1, steps: int = 200, lam: float = 0.0, val=None, record_every: int = 10,
) -> dict:  # fmt: skip
    """Full-batch gradient descent for an MLP classifier with softmax cross-entropy.

    ``params`` is a list of ``(W, b)`` with ``W`` of shape (fan_out, fan_in): hidden layers
    compute ``h = f(h_prev W^T + b)``, the last layer gives the class scores. Backward, per
    layer from the top: ``dW = delta^T h_prev``, ``db = sum(delta)``, and
    ``delta_prev = (delta W) * f'(z_prev)``, starting from ``delta = (softmax - onehot) / n``.
    With ``lam > 0`` the objective adds ``lam * sum ||W||^2`` over the weights (not the
    biases), whose gradient ``2 lam W`` comes from :mod:`lecnotes.regularization`.

    Returns ``losses`` (steps + 1,), the training cross-entropy without the penalty, and the
    trained ``params`` (the inputs are not modified). With ``val=(X_val, y_val)`` it also
    returns ``val_losses`` measured every ``record_every`` steps, at ``val_steps``.
    """
    lam = regularization.check_lam(lam)
    params = [(W.copy(), b.copy()) for W, b in params]
    n = len(X)
    onehot = np.eye(params[-1][0].shape[0])[y]
    losses, val_losses, val_steps = [], [], []
    for step in range(steps + 1):
        hs, zs = _mlp_scores(params, f, X)
        log_p = activations.log_softmax(zs[-1])
        losses.append(float(-(log_p * onehot).sum() / n))
        if val is not None and step % record_every == 0:
            val_losses.append(mlp_loss(params, f, *val))
            val_steps.append(step)
        if step == steps:
            break
        delta = (np.exp(log_p) - onehot) / n
        grads = []
        for k in range(len(params) - 1, -1, -1):
            W, _ = params[k]
            grads.append((delta.T @ hs[k], delta.sum(axis=0)))
            if k > 0:
                delta = (delta @ W) * f_grad(zs[k - 1])
        grads = grads[::-1]
        if lam > 0:
            named = {f"W{k}": W for k, (W, _) in enumerate(params)}
            decay = regularization.l2_grad(named, lam)
            grads = [(dW + decay[f"W{k}"], db) for k, (dW, db) in enumerate(grads)]
        params = [
            (W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)
        ]
    result = {"losses": np.array(losses), "params": params}
    if val is not None:
        result |= {"val_losses": np.array(val_losses), "val_steps": np.array(val_steps)}
    return result


def window_classifier_loss(
    params: dict, word_ids: np.ndarray, labels: np.ndarray
) -> tuple[float, dict]:
    """Mean cross-entropy of ``softmax(U sigmoid(W x + b) + c)`` over a batch of windows, and its
    gradients for every entry of ``params`` (``E``, ``W``, ``b``, ``U``, ``c``), by autograd.

    ``x`` concatenates the rows ``E[word_ids[i]]``; shapes: ``E`` (V, D), ``W`` (H, n D),
    ``b`` (H,), ``U`` (C, H), ``c`` (C,).
    """
    t = {k: ag.Tensor(v) for k, v in params.items()}
    n, width = word_ids.shape
    X = t["E"][word_ids].reshape(n, width * params["E"].shape[1])
    scores = (X @ t["W"].T + t["b"]).sigmoid() @ t["U"].T + t["c"]
    loss = ag.cross_entropy(scores, labels)
    loss.backward()
    return float(loss.data), {k: v.grad for k, v in t.items()}


def window_classifier_loss_by_hand(
    params: dict, word_ids: np.ndarray, labels: np.ndarray
) -> tuple[float, dict]:
    """:func:`window_classifier_loss` with the backward pass written out in vectorized NumPy.

    With ``X`` (B, n D) the gathered windows, ``h = sigmoid(X W^T + b)`` (B, H) and
    ``p = softmax(h U^T + c)`` (B, C), the gradients of the mean cross-entropy are

        delta = (p - onehot) / B            (B, C)
        dU = delta^T h,   dc = sum_rows(delta)
        dz = (delta U) * h * (1 - h)        (B, H)
        dW = dz^T X,      db = sum_rows(dz)
        dE[word] += (dz W)[row, slot]       every occurrence of a word adds its share

    It is the reference that ``bench/`` times ``lecnotes.autograd`` against.
    """
    E, W, b, U, c = (params[k] for k in ("E", "W", "b", "U", "c"))
    n, width = word_ids.shape
    X = E[word_ids].reshape(n, width * E.shape[1])
    h = activations.sigmoid(X @ W.T + b)
    log_p = activations.log_softmax(h @ U.T + c)
    rows = np.arange(n)
    delta = np.exp(log_p)
    delta[rows, labels] -= 1.0
    delta /= n
    dz = (delta @ U) * h * (1.0 - h)
    dE = np.zeros_like(E)
    np.add.at(dE, word_ids, (dz @ W).reshape(n, width, E.shape[1]))  # repeated words add up
    grads = {"E": dE, "W": dz.T @ X, "b": dz.sum(axis=0), "U": delta.T @ h, "c": delta.sum(axis=0)}
    return float(-log_p[rows, labels].mean()), grads


def init_window_classifier(
    rng: np.random.Generator, vocab: int = 60, dim: int = 8, hidden: int = 16
) -> dict:
    """Parameters for :func:`window_classifier_loss` (2 classes, windows of 5 words)."""
    E = rng.normal(scale=0.5, size=(vocab, dim))
    W = init.xavier_normal((hidden, 5 * dim), rng)
    U = init.xavier_normal((2, hidden), rng)
    return {"E": E, "W": W, "b": init.zeros(hidden), "U": U, "c": init.zeros(2)}


def train_window_classifier(
    params: dict, opt, word_ids: np.ndarray, labels: np.ndarray, steps: int = 150,
    batch: int = 32, seed: int = 3, limit: float = 50.0,
) -> dict:  # fmt: skip
    """Train with mini-batches (the same sequence of batches for every call with ``seed``).

    Returns ``losses`` (one per step, on the batch), the final ``params``, the optimizer
    ``state`` and ``diverged``: True if a batch loss exceeded ``limit`` or stopped being
    finite, in which case training stops there.
    """
    state = opt.init(params)
    batches = np.random.default_rng(seed)
    losses, diverged = [], False
    for _ in range(steps):
        rows = batches.integers(0, len(labels), batch)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may overflow
            loss, grads = window_classifier_loss(params, word_ids[rows], labels[rows])
        losses.append(loss)
        if not np.isfinite(loss) or loss > limit:
            diverged = True
            break
        params, state = opt.update(params, grads, state)
    return {"losses": np.array(losses), "params": params, "state": state, "diverged": diverged}
