"""Math on the built site is typeset when the book is built (_ext/static_math.py).

Every page: no MathJax script, no TeX left for a browser to typeset, every math element
holding MathJax's CHTML markup with assistive MathML, a stylesheet for it, and the fonts it
names shipped (and no others). In Chromium: the math is drawn with MathJax's fonts at the
size the browser's MathJax chose (the surrounding x-height), in the text's colour in both
themes, and the search page still finds a TeX command and quotes its formula.
"""

import hashlib
import re
import urllib.parse

import pytest
from bs4 import BeautifulSoup

from tests.website.conftest import SITE, pages

pytestmark = pytest.mark.site

FONTS = SITE / "_static" / "mathjax" / "fonts"
PAGES = [p for p in pages() if p != "index.html"] if SITE.is_dir() else []
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
# What a browser's MathJax would typeset in text: \(...\), \[...\], $$...$$, environments.
TEX = re.compile(r"\\\(|\\\[|\$\$|\\begin\{")


def soup(path: str) -> BeautifulSoup:
    return BeautifulSoup((SITE / path).read_text(encoding="utf-8"), "html.parser")


def math_stylesheet(page: BeautifulSoup):
    return page.head.find("style", id="MJX-CHTML-styles")


@pytest.mark.parametrize("path", PAGES)
def test_page_carries_typeset_math_and_no_mathjax_script(site, path):
    page = soup(path)
    assert not page.find("script", src=re.compile("mathjax", re.I)), path
    assert not any("window.MathJax" in (s.string or "") for s in page.find_all("script")), path
    # The text a reader sees (code excluded) holds no TeX left to typeset.
    text = BeautifulSoup(str(page.body), "html.parser")
    for element in text(["pre", "code", "script", "style", "mjx-container"]):
        element.decompose()
    assert TEX.findall(text.get_text()) == [], path
    elements = page.select("span.math, div.math")
    for element in elements:
        container = element.find("mjx-container", attrs={"jax": "CHTML"})
        assert container is not None, f"{path}: untypeset {element.get_text()[:60]!r}"
        assert container.select_one("mjx-math mjx-c"), f"{path}: {element}"
        mathml = container.select_one("mjx-assistive-mml > math")
        assert mathml is not None and mathml.get_text(strip=True), f"{path}: no MathML"
    assert (math_stylesheet(page) is not None) == bool(elements), path
    # A display formula scrolls inside its own block on a phone: a keyboard can reach it.
    assert all(c.get("tabindex") == "0" for c in page.select("div.math > mjx-container")), path


def test_chapters_hold_math(site):
    for path in CHAPTERS:
        assert len(soup(path).select("mjx-container")) > 20, path


def test_the_site_ships_exactly_the_math_fonts_its_pages_name(site):
    named = set()
    for path in PAGES:
        page = soup(path)
        sheet = math_stylesheet(page)
        if sheet is None:
            continue
        for url, version in re.findall(r'url\("([^"?]+)\?v=(\w+)"\)', sheet.string):
            target = (SITE / path).parent / url
            assert target.resolve().is_file(), f"{path}: {url} missing"
            # The version names the file shipped: a changed cut gets a new address.
            assert version == hashlib.sha256(target.read_bytes()).hexdigest()[:12], url
            named.add(target.resolve())
    assert named and {p.resolve() for p in FONTS.iterdir()} == named
    assert [p.name for p in (SITE / "_static" / "mathjax").iterdir()] == ["fonts"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_math_is_drawn_with_mathjax_fonts_at_the_text_x_height(visit, theme):
    v = visit("chapters/01_matrix_gradients.html", color_scheme=theme)
    page = v.page
    page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{theme}'; }}")
    page.evaluate("() => document.fonts.ready")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll("main mjx-container")]
            .filter(c => c.getClientRects().length).map(c => {
                const probe = document.createElement("span");
                probe.style.cssText = "display:inline-block;height:100ex;width:0";
                c.parentElement.append(probe);
                const ex = probe.getBoundingClientRect().height / 100;
                probe.remove();
                const glyph = c.querySelector("mjx-c");
                return {size: parseFloat(getComputedStyle(c).fontSize), ex,
                        color: getComputedStyle(glyph).color,
                        text: getComputedStyle(c.parentElement).color,
                        width: c.getBoundingClientRect().width};
            })"""
    )
    assert len(drawn) > 50
    for d in drawn:
        # MathJax's fonts have an x-height of 0.442 em; the browser's MathJax matched it to
        # the surrounding text's, rounded to 0.1 % of the text size.
        assert abs(d["size"] * 0.442 - d["ex"]) < 0.01 * d["ex"], d
        assert d["color"] == d["text"] and d["width"] > 0, d
    faces = page.evaluate(
        """() => [...document.fonts].filter(f => f.family.startsWith("MJX"))
            .map(f => [f.family, f.status])"""
    )
    assert ["MJXTEX-I", "loaded"] in faces and ["MJXTEX", "loaded"] in faces, faces
    assert not [f for f in faces if f[1] == "error"], faces
    assert page.evaluate("() => typeof window.MathJax") == "undefined"
    assert v.problems == []


@pytest.mark.parametrize(
    ("query", "page", "quote"),
    [
        ("nabla", "chapters/07_optimizers.html", "\\(\\theta \\leftarrow \\theta - \\eta"),
        ("Jacobians", "chapters/01_matrix_gradients.html", "The gradient with respect to \\(W\\)"),
    ],
)
def test_search_finds_a_tex_command_and_quotes_the_formula(visit, query, page, quote):
    v = visit(f"search.html?q={urllib.parse.quote(query)}")
    v.page.wait_for_function(
        f"""() => [...document.querySelectorAll("#search-results li")]
            .some(li => li.querySelector("a").getAttribute("href") === "{page}"
                        && li.querySelector("p.context"))"""
    )
    summary = v.page.evaluate(
        f"""() => [...document.querySelectorAll("#search-results li")]
            .find(li => li.querySelector("a").getAttribute("href") === "{page}")
            .querySelector("p.context").textContent"""
    )
    assert quote in summary, summary
    assert v.problems == []
