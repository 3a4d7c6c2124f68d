"""corpus: tokens, determinism, labels, held-out names, vocabulary, padded windows."""

import numpy as np
import pytest

from lecnotes import corpus, gradcheck, vectors, window

SEEN, UNSEEN = corpus.split_names(np.random.default_rng(0))


def test_tokenize_lowercases_and_splits_off_punctuation():
    assert corpus.tokenize("In Paris, museums are amazing.") == [
        "in", "paris", ",", "museums", "are", "amazing", ".",
    ]  # fmt: skip
    assert corpus.tokenize("Born in 1970!") == ["born", "in", "1970", "!"]
    with pytest.raises(ValueError, match="text must be a string, got 3"):
        corpus.tokenize(3)


def test_the_same_seed_gives_the_same_corpus():
    first = corpus.generate(np.random.default_rng(7), 50, SEEN)
    again = corpus.generate(np.random.default_rng(7), 50, SEEN)
    other = corpus.generate(np.random.default_rng(8), 50, SEEN)
    assert first == again and first != other
    assert corpus.split_names(np.random.default_rng(3)) == corpus.split_names(
        np.random.default_rng(3)
    )


def test_sentences_are_labelled_by_their_slots():
    for s in corpus.generate(np.random.default_rng(1), 200, SEEN):
        assert len(s.tokens) == len(s.labels) and s.tokens == tuple(corpus.tokenize(s.text))
        slots = corpus.TEMPLATES[s.template].split()
        for part, token, label in zip(slots, s.tokens, s.labels, strict=True):
            assert label == (part == "{loc}")
            if part not in corpus.SLOTS:
                assert token == part


def test_ambiguous_names_take_both_labels_and_others_one():
    labels = {}
    for s in corpus.generate(np.random.default_rng(2), 2000, SEEN):
        for token, label in zip(s.tokens, s.labels, strict=True):
            labels.setdefault(token, set()).add(label)
    assert all(labels[n.lower()] == {0, 1} for n in SEEN["ambiguous"])
    assert all(labels[n.lower()] == {1} for n in SEEN["location"] if n.lower() in labels)
    assert all(labels[n.lower()] == {0} for n in SEEN["person"] if n.lower() in labels)


def test_held_out_names_never_occur_in_training_sentences():
    assert all(not set(SEEN[k]) & set(UNSEEN[k]) for k in corpus.KINDS)
    assert all(sorted(SEEN[k] + UNSEEN[k]) == sorted(corpus.NAMES[k]) for k in corpus.KINDS)
    assert [len(UNSEEN[k]) for k in corpus.KINDS] == [
        round(0.25 * len(corpus.NAMES[k])) for k in corpus.KINDS
    ]
    tokens = {t for s in corpus.generate(np.random.default_rng(4), 500, SEEN) for t in s.tokens}
    held_out = {n.lower() for k in corpus.KINDS for n in UNSEEN[k] + corpus.RARE[k]}
    assert not tokens & held_out


def test_fill_puts_names_in_slots():
    s = corpus.fill("{per} flew to {loc} on monday", ["Alice", "Paris"], index=22)
    assert s.text == "Alice flew to Paris on monday" and s.template == 22
    assert s.labels == (0, 0, 0, 1, 0, 0)
    with pytest.raises(ValueError, match="one single word per slot"):
        corpus.fill("{per} flew to {loc}", ["Alice"])
    with pytest.raises(ValueError, match="one single word per slot"):
        corpus.fill("we met {per}", ["Mary Ann"])


def test_pretraining_text_mixes_neutral_and_labelled_templates():
    text = corpus.pretraining_text(np.random.default_rng(5), 40, SEEN, neutral=0.75)
    assert len(text) == 40
    neutral = [s for s in text if -1 in s.labels]
    assert len(neutral) == 30 and all(s.labels.count(-1) == 1 for s in neutral)


