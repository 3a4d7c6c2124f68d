"""vectors: co-occurrence counts by hand, PPMI, sign-fixed SVD, words used alike end up close."""

import numpy as np
import pytest

from lecnotes import vectors


def test_cooccurrence_counts_by_hand():
    # One sentence "2 3 4" (ids), reach 1: pairs (2,3), (3,4) each way, and <pad> at the edges.
    counts = vectors.cooccurrence([np.array([2, 3, 4])], vocab_size=5, size=1)
    expected = np.zeros((5, 5))
    for a, b in [(2, 3), (3, 4), (0, 2), (0, 4)]:
        expected[a, b] = expected[b, a] = 1
    np.testing.assert_array_equal(counts, expected)
    wider = vectors.cooccurrence([np.array([2, 3, 4])], vocab_size=5, size=2)
    assert wider[2, 4] == 1 and wider[0, 2] == 2 and wider[0, 0] == 0
    np.testing.assert_array_equal(wider, wider.T)


def test_ppmi_by_hand():
    counts = np.array([[2.0, 0.0], [1.0, 1.0]])
    # total 4; rows (2, 2), columns (3, 1): PMI[0,0] = log(2*4/6) > 0, PMI[1,0] = log(4/6) < 0
    expected = np.array([[np.log(8 / 6), 0.0], [0.0, np.log(4 / 2)]])
    np.testing.assert_allclose(vectors.ppmi(counts), expected)


def test_svd_vectors_have_a_fixed_sign_and_the_right_scale():
    M = np.random.default_rng(0).normal(size=(6, 6))
    v = vectors.svd_vectors(M, 3)
    U, S, _ = np.linalg.svd(M)
    np.testing.assert_allclose(np.abs(v), np.abs(U[:, :3] * np.sqrt(S[:3])))
    assert np.all(v[np.argmax(np.abs(v), axis=0), np.arange(3)] > 0)
    np.testing.assert_allclose(vectors.svd_vectors(-M, 3), v)  # the sign no longer depends on M's


def test_words_used_alike_get_similar_vectors():
    # ids 2-3 ("cat", "dog") always between 6 and 7; ids 4-5 ("red", "blue") between 8 and 9.
    animals = [np.array([6, w, 7]) for w in (2, 3)]
    colours = [np.array([8, w, 9]) for w in (4, 5)]
    sentences = (animals + colours) * 5
    E = vectors.pretrained(sentences, vocab_size=10, dim=4, size=1, rms=0.5)
    unit = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12)
    assert unit[2] @ unit[3] > 0.99 and abs(unit[2] @ unit[4]) < 0.1
    assert not E[1].any()  # id 1 never occurs: a zero vector
    assert np.sqrt(np.mean(E[np.any(E != 0, axis=1)] ** 2)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: vectors.cooccurrence([np.array([5])], 5), r"sentence_ids\[i\] must lie in"),
        (lambda: vectors.cooccurrence([np.array([1])], 5, size=0), "size must be an integer"),
        (lambda: vectors.svd_vectors(np.eye(3), 4), "dim must be an integer in"),
        (lambda: vectors.pretrained([np.array([1, 2])], 3, dim=1, rms=0), "rms must be a real"),
    ],
)
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
