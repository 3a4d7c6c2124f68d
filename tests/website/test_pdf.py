"""The printed book (``make pdf``, tools/pdf.py): built here from the executed notebooks in
the jupyter-cache, then read back with pypdf and compared with the sources.

What the reader must get: a title page without a page number, then every page numbered;
the contents with each document's page; every document in _toc.yml's order, in the
contents, in the bookmarks and in the text; every line of every chapter's code and printed
output, whole (a line cut at the page's edge loses its end: Chromium does not write glyphs
that fall outside the paper or a clipped box); no TeX left untypeset; each slider widget's
values written under its frame; every exercise solution printed open.
"""

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.website.conftest import require_chromium

pytestmark = [pytest.mark.site, pytest.mark.e2e]  # builds the book and prints it
ROOT = Path(__file__).resolve().parents[2]
# The book prints at 274 A4 pages (chapters 1-9 take 20-45 pages each, the glossary 18).
# The range lets the book grow or shrink by about a quarter, and a layout gone wrong as a
# whole leaves it: the screen's 16 px text instead of the print's 13.3 px would take about
# (16 / 13.3)^2 = 1.45 times the pages (an estimate from the areas: about 400).
PAGES = range(200, 351)
# TeX that would show if a formula were not typeset: MathJax's delimiters, environments and
# the commands the chapters use most.
TEX = re.compile(r"\\[()[\]]|\$\$|\\(?:begin|end)\{|\\(?:frac|nabla|partial|mathbb|top|sum)\b")
SOLUTION = "Solution: code and output"  # tools/pdf.js: the printed toggle of a hidden cell


def normal(text: str) -> str:
    """Text compared across sources: NFKC (the PDF's ligatures) and single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def squeezed(text: str) -> str:
    """Text without any whitespace: a wrapped line reads as the line itself."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- what the book holds, from its sources --------------------------------------------------


def documents() -> list[Path]:
    """The root document, then every document in _toc.yml's order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    return [next(ROOT.glob(f"{name.removesuffix('.md')}.*")) for name in names]


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def title(path: Path) -> str:
    """A document's title: its first level-1 heading."""
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in notebook(path)["cells"])
    else:
        text = path.read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, re.MULTILINE)[1].strip()


def chapters() -> list[Path]:
    return [p for p in documents() if p.suffix == ".ipynb"]


def printed_lines(nb: dict) -> list[str]:
    """Every line of every code cell and of its printed output, in reading order.

    Not the output of a cell that times something (tagged ``nbval-ignore-output``): the
    book prints the build's run, whose timings differ from the notebook's.
    """
    lines = []
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        lines += "".join(cell["source"]).splitlines()
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if output["output_type"] == "stream":
                lines += "".join(output["text"]).splitlines()
            elif set(data) == {"text/plain"}:  # a page shows richer types instead
                lines += "".join(data["text/plain"]).splitlines()
    return [line for line in lines if line.strip()]


def widget_lines(nb: dict) -> list[str]:
    """Each slider widget's values as the printed book writes them under its frame."""
    found = []
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        for output in cell.get("outputs", []):
            page = "".join(output.get("data", {}).get("text/html", ""))
            if "data-lecnotes-widget" not in page:
                continue
            pairs = re.findall(
                r"<label [^>]*>([^<]*)</label>.*?<output [^>]*>([^<]*)</output>", page
            )
            values = "; ".join(f"{label} = {value}" for label, value in pairs)
            found.append(f"{'Sliders' if len(pairs) > 1 else 'Slider'}: {values}")
    return found


# --- the printed book ----------------------------------------------------------------------


@dataclass
class Printed:
    pages: list[str]  # each page's text, its page number removed
    numbered: list[bool]  # whether the page's text holds its page number as a line
    outline: list[tuple[str, int]]  # top-level bookmarks: (title, page number)
    sections: list[tuple[str, int]]  # the bookmarks under them: (title, page number)
    code: list[str]  # the text of every <pre> of the single page that was printed


