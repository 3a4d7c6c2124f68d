"""The student edition without running it: every stub fits its solution, and every student
notebook hides the solutions and carries the checks (``tools/student.py``, ``student/``).

Running the student notebooks is ``tests/test_student_notebooks.py`` (``make check``).
"""

import ast
import copy
import zipfile

import nbformat
import pytest

from tools import exercise_cells, student
from tools.exercise_cells import (
    ExerciseError,
    find_exercises,
    mismatches,
    required_names,
    split_checks,
)

CHAPTERS = student.chapters()
NOTEBOOKS = {path.stem: nbformat.read(path, as_version=4) for path in CHAPTERS}
EXERCISES = [e for stem, nb in NOTEBOOKS.items() for e in find_exercises(nb, stem)]


def stubs_of(chapter: str) -> dict[int, str]:
    return student.read_stubs(student.ROOT / "student" / f"{chapter}.py")


def exercise_id(exercise) -> str:
    return f"{exercise.chapter[:2]}-{exercise.number}"


def test_the_chapters_have_exercises():
    assert len(CHAPTERS) == 9 and {e.chapter for e in EXERCISES} == set(NOTEBOOKS)


@pytest.mark.parametrize("exercise", EXERCISES, ids=exercise_id)
def test_the_stub_fits_its_solution(exercise):
    stubs = stubs_of(exercise.chapter)
    assert exercise.number in stubs, (
        f"{exercise.label}: no stub; add a section '# %% Exercise {exercise.number}' to "
        f"student/{exercise.chapter}.py (CONTRIBUTING.md, 'Exercises and the student edition')"
    )
    problems = mismatches(exercise, stubs[exercise.number])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_every_stub_belongs_to_an_exercise(chapter):
    numbers = {e.number for e in EXERCISES if e.chapter == chapter}
    extra = set(stubs_of(chapter)) - numbers
    assert not extra, f"student/{chapter}.py: stubs for exercises {sorted(extra)}, which it lacks"


def solution_lines(nb, exercise) -> set[str]:
    """The lines that would give the exercise away: its solution's code and output, and
    its explanation."""
    cell = nb.cells[exercise.cell]
    code = {line.strip() for line in exercise.solution.split("\n")[1:]}
    output = {line.strip() for o in cell.outputs for line in o.get("text", "").split("\n")}
    markdown = nb.cells[exercise.explanation].source
    start, end = exercise_cells.explanation_span(markdown, exercise.number)
    explanation = {line.strip() for line in markdown.split("\n")[start + 2 : end - 1]}
    return {line for line in code | output | explanation if len(line) > 24}


def shown_lines(cells) -> set[str]:
    """Every line of the cells' sources and text outputs, stripped."""
    return {
        line.strip()
        for cell in cells
        for text in [cell.source] + [o.get("text", "") for o in cell.get("outputs", [])]
        for line in text.split("\n")
    }


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_the_student_notebook_gives_no_solution_away(chapter):
    nb = NOTEBOOKS[chapter]
    exercises = [e for e in EXERCISES if e.chapter == chapter]
    edition = student.student_notebook(nb, chapter, stubs_of(chapter))
    stubs = "\n".join(stubs_of(chapter).values())
    # Lines the chapter shows before its exercises may appear in a solution too.
    body = shown_lines(nb.cells[: min(e.cell for e in exercises)])
    for exercise in exercises:
        given = (solution_lines(nb, exercise) & shown_lines(edition.cells)) - body
        assert all(line in stubs for line in given), f"{exercise.label}: {given}"
    assert not any("hide-cell" in c.metadata.get("tags", []) for c in edition.cells)
    assert "# Solution to exercise" not in "".join(c.source for c in edition.cells)


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_each_stub_is_followed_by_its_checks_and_the_rest_is_the_chapter(chapter):
    nb, stubs = NOTEBOOKS[chapter], stubs_of(chapter)
    edition = student.student_notebook(nb, chapter, stubs)
    exercises = [e for e in EXERCISES if e.chapter == chapter]
    expected, changed = [], {e.explanation for e in exercises}
    for index, cell in enumerate(nb.cells):
        exercise = next((e for e in exercises if e.cell == index), None)
        if exercise is None:
            expected.append(None if index in changed else cell)
            continue
        expected.append(f"# Exercise {exercise.number}: your answer\n{stubs[exercise.number]}")
        if exercise.checks:
            head = f"%%checks exercise {exercise.number}\n{student.CHECKS_COMMENT}\n"
            expected.append(head + "\n".join(exercise.checks))
    first, note, *rest = edition.cells  # the note follows the chapter's first cell
    assert "Student edition" in note.source
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    for index, (cell, want) in enumerate(zip([first, *rest], expected, strict=True)):
        if isinstance(want, str):  # a stub or a checks cell: shown, never executed
            assert cell.source == want.rstrip() and cell.outputs == []
            assert cell.execution_count is None and "hide-cell" not in cell.metadata["tags"]
        elif want is None:  # an explanation: now a pointer to the book
            assert "{admonition} Solution" in cell.source and ":class: dropdown" not in cell.source
        elif index == first_code and any(e.checks for e in exercises):
            assert cell.source == want.source + student.LOAD_MAGIC
        else:
            assert cell == want


