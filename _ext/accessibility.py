"""Sphinx extension: markup that axe-core (tests/website/test_pages.py) accepts.

Two pieces of HTML written by our dependencies are rewritten as they are written:

1. myst-nb writes the toggle of a collapsed cell (our exercise solutions) as
   ``<summary aria-label="Toggle hidden content">`` around the visible text "Show the
   solution's code and output". The aria-label replaces the name the text would give, so
   what a reader sees is not what a screen reader or voice control calls it: axe's serious
   ``label-content-name-mismatch`` (WCAG 2.5.3, label in name). Without it, the summary is
   named by its visible text.
2. docutils writes the bibliography as ``<div role="list">`` holding
   ``<div role="doc-biblioentry">`` entries. ARIA deprecated that role, so the list has no
   list items: axe's critical ``aria-required-children``. The entries get ``listitem``.
   (sphinxcontrib-bibtex's ``:list: bullet`` would give a plain list, but ``{cite}`` links
   only resolve to citation-style bibliographies.)

The theme's markup is fixed by template overrides in ``_templates/theme/``.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx


def rewriting(visit: Callable, old: str, new: str) -> Callable:
    """A visitor that writes what ``visit`` writes, with ``old`` replaced by ``new``."""

    def rewritten(self, node: nodes.Element) -> None:
        start = len(self.body)
        visit(self, node)
        self.body[start:] = [part.replace(old, new) for part in self.body[start:]]

    return rewritten


def visit_citation(self, node: nodes.citation) -> None:
    """The translator's own citation markup, with list items instead of a deprecated role."""
    rewriting(type(self).visit_citation, 'role="doc-biblioentry"', 'role="listitem"')(self, node)


def depart_citation(self, node: nodes.citation) -> None:
    type(self).depart_citation(self, node)


def setup(app: Sphinx) -> dict:
    hidden_cell = rewriting(visit_HideCellInput, ' aria-label="Toggle hidden content"', "")
    app.add_node(HideCodeCellNode, override=True, html=(hidden_cell, depart_HideCellInput))
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
