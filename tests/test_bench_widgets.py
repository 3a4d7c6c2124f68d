"""bench/widgets.py runs each notebook in a process of its own, as a reader's kernel does."""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import widgets  # noqa: E402  (bench/widgets.py)


def notebook(path: Path, *cells: str) -> Path:
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path
    )
    return path


def test_each_notebook_runs_in_a_fresh_process_and_its_failed_checks_are_reported(
    tmp_path, monkeypatch
):
    # The first notebook leaves state in its process; the second must not see it.
    first = notebook(tmp_path / "first.ipynb", "import builtins\nbuiltins.left_by_first = 1")
    second = notebook(
        tmp_path / "second.ipynb",
        "import builtins\nassert not hasattr(builtins, 'left_by_first'), 'shared a process'",
        "assert 1 + 1 == 3, 'a failing check'",
    )
    monkeypatch.setattr(widgets, "SOURCES", [first, second])
    failed = []
    assert widgets.run_all(failed) == []  # no widget in either notebook
    assert failed == ["second.ipynb cell 2: a failing check"]


def test_the_90th_percentile_is_a_value_at_least_90_percent_of_them_reach():
    assert widgets.p90([12.9, 246.3]) == 246.3  # of two moves, the slower one
    assert widgets.p90(list(range(10, 0, -1))) == 9
    assert widgets.p90([5.0]) == 5.0