def test_the_checks_are_the_top_level_asserts_with_their_comments():
    source = (
        "# Solution to exercise 5\n"
        "# setting up\n"
        "x = 1\n"
        "# x is one\n"
        "assert x == 1, 'one'\n"
        "y = [x]\n"
        "for v in y:\n"
        "    assert v > 0\n"
        "assert (\n"
        "    y == [1]\n"
        ")\n"
    )
    solution, checks, nested = split_checks(source)
    assert checks == ("# x is one\nassert x == 1, 'one'", "assert (\n    y == [1]\n)")
    assert nested == 1 and "assert v > 0" in solution and "# x is one" not in solution
    assert solution.startswith("# Solution to exercise 5\n# setting up\nx = 1\ny = [x]\n")
    ast.parse(solution)


def exercise_from(source: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("**Exercise 1 (a test).** Compute it."),
        nbformat.v4.new_code_cell(source),
        nbformat.v4.new_markdown_cell(":::{admonition} Solution 1\n:class: dropdown\nWhy.\n:::"),
    ]
    nb.cells[1].metadata["tags"] = ["hide-cell"]
    (exercise,) = find_exercises(nb, "07_test")
    return exercise


SOLUTION = """# Solution to exercise 1
def steps(mu, lr, kappa=10):
    return int(kappa / lr) + int(mu)


table = {mu: steps(mu, 0.1) for mu in (0.0, 0.5)}
best = min(table.values())
assert best == 100, "the best takes 100 steps"
"""
STUB = """def steps(mu, lr, kappa=10):
    \"\"\"The steps it takes.\"\"\"
    # your code here
    ...


best = ...  # the fewest steps
"""


def test_a_stub_needs_the_names_the_checks_read_but_not_their_comprehension_variables():
    source = (
        "# Solution to exercise 1\n"
        "def floor(lr):\n    return lr / 2\n\n\n"
        "floors = {}\nfor lr in (0.1, 0.2):\n    floors[lr] = floor(lr)\n"
        "top = max(floors.values())\n"
        "assert all(f < lr for lr, f in floors.items()), 'below the rate'\n"
    )
    assert required_names(exercise_from(source)) == {"floor", "floors"}


def test_a_fitting_stub_has_no_mismatch():
    assert mismatches(exercise_from(SOLUTION), STUB) == []


@pytest.mark.parametrize(
    ("stub", "problem"),
    [
        (
            STUB.replace("best = ...", "fewest = ..."),
            "exercise 1 of chapter 7: the stub defines {fewest, steps}, the solution {best, "
            "steps} (names its checks read, its functions and classes); missing: {best}, "
            "not the solution's: {fewest}",
        ),
        (
            STUB.replace("(mu, lr, kappa=10)", "(mu, lr)"),
            "exercise 1 of chapter 7: steps takes (mu, lr, kappa) in the solution, (mu, lr) "
            "in the stub",
        ),
        (STUB.replace("# your code here", ""), "the stub has no '# your code here' line"),
        (
            STUB + "table = {mu: steps(mu, 0.1) for mu in (0.0, 0.5)}\nbest = min(table.values())",
            "the stub copies 2 of the solution's 3 lines of code",
        ),
        (STUB.replace("best = ...", "best ="), "the stub is not valid Python"),
    ],
)
def test_a_stub_that_does_not_fit_says_why(stub, problem):
    problems = mismatches(exercise_from(SOLUTION), stub)
    assert len(problems) == 1 and problem in problems[0], problems


