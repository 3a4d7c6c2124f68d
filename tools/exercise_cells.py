"""A chapter's exercises as the student edition reads them, and whether a stub fits one.

An exercise has the shape CONTRIBUTING.md documents: a markdown prompt with
``**Exercise N (title).**``; one code cell tagged ``hide-cell`` whose first line is
``# Solution to exercise N``; a markdown ``:::{admonition} Solution N`` block (often in the
cell that also holds the next prompt) explaining it. The exercise's **checks** are every
top-level ``assert`` statement of the solution cell, wherever it stands (with the comment
lines right above it); the **solution** is the rest of the cell.

A stub fits its solution (:func:`mismatches`) when it defines no name the solution does not,
defines every name the checks read from the solution and every function and class the
solution defines (with the same parameters), says where the learner's code goes, and does
is not the solution with lines deleted (it shares at most a third of its lines of code).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

SOLUTION_LINE = re.compile(r"# Solution to exercise (\d+)\s*$")
PROMPT = re.compile(r"\*\*Exercise (\d+) \(")
YOUR_CODE = "# your code here"


class ExerciseError(ValueError):
    """A chapter's exercise does not have the documented shape."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter.

    Attributes:
        chapter: the notebook's stem, e.g. ``"07_optimizers"``.
        number: N of ``# Solution to exercise N``.
        cell: index of the solution cell in the notebook.
        explanation: index of the markdown cell holding ``{admonition} Solution N``.
        solution: the solution cell's code without its checks.
        checks: each top-level ``assert`` of the solution cell, with its comment lines.
        nested_asserts: how many ``assert`` statements stand inside other statements (not
            checks: the student edition drops them with the solution).
    """

    chapter: str
    number: int
    cell: int
    explanation: int
    solution: str
    checks: tuple[str, ...]
    nested_asserts: int

    @property
    def label(self) -> str:
        """``"exercise 2 of chapter 7"``, as messages name it."""
        return f"exercise {self.number} of chapter {int(self.chapter.split('_')[0])}"


def explanation_span(text: str, number: int) -> tuple[int, int] | None:
    """Lines ``[start, end)`` of the ``:::{admonition} Solution N`` block in ``text``.

    The block ends at the first line of at least as many colons as it opened with (MyST's
    rule for colon fences). Returns ``None`` when ``text`` has no such block.
    """
    lines = text.split("\n")
    opening = re.compile(rf"(:{{3,}})\{{admonition\}}\s+Solution {number}\s*$")
    for start, line in enumerate(lines):
        match = opening.match(line)
        if match:
            fence = len(match.group(1))
            for end in range(start + 1, len(lines)):
                if re.fullmatch(rf":{{{fence},}}", lines[end].strip()):
                    return start, end + 1
            raise ExerciseError(f"Solution {number}: its admonition is never closed")
    return None


def split_checks(source: str) -> tuple[str, tuple[str, ...], int]:
    """A solution cell as (solution without checks, checks, number of nested asserts).

    A check is a top-level ``assert`` statement with the comment lines right above it (the
    cell's first line, ``# Solution to exercise N``, excepted).
    """
    tree = ast.parse(source)
    lines = source.split("\n")
    taken, checks = set(), []
    for node in tree.body:
        if isinstance(node, ast.Assert):
            first = node.lineno - 1
            while first > 1 and lines[first - 1].startswith("#"):
                first -= 1
            span = range(first, node.end_lineno)
            checks.append("\n".join(lines[i] for i in span))
            taken.update(span)
    solution = "\n".join(line for i, line in enumerate(lines) if i not in taken).rstrip()
    nested = sum(isinstance(n, ast.Assert) for n in ast.walk(tree)) - len(checks)
    return solution + "\n", tuple(checks), nested


def find_exercises(nb, chapter: str) -> list[Exercise]:
    """Every exercise of a notebook, in order; :class:`ExerciseError` if one is malformed."""
    cells, exercises = nb.cells, []
    for index, cell in enumerate(cells):
        match = SOLUTION_LINE.match(cell.source.split("\n", 1)[0])
        if cell.cell_type != "code" or not match:
            continue
        number = int(match.group(1))
        where = f"{chapter}, exercise {number}"
        if "hide-cell" not in cell.metadata.get("tags", []):
            raise ExerciseError(f"{where}: the solution cell is not tagged hide-cell")
        prompts = [c for c in cells[:index] if c.cell_type == "markdown"]
        if not any(number in map(int, PROMPT.findall(c.source)) for c in prompts):
            raise ExerciseError(f"{where}: no prompt '**Exercise {number} (...' before it")
        explanation = next(
            (
                i
                for i in range(index + 1, len(cells))
                if cells[i].cell_type == "markdown" and explanation_span(cells[i].source, number)
            ),
            None,
        )
        if explanation is None:
            raise ExerciseError(f"{where}: no ':::{{admonition}} Solution {number}' after it")
        solution, checks, nested = split_checks(cell.source)
        exercises.append(Exercise(chapter, number, index, explanation, solution, checks, nested))
    numbers = [e.number for e in exercises]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ExerciseError(f"{chapter}: exercises numbered {numbers}, expected 1, 2, 3, ...")
    return exercises


# --- names and signatures --------------------------------------------------------------------


def bound_names(source: str) -> set[str]:
    """Names the code leaves defined: what it binds outside function and class bodies
    (assignments at any depth, loop targets, ``with ... as``, imports, ``def``, ``class``)."""
    names = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(child.name)
            elif isinstance(child, ast.alias):
                names.add((child.asname or child.name).split(".")[0])
            elif isinstance(child, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp):
                continue
            elif isinstance(child, ast.GeneratorExp):
                continue
            else:
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    names.add(child.id)
                visit(child)

    visit(ast.parse(source))
    return names


def read_names(source: str) -> set[str]:
    """Every name the code reads, except the variables of its comprehensions and lambdas
    (``lr`` in ``all(f(lr) for lr in rates)`` is not a name the code reads)."""
    tree = ast.parse(source)
    local = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            local |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Lambda):
            local |= {a.arg for a in node.args.args + node.args.kwonlyargs}
    loaded = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    return loaded - local


def _parameters(function: ast.FunctionDef) -> str:
    args = function.args
    names = [a.arg for a in args.posonlyargs + args.args]
    names += [f"*{args.vararg.arg}"] if args.vararg else ["*"] if args.kwonlyargs else []
    names += [a.arg for a in args.kwonlyargs]
    names += [f"**{args.kwarg.arg}"] if args.kwarg else []
    return f"({', '.join(names)})"


def signatures(source: str) -> dict[str, str]:
    """``name -> "(a, b)"`` for every top-level function and every method of a top-level
    class (``"Class.method"``)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = _parameters(node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    found[f"{node.name}.{item.name}"] = _parameters(item)
    return found


def required_names(exercise: Exercise) -> set[str]:
    """What a stub must define: the solution's names its checks read, and the solution's
    top-level functions and classes."""
    defined = bound_names(exercise.solution)
    checked = read_names("\n".join(exercise.checks)) if exercise.checks else set()
    top = {name.split(".")[0] for name in signatures(exercise.solution)}
    return (defined & checked) | top


def _braced(names: set[str]) -> str:
    return "{" + ", ".join(sorted(names)) + "}"


def _code_lines(source: str) -> list[str]:
    """The lines of code that carry something: over 24 characters, not a comment, def,
    class or docstring line (the cell's first line excepted)."""
    lines = [line.strip() for line in source.split("\n")[1:]]
    return [
        line
        for line in lines
        if len(line) > 24 and not line.startswith(("def ", "class ", "#", '"""'))
    ]


def mismatches(exercise: Exercise, stub: str) -> list[str]:
    """Why ``stub`` does not fit the exercise's solution; empty when it does.

    Each entry names the exercise, e.g. ``"exercise 2 of chapter 7: the stub defines
    {best_steps, plain}, the solution {best_steps, optimal, plain} (...)"``.
    """
    label = exercise.label
    try:
        stub_names = bound_names(stub)
    except SyntaxError as exc:
        return [f"{label}: the stub is not valid Python: {exc}"]
    solution_names, required = bound_names(exercise.solution), required_names(exercise)
    problems = []
    if not required <= stub_names or not stub_names <= solution_names:
        problems.append(
            f"{label}: the stub defines {_braced(stub_names)}, the solution "
            f"{_braced(required)} (names its checks read, its functions and classes); "
            f"missing: {_braced(required - stub_names)}, "
            f"not the solution's: {_braced(stub_names - solution_names)}"
        )
    if solution_names and not stub_names & solution_names:
        problems.append(f"{label}: the stub defines none of the solution's names")
    ours, theirs = signatures(stub), signatures(exercise.solution)
    for name in sorted(set(theirs) | set(ours)):
        if name.split(".")[0] in stub_names and ours.get(name) != theirs.get(name):
            problems.append(
                f"{label}: {name} takes {theirs.get(name, 'nothing (absent)')} in the "
                f"solution, {ours.get(name, 'nothing (absent)')} in the stub"
            )
    if YOUR_CODE not in stub:
        problems.append(f"{label}: the stub has no '{YOUR_CODE}' line")
    theirs_lines = _code_lines(exercise.solution)
    copied = [line for line in theirs_lines if line in {s.strip() for s in stub.split("\n")}]
    if 3 * len(copied) > len(theirs_lines):
        problems.append(
            f"{label}: the stub copies {len(copied)} of the solution's {len(theirs_lines)} "
            f"lines of code (at most a third may be given): {copied}"
        )
    return problems
