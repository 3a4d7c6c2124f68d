"""Sphinx extension: the site offers the student edition of the chapters.

``tools/student.py`` makes the student edition (``make student``): every chapter with each
exercise's solution replaced by a stub, in one bundle with the ``lecnotes`` wheel, pinned
requirements and a README, like the per-page bundles of ``downloads.py``. After a build,
this extension writes that bundle to the site as ``student-edition.zip`` and puts it in
every notebook page's download menu, after the page's own ``.zip``; the introduction links
to it in its text. Stubs that do not fit their solutions do not stop the build (a stub
never shows a solution; ``tests/test_student.py`` and ``make student`` report them).
Only a book with ``tools/student.py`` and a ``student/`` folder offers it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import downloads
from sphinx.application import Sphinx

FILE = "student-edition.zip"  # at the site's root
BUTTON = {  # in every notebook page's download menu
    "text": "student edition",
    "tooltip": "Download every chapter with its exercises to do (notebooks + lecnotes)",
    "icon": "fas fa-graduation-cap",
    "label": "download-student-button",
}


def offers_edition(app: Sphinx) -> bool:
    srcdir = Path(app.srcdir)
    tool = (srcdir / "tools" / "student.py").is_file() and (srcdir / "student").is_dir()
    return downloads.offers_bundles(app) and tool


def write_edition(app: Sphinx, exception: Exception | None) -> None:
    """After a successful build, write the student edition's bundle to the site."""
    if exception is not None or not offers_edition(app):
        return
    if str(app.srcdir) not in sys.path:  # the book's root, for ``tools``
        sys.path.insert(0, str(app.srcdir))
    from tools import student

    outdir = Path(app.outdir)
    files, _ = student.bundle(Path(app.srcdir), outdir.parent / f"{downloads.PACKAGE}-wheel")
    downloads.write_zip(outdir / FILE, student.EDITION, files)


def add_menu_entry(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """Offer the student edition in a notebook page's download menu, after its own .zip."""
    if offers_edition(app) and downloads.is_bundled_page(app, pagename):
        downloads.add_menu_link(context, 1, FILE, **BUTTON)


def setup(app: Sphinx) -> dict:
    # After downloads.py has put the page's own bundle first (priority 600).
    app.connect("html-page-context", add_menu_entry, priority=650)
    app.connect("build-finished", write_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