def test_a_stale_stub_of_the_book_is_named_with_both_sets_of_names():
    exercise = next(e for e in EXERCISES if e.chapter == "07_optimizers" and e.number == 2)
    stale = stubs_of("07_optimizers")[2].replace("optimal = ...", "best_mu = ...")
    (problem,) = mismatches(exercise, stale)
    assert problem.startswith(
        "exercise 2 of chapter 7: the stub defines {best_mu, best_span, best_steps, fractions, "
        "heavy_ball_steps, one, plain}, the solution {best_span, best_steps, fractions, "
        "heavy_ball_steps, one, optimal, plain}"
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda nb: nb.cells[1].metadata.clear(), "the solution cell is not tagged hide-cell"),
        (lambda nb: nb.cells.pop(2), "no ':::{admonition} Solution 1' after it"),
        (lambda nb: nb.cells.pop(0), "no prompt '**Exercise 1 (...' before it"),
        (
            lambda nb: [setattr(c, "source", c.source.replace("1", "2")) for c in nb.cells],
            "exercises numbered [2], expected 1, 2, 3, ...",
        ),
    ],
)
def test_a_malformed_exercise_is_refused_with_the_reason(change, error):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("**Exercise 1 (a test).** Compute it."),
        nbformat.v4.new_code_cell("# Solution to exercise 1\nx = 1"),
        nbformat.v4.new_markdown_cell(
            ":::{admonition} Solution 1\n:class: dropdown\nWhy.\n:::\n\n**Exercise 2 (next).**"
        ),
    ]
    nb.cells[1].metadata["tags"] = ["hide-cell"]
    find_exercises(copy.deepcopy(nb), "07_test")  # well formed
    change(nb)
    with pytest.raises(ExerciseError, match="07_test") as raised:
        find_exercises(nb, "07_test")
    assert error in str(raised.value)


def test_the_explanation_is_replaced_and_the_next_prompt_kept():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_markdown_cell("**Exercise 1 (a test).** Compute it."),
        nbformat.v4.new_code_cell("# Solution to exercise 1\nx = 1\nassert x == 1, 'one'"),
        nbformat.v4.new_markdown_cell(
            "::::{admonition} Solution 1\n:class: dropdown\n:::{note}\nInner.\n:::\nWhy.\n::::"
            "\n\n**Exercise 2 (next).**"
        ),
    ]
    nb.cells[2].metadata["tags"] = ["hide-cell"]
    edition = student.student_notebook(nb, "07_test", {1: "x = ...  # your code here\n"})
    pointer = edition.cells[-1].source
    assert pointer.startswith("::::{admonition} Solution 1\n:class: tip\n")
    assert "Inner" not in pointer and "Why" not in pointer
    assert pointer.endswith("below Exercise 1.\n::::\n\n**Exercise 2 (next).**")
    assert edition.cells[0].source.endswith("%load_ext lecnotes.exercises")
    assert edition.cells[-2].source.startswith("%%checks exercise 1\n")
    assert nb.cells[2].source.startswith("# Solution")  # the chapter is left unchanged


def test_a_missing_stub_leaves_a_placeholder_not_the_solution():
    exercise = next(e for e in EXERCISES if e.chapter == "07_optimizers" and e.number == 2)
    nb = NOTEBOOKS["07_optimizers"]
    edition = student.student_notebook(nb, "07_optimizers", {})
    (stub,) = [c for c in edition.cells if c.id == nb.cells[exercise.cell].id]  # in its place
    assert stub.source == "# Exercise 2: your answer\n# your code here"


def test_write_makes_the_folder_and_the_zip(tmp_path):
    wheel_cache = student.ROOT / "_build" / "lecnotes-wheel"  # the book's: built once
    assert student.write(tmp_path, wheel_cache=wheel_cache) == []
    folder = tmp_path / student.EDITION
    names = sorted(p.name for p in folder.iterdir())
    wheel = next(n for n in names if n.endswith(".whl"))
    notebooks = [p.name for p in CHAPTERS]
    assert names == sorted([*notebooks, wheel, "README.md", "constraints.txt", "requirements.txt"])
    with zipfile.ZipFile(tmp_path / f"{student.EDITION}.zip") as bundle:
        assert sorted(bundle.namelist()) == [f"{student.EDITION}/{n}" for n in names]
        for name in names:
            assert bundle.read(f"{student.EDITION}/{name}") == (folder / name).read_bytes()
    readme = (folder / "README.md").read_text()
    assert "pip install -r requirements.txt" in readme and "%%checks" in readme
    assert f"./{wheel}" in (folder / "requirements.txt").read_text()
    for path in CHAPTERS:
        written = nbformat.read(folder / path.name, as_version=4)
        nbformat.validate(written)
        assert written == student.student_notebook(
            NOTEBOOKS[path.stem], path.stem, stubs_of(path.stem)
        )
