"""Count-based word vectors, a stand-in for pre-trained embeddings (chapter 9).

Words that occur in similar contexts get similar vectors (the distributional hypothesis).
From unlabelled sentences: count how often word ``w`` has word ``c`` within ``size``
positions (sentence edges padded with ``<pad>``), turn the counts ``N`` into positive
pointwise mutual information and keep the top ``dim`` singular directions
(Levy & Goldberg, 2014)::

    PPMI[w, c] = max(0, log(N[w, c] N_total / (N[w, :] N[:, c])))
    PPMI = U S V^T,    vectors = U[:, :dim] sqrt(S[:dim])

A word absent from the sentences has a zero row (e.g. ``<unk>``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lecnotes import _checks


def cooccurrence(sentence_ids: Sequence[np.ndarray], vocab_size: int, size: int = 2):
    """Counts ``N[w, c]`` of word ``c`` within ``size`` positions of word ``w``.

    Args:
        sentence_ids: one (length,) array of word ids per sentence; id 0 is ``<pad>``,
            added ``size`` times at each edge.
        vocab_size: V; size: the context reach, >= 1.

    Returns:
        (V, V) symmetric float counts.
    """
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    size = _checks.positive_int("size", size)
    counts = np.zeros((vocab_size, vocab_size))
    for ids in sentence_ids:
        ids = _checks.index_array("sentence_ids[i]", ids, vocab_size, ndim=1)
        padded = np.concatenate([np.zeros(size, np.int64), ids, np.zeros(size, np.int64)])
        for offset in range(-size, size + 1):
            if offset:
                np.add.at(counts, (ids, padded[size + offset : size + offset + len(ids)]), 1.0)
    counts[0, :] = counts[:, 0]  # <pad> is never a centre: its row is its column
    return counts


def ppmi(counts: np.ndarray) -> np.ndarray:
    """Positive pointwise mutual information (the formula above).

    Args:
        counts: (V, V) co-occurrence counts.

    Returns:
        (V, V) PPMI, 0 wherever the count is 0.
    """
    counts = _checks.float_array("counts", counts, ndim=2)
    total = counts.sum()
    rows, cols = counts.sum(axis=1, keepdims=True), counts.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * total / (rows * cols))
    return np.where(counts > 0, np.maximum(pmi, 0.0), 0.0)


def svd_vectors(matrix: np.ndarray, dim: int) -> np.ndarray:
    """The top ``dim`` left singular vectors scaled by ``sqrt`` of their singular values.

    Each column's sign is fixed (its largest entry in absolute value is positive), so the
    result does not depend on the sign the SVD routine happens to return.

    Args:
        matrix: (V, C) the matrix to factor, e.g. PPMI.
        dim: D, the number of directions kept, in [1, min(V, C)].

    Returns:
        (V, D) vectors, ``U[:, :D] sqrt(S[:D])`` with the signs fixed.
    """
    matrix = _checks.float_array("matrix", matrix, ndim=2)
    dim = _checks.integer("dim", dim, low=1, high=min(matrix.shape))
    U, S, _ = np.linalg.svd(matrix)
    vectors = U[:, :dim] * np.sqrt(S[:dim])
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(dim)])
    return vectors * signs


def pretrained(sentence_ids, vocab_size: int, dim: int = 16, size: int = 2, rms: float = 0.5):
    """Count-based vectors: :func:`cooccurrence`, then :func:`ppmi`, then :func:`svd_vectors`.

    Args:
        sentence_ids: one (length,) array of word ids per sentence, ``<pad>`` being id 0.
        vocab_size: V; dim: D, the vector size; size: the context reach.
        rms: the root mean square of the entries of the non-zero rows, after scaling.

    Returns:
        (V, D) vectors; words absent from ``sentence_ids`` get zero rows.
    """
    rms = _checks.positive_real("rms", rms)
    vectors = svd_vectors(ppmi(cooccurrence(sentence_ids, vocab_size, size)), dim)
    used = np.any(vectors != 0, axis=1)
    return vectors * (rms / np.sqrt(np.mean(vectors[used] ** 2)))
