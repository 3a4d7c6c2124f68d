"""The build fails on a cell that raises: a plain Jupyter Book 1 build would exit 0 and
show the traceback in the page. We build a two-page book with this project's own
_config.yml, extension and assets, one of whose cells raises."""

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
    for folder in ("_ext", "_static"):
        shutil.copytree(ROOT / folder, book / folder)
    (book / "node_modules").symlink_to(ROOT / "node_modules")
    (book / "intro.md").write_text("# A tiny book\n\nIt has one broken chapter.\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, book / "broken.ipynb")
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
