"""losses: softmax and log-softmax (stable), and the one cross-entropy with its gradient."""

import doctest
import warnings

import numpy as np
import pytest

from lecnotes import gradcheck, losses

RNG = np.random.default_rng(0)
SCORES, LABELS = RNG.normal(size=(4, 3)), np.array([2, 0, 0, 1])


def test_softmax_matches_the_definition_and_is_stable():
    z = np.random.default_rng(0).normal(size=(4, 6))
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(losses.softmax(z), expected, rtol=1e-13)
    np.testing.assert_allclose(losses.softmax(z, axis=0).sum(axis=0), 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = losses.softmax(np.array([[1000.0, 999.0, -1000.0]]))
        log_p = losses.log_softmax(np.array([[1000.0, 999.0, -1000.0]]))
    e = np.exp(-1.0)
    np.testing.assert_allclose(p[0, :2], [1 / (1 + e), e / (1 + e)], rtol=1e-12)
    np.testing.assert_allclose(log_p[0, 2], -2000.0 - np.log1p(e), rtol=1e-12)
    np.testing.assert_allclose(losses.softmax(z[0]), losses.softmax(z[0] + 123.0), rtol=1e-12)
    with pytest.raises(ValueError, match="z must have at least 1 axes"):
        losses.softmax(3.0)


def test_cross_entropy_is_the_mean_negative_log_probability_of_the_label():
    loss, dscores, log_p = losses.cross_entropy(SCORES, LABELS)
    p = np.exp(SCORES) / np.exp(SCORES).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(4), LABELS])), rel=1e-14)
    np.testing.assert_allclose(log_p, np.log(p), rtol=1e-13)
    expected = p.copy()
    expected[np.arange(4), LABELS] -= 1.0  # the correct class: its probability minus 1
    np.testing.assert_allclose(dscores, expected / 4, rtol=1e-13)
    assert isinstance(loss, float) and dscores.sum() == pytest.approx(0.0, abs=1e-15)


def test_cross_entropy_gradient_matches_centered_differences():
    dscores = losses.cross_entropy(SCORES, LABELS).dscores
    report = gradcheck.check(lambda s: losses.cross_entropy(s, LABELS).loss, SCORES, dscores)
    assert report.ok, report


def test_leading_axes_give_one_loss_per_batch():
    # lecnotes.runs stacks runs on a leading axis: each its own batch, loss and gradient.
    scores = np.stack([SCORES, 2 * SCORES, -SCORES])
    labels = np.stack([LABELS, LABELS[::-1], LABELS])
    loss, dscores, log_p = losses.cross_entropy(scores, labels)
    assert loss.shape == (3,)
    for r in range(3):
        one = losses.cross_entropy(scores[r], labels[r])
        assert loss[r] == one.loss
        np.testing.assert_array_equal(dscores[r], one.dscores)
        np.testing.assert_array_equal(log_p[r], one.log_p)
    with pytest.raises(ValueError, match=r"labels has shape \(3, 3\), but one label per row"):
        losses.cross_entropy(scores, labels[:, :3])


def textbook_log_softmax(z, axis=-1):
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_log_softmax_gives_the_textbook_numbers_bit_for_bit(axis):
    # It takes the maximum on a copy with the classes first (faster); the bits must not move.
    z = np.random.default_rng(1).normal(scale=30.0, size=(5, 7, 3))
    z[0, 0] = 0.0  # ties, and a row of zeros
    np.testing.assert_array_equal(losses.log_softmax(z, axis=axis), textbook_log_softmax(z, axis))


@pytest.mark.parametrize("shape", [(4, 3), (5, 32, 2), (2, 3, 7, 10)])
def test_cross_entropy_unchecked_gives_the_textbook_numbers_bit_for_bit(shape):
    # lecnotes.runs calls it on the batches it builds: the plain NumPy formulas, to the bit.
    rng = np.random.default_rng(2)
    scores = rng.normal(scale=5.0, size=shape)
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    loss, dscores, log_p = losses.cross_entropy_unchecked(scores, labels)
    expected_log_p = textbook_log_softmax(scores)
    at_labels = (*np.indices(labels.shape, sparse=True), labels)
    expected = np.exp(expected_log_p)
    expected[at_labels] -= 1.0
    np.testing.assert_array_equal(log_p, expected_log_p)
    np.testing.assert_array_equal(dscores, expected / shape[-2])
    np.testing.assert_array_equal(loss, -expected_log_p[at_labels].mean(axis=-1))
    assert isinstance(loss, float) == (len(shape) == 2)
    checked = losses.cross_entropy(scores, labels)
    np.testing.assert_array_equal(checked.loss, loss)
    np.testing.assert_array_equal(checked.dscores, dscores)


def test_cross_entropy_is_stable_for_large_scores():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        loss, dscores, _ = losses.cross_entropy(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert loss == 2000.0 and dscores.tolist() == [[1.0, -1.0]]


@pytest.mark.parametrize("n_labels", [3, 5])
def test_a_label_count_other_than_the_row_count_is_refused(n_labels):
    # Before: 3 labels for 4 rows gave the mean over 3 rows and a gradient to the 4th;
    # 5 labels raised a bare IndexError. PyTorch names both batch sizes; so does this.
    labels = np.zeros(n_labels, dtype=int)
    message = rf"labels has shape \({n_labels},\), but one label per row of scores has shape \(4,\)"
    with pytest.raises(ValueError, match=message):
        losses.cross_entropy(SCORES, labels)
    with pytest.raises(ValueError, match=rf"targets has shape \({n_labels},\)"):
        losses.cross_entropy(SCORES, labels, name="targets")


@pytest.mark.parametrize(
    ("scores", "labels", "message"),
    [
        (SCORES, np.array([0, 1, 2, 3]), r"labels must lie in \[0, 3\)"),
        (SCORES, np.array([0.0, 1.0, 2.0, 1.0]), "labels must be a 1-D array of integers"),
        (SCORES[0], np.array([0]), r"scores must have at least 2 axes, got shape \(3,\)"),
        (np.stack([SCORES] * 2), LABELS, "labels must be a 2-D array of integers"),
        (np.array([["a", "b"]]), np.array([0]), "scores must be numeric"),
    ],
)
def test_bad_input_is_refused(scores, labels, message):
    with pytest.raises(ValueError, match=message):
        losses.cross_entropy(scores, labels)


def test_docstring_examples_run():
    results = doctest.testmod(losses)
    assert results.attempted > 0 and results.failed == 0
