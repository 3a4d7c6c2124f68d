"""What a notebook's outputs depend on, besides its own code: the ``lecnotes`` modules it
imports, directly or through other ``lecnotes`` modules (found by parsing the imports; a
notebook that does ``import lecnotes``, or whose code cannot be parsed, depends on all of
them), and ``requirements.txt``. ``tools/execute.py`` keys each execution by them (see its
docstring).
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(code: str, package: str = "lecnotes", here: str | None = None) -> set[str]:
    """Names of ``package``'s modules that ``code`` imports; ``{"*"}`` when it cannot tell.

    ``here`` is the importing module's own name, for relative imports inside the package.
    IPython syntax (magics, ``!shell``) is translated first so notebook cells parse.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager  # only when needed

        try:
            tree = ast.parse(TransformerManager().transform_cell(code))
        except SyntaxError:
            return {"*"}
    found = set()
    if "import" not in code:  # most cells: no need to walk every node (a third of the plan)
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head, _, rest = alias.name.partition(".")
                if head == package:
                    found.add(rest.split(".")[0] if rest else "*")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: only meaningful inside the package
                base = package + ("." + base if base else "") if here else ""
            head, _, rest = base.partition(".")
            if head != package:
                continue
            if rest:
                found.add(rest.split(".")[0])
            else:  # from lecnotes import a, b   (or *)
                found.update("*" if a.name == "*" else a.name for a in node.names)
    return found


def package_graph(package_dir: Path = ROOT / "lecnotes") -> dict[str, set[str]]:
    """For every module of the package, the package modules it imports.

    The package must be flat: the graph, and so every dependency key, holds its top-level
    modules only, so a subpackage (whose edits would go unnoticed) raises ``ValueError``.
    """
    nested = sorted(p.relative_to(package_dir).as_posix() for p in package_dir.glob("*/**/*.py"))
    if nested:
        raise ValueError(
            f"{package_dir.name} must be a flat package (tools/execute.py tracks its top-level "
            f"modules only), but it has modules in subfolders: {nested}"
        )
    return {
        path.stem: imported_modules(path.read_text(encoding="utf-8"), here=path.stem)
        for path in sorted(package_dir.glob("*.py"))
    }


def dependencies(direct: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The modules in ``direct`` and everything they import, plus ``__init__``; sorted.

    An unknown name or ``"*"`` means the whole package.
    """
    if "*" in direct or not direct <= graph.keys():
        return sorted(graph)
    seen, todo = {"__init__"}, list(direct)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if "*" in graph[name] or not graph[name] <= graph.keys():
            return sorted(graph)
        todo.extend(graph[name])
    return sorted(seen)


def notebook_dependencies(nb, graph: dict[str, set[str]]) -> list[str]:
    """The ``lecnotes`` modules a notebook's execution depends on (see :func:`dependencies`)."""
    direct = set().union(*(imported_modules(c.source) for c in nb.cells if c.cell_type == "code"))
    return dependencies(direct, graph)


def dependency_key(modules: list[str], root: Path = ROOT) -> str:
    """SHA-256 of the named ``lecnotes`` modules' sources and of ``requirements.txt``."""
    digest = hashlib.sha256()
    for path in [*(root / "lecnotes" / f"{m}.py" for m in modules), root / "requirements.txt"]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()
