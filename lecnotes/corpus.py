"""A small English corpus for named-entity recognition, generated from templates (chapter 9).

Is the centre word of "museums in **Paris** are amazing" a location? Sentences are filled
in from templates with real place and person names. Some names are **ambiguous** -- "Jordan"
is a country and a basketball player, "Florence" a city and a nurse -- and their label comes
from the slot they fill, so only the context can tell. A few template pairs share the two
words on either side of the name and differ only further away ("everyone says that X is very
kind ..." / "... is very cold ..."): a window of two words each side cannot decide those.

Pipeline: :func:`split_names` holds some names out of training; :func:`generate` writes
labelled sentences from a pool of names; :func:`tokenize` lowercases and splits text;
:class:`Vocabulary` maps tokens to ids (``<pad>`` 0 and ``<unk>`` 1); :func:`windows` cuts
one window per token, padded at sentence edges. Everything random takes an ``rng``; the same
seed gives the same corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from lecnotes import _checks

KINDS = ("location", "person", "ambiguous")

NAMES = {
    "location": (
        "London", "Berlin", "Tokyo", "Madrid", "Rome", "Cairo", "Lisbon", "Vienna", "Oslo",
        "Dublin", "Prague", "Lima", "Nairobi", "Delhi", "Boston", "Chicago", "Toronto", "Moscow",
        "Athens", "Warsaw", "Seoul", "Bangkok", "Havana", "Kyoto", "Munich", "Geneva", "Brussels",
        "Stockholm", "Helsinki", "Budapest", "Beijing", "Mumbai", "Lagos", "Quito", "Denver",
        "Seattle", "Peru", "Kenya", "Norway", "Brazil", "Canada", "Mexico", "Egypt", "Chile",
    ),
    "person": (
        "Alice", "Maria", "David", "James", "Sofia", "Ahmed", "Yuki", "Olga", "Pierre", "Hans",
        "Priya", "Omar", "Elena", "Lucas", "Anna", "Sarah", "Peter", "Laura", "Daniel", "Fatima",
        "Kenji", "Ingrid", "Carlos", "Mei", "Ravi", "Grace", "Thomas", "Nadia", "Ivan", "Chloe",
        "Miguel", "Aisha", "Oliver", "Hannah", "Mateo", "Leila", "Samuel", "Emma", "Kofi", "Zara",
    ),
    # Places that are also first names or surnames: the label depends on the context.
    "ambiguous": (
        "Jordan", "Washington", "Georgia", "Paris", "Florence", "Chelsea", "Sydney", "Victoria",
        "Austin", "Charlotte", "Madison", "Lincoln", "Houston", "Dallas", "Chad", "Kent",
        "Phoenix", "Savannah", "Adelaide", "Orlando", "Regina", "Brooklyn",
    ),
}  # fmt: skip

# Names so rare that no pre-training text contains them: only the test set does.
RARE = {
    "location": ("Ouagadougou", "Tegucigalpa", "Ulaanbaatar", "Thimphu", "Nuuk", "Asmara"),
    "person": ("Eustace", "Philippa", "Thaddeus", "Oluwaseun", "Bartholomew", "Ysolde"),
    "ambiguous": (),
}

# {loc} and {per} are slots for a location or a person name.
TEMPLATES = (
    "museums in {loc} are amazing",
    "she flew to {loc} last week",
    "we drove from {loc} to the coast",
    "the weather in {loc} was cold today",
    "he was born in {loc} in 1970",
    "prices in {loc} keep rising",
    "the train to {loc} leaves at noon",
    "they moved to {loc} after the war",
    "flights from {loc} were cancelled",
    "the mayor of {loc} resigned on friday",
    "i live near {loc} now",
    "hotels in {loc} are expensive",
    "{per} said the plan would work",
    "we met {per} at the conference",
    "{per} and her sister arrived late",
    "the coach praised {per} for the goal",
    "according to {per} , the deal is off",
    "i asked {per} about the book",
    "{per} wrote a letter to the editor",
    "thanks to {per} , we finished early",
    "my friend {per} plays the piano",
    "ask {per} to call me back",
    "{per} flew to {loc} on monday",
    "{per} lives in {loc} with her family",
    "in {loc} , {per} found a new job",
    # Pairs whose two words either side of the name are the same: the word that decides
    # ("city" / "doctor", "cold" / "kind", "trip" / "school") is three or more words away.
    "{loc} is a beautiful city",
    "{per} is a brilliant doctor",
    "everyone says that {loc} is very cold in winter",
    "everyone says that {per} is very kind to strangers",
    "we all remember {loc} from our trip",
    "we all remember {per} from our school",
)
# Text as a general corpus has it: a name of any kind ({any}), in contexts that do not say
# which kind. Mixed with TEMPLATES, it stands in for the text word vectors are trained on.
NEUTRAL = (
    "i read a story about {any} yesterday",
    "{any} was in the news again",
    "there are many photos of {any} online",
    "people often talk about {any}",
    "{any} is famous",
    "nobody mentioned {any} at all",
    "we know a lot about {any} now",
    "the book about {any} is long",
)
SLOTS = {"{loc}": 1, "{per}": 0, "{any}": -1}  # slot -> label: 1 location, 0 not, -1 unknown
PAD, UNK = "<pad>", "<unk>"

_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def tokenize(text: str) -> list[str]:
    """Lowercase ``text`` and split it into words and punctuation marks.

    Args:
        text: a sentence, e.g. ``"In Paris, museums are amazing."``.

    Returns:
        The tokens, e.g. ``["in", "paris", ",", "museums", "are", "amazing", "."]``.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {text!r}")
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Sentence:
    """One generated sentence: ``text``, its ``tokens`` and one label per token.

    ``labels[i]`` is 1 if ``tokens[i]`` is a location, else 0; ``template`` is the index
    into :data:`TEMPLATES` it was written from.
    """

    text: str
    tokens: tuple[str, ...]
    labels: tuple[int, ...]
    template: int


