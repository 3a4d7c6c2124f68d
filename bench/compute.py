"""What the chapters compute, timed: vectorization, and autograd against NumPy by hand.

- The vectorization chapter's experiment (the notes' sizes N = 500, d = 300, C = 5): a
  loop of N matrix-vector products against one matrix-matrix product. The notes measured
  639 us vs 53.8 us, about 12x.
- One training step of the window classifier (loss, gradients, SGD update) with gradients
  from ``lecnotes.autograd`` against the same step with the backward pass written by hand
  in vectorized NumPy (``window.forward``/``window.backward``): the book's size (the one
  chapters 7 and 8 train) and a larger one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lecnotes import autograd as ag  # noqa: E402
from lecnotes import data, optim, timing, window  # noqa: E402

# (vocab, dim, hidden, batch): the book's classifier, then one closer to the lecture's.
SIZES = {"book": (60, 8, 16, 32), "large": (2000, 50, 100, 64)}


def vectorization(repeats: int = 9) -> dict:
    rng = np.random.default_rng(0)
    N, d, C = 500, 300, 5
    W, X = rng.random((C, d)), rng.random((d, N))
    columns = [X[:, [i]] for i in range(N)]
    result = timing.compare(lambda: [W @ x for x in columns], lambda: W @ X, repeats=repeats)
    return {
        "loop_us": result.slow.median * 1e6,
        "matrix_us": result.fast.median * 1e6,
        "speedup": result.ratio,
        "seed_speedup": 639 / 53.8,
    }


def loss_by_autograd(params: dict, word_ids: np.ndarray, labels: np.ndarray):
    """The classifier's loss and gradients by ``lecnotes.autograd`` (as chapter 2 builds them)."""
    t = {k: ag.Tensor(v) for k, v in params.items()}
    X = t["E"][word_ids].reshape(len(word_ids), -1)
    loss = ag.cross_entropy((X @ t["W"].T + t["b"]).sigmoid() @ t["U"].T + t["c"], labels)
    loss.backward()
    return float(loss.data), {k: v.grad for k, v in t.items()}


def loss_by_hand(params: dict, word_ids: np.ndarray, labels: np.ndarray):
    """The same by ``window.forward`` and ``window.backward`` (vectorized NumPy)."""
    value, cache = window.forward(params, word_ids, labels)
    return value, window.backward(params, cache)


def training_step(size: str, repeats: int = 9) -> dict:
    vocab, dim, hidden, batch = SIZES[size]
    rng = np.random.default_rng(0)
    params = window.init(rng, vocab=vocab, dim=dim, hidden=hidden)
    word_ids, labels = data.location_windows(rng, n_windows=batch, vocab_size=vocab)
    sgd = optim.SGD(lr=0.1)
    state = sgd.init(params)

    def step(loss_fn):
        _, grads = loss_fn(params, word_ids, labels)
        return sgd.update(params, grads, state)

    by_autograd = step(loss_by_autograd)[0]
    by_hand = step(loss_by_hand)[0]
    if not all(np.allclose(by_autograd[k], by_hand[k], rtol=1e-10, atol=1e-12) for k in params):
        raise AssertionError("the two training steps disagree")
    result = timing.compare(
        lambda: step(loss_by_autograd),
        lambda: step(loss_by_hand),
        repeats=repeats,
    )
    return {
        "size": dict(zip(("vocab", "dim", "hidden", "batch"), SIZES[size], strict=True)),
        "autograd_us": result.slow.median * 1e6,
        "numpy_us": result.fast.median * 1e6,
        "ratio": result.ratio,
    }


def run() -> dict:
    return {"vectorization": vectorization(), **{f"autograd_{s}": training_step(s) for s in SIZES}}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
