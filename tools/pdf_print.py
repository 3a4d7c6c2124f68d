"""Print the book's single page with Chromium: the contents' page numbers and bookmarks.

Steps 2 and 3 of ``tools/pdf.py`` (its docstring tells the whole story): the page opened
with its own scripts off and every request outside its folder refused, rearranged by
``tools/pdf.js`` and styled by ``tools/pdf.css``, printed until the page numbers written into
the contents are the pages the headings landed on, then given bookmarks with pypdf.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from tools import chromium

HERE = Path(__file__).resolve().parent
TRANSFORM = HERE / "pdf.js"
STYLESHEET = HERE / "pdf.css"
# The contents start on the page after the title page (tests/website/test_pdf.py checks it).
CONTENTS_PAGE = 2
PRINTINGS = 3  # at most; the second agrees with the first unless a number changed a line


class PdfError(Exception):
    """The book could not be printed; the message says why."""


@dataclass
class Printed:
    """The PDF and what printing it found."""

    pdf: bytes
    pages: int
    printings: int


def page_numbers(pdf: bytes, ids: list[str]) -> dict[str, int]:
    """The page (1-based) each of ``ids`` starts on, from the PDF's named destinations.

    Chromium names a destination for every element a link in the document points to.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = {
        name.lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise PdfError(f"no destination in the PDF for the contents entries {missing}")
    return {i: found[i] for i in ids}


def chromium_trailer(record: logging.LogRecord) -> bool:
    """False for pypdf's warning that Chromium's PDF declares fewer objects in its trailer
    than it holds: the writer numbers them again, and the warning named no problem here."""
    return not record.getMessage().startswith("Object count")


def with_bookmarks(pdf: bytes, entries: list[dict], numbers: dict[str, int]) -> tuple[bytes, int]:
    """``pdf`` with bookmarks: the contents, then each entry under its document.

    Args:
        entries: the contents' entries in order, dicts with ``id``, ``title`` and ``level``
            (1 for a document, 2 for one of its sections).
        numbers: entry id -> page number (1-based).

    Returns:
        (the PDF with its bookmarks, its number of pages).
    """
    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf._writer").addFilter(chromium_trailer)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_outline_item(title="Contents", page_number=CONTENTS_PAGE - 1)
    document = None
    for entry in entries:
        page = numbers[entry["id"]] - 1
        if entry["level"] == 1:
            document = writer.add_outline_item(title=entry["title"], page_number=page)
        else:
            writer.add_outline_item(title=entry["title"], page_number=page, parent=document)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


ADD_STYLE = """(css) => {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
}"""
SET_PAGES = """(numbers) => {
  for (const span of document.querySelectorAll(".pdf-toc-page")) {
    span.textContent = numbers[span.dataset.target];
  }
}"""


def open_book(browser, page_path: Path, book: dict):
    """The single page in a new tab, rearranged and styled for print.

    The page's own scripts are off (math is typeset and every block is in the markup);
    a request that leaves the build folder is refused and fails the print.

    Returns:
        (the tab, the contents' entries: dicts with ``id``, ``title``, ``level``).
    """
    folder = page_path.parent.resolve().as_uri()
    refused = []

    def local_only(route):
        url = route.request.url
        if url.startswith(folder + "/") or url.startswith("data:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    context.route("**/*", local_only)
    tab = context.new_page()
    failed = []

    def record_failure(request):
        if request.resource_type != "script":  # scripts are off: refused, unneeded
            failed.append(f"{request.url} ({request.failure})")

    tab.on("requestfailed", record_failure)
    tab.goto(page_path.resolve().as_uri(), wait_until="load")
    result = tab.evaluate(TRANSFORM.read_text(encoding="utf-8"), book)
    # Added by hand: Playwright's add_style_tag waits for a load event that never comes
    # with the page's scripts off.
    tab.evaluate(ADD_STYLE, STYLESHEET.read_text(encoding="utf-8"))
    # Every image decoded and every font loaded before printing.
    tab.evaluate(
        "() => Promise.all([document.fonts.ready,"
        " ...[...document.images].map((i) => i.decode().catch(() => null))])"
    )
    broken = tab.evaluate(
        "() => [...document.images].filter((i) => !i.naturalWidth).map((i) => i.src)"
    )
    problems = [f"refused: {u}" for u in refused] + [f"failed: {f}" for f in failed]
    problems += [f"image not loaded: {u}" for u in broken]
    if problems:
        raise PdfError("the page did not load as printed:\n  " + "\n  ".join(problems))
    return tab, result["entries"]


def print_once(tab) -> bytes:
    """One printing: A4, margins and page numbers from the stylesheet's ``@page`` rules.

    Not tagged: a tagged PDF was 2.3 times the size (the whole book: 12.3 MB instead of
    5.4 MB), its structure mostly MathJax's markup of each formula; the website is the
    accessible edition (MathML, checked with axe-core), the PDF is for paper. Chromium
    makes its outline (bookmarks) from that structure only, so ``with_bookmarks`` adds them.
    """
    return tab.pdf(prefer_css_page_size=True, print_background=True)


def print_book(page_path: Path, book: dict) -> Printed:
    """Print the single page as the book: contents with page numbers (see the module doc)."""
    from playwright.sync_api import sync_playwright

    if not chromium.CHROMIUM.exists():
        raise PdfError(
            f"Chromium not found at {chromium.CHROMIUM} (Debian: apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            tab, entries = open_book(browser, page_path, book)
            ids = [e["id"] for e in entries]
            pdf, numbers = print_once(tab), None
            for printing in range(1, PRINTINGS + 1):
                found = page_numbers(pdf, ids)
                if found == numbers:
                    marked, pages = with_bookmarks(pdf, entries, numbers)
                    return Printed(marked, pages, printing)
                numbers = found
                tab.evaluate(SET_PAGES, numbers)
                pdf = print_once(tab)
        finally:
            browser.close()
    raise PdfError(f"the contents' page numbers still moved after {PRINTINGS} printings")