def split_names(rng: np.random.Generator, held_out: float = 0.25) -> tuple[dict, dict]:
    """Hold a fraction of each kind of name out of training.

    Args:
        rng: draws which names are held out.
        held_out: the fraction of each kind in :data:`NAMES` held out, in [0, 1).

    Returns:
        ``(seen, unseen)``: two dicts kind -> tuple of names, disjoint, together
        :data:`NAMES`.
    """
    rng = _checks.generator("rng", rng)
    fraction = _checks.real("held_out", held_out, low=0.0, high=1.0, high_open=True)
    seen, unseen = {}, {}
    for kind, names in NAMES.items():
        out = set(rng.choice(len(names), size=round(fraction * len(names)), replace=False))
        seen[kind] = tuple(n for i, n in enumerate(names) if i not in out)
        unseen[kind] = tuple(n for i, n in enumerate(names) if i in out)
    return seen, unseen


def _pick(rng: np.random.Generator, pool: dict, slot: str, ambiguous: float) -> str:
    """A name for ``slot``: an ambiguous one with probability ``ambiguous`` (if any)."""
    if slot == "{any}":
        slot = "{loc}" if rng.random() < 0.5 else "{per}"
    own = pool["location" if slot == "{loc}" else "person"]
    if pool["ambiguous"] and (not own or rng.random() < ambiguous):
        own = pool["ambiguous"]
    return own[rng.integers(len(own))]


def generate(
    rng: np.random.Generator, n: int, names: dict, ambiguous: float = 0.3,
    templates: Sequence[str] = TEMPLATES,
) -> list[Sentence]:  # fmt: skip
    """``n`` sentences, each a random template filled with random names from ``names``.

    Args:
        rng: draws templates and names.
        n: the number of sentences, >= 1.
        names: kind -> names to draw from (keys :data:`KINDS`), e.g. from :func:`split_names`.
        ambiguous: the probability that a slot takes an ambiguous name, in [0, 1].

    Returns:
        A list of :class:`Sentence`; a name in a ``{loc}`` slot is labelled 1.
    """
    rng = _checks.generator("rng", rng)
    n = _checks.positive_int("n", n)
    ambiguous = _checks.real("ambiguous", ambiguous, low=0.0, high=1.0)
    if set(names) != set(KINDS) or not (names["location"] or names["ambiguous"]):
        raise ValueError(f"names must map {KINDS} to tuples of names, got keys {list(names)}")
    sentences = []
    for _ in range(n):
        template = int(rng.integers(len(templates)))
        slots = [p for p in templates[template].split() if p in SLOTS]
        names_ = [_pick(rng, names, slot, ambiguous) for slot in slots]
        sentences.append(fill(templates[template], names_, template))
    return sentences


def pretraining_text(
    rng: np.random.Generator, n: int, names: dict, neutral: float = 0.75
) -> list[Sentence]:
    """Text to train word vectors on: ``n`` sentences, a share ``neutral`` of them from
    :data:`NEUTRAL` (names in contexts that do not tell their kind), the rest from
    :data:`TEMPLATES`. Its labels are not used.
    """
    n = _checks.positive_int("n", n)
    k = round(_checks.real("neutral", neutral, low=0.0, high=1.0) * n)
    general = generate(rng, k, names, templates=NEUTRAL) if k else []
    return general + (generate(rng, n - k, names) if k < n else [])


