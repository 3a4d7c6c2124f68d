"""The site's layout as a reader sees it (_static/book.css and the theme settings in
_config.yml): one search entry point at each width, room for a 100-character code line,
the page's contents reachable at every width, and figures that are deliberate white cards
in dark mode. Every page's code blocks and phone layout are checked in test_pages.py."""

import pytest

pytestmark = pytest.mark.site

CHAPTER = "chapters/07_optimizers.html"

VISIBLE_SEARCH = """() => [...document.querySelectorAll(
        ".search-button__button, .search-button-field, form.bd-search")]
    .filter(e => !e.closest("dialog") && e.getClientRects().length > 0
                 && getComputedStyle(e).visibility !== "hidden")
    .map(e => e.className)"""


@pytest.mark.parametrize("width", [390, 800, 1100, 1280, 1600])
def test_one_search_entry_point_at_each_width(visit, width):
    page = visit(CHAPTER, width=width).page
    buttons = page.evaluate(VISIBLE_SEARCH)
    assert len(buttons) == 1, f"{width} px: {buttons}"
    # It opens the search dialog, by mouse and by its shortcut.
    page.locator(".search-button__button:visible").first.click()
    assert page.locator("#pst-search-dialog").evaluate("d => d.open")


def test_a_100_character_line_fits_the_code_column(visit):
    # ruff's line length for the chapters is 100; a line of that length must show in full.
    page = visit(CHAPTER, width=1280).page
    fits = page.evaluate(
        """() => {
            const pre = document.querySelector("main div.cell div.highlight pre");
            const saved = pre.textContent;
            pre.textContent = "x".repeat(100);
            const fits = pre.scrollWidth <= pre.clientWidth;
            pre.textContent = saved;
            return fits;
        }"""
    )
    assert fits


@pytest.mark.parametrize("width", [1280, 1600])
def test_the_page_contents_are_reachable(visit, width):
    # From 1500 px the contents are a column; below, the column gives its width to the
    # code, and the article header's button opens the contents instead.
    page = visit(CHAPTER, width=width).page
    toc = page.locator("#pst-page-toc-nav")
    if width >= 1500:
        assert toc.is_visible()
        assert page.locator(".secondary-toggle:visible").count() == 0
    else:
        assert not toc.is_visible()
        page.locator(".secondary-toggle:visible").click()
        assert page.locator("#pst-secondary-sidebar-modal").evaluate("d => d.open")
        assert toc.is_visible() and toc.locator("a").count() >= 3


FIGURES = """() => [...document.querySelectorAll(
        "main div.cell_output img, main .lecnotes-widget img.lw-frame")].map(img => {
    const s = getComputedStyle(img);
    const holder = img.closest(".text_html");
    return {widget: img.classList.contains("lw-frame"), filter: s.filter,
            background: s.backgroundColor, border: s.borderTopWidth,
            radius: parseFloat(s.borderTopLeftRadius), padding: s.paddingTop,
            slab: holder ? getComputedStyle(holder).backgroundColor : null};
})"""


def test_figures_are_white_cards_in_dark_mode_and_plain_in_light_mode(visit):
    # Figures are drawn on white; in dark mode they are framed white cards, dimmed a
    # little, with no grey slab behind the widget (the theme's default for HTML outputs).
    dark = visit(CHAPTER, color_scheme="dark").page.evaluate(FIGURES)
    assert {figure["widget"] for figure in dark} == {True, False}  # plain figures and frames
    for figure in dark:
        assert figure["background"] == "rgb(255, 255, 255)" and figure["border"] == "1px"
        assert figure["radius"] > 0 and figure["padding"] == "0px"
        assert figure["filter"] == "brightness(0.9)"
        assert figure["slab"] in (None, "rgba(0, 0, 0, 0)")
    light = visit(CHAPTER, color_scheme="light").page.evaluate(FIGURES)
    assert all(f["filter"] == "none" and f["border"] == "0px" for f in light)
