"""What maintainers wait for: building the book and running the tests.

Everything runs in a throwaway copy of the working tree (tracked and untracked files, not
ignored ones), sharing this checkout's ``.venv`` and ``node_modules``; ``PYTHONPATH`` makes
the copy's kernels import the copy's ``lecnotes``. In order:

1. ``make book`` from scratch (every notebook executed, the site rendered), and, for
   comparison, a plain ``jupyter-book build --all`` of the same book from scratch (it
   executes the notebooks one after another and re-reads every page);
2. ``make book`` again with nothing changed;
3. ``make test`` (the book is already built, as for a maintainer who just ran ``make book``),
   with nbval's time per chapter from its JUnit report;
4. an edit to a code cell of the slowest chapter, then ``make book``;
5. an edit to one ``lecnotes`` module, then ``make book``;
6. the built site's size, and every slider's update latency in Chromium.

After each rebuild, the executor's output (``executed <notebook> in <seconds> s``) tells
which notebooks were executed again: steps 4 and 5 check that it is exactly those expected.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import widgets  # noqa: E402  (bench/widgets.py: slider latency on the built site)

from tools import execute  # noqa: E402  (which notebooks import which modules)


@contextmanager
def copy_of_tree():
    """A temporary copy of the working tree, removed afterwards."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    with tempfile.TemporaryDirectory(prefix="lecnotes-bench-") as tmp:
        book = Path(tmp) / "book"
        for name in filter(None, listed):
            if (ROOT / name).is_file():
                (book / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, book / name)  # keeps mtimes: make sees no change
        for shared in (".venv", "node_modules"):
            (book / shared).symlink_to(ROOT / shared)
        yield book


def make(book: Path, *targets: str, **variables: str) -> tuple[float, str]:
    """Run ``make targets`` in ``book``: seconds of wall time and the output. Raises on failure."""
    args = ["make", "--no-print-directory", *targets, *(f"{k}={v}" for k, v in variables.items())]
    return timed(book, args)


def timed(book: Path, args: list[str]) -> tuple[float, str]:
    """Run ``args`` in ``book`` with its own ``lecnotes`` importable; seconds and output."""
    env = os.environ | {
        "PYTHONPATH": str(book),
        "PATH": f"{book / '.venv' / 'bin'}:{os.environ['PATH']}",
    }
    start = time.perf_counter()
    result = subprocess.run(args, cwd=book, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return seconds, result.stdout


def executed(output: str) -> dict[str, float]:
    """Notebooks a ``make book`` executed (rather than took from the cache), with seconds."""
    lines = (line.split() for line in output.splitlines() if line.startswith("executed "))
    return {words[1]: float(words[3]) for words in lines}


def edit_code_cell(path: Path) -> None:
    """Append a code cell: the notebook's code changed, so it must be executed again."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("bench_edit = 1  # added by bench/build.py"))
    nbformat.write(nb, path)


def dependency_table(book: Path = ROOT) -> dict[str, list[str]]:
    """For every ``lecnotes`` module, the notebooks an edit to it executes again."""
    graph = execute.package_graph(book / "lecnotes")
    return {module: importers(book, module) for module in sorted(graph)}


def importers(book: Path, module: str) -> list[str]:
    """Notebooks whose execution depends on ``lecnotes/<module>.py``, as tools/execute.py sees."""
    graph = execute.package_graph(book / "lecnotes")
    notebooks = [book / "intro.md", *sorted((book / "chapters").glob("*.ipynb"))]
    return sorted(
        path.relative_to(book).as_posix()
        for path in notebooks
        if module in execute.notebook_dependencies(execute.read_notebook(path), graph)
    )


def junit_seconds(report: Path) -> dict[str, float]:
    """Seconds per test file (for nbval: per notebook) from a JUnit XML report."""
    totals: dict[str, float] = {}
    for case in ET.parse(report).iter("testcase"):
        name = case.get("classname", "").removeprefix("chapters.")  # nbval: chapters.<file>
        totals[name] = totals.get(name, 0.0) + float(case.get("time", 0))
    return totals


def run(test: bool = True, module: str = "autograd") -> dict:
    """Measure steps 1-5 (step 3 only with ``test``); a dict of numbers and lists."""
    out: dict = {}
    with copy_of_tree() as book:
        out["clean_build_s"], output = make(book, "book")
        out["execution_s"] = dict(sorted(executed(output).items()))
        out["no_change_build_s"], _ = make(book, "book")
        if test:
            reports = book / "_build" / "bench"
            reports.mkdir(parents=True, exist_ok=True)
            out["test_s"], _ = make(book, "test", NBVAL_ARGS=f"--junitxml={reports / 'nbval.xml'}")
            per_file = junit_seconds(reports / "nbval.xml")
            out["nbval_s"] = {k: round(v, 2) for k, v in sorted(per_file.items())}
        slowest = max(out["execution_s"], key=out["execution_s"].get)
        edit_code_cell(book / slowest)
        seconds, output = make(book, "book")
        out["chapter_edit"] = {
            "edited": slowest,
            "build_s": seconds,
            "executed": sorted(executed(output)),
            "expected": [slowest],
        }
        target = book / "lecnotes" / f"{module}.py"
        target.write_text(target.read_text() + "\n# edited by bench/build.py\n")
        seconds, output = make(book, "book")
        out["lecnotes_edit"] = {
            "edited": f"lecnotes/{module}.py",
            "build_s": seconds,
            "executed": sorted(executed(output)),
            "expected": importers(book, module),
        }
        out["site"] = site_weight(book / "_build" / "html")
        browsed = widgets.browse_site(book / "_build" / "html")
        out["site_sliders"] = browsed["sliders"]
        if browsed["pages"]:  # measured beats estimated
            largest = max(browsed["pages"], key=browsed["pages"].get)
            out["site"] |= {
                "largest_page": largest,
                "largest_page_mb": round(browsed["pages"][largest] / 1e6, 2),
                "measured_by": "Chromium: every response of a first visit",
            }
        out["plain_build_s"] = plain_build(book)
    return out


def plain_build(book: Path) -> float:
    """Seconds for a plain ``jupyter-book build --all`` of the book from scratch: no
    executor, so the build executes every notebook itself, one after another."""
    shutil.rmtree(book / "_build")
    seconds, _ = timed(book, ["jupyter-book", "build", ".", "--all"])
    return seconds


def site_weight(site: Path) -> dict:
    """Total bytes of the site, and the heaviest page estimated without a browser: its HTML
    plus the local images, scripts and styles it links (not what those load in turn)."""
    import re

    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = {}
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        size = page.stat().st_size
        for ref in set(re.findall(r'(?:src|href)="([^"#?]+)', text)):
            target = (page.parent / ref).resolve()
            if ref.endswith((".png", ".svg", ".js", ".css", ".jpg")) and target.is_file():
                size += target.stat().st_size
        pages[page.relative_to(site).as_posix()] = size
    largest = max(pages, key=pages.get)
    return {
        "total_mb": round(total / 1e6, 2),
        "largest_page": largest,
        "largest_page_mb": round(pages[largest] / 1e6, 2),
        "measured_by": "HTML + linked images, scripts, styles (no browser)",
    }


if __name__ == "__main__":
    print(json.dumps(run(test="--no-test" not in sys.argv), indent=1))
