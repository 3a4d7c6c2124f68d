"""Print the whole book as one PDF with Chromium: ``make pdf`` -> ``_build/pdf/book.pdf``.

No LaTeX and no network. Three steps:

1. **One page.** Sphinx's ``singlehtml`` builder writes the whole book as one HTML page,
   ``_build/pdf/singlehtml/intro.html``, with the book's own configuration (so math is
   typeset at build time by ``_ext/static_math.py`` and widget frames become files), taking
   every notebook's outputs from the jupyter-cache that ``tools/execute.py`` fills (``make
   pdf`` runs it first; after ``make book`` it executes nothing). It has its own doctrees
   folder, ``_build/pdf/.doctrees``: a ``singlehtml`` build that shared the ``html`` build's
   ``_build/.doctrees`` once made the next ``html`` build lose the glossary's entries from
   the search index. The ``jupyter-book`` command cannot be given that folder without also
   moving the jupyter-cache (both follow ``--path-output``), so this calls Sphinx with
   Jupyter Book's configuration directly, leaving out the extensions that only make the
   site's download bundles.
2. **The printed book.** Debian's Chromium (``/usr/bin/chromium``, driven by Playwright,
   the page's own scripts off, every request outside the build folder refused) opens the
   page; ``tools/pdf.js`` rearranges it (title page, contents, chapters in ``_toc.yml``
   order, solutions and answers open, each slider widget as its starting frame with its
   slider values written under it) and ``tools/pdf.css`` styles it for A4 paper: page
   numbers, code and output that wrap, figures kept whole, the light theme only.
3. **Page numbers in the contents, and bookmarks** (``tools/pdf_print.py``). Chromium
   prints the page once; each contents entry links to its heading, so the PDF names a
   destination for it, and its page is read back (pypdf). The numbers are written into
   the contents and the page printed again, until two printings agree (the numbers take
   the width of the placeholders, so the second printing is the last). pypdf then adds
   bookmarks, one per contents entry: Chromium makes them only for a tagged PDF, which was
   2.3 times the size.

Usage: ``python tools/pdf.py [--out FOLDER]`` (default ``_build/pdf``); ``make pdf`` runs the
executor, then this.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from tools.execute import CACHE  # noqa: E402
from tools.pdf_print import PdfError, print_book  # noqa: E402

OUT = ROOT / "_build" / "pdf"
# Fonts the printed book needs (fontconfig patterns), what for, and a Debian package with one.
FONTS = [
    ("DejaVu Sans", "the text", "fonts-dejavu-core"),
    ("DejaVu Sans Mono", "code", "fonts-dejavu-core"),
    (":lang=zh", "the glossary's Chinese names", "fonts-wqy-microhei"),
]
# Extensions that make the site's download bundles and student edition: nothing to print.
SITE_ONLY_EXTENSIONS = {"downloads", "student_edition"}
# The reference the introduction cites for the lecture; the title page names it.
LECTURE_KEY = "manning2019cs224n"
# A document whose name starts with this is a numbered chapter; the others (the
# introduction, the glossary, the bibliography) are not.
CHAPTER_PREFIX = "chapters/"
# A code block or output of at most this many lines is kept on one page; a longer one may
# break across pages (keeping every block whole left pages half empty).
SHORT_LINES = 15
# --- what the book is ------------------------------------------------------------------


def lecture_line(bibfile: Path, key: str = LECTURE_KEY) -> str:
    """The title page's line naming the lecture, from its entry in ``references.bib``."""
    from pybtex.database import parse_file

    entry = parse_file(str(bibfile)).entries[key]
    author = " ".join(
        " ".join(p.first_names + p.middle_names + p.last_names) for p in entry.persons["author"]
    )
    title = re.sub(r"[{}]", "", entry.fields["title"])
    return f"A companion to {title}, by {author} ({entry.fields['howpublished']})"


def edition(root: Path, copyright_year: str, author: str) -> str:
    """The title page's last line: the copyright and the commit the book was printed from."""
    line = f"© {copyright_year} {author}"
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        return line
    return f"{line} · printed from commit {commit}"


