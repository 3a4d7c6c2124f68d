"""``_ext/offline_assets.py``: when does a build rewrite every page for its static files?

Every page links the site's ``_static`` files, so a page must be written again when one of
them changes -- and only then: a false alarm turns a one-chapter rebuild into a rewrite of
the whole book.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import offline_assets  # noqa: E402


def book(tmp_path: Path, files: dict[str, str], copies: dict[str, str]):
    """An app with one static folder holding ``files`` and a built site holding ``copies``."""
    static, site = tmp_path / "static", tmp_path / "site" / "_static"
    for folder, contents in ((static, files), (site, copies)):
        for name, text in contents.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
    app = SimpleNamespace(
        outdir=str(tmp_path / "site"),
        confdir=str(tmp_path),
        config=SimpleNamespace(html_static_path=[str(static)]),
    )
    return app, SimpleNamespace(found_docs={"intro", "chapters/one"})


def test_unchanged_static_files_rewrite_nothing(tmp_path):
    app, env = book(tmp_path, {"a.js": "x", "sub/b.css": "y"}, {"a.js": "x", "sub/b.css": "y"})
    assert offline_assets.pages_with_stale_assets(app, env) == []


def test_a_template_rendered_under_another_name_is_not_stale(tmp_path):
    # sphinx-copybutton ships copybutton.js_t, which Sphinx renders to copybutton.js.
    app, env = book(tmp_path, {"copybutton.js_t": "{{ x }}"}, {"copybutton.js": "rendered"})
    assert offline_assets.pages_with_stale_assets(app, env) == []


def test_a_changed_or_missing_static_file_rewrites_every_page(tmp_path):
    app, env = book(tmp_path, {"a.js": "new"}, {"a.js": "old"})
    assert offline_assets.pages_with_stale_assets(app, env) == ["chapters/one", "intro"]
    app, env = book(tmp_path / "2", {"b.js": "x"}, {})
    assert offline_assets.pages_with_stale_assets(app, env) == ["chapters/one", "intro"]
