"""The docs against the code: module table, make targets, paths and names they mention.

The module -> chapters table in ARCHITECTURE.md is written by hand (each module's one-line
idea is prose) and held here to ``tools/execute.py``'s dependency walk, the code that decides
which notebooks an edit re-executes: a row whose chapters differ, a module without a row or
a row without a module fails, naming the fix.
"""

import re
import subprocess
from pathlib import Path

import pytest

from tools import dependencies, execute

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "ARCHITECTURE.md", "CONTRIBUTING.md")
NOTEBOOKS = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]
MODULES = sorted(p.stem for p in (ROOT / "lecnotes").glob("*.py") if p.stem != "__init__")
TABLE_HEADER = "| module | idea | re-executes |"


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def chapter_label(path: Path) -> str:
    """``intro`` for the introduction, else the chapter's number: ``07_optimizers`` -> 7."""
    return "intro" if path.stem == "intro" else str(int(path.stem.split("_")[0]))


def format_chapters(labels: set[str]) -> str:
    """``{"intro", "1", "2", "3", "5", "6"}`` -> ``intro, 1–3, 5, 6``; nothing -> ``none``.

    Three or more consecutive chapters are a range.
    """
    numbers = sorted(int(x) for x in labels if x != "intro")
    parts, run = ["intro"] if "intro" in labels else [], []
    for k, n in enumerate(numbers):
        run.append(n)
        if k + 1 == len(numbers) or numbers[k + 1] != n + 1:
            parts += [f"{run[0]}–{run[-1]}"] if len(run) > 2 else [str(r) for r in run]
            run = []
    return ", ".join(parts) or "none"


def walk() -> dict[str, str]:
    """For every module, the notebooks ``tools/execute.py`` re-executes when it changes."""
    graph = dependencies.package_graph(ROOT / "lecnotes")
    found: dict[str, set[str]] = {m: set() for m in MODULES}
    for path in NOTEBOOKS:
        for module in dependencies.notebook_dependencies(execute.read_notebook(path), graph):
            found.setdefault(module, set()).add(chapter_label(path))
    return {m: format_chapters(found[m]) for m in MODULES}


def module_table(doc: str = "ARCHITECTURE.md") -> dict[str, str]:
    """The module table's rows: module name -> its ``re-executes`` cell."""
    lines = text(doc).splitlines()
    assert TABLE_HEADER in lines, f"{doc} has no module table headed {TABLE_HEADER!r}"
    rows = {}
    for line in lines[lines.index(TABLE_HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == 3, f"{doc}: a module row needs 3 cells: {line}"
        assert cells[0] not in rows, f"{doc}: {cells[0]} has two rows"
        rows[cells[0].strip("`")] = cells[2]
    return rows


def test_chapters_example_formatting():
    assert format_chapters({"intro", "1", "2", "3", "5", "6", "9"}) == "intro, 1–3, 5, 6, 9"
    assert format_chapters({"4"}) == "4" and format_chapters(set()) == "none"


def test_every_lecnotes_module_has_one_row_and_every_row_a_module():
    rows = module_table()
    missing, extra = sorted(set(MODULES) - rows.keys()), sorted(rows.keys() - set(MODULES))
    assert not missing, f"ARCHITECTURE.md's module table lacks rows for {missing}"
    assert not extra, f"ARCHITECTURE.md's module table has rows for no module: {extra}"


def test_the_module_table_is_what_the_dependency_walk_finds():
    rows, expected = module_table(), walk()
    wrong = {m: f"{rows[m]!r} should be {expected[m]!r}" for m in rows if rows[m] != expected[m]}
    assert not wrong, f"ARCHITECTURE.md's re-executes column disagrees: {wrong}"


# --- make targets ---------------------------------------------------------------------------


def makefile_targets() -> set[str]:
    """Every target of the Makefile: its ``.PHONY`` list and every rule's target."""
    source = text("Makefile").replace("\\\n", " ")
    phony = re.search(r"^\.PHONY:(.*)$", source, re.M).group(1).split()
    rules = re.findall(r"^([a-z][\w-]*)\s*:(?!=)", source, re.M)
    return set(phony) | set(rules)


def named_targets(doc: str) -> set[str]:
    """Targets a doc names: `make x` in inline code, and `make x` lines of code blocks."""
    source = text(doc)
    inline = re.findall(r"`make ([a-z][\w-]*)", source)
    blocks = "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", source, re.M | re.S))
    return set(inline) | set(re.findall(r"^\s*make ([a-z][\w-]*)", blocks, re.M))