def fill(template: str, names: Sequence[str], index: int = -1) -> Sentence:
    """The sentence ``template`` with its slots filled by ``names``, in order.

    Args:
        template: words separated by spaces, slots written ``{loc}``, ``{per}``, ``{any}``.
        names: one single-word name per slot.
        index: recorded as the sentence's ``template``.

    Returns:
        A :class:`Sentence`; each filled slot carries its label (:data:`SLOTS`).
    """
    parts = template.split()
    slots = [k for k, p in enumerate(parts) if p in SLOTS]
    if len(names) != len(slots) or any(len(tokenize(n)) != 1 for n in names):
        raise ValueError(f"names must give one single word per slot of {template!r}, got {names}")
    words, labels = list(parts), [SLOTS.get(p, 0) for p in parts]
    for k, name in zip(slots, names, strict=True):
        words[k] = name
    text = " ".join(words)
    return Sentence(text[0].upper() + text[1:], tuple(tokenize(text)), tuple(labels), index)


class Vocabulary:
    """Words and their ids: ``<pad>`` is 0, ``<unk>`` is 1, then words by frequency.

    Any token not in the vocabulary maps to ``<unk>``.
    """

    def __init__(self, words: Sequence[str]):
        self.words = (PAD, UNK, *(w for w in words if w not in (PAD, UNK)))
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            repeated = sorted(w for w, c in Counter(self.words).items() if c > 1)
            raise ValueError(f"words must be distinct, got {repeated} more than once")

    @classmethod
    def build(cls, sentences: Iterable[Sentence], min_count: int = 1) -> Vocabulary:
        """The vocabulary of ``sentences``.

        Args:
            sentences: the text whose tokens become words.
            min_count: the fewest occurrences a token needs to be kept, >= 1.

        Returns:
            A :class:`Vocabulary`: ``<pad>``, ``<unk>``, then the kept tokens, most frequent
            first (ties alphabetically).
        """
        min_count = _checks.positive_int("min_count", min_count)
        counts = Counter(t for s in sentences for t in s.tokens)
        kept = sorted((w for w, c in counts.items() if c >= min_count),
                      key=lambda w: (-counts[w], w))  # fmt: skip
        return cls(kept)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def ids(self, tokens: Iterable[str]) -> np.ndarray:
        """The ids of ``tokens``.

        Args:
            tokens: words, as :func:`tokenize` writes them.

        Returns:
            (len(tokens),) integers; ``<unk>``'s id, 1, for a token not in the vocabulary.
        """
        return np.array([self.index.get(t, 1) for t in tokens], dtype=np.int64)


@dataclass(frozen=True)
class Windows:
    """One window per token of a list of sentences.

    ``ids`` (N, 2 size + 1) word ids, the token in the middle column; ``labels`` (N,);
    ``centre`` (N,) the centre tokens as text; ``sentence`` (N,) and ``position`` (N,)
    where each token came from.
    """

    ids: np.ndarray
    labels: np.ndarray
    centre: np.ndarray
    sentence: np.ndarray
    position: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def windows(sentences: Sequence[Sentence], vocab: Vocabulary, size: int = 2) -> Windows:
    """Every token with ``size`` words either side, ``<pad>`` beyond the sentence's edges.

    Args:
        sentences: the sentences to cut.
        vocab: maps tokens to ids (unknown tokens to ``<unk>``).
        size: words on each side of the centre, >= 0 (0: the centre word alone).

    Returns:
        :class:`Windows`, sentence by sentence, token by token.
    """
    size = _checks.integer("size", size, low=0)
    rows, labels, centre, where = [], [], [], []
    for k, s in enumerate(sentences):
        padded = np.concatenate([np.zeros(size, np.int64), vocab.ids(s.tokens),
                                 np.zeros(size, np.int64)])  # fmt: skip
        for i, token in enumerate(s.tokens):
            rows.append(padded[i : i + 2 * size + 1])
            labels.append(s.labels[i])
            centre.append(token)
            where.append((k, i))
    where = np.array(where, dtype=np.int64).reshape(-1, 2)
    return Windows(
        ids=np.array(rows, dtype=np.int64).reshape(-1, 2 * size + 1),
        labels=np.array(labels, dtype=np.int64),
        centre=np.array(centre, dtype=object),
        sentence=where[:, 0],
        position=where[:, 1],
    )


def kind_of(word: str) -> str:
    """The kind of a name.

    Args:
        word: any word, in any case.

    Returns:
        ``"location"``, ``"person"`` or ``"ambiguous"`` if ``word`` is one of
        :data:`NAMES` or :data:`RARE`, else ``"other"``.
    """
    for kind in KINDS:
        if any(word.lower() == n.lower() for n in NAMES[kind] + RARE[kind]):
            return kind
    return "other"
