"""The two bridges on the built site: the English–Chinese glossary and the PyTorch blocks.

- ``glossary.html`` lists every entry of ``glossary.md``: its names, the Chinese ones marked
  ``lang="zh-Hans"``, and links to the chapters that teach it.
- Every link to a term in a chapter carries its entry's names and definition (the title that
  ``_ext/glossary_terms.py`` writes); in the browser it appears at once, on hover and on
  keyboard focus, stays while the pointer moves onto it, and Escape closes it.
- The site's search box (Sphinx's search page) finds an entry by a Chinese name, or by part
  of one, and links straight to it.
- Every "In PyTorch" block of a chapter shows exactly the regions of
  ``tools/torch_reference.py`` that its notebook includes.
"""

from __future__ import annotations

import textwrap
import urllib.parse

import pytest
from bs4 import BeautifulSoup

from tests.test_glossary import ENTRIES, LINKS, chinese
from tests.test_pytorch_blocks import BLOCKS, REGIONS, region_of
from tests.website.conftest import SITE

pytestmark = pytest.mark.site

CHAPTERS = sorted(LINKS)
TERM_LINK = "a.reference:has(> span.std-term)"


def page(path: str) -> BeautifulSoup:
    return BeautifulSoup((SITE / path).read_text(encoding="utf-8"), "html.parser")


def built_entries() -> list[tuple[list, object]]:
    """[(the entry's <dt> elements, its <dd>)] in the order of the built glossary."""
    entries, names = [], []
    for element in page("glossary.html").select_one("dl.glossary").find_all(["dt", "dd"]):
        if element.name == "dt":
            names.append(element)
        else:
            entries.append((names, element))
            names = []
    return entries


def name_of(dt) -> str:
    return "".join(dt.find_all(string=True, recursive=False)).strip()


def tooltips() -> dict[str, str]:
    """Glossary anchor -> the title a link to it must carry: names, then the definition."""
    found = {}
    for dts, dd in built_entries():
        text = " · ".join(name_of(dt) for dt in dts) + " — " + " ".join(dd.p.get_text().split())
        found.update({dt["id"]: text for dt in dts})
    return found


def test_glossary_page_lists_every_entry_with_its_chinese_names_and_chapters(site):
    built = {name_of(dts[0]): (dts, dd) for dts, dd in built_entries()}
    assert sorted(built) == sorted(e.names[0] for e in ENTRIES)
    for entry in ENTRIES:
        dts, dd = built[entry.names[0]]
        assert [name_of(dt) for dt in dts] == entry.names
        for dt in dts:
            assert (dt.get("lang") == "zh-Hans") == chinese(name_of(dt)), name_of(dt)
        links = {a["href"] for a in dd.select("a.reference.internal")}
        assert links == {f"chapters/{stem}.html" for stem in entry.chapters}, entry.names[0]


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_term_link_carries_its_definition(site, stem):
    tips = tooltips()
    links = page(f"chapters/{stem}.html").select(TERM_LINK)
    assert len(links) == len(LINKS[stem]), "every {term} of the notebook is a link"
    for link in links:
        glossary, _, anchor = link["href"].partition("#")
        assert glossary == "../glossary.html" and anchor in tips, link["href"]
        assert link.get("title") == tips[anchor], link.get_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_term_shows_its_definition_on_hover_and_on_focus(visit, width):
    path = "chapters/07_optimizers.html"
    expected = page(path).select(TERM_LINK)[4]["title"]
    view = visit(path, width=width)
    link = view.page.locator(TERM_LINK).nth(4)
    tip = view.page.locator("#lecnotes-term-tip")
    assert link.get_attribute("title") is None, "the popover replaces the browser's tooltip"

    link.hover()
    assert tip.is_visible() and tip.inner_text() == expected
    assert link.get_attribute("aria-describedby") == "lecnotes-term-tip"
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    view.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    view.page.wait_for_timeout(400)
    assert tip.is_visible(), "the pointer can move onto the definition"
    view.page.mouse.move(1, 1)
    tip.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None

    link.focus()
    assert tip.is_visible() and tip.inner_text() == expected
    view.page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert not view.problems, view.problems


def anchors_of(name: str) -> set[str]:
    return {dt["id"] for dts, _ in built_entries() for dt in dts if name_of(dt) == name}


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("正则化", ["正则化", "L2 正则化"]),
        ("反向传播", ["反向传播"]),
        ("梯度消失", ["梯度消失"]),
        ("梯度", ["梯度", "梯度消失", "梯度检验"]),  # a part of longer names too
        ("雅可比", ["雅可比矩阵"]),
        ("Xavier 初始化", ["Xavier 初始化"]),
        ("Jacobian", ["Jacobian"]),
    ],
)
def test_search_finds_an_entry_by_its_chinese_name(visit, query, finds):
    view = visit(f"search.html?q={urllib.parse.quote(query)}")
    view.page.wait_for_function(
        "() => document.querySelector('#search-results .search-summary')?.innerText"
    )
    hrefs = view.page.eval_on_selector_all(
        "#search-results ul.search li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    for name in finds:
        assert {f"glossary.html#{anchor}" for anchor in anchors_of(name)} & set(hrefs), name
    assert not view.problems, view.problems


@pytest.mark.parametrize("stem", CHAPTERS)
def test_pytorch_blocks_show_the_reference_script(site, stem):
    shown = page(f"chapters/{stem}.html").select("details.lecnotes-pytorch")
    blocks = [block for block in BLOCKS if block.chapter == stem]
    assert len(shown) == len(blocks) >= 1
    for details, block in zip(shown, blocks, strict=True):
        assert details.summary.get_text(" ", strip=True).startswith("In PyTorch:")
        code = [pre.get_text().rstrip("\n") for pre in details.select("pre")]
        regions = [REGIONS[region_of(include)] for include in block.includes]
        assert code == [textwrap.dedent("\n".join(lines)) for lines in regions], block.title
