"""Benchmark every slider in the book: what it costs to make, and to move on the site.

For each chapter (and the introduction), the widget cells are found, the notebook's code
is run up to each of them in a fresh Python process of the notebook's own (as a reader's
kernel runs one notebook), and for every widget:

- yardstick: one frame's draw -- a reference figure (the introduction's, a line of 16
  markers with its axes, legend and title) rendered in full as a frame (figure, Agg,
  palette, WebP), in this process, median of three -- measured right before, so that every
  widget is judged in the same unit (about 0.07 s here: 1 s is about 14 of them); and the
  widget's own frame, the same way, for comparison;
- render: how long ``widgets.interact`` took, the first time (an empty frame cache: every
  frame drawn, in forked workers) and again (the frames stored by the first time: an
  unchanged re-execution, as in ``make book`` after an edit elsewhere in the chapter),
  whether the re-run reused them (not if drawing changed what ``draw`` reads, such as a
  memo it fills) and drew the same bytes;
- frames and payload: how many frames, their bytes as the notebook embeds them (base64
  ``data:`` URLs, the budget's measure) and as files (what the site serves, one file per
  frame, and what the live view sends);
- live view: how long building the ipywidgets view took (once, at display; moving a live
  slider involves no Python at all, see ``bench/lab.py`` for its latency in JupyterLab).

:func:`layered_demo` renders one figure both ways, as a plain ``draw`` and split with
``widgets.layered`` into a fixed part and what moves, and checks their frames are the same
bytes. :func:`browse_site` measures the other side, on a built site in Chromium: what each
page loads on a first visit, and how fast every static player swaps frames.

Numbers only; ``bench/run.py`` puts them in the table, with the budgets.
"""

from __future__ import annotations

import contextlib
import io
import math
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecnotes import frames, plotting  # noqa: E402
from lecnotes import widgets as lw  # noqa: E402
from lecnotes.widgets import PAYLOAD_BUDGET  # noqa: E402
from tools import chromium, execute  # noqa: E402  (execute reads intro.md as myst-nb does)

SOURCES = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]
BUDGET_KB = PAYLOAD_BUDGET / 1000  # frames per widget, as the notebook embeds them


def code_cells(path: Path) -> list[str]:
    """The code of a chapter notebook or of a MyST Markdown notebook, cell by cell."""
    return [c.source for c in execute.read_notebook(path).cells if c.cell_type == "code"]


def seconds(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def one_frame(draw, values: dict) -> float:
    """Seconds to draw and render one frame in full, here (median of three)."""
    return statistics.median(seconds(lambda: frames.to_frame(draw(**values)))[0] for _ in range(3))


# The introduction's figure, drawn whole and split into what is fixed and what moves.
STEPS = np.arange(16)


def descent_axes():
    fig, ax = plotting.figure()
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlim(-0.75, 15.75)
    ax.set_ylim(-2.2, 2.2)
    plotting.finish(ax, "", "step t (iterations)", "weight wₜ (unitless)", legend=False)
    return fig


def descent_curve(fig, lr):
    ax = fig.axes[0]
    ax.plot(STEPS, (1 - lr) ** STEPS, marker="o", label=f"lr = {lr:g}")
    ax.legend()
    ax.set_title(f"Gradient descent on w²/2, lr = {lr:g}")


def descent_whole(lr):
    fig = descent_axes()
    descent_curve(fig, lr)
    return fig


def measure_widget(draw, sliders: dict, store: Path) -> dict:
    """Numbers for ``widgets.interact(draw, **sliders)`` (see the module docstring)."""
    own = one_frame(draw, lw.Interactive(draw, sliders).start)
    reference = one_frame(descent_whole, {"lr": 0.4})
    os.environ["LECNOTES_FRAME_CACHE"] = str(store)
    cold_s, interactive = seconds(lambda: lw.interact(draw, **sliders))
    warm_s, again = seconds(lambda: lw.interact(draw, **sliders))
    # A re-run reads the stored frames unless drawing changed what draw reads (a memo it
    # fills): then their keys differ and every frame is drawn again, as it must be.
    live_s, _ = seconds(interactive.live)
    return {
        "draw": interactive.draw.__name__,
        "frames": interactive.frame_count,
        "payload_kb": round(interactive.payload_bytes / 1000, 1),
        "file_kb": round(interactive.file_bytes / 1000, 1),
        "one_frame_s": round(own, 3),
        "reference_frame_s": round(reference, 3),
        "cold_s": round(cold_s, 3),
        "warm_s": round(warm_s, 3),
        "cached": interactive.keys is not None,
        "reused": again.drawn == 0,
        "same_frames_again": again.frames() == interactive.frames(),
        "live_view_ms": round(1000 * live_s, 1),
    }


def run(path: Path, store: Path) -> tuple[list[dict], list[str]]:
    """The rows of one notebook's widgets, and its checks (``assert``) that failed."""
    failed_checks = []
    with contextlib.redirect_stdout(io.StringIO()):  # the chapters' own prints
        return _run(path, store, failed_checks), failed_checks


def _run(path: Path, store: Path, failed_checks: list[str]) -> list[dict]:
    results, namespace = [], {"__name__": "__main__"}
    os.chdir(path.parent)
    for number, source in enumerate(code_cells(path), start=1):
        lines = [ln for ln in source.splitlines() if not ln.startswith(("%", "!"))]
        code = "\n".join(lines)
        if "widgets.interact(" in code and lines:
            # The cell's last expression is the widget: take its draw and sliders.
            *body, last = ("\n" + code).rsplit("\nwidgets.interact(", 1)
            exec("\n".join(body), namespace)  # noqa: S102 - running our own chapters
            draw, sliders = eval("(lambda d, /, **s: (d, s))(" + last, namespace)  # noqa: S307
            row = {"page": path.name, "cell": number}
            results.append(row | measure_widget(draw, sliders, store / f"{path.stem}-{number}"))
        else:
            try:
                exec(code, namespace)  # noqa: S102
            except AssertionError as error:
                # Reported as a problem, and the notebook's widgets still measured.
                failed_checks.append(f"{path.name} cell {number}: {error}")
    return results


def run_all(failed_checks: list[str]) -> list[dict]:
    """One row of numbers per widget in the book; a chapter's assertion that fails is
    appended to ``failed_checks`` and the chapter goes on.

    Each notebook runs in a fresh process, one after the other, as a reader's kernel runs
    one notebook (spawned: a fork would inherit this process's memory allocator, in the
    state its last frees left it). In one shared process, what the notebooks before had
    allocated and freed would change how long the later ones take: glibc's malloc moves its
    thresholds for handing memory back to the system after large frees, and whether a new
    array then costs page faults depends on them (chapter 2's former timings of autograd's
    passes failed their check in such states). About 1 s of CPU a notebook (imports).
    """
    spawn = multiprocessing.get_context("spawn")
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="lecnotes-frames-") as tmp,
        ProcessPoolExecutor(1, mp_context=spawn, max_tasks_per_child=1) as fresh,
    ):
        for path in SOURCES:
            notebook_rows, failed = fresh.submit(run, path, Path(tmp)).result()
            rows += notebook_rows
            failed_checks += failed
    return rows


