"""fingerprint: equal for what computes the same, different when anything it reads changes."""

import functools
import math

import numpy as np
import pytest

from lecnotes import fingerprint as fp
from lecnotes import plotting

fingerprint = fp.fingerprint


def notebook(source: str) -> dict:
    """A namespace like a notebook's: code run in a module called __main__, no file."""
    namespace = {"__name__": "__main__"}
    exec(source, namespace)  # noqa: S102 - our own test code
    return namespace


def test_data_is_fingerprinted_by_value_type_and_order():
    assert fingerprint([1, 2.0, "a"]) == fingerprint([1, 2.0, "a"])
    assert fingerprint(1) != fingerprint(1.0) != fingerprint(True)
    assert fingerprint(0.0) != fingerprint(-0.0)
    assert fingerprint((1, 2)) != fingerprint([1, 2])
    assert fingerprint({"a": 1, "b": 2}) != fingerprint({"b": 2, "a": 1})  # order is read
    assert list({8, 16}) != list({16, 8})  # 8 and 16 collide: insertion decides the order
    assert fingerprint({8, 16}) == fingerprint({16, 8})  # but a set has no order
    a = np.arange(6.0)
    assert fingerprint(a) == fingerprint(a.copy())
    assert fingerprint(a) != fingerprint(a.reshape(2, 3)) != fingerprint(a.astype(np.float32))
    b = a.copy()
    b[3] = np.nextafter(b[3], 10)  # one bit in one entry
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(np.float64(1.5)) != fingerprint(1.5) != fingerprint(np.float32(1.5))


def test_a_function_is_its_code_defaults_closure_and_the_globals_it_reads():
    base = notebook("SCALE = 2\nUNUSED = 1\ndef draw(x, k=3):\n    return SCALE * x + k\n")
    same = notebook("SCALE = 2\nUNUSED = 9\ndef draw(x, k=3):\n    return SCALE * x + k\n")
    assert fingerprint(base["draw"]) == fingerprint(same["draw"])  # UNUSED is not read
    for changed in (
        "SCALE = 3\nUNUSED = 1\ndef draw(x, k=3):\n    return SCALE * x + k\n",  # a global
        "SCALE = 2\nUNUSED = 1\ndef draw(x, k=4):\n    return SCALE * x + k\n",  # a default
        "SCALE = 2\nUNUSED = 1\ndef draw(x, k=3):\n    return SCALE * x - k\n",  # the code
    ):
        assert fingerprint(notebook(changed)["draw"]) != fingerprint(base["draw"]), changed

    def closing_over(value):
        return lambda x: value * x

    assert fingerprint(closing_over(2)) == fingerprint(closing_over(2))
    assert fingerprint(closing_over(2)) != fingerprint(closing_over(3))


def test_values_reached_through_helpers_data_and_objects_count():
    source = (
        "import numpy as np\n"
        "RUNS = {'a': np.arange(3.0)}\n"
        "def helper(name):\n    return RUNS[name]\n"
        "class Box:\n    def __init__(self, v):\n        self.v = v\n"
        "    def scaled(self):\n        return 2 * self.v\n"
        "BOX = Box(np.ones(2))\n"
        "def draw(name):\n    return helper(name).sum() + BOX.scaled().sum()\n"
    )
    ns = notebook(source)
    before = fingerprint(ns["draw"])
    ns["RUNS"]["a"][0] = 5.0  # mutated in place, as a later cell might
    assert fingerprint(ns["draw"]) != before
    after = fingerprint(ns["draw"])
    ns["BOX"].v = np.zeros(2)  # an object's state
    assert fingerprint(ns["draw"]) != after
    other = notebook(source.replace("return 2 * self.v", "return 3 * self.v"))
    assert fingerprint(other["draw"]) != fingerprint(notebook(source)["draw"])  # a method


def test_lecnotes_code_counts_through_the_attributes_a_function_names(monkeypatch):
    ns = notebook(
        "from lecnotes import plotting\n"
        "def draw():\n    fig, ax = plotting.figure()\n    return fig\n"
    )
    before = fingerprint(ns["draw"])
    monkeypatch.setitem(plotting.MARGINS, "left", 0.2)  # a constant figure() reads
    assert fingerprint(ns["draw"]) != before
    monkeypatch.undo()
    assert fingerprint(ns["draw"]) == before
    monkeypatch.setattr(plotting, "log_axes", lambda ax: None)  # not named by draw
    assert fingerprint(ns["draw"]) == before
    monkeypatch.setattr(plotting, "figure", lambda: plotting.figure(ncols=2))
    assert fingerprint(ns["draw"]) != before


def test_a_module_imported_inside_the_function_counts(monkeypatch):
    ns = notebook("def draw():\n    from lecnotes import plotting\n    return plotting.SCALE\n")
    before = fingerprint(ns["draw"])
    monkeypatch.setattr(plotting, "SCALE", 3)
    assert fingerprint(ns["draw"]) != before


def test_library_code_counts_by_name_and_version(monkeypatch):
    assert fingerprint(np.linspace) == fingerprint(np.linspace)
    assert fingerprint(np.sin) != fingerprint(np.cos)
    assert fingerprint(math.sqrt) != fingerprint(math.exp)
    assert fp.library_version("numpy") == f"numpy {np.__version__}"
    assert fp.library_version("math").startswith("python ")
    assert fp.library_version("lecnotes.plotting") is None  # code written here
    assert fp.library_version("__main__") is None
    ns = notebook("import numpy as np\ndef draw(x):\n    return np.sin(x)\n")
    before = fingerprint(ns["draw"])
    fp.library_version.cache_clear()
    monkeypatch.setattr(np, "__version__", "0.0.1")
    try:
        assert fingerprint(ns["draw"]) != before
    finally:
        fp.library_version.cache_clear()


def test_recursion_caches_and_vectorized_functions_have_fingerprints():
    ns = notebook(
        "import functools\nimport numpy as np\n"
        "def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)\n"
        "@functools.cache\ndef slow(n):\n    return n + 1\n"
        "ERF = np.vectorize(abs, otypes=[float])\n"
        "def draw(n):\n    return fact(n) + slow(n) + ERF(n)\n"
    )
    assert fingerprint(ns["draw"]) == fingerprint(ns["draw"])
    changed = notebook(
        "import functools\n@functools.cache\ndef slow(n):\n    return n + 2\n"
        "def draw(n):\n    return slow(n)\n"
    )
    original = notebook(
        "import functools\n@functools.cache\ndef slow(n):\n    return n + 1\n"
        "def draw(n):\n    return slow(n)\n"
    )
    assert fingerprint(changed["draw"]) != fingerprint(original["draw"])  # what it caches
    ns["ERF"](1.0)  # fills the vectorized function's own cache: not a change
    before = fingerprint(ns["draw"])
    assert fingerprint(ns["draw"]) == before
    assert fingerprint(np.vectorize(abs)) != fingerprint(np.vectorize(round))
    cycle = []
    cycle.append(cycle)
    assert fingerprint(cycle) == fingerprint(cycle)
    assert fingerprint(functools.partial(max, 1)) != fingerprint(functools.partial(max, 2))


def test_what_cannot_be_pickled_is_refused_clearly(tmp_path):
    ns = notebook("def draw():\n    return HANDLE.name\n")
    with open(tmp_path / "f.txt", "w") as handle:
        ns["HANDLE"] = handle
        with pytest.raises(fp.Unfingerprintable, match="cannot fingerprint a TextIOWrapper"):
            fingerprint(ns["draw"])
    with pytest.raises(fp.Unfingerprintable, match="generator"):
        fingerprint(x for x in range(3))
