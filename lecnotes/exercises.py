"""An exercise's checks that report instead of stopping the notebook (the student edition).

In the student edition (``make student``, ``tools/student.py``) each exercise's solution is
replaced by a stub, and the solution's checks -- its top-level ``assert`` statements -- move
to a cell of their own after the stub, run through the ``%%checks`` cell magic::

    %load_ext lecnotes.exercises        (once, in the first code cell)

    %%checks exercise 2
    assert best_steps[10] < best_steps[100], "kappa = 100 should need more steps"

Each ``assert`` runs on its own in the notebook's namespace, exactly as Python runs it (also
under ``python -O``). A failing one prints its message (or its condition, when it has no
message) and the next one runs, so every failing check is listed. Nothing is raised, so Run
All goes on to the next exercise in every front end (JupyterLab, Notebook, VS Code, nbclient),
whether or not it honours the ``raises-exception`` cell tag. A check that cannot even be
evaluated -- a ``...`` placeholder still in place, a name not yet defined -- fails too, with
its message and the reason. Statements other than ``assert`` run as usual.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

PASS, FAIL = "\N{CHECK MARK}", "\N{BALLOT X}"


@dataclass(frozen=True)
class Outcome:
    """What one check gave.

    Attributes:
        message: the assert's message, or its condition's source when it has none.
        passed: whether the condition held.
        error: ``"TypeError: ..."`` when evaluating the check raised something other than
            ``AssertionError`` (the check then counts as failed), else ``None``.
    """

    message: str
    passed: bool
    error: str | None = None


def _stated_message(node: ast.Assert, source: str, namespace: dict | None = None) -> str:
    """The message the assert shows (evaluated in ``namespace``, else as written in
    ``source``); its condition's source when it has none."""
    if node.msg is None:
        return ast.get_source_segment(source, node.test) or ast.unparse(node.test)
    if isinstance(node.msg, ast.Constant):
        return str(node.msg.value)
    if namespace is None:
        return ast.get_source_segment(source, node.msg) or ast.unparse(node.msg)
    try:
        value = eval(compile(ast.Expression(node.msg), "<check message>", "eval"), namespace)
        return str(value)
    except Exception:  # noqa: BLE001 - an f-string over a placeholder: show its source
        return ast.get_source_segment(source, node.msg) or ast.unparse(node.msg)


def _run_assert(node: ast.Assert, source: str, namespace: dict, filename: str) -> Outcome:
    code = compile(ast.Module([node], type_ignores=[]), filename, "exec", optimize=0)
    try:
        exec(code, namespace)
    except AssertionError as exc:
        text = str(exc) if exc.args else _stated_message(node, source, namespace)
        return Outcome(text, passed=False)
    except Exception as exc:  # noqa: BLE001 - a check that cannot run has failed
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(_stated_message(node, source, namespace), passed=False, error=error)
    return Outcome(_stated_message(node, source), passed=True)


def run_checks(source: str, namespace: dict, filename: str = "<checks>") -> list[Outcome]:
    """Run every top-level ``assert`` of ``source`` on its own; other statements as usual.

    Args:
        source: Python code, typically a cell of ``assert <condition>, "<message>"`` lines.
        namespace: the globals to run in (a notebook's ``get_ipython().user_ns``).
        filename: the name tracebacks give the code.

    Returns:
        One :class:`Outcome` per ``assert``, in order. An exception raised by a statement
        that is not an ``assert`` propagates.
    """
    outcomes = []
    for node in ast.parse(source, filename).body:
        if isinstance(node, ast.Assert):
            outcomes.append(_run_assert(node, source, namespace, filename))
        else:
            exec(compile(ast.Module([node], type_ignores=[]), filename, "exec"), namespace)
    return outcomes


def _hint(error: str) -> str:
    if "ellipsis" in error:
        return "; a ... placeholder is still in place"
    if error.startswith("NameError"):
        return "; run your code above first"
    return ""


def describe(outcomes: list[Outcome], label: str = "") -> str:
    """The report a check cell prints: a summary line, then every failing check.

    Args:
        outcomes: what :func:`run_checks` returned.
        label: what the checks belong to, e.g. ``"exercise 2"`` (may be empty).

    Returns:
        Text such as ``"exercise 2: 1 of 2 checks pass\\n✗ <message>"``; one line when all
        pass.
    """
    passed, total = sum(o.passed for o in outcomes), len(outcomes)
    prefix = f"{label}: " if label else ""
    if not outcomes:
        return f"{prefix}no checks"
    if passed == total:
        verdict = "the check passes" if total == 1 else f"all {total} checks pass"
        return f"{prefix}{PASS} {verdict}"
    lines = [f"{prefix}{passed} of {total} checks pass"]
    for outcome in outcomes:
        if not outcome.passed:
            lines.append(f"{FAIL} {outcome.message}")
            if outcome.error:
                lines.append(f"  (could not run: {outcome.error}{_hint(outcome.error)})")
    return "\n".join(lines)


def checks(line: str, cell: str) -> None:
    """The ``%%checks [label]`` cell magic: run the cell's checks and print the report."""
    from IPython import get_ipython

    print(describe(run_checks(cell, get_ipython().user_ns, "<checks>"), line.strip()))


def load_ipython_extension(ipython) -> None:
    """``%load_ext lecnotes.exercises`` registers the ``%%checks`` cell magic."""
    ipython.register_magic_function(checks, magic_kind="cell", magic_name="checks")
