"""The build itself: a failing cell fails it, and tools/execute.py executes what changed.

A plain Jupyter Book 1 build would exit 0 and show a failing cell's traceback in the page.
We build a two-page book with this project's own _config.yml, extensions and assets, one of
whose cells raises."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.site, pytest.mark.e2e]  # each test builds a book
ROOT = Path(__file__).resolve().parents[2]


JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def _site(book: Path, page: str) -> None:
    """Make ``book`` a book with this project's settings, extensions and assets, whose pages
    are ``intro.md`` (written here), ``page`` and the bibliography."""
    book.mkdir(exist_ok=True)
    for name in ("_config.yml", "references.bib", "bibliography.md"):
        shutil.copy(ROOT / name, book / name)
    for folder in ("_ext", "_static", "_templates"):
        shutil.copytree(ROOT / folder, book / folder)
    (book / "node_modules").symlink_to(ROOT / "node_modules")
    (book / "intro.md").write_text("# A tiny book\n")
    (book / "_toc.yml").write_text(
        f"format: jb-book\nroot: intro\nchapters:\n  - file: {page}\n  - file: bibliography\n"
    )


def test_a_failing_cell_fails_the_build(tmp_path):
    book = tmp_path / "book"
    _site(book, "broken")
    _notebook(book / "broken.ipynb", nbformat.v4.new_markdown_cell("# Broken"), "1 / 0")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--all", "-W", "-n", "--keep-going"],
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


def _run(root: Path, names: list[str], *options: str) -> tuple[int, str, list[str]]:
    """Run tools/execute.py on ``names`` in the book ``root``: exit code, output, executed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute.py"), *names, *options],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    output = result.stdout + result.stderr
    executed = sorted(
        line.split()[1] for line in output.splitlines() if line.startswith("executed ")
    )
    return result.returncode, output, executed


def _package(root: Path) -> None:
    """A book folder with its own `lecnotes` (a imports b), pins and build settings."""
    (root / "lecnotes").mkdir()
    (root / "lecnotes" / "__init__.py").write_text("")
    (root / "lecnotes" / "b.py").write_text("VALUE = 2\n")
    (root / "lecnotes" / "a.py").write_text("from lecnotes import b\nVALUE = b.VALUE + 1\n")
    (root / "requirements.txt").write_text("numpy\n")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")


def test_execute_runs_only_the_notebooks_whose_inputs_changed(tmp_path):
    root = tmp_path
    _package(root)
    _notebook(root / "uses_a.ipynb", "from lecnotes import a\nprint(a.VALUE)")
    _notebook(root / "uses_b.ipynb", "from lecnotes.b import VALUE\nprint(VALUE)")
    _notebook(root / "plain.ipynb", "print(40 + 2)")
    names = ["plain.ipynb", "uses_a.ipynb", "uses_b.ipynb"]

    code, output, executed = _run(root, names)
    assert code == 0 and executed == names, output

    code, output, executed = _run(root, names)
    assert code == 0 and executed == [], output  # nothing changed

    before = {name: (root / name).stat().st_mtime_ns for name in names}
    (root / "lecnotes" / "b.py").write_text("VALUE = 20\n")  # a imports b: both re-run
    code, output, executed = _run(root, names)
    assert code == 0 and executed == ["uses_a.ipynb", "uses_b.ipynb"], output
    # Executed again without a change of their own: touched, so that Sphinx reads them again.
    assert (root / "uses_a.ipynb").stat().st_mtime_ns > before["uses_a.ipynb"]
    assert (root / "plain.ipynb").stat().st_mtime_ns == before["plain.ipynb"]

    (root / "lecnotes" / "a.py").write_text("from lecnotes import b\nVALUE = 0\n")
    code, output, executed = _run(root, names)
    assert code == 0 and executed == ["uses_a.ipynb"], output

    _notebook(root / "plain.ipynb", "print(6 * 7)")  # a code edit
    code, output, executed = _run(root, names)
    assert code == 0 and executed == ["plain.ipynb"], output

    # The build reads outputs from the cache: it holds the latest execution of each notebook.
    from jupyter_cache import get_cache

    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    cached = cache.merge_match_into_notebook(nbformat.read(root / "uses_a.ipynb", as_version=4))
    assert cached[1].cells[0].outputs[0]["text"] == "0\n"


def test_execute_fails_on_a_cell_that_raises(tmp_path):
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    _notebook(tmp_path / "fine.ipynb", "print('fine')")
    _notebook(tmp_path / "broken.ipynb", "x = 1", "1 / 0")
    code, output, executed = _run(tmp_path, ["fine.ipynb", "broken.ipynb"])
    assert code == 1
    assert "ZeroDivisionError" in output and "FAILED   broken.ipynb" in output
    assert executed == ["fine.ipynb"]
    code, output, executed = _run(tmp_path, ["fine.ipynb", "broken.ipynb"])
    assert code == 1 and executed == [], output  # the failure was not cached as a success


def test_a_failing_notebook_fails_the_render_alongside(tmp_path):
    book = tmp_path / "book"
    _site(book, "broken")
    _notebook(book / "broken.ipynb", nbformat.v4.new_markdown_cell("# Broken"), "1 / 0")
    render = f"{JUPYTER_BOOK} build {book} -W -n --keep-going"
    code, output, executed = _run(book, ["broken.ipynb"], "--render", render)
    assert code == 1 and executed == [], output
    assert "FAILED   broken.ipynb" in output and "executing broken.ipynb failed" in output


