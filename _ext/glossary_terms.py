"""Sphinx extension: glossary terms that explain themselves where a chapter uses them.

The book's glossary (``glossary.md``, Sphinx's ``glossary`` directive) gives every term in
English and in Chinese; chapters link a term's first use with the ``{term}`` role.

1. **Definitions on hover.** Every resolved ``{term}`` reference gets its entry's names and
   definition as its ``title`` -- "backpropagation · 反向传播 — Computing the gradient ...".
   Browsers show a title on hover without any script; ``_static/lecnotes-glossary.js``
   turns it into a popover that also opens on keyboard focus. The text is the entry's
   first paragraph, so that paragraph holds no math (a tooltip would show LaTeX source):
   a warning, hence an error under ``-W``, says where.
2. **Chinese marked as Chinese.** A term written in Chinese characters gets the class
   ``language-zh-Hans``, which docutils writes as ``lang="zh-Hans"``: browsers then pick
   Chinese glyphs and screen readers a Chinese voice.
3. **No stale definitions.** A reference's title is written when its page is written.
   When the glossary itself was read again, every page is written again (not re-read), so
   that every title and every ``{term}`` reference is checked against the new glossary.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def tooltip(item: nodes.definition_list_item) -> str:
    """The tooltip of one glossary entry: its names, then its first paragraph."""
    names = [term.astext() for term in item.findall(nodes.term)]
    paragraph = item.next_node(nodes.paragraph)
    if paragraph is None:
        return " · ".join(names)
    if paragraph.next_node(nodes.math) is not None:
        logger.warning(
            "glossary entry %r: its first paragraph is its tooltip, and holds math, which a "
            "tooltip shows as LaTeX source; write it in plain text",
            names[0],
            location=item,
        )
    text = " ".join(paragraph.astext().split())
    return f"{' · '.join(names)} — {text}"


def chinese(text: str) -> bool:
    """Whether ``text`` holds a CJK unified ideograph."""
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def collect_definitions(app: Sphinx, doctree: nodes.document) -> None:
    """Remember each glossary entry's tooltip under the ids of its terms; mark Chinese terms."""
    env = app.env
    found = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            text = tooltip(item)
            for term in item.findall(nodes.term):
                found.update(dict.fromkeys(term["ids"], text))
                if chinese(term.astext()):
                    term["classes"].append("language-zh-Hans")
    if found:
        store(env)[env.docname] = found
        env.lecnotes_glossary_read = True


def store(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """docname -> {term id: tooltip}, kept in the pickled environment."""
    if not hasattr(env, "lecnotes_glossaries"):
        env.lecnotes_glossaries = {}
    return env.lecnotes_glossaries


def add_tooltips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give every resolved reference to a glossary term its entry's tooltip as title."""
    tips = {}
    for found in store(app.env).values():
        tips.update(found)
    for ref in doctree.findall(nodes.reference):
        inner = ref.next_node(nodes.inline)
        if inner is None or "std-term" not in inner["classes"]:
            continue
        anchor = ref.get("refid") or ref.get("refuri", "").rpartition("#")[2]
        if anchor in tips:
            ref["reftitle"] = tips[anchor]


def start_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.lecnotes_glossary_read = False


def rewrite_after_glossary_change(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when the glossary was read again (its titles and references may change)."""
    return sorted(env.found_docs) if getattr(env, "lecnotes_glossary_read", False) else []


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    store(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in store(other):
            store(env)[docname] = store(other)[docname]
    env.lecnotes_glossary_read = getattr(env, "lecnotes_glossary_read", False) or getattr(
        other, "lecnotes_glossary_read", False
    )


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", start_reading)
    app.connect("doctree-read", collect_definitions)
    app.connect("env-get-updated", rewrite_after_glossary_change)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", add_tooltips)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
