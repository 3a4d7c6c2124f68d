"""Every student notebook runs top to bottom, each stub fails its exercise's checks with their
messages, and each solution passes them (``make check``: this runs every chapter once more).

Each chapter's student notebook (``tools/student.py``) is executed in one fresh kernel, as
nbclient runs it (the executor of ``tools/execute.py``; any error fails it, as Run All
would stop there). After its last cell the same kernel runs, for each exercise with checks,
the solution without its checks and then its checks: the state the solutions meet is the
chapter's (the stubs only bind placeholders, which the solutions bind again), and an
exercise whose checks read a name its solution binds again after them fails here.
"""

import ast
import functools
import tempfile
from pathlib import Path

import nbformat
import pytest

from tools import execute, student
from tools.exercise_cells import find_exercises

pytestmark = [pytest.mark.site, pytest.mark.e2e]  # executes every chapter

CHAPTERS = {path.stem: path for path in student.chapters()}
EXERCISES = [
    e for stem, path in CHAPTERS.items() for e in find_exercises(nbformat.read(path, 4), stem)
]
# Seconds a cell may take. Time is not what this checks (bench/ measures it): the book's
# 120 s (_config.yml) failed here on a 2-core machine under a load average of 14.
CELL_TIMEOUT = 600


@functools.cache
def executed(chapter: str) -> tuple[list, list, str | None]:
    """The student notebook's cells and the solutions' cells after a run, and the error."""
    nb = nbformat.read(CHAPTERS[chapter], as_version=4)
    stubs = student.read_stubs(student.ROOT / "student" / f"{chapter}.py")
    edition = student.student_notebook(nb, chapter, stubs)
    size = len(edition.cells)
    for exercise in find_exercises(nb, chapter):
        if exercise.checks:
            checks = f"%%checks solution {exercise.number}\n" + "\n".join(exercise.checks)
            edition.cells += [nbformat.v4.new_code_cell(exercise.solution),
                              nbformat.v4.new_code_cell(checks)]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="lecnotes-student-") as folder:
        path = Path(folder) / f"{chapter}.ipynb"
        nbformat.write(edition, path)
        text, error, _ = execute.execute(str(path), CELL_TIMEOUT)
    cells = nbformat.reads(text, as_version=4).cells
    return cells[:size], cells[size:], error


def output(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def stated_message(check: str) -> str:
    """What the check's failure shows: its message, or its condition as written."""
    (node,) = [n for n in ast.parse(check).body if isinstance(n, ast.Assert)]
    if node.msg is None:
        return ast.get_source_segment(check, node.test)
    return node.msg.value if isinstance(node.msg, ast.Constant) else None


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_student_notebook_runs_top_to_bottom(chapter):
    cells, _, error = executed(chapter)
    assert error is None, f"{chapter} (student edition) stopped: {error}"
    code = [c for c in cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [c.source[:80] for c in code if any(o.output_type == "error" for o in c.outputs)]


def exercise_id(exercise) -> str:
    return f"{exercise.chapter[:2]}-{exercise.number}"


CHECKED = [e for e in EXERCISES if e.checks]


def test_every_exercise_has_checks():
    unchecked = [e.label for e in EXERCISES if not e.checks]
    if unchecked:  # the convention (CONTRIBUTING.md), not yet followed everywhere
        pytest.skip(f"no checks (no top-level assert in the solution) in {', '.join(unchecked)}")


@pytest.mark.parametrize("exercise", CHECKED, ids=exercise_id)
def test_the_stub_fails_every_check_with_its_message(exercise):
    cells, _, error = executed(exercise.chapter)
    assert error is None, error
    head = f"%%checks exercise {exercise.number}\n"
    (cell,) = [c for c in cells if c.source.startswith(head)]
    lines = output(cell).splitlines()
    total = len(exercise.checks)
    assert lines[0] == f"exercise {exercise.number}: 0 of {total} checks pass", lines
    failures = [line[2:] for line in lines if line.startswith("✗ ")]
    assert len(failures) == total, lines
    for check, shown in zip(exercise.checks, failures, strict=True):
        message = stated_message(check)
        assert message is None or shown == message, (check, shown)


@pytest.mark.parametrize("exercise", CHECKED, ids=exercise_id)
def test_the_solution_passes_its_checks(exercise):
    _, solutions, error = executed(exercise.chapter)
    assert error is None, error
    head = f"%%checks solution {exercise.number}\n"
    index = next(i for i, c in enumerate(solutions) if c.source.startswith(head))
    assert not any(o.output_type == "error" for o in solutions[index - 1].outputs)
    report = output(solutions[index]).strip()
    verdict = "the check passes" if len(exercise.checks) == 1 else "checks pass"
    assert report.startswith(f"solution {exercise.number}: ✓") and verdict in report, report
