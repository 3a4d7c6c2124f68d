"""``_ext/font_subset.py`` and its callers: web fonts cut to the characters a site draws."""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import font_subset  # noqa: E402
import offline_assets  # noqa: E402
import unused_css  # noqa: E402

MAIN = ROOT / "node_modules/mathjax/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"


def test_css_characters_reads_content_strings_and_their_escapes():
    css = (
        'mjx-c.mjx-c1D44A.TEX-I::before {padding: 0.683em 0 0 0;content: "W";}\n'
        'mjx-c.mjx-c2202::before {content: "\\2202";}\n'
        'mjx-stretchy-h.mjx-c23DF mjx-mid mjx-c::before {content: "\\E151\\E150";}\n'
        '.x::before {content: "\\1D44A a\\"";} .y {font-family: "not content";}'
    )
    assert font_subset.css_characters(css) == {
        ord("W"),
        0x2202,
        0xE151,
        0xE150,
        0x1D44A,
        ord("a"),
        ord('"'),
    }


def test_a_cut_font_keeps_exactly_the_glyphs_asked_for(tmp_path):
    target = tmp_path / "main.woff"
    assert font_subset.subset(MAIN, {ord("="), 0x2202, 0x1F600}, target)  # 😀: not in it
    cut = TTFont(target)
    assert cut.flavor == "woff"
    assert set(cut.getBestCmap()) == {ord("="), 0x2202}
    whole = TTFont(MAIN)
    for char in (ord("="), 0x2202):  # same advance width: the math is laid out the same
        name, whole_name = cut.getBestCmap()[char], whole.getBestCmap()[char]
        assert cut["hmtx"][name] == whole["hmtx"][whole_name]
    assert target.stat().st_size < MAIN.stat().st_size / 4
    assert not font_subset.subset(MAIN, {ord("="), 0x2202}, target)  # unchanged: not written


def test_icons_are_cut_to_the_classes_the_site_names(tmp_path):
    css = (
        '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
        '.fa-sun:before{content:"\\f185"}.fa-moon:before{content:"\\f186"}'
    )
    assert offline_assets.icon_characters(css, {"fa-bars", "fa-solid"}) == {0xF0C9}
    assert offline_assets.icon_characters(css, {"fa-navicon", "fa-moon"}) == {0xF0C9, 0xF186}
    site = tmp_path / "site"
    (site / "_static" / "scripts").mkdir(parents=True)
    (site / "a.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    (site / "_static" / "scripts" / "t.js").write_text('i.className="fa-sun"', encoding="utf-8")
    words = unused_css.used_words(site)
    assert offline_assets.icon_names(words) == {"fa-solid", "fa-bars", "fa-sun"}
