"""The theme's stylesheet without the rules no page of the site can use.

pydata-sphinx-theme ships one stylesheet with all of Bootstrap 5 (carousels, toasts,
modals, forms, hundreds of utility classes) for every page: 311 KB, a quarter of a
chapter's first visit. Most of its rules name a class that no built page and no script of
the site ever writes; no element can match them. :func:`drop_unused_rules` removes those
rules (``_ext/offline_assets.py`` calls it on the site's copy after the build).

A class counts as used when it appears anywhere in the site's pages (their text included,
not only ``class`` attributes) or as a word in any of the site's scripts, which add
classes as they run (Bootstrap's ``show``, the search page's ``highlighted``), or when it
starts with a word ending in a hyphen, which a script may complete as it runs (Bootstrap's
tooltips add ``bs-${NAME}-auto``: ``bs-tooltip-auto``). That errs on the side of keeping a
rule. A selector list is kept when one of its selectors can match:

- a selector can match only if every class it requires is used; classes inside
  ``:not(...)`` are not required (``.btn:not(.disabled)`` matches without ``.disabled``);
- selectors with ``:is(``, ``:where(`` or ``:has(`` are kept as they are (their arguments
  are alternatives, which a class list cannot judge);
- rules without a selector (``@font-face``, ``@keyframes``, ``:root`` variables) are kept,
  and the rules inside ``@media``/``@supports``/``@container`` are judged one by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
WORD = re.compile(r"-?[A-Za-z_][\w-]*")
NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
ALTERNATIVES = (":is(", ":where(", ":has(")
GROUPS = {"media", "supports", "container", "layer"}


def selector_list(prelude: str) -> list[str]:
    """The selectors of a selector list: split at its top-level commas."""
    selectors, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            selectors.append(prelude[start:i])
            start = i + 1
    return [*selectors, prelude[start:]]


def used_words(site: Path) -> set[str]:
    """Every word of the site's pages and scripts: a superset of the classes in use."""
    files = [*site.rglob("*.html"), *site.rglob("*.js")]
    return {word for path in files for word in WORD.findall(path.read_text("utf-8"))}


def is_used(name: str, used: set[str]) -> bool:
    """Whether the class ``name`` is a ``used`` word or completes one that ends in ``-``."""
    return name in used or any(name[: i + 1] in used for i, c in enumerate(name) if c == "-")


def can_match(selector: str, used: set[str]) -> bool:
    """Whether ``selector`` (one, not a list) may match an element given the ``used`` words."""
    if any(alternative in selector for alternative in ALTERNATIVES):
        return True
    return all(is_used(name, used) for name in CLASS.findall(NOT.sub("", selector)))


def kept(rules: Iterable, used: set[str]) -> str:
    """The CSS text of ``rules`` (tinycss2 nodes) without those that cannot match."""
    out = []
    for rule in rules:
        if rule.type == "comment" and not rule.value.startswith("!"):
            continue  # licence notices (/*! ... */) stay where they are
        if rule.type == "qualified-rule":
            selectors = selector_list(tinycss2.serialize(rule.prelude))
            if not any(can_match(selector, used) for selector in selectors):
                continue
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS and rule.content:
            inner = kept(tinycss2.parse_rule_list(rule.content, skip_comments=True), used)
            if not inner.strip():
                continue
            prelude = tinycss2.serialize(rule.prelude)
            out.append(f"@{rule.at_keyword}{prelude}{{{inner}}}")
            continue
        out.append(tinycss2.serialize([rule]))
    return "".join(out)


def drop_unused_rules(css: str, used: set[str]) -> str:
    """``css`` without the style rules whose every selector names a class not in ``used``.

    Args:
        css: a stylesheet's text.
        used: the words that may be class names on the site (:func:`used_words`).

    Returns:
        The stylesheet's text with those rules left out, and its comments but the
        ``/*! ... */`` licence notices.
    """
    return kept(tinycss2.parse_stylesheet(css), used)
