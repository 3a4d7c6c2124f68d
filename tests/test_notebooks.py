"""Committed chapters: executed, complete, listed in the table of contents, honest to nbval.

nbval compares a cell's fresh outputs with the stored ones, but silently passes a cell that
was never executed, so a chapter committed without outputs would test nothing. These
checks catch that, and the conventions that keep nbval's comparison meaningful.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_chapters():
    assert CHAPTERS, "no notebooks in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_code_cell_was_executed_in_order(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert None not in counts, f"{path.name}: cells never executed; run `make execute`"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not run top to bottom"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_errors_and_no_skipped_cells(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        assert "NBVAL_SKIP" not in source and "nbval-skip" not in cell["metadata"].get("tags", [])
        assert all(o["output_type"] != "error" for o in cell["outputs"]), source[:80]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_imports_and_seeds(path):
    first = "".join(code_cells(path)[0]["source"])
    assert "import numpy as np" in first and "np.random.default_rng(" in first


def shows_widget(cell) -> bool:
    return any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell["outputs"]
    )


def times_something(cell) -> bool:
    """The cell measures time (lecnotes.timing) or prints a time it measured (µs, ms)."""
    text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
    return "timing." in "".join(cell["source"]) or re.search(r"\d ?(µs|ms)\b", text) is not None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_only_widget_and_timing_cells_ignore_their_output(path):
    """nbval compares every output except a widget's frames and a timing's numbers.

    The exemption is the ``nbval-ignore-output`` cell tag (a tag, not a comment a reader
    would see), and it is refused on any other cell: an output that differs between
    machines must be printed so that it does not, not hidden.
    """
    for cell in code_cells(path):
        source = "".join(cell["source"])
        assert "NBVAL" not in source, (
            f"use the nbval-ignore-output tag, not a comment: {source[:80]}"
        )
        ignored = "nbval-ignore-output" in cell["metadata"].get("tags", [])
        if shows_widget(cell):
            assert ignored, f"a widget cell must carry the nbval-ignore-output tag: {source[:80]}"
        else:
            assert not ignored or times_something(cell), (
                f"nbval-ignore-output on a cell that neither times nor shows a widget: {source[:9]}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_kernelspec_is_the_one_jupyterlab_writes(path):
    """JupyterLab rewrites any other kernelspec on opening, leaving the notebook modified."""
    kernelspec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert kernelspec == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_exercises_with_executed_hidden_solutions(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "## Exercises" in markdown
    solutions = [c for c in code_cells(path) if "hide-cell" in c["metadata"].get("tags", [])]
    assert solutions and all(c["outputs"] for c in solutions)


def test_table_of_contents_lists_exactly_the_chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    listed = sorted(f for f in files if f.startswith("chapters/"))
    assert listed == [f"chapters/{p.stem}" for p in CHAPTERS]
