"""Committed chapters: executed, complete, listed in the table of contents, honest to nbval.

nbval compares a cell's fresh outputs with the stored ones, but silently passes a cell that
was never executed, so a chapter committed without outputs would test nothing. These
checks catch that, and the conventions that keep nbval's comparison meaningful.
"""

import json
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


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_widget_cells_ignore_their_output_and_others_do_not(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        shows_widget = any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell["outputs"]
        )
        if shows_widget:
            assert source.startswith("# NBVAL_IGNORE_OUTPUT"), source[:80]


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
