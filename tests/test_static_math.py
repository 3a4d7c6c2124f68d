"""``_ext/static_math.py``: math typeset when the book is built, with MathJax in Node.

The pure parts (which markup is math, which fonts a page needs) and the typesetter itself
on a small built folder: it needs Node and ``npm ci``'s MathJax, as ``make book`` does.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import static_math  # noqa: E402

# What Sphinx 7.4 (with myst-parser) writes for math, one element per kind.
INLINE = '<span class="math notranslate nohighlight">\\(a &lt; b\\)</span>'
DISPLAY = '<div class="math notranslate nohighlight">\n\\[\nx^2 \\nabla f\n\\]</div>\n'
NUMBERED = (
    '<div class="math notranslate nohighlight" id="equation-loss">\n<span class="eqno">(1)'
    '<a class="headerlink" href="#equation-loss" title="Link to this equation">#</a></span>'
    "\\[J(\\theta) = \\frac{1}{N}\\sum_i \\ell_i\\]</div>\n"
)
AMSMATH = (
    '<div class="amsmath math notranslate nohighlight">\n\\[\\begin{aligned}'
    "a &amp;= b\\\\ c &amp;= \\mathbb{R}\\end{aligned}\\]</div>\n"
)
NOWRAP = '<div class="math notranslate nohighlight">\n\\begin{align}u &amp;= v\\end{align}</div>'


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>t</title>{head}</head><body><main>{body}</main></body></html>"


def test_the_pattern_finds_each_kind_of_math_sphinx_writes():
    text = INLINE + DISPLAY + NUMBERED + AMSMATH + NOWRAP
    assert [m["tex"] for m in static_math.MATH.finditer(text)] == [
        "\\(a &lt; b\\)",
        "\n\\[\nx^2 \\nabla f\n\\]",
        "\\[J(\\theta) = \\frac{1}{N}\\sum_i \\ell_i\\]",
        "\n\\[\\begin{aligned}a &amp;= b\\\\ c &amp;= \\mathbb{R}\\end{aligned}\\]",
        "\n\\begin{align}u &amp;= v\\end{align}",
    ]


def test_typeset_or_empty_math_is_left_alone():
    typeset = '<span class="math notranslate nohighlight"><mjx-container jax="CHTML">'
    empty = '<span class="math notranslate nohighlight"> </span>'
    assert not list(static_math.MATH.finditer(typeset + "</mjx-container></span>" + empty))


def test_fonts_a_page_needs_follow_its_markup():
    base = {"MJXZERO", "MJXTEX"}
    assert static_math.needed_families('<mjx-c class="mjx-c3D"></mjx-c>') == base
    italic = '<mjx-c class="mjx-c1D465 TEX-I"></mjx-c><mjx-c class="mjx-c211D TEX-A"></mjx-c>'
    assert static_math.needed_families(italic) == base | {"MJXTEX-I", "MJXTEX-A"}
    assert static_math.needed_families("<mjx-stretchy-v>") == base | {
        "MJXTEX-S1",
        "MJXTEX-S4",
        "MJXTEX-A",
    }


def site_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def stylesheet(text: str) -> str:
    match = re.search(r'<style id="MJX-CHTML-styles">(.*?)</style>\n</head>', text, re.DOTALL)
    assert match, "the math stylesheet ends the page's head"
    return match[1]


def test_a_built_folder_is_typeset_once_with_its_stylesheet_and_only_the_fonts_it_uses(
    tmp_path,
):
    site = site_with(
        tmp_path,
        {
            "intro.html": page(INLINE + "<p>no TeX here: a $5 fee</p>"),
            "chapters/one.html": page(NUMBERED + AMSMATH),
            "search.html": page("<p>nothing</p>"),
            "_static/mathjax/fonts/MathJax_Fraktur-Bold.woff": "stale",
        },
    )
    errors = static_math.typeset_site(site, ROOT)
    assert errors == {"chapters/one.html": [], "intro.html": []}

    intro = (site / "intro.html").read_text(encoding="utf-8")
    assert "\\(" not in intro and "a $5 fee" in intro
    assert '<span class="math notranslate nohighlight"><mjx-container class="MathJax"' in intro
    # Assistive MathML for screen readers, holding the TeX for the search page.
    assert "<mo>&lt;</mo>" in intro
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in intro
    css = stylesheet(intro)
    assert re.search(r'url\("_static/mathjax/fonts/MathJax_Math-Italic\.woff\?v=\w{12}"\)', css)
    assert "MathJax_AMS" not in css and "mjx-mfrac" not in css  # not used on this page
    assert "font-size: calc(1ex * 2.2624)" in css  # the surrounding font's x-height

    chapter = (site / "chapters" / "one.html").read_text(encoding="utf-8")
    assert chapter.count("<mjx-container") == 2 and "mjx-mfrac" in stylesheet(chapter)
    assert '<span class="eqno">(1)<a class="headerlink" href="#equation-loss"' in chapter
    assert 'url("../_static/mathjax/fonts/MathJax_AMS-Regular.woff?v=' in stylesheet(chapter)
    assert "MJX-CHTML" not in (site / "search.html").read_text(encoding="utf-8")

    fonts = sorted(p.name for p in (site / "_static" / "mathjax" / "fonts").iterdir())
    assert "MathJax_Fraktur-Bold.woff" not in fonts  # no page names it any more
    assert {"MathJax_Zero.woff", "MathJax_Main-Regular.woff", "MathJax_AMS-Regular.woff"} <= set(
        fonts
    )
    named = set(re.findall(r"MathJax_[\w-]+\.woff", stylesheet(intro) + stylesheet(chapter)))
    assert set(fonts) == named

    # Each address carries the version of the file shipped, so a browser never draws a new
    # formula with an old cut of the font cached under the same name.
    folder = site / "_static" / "mathjax" / "fonts"
    for name, version in re.findall(r"(MathJax_[\w-]+\.woff)\?v=(\w+)", stylesheet(chapter)):
        assert version == hashlib.sha256((folder / name).read_bytes()).hexdigest()[:12]

    before = {p: p.read_bytes() for p in site.rglob("*.html")}
    assert static_math.typeset_site(site, ROOT) == {}  # nothing left to typeset
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before

    (folder / "MathJax_AMS-Regular.woff").write_bytes(b"another cut")
    static_math.stamp_font_versions(site, folder)
    assert f"AMS-Regular.woff?v={hashlib.sha256(b'another cut').hexdigest()[:12]}" in (
        stylesheet((site / "chapters" / "one.html").read_text(encoding="utf-8"))
    )


def test_a_tex_error_is_reported_not_drawn(tmp_path):
    site = site_with(
        tmp_path,
        {"bad.html": page('<span class="math notranslate nohighlight">\\(\\foo + 1\\)</span>')},
    )
    assert static_math.typeset_site(site, ROOT) == {
        "bad.html": ["Undefined control sequence \\foo"]
    }
