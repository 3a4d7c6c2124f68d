"""What a learner meets after ``make lab``: the chapters in JupyterLab, driven by Chromium.

A JupyterLab server from the project's environment (jupyterlab-myst, the settings ``make
deps`` installs) runs on a throwaway copy of two chapters (``tools/jupyterlab.py``), with
empty user settings, as on a first start. Checked there:

- the chapters' MyST renders: chapter 2's goals admonition is a box (an ``<aside>`` with a
  border), not text; its ``{cite}`` role is a citation, not raw markup;
- no news pop-up covers the page;
- opening and closing a chapter leaves its file byte-identical (no "save your changes?");
- a self-check question is a box whose answer stays closed until clicked;
- before a widget cell runs, its stored output says to run it;
- editing a widget to a value the chapter did not precompute prints one clear line.
"""

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from lecnotes.widgets import RUN_HINT
from tools.jupyterlab import ROOT, copy_notebooks, running_lab

pytestmark = pytest.mark.site

CHAPTER_2 = ROOT / "chapters" / "02_backprop.ipynb"
CHAPTER_8 = ROOT / "chapters" / "08_learning_rates.ipynb"


@pytest.fixture(scope="module")
def lab(browser):
    """(page, base URL, token, folder) of a JupyterLab on copies of chapters 2 and 8."""
    if shutil.which("jupyter-labextension") is None:
        pytest.skip("JupyterLab is not installed")
    with tempfile.TemporaryDirectory(prefix="lecnotes-lab-test-") as tmp:
        folder = Path(tmp)
        copy_notebooks(folder, [CHAPTER_2, CHAPTER_8])
        with running_lab(folder) as (url, token):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"{url}/lab?token={token}", wait_until="load")
            page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
            yield page, url, token, folder
            context.close()


def open_notebook(page, url, name):
    """Open ``name`` alone: ``?reset`` starts from an empty workspace, so a notebook closed just
    before (whose closing the workspace may not have saved yet) is not restored beside it."""
    page.goto(f"{url}/lab/tree/{name}?reset", wait_until="load")
    page.wait_for_selector(".jp-Notebook .jp-Cell >> visible=true", timeout=60_000)
    expect(page.locator(".jp-Notebook")).to_have_count(1)
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell .myst", timeout=60_000)
    # The kernel starts and the document settles (a rewrite would mark it dirty now).
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.wait_for_timeout(1500)


def drawn_text(locator, timeout=30_000):
    """The locator's innerText once the browser has drawn it.

    JupyterLab's default windowing (``contentVisibility``) gives each cell
    ``content-visibility: auto``: a cell scrolled into view is drawn a frame or more later,
    and until then its innerText is empty.
    """
    locator.scroll_into_view_if_needed()
    expect(locator).not_to_have_text(re.compile(r"^\s*$"), use_inner_text=True, timeout=timeout)
    return locator.inner_text()


def current_tab(page):
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current")


def test_chapter_markup_renders_and_closing_leaves_the_file_unchanged(lab):
    page, url, _, folder = lab
    copy = folder / CHAPTER_2.name
    before = copy.read_bytes()
    assert before == CHAPTER_2.read_bytes()
    open_notebook(page, url, CHAPTER_2.name)
    first = page.locator(".jp-Notebook .jp-MarkdownCell").first
    # The admonition is a box: an <aside> with a coloured left border, around the list.
    # (Polled: jupyterlab-myst may render a cell again once the document settles.)
    box = page.wait_for_function(
        """() => {
            const cell = document.querySelector(".jp-Notebook .jp-MarkdownCell");
            const boxes = cell ? cell.querySelectorAll(".myst aside.myst-admonition") : [];
            if (boxes.length !== 1) return false;
            const s = getComputedStyle(boxes[0]), r = boxes[0].getBoundingClientRect();
            if (!(parseFloat(s.borderLeftWidth) >= 2 && r.height > 100)) return false;
            return {title: boxes[0].querySelector(".myst-admonition-header").innerText,
                    items: boxes[0].querySelectorAll("li").length};
        }""",
        timeout=30_000,
    ).json_value()
    assert box == {"title": "What you will be able to do", "items": 4}, box
    text = first.locator(".myst").inner_text()
    assert ":class:" not in text and "{admonition}" not in text and "```" not in text
    # The citation is rendered (JupyterLab has no bibliography: it shows the key).
    assert "{cite}" not in text and "manning2019cs224n" in text
    assert first.locator(".myst code", has_text="manning2019cs224n").count() == 0
    # Math is typeset, not left as TeX (in a later cell, drawn when the browser is idle).
    expect(
        page.locator(
            ".jp-Notebook .jp-MarkdownCell .myst .MathJax, "
            ".jp-Notebook .jp-MarkdownCell .myst mjx-container, "
            ".jp-Notebook .jp-MarkdownCell .myst .katex"
        ).first
    ).to_be_attached(timeout=30_000)
    # No news pop-up (tools/jupyterlab-settings.json5) and no unsaved marker.
    assert "Jupyter news" not in page.locator("body").inner_text()
    assert "jp-mod-dirty" not in (current_tab(page).get_attribute("class") or "")
    current_tab(page).locator(".lm-TabBar-tabCloseIcon").click()
    # Closed, or stopped by a "save your changes?" dialog.
    page.wait_for_function(
        "() => document.querySelector('.jp-Dialog') || !document.querySelector('.jp-Notebook')"
    )
    assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
    assert page.locator(".jp-Notebook").count() == 0
    assert copy.read_bytes() == before


