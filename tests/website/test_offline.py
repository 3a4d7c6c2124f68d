"""The built site loads nothing from the internet: every asset it references is local."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.website.conftest import SITE, pages

pytestmark = pytest.mark.site

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?(.*?)['"]?\s*\)""")


def external_assets(html_text):
    """(tag, url) for every script, stylesheet, icon, font or image loaded from elsewhere."""
    soup = BeautifulSoup(html_text, "html.parser")
    found = []
    for tag, attr in (
        ("script", "src"),
        ("img", "src"),
        ("link", "href"),
        ("source", "src"),
        ("iframe", "src"),
    ):
        for element in soup.find_all(tag):
            url = element.get(attr) or ""
            rel = element.get("rel") or []
            if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
                continue  # plain hyperlinks to other sites are fine
            if EXTERNAL.match(url):
                found.append((tag, url))
    for style in soup.find_all("style"):
        found += [("style", u) for u in CSS_URL.findall(style.text) if EXTERNAL.match(u)]
    return found


def test_detector_finds_cdn_assets():
    page = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
        'href="//fonts.example/css"><img src="http://x/y.png"><a href="https://ok">a</a>'
    )
    assert sorted(t for t, _ in external_assets(page)) == ["img", "link", "script"]


def test_site_has_pages(site):
    assert "index.html" in pages() and "chapters/04_vectorization.html" in pages()


@pytest.mark.parametrize("page", pages() if SITE.is_dir() else [])
def test_page_loads_nothing_external(site, page):
    assert external_assets((site / page).read_text(encoding="utf-8")) == []


def test_stylesheets_load_no_external_fonts(site):
    offenders = []
    for css in site.rglob("*.css"):
        urls = CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace"))
        offenders += [(css.name, u) for u in urls if EXTERNAL.match(u)]
    assert offenders == []


def test_math_fonts_are_served_locally(site):
    # Math is typeset when the book is built (test_math.py): a page's stylesheet names
    # MathJax's fonts, which the site serves itself.
    chapter = (site / "chapters" / "04_vectorization.html").read_text(encoding="utf-8")
    assert 'url("../_static/mathjax/fonts/MathJax_Main-Regular.woff?v=' in chapter
    assert (site / "_static" / "mathjax" / "fonts" / "MathJax_Main-Regular.woff").is_file()


def test_no_thebe_no_widget_javascript_and_no_widget_state(site):
    for page in pages():
        text = (site / page).read_text(encoding="utf-8")
        assert "require.min.js" not in text and "html-manager" not in text, page
        assert "thebe" not in text.lower() and "unpkg" not in text, page
        assert "widget-state+json" not in text, page


def test_icons_are_a_local_web_font_not_the_theme_script(site):
    chapter = (site / "chapters" / "07_optimizers.html").read_text(encoding="utf-8")
    assert "fontawesome.js" not in chapter
    assert '_static/fontawesome/icons.css"' in chapter
    icons = site / "_static" / "fontawesome"
    assert "url(fa-solid-900.woff)" in (icons / "icons.css").read_text(encoding="utf-8")
    assert 0 < (icons / "fa-solid-900.woff").stat().st_size < 10_000  # the icons in use
    assert not (site / "_static" / "scripts" / "fontawesome.js").exists()  # dead weight
    assert not (site / "_static" / "vendor" / "fontawesome").exists()  # the theme's fonts
