"""The student edition: the chapters with each exercise's solution replaced by a stub.

``make student`` runs this. It writes ``_build/student-edition/`` and the same files as
``_build/student-edition.zip``: every chapter notebook in its student form, the ``lecnotes``
wheel, pinned requirements and a README (the pieces of ``_ext/downloads.py``'s per-page
bundles). ``make book`` puts the zip on the site too (``_ext/student_edition.py``).

In a student notebook, for each exercise (``tools/exercise_cells.py`` reads them):

- the solution cell becomes the stub of ``student/<chapter>.py`` (the section
  ``# %% Exercise N``), shown, not collapsed, with no output;
- the solution's checks (its top-level ``assert`` statements) follow in a ``%%checks`` cell
  (``lecnotes.exercises``), which prints every failing check's message instead of raising,
  so Run All goes on; the first code cell loads that magic;
- the explanation (``:::{admonition} Solution N``) becomes a pointer to the book's page.

Everything else stays, outputs included: the chapter can be read before it is run and
compared with a run. A stub that is missing is written as an empty placeholder (a solution
never reaches the student edition); missing, stale and extra stubs are reported, and make
this script exit with status 1, as ``tests/test_student.py`` fails on them.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
# As a script, tools/ is on the path, not the tree; _ext/downloads.py is a Sphinx extension.
sys.path[:0] = [str(ROOT), str(ROOT / "_ext")]
import downloads  # noqa: E402

from tools import exercise_cells  # noqa: E402
from tools.exercise_cells import Exercise, find_exercises  # noqa: E402

EDITION = "student-edition"  # the folder in the zip, and the zip's name
STUB_SECTION = re.compile(r"^# %% Exercise (\d+)[ \t]*$", re.M)
LOAD_MAGIC = "\n\n# For the exercises' %%checks cells:\n%load_ext lecnotes.exercises"
CHECKS_COMMENT = "# The solution's checks, run on your answer above."
NOTE = """\
:::{{note}} Student edition
Each exercise at the end of this chapter has a stub for your answer in place of its
solution. Fill it in, then run the `%%checks` cell after it: it runs the solution's checks on
your answer and prints the message of every check that fails (Run All carries on past it).
The solutions, with why they work, are on this chapter's page of the book, `{page}`.
:::"""
POINTER = """\
{fence}{{admonition}} Solution {number}
:class: tip
Try it yourself first. The solution, and why it works, is on this chapter's page of the book
(`{page}`), below Exercise {number}.{checks}
{fence}"""
NO_CHECKS = "\nThis exercise has no automatic checks: compare your answer with the book's."
README = """\
# {book}

**Student edition**: the book's chapters as notebooks to work in. Each exercise at the end
of a chapter has a stub for your answer where the book shows its solution, followed by a
`%%checks` cell that runs the solution's checks on your answer and prints the message of
every check that fails; Run All does not stop there. The solutions and their explanations
are on the book's pages.

The notebooks, {installs}
"""


def read_stubs(path: Path) -> dict[int, str]:
    """The sections of a stub file: exercise number -> the code under ``# %% Exercise N``
    (the text before the first section, the file's docstring, is not a stub)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    parts = STUB_SECTION.split(text)
    stubs = {}
    for number, code in zip(parts[1::2], parts[2::2], strict=True):
        if int(number) in stubs:
            raise ValueError(f"{path.name}: two sections for exercise {number}")
        stubs[int(number)] = code.strip("\n") + "\n"
    return stubs


def page_of(chapter: str) -> str:
    return f"chapters/{chapter}.html"


def stub_cell(exercise: Exercise, solution_cell, stub: str):
    """The stub as the cell that replaces the solution: shown (no hide-cell), no output."""
    cell = nbformat.v4.new_code_cell(f"# Exercise {exercise.number}: your answer\n{stub}".rstrip())
    cell.id = solution_cell.get("id", f"exercise-{exercise.number}")
    tags = [t for t in solution_cell.metadata.get("tags", []) if t != "hide-cell"]
    cell.metadata["tags"] = [*tags, "student-stub"]
    return cell


def checks_cell(exercise: Exercise, stub_id: str):
    """The cell that runs the checks after the stub, through the ``%%checks`` magic."""
    source = f"%%checks exercise {exercise.number}\n{CHECKS_COMMENT}\n" + "\n".join(exercise.checks)
    cell = nbformat.v4.new_code_cell(source)
    cell.id, cell.metadata["tags"] = f"{stub_id}-checks", ["student-checks"]
    return cell


def with_pointer(cell, exercise: Exercise):
    """The markdown cell with the explanation block replaced by a pointer to the book."""
    lines = cell.source.split("\n")
    start, end = exercise_cells.explanation_span(cell.source, exercise.number)
    fence = re.match(r":+", lines[start]).group(0)
    checks = "" if exercise.checks else NO_CHECKS
    pointer = POINTER.format(
        fence=fence, number=exercise.number, page=page_of(exercise.chapter), checks=checks
    )
    cell = copy.deepcopy(cell)
    cell.source = "\n".join(lines[:start] + [pointer] + lines[end:])
    return cell


def student_notebook(nb, chapter: str, stubs: dict[int, str]):
    """The student form of a chapter notebook (``nb`` is left unchanged)."""
    exercises = find_exercises(nb, chapter)
    cells = [copy.deepcopy(c) for c in nb.cells]
    for exercise in reversed(exercises):  # back to front: earlier indices stay valid
        cells[exercise.explanation] = with_pointer(cells[exercise.explanation], exercise)
        stub = stubs.get(exercise.number, f"{exercise_cells.YOUR_CODE}\n")
        new = [stub_cell(exercise, cells[exercise.cell], stub)]
        if exercise.checks:
            new.append(checks_cell(exercise, new[0].id))
        cells[exercise.cell : exercise.cell + 1] = new
    if any(e.checks for e in exercises):
        first = next(c for c in cells if c.cell_type == "code")
        first.source = first.source.rstrip() + LOAD_MAGIC
    if exercises:
        note = nbformat.v4.new_markdown_cell(NOTE.format(page=page_of(chapter)))
        note.id = "student-edition-note"
        cells.insert(1, note)
    result = copy.deepcopy(nb)
    result.cells = cells
    return result


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "chapters").glob("*.ipynb"))