def layered_demo() -> dict:
    """The same 12-frame widget drawn whole and split with ``widgets.layered``."""
    sliders = {"lr": lw.linear_slider(0.0, 2.2, 0.2, value=0.4)}
    saved = os.environ.get("LECNOTES_FRAME_CACHE")
    os.environ["LECNOTES_FRAME_CACHE"] = "off"
    try:
        yardstick = one_frame(descent_whole, {"lr": 0.4})
        whole_s, whole = seconds(lambda: lw.interact(descent_whole, **sliders))
        split_s, split = seconds(
            lambda: lw.interact(lw.layered(descent_axes, descent_curve), **sliders)
        )
    finally:
        os.environ.pop("LECNOTES_FRAME_CACHE", None)
        if saved is not None:
            os.environ["LECNOTES_FRAME_CACHE"] = saved
    return {
        "frames": whole.frame_count,
        "one_frame_s": round(yardstick, 3),
        "whole_s": round(whole_s, 3),
        "layered_s": round(split_s, 3),
        "identical": whole.frames() == split.frames(),
    }


def main() -> None:
    failed_checks = []
    rows = run_all(failed_checks)
    print(*failed_checks, sep="\n")
    print(
        f"{'page':28} {'widget':18} {'frames':>6} {'KB b64':>7} {'1 frame':>7} {'cold s':>7} "
        f"{'warm s':>7}"
    )
    for r in rows:
        print(
            f"{r['page']:28} {r['draw']:18} {r['frames']:6d} {r['payload_kb']:7.1f} "
            f"{r['one_frame_s']:7.3f} {r['cold_s']:7.3f} {r['warm_s']:7.3f}"
        )
    print("layered demo:", layered_demo())


if __name__ == "__main__":
    main()


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


def p90(values: list[float]) -> float:
    """The 90th percentile of ``values`` (nearest rank: at least 90 % of them are <= it)."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


# The browser's frame interval, ms (median of 30): the yardstick of a slider's update.
FRAME_JS = """async () => {
  const next = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const times = [];
  let last = await next();
  for (let i = 0; i < 30; i++) { const now = await next(); times.push(now - last); last = now; }
  return times.sort((a, b) => a - b)[15];
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
    if not chromium.CHROMIUM.exists():
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
            browser = chromium.launch(playwright)
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
                    frame_ms = page.evaluate(FRAME_JS)
                    times = sorted(page.evaluate(SWEEP_JS, k))
                    sliders.append(
                        {
                            "page": html.stem,
                            "widget": k,
                            "site_median_ms": round(statistics.median(times), 1),
                            "site_p90_ms": round(p90(times), 1),
                            "site_frame_ms": round(frame_ms, 2),
                        }
                    )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {"pages": pages, "sliders": sliders}
