"""The build itself: a failing cell fails it, and tools/execute.py executes what changed.

A plain Jupyter Book 1 build would exit 0 and show a failing cell's traceback in the page.
We build a two-page book with this project's own _config.yml, extensions and assets, one of
whose cells raises."""

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[2]


def test_a_failing_cell_fails_the_build(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "references.bib", "bibliography.md"):
        shutil.copy(ROOT / name, book / name)
    for folder in ("_ext", "_static", "_templates"):
        shutil.copytree(ROOT / folder, book / folder)
    (book / "node_modules").symlink_to(ROOT / "node_modules")
    (book / "intro.md").write_text("# A tiny book\n\nIt has one broken chapter.\n")
    _notebook(book / "broken.ipynb", nbformat.v4.new_markdown_cell("# Broken"), "1 / 0")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: broken\n  - file: bibliography\n"
    )
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(book), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "ZeroDivisionError" in output and "broken" in output


# --- tools/execute.py: execute what changed, and only that ------------------------------


def _notebook(path: Path, *cells) -> None:
    """A Python 3 notebook; each cell is a code string or an nbformat cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(c) if isinstance(c, str) else c for c in cells]
    nbformat.write(nb, path)


def _run(root: Path, names: list[str], *options: str) -> tuple[int, str, dict]:
    """Run tools/execute.py on ``names`` in the book ``root``: exit code, output, summary."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute.py"), *names, *options],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    summary = root / "_build" / ".jupyter_cache" / "lecnotes-executions.json"
    executed = json.loads(summary.read_text()) if summary.is_file() else {}
    return result.returncode, result.stdout + result.stderr, executed


def _executed(summary: dict) -> list[str]:
    return sorted(name for name, entry in summary.items() if entry["executed"])


def test_execute_runs_only_the_notebooks_whose_inputs_changed(tmp_path):
    # A book whose own `lecnotes` has a -> b; notebooks import a, b, or nothing from it.
    root = tmp_path
    (root / "lecnotes").mkdir()
    (root / "lecnotes" / "__init__.py").write_text("")
    (root / "lecnotes" / "b.py").write_text("VALUE = 2\n")
    (root / "lecnotes" / "a.py").write_text("from lecnotes import b\nVALUE = b.VALUE + 1\n")
    (root / "requirements.txt").write_text("numpy\n")
    _notebook(root / "uses_a.ipynb", "from lecnotes import a\nprint(a.VALUE)")
    _notebook(root / "uses_b.ipynb", "from lecnotes.b import VALUE\nprint(VALUE)")
    _notebook(root / "plain.ipynb", "print(40 + 2)")
    names = ["plain.ipynb", "uses_a.ipynb", "uses_b.ipynb"]

    code, output, summary = _run(root, names)
    assert code == 0, output
    assert _executed(summary) == names

    code, output, summary = _run(root, names)
    assert code == 0 and _executed(summary) == [], output  # nothing changed

    (root / "lecnotes" / "b.py").write_text("VALUE = 20\n")  # a imports b: both re-run
    code, output, summary = _run(root, names)
    assert code == 0 and _executed(summary) == ["uses_a.ipynb", "uses_b.ipynb"], output

    (root / "lecnotes" / "a.py").write_text("from lecnotes import b\nVALUE = 0\n")
    code, output, summary = _run(root, names)
    assert code == 0 and _executed(summary) == ["uses_a.ipynb"], output

    _notebook(root / "plain.ipynb", "print(6 * 7)")  # a code edit
    code, output, summary = _run(root, names)
    assert code == 0 and _executed(summary) == ["plain.ipynb"], output

    # The build reads outputs from the cache: it holds the latest execution of each notebook.
    from jupyter_cache import get_cache

    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    cached = cache.merge_match_into_notebook(nbformat.read(root / "uses_a.ipynb", as_version=4))
    assert cached[1].cells[0].outputs[0]["text"] == "0\n"


def test_execute_fails_on_a_cell_that_raises(tmp_path):
    _notebook(tmp_path / "fine.ipynb", "print('fine')")
    _notebook(tmp_path / "broken.ipynb", "x = 1", "1 / 0")
    code, output, summary = _run(tmp_path, ["fine.ipynb", "broken.ipynb"])
    assert code == 1
    assert "ZeroDivisionError" in output and "FAILED   broken.ipynb" in output
    assert _executed(summary) == ["fine.ipynb"]  # the failure is not cached as a success


# A stand-in for the site build: waits like the real one (_ext/execution_cache.py), then
# reports which executions it can see.
FAKE_RENDER = (
    "import json, pathlib, sys, types; sys.path.insert(0, {ext!r}); import execution_cache; "
    "execution_cache.await_execution(types.SimpleNamespace(outdir='_build/html')); "
    "summary = pathlib.Path('_build/.jupyter_cache/lecnotes-executions.json'); "
    "print('RENDER SAW', sorted(json.loads(summary.read_text())))"
)


def test_render_started_alongside_reads_only_after_the_executions(tmp_path):
    _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(1)\nprint('done')")
    render = f"{sys.executable} -c {shlex.quote(FAKE_RENDER.format(ext=str(ROOT / '_ext')))}"
    code, output, summary = _run(tmp_path, ["slow.ipynb"], "--render", render)
    assert code == 0, output
    assert "RENDER SAW ['slow.ipynb']" in output  # the summary was final when it looked
    assert output.index("executed slow.ipynb") < output.index("RENDER SAW")


def test_render_is_stopped_when_an_execution_fails(tmp_path):
    _notebook(tmp_path / "broken.ipynb", "1 / 0")
    render = f"{sys.executable} -c {shlex.quote(FAKE_RENDER.format(ext=str(ROOT / '_ext')))}"
    code, output, _ = _run(tmp_path, ["broken.ipynb"], "--render", render)
    assert code == 1 and "ZeroDivisionError" in output
    assert "RENDER SAW" not in output
