"""What maintainers wait for: building the book, against yardsticks measured in the same run.

Everything runs in a throwaway copy of the working tree (tracked and untracked files, not
ignored ones), sharing this checkout's ``.venv`` and ``node_modules``; ``PYTHONPATH`` makes
the copy's kernels import the copy's ``lecnotes``. In order:

1. **Clean builds, side by side**: ``make book`` from scratch and a plain
   ``jupyter-book build --all`` of the same book from scratch (no executor and no frame
   cache: it executes every notebook itself, one after another), alternated ``ours, plain,
   plain, ours, ...`` so that a drift in the machine's load hits both alike. Wall and CPU
   seconds (every process, kernels and frame renderers included), and our build's two
   phases (executing, with the render alongside; the render's time after the last
   execution).
2. ``make book`` again with nothing changed.
3. A code edit in the slowest chapter, then ``make book``, beside its yardstick: that
   chapter executed alone as a plain build executes it (fresh kernel, no frame cache) plus
   the page's render (``jupyter-book build`` after touching the chapter); twice, in the
   order edit, yardstick, yardstick, edit.
4. An edit to one ``lecnotes`` module, then ``make book``.
5. Optionally ``make test`` (the book already built), with nbval's time per chapter.
6. The built site's size, and in Chromium every page's first-visit bytes and every static
   slider's update latency.

After each rebuild, the executor's output (``executed <notebook> in <seconds> s``) tells
which notebooks were executed again: steps 3 and 4 check that it is exactly those expected.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
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

from tools import dependencies, execute  # noqa: E402  (which notebooks import which modules)


@contextmanager
def copy_of_tree():
    """A temporary copy of the working tree, removed afterwards.

    It shares this tree's ``.venv``: ``make deps`` runs here first, so that a ``make`` in
    the copy (whose files keep their times) never finds the environment stale and
    reinstalls ``lecnotes`` in editable mode from the copy, which is then deleted.
    """
    subprocess.run(["make", "--no-print-directory", "deps"], cwd=ROOT, check=True)
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


def run_in(book: Path, args: list[str], **env: str) -> dict:
    """Run ``args`` in ``book`` with its own ``lecnotes``: wall and CPU seconds, output.

    CPU seconds are those of every process it started and waited for (kernels, frame
    renderers, Sphinx). Raises on failure.
    """
    environment = os.environ | {
        "PYTHONPATH": str(book),
        "PATH": f"{book / '.venv' / 'bin'}:{os.environ['PATH']}",
        **env,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=book, env=environment, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "output": result.stdout}


def make(book: Path, *targets: str, **variables: str) -> dict:
    """``make targets`` in ``book`` (see :func:`run_in`)."""
    args = ["make", "--no-print-directory", *targets, *(f"{k}={v}" for k, v in variables.items())]
    return run_in(book, args)


def executed(output: str) -> dict[str, float]:
    """Notebooks a ``make book`` executed (rather than took from the cache), with seconds."""
    lines = (line.split() for line in output.splitlines() if line.startswith("executed "))
    return {words[1]: float(words[3]) for words in lines}


def twice(build):
    """``build()``, and once more if it fails: a chapter whose checks compare timings can
    fail when the machine is busy, and one such failure should not end the benchmark."""
    try:
        return build()
    except RuntimeError as error:
        print(f"bench: a build failed, trying again once:\n{str(error)[-1500:]}", file=sys.stderr)
        return build()


def ours(book: Path) -> dict:
    """``make book`` from scratch: seconds, and its phases from the executor's summary (the
    render runs alongside the executions; ``render_s`` is what it takes after the last)."""

    def build() -> dict:
        shutil.rmtree(book / "_build", ignore_errors=True)
        return make(book, "book")

    result = twice(build)
    summary = re.search(r"notebooks executed in ([\d.]+) s", result["output"])
    execute_s = float(summary[1]) if summary else 0.0
    return {
        "wall_s": result["wall_s"],
        "cpu_s": result["cpu_s"],
        "execute_s": execute_s,
        "render_s": round(result["wall_s"] - execute_s, 2),
        "notebooks_s": dict(sorted(executed(result["output"]).items())),
    }


def plain(book: Path) -> dict:
    """A plain ``jupyter-book build --all`` from scratch, executing every notebook itself."""

    def build() -> dict:
        shutil.rmtree(book / "_build", ignore_errors=True)
        args = ["jupyter-book", "build", ".", "--all"]
        return run_in(book, args, LECNOTES_FRAME_CACHE="off")

    result = twice(build)
    return {"wall_s": result["wall_s"], "cpu_s": result["cpu_s"]}


def clean_builds(book: Path, pairs: int) -> dict:
    """``pairs`` pairs of clean builds, ours and plain, in the order ours, plain, plain, ours.

    The last build is ours, so the tree is left built as ``make book`` builds it.
    """
    order = [("ours", "plain"), ("plain", "ours")] * pairs
    runs: dict[str, list[dict]] = {"ours": [], "plain": []}
    for first, second in order[:pairs]:
        for kind in (first, second):
            runs[kind].append(ours(book) if kind == "ours" else plain(book))
    if order[pairs - 1][1] != "ours":
        ours(book)

    def median(kind: str, key: str) -> float:
        return round(statistics.median(r[key] for r in runs[kind]), 2)

    return {
        "pairs": pairs,
        "runs": runs,
        "ours_s": median("ours", "wall_s"),
        "plain_s": median("plain", "wall_s"),
        "ours_cpu_s": median("ours", "cpu_s"),
        "plain_cpu_s": median("plain", "cpu_s"),
        "execute_s": median("ours", "execute_s"),
        "render_s": median("ours", "render_s"),
        "ratio": round(
            statistics.median(
                o["wall_s"] / p["wall_s"] for o, p in zip(runs["ours"], runs["plain"], strict=True)
            ),
            3,
        ),
        "cpu_ratio": round(median("ours", "cpu_s") / median("plain", "cpu_s"), 3),
        "notebooks_s": runs["ours"][-1]["notebooks_s"],
    }


def keyed_widget_outputs(book: Path) -> tuple[int, int]:
    """Widget outputs in the committed chapters, and how many record their frames' keys."""
    outputs = [
        output
        for path in sorted((book / "chapters").glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        for output in cell.get("outputs", [])
        if "data-lecnotes-widget" in str(output.get("data", {}).get("text/html", ""))
    ]
    keyed = sum("lecnotes_frames" in o.get("metadata", {}) for o in outputs)
    return len(outputs), keyed


def edit_code_cell(path: Path) -> None:
    """Append a code cell: the notebook's code changed, so it must be executed again."""
    nb = nbformat.read(path, as_version=4)
    count = sum("bench/build.py" in c.source for c in nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(f"bench_edit = {count}  # added by bench/build.py"))
    nbformat.write(nb, path)


def chapter_edits(book: Path, chapter: str) -> dict:
    """Two code edits of ``chapter``, each rebuilt, beside two of its yardsticks (ABBA)."""
    pairs = []
    for order in (("edit", "yardstick"), ("yardstick", "edit")):
        pair = {}
        for kind in order:
            if kind == "edit":
                pair[kind] = rebuild_after(
                    book, lambda: edit_code_cell(book / chapter), chapter, [chapter]
                )
            else:
                pair[kind] = chapter_yardstick(book, chapter)
        pairs.append(pair)
    ratios = [p["edit"]["build_s"] / (p["yardstick"]["execution_s"] + p["yardstick"]["render_s"])
              for p in pairs]  # fmt: skip
    return {
        "edited": chapter,
        "pairs": pairs,
        "ratio": round(statistics.median(ratios), 3),
        "build_s": round(statistics.median(p["edit"]["build_s"] for p in pairs), 2),
        "execution_s": round(statistics.median(p["yardstick"]["execution_s"] for p in pairs), 2),
        "render_s": round(statistics.median(p["yardstick"]["render_s"] for p in pairs), 2),
        "executed": sorted({n for p in pairs for n in p["edit"]["executed"]}),
        "expected": [chapter],
    }


def chapter_yardstick(book: Path, chapter: str) -> dict:
    """The chapter executed alone as a plain build executes it, and its page's render."""
    code = (
        "import sys, json; from tools import execute; "
        f"_, error, s = execute.execute({str(book / chapter)!r}, 600); "
        "print(json.dumps([error, s]))"
    )
    result = run_in(book, [sys.executable, "-c", code], LECNOTES_FRAME_CACHE="off")
    error, seconds = json.loads(result["output"].splitlines()[-1])
    if error:
        raise RuntimeError(f"{chapter}: {error}")
    (book / chapter).touch()  # newer than Sphinx's last reading: the page is rendered again
    render = run_in(book, ["jupyter-book", "build", "."])
    return {"execution_s": round(seconds, 2), "render_s": render["wall_s"]}


def dependency_table(book: Path = ROOT) -> dict[str, list[str]]:
    """For every ``lecnotes`` module, the notebooks an edit to it executes again."""
    graph = dependencies.package_graph(book / "lecnotes")
    return {module: importers(book, module) for module in sorted(graph)}


def importers(book: Path, module: str) -> list[str]:
    """Notebooks whose execution depends on ``lecnotes/<module>.py``, as tools/execute.py sees."""
    graph = dependencies.package_graph(book / "lecnotes")
    notebooks = [book / "intro.md", *sorted((book / "chapters").glob("*.ipynb"))]
    return sorted(
        path.relative_to(book).as_posix()
        for path in notebooks
        if module in dependencies.notebook_dependencies(execute.read_notebook(path), graph)
    )


def junit_seconds(report: Path) -> dict[str, float]:
    """Seconds per test file (for nbval: per notebook) from a JUnit XML report."""
    totals: dict[str, float] = {}
    for case in ET.parse(report).iter("testcase"):
        name = case.get("classname", "").removeprefix("chapters.")  # nbval: chapters.<file>
        totals[name] = totals.get(name, 0.0) + float(case.get("time", 0))
    return totals


def rebuild_after(book: Path, edit, edited: str, expected: list[str]) -> dict:
    """Apply ``edit``, run ``make book``: seconds and which notebooks it executed."""
    edit()
    result = make(book, "book")
    return {
        "edited": edited,
        "build_s": result["wall_s"],
        "cpu_s": result["cpu_s"],
        "executed": sorted(executed(result["output"])),
        "expected": expected,
    }


def run(test: bool = True, pairs: int = 2, module: str = "autograd", pdf: bool = True) -> dict:
    """Measure steps 1-6 (step 5 only with ``test``), then ``make pdf`` (with ``pdf``); a
    dict of numbers and lists."""
    out: dict = {}
    with copy_of_tree() as book:
        out["widget_outputs"], out["keyed_widget_outputs"] = keyed_widget_outputs(book)
        out["clean"] = clean_builds(book, pairs)
        out["no_change_build_s"] = make(book, "book")["wall_s"]
        times = out["clean"]["notebooks_s"]
        slowest = max((n for n in times if n.endswith(".ipynb")), key=times.get)
        out["chapter_edit"] = chapter_edits(book, slowest)
        target = book / "lecnotes" / f"{module}.py"
        out["lecnotes_edit"] = rebuild_after(
            book,
            lambda: target.write_text(target.read_text() + "\n# edited by bench/build.py\n"),
            f"lecnotes/{module}.py",
            importers(book, module),
        )
        if test:
            reports = book / "_build" / "bench"
            reports.mkdir(parents=True, exist_ok=True)
            result = make(book, "test", NBVAL_ARGS=f"--junitxml={reports / 'nbval.xml'}")
            out["test_s"] = result["wall_s"]
            per_file = junit_seconds(reports / "nbval.xml")
            out["nbval_s"] = {k: round(v, 2) for k, v in sorted(per_file.items())}
        if pdf:
            out["pdf"] = printed_book(book)
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
    return out


def printed_book(book: Path) -> dict:
    """``make pdf`` after ``make book``: seconds, and the PDF's pages and size."""
    from pypdf import PdfReader

    result = make(book, "pdf")
    path = book / "_build" / "pdf" / "book.pdf"
    return {
        "wall_s": result["wall_s"],
        "cpu_s": result["cpu_s"],
        "pages": len(PdfReader(path).pages),
        "mb": round(path.stat().st_size / 1e6, 2),
    }


def site_weight(site: Path) -> dict:
    """Total bytes of the site, and the heaviest page estimated without a browser: its HTML
    plus the local images, scripts and styles it links (not what those load in turn)."""
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
    print(json.dumps(run(test="--no-test" not in sys.argv, pairs=1), indent=1))
