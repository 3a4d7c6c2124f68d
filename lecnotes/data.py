"""Small seeded data sets, generated in code (no downloads)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lecnotes import _checks


@dataclass(frozen=True)
class SynonymTask:
    """Pre-trained word vectors and a binary task where one synonym is never seen in training.

    ``vectors[i]`` is the vector of ``words[i]``; ``labels[i]`` is 1 for the three synonyms
    "TV", "telly", "television" and 0 otherwise. ``train_ids`` contains "TV" and "telly" but
    not "television", which is in ``test_ids``.
    """

    words: tuple[str, ...]
    vectors: np.ndarray  # (V, D)
    labels: np.ndarray  # (V,)
    train_ids: np.ndarray
    test_ids: np.ndarray

    def index(self, word: str) -> int:
        return self.words.index(word)


MEDIA = ("radio", "film", "show", "cinema", "podcast", "theatre")
OTHER = ("apple", "river", "chair", "cloud", "piano", "lemon", "stone", "train", "grass", "shoe")


def synonym_task(rng: np.random.Generator, dim: int = 8, noise: float = 0.25) -> SynonymTask:
    """Pre-trained-like word vectors for the TV / telly / television experiment (chapter 1).

    The synonyms share a broad "media" direction ``c`` *and* a "TV" direction ``d``
    (``c + 0.6 d`` plus noise); media words ("radio", "film", ...) share only ``c``; other
    words are random. So in the pre-trained space, what sets the synonyms apart from their
    media neighbours is ``d``, which "television" has too.

    Args:
        rng: the random generator.
        dim: D, the size of a vector (>= 2).
        noise: the standard deviation of each vector's noise, times ``sqrt(D)`` (>= 0).

    Returns:
        A :class:`SynonymTask`: ``words`` (V,), ``vectors`` (V, D), ``labels`` (V,) with 1 for
        the three synonyms, ``train_ids`` (with "TV", "telly") and ``test_ids`` (with
        "television").
    """
    rng, dim = _checks.generator("rng", rng), _checks.integer("dim", dim, low=2)
    noise = _checks.nonnegative_real("noise", noise)
    c = rng.normal(size=dim)
    c /= np.linalg.norm(c)
    d = rng.normal(size=dim)
    d -= (d @ c) * c  # orthogonal to c
    d /= np.linalg.norm(d)

    def jitter():
        return noise * rng.normal(size=dim) / np.sqrt(dim)

    synonyms = [c + 0.6 * d + jitter() for _ in range(3)]
    media = [c + jitter() for _ in MEDIA]
    other = list(rng.normal(size=(len(OTHER), dim)) / np.sqrt(dim))
    words = ("TV", "telly", "television", *MEDIA, *OTHER)
    labels = np.array([1, 1, 1] + [0] * (len(MEDIA) + len(OTHER)))
    held_out = {"television", "podcast", "theatre", "grass", "shoe", "train"}
    train = np.array([i for i, w in enumerate(words) if w not in held_out])
    test = np.array([i for i, w in enumerate(words) if w in held_out])
    return SynonymTask(words, np.array(synonyms + media + other), labels, train, test)


def spirals(rng: np.random.Generator, n_per_class: int = 100, classes: int = 3, noise: float = 0.2):
    """Interleaved 2-D spirals, one arm per class; no linear model separates them.

    Point ``i`` of class ``c`` has radius ``r_i`` evenly spaced in [0.05, 1] and angle
    ``2 pi c / classes + 4 r_i + noise * N(0, 1)``.

    Args:
        rng: the random generator.
        n_per_class: points per class (>= 1); classes: arms (>= 2).
        noise: the standard deviation of the angle's noise, in radians (>= 0).

    Returns:
        ``(X, y)``: ``X`` (n, 2) points and ``y`` (n,) integer classes, ``n = classes n_per_class``.
    """
    rng, noise = _checks.generator("rng", rng), _checks.nonnegative_real("noise", noise)
    n_per_class = _checks.positive_int("n_per_class", n_per_class)
    classes = _checks.integer("classes", classes, low=2)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), classes)
    labels = np.repeat(np.arange(classes), n_per_class)
    angle = labels * 2 * np.pi / classes + radius * 4.0 + noise * rng.normal(size=radius.size)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, labels


def blobs(rng: np.random.Generator, counts=(350, 100, 50), spread: float = 1.0):
    """Gaussian clusters in 2-D: ``counts[c]`` points of class ``c`` around evenly spaced centres.

    Centres lie on a circle of radius 2; unequal ``counts`` give unequal class priors (the
    default is 70 % / 20 % / 10 %).

    Args:
        rng: the random generator.
        counts: points per class (at least 2 classes, each >= 1).
        spread: the clusters' standard deviation (> 0).

    Returns:
        ``(X, y)``: ``X`` (n, 2) points and ``y`` (n,) integer classes.
    """
    rng, spread = _checks.generator("rng", rng), _checks.positive_real("spread", spread)
    counts = [_checks.positive_int("counts[c]", c) for c in _checks.sized("counts", counts, 2)]
    angles = 2 * np.pi * np.arange(len(counts)) / len(counts)
    centers = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(len(counts)), counts)
    X = centers[y] + spread * rng.normal(size=(len(y), 2))
    return X, y


def location_windows(
    rng: np.random.Generator, n_windows: int = 512, vocab_size: int = 60, n_locations: int = 12,
    window: int = 5, flip: float = 0.05,
):  # fmt: skip
    """Windows of word ids for a toy NER task: is the centre word a location?

    Words ``0 .. n_locations - 1`` are locations. Half the windows have a location in the
    centre; the context words are random. A fraction ``flip`` of labels is flipped (noise).

    Args:
        rng: the random generator.
        n_windows: N; vocab_size: V; n_locations: how many of the V words are locations.
        window: words per window; flip: the fraction of labels flipped, in [0, 1].

    Returns:
        ``(word_ids, labels)``: ``word_ids`` (N, window) integers in [0, V) and ``labels`` (N,)
        in {0, 1}.
    """
    rng, n_windows = _checks.generator("rng", rng), _checks.positive_int("n_windows", n_windows)
    vocab_size, window = (
        _checks.positive_int("vocab_size", vocab_size),
        _checks.positive_int("window", window),
    )
    n_locations = _checks.integer("n_locations", n_locations, low=1, high=vocab_size - 1)
    flip = _checks.real("flip", flip, low=0.0, high=1.0)
    word_ids = rng.integers(0, vocab_size, size=(n_windows, window))
    centre = window // 2
    is_location = rng.random(n_windows) < 0.5
    word_ids[:, centre] = np.where(
        is_location,
        rng.integers(0, n_locations, n_windows),
        rng.integers(n_locations, vocab_size, n_windows),
    )
    labels = is_location.astype(int)
    flipped = rng.random(n_windows) < flip
    return word_ids, np.where(flipped, 1 - labels, labels)
