"""Benchmark every slider in the book: what it costs to make, and to move on the site.

For each chapter (and the introduction), the widget cells are found, the notebook's code
is run up to each of them in one Python process, and for every widget:

- frames and payload: how many frames, their bytes as the notebook embeds them (base64
  ``data:`` URLs, the budget's measure) and as files (what the site serves, one file per
  frame, and what the live view sends);
- render time: how long ``widgets.interact`` took, which renders every frame (once, when
  the cell runs);
- live view: how long building the ipywidgets view took (once, at display; moving a live
  slider involves no Python at all, see ``bench/lab.py`` for its latency in JupyterLab).

:func:`browse_site` measures the other side, on a built site in Chromium: what each page
loads on a first visit, and how fast every static player swaps frames.

Numbers only; ``bench/run.py`` puts them in the table, with the budgets.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecnotes.widgets import PAYLOAD_BUDGET  # noqa: E402
from tools import execute  # noqa: E402  (reads intro.md as myst-nb does)

SOURCES = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]
BUDGET_KB = PAYLOAD_BUDGET / 1000  # frames per widget, as the notebook embeds them


def code_cells(path: Path) -> list[str]:
    """The code of a chapter notebook or of a MyST Markdown notebook, cell by cell."""
    return [c.source for c in execute.read_notebook(path).cells if c.cell_type == "code"]


def measure_widget(make: str, namespace: dict) -> dict:
    """Numbers for the widget that the expression ``make`` (``widgets.interact(...)``) makes."""
    start = time.perf_counter()
    interactive = eval(make, namespace)  # noqa: S307 - our own chapters
    render_s = time.perf_counter() - start
    start = time.perf_counter()
    interactive.live()
    live_s = time.perf_counter() - start
    return {
        "draw": interactive.draw.__name__,
        "frames": interactive.frame_count,
        "payload_kb": round(interactive.payload_bytes / 1000, 1),
        "file_kb": round(interactive.file_bytes / 1000, 1),
        "render_all_s": round(render_s, 2),
        "live_view_ms": round(1000 * live_s, 1),
    }


def run(path: Path) -> list[dict]:
    with contextlib.redirect_stdout(io.StringIO()):  # the chapters' own prints
        return _run(path)


def _run(path: Path) -> list[dict]:
    results, namespace = [], {"__name__": "__main__"}
    os.chdir(path.parent)
    for number, source in enumerate(code_cells(path), start=1):
        lines = [ln for ln in source.splitlines() if not ln.startswith(("%", "!"))]
        code = "\n".join(lines)
        if "widgets.interact(" in code and lines:
            # Evaluate the cell's last expression: the Interactive it would display.
            *body, last = ("\n" + code).rsplit("\nwidgets.interact(", 1)
            exec("\n".join(body), namespace)  # noqa: S102 - running our own chapters
            row = {"page": path.name, "cell": number}
            results.append(row | measure_widget("widgets.interact(" + last, namespace))
        else:
            exec(code, namespace)  # noqa: S102
    return results


def run_all() -> list[dict]:
    """One row of numbers per widget in the book."""
    cwd = os.getcwd()
    try:
        return [row for path in SOURCES for row in run(path)]
    finally:
        os.chdir(cwd)


def main() -> None:
    rows = run_all()
    print(
        f"{'page':28} {'widget':18} {'frames':>6} {'KB b64':>7} {'KB file':>7} {'render s':>8} "
        f"{'live ms':>8}"
    )
    for r in rows:
        print(
            f"{r['page']:28} {r['draw']:18} {r['frames']:6d} {r['payload_kb']:7.1f} "
            f"{r['file_kb']:7.1f} {r['render_all_s']:8.2f} {r['live_view_ms']:8.1f}"
        )


if __name__ == "__main__":
    main()


CHROMIUM = Path("/usr/bin/chromium")

# Moves every slider of one widget through all positions; per move, the milliseconds from
# the input event until the new frame is decoded (what a reader waits for).
SWEEP_JS = """async (index) => {
  const root = document.querySelectorAll("[data-lecnotes-widget]")[index];
  const view = root.querySelector(".lw-frame");
  const times = [];
  for (const input of root.querySelectorAll("input[type=range]")) {
    const start = input.value;
    for (const value of [...Array(Number(input.max) + 1).keys(), start]) {
      const t0 = performance.now();
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      if (view.decode) await view.decode();
      times.push(performance.now() - t0);
    }
  }
  return times;
}"""


# Bytes of the page and of everything it loaded (the server does not compress).
PAGE_BYTES_JS = """async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return entries.reduce((sum, e) => sum + e.encodedBodySize, 0);
}"""


def browse_site(site: Path) -> dict:
    """Open every page of the built site in Chromium, as a first-time visitor.

    Returns ``pages``: bytes each page loaded (every response: HTML, scripts, styles, fonts,
    images, MathJax's modules), and ``sliders``: for every widget, the static player's update
    latency. Empty when Chromium (the Debian package ``chromium``) is not installed.
    """
    if not CHROMIUM.exists():
        return {"pages": {}, "sliders": []}
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages, sliders = {}, []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            for html in sorted(site.rglob("*.html")):
                name = html.relative_to(site).as_posix()
                if "_static" in html.parts or name == "index.html":  # index: a redirect
                    continue
                context = browser.new_context()  # empty cache: a first visit
                page = context.new_page()
                page.goto(f"{base}/{name}", wait_until="load")
                page.evaluate(PAGE_BYTES_JS)  # waits for MathJax to finish typesetting
                page.wait_for_load_state("networkidle")  # fonts it asked for
                pages[name] = page.evaluate(PAGE_BYTES_JS)
                for k in range(page.locator("[data-lecnotes-widget]").count()):
                    times = sorted(page.evaluate(SWEEP_JS, k))
                    sliders.append(
                        {
                            "page": html.stem,
                            "widget": k,
                            "site_median_ms": round(statistics.median(times), 1),
                            "site_p90_ms": round(times[int(0.9 * (len(times) - 1))], 1),
                        }
                    )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {"pages": pages, "sliders": sliders}