def book_outline(root: Path = ROOT) -> dict:
    """What ``tools/pdf.js`` needs to know about the book, from its configuration.

    Returns:
        dict with ``title``, ``author``, ``lecture``, ``edition`` (title page lines),
        ``root`` (the root document's name) and ``docs``: the other documents in
        ``_toc.yml`` order, each a dict with ``doc`` (its name), ``part`` (its part's
        caption), and for a chapter ``number`` ("1") and ``label`` ("Chapter 1"), else "".
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs, number = [], 0
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            doc = chapter["file"].removesuffix(".md").removesuffix(".ipynb")
            numbered = doc.startswith(CHAPTER_PREFIX)
            number += numbered
            docs.append(
                {
                    "doc": doc,
                    "part": part["caption"],
                    "number": str(number) if numbered else "",
                    "label": f"Chapter {number}" if numbered else "",
                }
            )
    return {
        "title": config["title"],
        "author": config["author"],
        "lecture": lecture_line(root / config["bibtex_bibfiles"][0]),
        "edition": edition(root, str(config["copyright"]), config["author"]),
        "root": toc["root"],
        "docs": docs,
        "shortLines": SHORT_LINES,
    }


# --- step 1: the single page -------------------------------------------------------------


def build_single_page(root: Path, out: Path) -> Path:
    """Build the book as one HTML page, ``<root document>.html`` in the returned folder.

    Sphinx reads every document again (``freshenv``): the page is rewritten whole anyway,
    and a fresh read cannot miss a change Sphinx does not track (our extensions,
    templates, the bibliography). Warnings are errors, as in ``make book``.
    """
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    config, _meta = get_final_config(
        user_yaml=root / "_config.yml",
        cli_config={
            "external_toc_path": (root / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
            "nb_execution_cache_path": str(root / CACHE),
        },
        sourcedir=root,
    )
    config["extensions"] = [e for e in config["extensions"] if e not in SITE_ONLY_EXTENSIONS]
    outdir = out / "singlehtml"
    shutil.rmtree(outdir, ignore_errors=True)  # no file of an earlier build left behind
    with patch_docutils(None), docutils_namespace():
        app = Sphinx(
            srcdir=str(root),
            confdir=None,
            outdir=str(outdir),
            doctreedir=str(out / ".doctrees"),
            buildername="singlehtml",
            confoverrides=config,
            freshenv=True,
            warningiserror=True,
            keep_going=True,
        )
        app.build()
    if app.statuscode:
        raise PdfError("the single-page build failed (its warnings are above)")
    return outdir


def check_fonts() -> None:
    """Fail early, naming the package, when a font the book prints with is missing.

    The stylesheet names DejaVu Sans and DejaVu Sans Mono (the figures' fonts); the
    glossary's Chinese names need a font that has them, or they print as boxes.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        print("make pdf: fc-list (Debian: fontconfig) not found; fonts not checked")
        return
    for pattern, what, package in FONTS:
        found = subprocess.run([fc_list, pattern, "family"], capture_output=True, text=True)
        if not found.stdout.strip():
            raise PdfError(
                f"no font for {what} ({pattern!r}): install one, e.g. Debian's {package} "
                f"(apt-get install {package})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="default: _build/pdf")
    out = parser.parse_args(argv).out.resolve()
    start = time.perf_counter()
    try:
        check_fonts()
        book = book_outline(ROOT)
        page = build_single_page(ROOT, out) / f"{book['root']}.html"
        built = time.perf_counter()
        printed = print_book(page, book)
    except PdfError as err:
        print(f"make pdf: {err}", file=sys.stderr)
        return 1
    target = out / "book.pdf"
    target.write_bytes(printed.pdf)
    end = time.perf_counter()
    print(
        f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
        f"{printed.pages} pages, {len(printed.pdf) / 1e6:.1f} MB "
        f"(single page {built - start:.0f} s, {printed.printings} printings {end - built:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