def read(out: Path) -> Printed:
    """The printed book in ``out`` (tools/pdf.py's folder): its text, numbers, bookmarks."""
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    html = (out / "singlehtml" / "intro.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    reader = PdfReader(out / "book.pdf")
    pages, numbered = [], []
    for number, page in enumerate(reader.pages, start=1):
        lines = page.extract_text().splitlines()
        numbered.append(str(number) in (line.strip() for line in lines))
        if numbered[-1]:
            lines.remove(next(line for line in lines if line.strip() == str(number)))
        pages.append("\n".join(lines))

    def entries(items) -> list[tuple[str, int]]:
        return [(normal(i.title), reader.get_destination_page_number(i) + 1) for i in items]

    top = [item for item in reader.outline if not isinstance(item, list)]
    nested = [item for sub in reader.outline if isinstance(sub, list) for item in sub]
    code = [pre.get_text() for pre in article.find_all("pre")]
    return Printed(pages, numbered, entries(top), entries(nested), code)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    require_chromium()
    out = tmp_path_factory.mktemp("pdf")
    done = subprocess.run(
        [sys.executable, "tools/pdf.py", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return read(out)


def test_page_count(printed):
    assert len(printed.pages) in PAGES, f"{len(printed.pages)} pages, expected {PAGES}"


def test_the_title_page_is_unnumbered_and_every_other_page_numbered(printed):
    assert not printed.numbered[0]
    unnumbered = [n for n, ok in enumerate(printed.numbered[1:], start=2) if not ok]
    assert not unnumbered, f"pages without their number: {unnumbered}"


def test_the_title_page_names_the_book_and_the_lecture(printed):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    page = normal(printed.pages[0])
    for line in (config["title"], config["author"], "CS224n", "Lecture 4", "Manning"):
        assert normal(line) in page


def test_the_bookmarks_list_the_contents_then_every_document_in_order(printed):
    expected = ["Contents"] + [normal(title(p)) for p in documents()]
    assert [t for t, _ in printed.outline] == expected
    pages = [page for _, page in printed.outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), printed.outline


def test_the_contents_give_each_documents_page(printed):
    """Each document's contents entry names the page that starts with its title."""
    start, end = printed.outline[0][1], printed.outline[1][1]  # Contents .. the introduction
    contents = normal(" ".join(printed.pages[start - 1 : end - 1]))
    for path in documents():
        name = normal(title(path))
        entry = re.search(re.escape(name) + r" (\d+)\b", contents)
        assert entry, f"{name!r} is not in the contents with a page number"
        page = normal(printed.pages[int(entry[1]) - 1])
        assert name in page[:300], f"{name!r}: page {entry[1]} starts {page[:120]!r}"


def words_in_order(name: str, text: str) -> bool:
    """Whether ``text`` holds the words of ``name`` in order. A formula's glyphs are in Type 3
    fonts, whose text pypdf does not read (pdftotext does): "Choosing λ" reads "Choosing "."""
    position = 0
    for word in re.findall(r"\w\w+", name):
        position = text.find(word, position)
        if position < 0:
            return False
    return True


def test_each_section_is_on_the_page_the_contents_give(printed):
    """The bookmarks under a document carry the contents' page numbers of its sections
    (tools/pdf_print.py writes both from one reading): each section's heading is on its
    page, in order. Names repeat across chapters ("Summary"): each must find its own."""
    assert len(printed.sections) > 50, printed.sections
    wrong = [
        (name, page)
        for name, page in printed.sections
        if not words_in_order(name, normal(printed.pages[page - 1]))
    ]
    assert not wrong, f"sections not on their page: {wrong[:10]}"
    pages = [page for _, page in printed.sections]
    assert pages == sorted(pages), f"sections out of order: {printed.sections}"


def test_no_code_or_output_line_is_cut(printed):
    """Every line of every chapter's code and output, in order, whole (wrapping allowed)."""
    text = squeezed("".join(printed.pages))
    position, missing = 0, []
    for path in chapters():
        for line in printed_lines(notebook(path)):
            found = text.find(squeezed(line), position)
            if found < 0:
                missing.append(f"{path.stem}: {line.strip()}")
            else:
                position = found
    assert not missing, f"{len(missing)} lines missing or cut, e.g.:\n" + "\n".join(missing[:10])


def test_every_code_block_of_the_page_is_printed_whole(printed):
    """Every line of every code or output block of the book's page, including the "In
    PyTorch" blocks and every tab of their tab sets."""
    text = squeezed("".join(printed.pages))
    lines = [line for pre in printed.code for line in pre.splitlines() if line.strip()]
    missing = [line.strip() for line in lines if squeezed(line) not in text]
    assert len(lines) > 1000
    assert not missing, f"{len(missing)} lines missing or cut, e.g.:\n" + "\n".join(missing[:10])


def test_no_tex_is_left(printed):
    left = [(n, m[0]) for n, page in enumerate(printed.pages, 1) for m in TEX.finditer(page)]
    assert not left, f"TeX in the printed text (page, TeX): {left[:10]}"


def test_every_widget_prints_its_slider_values_under_its_frame(printed):
    text = normal(" ".join(printed.pages))
    expected = [line for path in chapters() for line in widget_lines(notebook(path))]
    assert expected, "no slider widget found in the chapters' outputs"
    position = 0
    for line in expected:
        found = text.find(normal(line), position)
        assert found >= 0, f"not printed (in order): {line!r}"
        position = found
    assert "Run this cell to make the sliders live" not in text


def test_every_solution_is_printed_open(printed):
    """Each hidden cell (an exercise's solution) under its heading, its code shown."""
    hidden = [
        "".join(cell["source"]).splitlines()[0]
        for path in chapters()
        for cell in notebook(path)["cells"]
        if "hide-cell" in cell.get("metadata", {}).get("tags", [])
    ]
    text = normal(" ".join(printed.pages))
    assert hidden and text.count(SOLUTION) == len(hidden)
    shown = [line for line in hidden if normal(line) in text]
    assert shown == hidden, f"not printed: {sorted(set(hidden) - set(shown))}"