def test_a_page_shows_new_outputs_after_a_lecnotes_edit(tmp_path):
    """The whole incremental build as `make book` runs it: the executor, and Sphinx alongside."""
    book = tmp_path / "book"
    _site(book, "page")
    _package(book)
    _notebook(
        book / "page.ipynb",
        nbformat.v4.new_markdown_cell("# Page"),
        # Longer than the render's start-up, so that its reading must wait for the executor.
        "import time\nfrom lecnotes import a\ntime.sleep(5)\nprint('value', a.VALUE)",
    )
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: page\n  - file: bibliography\n"
    )

    def build() -> str:
        render = f"{JUPYTER_BOOK} build {book} -W -n --keep-going"
        code, output, executed = _run(book, ["page.ipynb"], "--render", render)
        assert code == 0 and executed == ["page.ipynb"], output
        # the page was read once the executor had cached its outputs: myst-nb executed nothing
        assert "page.ipynb: Using cached notebook" in output, output
        return (book / "_build" / "html" / "page.html").read_text()

    assert "value 3" in build()
    (book / "lecnotes" / "b.py").write_text("VALUE = 40\n")
    assert "value 41" in build()


def test_a_clean_execution_draws_only_frames_whose_inputs_changed(tmp_path):
    """make execute records each frame's key in the widget output; executed again from a clean
    _build, the executor files those frames and the kernel draws none of them -- but draws a
    frame again when what it depends on changes."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    calls = tmp_path / "calls.txt"
    widget = (
        "from lecnotes import widgets\n"
        "OFFSET = 10\n"
        "def draw(n):\n"
        f"    with open({str(calls)!r}, 'a') as f:\n"
        "        f.write(f'{n}\\n')\n"
        "    return f'{n + OFFSET}'\n"
        "widgets.interact(draw, n=[1, 2, 3])"
    )
    _notebook(tmp_path / "w.ipynb", widget)

    # The executor's own choice of store: _build/frame-cache under the book.
    env = {k: v for k, v in os.environ.items() if k != "LECNOTES_FRAME_CACHE"}

    def execute(*options: str) -> list[str]:
        calls.write_text("")
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "execute.py"), "w.ipynb", *options],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
            env={**env, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return sorted(calls.read_text().split())

    assert execute("--inplace") == ["1", "2", "3"]  # the first execution draws every frame
    shutil.rmtree(tmp_path / "_build")  # a clean build: no jupyter-cache, no frame cache
    assert execute() == []  # the stored outputs' frames, filed under their keys
    nb = nbformat.read(tmp_path / "w.ipynb", as_version=4)
    nb.cells[0].source = widget.replace("OFFSET = 10", "OFFSET = 20")  # every frame's input
    nbformat.write(nb, tmp_path / "w.ipynb")
    shutil.rmtree(tmp_path / "_build")
    assert execute() == ["1", "2", "3"]


PROBE = r"""
import json, os, random, sys, warnings
import matplotlib
import numpy as np
print(json.dumps({
    "cwd": os.getcwd(), "argv": [os.path.basename(sys.argv[0]), sys.argv[1]], "path": sys.path,
    "env": {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "LECNOTES_FORK"))},
    "parent_set": "JPY_PARENT_PID" in os.environ, "backend": matplotlib.get_backend(),
    "filters": sorted(map(repr, warnings.filters)), "group_leader": os.getpgid(0) == os.getpid(),
    "watches_its_manager": get_ipython().kernel.parent.parent_handle  # noqa: F821
    == int(os.environ["JPY_PARENT_PID"]),
}))
print(json.dumps([random.random(), np.random.rand()]))
"""


def test_a_forked_kernel_is_started_as_a_plain_kernel(tmp_path):
    """tools/kernels.py: the executor's kernels are forks of a warm server; a notebook sees
    the same folder, arguments, module path, environment, matplotlib backend and warning
    filters as in a kernel started from scratch, and no two forks share random state."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    names = ["a.ipynb", "sub/b.ipynb"]  # a kernel runs in its notebook's folder
    (tmp_path / "sub").mkdir()
    for name in names:
        _notebook(tmp_path / name, PROBE)

    def probe(fork: str) -> list[tuple[dict, list]]:
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "execute.py"), "--inplace", "--jobs", "1",
             *names],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT), "LECNOTES_FORK_KERNELS": fork},
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        outputs = []
        for name in names:
            text = nbformat.read(tmp_path / name, as_version=4).cells[0].outputs[0]["text"]
            seen, numbers = map(json.loads, text.splitlines())
            outputs.append((seen, numbers))
        return outputs

    plain, forked = probe("0"), probe("1")
    assert forked[0][0] == plain[0][0] and forked[1][0] == plain[1][0]
    assert forked[1][0]["cwd"] == str(tmp_path / "sub")
    assert forked[0][0]["parent_set"] and forked[0][0]["watches_its_manager"]
    assert forked[0][0]["group_leader"]
    assert forked[0][1][0] != forked[1][1][0] and forked[0][1][1] != forked[1][1][1]