def help_targets() -> set[str]:
    """The user-facing targets: those ``make help`` prints."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip
    return set(re.findall(r"\bmake ([a-z][\w-]*)", out))


@pytest.mark.parametrize("doc", DOCS)
def test_every_make_target_a_doc_names_exists(doc):
    missing = named_targets(doc) - makefile_targets()
    assert not missing, f"{doc} names make targets the Makefile does not have: {missing}"


def test_every_target_of_make_help_has_a_row_in_the_readme():
    rows = set(re.findall(r"^\| `make ([a-z][\w-]*)`(?: / `make ([a-z][\w-]*)`)? \|", text(
        "README.md"), re.M))  # fmt: skip
    documented = {name for row in rows for name in row if name}
    assert help_targets() <= makefile_targets()
    missing = help_targets() - documented
    assert not missing, f"README.md's make-target table lacks rows for {missing}"


# --- paths and names ------------------------------------------------------------------------


@pytest.mark.parametrize("doc", DOCS)
def test_every_file_a_doc_names_exists(doc):
    folders = "lecnotes|tools|tests|_ext|_static|bench|student"
    paths = set(re.findall(rf"`((?:{folders})/[\w./<>-]+\.(?:py|js|css|json))`", text(doc)))
    # <module> stands for any name; make bench writes bench/results/ (not committed).
    paths = {p for p in paths if "<" not in p and not p.startswith("bench/results/")}
    missing = sorted(p for p in paths if not (ROOT / p).is_file())
    assert not missing, f"{doc} names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_lecnotes_name_a_doc_uses_exists(doc):
    import importlib

    code = " ".join(re.findall(r"`([^`\n]+)`", text(doc)))  # inline code spans
    pairs = set(re.findall(r"(?<![\w./])(?:lecnotes\.)?([a-z_]+)\.([A-Za-z_]\w*)", code))
    pairs = {(m, n) for m, n in pairs if n not in {"py", "json", "js", "css", "md"}}  # files
    missing = sorted(
        f"{module}.{name}"
        for module, name in pairs
        if (module == "lecnotes" and name not in MODULES)
        or (module in MODULES and not hasattr(importlib.import_module(f"lecnotes.{module}"), name))
    )
    assert not missing, f"{doc} uses names lecnotes does not have: {missing}"


# --- docstrings -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["__init__", *MODULES])
def test_every_docstring_example_runs(name):
    import doctest
    import importlib

    results = doctest.testmod(importlib.import_module(f"lecnotes.{name}"), report=False)
    assert results.failed == 0, f"lecnotes.{name}: {results.failed} docstring examples fail"


def optimizers_and_schedules() -> list:
    """Every public optimizer (``optim``'s classes, and the two that wrap them) and schedule."""
    import inspect

    from lecnotes import groups, optim, regularization, schedules

    found = [
        obj
        for module in (optim, schedules)
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and obj.__module__ == module.__name__
    ]
    return [*found, groups.ParamGroups, regularization.WithL2]


@pytest.mark.parametrize("obj", optimizers_and_schedules(), ids=lambda o: o.__qualname__)
def test_every_optimizer_and_schedule_has_an_example(obj):
    doc = obj.__doc__ or ""
    assert "Example:" in doc and ">>> " in doc.split("Example:")[1], (
        f"{obj.__module__}.{obj.__qualname__}'s docstring needs an Example: with a doctest"
    )