def edition(root: Path = ROOT) -> tuple[dict[str, object], list[str]]:
    """Every chapter's student notebook by file name, and every problem with the stubs."""
    notebooks, problems = {}, []
    for path in chapters(root):
        nb = nbformat.read(path, as_version=4)
        stub_file = root / "student" / f"{path.stem}.py"
        stubs = read_stubs(stub_file)
        exercises = find_exercises(nb, path.stem)
        numbers = {e.number for e in exercises}
        for exercise in exercises:
            if exercise.number not in stubs:
                problems.append(f"{exercise.label}: no stub in student/{stub_file.name}")
            else:
                problems += exercise_cells.mismatches(exercise, stubs[exercise.number])
        for number in sorted(set(stubs) - numbers):
            problems.append(f"student/{stub_file.name}: a stub for exercise {number}, which "
                            f"chapter {path.stem} does not have")  # fmt: skip
        notebooks[path.name] = student_notebook(nb, path.stem, stubs)
    return notebooks, problems


def bundle(root: Path, wheel_cache: Path) -> tuple[dict[str, bytes], list[str]]:
    """The student edition's files by name (notebooks, wheel, requirements, pins, README),
    and the problems :func:`edition` found."""
    notebooks, problems = edition(root)
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["title"]
    readme = README.format(book=book, installs=downloads.INSTALL.format(notebook="."))
    wheel = downloads.build_wheel(root, wheel_cache)
    encoded = {name: nbformat.writes(nb).encode() + b"\n" for name, nb in notebooks.items()}
    return downloads.bundle_files(root, wheel, readme, encoded), problems


def write(out: Path, root: Path = ROOT, wheel_cache: Path | None = None) -> list[str]:
    """Write ``out/student-edition/`` and ``out/student-edition.zip``; the problems.

    The wheel is built into ``wheel_cache`` (default ``out/lecnotes-wheel``, the book's),
    or taken from there when it holds one of the current sources.
    """
    wheel_cache = wheel_cache or out / f"{downloads.PACKAGE}-wheel"
    files, problems = bundle(root, wheel_cache)
    folder = out / EDITION
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    downloads.write_zip(out / f"{EDITION}.zip", EDITION, files)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="default: _build")
    out = parser.parse_args(argv).out
    try:
        problems = write(out)
    except exercise_cells.ExerciseError as exc:  # a chapter's exercise is malformed
        print(f"student edition not written: {exc}", file=sys.stderr)
        return 1
    exercises = [e for p in chapters() for e in find_exercises(nbformat.read(p, 4), p.stem)]
    print(f"student edition: {len(chapters())} notebooks, {len(exercises)} exercises -> "
          f"{out / EDITION}/ and {out / EDITION}.zip")  # fmt: skip
    unchecked = [e.label for e in exercises if not e.checks]
    if unchecked:
        print(f"without checks (no top-level assert), {len(unchecked)}: {', '.join(unchecked)}")
    for e in exercises:
        if e.nested_asserts:
            print(f"{e.label}: {e.nested_asserts} assert(s) inside other statements are not "
                  "checks; the student edition drops them with the solution")  # fmt: skip
    for problem in problems:
        print(f"stub problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
