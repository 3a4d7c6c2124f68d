"""Run All of each chapter alone, as a learner's kernel runs it: one kernel, nothing else.

Every notebook (``intro.md`` and the chapters) is executed in a fresh kernel, one at a time,
twice: first with an empty frame cache (the first Run All on a machine: every widget frame
drawn), then again with the frames the first run stored (an unchanged re-run). A cell added
before the notebook's first records, at every cell's start and end, the kernel's CPU time
and that of the processes it waited for (the forked frame renderers), so each Run All splits
into kernel start-up, the chapter's own cells and its widget cells.

Yardstick, measured in the same run: Run All of a notebook holding only the book's usual
import cell (a kernel's start-up, the imports, the style), median of three.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import execute  # noqa: E402

NOTEBOOKS = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]
IMPORTS = "import numpy as np\n\nfrom lecnotes import plotting, widgets\n\nplotting.apply_style()"
RECORD = """\
import json as _json, os as _os, time as _time
_marks = []
def _mark(*_):
    t = _os.times()
    _marks.append([t.user + t.system + t.children_user + t.children_system, _time.perf_counter()])
get_ipython().events.register("pre_run_cell", _mark)
get_ipython().events.register("post_run_cell", _mark)
_t = _os.times()
print(_json.dumps([_t.user + _t.system, _time.perf_counter()]))"""
REPORT = "print(_json.dumps(_marks))"


def run_all(source: Path, store: Path) -> dict:
    """Execute ``source`` in a fresh kernel with frames stored in ``store``; the split."""
    nb = execute.read_notebook(source)
    codes = [c.source for c in nb.cells if c.cell_type == "code"]
    nb.cells = [nbformat.v4.new_code_cell(RECORD), *nb.cells, nbformat.v4.new_code_cell(REPORT)]
    os.environ["LECNOTES_FRAME_CACHE"] = str(store)
    start = time.perf_counter()
    execute.run_notebook(nb, source.parent, timeout=600)
    wall = time.perf_counter() - start
    startup_cpu, first = json.loads(nb.cells[0].outputs[0]["text"])
    marks = json.loads(nb.cells[-1].outputs[0]["text"])[1:-1]  # the chapter's own cells
    cells = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(marks[::2], marks[1::2], strict=True)]
    widget = [c for c, code in zip(cells, codes, strict=True) if "widgets.interact(" in code]
    return {
        "wall_s": round(wall, 2),
        "cells_s": round(sum(w for _, w in cells), 2),
        "startup_cpu_s": round(startup_cpu, 2),
        "cells_cpu_s": round(sum(c for c, _ in cells), 2),
        "widget_cells_cpu_s": round(sum(c for c, _ in widget), 2),
        "widget_cells_s": round(sum(w for _, w in widget), 2),
    }


def yardstick(store: Path) -> float:
    """Seconds of Run All of a notebook holding only the usual import cell (median of 3)."""
    with tempfile.TemporaryDirectory(prefix="lecnotes-empty-") as tmp:
        path = Path(tmp) / "imports.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}  # fmt: skip
        nb.cells = [nbformat.v4.new_code_cell(IMPORTS)]
        nbformat.write(nb, path)
        return round(statistics.median(run_all(path, store)["wall_s"] for _ in range(3)), 2)


def run() -> dict:
    """Each notebook's Run All, cold and warm, and the yardstick."""
    saved = os.environ.get("LECNOTES_FRAME_CACHE")
    try:
        with tempfile.TemporaryDirectory(prefix="lecnotes-frames-") as tmp:
            rows = []
            for source in NOTEBOOKS:
                store = Path(tmp) / source.stem
                cold, warm = run_all(source, store), run_all(source, store)
                rows.append({"page": source.name, "cold": cold, "warm": warm})
            return {"imports_s": yardstick(Path(tmp) / "imports"), "notebooks": rows}
    finally:
        if saved is None:
            os.environ.pop("LECNOTES_FRAME_CACHE", None)
        else:
            os.environ["LECNOTES_FRAME_CACHE"] = saved


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
