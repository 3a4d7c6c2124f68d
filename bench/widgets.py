"""Benchmark every slider in the book: live update latency and static frame payload.

For each chapter (and the introduction), the widget cells are found, the notebook's code
is run up to each of them in one Python process, and for every widget:

- live latency: moving each live slider through all of its positions, the time from the
  value change to the new picture (callback plus redraw), median and 90th percentile;
- static payload: the bytes of embedded frames, and the frame count;
- render time: how long rendering every static frame took.

Numbers only; nothing here passes or fails. Results also go to bench/results/widgets.json.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecnotes import widgets  # noqa: E402

SOURCES = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]


def code_cells(path: Path) -> list[str]:
    """The code of a chapter notebook, or of the ``{code-cell}`` blocks of a MyST page."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "code"]
    blocks, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{code-cell}"):
            current = []
        elif line.startswith("```") and current is not None:
            blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def measure_widget(interactive: widgets.Interactive) -> dict:
    start = time.perf_counter()
    interactive.frames()
    render_s = time.perf_counter() - start
    box = interactive.live()
    latencies = []
    for control in box.children[:-1]:
        for index in [*range(len(control.options)), control.value]:
            start = time.perf_counter()
            control.value = index
            latencies.append(time.perf_counter() - start)
    latencies.sort()
    return {
        "frames": interactive.frame_count,
        "payload_kb": round(interactive.payload_bytes / 1000, 1),
        "render_all_s": round(render_s, 2),
        "live_median_ms": round(1000 * statistics.median(latencies), 1),
        "live_p90_ms": round(1000 * latencies[int(0.9 * (len(latencies) - 1))], 1),
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
            *body, last = code.rsplit("\nwidgets.interact(", 1)
            exec("\n".join(body), namespace)  # noqa: S102 - running our own chapters
            interactive = eval("widgets.interact(" + last, namespace)  # noqa: S307
            row = {"page": path.name, "cell": number, "draw": interactive.draw.__name__}
            results.append(row | measure_widget(interactive))
        else:
            exec(code, namespace)  # noqa: S102
    return results


def main() -> None:
    rows = [row for path in SOURCES for row in run(path)]
    print(f"{'page':28} {'widget':12} {'frames':>6} {'KB':>7} {'render s':>8} ", end="")
    print(f"{'median ms':>9} {'p90 ms':>7}")
    for r in rows:
        print(
            f"{r['page']:28} {r['draw']:12} {r['frames']:6d} {r['payload_kb']:7.1f} "
            f"{r['render_all_s']:8.2f} {r['live_median_ms']:9.1f} {r['live_p90_ms']:7.1f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    machine = {"cpus": os.cpu_count(), "processor": platform.processor(), "python": sys.version}
    (out / "widgets.json").write_text(json.dumps({"machine": machine, "widgets": rows}, indent=2))
    print(f"wrote {out / 'widgets.json'}")


if __name__ == "__main__":
    main()
