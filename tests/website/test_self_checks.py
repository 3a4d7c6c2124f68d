"""Self-check questions on the built site: present in every chapter, answers closed until the
reader opens them (by mouse or keyboard, with no script), and light on the page.

The questions' form and their numbers are checked in the notebooks by
tests/test_self_checks.py; here, what a reader of the site gets.
"""

import pytest
from bs4 import BeautifulSoup

from tests.website.conftest import SITE

pytestmark = pytest.mark.site

CHAPTERS = sorted(p.relative_to(SITE).as_posix() for p in (SITE / "chapters").glob("*.html"))
BUDGET = 50_000  # bytes the questions may add to a first visit (issue 28)


def blocks(path: str):
    soup = BeautifulSoup((SITE / path).read_text(encoding="utf-8"), "html.parser")
    return soup.select("div.admonition.lecnotes-check")


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chapter_asks_three_to_five_questions_with_closed_answers(site, path):
    found = blocks(path)
    assert 3 <= len(found) <= 5, f"{path}: {len(found)} self-check questions"
    for n, block in enumerate(found, start=1):
        title = block.select_one(".admonition-title").get_text(" ", strip=True)
        assert title.startswith(f"Check yourself {n}:"), title
        (answer,) = block.select("details")
        assert answer.select_one("summary").get_text(" ", strip=True).startswith("Answer")
        assert not answer.has_attr("open"), f"{path}: answer {n} is open before it is asked"
        assert answer.get_text(strip=True) != "Answer", f"{path}: answer {n} is empty"


@pytest.mark.parametrize("path", CHAPTERS)
def test_the_questions_add_little_to_a_page(site, path):
    size = sum(len(str(block).encode("utf-8")) for block in blocks(path))
    assert size <= BUDGET, f"{path}: the questions' markup is {size} bytes"


def test_an_answer_opens_by_keyboard_and_closes_again(visit):
    page = visit(CHAPTERS[0]).page
    block = page.locator("div.admonition.lecnotes-check").first
    details, summary = block.locator("details"), block.locator("details summary")
    body = details.locator(".sd-summary-content")
    block.scroll_into_view_if_needed()
    assert not details.evaluate("d => d.open") and not body.is_visible()
    summary.focus()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") and body.is_visible()
    assert body.inner_text().strip()
    page.keyboard.press("Space")
    assert not details.evaluate("d => d.open")