def test_vocabulary_has_pad_and_unk_first_and_maps_unknown_words_to_unk():
    sentences = [corpus.fill("we met {per} at the museum", [n]) for n in ["Alice", "Omar"]]
    vocab = corpus.Vocabulary.build(sentences)
    assert vocab.words[:2] == ("<pad>", "<unk>") and len(vocab) == 2 + 7
    assert vocab.words[2:7] == ("at", "met", "museum", "the", "we")  # 2 each, alphabetical
    np.testing.assert_array_equal(vocab.ids(["we", "met", "thaddeus"]), [6, 3, 1])
    assert "alice" in vocab and "thaddeus" not in vocab
    assert len(corpus.Vocabulary.build(sentences, min_count=2)) == 2 + 5
    with pytest.raises(ValueError, match=r"words must be distinct, got \['a'\]"):
        corpus.Vocabulary(["a", "b", "a"])


def test_windows_are_padded_at_sentence_edges():
    sentence = corpus.fill("museums in {loc} are amazing", ["Paris"])
    vocab = corpus.Vocabulary(["museums", "in", "paris", "are", "amazing"])
    w = corpus.windows([sentence, sentence], vocab, size=2)
    assert w.ids.shape == (10, 5) and len(w) == 10
    np.testing.assert_array_equal(w.ids[0], [0, 0, 2, 3, 4])  # <pad> <pad> museums in paris
    np.testing.assert_array_equal(w.ids[2], [2, 3, 4, 5, 6])  # the whole sentence
    np.testing.assert_array_equal(w.ids[4], [4, 5, 6, 0, 0])
    np.testing.assert_array_equal(w.ids[:, 2], vocab.ids(sentence.tokens * 2))
    np.testing.assert_array_equal(w.labels, [0, 0, 1, 0, 0] * 2)
    assert w.centre[2] == "paris" and w.sentence.tolist() == [0] * 5 + [1] * 5
    assert w.position.tolist() == [0, 1, 2, 3, 4] * 2
    alone = corpus.windows([sentence], vocab, size=0)
    np.testing.assert_array_equal(alone.ids[:, 0], vocab.ids(sentence.tokens))
    with pytest.raises(ValueError, match="size must be an integer"):
        corpus.windows([sentence], vocab, size=-1)


def test_kind_of_names():
    assert corpus.kind_of("Paris") == "ambiguous" and corpus.kind_of("london") == "location"
    assert corpus.kind_of("thaddeus") == "person" and corpus.kind_of("museums") == "other"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: corpus.split_names(0), "rng must be a numpy Generator"),
        (lambda: corpus.split_names(np.random.default_rng(0), 1.0), "held_out must be a real"),
        (lambda: corpus.generate(np.random.default_rng(0), 0, SEEN), "n must be an integer"),
        (lambda: corpus.generate(np.random.default_rng(0), 5, {"x": ()}), "names must map"),
        (lambda: corpus.generate(np.random.default_rng(0), 5, SEEN, 1.5), "ambiguous must be"),
    ],
)
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_window_classifier_gradients_on_a_corpus_batch():
    """The chapter's model on real windows: every gradient agrees with centered differences."""
    text = corpus.pretraining_text(np.random.default_rng(1), 300, SEEN)
    vocab = corpus.Vocabulary.build(text)
    E = vectors.pretrained([vocab.ids(s.tokens) for s in text], len(vocab), dim=6)
    w = corpus.windows(corpus.generate(np.random.default_rng(2), 4, SEEN), vocab, size=2)
    params = window.init(np.random.default_rng(3), vocab=len(vocab), dim=6, hidden=5)
    params["E"] = E
    ids, labels = w.ids[:12], w.labels[:12]
    grads = window.backward(params, window.forward(params, ids, labels, "tanh")[1])
    for name in params:

        def f(v, name=name):
            return window.loss({**params, name: v}, ids, labels, "tanh")

        assert gradcheck.check(f, params[name].copy(), grads[name]).ok, name
