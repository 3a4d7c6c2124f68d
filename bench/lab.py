"""Live sliders as a reader uses them: in JupyterLab, in Chromium, end to end.

A JupyterLab server runs on a throwaway copy of the notebooks (``intro.md`` converted to a
notebook, as myst-nb reads it). For each one, Chromium opens it, runs all cells, and moves
every control of every widget through all its positions (arrow keys on sliders, clicks on
buttons). One move is timed from the input event to the next frame painted after the
widget's DOM changed, which is when the new picture shows: sliders swap pictures in the
browser (``jslink`` to ``Stack`` widgets, see ``lecnotes.widgets``), so no kernel is
involved.

Empty when Chromium (the Debian package ``chromium``) is not installed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from widgets import FRAME_JS, p90  # noqa: E402  (bench/widgets.py)

from tools import chromium  # noqa: E402
from tools.jupyterlab import copy_notebooks, running_lab  # noqa: E402

# Timestamps every input event, and the first painted frame after a widget's DOM changed.
PROBE_JS = """(index) => {
  const box = document.querySelectorAll(".jp-Notebook .lecnotes-live")[index];
  window.__moves = [];
  const stamp = () => { window.__t0 = performance.now(); };
  document.addEventListener("keydown", stamp, true);
  document.addEventListener("mousedown", stamp, true);
  const observer = new MutationObserver(() => {
    if (window.__t0 === undefined) return;
    const t0 = window.__t0;
    window.__t0 = undefined;
    requestAnimationFrame(() => window.__moves.push(performance.now() - t0));
  });
  observer.observe(box, {attributes: true, childList: true, subtree: true});
  window.__stop = () => {
    observer.disconnect();
    document.removeEventListener("keydown", stamp, true);
    document.removeEventListener("mousedown", stamp, true);
  };
}"""


def move_everything(page, box) -> None:
    """Every control of one widget box through all positions and back to the start."""
    for slider in box.locator(".widget-slider, .widget-hslider").all():
        handle = slider.locator(".noUi-handle")
        handle.click()
        page.wait_for_timeout(300)
        for key in ["Home"] + ["ArrowRight"] * 64 + ["Home"]:
            before = handle.get_attribute("aria-valuenow")
            page.keyboard.press(key)
            page.wait_for_timeout(120)
            if key == "ArrowRight" and handle.get_attribute("aria-valuenow") == before:
                break  # at the right end
    for buttons in box.locator(".widget-toggle-buttons").all():
        options = buttons.locator("button").all()
        for button in [*options[1:], options[0]] * 3:  # three rounds: a median of a few moves
            button.click()
            page.wait_for_timeout(120)


def measure(page, url: str, folder: Path, name: str) -> list[dict]:
    nb = nbformat.read(folder / name, as_version=4)
    expected = sum("widgets.interact(" in c.source for c in nb.cells if c.cell_type == "code")
    page.goto(f"{url}/lab/workspaces/bench/tree/{name}?reset", wait_until="load")
    page.wait_for_selector(".jp-Notebook >> visible=true", timeout=60_000)
    page.wait_for_timeout(2000)
    page.click("text=Run")
    page.click("text=Run All Cells")
    boxes = page.locator(".jp-Notebook .lecnotes-live")
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-Notebook .lecnotes-live img').length >= n",
        arg=expected,
        timeout=180_000,
    )
    page.wait_for_timeout(1000)
    rows = []
    for k in range(boxes.count()):
        box = boxes.nth(k)
        box.scroll_into_view_if_needed()
        frame_ms = page.evaluate(FRAME_JS)
        page.evaluate(PROBE_JS, k)
        move_everything(page, box)
        page.wait_for_timeout(300)
        moves = sorted(page.evaluate("() => { window.__stop(); return window.__moves; }"))
        rows.append({
            "page": Path(name).stem, "widget": k, "moves": len(moves),
            "lab_median_ms": round(statistics.median(moves), 1) if moves else None,
            "lab_p90_ms": round(p90(moves), 1) if moves else None,
            "lab_frame_ms": round(frame_ms, 2),
        })  # fmt: skip
    return rows


def run() -> list[dict]:
    if not chromium.CHROMIUM.exists():
        return []
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="lecnotes-lab-") as tmp:
        folder = Path(tmp)
        names = copy_notebooks(folder)
        with running_lab(folder) as (url, token):
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(f"{url}/lab?token={token}", wait_until="load")
                rows = [row for name in names for row in measure(page, url, folder, name)]
                browser.close()
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