def test_a_self_check_is_a_box_with_its_answer_closed_until_clicked(lab):
    page, url, _, _ = lab
    open_notebook(page, url, CHAPTER_2.name)
    # Found and clicked inside one script, polled: jupyterlab-myst may render the cell again
    # once the document settles, which detaches what a locator held.
    state = """(click) => {
        const box = [...document.querySelectorAll(
            ".jp-Notebook .jp-MarkdownCell .myst aside.myst-admonition.lecnotes-check")]
            .find(b => b.innerText.includes("Check yourself 1:"));
        const answer = box && box.querySelector("details");
        if (!answer || !answer.querySelector("summary").innerText.trim()) return false;
        if (click) answer.querySelector("summary").click();
        return {summary: answer.querySelector("summary").innerText.trim(), open: answer.open,
                length: answer.innerText.trim().length};
    }"""
    cell = page.locator(".jp-Notebook .jp-MarkdownCell").filter(has_text="Check yourself 1:")
    expect(cell).to_have_count(1, timeout=60_000)
    for _ in range(5):  # scrolled into view, so that the browser draws it
        try:
            cell.scroll_into_view_if_needed(timeout=5_000)
            break
        except PlaywrightError:  # rendered again while scrolling: find it anew
            page.wait_for_timeout(500)
    closed = page.wait_for_function(state, arg=False, timeout=60_000).json_value()
    assert closed["summary"] == "Answer" and not closed["open"], closed
    opened = page.wait_for_function(state, arg=True, timeout=30_000).json_value()
    assert opened["open"] and opened["length"] > len("Answer") + 20, opened


def test_a_stored_widget_says_to_run_it_and_a_bad_value_prints_one_line(lab):
    page, url, _, _ = lab
    open_notebook(page, url, CHAPTER_8.name)
    hints = page.locator(".jp-Notebook .lecnotes-widget .lw-hint")
    # JupyterLab adds cells to the page when the browser is idle: wait for the widget's.
    expect(hints.first).to_be_attached(timeout=60_000)
    assert drawn_text(hints.first).strip() == RUN_HINT
    assert hints.first.is_visible()
    # Run everything, then change the widget cell to learning rates the chapter never ran.
    page.click("text=Run")
    page.click("text=Run All Cells")
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .lecnotes-live').length >= 1"
        " && ![...document.querySelectorAll('.jp-InputPrompt')]"
        ".some(p => p.textContent.includes('*'))",
        timeout=180_000,
    )
    cell = page.locator(".jp-Notebook .jp-CodeCell").filter(has_text="draw_constant, lr=")
    assert cell.count() == 1
    source = drawn_text(cell.locator(".cm-content"))
    edited = re.sub(r"log_slider\(1e-4, 100\.0, 13, value=3\.16", "log_slider(0.05, 5.0, 5", source)
    assert "log_slider(0.05, 5.0, 5, label=" in edited, source
    assert edited != source
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(edited)
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    output.first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    text = drawn_text(cell.locator(".jp-OutputArea"))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith("DrawError: draw_constant(lr=0.05) raised KeyError"), line
    assert len(line) < 200 and "Traceback" not in line and "Interactive at 0x" not in line
