"""The wheel every download bundle carries (``_ext/downloads.py``): built by pip in the
background, so that a build can go on while it is made, and cached by its sources."""

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import downloads  # noqa: E402

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "lecnotes"
version = "0.0.1"

[tool.setuptools]
packages = ["lecnotes"]
"""


def _book(root: Path, value: int) -> Path:
    (root / "lecnotes").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "lecnotes" / "__init__.py").write_text(f"VALUE = {value}\n")
    return root


def _value(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read("lecnotes/__init__.py").decode()


def test_the_wheel_is_built_in_the_background_then_cached(tmp_path):
    book, cache = _book(tmp_path / "book", 1), tmp_path / "cache"
    started = downloads.Wheel(book, cache)
    assert started.process is not None  # pip runs while the caller goes on
    wheel = started.path()
    assert wheel.parent.parent == cache and _value(wheel) == "VALUE = 1\n"
    assert started.tmp is None  # pip's folder is gone
    again = downloads.Wheel(book, cache)
    assert again.process is None and again.path() == wheel  # same sources: no pip
    _book(book, 2)
    rebuilt = downloads.build_wheel(book, cache)
    assert _value(rebuilt) == "VALUE = 2\n"
    assert list(cache.glob("*/*.whl")) == [rebuilt]  # only the current version is kept


def test_a_cancelled_wheel_leaves_nothing_behind(tmp_path):
    book, cache = _book(tmp_path / "book", 1), tmp_path / "cache"
    started = downloads.Wheel(book, cache)
    folder = started.tmp
    started.cancel()
    assert not folder.exists() and not cache.exists()
    assert started.process is None
