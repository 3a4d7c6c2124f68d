"""tools/dependencies.py and tools/execute.py: which lecnotes modules a notebook depends on,
the key that says so, and the order of a clean build.

Executing notebooks (and the cache) is tested in tests/website/test_build.py.
"""

from pathlib import Path

import nbformat
import pytest

from tools import dependencies, execute

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from lecnotes import plotting, widgets", {"plotting", "widgets"}),
        ("import lecnotes.optim as optim", {"optim"}),
        ("from lecnotes.models import train_mlp", {"models"}),
        ("import numpy as np\nx = 1", set()),
        ("def f():\n    from lecnotes import data\n", {"data"}),  # imports inside functions
        ("%matplotlib inline\nfrom lecnotes import init", {"init"}),  # IPython magics
        ("import lecnotes", {"*"}),  # then any attribute may be used: everything
        ("from lecnotes import *", {"*"}),
        ("def broken(:", {"*"}),  # cannot tell: assume everything
    ],
)
def test_imported_modules_of_a_notebook_cell(code, expected):
    assert dependencies.imported_modules(code) == expected


def test_relative_imports_inside_the_package():
    code = "from ._checks import positive_int\nfrom . import plotting\nfrom .autograd import T"
    assert dependencies.imported_modules(code, here="graphs") == {"_checks", "plotting", "autograd"}
    assert dependencies.imported_modules("from .x import y") == set()  # outside the package


def test_dependencies_follow_imports_transitively():
    graph = {"__init__": set(), "a": {"b"}, "b": {"c"}, "c": set(), "d": set()}
    assert dependencies.dependencies({"a"}, graph) == ["__init__", "a", "b", "c"]
    assert dependencies.dependencies({"d"}, graph) == ["__init__", "d"]
    assert dependencies.dependencies(set(), graph) == ["__init__"]


def test_unknown_or_star_imports_depend_on_the_whole_package():
    graph = {"__init__": set(), "a": {"*"}, "b": set()}
    assert dependencies.dependencies({"a"}, graph) == ["__init__", "a", "b"]
    assert dependencies.dependencies({"missing"}, graph) == ["__init__", "a", "b"]


def test_the_real_package_graph():
    graph = dependencies.package_graph(ROOT / "lecnotes")  # flat: no ValueError
    assert {"autograd", "plotting"} <= graph["graphs"]
    assert "schedules" in dependencies.dependencies({"schedules"}, graph)
    assert "schedules" not in dependencies.dependencies({"widgets"}, graph)


def write_package(root: Path, modules: dict[str, str]) -> Path:
    (root / "lecnotes").mkdir()
    for name, source in modules.items():
        path = root / "lecnotes" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    (root / "requirements.txt").write_text("numpy==2.0\n")
    return root / "lecnotes"


def test_the_dependency_walk_on_a_package_on_disk(tmp_path):
    # Absolute, relative and from-module imports, through two levels: a notebook that imports
    # a depends on a, b, c (and __init__), not on d; an edit to c, two imports away, re-runs it.
    package = write_package(tmp_path, {
        "__init__": "", "a": "from lecnotes import b\n", "b": "from . import c\nimport numpy\n",
        "c": "import math\n", "d": "from lecnotes.c import x\n",
    })  # fmt: skip
    graph = dependencies.package_graph(package)
    assert graph == {"__init__": set(), "a": {"b"}, "b": {"c"}, "c": set(), "d": {"c"}}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from lecnotes import a")])
    modules = dependencies.notebook_dependencies(nb, graph)
    assert modules == ["__init__", "a", "b", "c"]
    key = dependencies.dependency_key(modules, tmp_path)
    (package / "d.py").write_text("# d changed\n")
    assert dependencies.dependency_key(modules, tmp_path) == key
    (package / "c.py").write_text("# c changed\n")
    assert dependencies.dependency_key(modules, tmp_path) != key


def test_a_package_with_subpackages_is_refused(tmp_path):
    # Their modules would be in no dependency key: editing one would re-run nothing.
    package = write_package(tmp_path, {"__init__": "", "a": "", "sub/__init__": ""})
    with pytest.raises(ValueError, match=r"flat package .* subfolders: \['sub/__init__.py'\]"):
        dependencies.package_graph(package)
    (package / "sub" / "__init__.py").unlink()
    (package / "sub" / "deeper").mkdir()
    (package / "sub" / "deeper" / "m.py").write_text("")
    with pytest.raises(ValueError, match=r"\['sub/deeper/m.py'\]"):
        dependencies.package_graph(package)


def test_dependency_key_changes_with_a_module_or_the_pins(tmp_path):
    (tmp_path / "lecnotes").mkdir()
    for name in ("__init__", "a", "b"):
        (tmp_path / "lecnotes" / f"{name}.py").write_text(f"# {name}\n")
    (tmp_path / "requirements.txt").write_text("numpy==2.0\n")
    key = dependencies.dependency_key(["__init__", "a"], tmp_path)
    (tmp_path / "lecnotes" / "b.py").write_text("# b changed\n")
    assert dependencies.dependency_key(["__init__", "a"], tmp_path) == key  # b is not a dependency
    (tmp_path / "lecnotes" / "a.py").write_text("# a changed\n")
    changed = dependencies.dependency_key(["__init__", "a"], tmp_path)
    assert changed != key
    (tmp_path / "requirements.txt").write_text("numpy==2.1\n")
    assert dependencies.dependency_key(["__init__", "a"], tmp_path) != changed


def test_a_myst_markdown_notebook_is_read_like_myst_nb_reads_it():
    nb = execute.read_notebook(ROOT / "intro.md")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code and any("widgets.interact(" in c for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_a_markdown_file_that_is_not_a_notebook_is_refused(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Just text\n")
    with pytest.raises(ValueError, match="not a notebook"):
        execute.read_notebook(page)


def test_the_order_of_a_clean_build_comes_from_the_recorded_times(tmp_path):
    cache = execute.Cache(tmp_path / "cache")  # empty, as on a clean build
    recorded, markdown = nbformat.v4.new_notebook(), nbformat.v4.new_notebook()
    recorded.cells = [nbformat.v4.new_code_cell("x = 1")]
    recorded.metadata["lecnotes"] = {"execution_seconds": 4.7}  # as make execute writes it
    markdown.cells = [nbformat.v4.new_code_cell("y = 2")]
    assert cache.seconds_of(recorded) == 4.7
    assert cache.seconds_of(markdown) == 0.0  # unknown: last, not first
    cache.store(recorded, tmp_path / "a.ipynb", "key", 2.5)
    assert cache.seconds_of(recorded) == 2.5  # the cache's own record wins


def test_consecutive_stream_outputs_of_one_name_are_joined():
    stream = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell("...")
    cell.outputs = [
        stream("stream", name="stdout", text="lr = 1: settles"),  # flushed inside a line
        stream("stream", name="stdout", text="\nlr = 3: settles\n"),
        stream("display_data", data={"text/plain": "<Figure>"}),
        stream("stream", name="stdout", text="after the figure\n"),
        stream("stream", name="stderr", text="a "),
        stream("stream", name="stderr", text="warning\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell])
    execute.merge_streams(nb)
    texts = [(o.output_type, o.get("name"), o.get("text")) for o in nb.cells[1].outputs]
    assert texts == [
        ("stream", "stdout", "lr = 1: settles\nlr = 3: settles\n"),
        ("display_data", None, None),
        ("stream", "stdout", "after the figure\n"),
        ("stream", "stderr", "a warning\n"),
    ]
