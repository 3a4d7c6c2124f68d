"""``_ext/unused_css.py``: which of the theme's rules can an element of the site match?

A rule dropped wrongly changes how a page looks, so each way a selector can still match
(another selector of its list, a class under ``:not``, alternatives under ``:is``) is
checked here; the browser tests and axe check the pages themselves.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import unused_css  # noqa: E402

USED = {"btn", "show", "bd-sidebar"}


def dropped(css: str) -> str:
    return unused_css.drop_unused_rules(css, USED)


def test_a_rule_naming_an_unused_class_goes_and_one_naming_used_classes_stays():
    css = ".btn{color:red}.carousel{color:blue}.btn.show{color:green}.btn .toast{x:1}"
    assert dropped(css) == ".btn{color:red}.btn.show{color:green}"


def test_a_selector_list_stays_when_one_of_its_selectors_can_match():
    assert dropped(".toast,.btn{a:1}") == ".toast,.btn{a:1}"
    assert dropped(".toast,.modal{a:1}") == ""


def test_classes_under_not_are_not_required():
    assert dropped(".btn:not(.disabled){a:1}") == ".btn:not(.disabled){a:1}"
    # The comma inside :not does not split the selector list.
    assert dropped(".btn:not(.disabled,.active){a:1}") == ".btn:not(.disabled,.active){a:1}"
    assert dropped(".toast:not(.btn){a:1}") == ""


def test_alternatives_are_kept_as_they_are():
    assert dropped(":is(.toast,.btn) p{a:1}") == ":is(.toast,.btn) p{a:1}"
    assert dropped(":where(.toast) p{a:1}") == ":where(.toast) p{a:1}"


def test_rules_without_classes_and_at_rules_stay():
    css = (
        '@charset "UTF-8";:root{--x:1}html[data-theme=dark] pre{a:1}'
        "@font-face{font-family:x;src:url(x.woff)}@keyframes spin{to{b:2}}"
    )
    assert dropped(css) == css


def test_grouping_rules_are_judged_inside_and_go_when_empty():
    css = "@media (min-width:960px){.bd-sidebar{a:1}.toast{b:2}}@media print{.modal{c:3}}"
    assert dropped(css) == "@media (min-width:960px){.bd-sidebar{a:1}}"


def test_licence_notices_stay_where_they_are_and_other_comments_go():
    css = "/*! Bootstrap, MIT */.btn{a:1}/* a note */.toast{b:2}/*# sourceMappingURL=x.map */"
    assert dropped(css) == "/*! Bootstrap, MIT */.btn{a:1}"


def test_used_words_come_from_the_pages_and_the_scripts(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text('<div class="bd-sidebar x-1">text</div>')
    (tmp_path / "_static" / "theme.js").write_text('el.classList.add("show");')
    (tmp_path / "_static" / "theme.css").write_text(".toast{a:1}")
    words = unused_css.used_words(tmp_path)
    assert {"bd-sidebar", "x-1", "show", "classList", "div"} <= words
    assert "toast" not in words


def test_a_class_a_script_completes_from_a_prefix_counts_as_used():
    # Bootstrap's tooltips add `bs-${NAME}-auto`: the script holds the word "bs-".
    css = ".bs-tooltip-auto .tooltip-arrow{a:1}.bs-popover-auto{b:2}"
    assert unused_css.drop_unused_rules(css, {"bs-", "tooltip-arrow"}) == css
    assert unused_css.drop_unused_rules(css, {"bs", "tooltip-arrow"}) == ""
